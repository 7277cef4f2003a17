"""Batch normalisation from scratch, step by step as the course notes write it (Ioffe & Szegedy 2015, Alg. 1),
and equal to ``nn.BatchNorm1d`` / ``nn.BatchNorm2d`` in training and in evaluation mode.

For a mini-batch B of m values per channel (a fully connected layer: m = N; a convolution: m = N·H·W,
every position of the channel shares one mean and one variance):

    μ_B  = (1/m) Σ x_i                      the batch mean
    σ²_B = (1/m) Σ (x_i − μ_B)²             the batch variance (biased: divided by m)
    x̂_i  = (x_i − μ_B) / √(σ²_B + ε)        normalised
    y_i  = γ · x̂_i + β                      scaled and shifted (γ, β learned, one per channel)

Training also keeps moving averages for evaluation, where the batch is not used at all:
``running = (1 − momentum) · running + momentum · batch statistic``. Two details differ from the notes'
``batch_norm`` code and follow PyTorch instead, so that the result equals ``nn.BatchNorm2d`` exactly:
the notes' ``momentum=0.9`` is the weight of the *old* value (PyTorch's ``momentum=0.1`` is the weight of the
new one: the same average), and PyTorch's moving variance averages the *unbiased* batch variance
(σ²_B · m/(m − 1)) and starts at 1, where the notes average σ²_B and start at 0. :func:`notes_update` is the
notes' version, for showing the difference.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Step:
    """Everything one batch-norm call computes, per channel where it is a statistic (shape ``(C,)``)."""

    mean: torch.Tensor  # μ_B (training) or the running mean used (evaluation)
    var: torch.Tensor  # σ²_B (biased; training) or the running variance used (evaluation)
    x_hat: torch.Tensor  # the normalised input, shaped like x
    y: torch.Tensor  # γ·x̂ + β
    running_mean: torch.Tensor  # the moving averages after this call
    running_var: torch.Tensor
    m: int  # values per channel in the batch


def _per_channel(x: torch.Tensor) -> tuple[list[int], tuple[int, ...]]:
    """The dimensions a channel's statistics run over, and the shape that broadcasts ``(C,)`` onto x."""
    if x.dim() not in (2, 3, 4, 5):
        raise ValueError(f"Batch norm takes (N, C), (N, C, L), (N, C, H, W) or (N, C, D, H, W) inputs, not {x.dim()}-D.")
    return [0, *range(2, x.dim())], (1, x.shape[1], *[1] * (x.dim() - 2))


def batch_norm(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
               running_var: torch.Tensor, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> Step:
    """One batch-norm call, every intermediate kept (module docstring). In training the batch's statistics
    normalise and the moving averages are updated (new tensors; the arguments are not changed); in
    evaluation the moving averages normalise."""
    dims, shape = _per_channel(x)
    m = x.numel() // x.shape[1]
    if training:
        if m < 2:
            raise ValueError("Batch norm in training needs more than one value per channel (a batch of 1 at 1×1).")
        mean = x.mean(dims)
        var = ((x - mean.view(shape)) ** 2).mean(dims)  # σ²_B, divided by m
        with torch.no_grad():
            new_mean = (1 - momentum) * running_mean + momentum * mean
            new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)  # the unbiased variance
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)
    return Step(mean, var, x_hat, gamma.view(shape) * x_hat + beta.view(shape), new_mean, new_var, m)


def notes_update(running: torch.Tensor, batch: torch.Tensor, momentum: float = 0.9) -> torch.Tensor:
    """The notes' moving average: ``momentum · running + (1 − momentum) · batch`` (momentum = the old value's
    weight; the variance averaged as σ²_B, from a start of 0)."""
    return momentum * running + (1 - momentum) * batch


class BatchNorm(nn.Module):
    """Batch norm for a fully connected (``(N, C)``) or convolutional (``(N, C, H, W)``) layer, written out.

    Its parameters and buffers have ``nn.BatchNorm2d``'s names (``weight`` = γ, ``bias`` = β,
    ``running_mean``, ``running_var``, ``num_batches_tracked``), so either loads the other's state dict.
    ``last`` keeps the latest call's :class:`Step` for display.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
        self.last: Step | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        step = batch_norm(x, self.weight, self.bias, self.running_mean, self.running_var, self.training,
                          self.momentum, self.eps)
        if self.training:
            self.running_mean.copy_(step.running_mean)
            self.running_var.copy_(step.running_var)
            self.num_batches_tracked += 1
        self.last = step
        return step.y
