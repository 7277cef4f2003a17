"""English and Simplified Chinese: every translated key has both languages, the Chinese keeps the English
markup, and a zh-CN browser really shows Chinese (an en-US one English) with no raw keys and no JS errors."""
from __future__ import annotations

import re

import pytest

from lab.ui import common

ZH_TABS = ["网络结构", "网络内部", "A/B 对比", "网络缩放", "训练", "基本层"]
EN_TABS = ["Architecture", "Inside", "A/B", "Scaling", "Train", "Layers"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def translations() -> tuple[dict[str, str], dict[str, str]]:
    """(English, Chinese) as launch() gets them; importing app builds every tab, which records the keys used."""
    import app

    i18n = common.build_i18n(app.TEXT_MODULES)
    return i18n.translations_dict["en"], i18n.translations_dict[common.ZH]


def test_every_key_a_component_shows_has_english_and_chinese(translations):
    en, zh = translations
    assert len(common.USED_KEYS) > 90  # the header, five tab titles and three tabs' controls
    assert sorted(common.USED_KEYS - en.keys()) == []
    assert sorted(common.USED_KEYS - zh.keys()) == []
    assert sorted(zh.keys() - en.keys()) == []  # no Chinese left over for a key TEXT no longer has
    # English left in the Chinese: a name ("MNIST", "CIFAR-10") may stay as it is, a sentence may not.
    untranslated = [k for k, v in zh.items() if not CJK.search(v) and len(v.split()) > 3]
    assert untranslated == []


def test_a_tab_with_its_own_chinese_title_is_not_also_pending():
    import app

    for tab in app.TABS:
        if "title" in getattr(tab, "TEXT_ZH", {}):
            assert common._namespace(tab.__name__) not in common.PENDING_TAB_TITLES_ZH


def test_the_translator_refuses_a_typo_and_format():
    i18n = common.translator("lab.ui.example", {"label": "Label", "range": "Range {lo}–{hi}"})
    assert i18n("label").key == "example.label"
    with pytest.raises(KeyError, match="labl"):
        i18n("labl")
    with pytest.raises(TypeError, match="cannot fill in values"):  # Gradio's own key would show "{lo}–{hi}"
        i18n("range").format(lo=1, hi=2)


def _structure(text: str) -> dict:
    """What the Markdown renders to (CommonMark; the browser's renderer follows the same rules): tags,
    emphasis that opens inside itself (a ** that failed to close), asterisks left as text, and the {fields}."""
    markdown_it = pytest.importorskip("markdown_it")  # comes with gradio (rich); requirements-dev doesn't name it
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).render(text)
    tags = {t: len(re.findall(rf"<{t}[ >]", html)) for t in ("h1", "h2", "h3", "p", "strong", "em", "code", "span",
                                                               "b")}
    nested = [t for t in ("strong", "em") if "".join(re.findall(rf"</?{t}>", html)) != f"<{t}></{t}>" * tags[t]]
    stray = re.sub(r"<code>.*?</code>", "", html).count("*")
    return {**tags, "nested": nested, "stray *": stray, "fields": sorted(re.findall(r"\{[^}]*\}", text))}


def test_the_chinese_keeps_the_english_markup(translations):
    # Catches, e.g., "**乘加运算（MACs）**以及": after a full-width bracket, ** cannot close, and the bold runs on.
    en, zh = translations
    differ = {k: (_structure(en[k]), _structure(zh[k])) for k in zh if _structure(en[k]) != _structure(zh[k])}
    assert differ == {}


# ------------------------------------------------------------------------------------------ browser



def _no_raw_keys(page) -> None:
    text = page.locator("body").inner_text()
    assert "translation_metadata" not in text and "__i18n__" not in text


@pytest.mark.browser
def test_a_zh_cn_browser_gets_chinese(page_in):
    page = page_in("zh-CN")
    assert "课程路线" in page.locator(".lab-header").inner_text()
    assert [t.inner_text() for t in page.get_by_role("tab").all()[:6]] == ZH_TABS
    page.locator("#arch-model").get_by_text("网络", exact=True).wait_for()
    page.wait_for_function("(document.querySelector('#arch-table')?.innerText ?? '').includes('layer4')",
                           timeout=60_000)
    # A translated choice still sends its English value: the handler folds nothing for "Every layer".
    page.get_by_label("每一层").check()
    page.wait_for_function("document.querySelector('#arch-table').innerText.includes('layer1.0.conv1')",
                           timeout=30_000)
    _no_raw_keys(page)

    page.get_by_role("tab", name="网络缩放").click()
    page.locator("#scaling-phi").get_by_text("φ（复合系数）").wait_for()
    page.get_by_role("button", name="B3", exact=True).click()  # a preset: free mode, and its note from a handler
    page.wait_for_function("document.querySelector('#scaling-compound-note').innerText.includes('自由设置模式')",
                           timeout=30_000)
    assert page.get_by_label("自由设置").is_checked()
    _no_raw_keys(page)

    page.get_by_role("tab", name="基本层").click()
    page.get_by_label("number input for 步幅 s", exact=True).first.wait_for()
    assert page.get_by_label("最大池化").count() == 1
    assert "Sobel x（竖直边缘）" in [e.input_value() for e in page.get_by_role("combobox").all()]
    _no_raw_keys(page)
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []


@pytest.mark.browser
def test_an_en_us_browser_gets_english(page_in):
    page = page_in("en-US")
    assert "Course path" in page.locator(".lab-header").inner_text()
    assert [t.inner_text() for t in page.get_by_role("tab").all()[:6]] == EN_TABS
    page.get_by_role("tab", name="Layers").click()
    page.get_by_label("number input for Stride s", exact=True).first.wait_for()
    assert page.get_by_label("max pooling").count() == 1
    assert "sobel x (vertical edges)" in [e.input_value() for e in page.get_by_role("combobox").all()]
    assert not CJK.search(page.locator("body").inner_text())
    _no_raw_keys(page)
    assert page.errors == []
