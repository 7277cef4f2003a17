"""Lesson links in a real browser (en-US and zh-CN) and through /lesson_link: a link opens its tab with its
settings, hides what it names, computes the first result for the linked values (never the defaults first),
says what it could not use in the browser's language; Copy link writes a link that opens the same view.

Each step is timed (printed: ``pytest -s``), the linked page's time to its first result included."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from lab import lesson as L
from lab.ui import lesson as ui_lesson
from tests.ui.test_zh_architecture_scaling_layers import english_sentences

README_LINK = "tab=inside&model=resnet18&image=cat.jpg&method=gradcam%2B%2B&hide=model"
# Every caption the left CAM shows, from the page's first moment (a default map shown first would be here); the
# progress timer ("2.6s") that Gradio shows in its place meanwhile is no caption.
RECORD_CAPTIONS = """
window.__captions = [];
setInterval(() => {
  const el = document.querySelector('#inside-caption-a');
  const text = el ? el.innerText.trim() : '';
  if (/[A-Za-z]{3,}/.test(text) && window.__captions[window.__captions.length - 1] !== text) window.__captions.push(text);
}, 50);
"""


class Clock:
    """Seconds since the start, per named step (printed at the end of the test)."""

    def __init__(self) -> None:
        self.start = self.last = time.monotonic()
        self.steps: dict[str, float] = {}

    def __call__(self, step: str) -> None:
        now = time.monotonic()
        self.steps[step] = round(now - self.last, 2)
        self.last = now

    def report(self, name: str) -> None:
        print(f"\n{name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.steps.items()))


def _open(browser, app_url: str, query: str, locale: str = "en-US", record: bool = False):
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    if record:
        page.add_init_script(RECORD_CAPTIONS)
    page.goto(f"{app_url}?{query}", wait_until="domcontentloaded")
    return page


def _selected_tab(page) -> str:
    return page.locator("button[role=tab][aria-selected=true]").inner_text().strip()


def test_the_readme_example_is_a_link_the_api_writes():
    state = {"tab": "inside", "model": "resnet18", "method": "gradcam++", "image": "cat.jpg", "hide": ["model"]}
    assert ui_lesson.lesson_link(state) == L.encode(state) == README_LINK
    assert f"/?{README_LINK}" in (Path(__file__).resolve().parents[2] / "README.md").read_text()
    with pytest.raises(ValueError, match="must be a JSON object"):
        ui_lesson.lesson_link("tab=inside")


@pytest.mark.browser
@pytest.mark.slow  # the first CAM of a random-weights ResNet-18 on the cat: ~20 s on a shared 2-core CPU
def test_a_link_opens_a_focused_inside_view_computed_for_it(browser, app_url):
    clock = Clock()
    page = _open(browser, app_url, README_LINK, record=True)
    page.locator(".lab-header").wait_for(timeout=60_000)
    clock("page shown")
    caption = page.locator("#inside-caption-a")
    caption.filter(has_text="Grad-CAM++").wait_for(timeout=120_000)
    clock("first CAM (linked)")
    assert _selected_tab(page) == "Inside"
    assert caption.inner_text().startswith("Grad-CAM++ on layer4 for ")  # ResNet-18's last stage
    assert "Loaded 451×300 RGB" in page.locator("#inside-steps").inner_text()  # the cat, not the default circle
    # Every caption the page ever showed was the link's: no default map came first.
    seen = page.evaluate("window.__captions")
    assert seen and all(c.startswith("Grad-CAM++ on layer4") for c in seen), seen
    assert not page.locator("#inside-model").is_visible()  # hidden by the link
    assert page.locator("#inside-weights").is_visible() and page.locator("#inside-image").is_visible()
    note = page.locator("#lesson-note")
    assert "A focused lesson view" in note.inner_text() and "Show every control" in note.inner_text()
    page.locator("#lesson-show-all").click()
    page.locator("#inside-model").wait_for(state="visible", timeout=10_000)
    assert "resnet18" in page.locator("#inside-model input").input_value()
    assert not note.is_visible()
    clock("show every control")
    page.locator("#inside-fm-caption").filter(has_text="conv1").wait_for(timeout=60_000)  # the chain went on
    clock("feature maps")
    assert page.errors == []
    clock.report("Inside lesson link")


@pytest.mark.browser
def test_an_ab_link_opens_its_two_networks_on_its_image(browser, app_url):
    """The A/B tab's first comparison is the link's: ResNet-18 (random) on B, the cat, B's picker hidden."""
    page = _open(browser, app_url, "tab=ab&b=resnet18&image=cat.jpg&hide=b")
    page.locator("#ab-note-b").filter(has_text="resnet18").wait_for(timeout=120_000)
    assert _selected_tab(page) == "A/B"
    assert "resnet18" in page.locator("#ab-figures-b").inner_text() or "1.81 G" in page.locator(
        "#ab-figures-b").inner_text()
    assert not page.locator("#ab-model-b").is_visible() and page.locator("#ab-model-a").is_visible()
    assert "cat.jpg" in (page.locator("#ab-image img").get_attribute("src") or "")
    assert page.errors == []


