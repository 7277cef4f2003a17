"""Issue 15 in the Layers tab: emptied boxes get a sentence, an error hides no input and leaves no old result
on screen, a broken upload is one sentence, and numbers and formulas are not broken or cut off."""
from __future__ import annotations

import io

import gradio as gr
import pytest
from PIL import Image

from lab.ui import layers
from tests.ui.polish import broken_words, empty, error_toast, pills
from tests.ui.test_layers_tab import _png_header

CONV = dict(c_in=3, c_out=64, size=224, k=7, s=2, p=3, d=1, g=1, bias=False)
WINDOW = dict(op="convolution", side=6, seed=0, kernel_name="sobel x (vertical edges)", pool_k=2, stride=1, padding=1)
CASES = [  # (handler, its good arguments, the box emptied, its label)
    *((layers.conv_cost, CONV, box, label) for box, label in (
        ("c_in", "Input channels C_in"), ("size", "Input height = width (px)"), ("k", "Kernel size k"),
        ("s", "Stride s"), ("p", "Padding p"), ("d", "Dilation d"), ("g", "Groups"))),
    *((layers.window_start, WINDOW, box, label) for box, label in (
        ("side", "Input side"), ("seed", "Random input (seed)"), ("pool_k", "Window k (pooling)"),
        ("stride", "Stride s"), ("padding", "Padding p"))),
    (layers.window_step, {**WINDOW, "position": 3}, "position", "Window position (row-major)"),
    (layers.kernel_images, dict(image=None, kernel_name="identity", stride=1), "stride", "Stride s"),
]


@pytest.mark.parametrize("handler, good, box, what", CASES)
@pytest.mark.parametrize("typed", [None, "", "abc", 2.5, -1])
def test_every_number_box_gets_a_sentence_before_any_work(handler, good, box, what, typed):
    with pytest.raises(gr.Error) as e:
        layers.user_errors(handler)(**{**good, box: typed})
    assert e.value.message.startswith(what) and "a whole number" in e.value.message, e.value.message


def _open(page):
    page.get_by_role("tab", name="Layers").click()
    page.get_by_text("64 × 112 × 112", exact=False).first.wait_for(timeout=30_000)


@pytest.mark.browser
def test_an_emptied_box_is_a_sentence_and_covers_no_input(page):
    _open(page)
    empty(page, "input[aria-label='Groups']")
    assert "type a whole number of at least 1" in error_toast(page, "Groups is empty")
    page.get_by_text("No results for this setting", exact=False).first.wait_for(timeout=10_000)
    empty(page, "input[aria-label='Random input (seed)']")  # the window's settings, whose walk resets the position
    error_toast(page, "Random input (seed) is empty")
    page.wait_for_timeout(1_000)
    assert pills(page) == []  # not on the position slider, nor over the formulas
    assert page.get_by_label("number input for Window position (row-major)").is_editable()
    assert "Something went wrong" not in " ".join(page.locator(".toast-body").all_inner_texts())
    assert page.errors == []


def _upload(page, path) -> None:
    page.locator("#layers-upload input[type=file], .block:has-text('Image (greyscale is used)') input[type=file]"
                 ).first.set_input_files(str(path))


@pytest.mark.browser
def test_a_broken_upload_is_one_sentence(page, tmp_path):
    _open(page)
    page.get_by_text("Classic kernels on an image").scroll_into_view_if_needed()
    big = tmp_path / "bomb.png"
    big.write_bytes(_png_header(12_000, 12_000))  # 144 megapixels declared, none stored
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(buffer, "PNG")
    cut = tmp_path / "cut.png"
    cut.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])  # an upload cut short
    garbage = tmp_path / "notes.png"
    garbage.write_bytes(b"these are my lecture notes, not an image\n" * 20)
    for path, sentence in ((big, "144 megapixels"), (cut, "damaged or cut short"), (garbage, "not an image")):
        _upload(page, path)
        toast = error_toast(page, sentence)
        assert "Traceback" not in toast and "Something went wrong" not in toast, toast
        assert pills(page) == [], path.name  # the sentence, and no "Error" pills over the images
        page.get_by_text("No results for this setting", exact=False).first.wait_for(timeout=10_000)
        page.screenshot(path=f"/tmp/shots/layers_upload_{path.stem}.png")
        page.locator(".toast-body .toast-close, .toast-close").first.click()
        page.wait_for_timeout(300)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 1000, 800])
def test_numbers_and_formulas_stay_whole(page, width):
    page.set_viewport_size({"width": width, "height": 1000})
    _open(page)
    c_out = page.get_by_label("number input for Output channels C_out", exact=True).first
    c_out.fill("1024")  # the largest numbers the table shows
    c_out.press("Enter")
    page.get_by_text("1024 × 112 × 112", exact=False).first.wait_for(timeout=30_000)
    assert broken_words(page, "body") == []  # the open tab's tables and formulas
    cut = page.evaluate("""() => [...document.querySelectorAll('.prose code, .prose table')].filter(c => {
        if (!c.offsetParent) return false;
        const box = c.closest('.block').getBoundingClientRect();
        return c.getBoundingClientRect().right > box.right + 1; }).map(c => c.innerText.slice(0, 40))""")
    assert cut == []  # no formula or table runs out of its box (a wide table scrolls inside it)
    page.get_by_text("The same C_in → C_out mapping", exact=False).first.locator("xpath=../..").screenshot(
        path=f"/tmp/shots/layers_mlp_numbers_{width}px.png")
