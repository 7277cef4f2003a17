"""Class activation maps (CAMs): where in the image the evidence for a class lies.

:func:`compute_cam` runs a CAM method of the grad-cam package (Grad-CAM, Grad-CAM++, Score-CAM,
XGrad-CAM, Eigen-CAM, Layer-CAM, HiResCAM) on a target layer. A CAM needs only the gradient of the class
score with respect to the target layer's output, not the gradient of every weight, so
:func:`cam_fast_path` freezes the weights and makes that output the one tensor that requires a gradient:
the backward pass then stops at the target layer, and a CAM costs about one forward pass
(``benchmarks/bench_cam.py`` measures it against a bare grad-cam call).

Which layer to explain: :func:`default_cam_layer` (the registry's, or the last spatial map, found on meta
tensors without a real forward pass), :func:`cam_layer_for_size` (moved earlier for small inputs) and
:func:`compare_layers` (the two maps shown side by side). :func:`pointing_hit` scores a map against an
object's box.
"""
from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Callable, Iterator, Sequence

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

from lab.cam_score import budgeted_score_cam
from lab.features import LayerShape, image_batch, layer_shapes, num_classes, resolve_layer
from lab.hooks import eval_mode, removing
from lab.models import TIMM_PREFIX, get_entry

# name -> grad-cam class name. Each differs only in how it weights the target layer's channels.
METHODS: dict[str, str] = {
    "gradcam": "GradCAM",  # Selvaraju et al. 2017: channel weight = mean gradient of the class score
    "gradcam++": "GradCAMPlusPlus",  # Chattopadhay et al. 2018: weights from 2nd/3rd-order gradient terms
    "xgradcam": "XGradCAM",  # Fu et al. 2020: gradients weighted by the normalised activations
    "layercam": "LayerCAM",  # Jiang et al. 2021: positive gradient × activation, per position
    "hirescam": "HiResCAM",  # Draelos & Carin 2020: gradient × activation, elementwise, summed over channels
    "scorecam": "ScoreCAM",  # Wang et al. 2020: each channel masks the input; weight = class score it keeps
    "eigencam": "EigenCAM",  # Muhammad & Yeasin 2020: first principal component of the activations
}
GRADIENT_METHODS = ("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam")

# ------------------------------------------------------------------------------------------- layers


def _candidates(model: nn.Module, size: int) -> list[LayerShape]:
    """Modules a CAM can target at a ``size`` px input: a spatial (4-D) output, run once per forward
    pass (a shared module's map is ambiguous), not a pooling layer (it only subsamples its input)."""
    rows = layer_shapes(model, (_in_channels(model), size, size))
    return [r for r in rows if len(r.shape) == 4 and r.calls == 1 and "Pool" not in r.kind]


def _in_channels(model: nn.Module) -> int:
    conv = next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)
    return conv.in_channels if conv is not None else 3


def default_cam_layer(model: nn.Module, model_name: str | None = None, input_size: int = 64) -> str:
    """The layer Grad-CAM targets by default.

    With a course model's name, the registry's ``cam_layer`` (the last convolutional stage). Otherwise
    the last module, in forward order, whose output is a spatial map (4-D, more than 1×1) and that runs
    once per forward pass, skipping pooling layers; found on meta tensors (no real forward pass).

    Raises:
        ValueError: no module has a spatial output.
    """
    if model_name and not model_name.startswith(TIMM_PREFIX):
        return get_entry(model_name).cam_layer
    candidates = [r.name for r in _candidates(model, input_size) if r.shape[2] * r.shape[3] > 1]
    if not candidates:
        raise ValueError("This model has no layer with a spatial output, so a CAM cannot be drawn.")
    return candidates[-1]


