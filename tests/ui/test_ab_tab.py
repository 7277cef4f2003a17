"""The A/B tab: its handler's outputs by name and in the request's language, the /ab endpoint, and the tab in an
en-US and a zh-CN browser (two networks on an example image: their names, predictions and CAMs)."""
from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

from lab import ab as lab_ab
from lab.ui import ab, common
from tests.ui.polish import error_toast, wait_text
from tests.ui.test_zh_architecture_scaling_layers import CJK, english_sentences

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CIRCLE = str(ASSETS / "shapes_circle.png")
# The shipped Shapes network against an untrained ResNet-18: two networks, two class lists, small inputs.
ARGS = (CIRCLE, "mobilenet_v2", "shapes", None, None, "resnet18", "random", None, None, "gradcam")


@pytest.fixture(scope="module")
def answers() -> dict[str, dict]:
    out = {}
    for lang in (common.EN, common.ZH):
        with common.language(lang):
            out[lang] = ab.ab.__wrapped__(*ARGS)  # the handler itself, not its cache
    return out


def test_the_handler_returns_every_output_by_name_with_lab_s_figures(answers):
    out = answers[common.EN]
    assert set(out) == set(ab.OUTPUTS)
    c = lab_ab.compare(CIRCLE, lab_ab.Pick("mobilenet_v2", "shapes"), lab_ab.Pick("resnet18", "random"), runs=1)
    assert out["predictions_a"] == {p.label: p.probability for p in c.a.predictions}
    assert out["predictions_b"] == {p.label: p.probability for p in c.b.predictions}
    assert "11.69 M" in out["figures_b"] and "1.81 G" in out["figures_b"] and "3×224×224" in out["figures_b"]
    assert "`mobilenet_v2`" in out["note_a"] and "`resnet18`" in out["note_b"] and "Random weights" in out["note_b"]
    assert out["ab_picks"]["layer_a"]["value"] == c.a.layer and out["ab_picks"]["layer_b"]["value"] == "layer4"
    assert out["verdict"].startswith("**A against B:** A puts **circle** first") and "A is the more confident" in out["verdict"]


def test_the_sentences_are_in_the_requests_language(answers):
    zh, en = answers[common.ZH], answers[common.EN]
    for key in ("verdict", "figures_a", "figures_b", "caption_a", "fm_caption_b", "note_b"):
        assert CJK.search(zh[key]) and not CJK.search(en[key]), key
        # class names and layer names stay as they are (ImageNet's English names)
        names = [p for p in zh["predictions_b"]] + [p for p in zh["predictions_a"]]
        text = zh[key]
        for name in names:
            text = text.replace(name, " ")
        assert english_sentences(text) == [], (key, text)


def test_errors_a_user_can_cause_are_sentences(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"%PDF-1.4 not a picture")
    with pytest.raises(gr.Error, match="Pick an example"):
        common.user_errors(ab.ab.__wrapped__)(None, *ARGS[1:])
    with common.language(common.ZH), pytest.raises(gr.Error, match="没有可以解释的层"):
        common.user_errors(ab.ab.__wrapped__)(CIRCLE, "mobilenet_v2", "shapes", None, "layer4", "resnet18", "random",
                                              None, None, "gradcam")


def test_ab_endpoint(client):
    from gradio_client import handle_file

    out = client.predict(image=handle_file(CIRCLE), model_a="mobilenet_v2", weights_a="shapes", model_b="resnet18",
                         weights_b="random", method="gradcam", api_name="/ab")
    named = dict(zip(ab.SHOWN, out))
    assert named["predictions_a"]["label"] == "circle" and Path(named["cam_b"]).is_file()
    assert "1.81 G" in named["figures_b"] and named["verdict"].startswith("**A against B:**")


def _pick_b_resnet18(page) -> None:
    box = page.locator("#ab-model-b input")
    box.click()
    box.fill("resnet18")
    page.get_by_role("option", name="ResNet · resnet18").click()


