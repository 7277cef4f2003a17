"""Attention forming: the Grad-CAM of a few fixed validation images, captured while a network trains.

The training loop (:mod:`lab.train`) makes a :class:`Watch` before the first step and calls
:meth:`Watch.capture` then (epoch 0, the random weights) and after every epoch's evaluation. A capture is one
batched Grad-CAM of :data:`IMAGES` images: a forward pass and a backward pass that stops at the CAM layer
(:func:`lab.cam.cam_fast_path`), no pass over the data, so it costs a few milliseconds against an epoch's
seconds. Its events:

- ``{"kind": "watch", "layer", "indices", "labels", "images", "boxes"}`` once: which validation images
  (``images``: uint8 ``k × side × side × 3``, as the network sees them), the CAM layer, and for Shapes each
  object's box ``(x0, y0, x1, y1)`` in those pixels (else None);
- ``{"kind": "attention", "epoch", "maps", "preds", "probs", "seconds"}`` per epoch: the heat maps (uint8
  ``k × side × side``, 255 = the map's peak), the predicted class and its probability per image, and how
  long the capture took.

:func:`frames` gathers them from a run's events (a live run's, or a replayed one's: they are part of the
record, :mod:`lab.runs`); :func:`box_mass` is the share of a map's heat inside the object's box, the figure
that says whether attention moved onto the object.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Generator, Sequence

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from lab.augment import prepare_val_batch, validation_resize
from lab.cam import cam_fast_path, cam_layer_for_size
from lab.data import DataSplits, ImageSet
from lab.features import resolve_layer
from lab.hooks import eval_mode

IMAGES = 8  # fixed validation images watched: one per class in turn
SIDE = 96  # the stored images' and maps' side at most (px): thumbnails, and a small run record


def pick(labels: torch.Tensor, num_classes: int, k: int = IMAGES) -> list[int]:
    """``k`` validation indices, one per class in turn: the first image of each class, then the second of
    each…, in class order (deterministic: the same validation set gives the same images)."""
    by_class = [torch.nonzero(labels.cpu() == c).flatten().tolist() for c in range(num_classes)]
    picked: list[int] = []
    for rank in range(max((len(b) for b in by_class), default=0)):
        picked += [b[rank] for b in by_class if rank < len(b)]
        if len(picked) >= k:
            break
    return picked[:k]


def _thumbnails(x: torch.Tensor, side: int) -> torch.Tensor:
    """A float batch at most ``side`` px wide, by area averaging (the stored images and maps)."""
    return F.interpolate(x, size=(side, side), mode="area") if x.shape[-1] > side else x


class Watch:
    """The fixed validation images of a run and the layer whose Grad-CAM is captured each epoch.

    Args:
        model: the run's network (before or after it moved to its device).
        val: the validation set (uint8 images; ``boxes`` when the data set knows its objects' boxes).
        class_names: the data set's classes.
        model_name: the course model's name, for the CAM layer (:func:`lab.cam.cam_layer_for_size`).
        size: the input side; ``mean``/``std``: the normalisation; ``augmentation``: the run's recipe
            (a cropping recipe is validated on the centre crop, as :func:`lab.evaluate.evaluate` does).
        device: where the model runs; ``k``: how many images.

    Raises:
        ValueError: the model has no layer a CAM can target.
    """

    def __init__(self, model: nn.Module, val: ImageSet, class_names: Sequence[str], model_name: str, size: int,
                 mean: Sequence[float], std: Sequence[float], augmentation: str, device: torch.device,
                 k: int = IMAGES) -> None:
        self.indices = pick(val.labels, len(class_names), k)
        idx = torch.tensor(self.indices, dtype=torch.int64)
        self.labels = [int(val.labels[i]) for i in self.indices]
        self.layer = cam_layer_for_size(model, model_name, size)
        self.x = prepare_val_batch(val.images[idx.to(val.images.device)].to(device), size, mean, std, augmentation)
        self.side = min(size, SIDE)
        m = torch.tensor(mean, device=self.x.device).view(1, -1, 1, 1)
        s = torch.tensor(std, device=self.x.device).view(1, -1, 1, 1)
        seen = _thumbnails((self.x * s + m).clamp(0, 1), self.side)  # what the network sees, un-normalised
        self.images = (seen.expand(-1, 3, -1, -1) * 255).round().byte().permute(0, 2, 3, 1).cpu().numpy()
        self.boxes = None
        if val.boxes is not None and validation_resize(augmentation, size) is None:  # a plain resize: boxes scale
            scale = self.side / val.images.shape[-1]
            self.boxes = [[int(round(float(v) * scale)) for v in val.boxes[i]] for i in self.indices]

    def events(self, model: nn.Module, epoch: int) -> list[dict]:
        """What the loop yields at ``epoch``: the ``watch`` event first (epoch 0), then the capture."""
        return ([self.event()] if epoch == 0 else []) + [self.capture(model, epoch)]

    def event(self) -> dict:
        """The ``watch`` event: the images, their classes and boxes, the layer."""
        return {"kind": "watch", "layer": self.layer, "indices": self.indices, "labels": self.labels,
                "images": self.images, "boxes": self.boxes}

    def capture(self, model: nn.Module, epoch: int) -> dict:
        """The ``attention`` event of ``epoch``: one batched Grad-CAM of the images (each for its predicted
        class) in eval mode, at full precision; the weights and their gradients are left as they were."""
        from pytorch_grad_cam import GradCAM  # imported on first use, as in lab.cam

        t0 = time.perf_counter()
        _, layer = resolve_layer(model, self.layer)
        with eval_mode(model), cam_fast_path(model, layer):
            cam = GradCAM(model=model, target_layers=[layer])
            try:
                maps = cam(input_tensor=self.x, targets=None)  # None: each image's top-1 class
                logits = cam.outputs.detach().float()
            finally:
                cam.activations_and_grads.release()
                model.zero_grad(set_to_none=True)
        prob, pred = logits.softmax(1).max(1)
        heat = _thumbnails(torch.from_numpy(np.clip(maps, 0, 1)).float()[:, None], self.side)[:, 0]
        return {"kind": "attention", "epoch": epoch, "maps": (heat * 255).round().byte().numpy(),
                "preds": pred.cpu().tolist(), "probs": [round(p, 4) for p in prob.cpu().tolist()],
                "seconds": time.perf_counter() - t0}


def watch_run(model: nn.Module, splits: DataSplits, model_name: str, size: int,
              stats: tuple[Sequence[float], Sequence[float]], augmentation: str,
              device: torch.device) -> Generator[dict, None, Watch | None]:
    """The :class:`Watch` of a run (``stats``: its mean and std); for a model no CAM can explain, a note
    event and None (the run trains without attention frames)."""
    try:
        return Watch(model, splits.val, splits.class_names, model_name, size, *stats, augmentation, device)
    except ValueError as e:
        yield {"kind": "note", "message": f"No attention frames for this run: {e}"}
        return None


def box_mass(heat: np.ndarray, box: Sequence[int]) -> float:
    """The share of a heat map's total inside ``box`` ``(x0, y0, x1, y1)``, x1/y1 exclusive (0 for an
    all-zero map). A map spread evenly scores the box's share of the image (:func:`box_area`)."""
    total = float(heat.astype(np.float64).sum())
    x0, y0, x1, y1 = box
    return float(heat[y0:y1, x0:x1].astype(np.float64).sum()) / total if total > 0 else 0.0


def box_area(box: Sequence[int], side: int) -> float:
    """The share of a ``side`` × ``side`` image that ``box`` covers."""
    x0, y0, x1, y1 = box
    return (x1 - x0) * (y1 - y0) / side**2


@dataclass
class Frames:
    """A run's attention frames, gathered by :func:`frames`. Per image ``i``: ``images[i]``, ``labels[i]``
    (the true class), ``boxes[i]`` (or ``boxes`` None); per captured epoch ``j``: ``epochs[j]``,
    ``maps[j][i]``, ``preds[j][i]``, ``probs[j][i]``, ``seconds[j]``."""

    layer: str
    class_names: list[str]
    labels: list[int]
    images: np.ndarray
    boxes: list[list[int]] | None
    epochs: list[int]
    maps: list[np.ndarray]
    preds: list[list[int]]
    probs: list[list[float]]
    seconds: list[float]

    def index(self, epoch: int) -> int:
        """The position of ``epoch`` among the captured epochs, or of the last one captured before it."""
        before = [j for j, e in enumerate(self.epochs) if e <= epoch]
        return before[-1] if before else 0

    def in_box(self, j: int) -> list[float] | None:
        """The share of heat inside each image's box at captured epoch ``j`` (None without boxes)."""
        if self.boxes is None:
            return None
        return [box_mass(heat, box) for heat, box in zip(self.maps[j], self.boxes)]


def frames(events: list[dict]) -> Frames | None:
    """The attention frames in a run's events, or None when the run captured none (yet)."""
    watch = next((e for e in events if e.get("kind") == "watch"), None)
    shots = [e for e in events if e.get("kind") == "attention"]
    start = next((e for e in events if e.get("kind") == "start"), None)
    if watch is None or not shots:
        return None
    names = start["class_names"] if start else [str(c) for c in range(max(watch["labels"]) + 1)]
    return Frames(layer=watch["layer"], class_names=list(names), labels=list(watch["labels"]),
                  images=watch["images"], boxes=watch["boxes"], epochs=[e["epoch"] for e in shots],
                  maps=[e["maps"] for e in shots], preds=[e["preds"] for e in shots],
                  probs=[e["probs"] for e in shots], seconds=[e["seconds"] for e in shots])
