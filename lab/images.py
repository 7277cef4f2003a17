"""Loading the images students feed to a network, and showing what the network really gets.

A student's image can be anything: a phone photo lying on its side (EXIF rotation), a PNG with a
transparent background, a 16-bit scan, a CMYK print file, a 1×1 pixel, a renamed PDF, a file cut short
by a failed upload, or a "decompression bomb" (a few KB that decode to billions of pixels). Everything
usable becomes an 8-bit RGB ``PIL.Image``; everything else raises ``ValueError`` with a sentence that
says what to do.

:func:`preprocess` then does what torchvision's evaluation transform does (resize the shorter side,
centre-crop, scale to [0, 1], normalise per channel) and returns, next to the tensor, the crop the
network sees and a sentence for each step, so the UI can show the preprocessing instead of hiding it.
"""
from __future__ import annotations

import base64
import io
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Sequence, Union

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from lab.models.weights import Preprocessing

# 40 megapixels: a 50-megapixel camera is rarer than a student's mistake, and one decoded image of this
# size already takes 120 MB as RGB. Checked from the header, before a single pixel is decoded.
MAX_PIXELS = 40_000_000

ImageSource = Union[str, os.PathLike, bytes, BinaryIO, Image.Image, np.ndarray]

_FORMATS = "PNG, JPEG, WebP, GIF, BMP or TIFF"


def load_image(source: ImageSource, max_pixels: int = MAX_PIXELS, draft: int | None = None) -> Image.Image:
    """Open any image a student may upload and return it as an 8-bit RGB ``PIL.Image``.

    Args:
        source: a path, the raw bytes of a file (or a ``data:image/...;base64,`` URL), a binary file
            object, a ``PIL.Image`` or a ``numpy`` array (H×W grey, H×W×3 RGB or H×W×4 RGBA).
        max_pixels: refuse images with more pixels than this (decompression-bomb guard); checked
            from the header before decoding.
        draft: the smallest side the caller needs; a JPEG is then decoded at a reduced scale that still
            covers it (a 12-megapixel photo for a 64 px training image decodes 8× smaller and faster).

    Returns:
        An RGB image, upright (EXIF orientation applied), transparent areas composited on white,
        16-bit and float greyscale scaled to 8 bits, CMYK/palette/other modes converted.

    Raises:
        ValueError: no image, an empty or truncated file, not an image, or too many pixels.
    """
    if source is None:
        raise ValueError("No image was given: upload one, take one with the webcam, or pick an example.")
    if isinstance(source, Image.Image):
        _check_pixels(source.size, max_pixels)
        return to_rgb(source)
    if isinstance(source, np.ndarray):
        return to_rgb(_from_array(source, max_pixels))
    fp = _open_source(source)
    with warnings.catch_warnings():
        # Our own limit is lower than PIL's; PIL's warning between the two would only be noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(fp)
        except Image.DecompressionBombError:
            raise ValueError(_too_big_message(None, max_pixels)) from None
        except UnidentifiedImageError:
            raise ValueError(f"This file is not an image that can be read. Upload a {_FORMATS} file.") from None
        except OSError as e:  # e.g. a file that vanished, or a header cut short
            raise ValueError(f"The image could not be opened ({e}). Upload a {_FORMATS} file.") from None
        _check_pixels(im.size, max_pixels)
        if draft and im.format == "JPEG":
            scale = min(im.size) / draft
            im.draft("RGB", (max(1, int(im.width / scale)), max(1, int(im.height / scale))))
        try:
            im.load()  # decoding happens here: a truncated file fails now, not later in a model
        except (OSError, SyntaxError, ValueError) as e:
            raise ValueError(
                f"The image file is damaged or cut short ({e}). Save or download it again and re-upload it."
            ) from None
    return to_rgb(im)


