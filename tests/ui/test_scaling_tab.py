"""The Scaling tab in the running app: the /scale endpoint, and sliders that change the table."""
from __future__ import annotations

import pytest

from lab import scaling as S
from lab.ui import scaling as ui
from tests.ui.polish import error_toast, pills


def test_scale_endpoint_returns_the_b7_table(client):
    r = client.predict(width_mult=2.0, depth_mult=3.1, resolution=600, api_name="/scale")
    assert r["params"] == 66_347_960  # torchvision's EfficientNet-B7
    assert round(r["gmacs"], 3) == 37.746  # torchvision's "GFLOPS" metadata
    assert [s["channels"] for s in r["stages"]] == [64, 32, 48, 80, 160, 224, 384, 640, 2560]  # the notes' B7 column
    assert r["stages"][0]["input_resolution"] == 600
    assert r["peak_activation_mb"] == pytest.approx(S.efficientnet_cost(2.0, 3.1, 600).peak_activation_mb)


@pytest.mark.parametrize("kwargs, words", [
    (dict(width_mult=5.0, depth_mult=1.0, resolution=224), "width_mult = 5 is outside"),
    (dict(width_mult=1.0, depth_mult=0.1, resolution=224), "depth_mult = 0.1 is outside"),
    (dict(width_mult=1.0, depth_mult=1.0, resolution=4096), "resolution = 4096 is outside"),
])
def test_scale_endpoint_refuses_out_of_range_values_with_a_sentence(client, kwargs, words):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=words):
        client.predict(api_name="/scale", **kwargs)
    # ...and the app keeps serving.
    assert client.predict(width_mult=1.0, depth_mult=1.0, resolution=224, api_name="/scale")["macs"] == 385_814_752


# ------------------------------------------------------------------------------------------ browser


def _open(page):
    page.get_by_role("tab", name="Scaling").click()
    table = page.locator("#scaling-stages")
    table.wait_for()
    page.wait_for_function("document.querySelector('#scaling-stages').innerText.includes('258×258')")  # φ = 1
    return table


def _wait_for(page, selector: str, text: str, timeout: float = 20_000):
    page.wait_for_function(
        "([s, t]) => document.querySelector(s) && document.querySelector(s).innerText.includes(t)",
        arg=[selector, text], timeout=timeout,
    )


@pytest.mark.browser
def test_moving_phi_changes_the_stage_table(page):
    _open(page)
    phi = page.locator("#scaling-phi input[type=range]")
    phi.focus()
    for _ in range(5):  # φ 1.0 → 1.5 with the keyboard, as a student drags it
        page.keyboard.press("ArrowRight")
    _, _, r = S.compound(1.5)
    _wait_for(page, "#scaling-stages", f"{r}×{r}")
    # The sliders follow once the network is shown (never as outputs of a handler that can fail).
    page.wait_for_function("r => document.querySelector('#scaling-resolution input[type=number]').value === r",
                           arg=str(r), timeout=10_000)
    note = page.locator("#scaling-compound-note").inner_text()
    assert "1.920" in note and f"×{S.flops_factor(1.5):.2f}" in note  # α·β²·γ² and (α·β²·γ²)^φ
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []


@pytest.mark.browser
def test_presets_and_free_sliders(page):
    table = _open(page)
    page.get_by_role("button", name="B7", exact=True).click()
    _wait_for(page, "#scaling-stages", "600×600")
    text = table.inner_text()
    for channels in ("2560", "640", "384"):  # the notes' B7 column
        assert channels in text
    assert "66.35 M parameters" in page.locator("#scaling-summary").inner_text()
    # Free mode now: the width slider is live.
    page.locator("#scaling-width input[type=range]").fill("1.5")
    cost = S.efficientnet_cost(1.5, 3.1, 600)
    _wait_for(page, "#scaling-summary", f"{cost.params / 1e6:.2f} M parameters")
    assert str(cost.stages[-1].channels) in table.inner_text()
    # The accuracy chart says the user's accuracy is unknown, never a number.
    assert "accuracy unknown" in page.locator("#scaling-accuracy-plot").inner_text()
    assert page.errors == []


@pytest.mark.browser
def test_out_of_range_compound_setting_shows_a_sentence_and_the_tab_keeps_working(page):
    _open(page)
    page.locator("#scaling-phi input[type=range]").fill("8")
    page.locator("input[aria-label='range slider for α (depth base)']").fill("1.5")
    error_toast(page, "lower φ or α")
    # Issue 15: the old network's numbers go, a note says why, and no "Error" pill covers a control.
    _wait_for(page, "#scaling-summary", "No results for this setting")
    assert pills(page) == []
    for slider in ("scaling-width", "scaling-depth", "scaling-resolution", "scaling-phi"):
        assert page.locator(f"#{slider} input[type=number]").is_visible(), slider
    page.locator("input[aria-label='range slider for α (depth base)']").fill("1.2")
    _, _, r = S.compound(8)
    _wait_for(page, "#scaling-stages", f"{r}×{r}")
    page.wait_for_function("r => document.querySelector('#scaling-resolution input[type=number]').value === r",
                           arg=str(r), timeout=10_000)
    assert page.errors == []


@pytest.mark.browser
def test_mobilenet_formula_agrees_with_lab_inspect_in_the_page(page):
    _open(page)
    _wait_for(page, "#scaling-m-summary", "568,740,352")  # α = 1, ρ = 1: the paper's 569 M mult-adds
    page.locator("#scaling-m-res input[type=range]").fill("160")
    c = S.mobilenet_v1_costs(1.0, 160 / 224)
    _wait_for(page, "#scaling-m-summary", f"{c.measured_macs:,}")
    summary = page.locator("#scaling-m-summary").inner_text()
    assert "they agree" in summary and "5/7" in summary
    assert "✗" not in page.locator("#scaling-m-table").inner_text()
    assert page.errors == []


def test_handlers_fill_the_outputs_by_name():
    out = ui.from_compound(ui.TEXT["mode_compound"], 1.0, S.ALPHA, S.BETA, S.GAMMA)
    shown, controls = ui.Shown(*out[:-1]), out[-1]  # Shown, then what goes onto the controls once it is shown
    assert [u["value"] for u in controls[2:]] == [1.1, 1.2, 258]
    assert "258×258" in shown.table.to_string() and shown.verified == ""
    assert "α·β²·γ² = **1.920**" in shown.compound_note
