"""The Layers tab in a real browser: it fills itself on load and follows the controls; its image upload
goes through lab.images (the pixel limit, checked before decoding)."""
import struct
import zlib

import pytest
from PIL import Image

from lab.images import MAX_PIXELS
from lab.ui import layers
from tests.ui.polish import error_toast, pills


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` grey pixels and holds none (what a decompression bomb's
    header says; nothing may be decoded to refuse it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + \
        chunk(b"IEND", b"")


def test_an_image_above_the_pixel_limit_is_refused_with_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # the handler reads uploads only (as Gradio saves them)
    big = tmp_path / "big.png"
    big.write_bytes(_png_header(12_000, 12_000))  # 144 megapixels
    assert 12_000 * 12_000 > MAX_PIXELS
    with pytest.raises(ValueError, match="too large .*144 megapixels.*limit is 40 megapixels"):
        layers.kernel_images({"path": str(big)}, "sobel x (vertical edges)", 1)
    # Without an upload, the drawn scene; with one, its greyscale at 256×256 px.
    assert layers.kernel_images(None, "sobel x (vertical edges)", 1).before.shape == (128, 128)
    small = tmp_path / "small.png"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(small)
    shown = layers.kernel_images({"path": str(small)}, "identity", 1)
    assert shown.before.shape == (256, 256) and shown.after.shape == (256, 256)


@pytest.mark.browser
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


@pytest.mark.browser
def test_impossible_kernel_shows_a_readable_error_and_no_old_formula(page):
    page.get_by_role("tab", name="Layers").click()
    page.get_by_text("64 × 112 × 112", exact=False).first.wait_for(timeout=20_000)
    padding = page.get_by_label("number input for Padding p", exact=True).first
    padding.fill("0")
    padding.press("Enter")
    size = page.get_by_label("number input for Input height = width (px)", exact=True).first
    size.fill("3")
    size.press("Enter")
    message = error_toast(page, "The kernel spans 7 px")
    assert "Traceback" not in message
    # Issue 15: what answered the previous setting goes (the formulas and the comparison), a note says why,
    # and no "Error" pill covers the sliders or the text.
    page.get_by_text("No results for this setting", exact=False).first.wait_for(timeout=10_000)
    assert page.get_by_text("64 × 112 × 112", exact=False).count() == 0
    assert page.get_by_text("this convolution", exact=False).count() == 0
    assert pills(page) == []
