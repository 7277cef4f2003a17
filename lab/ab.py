"""A/B on one image: two networks, or one network at two checkpoints (before and after a Train-tab run), fed the
same picture and explained the same way, side by side.

:func:`compare` loads each side as the Inside tab does (:func:`lab.models.zoo.load_inside_model`: ImageNet,
Shapes, random or a checkpoint, fed as its weights expect), and computes for each: the top-5 classes, one CAM
(:func:`lab.cam.compute_cam`) of its top-1 class on the chosen layer, that layer's feature maps
(:func:`lab.features.feature_grid`), its parameters and MACs at its input size (:func:`lab.inspect.summarize`)
and its latency on this machine (:func:`forward_latency`). :class:`Comparison` adds what can be said of the
two together: whether their top-1 agree, which is more confident, and how far apart their CAM peaks lie in the
photo (each side sees its own crop of it: :func:`lab.images.crop_box` maps both back to the photo's pixels).
"""
from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

from lab import cam as lc
from lab import cam_score as cs
from lab import features as lf
from lab import inspect as li
from lab.hooks import eval_mode
from lab.images import ImageSource, crop_box, load_image
from lab.models import zoo

TIMED_RUNS = 3  # forwards timed per side; the median is reported


@dataclass(frozen=True)
class Pick:
    """What one side runs: a course model, its weights (:data:`lab.models.zoo.WEIGHTS`), the checkpoint file
    for ``weights="checkpoint"``, and the layer to explain (None: the model's default CAM layer)."""

    model: str
    weights: str = "auto"
    checkpoint: str | None = None
    layer: str | None = None


@dataclass
class Side:
    """One network's answer to the image."""

    model: str
    weights: str  # the weights used: "imagenet", "shapes", "random" or "checkpoint"
    detail: str  # which weights exactly (lab.models.zoo.InsideModel.detail)
    reason: str  # why better weights were not used, if they were not
    layer: str  # the layer explained (the CAM's and the feature maps')
    layers: list[lf.LayerShape]  # the layers a CAM can target, in forward order (a picker's choices)
    predictions: list[lf.Prediction]  # top-5, most likely first
    shown: Image.Image  # the crop the network gets, before normalisation
    cam: np.ndarray  # H×W in [0, 1] at the crop's resolution, for the top-1 class
    activation: lf.Activation  # the layer's output, C×H×W
    grid: lf.FeatureGrid  # its strongest channels as tiles
    params: int
    macs: int  # per image, at input_size
    input_size: tuple[int, int, int]
    latency_s: float  # median of TIMED_RUNS forwards of one image on this machine
    peak: tuple[float, float]  # the CAM's peak (x, y) in the photo's pixels

    @property
    def top1(self) -> lf.Prediction:
        return self.predictions[0]


@dataclass
class Comparison:
    """Both sides, and what is computed of the two together."""

    a: Side
    b: Side
    method: str
    image_size: tuple[int, int]  # the photo's (width, height)
    same_top1: bool  # the same class name first
    shared_top5: int  # class names in both top-5 lists
    more_confident: str | None  # "a" or "b": whose top-1 probability is higher; None if equal
    peak_distance: float  # between the CAM peaks, in the photo's pixels

    @property
    def peak_fraction(self) -> float:
        """:attr:`peak_distance` as a fraction of the photo's shorter side."""
        return self.peak_distance / min(self.image_size)


def forward_latency(model: nn.Module, x: torch.Tensor, runs: int = TIMED_RUNS) -> float:
    """The median time, in seconds, of ``runs`` forward passes of ``x`` (evaluation mode, no gradients), after
    one untimed pass (first-call allocations are not the network's cost)."""
    x = lf.image_batch(x, model)
    times = []
    with torch.no_grad(), eval_mode(model):
        model(x)
        for _ in range(max(1, runs)):
            start = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def explained_layer(m: zoo.InsideModel, layer: str | None) -> str:
    """The layer of ``m`` to explain: ``layer`` if ``m`` can show a CAM of it, its default CAM layer for None.

    Raises:
        ValueError: ``layer`` is not one of ``m``'s CAM layers (a layer of the other network, a typo).
    """
    names = [r.name for r in m.cam_layers]
    default = m.cam_layer if m.cam_layer in names else names[-1]
    if layer is None or layer == "":
        return default
    if not isinstance(layer, str) or layer not in names:
        raise ValueError(f"{m.name} has no layer {str(layer)[:60]!r} to explain (a layer of the other network?): "
                         f"pick one of its own from its list, or leave it empty for its default, {default}.")
    return layer


def run_side(m: zoo.InsideModel, image: Image.Image, method: str, layer: str | None = None,
             runs: int = TIMED_RUNS) -> Side:
    """One network's :class:`Side` for a loaded image (:func:`lab.images.load_image`)."""
    pre = m.prepare(image)
    with m.lock:  # hooks and requires_grad flags on the shared module: one request at a time
        layer = explained_layer(m, layer)
        probs = lf.class_probabilities(m.model, pre.tensor)
        preds = lf.top_classes(probs, m.class_names, k=5)
        channels = None
        if method == "scorecam":  # the strongest channels that fit Score-CAM's time budget, as the Inside tab
            channels = cs.plan_score_cam(m.model, pre.tensor, lf.resolve_layer(m.model, layer)[1]).channels
        cam = lc.compute_cam(m.model, pre.tensor, method, layer, preds[0].index, channels=channels)
        act = lf.feature_maps(m.model, pre.tensor, layers=[layer])[-1]
        size = tuple(pre.tensor.shape[1:])
        summary = li.summarize(m.model, size)
        latency = forward_latency(m.model, pre.tensor, runs)
    s = m.preprocessing
    left, top, right, bottom = crop_box(image.size, s.crop_size, s.resize_size)
    x, y = lc.cam_peak(cam)
    peak = (left + (x + 0.5) / cam.shape[1] * (right - left), top + (y + 0.5) / cam.shape[0] * (bottom - top))
    return Side(m.name, m.weights, m.detail, m.reason, layer, m.cam_layers, preds, pre.shown, cam, act,
                lf.feature_grid(act.tensor), summary.total_params, summary.total_macs, size, latency, peak)


def compare(image: ImageSource, a: Pick, b: Pick, method: str = "gradcam", runs: int = TIMED_RUNS) -> Comparison:
    """Two networks on one image: each side's predictions, CAM, feature maps, size and speed.

    Args:
        image: a path, bytes or PIL image (:func:`lab.images.load_image`).
        a, b: what each side runs (:class:`Pick`); the same pick twice gives two identical sides (but
            their latencies, measured twice).
        method: a CAM method of :data:`lab.cam.METHODS`, for both sides.
        runs: forwards timed per side.

    Raises:
        ValueError: an image that does not decode, an unknown method, model or weights, a missing or
            wrong checkpoint, a layer the side's network does not have; each says what to do.
    """
    if not isinstance(method, str) or method not in lc.METHODS:
        raise ValueError(f"Unknown CAM method {str(method)[:40]!r}; choose one of {', '.join(lc.METHODS)}.")
    photo = load_image(image)
    models = [zoo.load_inside_model(p.model, p.weights or "auto", p.checkpoint) for p in (a, b)]
    side_a, side_b = (run_side(m, photo, method, p.layer, runs) for m, p in zip(models, (a, b)))
    pa, pb = side_a.top1.probability, side_b.top1.probability
    return Comparison(
        side_a, side_b, method, photo.size,
        same_top1=side_a.top1.label == side_b.top1.label,
        shared_top5=len({p.label for p in side_a.predictions} & {p.label for p in side_b.predictions}),
        more_confident=None if pa == pb else "a" if pa > pb else "b",
        peak_distance=math.dist(side_a.peak, side_b.peak),
    )