def _open_source(source: ImageSource) -> BinaryIO:
    """A binary file object for a path, bytes, a data URL or an open file."""
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        if isinstance(text, str) and text.startswith("data:"):
            return io.BytesIO(_decode_data_url(text))
        path = Path(text)
        if not path.is_file():
            raise ValueError(f"There is no image file at {path}. Upload the image again.")
        if path.stat().st_size == 0:
            raise ValueError("The file is empty (0 bytes). Upload the image again.")
        return io.BytesIO(path.read_bytes())
    if isinstance(source, (bytes, bytearray)):
        if len(source) == 0:
            raise ValueError("The file is empty (0 bytes). Upload the image again.")
        return io.BytesIO(bytes(source))
    if hasattr(source, "read"):
        data = source.read()
        if not data:
            raise ValueError("The file is empty (0 bytes). Upload the image again.")
        return io.BytesIO(data)
    raise ValueError(f"Cannot read an image from a {type(source).__name__}; give a file path or image bytes.")


def _decode_data_url(url: str) -> bytes:
    try:
        header, payload = url.split(",", 1)
        data = base64.b64decode(payload) if header.endswith(";base64") else payload.encode()
    except ValueError:
        raise ValueError("The image data is not valid base64. Upload the image as a file instead.") from None
    if not data:
        raise ValueError("The file is empty (0 bytes). Upload the image again.")
    return data


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    w, h = size
    if w < 1 or h < 1:
        raise ValueError(f"The image has no pixels ({w}×{h}). Upload another image.")
    if w * h > max_pixels:
        raise ValueError(_too_big_message((w, h), max_pixels))


def _too_big_message(size: tuple[int, int] | None, max_pixels: int) -> str:
    what = f"{size[0]}×{size[1]} = {size[0] * size[1] / 1e6:.0f} megapixels" if size else "far too many pixels"
    return (
        f"The image is too large ({what}; the limit is {max_pixels / 1e6:.0f} megapixels). "
        f"Shrink it (a network sees 224×224 anyway) and upload it again."
    )


def _from_array(a: np.ndarray, max_pixels: int) -> Image.Image:
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise ValueError(f"An image array must be H×W, H×W×3 or H×W×4, not {a.shape}.")
    _check_pixels((a.shape[1], a.shape[0]), max_pixels)
    if a.dtype == np.uint8:
        return Image.fromarray(a)
    if a.ndim == 2 and a.dtype == np.uint16:
        return Image.fromarray(a.astype(np.int32))  # scaled by to_rgb like a 16-bit PNG
    f = a.astype(np.float32)
    if np.issubdtype(a.dtype, np.floating) and f.size and np.nanmax(f) <= 1.0:
        f = f * 255.0  # floats in [0, 1], as matplotlib and skimage keep them
    return Image.fromarray(np.clip(np.nan_to_num(f), 0, 255).astype(np.uint8))


