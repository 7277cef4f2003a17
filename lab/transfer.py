"""Where a run's weights come from: from scratch, fine-tuned from ImageNet, or a linear probe on frozen features.

The three modes are the course's transfer-learning exercise; each carries the learning rate that suits it
(:data:`MODES`, read by the Train tab and ``python -m lab.train --mode``). :func:`build_model` builds the
model for a mode and says how to feed it: the normalisation of the weights actually loaded
(:func:`lab.models.weights.preprocessing_for`), so MobileNet v1's timm weights get their 0.5/0.5 and random
weights ImageNet's statistics.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from lab.checkpoint import model_kwargs
from lab.data import socket_timeout
from lab.models import TIMM_PREFIX, create_model, get_entry
from lab.models.weights import Preprocessing, Pretrained, WeightsUnavailable, preprocessing_for


@dataclass(frozen=True)
class Mode:
    """A way to start a run: where the weights come from, what learns, and a learning rate that suits it."""

    pretrained: bool
    freeze_backbone: bool  # train only the classifier (a linear probe)
    lr: float  # AdamW's peak learning rate


# New weights need large steps, pretrained ones small steps, and a lone linear layer on frozen features can
# take larger ones still.
MODES = {
    "scratch": Mode(pretrained=False, freeze_backbone=False, lr=2e-3),
    "finetune": Mode(pretrained=True, freeze_backbone=False, lr=5e-4),
    "linear_probe": Mode(pretrained=True, freeze_backbone=True, lr=1e-2),
}


def _head(model: nn.Module, num_classes: int) -> nn.Module:
    """The final classifier layer: the last Linear/1x1-conv producing ``num_classes`` outputs (not an aux head)."""
    head = None
    for name, m in model.named_modules():
        if "aux" in name.lower():
            continue
        if (isinstance(m, nn.Linear) and m.out_features == num_classes) or (
            isinstance(m, nn.Conv2d) and m.out_channels == num_classes
        ):
            head = m
    if head is None:
        raise ValueError("Could not find this model's classifier layer, so it cannot be trained as a linear probe.")
    return head


def _published_weights(name: str) -> Pretrained | None:
    """The weights ``create_model(name, pretrained=True)`` loads: the registry's, or a timm architecture's own."""
    if name.startswith(TIMM_PREFIX):
        return Pretrained("timm", name[len(TIMM_PREFIX):])
    return get_entry(name).weights


def build_model(
    name: str,
    num_classes: int,
    in_channels: int,
    size: int,
    pretrained: bool = False,
    freeze_backbone: bool = False,
    output_stride: int = 32,
    seed: int = 0,
) -> tuple[nn.Module, Preprocessing, list[str]]:
    """Model ``name`` with ``num_classes`` outputs, how to feed it, and notes for the user.

    The preprocessing is that of the weights actually loaded: the published weights' when they loaded,
    else lab's default for ``(in_channels, size, size)``. Pretrained weights that cannot be had offline
    fall back to random weights (drawn after ``torch.manual_seed(seed)``) with a note, never a crash.
    ``freeze_backbone`` leaves only the classifier trainable.

    Raises:
        ValueError: an unknown model, or one whose classifier cannot be found for a linear probe.
    """
    kwargs = model_kwargs(name, in_channels, output_stride)
    notes, weights = [], None
    torch.manual_seed(seed)
    if pretrained:
        try:
            with socket_timeout(15):
                model = create_model(name, num_classes=num_classes, pretrained=True, **kwargs)
            weights = _published_weights(name)
        except WeightsUnavailable as e:
            notes.append(f"Pretrained weights unavailable offline: training from random weights. ({e})")
            model = create_model(name, num_classes=num_classes, **kwargs)
    else:
        model = create_model(name, num_classes=num_classes, **kwargs)
    if freeze_backbone:
        head = _head(model, num_classes)
        for p in model.parameters():
            p.requires_grad_(False)
        for p in head.parameters():
            p.requires_grad_(True)
        if weights is None:
            notes.append("A linear probe of random features learns little: it only shows what frozen features can do.")
    return model, preprocessing_for(weights, (in_channels, size, size)), notes
