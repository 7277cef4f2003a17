"""The Inside and Train tabs in Chinese, end to end: what their handlers format (captions, the weights note, the
preprocessing steps, status lines, notes, plot titles, errors) in a zh-CN request, and the same on screen in a
zh-CN browser. Class names stay as the weights name them (the Shapes model's English "circle", "star"…, like
ImageNet's), and so do model, layer and module names, units and code: the allow-list below."""
from __future__ import annotations

import re
from pathlib import Path

import gradio as gr
import pytest
import torch

from lab.images import _too_big_message, preprocess
from lab.models.weights import Preprocessing
from lab.models import zoo
from lab.speed import device_label
from lab.train import TrainConfig
from lab.transfer import build_model
from lab.ui import common, inside, train
from tests.ui import test_train_runs as train_runs_test
from tests.ui.polish import error_toast, wait_text

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Names that may stay English: the Shapes classes, and names of methods, data and hardware.
ALLOWED = re.compile(r"\b(circle|square|triangle|star|cross|Grad-CAM\+*|Layer-CAM|Score-CAM|ImageNet|CNN Lab|Shapes|"
                     r"CUDA|GPU|CPU|RGB|PyTorch|Conv2d|BatchNorm2d|ReLU6?|Sequential|Linear)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def english_sentences(text: str) -> list[str]:
    """Runs of 4+ consecutive plain English words (after the allowed names are taken out): a sentence left
    untranslated. Numbers, units (img/s, px), code (`layer4`, fp32+contiguous) and Chinese end a run."""
    found, run = [], []
    for token in ALLOWED.sub(" ", text).split():
        core = token.strip("()[]{}<>,.;:!?“”\"'*`|·…")
        if WORD.fullmatch(core):
            run.append(core)
            continue
        if len(run) >= 4:
            found.append(" ".join(run))
        run = []
    return found + ([" ".join(run)] if len(run) >= 4 else [])


def chinese(text: str) -> bool:
    """Chinese, with no English sentence in it."""
    return bool(CJK.search(text)) and english_sentences(text) == []


def test_the_detector_finds_a_sentence_and_passes_names_and_units():
    assert english_sentences("验证准确率 **95%**. Red: most evidence; blue: none.") == ["Red most evidence blue none"]
    assert english_sentences("`layer4`（Conv2d）：fp32+contiguous 1069 img/s, bf16+channels_last 2191 img/s") == []
    assert english_sentences("CNN Lab 在 Shapes（circle, square, triangle, star, cross）上") == []


# ------------------------------------------------------------------------------------------ handlers


def _texts_of_cam(out: dict) -> list[str]:
    return [out[k] for k in ("weights_note", "steps", "caption_a", "caption_b", "filters_caption")]


def test_a_cam_and_the_feature_maps_in_chinese():
    shipped = zoo.shipped_architecture()
    with common.language(common.ZH):
        out = inside.cam(str(ASSETS / "cat.jpg"), shipped, "gradcam", weights="shapes")
        fm = inside.feature_maps(str(ASSETS / "cat.jpg"), shipped, None, weights="shapes")
    texts = _texts_of_cam(out) + [fm["fm_caption"], fm["channel_plot"].layout.title.text,
                                  fm["channel_plot"].data[0].colorbar.title.text]
    assert [t for t in texts if not chinese(t)] == []
    assert "读入 451×300 的 RGB 图像" in out["steps"] and "逐通道归一化" in out["steps"]  # lab's steps, translated
    assert "CNN Lab 在 Shapes" in out["weights_note"]  # the checkpoint's detail, translated
    assert out["cam_picks"]["layer"]["choices"][0][0].startswith("阶段 1 · ")
    with common.language(common.EN):  # and an English request still reads English
        english = inside.cam(str(ASSETS / "cat.jpg"), shipped, "gradcam", weights="shapes")
    assert "Red: most evidence" in english["caption_a"] and not CJK.search(" ".join(_texts_of_cam(english)))


def test_random_weights_and_why_better_ones_were_not_used_in_chinese():
    zoo._load_inside_model.cache_clear()
    with common.language(common.ZH):
        note = inside.model_changed("resnet18", "auto")["weights_note"]  # offline, and the Shapes model is another
    assert chinese(note), note
    assert "随机权重" in note and "ImageNet 权重" in note and "自带的 Shapes 模型是" in note


def test_the_inside_tabs_errors_are_chinese(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"%PDF-1.4 not a picture")
    with common.language(common.ZH):
        for image in (None, str(bad)):
            with pytest.raises(gr.Error) as err:
                inside.cam(image, zoo.shipped_architecture(), "gradcam", weights="shapes")
            assert chinese(err.value.message), err.value.message


def test_the_lab_sentences_these_tabs_show_have_chinese():
    """Sentences lab assembles (not written out in one ValueError): each real one comes back Chinese."""
    from PIL import Image

    steps = preprocess(Image.new("RGB", (300, 200)), Preprocessing(64, 72)).steps
    steps += preprocess(Image.new("RGB", (64, 64)), Preprocessing(64, 64, grey=True)).steps
    bad_configs = [dict(epochs=0), dict(batch_size=1), dict(lr=0), dict(optimizer="lion"), dict(image_size=8),
                   dict(augmentation="mixup"), dict(precision="fp8"), dict(memory_format="x"), dict(train_size=-1),
                   dict(warmup_frac=1.5), dict(output_stride=4), dict(model="vgg16", output_stride=16),
                   dict(dataset="imagenet")]
    validation = []
    for bad in bad_configs:
        with pytest.raises(ValueError) as err:
            TrainConfig(**bad).validate()
        validation.append(str(err.value))
    sentences = steps + validation + [
        _too_big_message((20000, 20000), 10**8), _too_big_message(None, 10**8), device_label(torch.device("cpu")),
    ]
    untranslated = [s for s in sentences if not chinese(common.translate_error(s, common.ZH))]
    assert untranslated == []


def test_a_sentence_lab_quotes_in_another_is_translated_too(offline):
    """Offline, ImageNet weights are missing: the Train tab's note and the Inside tab's error quote lab's reason."""
    _, _, notes = build_model("resnet18", 5, 3, 64, True, False, 32, 0)
    zoo._load_inside_model.cache_clear()
    zoo._DOWNLOAD_FAILED.clear()
    with pytest.raises(ValueError) as err:
        zoo.load_inside_model("resnet18", "imagenet")
    for english in (*notes, str(err.value)):
        assert "cannot be downloaded" in english
        zh = common.translate_error(english, common.ZH)
        assert chinese(zh) and "无法下载" in zh, zh


def _events(**final) -> list[dict]:
    start = {"kind": "start", "device": "CPU (2 cores, no bf16 unit)", "precision": "bf16", "memory_format":
             "channels_last", "threads": 2, "probe": {"fp32+contiguous": 100.0, "bf16+channels_last": 150.0},
             "total_steps": 40, "epochs": 2}
    notes = [{"kind": "note", "message": m} for m in (
        "LeNet-5 is built for 32x32 inputs (paper §II-B): using 32 px.",
        "The CPU's load changed: switched from 2 to 1 thread(s) (0.30 s -> 0.20 s per step).",
        "3 file(s) of the zip were skipped (first: a/b.txt: not an image file (by its extension)).",
        "Using 64 of 4,000 training and 32 of 1,000 validation images (raise the sizes for a longer, better run).",
    )]
    step = {"kind": "step", "step": 7, "epoch": 1, "train_loss": 1.2, "images_per_sec": 88.0, "eta_s": 75.0,
            "threads": 1}
    done = [{"kind": "done", "done": True, "val_acc": 0.5, "val_loss": 1.1, "steps": 7, "total_steps": 40,
             "wall_s": 12.0, **final}] if final else []
    return [*notes, start, step, *done]


def test_train_status_lines_and_notes_in_chinese():
    diverged = ("The loss became nan at step 8: training diverged because the learning rate (5) is too high for "
                "this model. Try one about 10 times smaller.")
    with common.language(common.ZH):
        lines = [train._status(_events()), train._notes(_events()),
                 train._status(_events(stopped=False, error=None)), train._status(_events(stopped=True, error=None)),
                 train._status(_events(stopped=False, error=diverged))]
    assert [t for t in lines if not chinese(t)] == [], lines
    assert "第 1/2 轮" in lines[0] and "1 个线程" in lines[0] and "CPU（2 核，无 bf16 单元）" in lines[0]
    assert "小 10 倍左右" in lines[4]


def test_a_tiny_training_run_in_chinese():
    """The real run (LeNet-5, 48 Shapes images, 1 epoch; a replay when it ran here before): status, notes, curves
    and results in Chinese."""
    session: dict = {}
    with common.language(common.ZH):
        last = list(train.start("lenet5", "shapes", None, "scratch", 1, 16, 0.002, 32, "none", "adamw", 48, 24, 0,
                                session))[-1]
        out = dict(zip(train.OUTPUTS, last))
        with pytest.raises(gr.Error) as err:  # an emptied box: the check's toast, then the status line
            train.check("lenet5", "shapes", None, "scratch", None, 16, 0.002, 32, "none", "adamw", 48, 24, 0, session)
        not_started = train.not_started(session)[train.OUTPUTS.index("status")]
    curves, confusion = out["curves"], out["confusion"]
    texts = [out["status"], out["notes"], *[a.text for a in curves.layout.annotations], *[d.name for d in curves.data],
             curves.layout.xaxis.title.text, confusion.layout.xaxis.title.text, confusion.data[0].hovertemplate,
             err.value.message, not_started]
    assert [t for t in texts if not chinese(t)] == [], texts
    assert out["status"].startswith("**完成") and "轮数为空" in err.value.message


# ------------------------------------------------------------------------------------------- browser


def _on_screen(page, root: str) -> str:
    """The visible text under ``root``, with the plots' own text (SVG) and the pickers' values."""
    return page.evaluate("""root => {
      const el = document.querySelector(root);
      const svg = [...el.querySelectorAll('svg text')].map(t => t.textContent);
      const inputs = [...el.querySelectorAll('input')].filter(i => i.offsetParent).map(i => i.value);
      return [el.innerText, ...svg, ...inputs].join('\\n');
    }""", root)


@pytest.mark.browser
def test_inside_in_a_zh_cn_browser(page_in, tmp_path):
    page = page_in("zh-CN")
    page.get_by_role("tab", name="网络内部").click()
    # The opening example (a Shapes image, the shipped model): the CAMs, the steps and the feature maps.
    wait_text(page, "#inside-note", "权重", timeout=180_000)
    wait_text(page, "#inside-caption-a", "红色：证据最多", timeout=120_000)
    wait_text(page, "#inside-fm-caption", "显示最强的", timeout=120_000)
    page.get_by_role("button", name="看看内部").click()
    wait_text(page, "#inside-steps", "逐通道归一化", timeout=120_000)
    page.wait_for_timeout(1000)
    page.screenshot(path="/tmp/zh_inside.png", full_page=True)
    shown = _on_screen(page, "#inside-note") + _on_screen(page, "#inside-steps")
    for root in ("#inside-caption-a", "#inside-caption-b", "#inside-fm-caption", "#inside-layer", "#inside-fm-layer"):
        shown += "\n" + _on_screen(page, root)
    body = page.locator("body").inner_text()
    assert english_sentences(shown) == [] and english_sentences(body) == [], english_sentences(shown + body)
    assert "阶段" in _on_screen(page, "#inside-layer")
    # One error: a file that is no image, said in Chinese.
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"%PDF-1.4 not a picture at all")
    page.locator("#inside-image input[type=file]").set_input_files(str(bad))
    toast = error_toast(page, "不是可读取的图像", timeout=60_000)
    assert chinese(toast), toast
    assert page.errors == []


