"""Show me the code in a real browser, in English and Chinese: change a setting in two tabs (Architecture's
resolution, the Layers tab's stride) and find the new value in the code shown under "Show me the code"."""
from __future__ import annotations

import pytest

from tests.ui.test_zh_architecture_scaling_layers import english_sentences

LABELS = {"en-US": ("Architecture", "Layers", "Show me the code", "Stride s"),
          "zh-CN": ("网络结构", "基本层", "给我看代码", "步幅 s")}


def _code(page, elem_id: str) -> str:
    return page.locator(f"#{elem_id} .cm-content").first.inner_text()


def _open(page, elem_id: str, heading: str) -> None:
    """Open the accordion that holds code box ``elem_id`` (the tab's first one with that heading)."""
    page.locator(f"#show-{elem_id}").get_by_text(heading, exact=True).first.click()
    page.locator(f"#{elem_id} .cm-content").first.wait_for(timeout=20_000)


def _wait_for(page, elem_id: str, needle: str) -> str:
    page.wait_for_function("([id, needle]) => (document.querySelector(`#${id} .cm-content`)?.innerText || '')"
                           ".includes(needle)", arg=[elem_id, needle], timeout=20_000)
    return _code(page, elem_id)


@pytest.mark.browser
@pytest.mark.slow  # ~45 s a language on the shared 2 cores (an app start, two tabs)
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_code_follows_the_settings_in_two_tabs(page_in, locale):
    page = page_in(locale)
    arch_tab, layers_tab, heading, stride_label = LABELS[locale]
    # Architecture: the default network at 224 px, then 160 px typed into the resolution's number box.
    page.get_by_role("tab", name=arch_tab).click()
    _open(page, "code-architecture", heading)
    assert "summarize('resnet18', (3, 224, 224), num_classes=1000)" in _wait_for(page, "code-architecture", "224")
    box = page.locator("#arch-resolution input[type=number]").first
    box.fill("160")
    box.press("Enter")
    code = _wait_for(page, "code-architecture", "(3, 160, 160)")
    assert "summarize('resnet18', (3, 160, 160), num_classes=1000)" in code
    if locale == "zh-CN":  # the comments are Chinese, the code stays Python
        assert "逐层表" in code and english_sentences("\n".join(
            line for line in code.splitlines() if line.lstrip().startswith("#"))) == []
    page.locator("#code-architecture").scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/code_architecture_{locale}.png")
    # Layers: the convolution's stride 2 -> 1.
    page.get_by_role("tab", name=layers_tab).click()
    _open(page, "code-conv", heading)
    assert "stride=2" in _wait_for(page, "code-conv", "stride=2")
    stride = page.get_by_label(f"number input for {stride_label}", exact=True).first
    stride.fill("1")
    stride.press("Enter")
    code = _wait_for(page, "code-conv", "stride=1")
    assert "h_out = (224 + 2 * 3 - 1 * (7 - 1) - 1) // 1 + 1" in code
    page.locator("#code-conv").scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/code_layers_{locale}.png")
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []
