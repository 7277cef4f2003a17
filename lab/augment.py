"""Training batches: uint8 images in, normalised (and augmented) float tensors out, in one ``grid_sample``.

The whole data set sits in memory as uint8 tensors (on the GPU when there is one); each batch is sliced,
then cropped, flipped, rotated and resized in a single ``F.grid_sample`` on the images' device, instead of
one PIL transform per image as torchvision's ``RandomResizedCrop`` + ``RandomHorizontalFlip`` would do.
The normalisation is the one the model's weights expect (:class:`lab.models.weights.Preprocessing`).
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
import torch.nn.functional as F
from PIL import Image

from lab.data import make_shapes_tensors
from lab.models.weights import Preprocessing, default_preprocessing

AUGMENTATIONS = {
    "none": "Only resize to the image size and normalise.",
    "flip": "Random horizontal flip (half the images are mirrored).",
    "crop_flip": "The course notes' recipe: RandomResizedCrop (8–100% of the area, aspect 3/4–4/3) + "
    "horizontal flip + normalise.",
    "strong": "Crop + flip + rotation up to ±20° + brightness/contrast/saturation jitter (±30%).",
}


# RandomResizedCrop's range of the crop's area, as the course notes (and torchvision's default) set it.
AREA = (0.08, 1.0)
# The notes' validation path for a recipe that trains on random crops: Resize(256) + CenterCrop(224), i.e. the
# shorter side to size·256/224, then the centre size×size. The other recipes see the whole image, resized.
CENTRE_CROPPED = ("crop_flip", "strong")
VAL_RESIZE = 256 / 224


def validation_resize(augmentation: str, size: int) -> int | None:
    """The shorter side a validation image is resized to before its centre ``size`` crop: ``round(size ·
    256/224)`` for a recipe that trains on random crops (:data:`CENTRE_CROPPED`), else None (resize only)."""
    return round(size * VAL_RESIZE) if augmentation in CENTRE_CROPPED else None


def resize_center_crop(x: torch.Tensor, size: int, resize: int) -> torch.Tensor:
    """torchvision's ``Resize(resize)`` + ``CenterCrop(size)`` on a float batch ``(B, C, H, W)``: the shorter
    side to ``resize`` (bilinear, antialiased, the longer side in proportion), then the centre square."""
    h, w = x.shape[-2:]
    new_h, new_w = (resize, int(resize * w / h)) if h <= w else (int(resize * h / w), resize)
    if (new_h, new_w) != (h, w):
        x = F.interpolate(x, size=(new_h, new_w), mode="bilinear", antialias=True, align_corners=False)
    top, left = int(round((new_h - size) / 2)), int(round((new_w - size) / 2))
    return x[..., top : top + size, left : left + size]


def _affine_params(n: int, preset: str, g: torch.Generator) -> torch.Tensor:
    """Per-image 2x3 affine matrices (output -> input coordinates in [-1, 1]) for ``F.affine_grid``."""
    theta = torch.zeros(n, 2, 3)
    sx = torch.ones(n)
    sy = torch.ones(n)
    tx = torch.zeros(n)
    ty = torch.zeros(n)
    rot = torch.zeros(n)
    if preset in ("crop_flip", "strong"):  # RandomResizedCrop: area fraction and aspect ratio
        area = AREA[0] + (AREA[1] - AREA[0]) * torch.rand(n, generator=g)
        log_r = math.log(3 / 4) + (math.log(4 / 3) - math.log(3 / 4)) * torch.rand(n, generator=g)
        sx = torch.sqrt(area * torch.exp(log_r)).clamp(max=1.0)
        sy = torch.sqrt(area / torch.exp(log_r)).clamp(max=1.0)
        tx = (1 - sx) * (2 * torch.rand(n, generator=g) - 1)
        ty = (1 - sy) * (2 * torch.rand(n, generator=g) - 1)
    if preset == "strong":
        rot = math.radians(20) * (2 * torch.rand(n, generator=g) - 1)
    flip = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0) if preset != "none" else torch.ones(n)
    cos, sin = torch.cos(rot), torch.sin(rot)
    theta[:, 0, 0] = sx * cos * flip
    theta[:, 0, 1] = -sy * sin
    theta[:, 1, 0] = sx * sin * flip
    theta[:, 1, 1] = sy * cos
    theta[:, 0, 2] = tx
    theta[:, 1, 2] = ty
    return theta


def _colour_jitter(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Brightness, contrast and saturation each scaled by 0.7-1.3, as torchvision's ColorJitter(0.3, 0.3, 0.3)."""
    b = (0.7 + 0.6 * torch.rand(len(x), 1, 1, 1, generator=g)).to(x.device)
    c = (0.7 + 0.6 * torch.rand(len(x), 1, 1, 1, generator=g)).to(x.device)
    s = (0.7 + 0.6 * torch.rand(len(x), 1, 1, 1, generator=g)).to(x.device)
    grey = x.mean(1, keepdim=True)
    x = (grey + (x - grey) * s) * b
    x = (x - x.mean((1, 2, 3), keepdim=True)) * c + x.mean((1, 2, 3), keepdim=True)
    return x.clamp(0, 1)


