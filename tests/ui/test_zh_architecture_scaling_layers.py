"""Chinese, end to end, in the Architecture, Scaling and Layers tabs (issue 11, item 8): what the handlers
format (captions, totals, notes, table headers, plot titles, axes and hover text) and every error a student
can cause is Chinese for a zh-CN request, and still English for any other."""
from __future__ import annotations

import re

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lab import inspect as li
from lab import layer_math as L
from lab import scaling as S
from lab.models import list_models, model_info
from lab.ui import architecture as arch
from lab.ui import common
from lab.ui import layers as lay
from lab.ui import scaling as sc
from lab.ui.text.architecture import CARDS_ZH

CJK = re.compile(r"[\u4e00-\u9fff]")
# An English sentence: four or more plain words in a row (a word: a capital or small letter, then small ones;
# "ImageNet", "GMACs", "resnet18" or "features.0" are names, not words).
ENGLISH = re.compile(r"(?<![\w.])[A-Za-z][a-z]+(?:[ '’\-]{1,3}[A-Za-z][a-z]+){3,}(?![\w.])")
# Names that are English words in a row and stay as they are: the papers' titles (a citation) and one nickname.
ALLOWED = sorted({model_info(n).paper for n in list_models() if model_info(n).paper} | {"One weird trick"},
                 key=len, reverse=True)


def english_sentences(text: str) -> list[str]:
    """The English sentences in ``text``, plotly's %{fields} and HTML tags left out, allowed names removed."""
    text = re.sub(r"%\{[^}]*\}|<[^>]+>", " ", text)
    for name in ALLOWED:
        text = text.replace(name, " ")
    return ENGLISH.findall(text)


def assert_chinese(*texts: str) -> None:
    for text in texts:
        assert CJK.search(text), text
        assert english_sentences(text) == [], text


def assert_english(*texts: str) -> None:
    for text in texts:
        assert not CJK.search(text), text


def figure_texts(fig: go.Figure) -> list[str]:
    """What a figure shows in words: its title, axis titles, subplot titles, legend names and hover templates."""
    layout = fig.layout.to_plotly_json()
    texts = [fig.layout.title.text] + [axis.get("title", {}).get("text") for key, axis in layout.items()
                                       if key.startswith(("xaxis", "yaxis"))]
    texts += [a.text for a in fig.layout.annotations or ()]
    for trace in fig.data:
        texts += [t for t in (trace.name, getattr(trace, "hovertemplate", None)) if t]
        hover = getattr(trace, "hovertext", None)
        if hover is not None and len(hover):
            texts.append(hover[0])
    return [t for t in texts if t]


def frame_texts(frame) -> list[str]:
    return [str(c) for c in frame.columns] + [str(v) for row in frame.values.tolist() for v in row]


def _no_english(texts) -> None:
    assert [t for t in texts if english_sentences(t)] == []


def zh_error(fn, *args, **kwargs) -> str:
    """The toast a zh-CN student gets from the handler (wrapped in user_errors, as the tabs wire them)."""
    with common.language(common.ZH), pytest.raises(gr.Error) as e:
        common.user_errors(fn)(*args, **kwargs)
    return e.value.message


def test_the_detector_finds_english_and_lets_names_pass():
    assert english_sentences("The input is too small for vgg16") == ["The input is too small for"]
    assert english_sentences("ResNet · resnet18 · 11,689,512 个参数 · features.0 (Conv2d, BatchNorm2d, ReLU)") == []
    assert english_sentences(f"[{model_info('resnet18').paper}](https://arxiv.org/abs/1512.03385)") == []


# ------------------------------------------------------------------------------------------ Architecture


