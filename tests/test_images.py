"""lab.images: every image a student may upload either loads as upright 8-bit RGB or raises a sentence."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image

from lab.images import MAX_PIXELS, Preprocessing, denormalise, load_image, preprocess


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height (1-bit grey) with a tiny, valid-looking body.

    The decompression-bomb case: a few hundred bytes that would decode to width×height pixels.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _save(im: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


# ------------------------------------------------------------------------------------ refused inputs


def test_not_an_image(tmp_path):
    p = tmp_path / "notes.png"
    p.write_text("this is not a picture")
    with pytest.raises(ValueError, match="not an image"):
        load_image(p)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    with pytest.raises(ValueError, match="empty"):
        load_image(p)
    with pytest.raises(ValueError, match="empty"):
        load_image(b"")


def test_missing_file_and_none(tmp_path):
    with pytest.raises(ValueError, match="no image file"):
        load_image(tmp_path / "nope.png")
    with pytest.raises(ValueError, match="No image"):
        load_image(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file(fmt):
    rng = np.random.default_rng(0)
    data = _save(Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)), fmt)
    with pytest.raises(ValueError, match="damaged or cut short"):
        load_image(data[: len(data) // 2])


def test_decompression_bomb_30000_squared():
    data = _png_header_only(30_000, 30_000)
    assert len(data) < 200  # a few bytes that claim 900 megapixels
    with pytest.raises(ValueError, match="too large"):
        load_image(data)


def test_own_pixel_limit_is_checked_before_decoding():
    # 8000×6000 = 48 MP: under PIL's own bomb limit (~89 MP) but over ours (40 MP).
    assert 8000 * 6000 > MAX_PIXELS
    with pytest.raises(ValueError, match="48 megapixels"):
        load_image(_png_header_only(8000, 6000))
    with pytest.raises(ValueError, match="too large"):
        load_image(Image.new("RGB", (300, 200)), max_pixels=50_000)


# ------------------------------------------------------------------------------ converted inputs


def test_rgba_is_composited_on_white():
    a = np.zeros((4, 4, 4), np.uint8)
    a[0, 0] = (255, 0, 0, 255)  # opaque red
    a[0, 1] = (255, 0, 0, 0)  # fully transparent red: white background shows
    a[0, 2] = (0, 0, 0, 128)  # half-transparent black: mid grey
    im = load_image(_save(Image.fromarray(a, "RGBA"), "PNG"))
    assert im.mode == "RGB"
    px = np.asarray(im)
    assert tuple(px[0, 0]) == (255, 0, 0)
    assert tuple(px[0, 1]) == (255, 255, 255)
    assert abs(int(px[0, 2, 0]) - 127) <= 1


def test_palette_with_transparency():
    im = Image.new("P", (3, 1))
    im.putpalette([0, 0, 255] + [0, 255, 0] + [0] * 762)
    im.putpixel((0, 0), 0)
    im.putpixel((1, 0), 1)
    im.putpixel((2, 0), 0)
    out = load_image(_save(im, "PNG", transparency=1))  # green is the transparent colour
    px = np.asarray(out)
    assert out.mode == "RGB"
    assert tuple(px[0, 0]) == (0, 0, 255)
    assert tuple(px[0, 1]) == (255, 255, 255)


def test_16_bit_greyscale_keeps_brightness():
    a = np.array([[0, 32768, 65535, 257]], dtype=np.uint16)
    data = _save(Image.fromarray(a), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")  # really 16 bits on disk
    px = np.asarray(load_image(data))
    assert px.shape == (1, 4, 3)
    assert px[0, :, 0].tolist() == [0, 127, 255, 1]  # v * 255 // 65535
    assert (px[..., 0] == px[..., 1]).all() and (px[..., 1] == px[..., 2]).all()
    # The same from a numpy array
    assert np.asarray(load_image(a))[0, :, 0].tolist() == [0, 127, 255, 1]


def test_cmyk_jpeg():
    cyan = Image.new("CMYK", (8, 8), (255, 0, 0, 0))
    out = load_image(_save(cyan, "JPEG", quality=95))
    r, g, b = np.asarray(out).reshape(-1, 3).mean(0)
    assert out.mode == "RGB"
    assert r < 30 and g > 225 and b > 225


def test_exif_rotation_is_applied():
    a = np.zeros((20, 40, 3), np.uint8)  # 40 wide, 20 high; a red mark top-left
    a[:5, :5] = (255, 0, 0)
    im = Image.fromarray(a)
    exif = im.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    out = load_image(_save(im, "JPEG", exif=exif, quality=95))
    assert out.size == (20, 40)  # now portrait
    px = np.asarray(out).astype(int)
    assert px[2, 17, 0] > 200 and px[2, 17, 1] < 60  # the mark went to the top-right


def test_tiny_1x1_image_loads_and_preprocesses():
    out = load_image(_save(Image.new("RGB", (1, 1), (10, 200, 30)), "PNG"))
    assert out.size == (1, 1)
    pre = preprocess(out, Preprocessing(224, 256))
    assert pre.tensor.shape == (1, 3, 224, 224)
    expected = (torch.tensor([10, 200, 30]) / 255 - torch.tensor(Preprocessing().mean)) / torch.tensor(Preprocessing().std)
    assert torch.allclose(pre.tensor[0].mean(dim=(1, 2)), expected, atol=1e-4)


def test_grey_float_and_data_url_inputs():
    import base64

    assert load_image(np.full((5, 6), 0.5, np.float32)).getpixel((0, 0)) == (127, 127, 127)
    png = _save(Image.new("RGB", (2, 3), (1, 2, 3)), "PNG")
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    assert load_image(url).getpixel((1, 2)) == (1, 2, 3)
    with pytest.raises(ValueError, match="H×W"):
        load_image(np.zeros((2, 2, 5), np.uint8))


def test_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (4, 4), c) for c in ((255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    r, g, b = load_image(buf.getvalue()).getpixel((0, 0))
    assert r > 200 and b < 50


# ---------------------------------------------------------------------------------- preprocessing


def test_preprocess_matches_torchvision_eval_transform():
    from torchvision import transforms as T

    rng = np.random.default_rng(1)
    # A smooth image (resampling filters differ only in detail), 300×200: the crop drops the sides.
    y, x = np.mgrid[0:200, 0:300]
    a = np.stack([x * 255 / 300, y * 255 / 200, (x + y) * 255 / 500], -1).astype(np.uint8)
    a = np.clip(a + rng.integers(-3, 4, a.shape), 0, 255).astype(np.uint8)
    im = Image.fromarray(a)
    spec = Preprocessing(224, 256)
    tv = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), T.Normalize(spec.mean, spec.std)])(im)
    pre = preprocess(im, spec)
    assert pre.tensor.shape == (1, 3, 224, 224)
    assert (pre.tensor[0] - tv).abs().mean() < 0.03  # same pixels up to the resampling filter
    assert pre.shown.size == (224, 224)
    assert pre.original_size == (300, 200)
    text = " ".join(pre.steps)
    assert "256" in text and "224" in text and "0.485" in text
    back = np.asarray(denormalise(pre.tensor, spec.mean, spec.std)).astype(int)
    assert np.abs(back - np.asarray(pre.shown).astype(int)).max() <= 1


def test_preprocess_extreme_aspect_ratio_is_cheap():
    im = Image.new("RGB", (20_000, 2), (0, 128, 255))  # would be 2.5 million px wide after "resize to 256"
    pre = preprocess(im, Preprocessing(64, 64))
    assert pre.tensor.shape == (1, 3, 64, 64)


def test_preprocess_grey_model_input():
    pre = preprocess(Image.new("RGB", (40, 40), (255, 255, 255)), Preprocessing(32, 32, (0.5,) * 3, (0.5,) * 3, grey=True))
    assert pre.tensor.shape == (1, 1, 32, 32)
    assert torch.allclose(pre.tensor, torch.ones(1, 1, 32, 32))  # (1 - 0.5) / 0.5