def prepare_batch(
    images: torch.Tensor,
    size: int,
    mean: Sequence[float],
    std: Sequence[float],
    augmentation: str = "none",
    g: torch.Generator | None = None,
    memory_format: torch.memory_format = torch.contiguous_format,
) -> torch.Tensor:
    """uint8 ``(B, C, h, w)`` -> float ``(B, len(mean), size, size)``, x' = (x − mean) / std, augmented when
    asked (``augmentation`` a key of :data:`AUGMENTATIONS`, drawn from ``g``).

    ``mean`` and ``std`` are per input channel (``Preprocessing.channel_stats``); grey images are repeated
    to 3 channels for a 3-channel model. Crop, flip, rotation and the resize to ``size`` are one
    ``grid_sample`` per batch on the images' device.
    """
    channels = len(mean)
    x = images.float().div_(255)
    if x.shape[1] == 1 and channels == 3:
        x = x.expand(-1, 3, -1, -1)
    if augmentation != "none" and g is not None:
        theta = _affine_params(len(x), augmentation, g).to(x.device)
        grid = F.affine_grid(theta, [len(x), x.shape[1], size, size], align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
        if augmentation == "strong":
            x = _colour_jitter(x, g)
    elif x.shape[-1] != size or x.shape[-2] != size:
        x = F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    return _normalise(x, mean, std, memory_format)


def prepare_val_batch(
    images: torch.Tensor,
    size: int,
    mean: Sequence[float],
    std: Sequence[float],
    augmentation: str = "none",
    memory_format: torch.memory_format = torch.contiguous_format,
) -> torch.Tensor:
    """A validation (or test) batch for a run trained with ``augmentation``: uint8 ``(B, C, h, w)`` -> float
    ``(B, len(mean), size, size)``, no randomness. A recipe that trains on random crops is validated on the
    centre crop (:func:`validation_resize`, the notes' Resize(256) + CenterCrop(224)); the others resize."""
    resize = validation_resize(augmentation, size)
    if resize is None:
        return prepare_batch(images, size, mean, std, memory_format=memory_format)
    x = images.float().div_(255)
    if x.shape[1] == 1 and len(mean) == 3:
        x = x.expand(-1, 3, -1, -1)
    return _normalise(resize_center_crop(x, size, resize), mean, std, memory_format)


def _normalise(x: torch.Tensor, mean: Sequence[float], std: Sequence[float],
               memory_format: torch.memory_format) -> torch.Tensor:
    """x' = (x − mean) / std per channel."""
    m = torch.tensor(mean, device=x.device).view(1, len(mean), 1, 1)
    s = torch.tensor(std, device=x.device).view(1, len(mean), 1, 1)
    return ((x - m) / s).contiguous(memory_format=memory_format)


def preview_augmentation(
    augmentation: str,
    images: torch.Tensor | None = None,
    views: int = 4,
    image_size: int = 96,
    seed: int = 0,
    preprocessing: Preprocessing | None = None,
) -> list[tuple[Image.Image, str]]:
    """Original and augmented views of a few images (uint8 ``(N, C, H, W)``; default: 3 Shapes images).

    Returns ``(PIL image, caption)`` pairs, row by row: each original followed by ``views - 1`` augmented
    copies, exactly as the trainer would produce them (normalised with ``preprocessing``'s statistics,
    default ImageNet's, and de-normalised with the same for display).
    """
    if augmentation not in AUGMENTATIONS:
        raise ValueError(f"Unknown augmentation {augmentation!r}; choose one of {', '.join(AUGMENTATIONS)}.")
    if images is None:
        images = make_shapes_tensors(3, image_size, seed=seed + 12345)[0]
    mean, std = (preprocessing or default_preprocessing()).channel_stats(3)
    m, s = torch.tensor(mean).view(1, 3, 1, 1), torch.tensor(std).view(1, 3, 1, 1)
    g = torch.Generator().manual_seed(seed)
    out = []
    for img in images:
        aug = prepare_batch(img.unsqueeze(0).expand(views - 1, -1, -1, -1), image_size, mean, std, augmentation, g)
        orig = prepare_batch(img.unsqueeze(0), image_size, mean, std)
        for k, t in enumerate(torch.cat([orig, aug]) * s + m):
            arr = (t.clamp(0, 1) * 255 + 0.5).to(torch.uint8).permute(1, 2, 0).numpy()
            out.append((Image.fromarray(arr), "original" if k == 0 else f"aug. {k}"))
    return out