def test_architecture_in_chinese():
    with common.language(common.ZH):
        shown, compared = arch.Shown(*arch.first_load()[:11]), arch.Compared(*arch.first_load()[11:])
        assert_chinese(shown.card, shown.totals, shown.code_caption, compared.note or "无")
        assert list(shown.table.columns) == ["阶段", "输出 C×H×W", "调用次数", "参数量", "MACs", "占 MACs 的 %",
                                             "感受野（px）", "跳距（px）"]
        _no_english(frame_texts(shown.table))
        for fig in (shown.pyramid, shown.rf, shown.params_plot, shown.macs_plot, compared.plot):
            assert_chinese(fig.layout.title.text)
            _no_english(figure_texts(fig))
        assert all(CJK.search(t) for t in figure_texts(shown.pyramid))  # title, axes, both traces and hover
        assert CJK.search(compared.plot.data[0].hovertemplate)
        assert list(compared.table.columns)[:3] == ["网络", "系列", "年份"]
        folded, _ = arch.change_view(shown.state, "Depth 1", "")
        assert "Sequential（12 次调用）" in folded["类型"].tolist()
        empty, note = arch.change_view(shown.state, "Every layer", "no such layer")
        assert len(empty) == 0 and list(empty.columns)[:3] == ["#", "层", "类型"]
        assert_chinese(note)
        g = arch.Shown(*arch.change_settings("googlenet", "", 224, 3, 1000, "Stages", ""))
        assert_chinese(g.totals, g.card)  # the aux classifiers run only while training: said in Chinese
        assert "（仅训练时）" in " ".join(g.table["阶段"])
        missing = arch.compare(["nin", "resnet18"]).note
        assert_chinese(missing)
        assert list(arch.failed().table.columns)[0] == "阶段" and list(arch.no_comparison().table.columns)[0] == "网络"


def test_architecture_still_english_elsewhere():
    shown = arch.Shown(*arch.first_load()[:11])
    assert_english(shown.card, shown.totals, shown.code_caption, shown.pyramid.layout.title.text)
    assert list(shown.table.columns)[0] == "Stage"
    assert "Sequential (12 calls)" in arch.change_view(shown.state, "Depth 1", "")[0]["Type"].tolist()


@pytest.mark.parametrize("name", list_models() + ["timm:convnext_tiny"])
def test_every_model_card_is_chinese(name):
    info = model_info(name)
    assert info.key_idea in CARDS_ZH and (not info.note or info.note in CARDS_ZH)
    with common.language(common.ZH):
        assert_chinese(arch._card(name))


@pytest.mark.parametrize("setting, chinese", [
    (dict(resolution=None), "输入分辨率（px）为空：请输入整数（1 到 1024）。"),
    (dict(model="vgg16", resolution=16), "输入（16×16 px）对 vgg16 来说太小了：特征图在 features.30 (MaxPool2d) 处消失"),
    (dict(model="googlenet", resolution=8), "GoogLeNet 需要至少 15x15 像素的图像"),
    (dict(model="inception_v3", resolution=40), "这里的 Inception-v3 需要至少 75x75 像素的图像"),
    (dict(model="alexnet", channels=1), "alexnet 接受 3 通道的图像"),
    (dict(model="", timm_name=""), "请先从列表中选一个网络"),
    (dict(timm_name="convnxt_tiny"), "timm 中没有名为 'convnxt_tiny' 的架构。你是不是想找 timm:convnext_tiny"),
    (dict(model="resnt18"), "未知的模型 'resnt18'。你是不是想找 resnet18"),
])
def test_architecture_errors_are_chinese(setting, chinese):
    args = {**dict(model="resnet18", timm_name="", resolution=224, channels=3, classes=1000, view="Stages",
                   search=""), **setting}
    message = zh_error(arch.change_settings, **args)
    assert chinese in message
    assert_chinese(message)


# ------------------------------------------------------------------------------------------ Scaling


COMPOUND = dict(mode=sc.TEXT["mode_compound"], phi=1.0, alpha=S.ALPHA, beta=S.BETA, gamma=S.GAMMA, width=1.1,
                depth=1.2, resolution=258)


def test_scaling_in_chinese():
    with common.language(common.ZH):
        shown = sc.Shown(*sc.refresh(**COMPOUND))
        assert_chinese(shown.summary, shown.compound_note)
        assert "第 " in shown.summary and "扩展" in shown.summary  # where the peak activation is
        assert list(shown.table.columns)[:4] == ["阶段", "算子", "卷积核", "步幅"]
        for fig in (shown.flops_plot, shown.acc_plot):
            assert_chinese(fig.layout.title.text, fig.layout.yaxis.title.text)
            _no_english(figure_texts(fig))
        assert {t.name for t in shown.flops_plot.data} >= {"只放大深度", "只放大宽度", "只放大分辨率", "复合缩放", "你的网络"}
        assert CJK.search(shown.flops_plot.data[-1].hovertemplate)  # the star: "你：φ=…"
        assert CJK.search(shown.acc_plot.data[0].hovertemplate)
        assert_chinese(sc.verify(1.0, 1.0, 224, progress=lambda *a, **k: None))
        summary, table = sc.mobilenet(0.5, 160)
        assert_chinese(summary)
        assert list(table.columns)[:2] == ["层", "类型"] and "深度可分离卷积" in table["类型"].tolist()
        family = sc._family_frame()
        assert list(family.columns)[:3] == ["模型", "φ", "宽度（官方）"]
        assert list(sc.failed().table.columns)[0] == "阶段" and list(sc.mobilenet_failed()[1].columns)[0] == "层"


