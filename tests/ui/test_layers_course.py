"""The Layers tab's course panels (issue 12, items 3, 4 and 8): batch norm from scratch and through depth,
blocks side by side, the MLP against a CNN, Swish's β and softmax. The handlers' numbers are lab's, the
sentences Chinese for a zh-CN request, and in a browser each panel follows its inputs (screenshots in
/tmp/layers_<panel>_<locale>.png)."""
from __future__ import annotations

import gradio as gr
import pytest

from lab import batchnorm as B
from lab import blocks as BL
from lab import layer_math as L
from lab.ui import common
from lab.ui import layers as lay
from lab.ui import layers_deep as deep
from lab.ui.text.layers import TEXT, TEXT_ZH
from tests.ui.polish import error_toast, wait_text
from tests.ui.test_zh_architecture_scaling_layers import assert_chinese, assert_english, english_sentences, \
    figure_texts, screen_text, zh_error

WALK = dict(batch=4, channels=3, step=5, gamma=1.5, beta=0.5, seed=0)


def test_the_walk_shows_labs_numbers_and_eval_uses_the_moving_averages():
    steps, _, _ = B.walk(4, 3, 5, 0, 1.5, 0.5)
    train, evaluation = deep.bn_walk(**WALK, mode="train"), deep.bn_walk(**WALK, mode="eval")
    assert f"{float(steps[-1].x[0, 0]):.3f}" in train.batch
    assert f"{float(steps[-1].train.y[0, 0]):.3f}" in train.batch
    assert f"{float(steps[-1].eval.y[0, 0]):.3f}" in evaluation.batch
    assert f"{float(steps[-1].train.y[0, 0]):.3f}" not in evaluation.batch
    assert "μ = [" + ", ".join(f"{float(v):.3f}" for v in steps[-1].train.running_mean) + "]" in evaluation.batch
    assert train.moving == evaluation.moving and "after step 5" in train.moving
    assert "momentum = 0.9" in train.moving and "momentum = 0.1" in train.moving


def test_the_drift_caption_is_the_plots_last_layer():
    fig, caption = deep.bn_drift(20, "PyTorch default")
    without = B.drift(20, "PyTorch default")
    assert fig.data[0].y[-1] == pytest.approx(without[-1].std) and fig.layout.yaxis.type == "log"
    assert f"spread {without[-1].std:.3g} without" in caption and "1.000 with it" in caption


def test_the_blocks_table_holds_the_notes_numbers_with_check_marks():
    table = deep.compare_blocks("bottleneck", None, None)
    assert "on a 256 × 56 × 56 input" in table
    assert "| 589,824 | 3×3×256×256 = 589,824 | ✓ |" in table
    assert "| 69,632 | 1×1×64×256 + 3×3×64×64 + 1×1×256×64 = 69,632 | ✓ |" in table
    assert "on a 128 × 28 × 28 input" in deep.compare_blocks("vgg_stack", 128, 28)
    assert f"{27 * 128 * 128:,}" in deep.compare_blocks("vgg_stack", 128, 28)


def test_the_mlp_is_the_notes_29401088_and_lenet_is_measured():
    mlp, cnn = lay.mlp_vs_cnn("3072, 4096, 4096, 10", "lenet5")
    assert "**29,401,088 weights**" in mlp and "29,409,290 parameters" in mlp and "✓" in mlp
    assert "**62,006 parameters**" in cnn and "474× fewer" in cnn  # 29,409,290 / 62,006
    mlp, _ = lay.mlp_vs_cnn("3072 → 512 -> 10", "resnet20_cifar")
    assert f"{L.mlp_params([3072, 512, 10])[0]:,} parameters" in mlp and "✓" not in mlp


@pytest.mark.parametrize("typed, sentence", [
    ("", "Type the MLP's layer widths"), ("abc", "'abc' is not one"), ("3072", "you typed 1"),
    ("3072, 99999999", "'99999999' is not one"), ("3072, 0", "'0' is not one"), (None, "must be text"),
])
def test_bad_widths_are_a_sentence_saying_what_to_type(typed, sentence):
    with pytest.raises(gr.Error) as e:
        common.user_errors(lay.mlp_vs_cnn)(typed, "lenet5")
    assert sentence in e.value.message


