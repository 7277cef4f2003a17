"""The validation path of a recipe that trains on random crops is the notes' Resize(256) + CenterCrop(224),
scaled to the run's size: checked against torchvision's transforms on a real photo."""
from __future__ import annotations

import numpy as np
import torch
from torchvision import transforms

from lab import augment as A
from lab.images import load_image


def _photo() -> torch.Tensor:
    return torch.from_numpy(np.asarray(load_image("assets/cat.jpg")).copy()).permute(2, 0, 1)  # uint8 (3, H, W)


def test_the_centre_crop_is_torchvisions_resize_and_center_crop_on_a_real_image():
    img = _photo()
    assert img.shape[1] != img.shape[2]  # not square: the shorter side decides the resize
    for size in (64, 224):
        resize = A.validation_resize("crop_flip", size)
        assert resize == round(size * 256 / 224) and A.validation_resize("crop_flip", 224) == 256
        ref = transforms.Compose([transforms.Resize(resize, antialias=True), transforms.CenterCrop(size)])(img)
        ours = A.prepare_val_batch(img[None], size, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), "crop_flip")[0]
        assert ours.shape == ref.shape == (3, size, size)
        assert (ours * 255 - ref.float()).abs().max() <= 1.0  # torchvision rounds back to uint8


def test_the_other_recipes_see_the_whole_image_and_evaluation_uses_the_recipe():
    img = _photo()[None]
    whole = A.prepare_val_batch(img, 64, (0.0,) * 3, (1.0,) * 3, "flip")
    assert A.validation_resize("flip", 64) is None
    assert torch.equal(whole, A.prepare_batch(img, 64, (0.0,) * 3, (1.0,) * 3))
    cropped = A.prepare_val_batch(img, 64, (0.0,) * 3, (1.0,) * 3, "crop_flip")
    assert (whole - cropped).abs().mean() > 0.01  # the centre crop is a different picture