def test_scaling_still_english_elsewhere():
    shown = sc.Shown(*sc.refresh(**COMPOUND))
    assert_english(shown.summary, shown.compound_note, shown.flops_plot.layout.title.text)
    assert f"(here {S.efficientnet_cost(1.1, 1.2, 258).peak_activation_where})" in shown.summary
    assert list(shown.table.columns)[0] == "Stage"


@pytest.mark.parametrize("fn, args, chinese", [
    (sc.refresh, {**COMPOUND, "phi": 7.0, "alpha": 1.4}, "φ = 7、α = 1.4 时，深度 α^φ = 10.54，超出了本实验室能搭建的"),
    (sc.refresh, {**COMPOUND, "phi": 7.0, "beta": 1.3}, "宽度 β^φ = 6.275"),
    (sc.refresh, {**COMPOUND, "phi": 7.0, "gamma": 1.4}, "分辨率 224·γ^φ = 2361"),
    (sc.refresh, {**COMPOUND, "phi": None}, "φ（复合系数）为空"),
    (sc.mobilenet, dict(alpha=None, resolution=224), "α（宽度因子）为空"),
    (sc.scale, dict(width_mult=5, depth_mult=1, resolution=224), "width_mult = 5 超出了本实验室接受的范围 0.25 到 4（B0 为 1.0，B7 为 2.0）"),
    (sc.scale, dict(width_mult=1, depth_mult=1, resolution=9000), "（B0 用 224 px，B7 用 600 px）"),
])
def test_scaling_errors_are_chinese(fn, args, chinese):
    message = zh_error(fn, **args)
    assert chinese in message
    assert_chinese(message)


# ------------------------------------------------------------------------------------------ Layers


CONV = dict(c_in=3, c_out=64, size=224, k=7, s=2, p=3, d=1, g=1, bias=False)
WINDOW = dict(side=6, seed=0, kernel_name="sobel x (vertical edges)", pool_k=2, stride=1, padding=1)


def test_layers_in_chinese():
    with common.language(common.ZH):
        cost = lay.conv_cost(**CONV)
        assert_chinese(cost.result, cost.compare)
        assert "**输出**：64 × 112 × 112" in cost.result
        for op in L.OPS:
            fig, caption, _ = lay.window_start(op, **WINDOW)
            assert_chinese(caption, *[a.text for a in fig.layout.annotations])
        step = lay.window_step("max pooling", **WINDOW, position=3)
        assert step.caption.startswith("第 4 步，共 49 步") and "窗口的最大值" in step.caption


def test_layers_still_english_elsewhere():
    cost = lay.conv_cost(**CONV)
    assert_english(cost.result, cost.compare)
    assert cost.result.startswith("**Output**: 64 × 112 × 112")
    for op in ("max pooling", "average pooling"):  # the tab's English is lab's own sentence
        caption = lay.window_step(op, **WINDOW, position=3).caption
        x = np.random.default_rng(0).integers(0, 10, size=(6, 6)).astype(float)
        assert caption.endswith(L.sliding_window(x, op, 2, 1, 1)[2][3].explanation)


@pytest.mark.parametrize("fn, args, chinese", [
    (lay.conv_cost, {**CONV, "g": 5}, "分组数（5）必须同时整除 C_in（3）和 C_out（64）"),
    (lay.conv_cost, {**CONV, "size": 1, "k": 11, "p": 0}, "卷积核覆盖 11 px"),
    (lay.conv_cost, {**CONV, "g": None}, "分组数（groups）为空：请输入整数（至少 1）。"),
    (lay.window_start, {"op": "max pooling", **WINDOW, "pool_k": 2, "padding": 2}, "池化的填充最多为窗口的一半（1）"),
    (lay.kernel_images, dict(image=None, kernel_name="sharpen", stride=None), "步幅 s为空"),
])
def test_layers_errors_are_chinese(fn, args, chinese):
    message = zh_error(fn, **args)
    assert chinese in message
    assert_chinese(message)


# ------------------------------------------------------------------------------------------ lab's sentences