def cam_layer_for_size(model: nn.Module, name: str | None, size: int, min_side: int = 4) -> str:
    """The default CAM layer, moved earlier when the input is so small that its map is coarser than
    ``min_side``×``min_side`` (a 64 px input leaves a ResNet's last stage 2×2: a heat map of four cells).

    Returns the registry's layer when it is fine enough, else the last layer that runs once and
    outputs at least ``min_side``×``min_side``.
    """
    default = default_cam_layer(model, name, size)
    side = {r.name: min(r.shape[2:]) for r in _candidates(model, size)}
    if side.get(default, min_side) >= min_side:
        return default
    fine = [n for n, s in side.items() if s >= min_side]
    # Prefer a whole stage or block (the default's siblings or children: "layer3", "features.13") to
    # a layer deep inside one ("features.14.conv.0").
    parent = default.rsplit(".", 1)[0] + "." if "." in default else ""
    blocks = [n for n in fine if n.count(".") <= default.count(".") + 1 and n.startswith(parent)]
    return (blocks or fine or [default])[-1]


def compare_layers(
    names: Sequence[str], default: str, layer: str | None, method: str, layer_b: str | None, method_b: str
) -> tuple[str, str]:
    """The layers of two CAMs shown side by side, from the ones asked for (None or an unknown name: not
    asked). ``names`` are the layers on offer, in forward order.

    The left map uses ``layer``, else ``default``, else the last layer. The right map uses ``layer_b``;
    unasked, it is the left layer when the methods differ (two methods, one layer), else the stage
    before at the same depth ("layer3" for "layer4"), else the layer before (one method, two depths).
    """
    if layer not in names:
        layer = default if default in names else names[-1]
    if layer_b not in names:
        i = names.index(layer)
        stage = [n for n in names[:i] if n.count(".") == layer.count(".")]
        layer_b = layer if method_b != method else (stage[-1] if stage else names[max(0, i - 1)])
    return layer, layer_b


# --------------------------------------------------------------------------------------------- CAMs


@contextmanager
def cam_fast_path(model: nn.Module, layer: nn.Module) -> Iterator[None]:
    """Make ``layer``'s output the only tensor that requires a gradient, for as long as the block runs.

    Every parameter's ``requires_grad`` is switched off (and restored afterwards), and a forward hook
    that runs before any other hook on ``layer`` (the grad-cam package's included) replaces the layer's
    output with a copy that requires a gradient. The backward pass of a class score then computes the
    gradient with respect to that output and stops there: no weight gradients, nothing below the layer.
    The forward pass below the layer records no graph at all.

    Raises:
        ValueError: the layer runs more than once per forward pass (a shared module): a CAM of such a
            layer is ambiguous.
    """
    flags = [(p, p.requires_grad) for p in model.parameters()]
    calls = [0]

    def reset(module: nn.Module, args) -> None:
        calls[0] = 0

    def hook(module: nn.Module, args, output: torch.Tensor) -> torch.Tensor:
        calls[0] += 1
        if calls[0] > 1:
            raise ValueError(
                "This layer runs more than once in a forward pass (one module shared by several steps), "
                "so its CAM is ambiguous. Pick another layer, e.g. a block's output."
            )
        # clone(): a later in-place op (ReLU(inplace=True)) may modify it; a leaf would refuse that.
        return output.detach().requires_grad_(torch.is_grad_enabled()).clone()

    handles = [model.register_forward_pre_hook(reset), layer.register_forward_hook(hook, prepend=True)]
    try:
        for p, _ in flags:
            p.requires_grad_(False)
        with removing(handles):
            yield
    finally:
        for p, flag in flags:
            p.requires_grad_(flag)


def _cam_class(method: str):
    import pytorch_grad_cam  # imported on first use: it pulls in OpenCV, which the app's start need not wait for

    key = method.lower().replace("-", "").replace(" ", "").replace("_", "")
    key = {"gradcamplusplus": "gradcam++", "gradcampp": "gradcam++"}.get(key, key)
    if key not in METHODS:
        raise ValueError(f"Unknown CAM method {method!r}; choose one of {', '.join(METHODS)}.")
    if key == "scorecam":  # grad-cam's ScoreCAM, able to score only the strongest channels (lab.cam_score)
        return budgeted_score_cam()
    return getattr(pytorch_grad_cam, METHODS[key])


