"""Checkpoints CNN Lab writes (the Train tab, ``python -m lab.train --out``, the Shapes model in ``assets/``).

A checkpoint is a plain dict ``{"state_dict", "config", "class_names", "val_acc"}`` of tensors and plain
Python values, so it loads with ``torch.load(weights_only=True)``: a checkpoint is user input, never
unpickled. ``config`` holds the run's settings plus what is needed to rebuild and feed the model:
``model``, ``in_channels``, ``num_classes``, ``output_stride``, ``image_size``, ``mean`` and ``std``.
"""
from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

import torch
import torch.nn as nn

from lab.models import create_model
from lab.models.weights import Preprocessing, default_preprocessing


def model_kwargs(model: str, in_channels: int, output_stride: int = 32) -> dict[str, Any]:
    """The builder options a run implies: LeNet-5's input channels, MobileNet-v2's output stride."""
    kwargs: dict[str, Any] = {"in_channels": in_channels} if model == "lenet5" else {}
    if output_stride != 32:
        kwargs["output_stride"] = output_stride
    return kwargs


def save_checkpoint(
    path: str, model: nn.Module, config: Mapping[str, Any], class_names: Sequence[str], val_acc: float
) -> str:
    """Write a checkpoint of ``model`` (weights copied to the CPU) and return ``path``.

    ``config`` must name ``model``, ``in_channels``, ``image_size``, ``mean`` and ``std``; ``num_classes``
    is added from ``class_names``.
    """
    missing = {"model", "in_channels", "image_size", "mean", "std"} - set(config)
    if missing:
        raise ValueError(f"A checkpoint's config needs {', '.join(sorted(missing))}.")
    cfg = {**config, "num_classes": len(class_names), "mean": list(config["mean"]), "std": list(config["std"])}
    state = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.save({"state_dict": state, "config": cfg, "class_names": list(class_names), "val_acc": float(val_acc)}, path)
    return path


def load_checkpoint(path: str) -> tuple[nn.Module, dict, list[str]]:
    """Rebuild a trained model from a checkpoint of :func:`save_checkpoint`: ``(model in eval mode, config
    dict, class names)``. Loaded with ``weights_only=True``.

    Raises:
        ValueError: the file is not such a checkpoint, or its weights do not fit its model.
    """
    name = os.path.basename(path)
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        raise ValueError(f"{name} is not a checkpoint CNN Lab can read ({type(e).__name__}).") from None
    if not isinstance(ckpt, dict) or not {"state_dict", "config", "class_names"} <= set(ckpt):
        raise ValueError(f"{name} lacks state_dict/config/class_names: not a CNN Lab checkpoint.")
    config, names = ckpt["config"], list(ckpt["class_names"])
    if not isinstance(config, dict) or not isinstance(config.get("model"), str) or not names:
        raise ValueError(f"{name} has no model name or no class names: not a CNN Lab checkpoint.")
    kwargs = model_kwargs(config["model"], config.get("in_channels", 1), config.get("output_stride", 32))
    model = create_model(config["model"], num_classes=len(names), **kwargs)
    try:
        model.load_state_dict(ckpt["state_dict"])
    except (RuntimeError, TypeError) as e:
        raise ValueError(f"The checkpoint's weights do not fit {config['model']}: {str(e)[:200]}") from None
    return model.eval(), config, names


def checkpoint_preprocessing(config: Mapping[str, Any]) -> Preprocessing:
    """How to feed a checkpoint's model: its training size (no crop) and the normalisation it was
    trained with; a grey (one-channel) model gets the one statistic its trainer used, for all three."""
    size = int(config.get("image_size", 64))
    channels = int(config.get("in_channels", 3))
    default = default_preprocessing((channels, size, size))
    mean = tuple(config.get("mean") or default.mean)
    std = tuple(config.get("std") or default.std)
    if channels == 1:
        mean, std = (sum(mean) / len(mean),) * 3, (sum(std) / len(std),) * 3
    return Preprocessing(size, size, mean, std, grey=channels == 1)  # type: ignore[arg-type]