@pytest.mark.parametrize("cause", [
    lambda: li.summarize("lenet5", (3, 8, 8)),
    lambda: li.summarize("alexnet", (3, 2000, 2000)),
    lambda: li.summarize("alexnet", (3, 224, 224), 0),
    lambda: li.summarize("alexnet", (9999, 224, 224)),
    lambda: li.summarize("resnet18", (3, 0, 0)),
    lambda: li.summarize("resnet18", 224),
    lambda: li.summarize("qqqq"),
    lambda: li.summarize("timm:zzzzzz"),
    lambda: li.summarize("resnet18").fold(0),
    lambda: S.mobilenet_resolution(0.3),
    lambda: S.efficientnet_cost(1, 9, 224),
    lambda: S.efficientnet_cost(float("nan"), 1, 224),
    lambda: L.output_size(0, 3),
    lambda: L.output_size(8, 3, stride=0),
    lambda: L.output_size(8, 3, padding=-1),
    lambda: L.sliding_window(np.zeros((4, 4)), "median", 2),
    lambda: L.apply_kernel(np.zeros((4, 4)), "blurry"),
    lambda: L.activation_curves(["tanhh"]),
])
def test_lab_sentences_reach_a_chinese_student_in_chinese(cause):
    with pytest.raises(ValueError) as e:
        cause()
    chinese = common.translate_error(str(e.value), common.ZH)
    assert chinese != str(e.value)
    assert_chinese(chinese)


# ------------------------------------------------------------------------------------------ browser



# What the open tab shows in words: its text (code views left out: Python is code), the plots' SVG text and
# the toasts.
_SCREEN_JS = """() => {
  const tab = [...document.querySelectorAll('[role=tabpanel]')].find(t => t.offsetParent) ?? document.body;
  const clone = tab.cloneNode(true);
  clone.querySelectorAll('.cm-editor, pre, code').forEach(e => e.remove());
  const hidden = document.createElement('div');
  hidden.style.cssText = 'position:absolute; left:-99999px; width:1400px';
  hidden.appendChild(clone);
  document.body.appendChild(hidden);
  const text = clone.innerText;
  hidden.remove();
  const svg = [...tab.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent).join('\\n');
  const toasts = [...document.querySelectorAll('.toast-body')].map(t => t.innerText).join('\\n');
  return text + '\\n' + svg + '\\n' + toasts;
}"""


def screen_text(page) -> str:
    return page.evaluate(_SCREEN_JS)


def _wait(page, selector: str, text: str, timeout: float = 60_000) -> None:
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.innerText ?? '').includes(t)",
                           arg=[selector, text], timeout=timeout)


def _toast(page, text: str) -> str:
    page.wait_for_function(
        "t => [...document.querySelectorAll('.toast-body.error')].some(e => e.innerText.includes(t))",
        arg=text, timeout=30_000)
    return next(t for t in page.locator(".toast-body.error").all_inner_texts() if text in t)


def _close_toasts(page) -> None:
    for close in page.locator(".toast-close").all():
        close.click()
    page.wait_for_timeout(300)


def _architecture_zh(page) -> None:
    _wait(page, "#arch-table", "layer4")
    _wait(page, "#arch-totals", "个参数")
    page.locator("#arch-model input").click()
    page.get_by_role("option", name="GoogLeNet · googlenet").click()
    _wait(page, "#arch-totals", "只在训练时运行")
    page.get_by_label("深度 1").check()
    _wait(page, "#arch-table", "次调用")
    search = page.get_by_label("搜索层")
    search.press_sequentially("xyz")  # typed: Gradio's input event follows keystrokes
    _wait(page, "#arch-table-note", "没有与")
    search.press("Control+a")
    search.press_sequentially("inception")
    _wait(page, "#arch-table", "inception3a")
    resolution = page.locator("#arch-resolution input[type=number]")
    resolution.fill("8")
    resolution.press("Enter")
    # The toast's heading "Error" is Gradio's own (6.31 capitalises the toast's type), not the app's.
    assert CJK.search(_toast(page, "GoogLeNet 需要至少 15x15 像素的图像"))
    _wait(page, "#arch-totals", "这组设置没有结果")
    problems = english_sentences(screen_text(page))
    page.screenshot(path="/tmp/zh_architecture_error.png", full_page=True)
    _close_toasts(page)
    resolution.fill("224")
    resolution.press("Enter")
    _wait(page, "#arch-totals", "个参数")
    page.wait_for_timeout(1_000)
    page.screenshot(path="/tmp/zh_architecture.png", full_page=True)
    assert problems + english_sentences(screen_text(page)) == []