def _on_screen(page) -> str:
    """The tab's visible text and the pickers' values, the class names the networks answered left out (they stay
    English, as the weights name them)."""
    text = page.evaluate("""() => {
      const tab = document.querySelector('#ab-verdict').closest('[role=tabpanel]') || document.body;
      const inputs = [...tab.querySelectorAll('input')].filter(i => i.offsetParent).map(i => i.value);
      return [tab.innerText, ...inputs].join('\\n');
    }""")
    for side in "ab":
        for name in page.locator(f"#ab-predictions-{side} .label-name, #ab-predictions-{side} dt, "
                                 f"#ab-predictions-{side} .output-class").all_inner_texts():
            text = text.replace(name.strip(), " ")
    return text


@pytest.mark.browser
@pytest.mark.parametrize("locale, tab, stage", [("en-US", "A/B", "stage"), ("zh-CN", "A/B 对比", "阶段")])
def test_two_networks_side_by_side_in_the_browser(page_in, locale, tab, stage, tmp_path):
    """Two comparisons (the opening one, then B's network changed) and one error: 15-17 s each on two cores
    (31-33 s while the machine ran 15 jobs at once)."""
    page = page_in(locale)
    page.get_by_role("tab", name=tab, exact=True).click()
    wait_text(page, "#ab-note-a", "mobilenet_v2", timeout=120_000)  # the opening comparison (computed on load)
    _pick_b_resnet18(page)
    wait_text(page, "#ab-note-b", "resnet18", timeout=120_000)
    wait_text(page, "#ab-figures-b", "1.81 G", timeout=60_000)
    wait_text(page, "#ab-predictions-a", "circle")
    wait_text(page, "#ab-caption-b", "layer4")
    for side in "ab":
        page.locator(f"#ab-cam-{side} img").wait_for(timeout=30_000)
        page.locator(f"#ab-grid-{side} img").wait_for(timeout=30_000)
    assert stage in page.locator("#ab-layer-b input").input_value()
    page.wait_for_timeout(800)
    page.screenshot(path=f"/tmp/ab_{locale}.png", full_page=True, timeout=120_000)
    shown = _on_screen(page)
    if locale == "zh-CN":
        assert "A 与 B 对比" in shown and english_sentences(shown) == [], english_sentences(shown)
    else:
        assert "A against B" in shown and not CJK.search(shown)
    # A file that is no image: a sentence in the browser's language, and the stale results cleared.
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"%PDF-1.4 not a picture at all")
    page.locator("#ab-image input[type=file]").set_input_files(str(bad))
    error_toast(page, "不是可读取的图像" if locale == "zh-CN" else "not an image", timeout=60_000)
    wait_text(page, "#ab-verdict", "没有结果" if locale == "zh-CN" else "No results", timeout=30_000)
    assert page.locator("#ab-cam-a img").count() == 0
    assert page.errors == []


def test_before_and_after_training_one_network_at_two_weights(tmp_path):
    """Random against a checkpoint CNN Lab wrote (as the Train tab's run reaches the handler: a file in Gradio's
    upload folder); the checkpoint gone is a sentence."""
    from gradio.utils import get_upload_folder

    folder = Path(get_upload_folder()) / "ab-test"
    folder.mkdir(parents=True, exist_ok=True)
    ckpt = folder / "model.pt"
    ckpt.write_bytes((ASSETS / "shapes_model.pt").read_bytes())
    out = ab.ab.__wrapped__(CIRCLE, "mobilenet_v2", "random", None, None, "mobilenet_v2", "checkpoint", str(ckpt),
                            None, "gradcam")
    assert "Random weights" in out["note_a"] and "model.pt: mobilenet_v2 trained by CNN Lab" in out["note_b"]
    assert max(out["predictions_b"], key=out["predictions_b"].get) == "circle"
    assert "B is the more confident" in out["verdict"]
    ckpt.unlink()
    with pytest.raises(gr.Error, match="is gone"):
        common.user_errors(ab.ab.__wrapped__)(CIRCLE, "mobilenet_v2", "random", None, None, "mobilenet_v2",
                                              "checkpoint", str(ckpt), None, "gradcam")