def test_swish_and_softmax():
    fig, caption = lay.swish_figure(5)
    assert fig.data[0].name == "Swish, β = 5" and "0.056" in caption  # 0.2785 / 5
    fig, caption = lay.softmax_figure("2, 1, 0.1", 1)
    assert list(fig.data[0].y) == pytest.approx(L.softmax([2, 1, 0.1]))
    assert "sum to 1.000000" in caption and "0.659 (class 1)" in caption
    hot = lay.softmax_figure("2, 1, 0.1", 10)[1]
    assert f"the largest is {max(L.softmax([2, 1, 0.1], 10)):.3f}" in hot and "smallest 0.303" in hot  # flat at T = 10
    for typed, sentence in (("", "Type the logits"), ("2, x", "'x' is not one"), ("1e9", "'1e9' is not one"),
                            ("nan", "'nan' is not one")):
        with pytest.raises(gr.Error) as e:
            common.user_errors(lay.softmax_figure)(typed, 1)
        assert sentence in e.value.message


def test_the_padding_sentence_holds_output_sizes_figures():
    assert L.output_size(7, 3, 2, 1) == 4 and L.output_size(5, 3, 2, 1) == 3
    assert "(7 − 3 + 2)/2 + 1 = 4" in TEXT["arith"] and "(5 − 3 + 2)/2 + 1 = 3" in TEXT["arith"]
    assert "(7 − 3 + 2)/2 + 1 = 4" in TEXT_ZH["arith"]


def test_the_panels_in_chinese():
    with common.language(common.ZH):
        for mode in deep.MODES:
            walked = deep.bn_walk(**WALK, mode=mode)
            assert_chinese(walked.batch, walked.moving)
        fig, caption = deep.bn_drift(12, "N(0, 1)")
        assert_chinese(caption, *figure_texts(fig)[:4])  # the subplot titles and axes
        for name in BL.COMPARISONS:  # every block's label has its Chinese
            assert_chinese(deep.compare_blocks(name, None, None))
        assert_chinese(*lay.mlp_vs_cnn("3072, 4096, 4096, 10", "lenet5"))
        for fig, caption in (lay.swish_figure(2), lay.softmax_figure("1, 2, 3", 0.5)):
            assert_chinese(caption)
            assert [t for t in figure_texts(fig) if english_sentences(t)] == []
    walked = deep.bn_walk(**WALK, mode="eval")
    assert_english(walked.batch, walked.moving, deep.compare_blocks("se", None, None))


@pytest.mark.parametrize("fn, args, chinese", [
    (lay.mlp_vs_cnn, ("abc", "lenet5"), "层宽度必须是 1 到 100,000 之间的整数"),
    (lay.mlp_vs_cnn, ("", "lenet5"), "请输入 MLP 各层的宽度"),
    (lay.softmax_figure, ("", 1), "请输入 logits"),
    (deep.compare_blocks, ("vgg_stack", 6, 56), "模块按 4 到 1024 个通道（4 的倍数）"),
    (deep.bn_walk, (None, 3, 1, 1, 0, 0, "train"), "批量大小 N为空"),
])
def test_the_panels_errors_are_chinese(fn, args, chinese):
    message = zh_error(fn, *args)
    assert chinese in message
    assert_chinese(message)


# ------------------------------------------------------------------------------------------ browser


def _shoot(page, selector: str, name: str, height: int = 1000) -> None:
    """A screenshot of the panel whose control ``selector`` is, from its heading down ``height`` px."""
    for close in page.locator(".toast-close").all():
        close.click()
    top = page.evaluate("s => document.querySelector(s).getBoundingClientRect().top + window.scrollY - 150",
                        selector)
    page.wait_for_timeout(600)
    page.screenshot(path=f"/tmp/layers_{name}.png", full_page=True,
                    clip=dict(x=0, y=max(0, top), width=1400, height=height))


def _type(page, selector: str, value: str) -> None:
    box = page.locator(selector)
    box.fill(value)
    box.press("Enter")


def _step_and_evaluate(page, lang: str) -> None:
    """The walk at step 5, then in evaluation mode, waiting for each answer in ``lang`` (TEXT or TEXT_ZH)."""
    text = TEXT if lang == "en" else TEXT_ZH
    page.get_by_role("tab", name=text["title"]).click()
    wait_text(page, "#bn-moving", text["bn_moving_head"].format(t=1, channels="", align="").split("\n")[0][2:-2])
    _type(page, "#bn-step input[type=number]", "5")
    wait_text(page, "#bn-moving", text["bn_moving_head"].format(t=5, channels="", align="").split("\n")[0][2:-2])
    page.get_by_label(text["bn_mode:eval"]).check()
    wait_text(page, "#bn-batch-table", text["bn_used:eval"][2:6])