def to_rgb(im: Image.Image) -> Image.Image:
    """Upright 8-bit RGB: apply EXIF orientation, composite transparency on white, rescale deep greys."""
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)  # animated GIF/WebP: the first frame
    try:
        im = ImageOps.exif_transpose(im)  # phone photos store "rotate 90°" as a tag, not in the pixels
    except Exception:  # a broken EXIF block must not cost the image; keep it as stored
        pass
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit (or 32-bit integer) greyscale: keep the brightness, drop the low bits.
        a = np.asarray(im, dtype=np.int64)
        top = 65535 if a.max(initial=0) > 255 else 255
        im = Image.fromarray((np.clip(a, 0, top) * 255 // top).astype(np.uint8))
    elif im.mode == "F":
        a = np.nan_to_num(np.asarray(im, dtype=np.float32))
        if a.size and (a.min() < 0 or a.max() > 1):  # not in [0, 1]: stretch its range to 8 bits
            a = (a - a.min()) / max(float(a.max() - a.min()), 1e-12)
        im = Image.fromarray((a * 255).round().astype(np.uint8))
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("LA", "La", "PA"):
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "RGBa"):
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        return background
    if im.mode == "CMYK":
        # PIL's naive CMYK→RGB; an embedded ICC profile would be more exact, but this is close enough
        # to classify and never fails.
        return im.convert("RGB")
    return im.convert("RGB")


@dataclass
class Preprocessed:
    """The tensor a network gets, and what the student should see of how it was made."""

    tensor: torch.Tensor  # 1×3×S×S, normalised
    shown: Image.Image  # the S×S crop before normalisation: what the network "sees"
    original_size: tuple[int, int]  # (width, height) of the image before preprocessing
    steps: list[str] = field(default_factory=list)  # one sentence per step, in order
    channel_stats: list[tuple[float, float]] = field(default_factory=list)  # (mean, std) per channel after


def center_crop(image: Image.Image, crop: int, resize: int | None = None) -> Image.Image:
    """The centre ``crop``×``crop`` square after resizing the shorter side to ``resize`` (default: ``crop``),
    as torchvision's Resize + CenterCrop. The crop is taken in the original image's coordinates and
    resampled once, so a very wide or very tall image never becomes a huge intermediate."""
    return image.resize((crop, crop), Image.Resampling.BILINEAR, box=crop_box(image.size, crop, resize))


def crop_box(size: tuple[int, int], crop: int, resize: int | None = None) -> tuple[float, float, float, float]:
    """The window ``(left, top, right, bottom)`` of an image of ``size`` (width, height) that
    :func:`center_crop` keeps, in the original image's pixels: where a network's input lies in the photo."""
    w, h = size
    scale = max(resize or crop, crop) / min(w, h)  # shorter side -> resize
    box_w, box_h = min(crop / scale, w), min(crop / scale, h)  # the centre window, in original pixels
    left, top = (w - box_w) / 2, (h - box_h) / 2
    return left, top, left + box_w, top + box_h


def preprocess(image: Image.Image, spec: Preprocessing = Preprocessing()) -> Preprocessed:
    """Resize the shorter side, centre-crop, scale to [0, 1] and normalise, as torchvision evaluates.

    The crop is taken in the original image's coordinates and resampled once, so a very wide or very
    tall image never becomes a huge intermediate.

    Args:
        image: an RGB image (e.g. from :func:`load_image`).
        spec: sizes and normalisation statistics.

    Returns:
        A :class:`Preprocessed` with the 1×3×S×S tensor, the crop as an image and the steps described.
    """
    if image.mode != "RGB":
        image = to_rgb(image)
    w, h = image.size
    s, r = spec.crop_size, max(spec.resize_size, spec.crop_size)
    scale = r / min(w, h)
    shown = center_crop(image, s, r)
    if spec.grey:
        shown = shown.convert("L")
    x = torch.from_numpy(np.asarray(shown, dtype=np.float32) / 255.0)
    x = x.unsqueeze(0) if spec.grey else x.permute(2, 0, 1)
    c = x.shape[0]
    mean = torch.tensor(spec.mean[:c]).view(c, 1, 1)
    std = torch.tensor(spec.std[:c]).view(c, 1, 1)
    x = ((x - mean) / std).unsqueeze(0).contiguous()
    rw, rh = round(w * scale), round(h * scale)
    steps = [f"Loaded {w}×{h} RGB (8 bits per channel)."]
    if r == s and w == h:
        steps.append(f"Resized to {s}×{s}.")
    else:
        steps.append(f"Resized the shorter side to {r}: {rw}×{rh}.")
        steps.append(f"Cut the centre {s}×{s} square: the border outside it is never seen.")
    if spec.grey:
        steps.append("Converted to greyscale (one input channel).")
    steps.append("Scaled pixel values from 0…255 to 0…1.")
    steps.append(
        "Normalised each channel: (x − mean) / std with mean = "
        f"({', '.join(f'{m:.3f}' for m in spec.mean[:c])}) and std = ({', '.join(f'{d:.3f}' for d in spec.std[:c])})."
    )
    stats = [(float(c.mean()), float(c.std())) for c in x[0]]
    return Preprocessed(x, shown, (w, h), steps, stats)


def denormalise(x: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> Image.Image:
    """The RGB image a normalised 3×H×W (or 1×3×H×W) tensor came from."""
    if x.dim() == 4:
        x = x[0]
    m = torch.tensor(list(mean)).view(3, 1, 1)
    d = torch.tensor(list(std)).view(3, 1, 1)
    a = ((x.detach().cpu() * d + m).clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    return Image.fromarray(a)
