"""Issue 15 in the Scaling tab: emptied boxes get a sentence, an error hides no control and leaves no old
result on screen, and the tables do not break words."""
from __future__ import annotations

import gradio as gr
import pytest

from lab import scaling as S
from lab.ui import scaling as ui
from tests.ui.polish import broken_words, empty, error_toast, pills, wait_text

COMPOUND = dict(mode=ui.TEXT["mode_compound"], phi=1.0, alpha=S.ALPHA, beta=S.BETA, gamma=S.GAMMA, width=1.1,
                depth=1.2, resolution=258)
FREE = {**COMPOUND, "mode": ui.TEXT["mode_free"]}
BOXES = [  # (setting, box, its label at the start of the sentence, the range it states)
    (COMPOUND, "phi", "φ (compound coefficient)", "from 0 to 8"),
    (COMPOUND, "alpha", "α (depth base)", "from 1 to 2"),
    (FREE, "gamma", "γ (resolution base)", "from 1 to 2"),
    (FREE, "width", "Width multiplier w", "from 0.25 to 4"),
    (FREE, "depth", "Depth multiplier d", "from 0.25 to 8"),
    (FREE, "resolution", "Resolution r (px)", "a whole number from 32 to 1024"),
]


@pytest.mark.parametrize("setting, box, what, between", BOXES)
@pytest.mark.parametrize("typed", [None, "", "abc", 1e9])
def test_every_box_gets_a_sentence_before_any_work(setting, box, what, between, typed):
    for handler in (ui.refresh, ui.switch_mode, ui.from_compound):
        with pytest.raises(gr.Error) as e:
            ui.user_errors(handler)(**{**setting, box: typed})
        assert e.value.message.startswith(what) and between in e.value.message, e.value.message


@pytest.mark.parametrize("args, what", [((None, 224), "α (width multiplier) is empty"),
                                        ((1.0, "abc"), "ρ·224: input side in px (resolution multiplier ρ) must be"),
                                        ((1.0, None), "type a whole number from 32 to 224")])
def test_the_mobilenet_boxes_get_a_sentence(args, what):
    with pytest.raises(gr.Error, match=what.replace("(", r"\(").replace(")", r"\)")):
        ui.user_errors(ui.mobilenet)(*args)


def _open(page):
    page.get_by_role("tab", name="Scaling").click()
    wait_text(page, "#scaling-stages", "258×258", timeout=60_000)  # φ = 1


def _b7(page):
    page.get_by_role("button", name="B7", exact=True).click()
    wait_text(page, "#scaling-stages", "600×600")


@pytest.mark.browser
def test_an_emptied_slider_box_is_a_sentence_not_pills(page):
    _open(page)
    _b7(page)
    empty(page, "#scaling-width input[type=number]")
    assert "type a number from 0.25 to 4" in error_toast(page, "Width multiplier w is empty")
    assert "Something went wrong" not in " ".join(page.locator(".toast-body").all_inner_texts())
    wait_text(page, "#scaling-summary", "No results for this setting")
    assert pills(page) == []
    assert page.errors == []


@pytest.mark.browser
def test_after_an_error_no_result_of_the_previous_setting_stays(page):
    _open(page)
    _b7(page)
    width = page.locator("#scaling-width input[type=number]")
    width.fill("1.6")
    width.press("Enter")
    wait_text(page, "#scaling-summary", f"{S.efficientnet_cost(1.6, 3.1, 600).params / 1e6:.2f} M parameters")
    page.get_by_role("button", name="Count on the built network (lab.inspect)").click()
    wait_text(page, "#scaling-verified", "w = 1.6", timeout=60_000)
    width.fill("9")
    width.press("Enter")
    error_toast(page, "Width multiplier w must be a number from 0.25 to 4, not 9")
    wait_text(page, "#scaling-summary", "No results for this setting")
    assert "w = 1.6" not in page.locator("#scaling-verified").inner_text()
    assert page.locator("#scaling-stages [role=gridcell]").count() == 0
    for chart in ("scaling-flops-plot", "scaling-accuracy-plot"):
        assert page.locator(f"#{chart} .js-plotly-plot").count() == 0, chart
    assert pills(page) == []


@pytest.mark.browser
def test_an_emptied_mobilenet_box_clears_its_table(page):
    _open(page)
    wait_text(page, "#scaling-m-summary", "568,740,352")
    empty(page, "#scaling-m-alpha input[type=number]")
    error_toast(page, "α (width multiplier) is empty")
    wait_text(page, "#scaling-m-summary", "No results for this setting")
    assert page.locator("#scaling-m-table [role=gridcell]").count() == 0
    assert pills(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 1000])
def test_the_tables_keep_their_words_whole(page, width):
    page.set_viewport_size({"width": width, "height": 1000})
    _open(page)
    wait_text(page, "#scaling-m-table", "features.13")
    for table in ("#scaling-stages", "#scaling-m-table"):
        page.locator(table).scroll_into_view_if_needed()
        assert broken_words(page, table) == [], table
    page.locator("#scaling-m-table").screenshot(path=f"/tmp/shots/scaling_mobilenet_table_{width}px.png")
