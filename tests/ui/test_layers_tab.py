"""The Layers tab in a real browser: it fills itself on load and follows the controls."""
import pytest

pytestmark = pytest.mark.browser


def test_layers_tab_updates_the_formula(page):
    page.get_by_role("tab", name="Layers").click()
    result = page.get_by_text("Output:", exact=False).first
    result.wait_for(timeout=20_000)
    assert "64 × 112 × 112" in result.inner_text()  # the default is ResNet's stem on 224 px
    # Stride 1 instead of 2: the output side doubles.
    stride = page.get_by_label("number input for Stride s", exact=True).first
    stride.fill("1")
    stride.press("Enter")
    page.get_by_text("64 × 224 × 224", exact=False).first.wait_for(timeout=20_000)
    page.locator(".js-plotly-plot:visible").first.wait_for(timeout=20_000)  # other tabs hold hidden plots
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []


def test_impossible_kernel_shows_a_readable_error(page):
    page.get_by_role("tab", name="Layers").click()
    padding = page.get_by_label("number input for Padding p", exact=True).first
    padding.fill("0")
    padding.press("Enter")
    size = page.get_by_label("number input for Input height = width (px)", exact=True).first
    size.fill("3")
    size.press("Enter")
    toast = page.locator(".toast-body.error")
    toast.first.wait_for(timeout=20_000)
    assert "The kernel spans 7 px" in toast.first.inner_text()
    assert "Traceback" not in toast.first.inner_text()