@pytest.mark.browser
def test_a_chinese_page_says_what_the_link_could_not_use_in_chinese(browser, app_url):
    clock = Clock()
    page = _open(browser, app_url, "tab=architecture&model=lenet5&res=abc&hide=ch,classes,bogus", locale="zh-CN")
    totals = page.locator("#arch-totals")
    totals.filter(has_text="61,706").wait_for(timeout=60_000)
    clock("first summary (linked)")
    assert _selected_tab(page) == "网络结构"
    assert "1×32×32" in totals.inner_text()  # LeNet-5's usual input stood in for res=abc
    assert page.locator("#arch-resolution input[type=number]").input_value() == "32"
    assert not page.locator("#arch-channels").is_visible() and not page.locator("#arch-classes").is_visible()
    assert page.locator("#arch-model").is_visible()
    note = page.locator("#lesson-note").inner_text()
    assert "聚焦的课堂视图" in note and "显示全部控件" in note
    assert "链接中的 res='abc' 不是1 到 1024 之间的整数；改用 32。" in note
    assert "链接要隐藏 'bogus'，但 architecture 标签页没有这个控件：已忽略。" in note
    assert english_sentences(note) == []
    assert page.locator("#lesson-copy").inner_text().strip() == "复制指向此视图的链接"
    assert page.errors == []
    clock.report("zh-CN Architecture link")


@pytest.mark.browser
def test_copy_link_writes_a_link_that_opens_the_same_view(browser, app_url):
    clock = Clock()
    page = _open(browser, app_url, "")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    page.get_by_role("tab", name="Scaling").click()
    page.locator("#scaling-stages").filter(has_text="258×258").wait_for(timeout=60_000)  # φ = 1 on load
    clock("scaling shown")
    page.get_by_role("button", name="B3", exact=True).click()  # free mode, B3's width, depth and resolution
    page.locator("#scaling-stages").filter(has_text="300×300").wait_for(timeout=30_000)
    alpha = page.locator("#scaling-m-alpha input[type=number]")
    alpha.fill("0.5")
    alpha.press("Enter")
    page.locator("#scaling-m-summary").filter(has_text="α = 0.5").wait_for(timeout=30_000)
    clock("controls set")
    page.locator("#lesson-copy").click()
    box = page.locator("#lesson-link textarea")
    page.wait_for_function("() => (document.querySelector('#lesson-link textarea') || {}).value?.startsWith('http')",
                           timeout=20_000)
    link = box.input_value()
    clock("link copied")
    assert link == f"{app_url}?tab=scaling&mode=free&w=1.2&d=1.4&r=300&ma=0.5"
    assert page.evaluate("navigator.clipboard.readText()") == link
    # The link in a fresh page: the same view, computed for it.
    again = _open(browser, app_url, link.split("?", 1)[1])
    again.locator("#scaling-stages").filter(has_text="300×300").wait_for(timeout=60_000)
    clock("link reopened")
    assert _selected_tab(again) == "Scaling"
    assert again.locator("#scaling-width input[type=number]").input_value() == "1.2"
    assert again.locator("#scaling-depth input[type=number]").input_value() == "1.4"
    assert again.get_by_label("free", exact=True).is_checked()
    again.locator("#scaling-m-summary").filter(has_text="α = 0.5").wait_for(timeout=30_000)
    assert not again.locator("#lesson-note").is_visible()  # nothing hidden, nothing refused: no note
    assert page.errors == [] and again.errors == []
    clock.report("Copy link round trip")


@pytest.mark.browser
def test_the_endpoint_writes_links_and_refuses_bad_states_with_a_sentence(client):
    assert client.predict({"tab": "layers", "k": 3, "p": 1, "hide": ["size"]}, api_name="/lesson_link") == \
        "tab=layers&k=3&p=1&hide=size"
    with pytest.raises(Exception, match="The lesson link's opacity must be a number from 0 to 1, not '7'"):
        client.predict({"tab": "inside", "opacity": 7}, api_name="/lesson_link")
