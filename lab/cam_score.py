"""Score-CAM within a time budget: the strongest channels only, masked images forwarded in batches.

Score-CAM (Wang et al. 2020, §3) weights each channel k of the target layer by the class score of the input
masked with that channel's map (upsampled, scaled to [0, 1]); the weights are the softmax of those scores.
That is one forward pass per channel: 1280 of them at MobileNet-v2's last stage, over a minute on a laptop
CPU. :class:`BudgetedScoreCAM` scores only the ``channels`` strongest (highest mean activation, the ones that
dominate the weighted sum) and gives the others weight 0; with every channel it is grad-cam's ScoreCAM
exactly. :func:`plan_score_cam` picks that number from one timed batch so a map takes about ``budget_s``.
"""
from __future__ import annotations

import functools
import math
import time
import weakref
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from lab.hooks import eval_mode, removing

BATCH = 32  # masked images per forward pass (grad-cam's default is 16; 32 is faster per image on a CPU)
BUDGET_S = 6.0  # what a student waits for one Score-CAM map (measured on a loaded 2-core CPU: 6–12 s)
_PER_IMAGE_S: "weakref.WeakKeyDictionary[nn.Module, dict]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class ScorePlan:
    """How many channels a Score-CAM scores, of how many, and how long that should take."""

    channels: int
    total: int
    seconds: float  # the estimate, from a timed batch

    @property
    def forwards(self) -> int:
        """Forward passes: one to record the activations, one per batch of masked images."""
        return 1 + math.ceil(self.channels / BATCH)


def plan_score_cam(model: nn.Module, x: torch.Tensor, layer: nn.Module, budget_s: float = BUDGET_S) -> ScorePlan:
    """The channels of ``layer`` that fit in ``budget_s`` (at least one batch, at most all of them).

    The time per masked image is measured once per model and input shape (one forward pass of a batch),
    so the same image gets the same map while the app runs.
    """
    shape = tuple(x.shape[1:])
    seen = _PER_IMAGE_S.setdefault(model, {})
    total = [0]

    def count(module: nn.Module, args, output: torch.Tensor) -> None:
        total[0] = int(output.shape[1])

    with removing([layer.register_forward_hook(count)]), torch.no_grad(), eval_mode(model):
        model(x)  # the channel count; also a warm-up, so the timed batch below measures the arithmetic
        if shape not in seen:
            start = time.perf_counter()
            model(x.expand(BATCH, *shape))
            seen[shape] = (time.perf_counter() - start) / BATCH
    per_image = seen[shape]
    fit = max(1, int(budget_s / max(per_image, 1e-6)) // BATCH) * BATCH
    k = min(total[0], fit)
    return ScorePlan(k, total[0], per_image * (k + 1))


@functools.cache
def budgeted_score_cam() -> type:
    """grad-cam's ScoreCAM with :meth:`get_cam_weights` scoring only the strongest ``channels`` (None: all),
    in batches of :data:`BATCH`, calling ``on_batch(done, total)`` after each."""
    from pytorch_grad_cam import ScoreCAM  # imported on first use: it pulls in OpenCV

    class BudgetedScoreCAM(ScoreCAM):
        channels: int | None = None
        on_batch: Callable[[int, int], None] | None = None

        def get_cam_weights(self, input_tensor, target_layer, targets, activations, grads) -> np.ndarray:
            return _score_weights(self.model, input_tensor, targets[0], torch.from_numpy(activations),
                                  self.channels, self.on_batch)

    return BudgetedScoreCAM


def _score_weights(model: nn.Module, x: torch.Tensor, target: Callable, acts: torch.Tensor, channels: int | None,
                   on_batch: Callable[[int, int], None] | None) -> np.ndarray:
    """Score-CAM's channel weights (1×K): softmax of the class scores of the masked inputs, 0 for channels
    left out of the budget."""
    k_all = acts.shape[1]
    keep = torch.argsort(acts[0].mean(dim=(1, 2)), descending=True)[: channels or k_all]
    with torch.no_grad():
        masks = F.interpolate(acts[:, keep].to(x.device), size=x.shape[-2:], mode="bilinear", align_corners=True)[0]
        lo, hi = masks.amin(dim=(1, 2), keepdim=True), masks.amax(dim=(1, 2), keepdim=True)
        masks = (masks - lo) / (hi - lo + 1e-8)  # each map scaled to [0, 1], as grad-cam does
        scores = []
        for i in range(0, len(keep), BATCH):
            batch = x[0][None] * masks[i : i + BATCH, None]  # the image seen through each channel's map
            scores.extend(float(target(o)) for o in model(batch))
            if on_batch is not None:
                on_batch(min(i + BATCH, len(keep)), len(keep))
    weights = torch.zeros(1, k_all)
    weights[0, keep] = torch.tensor(scores).softmax(-1)
    return weights.numpy()
