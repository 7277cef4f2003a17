"""The app starts, every tab opens in a real browser, and nothing errors."""
import pytest

TAB_TITLES = ["Architecture", "Inside", "Scaling", "Train", "Layers"]

pytestmark = pytest.mark.browser


def test_header_shows_course_path(page):
    header = page.locator(".lab-header")
    header.wait_for()
    text = header.inner_text()
    for step in ["LeNet-5", "AlexNet", "VGG", "NiN", "GoogLeNet", "ResNet", "DenseNet", "MobileNet", "EfficientNet"]:
        assert step in text
    assert text.index("LeNet-5") < text.index("EfficientNet")


def test_every_tab_opens_without_error(page):
    for title in TAB_TITLES:
        page.get_by_role("tab", name=title).click()
        page.wait_for_timeout(300)
        assert page.get_by_role("tab", name=title).get_attribute("aria-selected") == "true"
    # Gradio shows failures as toasts; none may appear, and no script may have thrown.
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []
