"""Pretrained ImageNet weights: torchvision's (timm's for MobileNet v1), loaded strictly into lab's own
definitions through the standard torch hub cache.

Weights and their metadata live here, apart from the architectures (as in torchvision). Offline, with
nothing cached, loading raises :class:`WeightsUnavailable` with a sentence the UI can show; the app
then goes on with random weights and says so.
"""
from __future__ import annotations

import os
import re
from typing import Any

import torch
import torch.nn as nn

from lab.models.registry import Entry


class WeightsUnavailable(ValueError):
    """Pretrained weights are neither in the local cache nor downloadable (e.g. no network)."""


def torchvision_weights(entry: Entry) -> Any:
    """The torchvision weights enum member (its DEFAULT) that fits this entry."""
    from torchvision import models as tvm

    return getattr(tvm, entry.tv_weights).DEFAULT


def cache_path(url: str) -> str:
    """Where ``torch.hub`` keeps the file downloaded from ``url`` ($TORCH_HOME/hub/checkpoints/...)."""
    return os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(url))


def is_cached(name: str) -> bool:
    """Whether the pretrained weights of a course model are already on disk (no network needed)."""
    from lab.models.registry import get_entry

    entry = get_entry(name)
    if entry.tv_weights:
        return os.path.exists(cache_path(torchvision_weights(entry).url))
    return False


def _fetch_torchvision_state_dict(entry: Entry) -> dict[str, torch.Tensor]:
    url = torchvision_weights(entry).url
    path = cache_path(url)
    if not os.path.exists(path):
        try:
            torch.hub.download_url_to_file(url, path, progress=False)
        except Exception as e:  # URLError, socket errors, HTTP errors: all mean "not reachable"
            if os.path.exists(path + ".partial"):
                os.remove(path + ".partial")
            raise WeightsUnavailable(
                f"Pretrained weights for {entry.name} are not in the cache and cannot be downloaded "
                f"({type(e).__name__}). Connect to the internet once, or copy the file to {path}; "
                f"until then the model runs with random weights."
            ) from e
    # A checkpoint is user-replaceable input: never unpickle arbitrary objects.
    return torch.load(path, map_location="cpu", weights_only=True)


# torchvision's DenseNet checkpoints predate module names with dots removed ("norm.1" -> "norm1").
_DENSENET_OLD_KEY = re.compile(
    r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"
)


def _upgrade_keys(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = {}
    for key, value in state_dict.items():
        m = _DENSENET_OLD_KEY.match(key)
        out[m.group(1) + m.group(2) if m else key] = value
    return out


def load_state_dict_into(model: nn.Module, state_dict: dict[str, torch.Tensor], name: str) -> list[str]:
    """Load a full ImageNet state_dict strictly, except for what the model legitimately lacks.

    Two differences are allowed, and reported in the returned list of skipped keys:
    - auxiliary heads (``aux1``, ``aux2``, ``AuxLogits``) in the checkpoint when the model was built
      without them (GoogLeNet / Inception-v3 with ``aux_logits=False``);
    - classifier tensors whose shape differs because the model has another ``num_classes``.
    Everything else must match exactly, or a ValueError explains which keys did not.
    """
    own = model.state_dict()
    state_dict = _upgrade_keys(state_dict)
    kept, skipped = {}, []
    for key, value in state_dict.items():
        if key not in own and re.match(r"^(aux1|aux2|AuxLogits)\.", key):
            skipped.append(key)
        elif key in own and own[key].shape != value.shape and value.shape[:1] == (1000,):
            skipped.append(key)  # the classifier of another number of classes
        else:
            kept[key] = value
    # Checkpoints from before PyTorch 0.4.1 (torchvision's DenseNets) carry no BatchNorm step counter;
    # load_state_dict leaves those buffers as they are, which is harmless at inference.
    missing = [k for k in own if k not in kept and k not in skipped and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in kept if k not in own]
    if missing or unexpected:
        raise ValueError(
            f"The pretrained weights do not fit lab's {name}: missing {missing[:5]}, unexpected "
            f"{unexpected[:5]}. This is a bug in lab's definition; please report it."
        )
    result = model.load_state_dict(kept, strict=False)
    # Only the skipped classifier tensors and the step counters may be missing now.
    assert all(k in skipped or k.endswith("num_batches_tracked") for k in result.missing_keys), result.missing_keys
    return skipped


def load_pretrained(model: nn.Module, entry: Entry) -> nn.Module:
    """Load the published ImageNet weights of ``entry`` into ``model`` (in place) and return it."""
    if entry.tv_weights:
        state_dict = _fetch_torchvision_state_dict(entry)
    elif entry.timm_weights:
        state_dict = _fetch_timm_state_dict(entry)
    else:
        raise WeightsUnavailable(
            f"There are no published ImageNet weights for {entry.name}; train it in the Train tab instead."
        )
    load_state_dict_into(model, state_dict, entry.name)
    if hasattr(model, "on_pretrained_loaded"):
        model.on_pretrained_loaded()  # e.g. Inception's transform_input, as torchvision sets it
    return model


def _fetch_timm_state_dict(entry: Entry) -> dict[str, torch.Tensor]:
    """timm's weights for ``entry.timm_weights`` (from the Hugging Face cache or hub), in lab's key names."""
    import importlib

    import timm

    try:
        src = timm.create_model(entry.timm_weights, pretrained=True)
    except Exception as e:
        raise WeightsUnavailable(
            f"Pretrained weights for {entry.name} (timm {entry.timm_weights}) are not in the cache and "
            f"cannot be downloaded ({type(e).__name__}). The model runs with random weights."
        ) from e
    family = importlib.import_module(entry.builder.__module__)
    return family.state_dict_from_timm(src.state_dict())


def create_timm_pretrained(arch: str, num_classes: int, **kwargs: Any) -> nn.Module:
    """A timm architecture with its pretrained weights, or WeightsUnavailable offline."""
    import timm

    try:
        return timm.create_model(arch, pretrained=True, num_classes=num_classes, **kwargs)
    except Exception as e:
        raise WeightsUnavailable(
            f"Pretrained weights for timm:{arch} are not in the cache and cannot be downloaded "
            f"({type(e).__name__}). The model runs with random weights."
        ) from e
