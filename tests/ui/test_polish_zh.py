"""Issue 15 in a zh-CN browser: the same rough edges the English tests hold (test_polish_*.py) stay gone for a
Chinese student — an emptied or mistyped box is a Chinese sentence, no "Error" pill covers an input, the old
result leaves the screen, and Inside lists every layer."""
from __future__ import annotations

import pytest

from tests.ui.polish import empty, error_toast, pills, wait_text
from tests.ui.test_zh_architecture_scaling_layers import CJK, english_sentences

pytestmark = pytest.mark.browser


def _no_english_toast(page) -> None:
    toasts = page.locator(".toast-body").all_inner_texts()
    assert toasts and all(CJK.search(t) for t in toasts), toasts
    assert [s for t in toasts for s in english_sentences(t)] == [], toasts


def test_architecture_mistakes_in_chinese(page_in):
    page = page_in("zh-CN")
    wait_text(page, "#arch-totals", "个参数", timeout=60_000)
    timm = page.locator("#arch-timm textarea, #arch-timm input").first
    timm.fill("convnxt_tiny")
    timm.press("Enter")
    toast = error_toast(page, "timm 中没有名为 'convnxt_tiny' 的架构", timeout=60_000)
    assert "你是不是想找 timm:convnext_tiny" in toast
    wait_text(page, "#arch-totals", "这组设置没有结果", timeout=60_000)  # item 3: the 224 px totals are gone
    assert pills(page) == []  # item 2: the boxes to fix stay boxes
    assert timm.is_editable()
    _no_english_toast(page)
    for close in page.locator(".toast-close").all():
        close.click()
    timm.fill("")
    timm.press("Enter")
    wait_text(page, "#arch-totals", "个参数", timeout=60_000)
    empty(page, "#arch-resolution input[type=number]")  # item 1
    page.keyboard.press("Tab")
    assert "请输入整数（1 到 1024）" in error_toast(page, "输入分辨率（px）为空")
    wait_text(page, "#arch-totals", "这组设置没有结果", timeout=60_000)
    assert pills(page) == []
    page.screenshot(path="/tmp/shots/zh_polish_architecture.png")
    assert page.errors == []


def test_train_and_inside_mistakes_in_chinese(page_in):
    page = page_in("zh-CN")
    page.get_by_role("tab", name="训练").click()
    lr = page.get_by_label("学习率", exact=True)
    lr.fill("")
    lr.press("Tab")
    page.locator("#train-start").click()
    toast = error_toast(page, "学习率为空")  # item 1: a sentence, not "(TypeError)"
    assert "TypeError" not in toast and "请输入数字" in toast
    wait_text(page, "#train-status", "未开始", timeout=60_000)
    assert pills(page) == [] and lr.is_editable()
    _no_english_toast(page)
    page.screenshot(path="/tmp/shots/zh_polish_train.png")

    page.get_by_role("tab", name="网络内部").click()  # item 6: every layer of mobilenet_v2, by stage
    wait_text(page, "#inside-caption-a", "Grad-CAM", timeout=90_000)
    picker = page.locator("#inside-layer input")
    picker.click()
    options = page.get_by_role("option").all_inner_texts()
    assert len(options) > 200, len(options)
    assert any(o.startswith("阶段") and "features.18 " in o for o in options), options[-5:]
    page.keyboard.press("Escape")
    assert page.errors == []