@pytest.mark.browser
def test_the_batch_norm_and_blocks_panels_follow_their_inputs(page):
    _step_and_evaluate(page, "en")
    _shoot(page, "#bn-batch", "batchnorm_en")
    wait_text(page, "#drift-caption", "Layer 20:")
    page.get_by_label("N(0, 1)").check()
    _type(page, "#drift-depth input[type=number]", "12")
    wait_text(page, "#drift-caption", "Layer 12:")
    _shoot(page, "#drift-depth", "drift_en", 600)
    wait_text(page, "#blocks-table", "589,824")
    page.locator("#blocks-pick input").click()
    page.get_by_role("option", name=BL.COMPARISONS["vgg_stack"].title).click()
    wait_text(page, "#blocks-table", "three 3×3 convolutions")
    _type(page, "#blocks-channels textarea, #blocks-channels input", "128")
    wait_text(page, "#blocks-table", "128 × 56 × 56")
    _shoot(page, "#blocks-pick", "blocks_en", 700)
    assert page.errors == []


@pytest.mark.browser
def test_the_mlp_swish_and_softmax_panels_follow_their_inputs(page):
    page.get_by_role("tab", name="Layers").click()
    wait_text(page, "#mlp-table", "29,401,088")
    _type(page, "#mlp-widths textarea, #mlp-widths input", "3072, 512, 10")
    wait_text(page, "#mlp-table", f"{L.mlp_params([3072, 512, 10])[0]:,} parameters")
    _type(page, "#mlp-widths textarea, #mlp-widths input", "3072, ten")
    assert "Traceback" not in error_toast(page, "'ten' is not one")
    wait_text(page, "#mlp-table", "No results for this setting")
    _type(page, "#mlp-widths textarea, #mlp-widths input", "3072, 4096, 4096, 10")
    wait_text(page, "#mlp-table", "29,401,088")
    _shoot(page, "#mlp-widths", "mlp_en", 700)
    wait_text(page, "#swish-caption", "β = 1:")
    _type(page, "#swish-beta input[type=number]", "5")
    wait_text(page, "#swish-caption", "β = 5:")
    _type(page, "#softmax-logits textarea, #softmax-logits input", "1, 2, 3, 4")
    wait_text(page, "#softmax-caption", "(class 4)")
    _type(page, "#softmax-t input[type=number]", "5")
    wait_text(page, "#softmax-caption", "T = 5:")
    _shoot(page, "#swish-beta", "swish_en", 700)
    assert page.errors == []


@pytest.mark.browser
def test_a_zh_cn_student_reads_the_course_panels_in_chinese(page_in):
    page = page_in("zh-CN")
    _step_and_evaluate(page, "zh")
    page.get_by_label("He / Kaiming 正态").check()
    wait_text(page, "#drift-caption", "第 20 层")
    page.locator("#blocks-pick input").click()
    page.get_by_role("option", name=TEXT_ZH["cmp:inception"]).click()
    wait_text(page, "#blocks-table", "带 1×1 降维")
    _type(page, "#mlp-widths textarea, #mlp-widths input", "3072, 1024, 10")
    wait_text(page, "#mlp-table", f"{L.mlp_params([3072, 1024, 10])[0]:,} 个参数")
    _type(page, "#swish-beta input[type=number]", "3")
    wait_text(page, "#swish-caption", "β = 3：")
    _type(page, "#softmax-t input[type=number]", "0.5")
    wait_text(page, "#softmax-caption", "T = 0.5：")
    page.wait_for_timeout(800)
    for selector, name, height in (("#bn-batch", "batchnorm", 1000), ("#drift-depth", "drift", 600),
                                   ("#blocks-pick", "blocks", 700), ("#mlp-widths", "mlp", 700),
                                   ("#swish-beta", "swish", 700)):
        _shoot(page, selector, f"{name}_zh", height)
    assert english_sentences(screen_text(page)) == []
    assert page.errors == []