@pytest.mark.browser
def test_train_in_a_zh_cn_browser(page_in):
    page = page_in("zh-CN")
    page.get_by_role("tab", name="训练").click()
    # The augmentation preview's captions, filled on load in the request's language.
    wait_text(page, "#train-aug-preview", "增强 2", timeout=60_000)
    assert "original" not in _on_screen(page, "#train-aug-preview")
    model = page.locator("input[aria-label='网络']:visible")  # the Architecture and Inside tabs have one too
    model.click()
    model.fill("lenet5")
    page.get_by_role("option", name="LeNet · lenet5").click()
    epochs = page.get_by_label("number input for 轮数（epoch）")
    epochs.fill("1")
    epochs.press("Enter")
    page.get_by_text("更多设置").click()
    page.get_by_label("训练图像数").fill("64")
    page.get_by_label("验证图像数").fill("32")
    page.get_by_label("验证图像数").press("Tab")
    page.locator("#train-start").click()
    wait_text(page, "#train-status", "完成", timeout=180_000)
    page.wait_for_selector("#train-results .js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path="/tmp/zh_train.png", full_page=True)
    shown = "\n".join(_on_screen(page, r) for r in ("#train-status", "#train-notes", "#train-curves", "#train-results"))
    assert "验证准确率" in shown and "损失" in shown and "吞吐量" in shown
    body = page.locator("body").inner_text()
    assert english_sentences(shown) == [] and english_sentences(body) == [], english_sentences(shown + body)
    # One error: an emptied learning rate.
    lr = page.get_by_label("学习率", exact=True)
    lr.fill("")
    lr.press("Tab")
    page.locator("#train-start").click()
    toast = error_toast(page, "学习率为空", timeout=30_000)
    assert chinese(toast), toast
    wait_text(page, "#train-status", "未开始")
    assert page.errors == []


@pytest.mark.browser
def test_the_same_tabs_in_an_en_us_browser_stay_english(page_in):
    page = page_in("en-US")
    page.get_by_role("tab", name="Inside").click()
    wait_text(page, "#inside-caption-a", "Red: most evidence", timeout=180_000)
    wait_text(page, "#inside-fm-caption", "channels of", timeout=120_000)
    assert not CJK.search(page.locator("body").inner_text())
    page.get_by_role("tab", name="Train").click()
    lr = page.get_by_label("Learning rate", exact=True)
    lr.fill("")
    lr.press("Tab")
    page.locator("#train-start").click()
    error_toast(page, "The learning rate is empty", timeout=30_000)
    wait_text(page, "#train-status", "Not started")
    assert not CJK.search(page.locator("body").inner_text())
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_experiment_and_a_comparison_in_a_zh_cn_browser(page_in):
    page = page_in("zh-CN")
    page.get_by_role("tab", name="训练").click()
    train_runs_test._experiment_then_compare(page, "运行实验", "完成", "要比较的训练")
    page.wait_for_timeout(800)
    page.locator("#deg-panel").screenshot(path="/tmp/train_degradation_zh.png")
    page.locator("#cmp-panel").screenshot(path="/tmp/train_compare_zh.png")
    shown = "\n".join(page.inner_text(r) for r in ("#deg-panel", "#cmp-panel"))
    assert english_sentences(shown) == [], english_sentences(shown)
    assert page.errors == []
