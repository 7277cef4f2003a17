"""Issue 15 in the Architecture tab: emptied boxes get a sentence, an error hides no input and leaves no old
result on screen, clearing the comparison clears it, a search without a match says so, bubble labels do not
collide and table cells do not break words."""
from __future__ import annotations

import gradio as gr
import pytest

from lab.ui import architecture as arch
from tests.ui.polish import broken_words, empty, error_toast, pills, wait_text

SETTING = dict(model="alexnet", timm_name="", resolution=224, channels=3, classes=1000, view="Stages", search="")


@pytest.mark.parametrize("box, what", [("resolution", "Input resolution (px)"), ("channels", "Input channels"),
                                       ("classes", "Classes")])
@pytest.mark.parametrize("typed", [None, "", "abc", 2.5, 0])
def test_every_number_box_gets_a_sentence_before_any_work(box, what, typed):
    with pytest.raises(gr.Error) as e:
        arch.change_settings(**{**SETTING, box: typed})
    assert e.value.message.startswith(what) and "whole number from 1 to" in e.value.message, e.value.message


def _loaded(page) -> None:
    wait_text(page, "#arch-table", "layer1", timeout=60_000)


@pytest.mark.browser
def test_an_emptied_resolution_box_is_a_sentence_not_pills(page):
    _loaded(page)
    empty(page, "#arch-resolution input[type=number]")
    assert "type a whole number from 1 to 1024" in error_toast(page, "Input resolution (px) is empty")
    assert "Something went wrong" not in " ".join(page.locator(".toast-body").all_inner_texts())
    wait_text(page, "#arch-totals", "No results for this setting")
    assert pills(page) == []
    assert page.errors == []


@pytest.mark.browser
def test_a_mistyped_timm_name_leaves_every_input_editable(page):
    _loaded(page)
    timm = page.get_by_label("…or any timm architecture")
    timm.fill("convnxt_tiny")
    timm.press("Enter")
    assert "Did you mean timm:convnext_tiny" in error_toast(page, "timm has no architecture named 'convnxt_tiny'")
    wait_text(page, "#arch-totals", "No results for this setting")
    assert pills(page) == []  # neither on the inputs nor over the sentences
    assert timm.is_editable()
    for box in ("number input for Input resolution (px)", "Input channels", "Classes"):
        assert page.get_by_label(box, exact=True).first.is_editable(), box
    timm.fill("convnext_tiny")  # the user fixes the name where they typed it
    timm.press("Enter")
    wait_text(page, "#arch-totals", "28,589,128")


@pytest.mark.browser
def test_after_an_error_no_result_of_the_previous_setting_stays(page):
    _loaded(page)
    page.locator("#arch-model input").click()
    page.get_by_role("option", name="AlexNet · alexnet", exact=True).click()
    wait_text(page, "#arch-totals", "61,100,840")
    resolution = page.locator("#arch-resolution input[type=number]")
    resolution.fill("32")
    resolution.press("Enter")
    error_toast(page, "too small for alexnet")
    wait_text(page, "#arch-totals", "No results for this setting")
    assert "224" not in page.locator("#arch-totals").inner_text()
    assert page.locator("#arch-table [role=gridcell]").count() == 0
    for chart in ("arch-pyramid", "arch-rf", "arch-params", "arch-macs"):
        assert page.locator(f"#{chart} .js-plotly-plot").count() == 0, chart
    page.get_by_label("Every layer").check()  # refolding has no summary to show
    page.wait_for_timeout(500)
    assert page.locator("#arch-table [role=gridcell]").count() == 0
    resolution.fill("63")
    resolution.press("Enter")
    wait_text(page, "#arch-totals", "3×63×63")
    assert pills(page) == []


@pytest.mark.browser
def test_clearing_the_comparison_clears_the_chart_and_the_table(page):
    wait_text(page, "#arch-compare", "googlenet", timeout=60_000)
    page.get_by_label("Networks to compare").locator("xpath=..").locator("[title=Clear]").click()
    page.wait_for_function("() => !document.querySelector('#arch-compare .js-plotly-plot')", timeout=10_000)
    assert page.locator("#arch-compare-table [role=gridcell]").count() == 0
    wait_text(page, "#arch-compare-note", "Pick networks to compare")


@pytest.mark.browser
def test_a_search_without_a_match_says_so(page):
    _loaded(page)
    search = page.get_by_label("Search layers")
    search.press_sequentially("xyz")  # typed: Gradio's input event follows keystrokes
    wait_text(page, "#arch-table-note", "No layer matches “xyz”")
    search.press("Control+a")
    search.press_sequentially("layer3")
    wait_text(page, "#arch-table", "layer3")
    page.wait_for_function("() => !document.querySelector('#arch-table-note').innerText.trim()", timeout=10_000)


_LABELS_JS = """() => [...document.querySelectorAll('#arch-compare g.trace.scatter')].flatMap(trace => {
  const points = [...trace.querySelectorAll('.points path.point')].map(p => p.getBoundingClientRect().toJSON());
  return [...trace.querySelectorAll('.text text')].map((t, i) => ({name: t.textContent,
                                                                  label: t.getBoundingClientRect().toJSON(),
                                                                  bubble: points[i]}));
})"""


def _overlap(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and \
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 1000])
def test_bubble_labels_cover_no_other_label_or_bubble(page, width):
    page.set_viewport_size({"width": width, "height": 1000})
    wait_text(page, "#arch-compare", "googlenet", timeout=60_000)
    picks = page.get_by_label("Networks to compare")
    for name in ("resnet18", "resnet34", "mobilenet_v3_small"):  # googlenet's and MobileNet's neighbours
        picks.click()
        picks.press_sequentially(name)
        page.get_by_role("option", name=name, exact=True).click()
        wait_text(page, "#arch-compare", name)
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    found = page.evaluate(_LABELS_JS)
    assert len(found) == len(arch.DEFAULT_COMPARE) + 3
    clashes = [(a["name"], b["name"]) for i, a in enumerate(found) for b in found[i + 1:]
               if _overlap(a["label"], b["label"]) or _overlap(a["label"], b["bubble"]) or
               _overlap(b["label"], a["bubble"])]
    assert clashes == []
    page.locator("#arch-compare").screenshot(path=f"/tmp/shots/arch_compare_labels_{width}px.png")


@pytest.mark.browser
def test_layer_table_cells_keep_their_words_whole(page):
    page.set_viewport_size({"width": 1100, "height": 1000})  # a classroom laptop's browser window
    _loaded(page)
    for view, row in (("Stages", "layer4 (Sequential"), ("Depth 1", "Sequential (12 calls)"),
                      ("Every layer", "layer1.0.conv1")):
        page.get_by_label(view, exact=True).check()
        wait_text(page, "#arch-table", row)
        page.wait_for_timeout(500)  # the columns are sized after the rows arrive
        assert broken_words(page, "#arch-table") == [], view
    assert broken_words(page, "#arch-compare-table") == []