def _class_target(model: nn.Module, target_class: int | None) -> list | None:
    """grad-cam's target for ``target_class``; None (the top-1 prediction) for None."""
    if target_class is None:
        return None
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    n = num_classes(model)
    if n is not None and not 0 <= int(target_class) < n:
        raise ValueError(f"Class {target_class} does not exist: this model has classes 0 to {n - 1}.")
    return [ClassifierOutputTarget(int(target_class))]


def compute_cam(
    model: nn.Module,
    image: torch.Tensor | Image.Image,
    method: str = "gradcam",
    target_layer: str | nn.Module | None = None,
    target_class: int | None = None,
    *,
    model_name: str | None = None,
    fast: bool = True,
    channels: int | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """A class activation map: where in the image the evidence for a class lies.

    Args:
        model: a classifier returning logits (N × classes).
        image: a normalised tensor (C×H×W or 1×C×H×W) as from :func:`lab.images.preprocess`, or a PIL
            image (then its centre square is used at its own size, normalised with ImageNet statistics).
        method: one of :data:`METHODS` (gradcam, gradcam++, scorecam, xgradcam, eigencam, layercam, hirescam).
        target_layer: a qualified module name (``"layer4"``, ``"features.29"``) or the module itself;
            ``None`` = :func:`default_cam_layer` (the registry's for ``model_name``).
        target_class: the class whose evidence is mapped; ``None`` = the top-1 prediction.
        model_name: the course model's name, for the default layer.
        fast: use :func:`cam_fast_path` (same map, no weight gradients). ``False`` is the bare call.
        channels: Score-CAM only: score the strongest ``channels`` (:func:`lab.cam_score.plan_score_cam`
            picks them for a time budget); None = all, grad-cam's ScoreCAM exactly.
        on_batch: Score-CAM only: called as ``on_batch(done, total)`` after each batch of masked images.

    Returns:
        An H×W float32 array in [0, 1] at the input tensor's resolution (the CAM upsampled bilinearly).

    Raises:
        ValueError: unknown method or layer, a class index out of range, or a layer that runs twice.
    """
    cam_cls = _cam_class(method)
    x = image_batch(image, model)
    if target_layer is None:
        target_layer = default_cam_layer(model, model_name, input_size=x.shape[-1])
    _, layer = resolve_layer(model, target_layer)
    targets = _class_target(model, target_class)
    with eval_mode(model), (cam_fast_path(model, layer) if fast else nullcontext()):
        cam = cam_cls(model=model, target_layers=[layer])
        cam.channels, cam.on_batch = channels, on_batch  # read by Score-CAM only
        try:
            result = cam(input_tensor=x, targets=targets)
        finally:
            cam.activations_and_grads.release()  # grad-cam's own hooks, also on error
            model.zero_grad(set_to_none=True)  # a bare call leaves weight gradients behind
    return np.clip(result[0], 0.0, 1.0).astype(np.float32)


def pointing_hit(cam: np.ndarray, box: tuple[int, int, int, int], tolerance: int = 0) -> bool:
    """The pointing game (Zhang et al. 2016): is the map's peak inside the box ``(x0, y0, x1, y1)``?

    ``x1``/``y1`` are exclusive; ``tolerance`` widens the box by that many pixels on each side.
    The peak is the centre of the pixels that reach the maximum: a coarse map upsampled bilinearly is
    flat near the image border, and ``argmax`` would always pick that plateau's first pixel, the edge.
    """
    x, y = (int(round(v)) for v in cam_peak(cam))
    x0, y0, x1, y1 = box
    return x0 - tolerance <= x < x1 + tolerance and y0 - tolerance <= y < y1 + tolerance


def cam_peak(cam: np.ndarray) -> tuple[float, float]:
    """A map's peak ``(x, y)`` in its pixels: the centre of the pixels that reach the maximum (see
    :func:`pointing_hit`: a flat plateau's first pixel would be its edge)."""
    ys, xs = np.nonzero(cam >= cam.max() - 1e-6)
    return float(xs.mean()), float(ys.mean())