def _scaling_zh(page) -> None:
    page.get_by_role("tab", name="网络缩放").click()
    _wait(page, "#scaling-summary", "个参数")
    _wait(page, "#scaling-m-summary", "两者一致")
    page.get_by_role("button", name="B3", exact=True).click()
    _wait(page, "#scaling-compound-note", "自由设置模式")
    page.get_by_role("button", name="在搭建好的网络上计数（lab.inspect）").click()
    _wait(page, "#scaling-verified", "完全一致")
    page.get_by_label("复合缩放", exact=True).check()
    _wait(page, "#scaling-compound-note", "预测的 FLOPs 倍数")
    phi = page.locator("#scaling-phi input[type=number]")
    phi.fill("7")
    phi.press("Enter")
    _wait(page, "#scaling-summary", "个参数")
    alpha = page.get_by_label("number input for α（深度基数）", exact=True)
    alpha.fill("1.4")
    alpha.press("Enter")
    assert CJK.search(_toast(page, "超出了本实验室能搭建的"))
    _wait(page, "#scaling-summary", "这组设置没有结果")
    problems = english_sentences(screen_text(page))
    page.screenshot(path="/tmp/zh_scaling_error.png", full_page=True)
    _close_toasts(page)
    alpha.fill("1.2")
    alpha.press("Enter")
    _wait(page, "#scaling-summary", "个参数")
    page.wait_for_timeout(1_000)
    page.screenshot(path="/tmp/zh_scaling.png", full_page=True)
    assert problems + english_sentences(screen_text(page)) == []


def _layers_zh(page) -> None:
    page.get_by_role("tab", name="基本层").click()
    _wait(page, "#layers-result", "64 × 112 × 112")
    _wait(page, "#layers-window-caption", "第 1 步")
    page.get_by_label("最大池化").check()
    _wait(page, "#layers-window-caption", "窗口的最大值")
    # The new walk's first window is drawn before the slider is put back at 0 over its new range (a second,
    # quiet event): a position typed in between is reset by it, as it would be for a very fast student. Type
    # it again until the walk is at step 4.
    position = page.locator("#layers-position input[type=number]")
    for timeout in (10_000, 10_000, 60_000):
        position.fill("3")
        position.press("Enter")
        try:
            _wait(page, "#layers-window-caption", "第 4 步", timeout=timeout)
            break
        except PlaywrightTimeout:
            if timeout == 60_000:
                raise
    groups = page.locator("#layers-groups input")
    groups.fill("5")
    groups.press("Enter")
    assert CJK.search(_toast(page, "分组数（5）必须同时整除"))
    _wait(page, "#layers-result", "这组设置没有结果")
    problems = english_sentences(screen_text(page))
    page.screenshot(path="/tmp/zh_layers_error.png", full_page=True)
    _close_toasts(page)
    groups.fill("1")
    groups.press("Enter")
    _wait(page, "#layers-result", "64 × 112 × 112")
    page.wait_for_timeout(1_000)
    page.screenshot(path="/tmp/zh_layers.png", full_page=True)
    assert problems + english_sentences(screen_text(page)) == []


@pytest.mark.browser
def test_a_zh_cn_student_reads_chinese_after_every_action(page_in):
    """Each tab's main actions and one mistake in a zh-CN browser: Chinese on screen, toasts included, and no
    English sentence (screenshots in /tmp/zh_<tab>.png and /tmp/zh_<tab>_error.png)."""
    page = page_in("zh-CN")
    _architecture_zh(page)
    _scaling_zh(page)
    _layers_zh(page)
    assert page.errors == []


@pytest.mark.browser
def test_an_en_us_student_still_reads_english(page_in):
    page = page_in("en-US")
    _wait(page, "#arch-totals", "parameters")
    timm = page.locator("#arch-timm textarea, #arch-timm input").first
    timm.fill("convnxt_tiny")
    timm.press("Enter")
    assert "Did you mean timm:convnext_tiny" in _toast(page, "timm has no architecture named 'convnxt_tiny'")
    _wait(page, "#arch-totals", "No results for this setting")
    page.get_by_role("tab", name="Scaling").click()
    _wait(page, "#scaling-summary", "M parameters")
    page.get_by_role("tab", name="Layers").click()
    _wait(page, "#layers-window-caption", "Step 1 of")
    for tab in ("Architecture", "Scaling", "Layers"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)
        # The English quotes the notes' one term (Scaling: "the notes call it 参数量").
        assert not CJK.search(screen_text(page).replace("参数量", "")), tab
    assert page.errors == []
