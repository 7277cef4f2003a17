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


# ------------------------------------------------------------------------------------------ the Layers tab's walk

MAX_BATCH, MAX_CHANNELS, MAX_STEPS = 8, 4, 30


@dataclass
class WalkStep:
    """One training step of the walk: the mini-batch, what batch norm computed on it, the moving averages after
    it as PyTorch keeps them and as the notes' ``batch_norm`` keeps them, and the same batch in evaluation."""

    x: torch.Tensor  # (N, C): the mini-batch
    train: Step  # normalised by its own μ_B, σ²_B; running_* after the update (PyTorch, momentum 0.1)
    notes_mean: torch.Tensor  # the notes' moving_mean after the update (momentum 0.9, from 0)
    notes_var: torch.Tensor  # the notes' moving_var (σ²_B averaged, from 0)
    eval: Step  # the same batch normalised by the moving averages (what .eval() does)


def walk(batch: int = 4, channels: int = 3, steps: int = 10, seed: int = 0, gamma: float = 1.0,
         beta: float = 0.0) -> tuple[list[WalkStep], torch.Tensor, torch.Tensor]:
    """``steps`` mini-batches of ``batch`` samples × ``channels`` features through one batch-norm layer (a
    fully connected layer's: m = N), as the notes walk through it. Each channel's values come from a normal
    distribution with its own mean and spread (seeded), so the moving averages have somewhere to go.
    Returns the steps and the distributions' true means and variances (per channel)."""
    if not (2 <= batch <= MAX_BATCH and 1 <= channels <= MAX_CHANNELS and 1 <= steps <= MAX_STEPS):
        raise ValueError(f"The walk takes 2 to {MAX_BATCH} samples, 1 to {MAX_CHANNELS} channels and 1 to "
                         f"{MAX_STEPS} steps, not {batch}, {channels} and {steps}.")
    g = torch.Generator().manual_seed(seed)
    true_mean = torch.randint(-4, 5, (channels,), generator=g).double()
    true_std = torch.randint(1, 4, (channels,), generator=g).double()
    gamma_t, beta_t = torch.full((channels,), float(gamma), dtype=torch.float64), torch.full(
        (channels,), float(beta), dtype=torch.float64)
    running_mean, running_var = torch.zeros(channels, dtype=torch.float64), torch.ones(channels, dtype=torch.float64)
    notes_mean, notes_var = torch.zeros(channels, dtype=torch.float64), torch.zeros(channels, dtype=torch.float64)
    out = []
    for _ in range(steps):
        x = true_mean + true_std * torch.randn(batch, channels, generator=g, dtype=torch.float64)
        train = batch_norm(x, gamma_t, beta_t, running_mean, running_var, training=True)
        running_mean, running_var = train.running_mean, train.running_var
        notes_mean, notes_var = notes_update(notes_mean, train.mean), notes_update(notes_var, train.var)
        evaluated = batch_norm(x, gamma_t, beta_t, running_mean, running_var, training=False)
        out.append(WalkStep(x, train, notes_mean, notes_var, evaluated))
    return out, true_mean, true_std**2


# ------------------------------------------------------------------------------------------ drift through depth

# How a plain network's convolutions start (fan_in = C·3·3). PyTorch's default (kaiming_uniform, a = √5) has
# variance 1/(3·fan_in): each conv + ReLU divides the variance by about 6. He et al. 2015 (§2.2) choose
# 2/fan_in so that it stays put; N(0, 1) multiplies it by fan_in/2.
INITS = {
    "PyTorch default": lambda w: nn.init.kaiming_uniform_(w, a=5**0.5),
    "He / Kaiming normal": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
    "N(0, 1)": lambda w: nn.init.normal_(w, 0.0, 1.0),
}
MAX_DEPTH = 30


@dataclass
class LayerStats:
    """What enters one layer's ReLU over a batch: its mean and standard deviation."""

    layer: int  # from 1
    mean: float
    std: float


def drift(depth: int = 20, init: str = "PyTorch default", normalised: bool = False, channels: int = 32,
          side: int = 8, batch: int = 16, seed: int = 0) -> list[LayerStats]:
    """A plain deep network at its random start, ``depth`` × (3×3 convolution [+ :class:`BatchNorm`] + ReLU),
    on a batch of N(0, 1) inputs: the mean and spread of what enters each ReLU. Without batch norm the spread
    shrinks or grows geometrically with depth (how fast depends on ``init``, a key of :data:`INITS`); with it
    every layer starts from mean 0 and spread 1 (the notes' “数值更稳定”)."""
    if init not in INITS:
        raise ValueError(f"Unknown initialisation {init!r}; choose one of {', '.join(INITS)}.")
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"The plain network has 1 to {MAX_DEPTH} layers here, not {depth}.")
    torch.manual_seed(seed)
    x = torch.randn(batch, channels, side, side)
    stats = []
    with torch.no_grad():
        for layer in range(1, depth + 1):
            conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            INITS[init](conv.weight)
            x = conv(x)
            if normalised:
                x = BatchNorm(channels)(x)  # training mode: this batch's statistics
            stats.append(LayerStats(layer, float(x.mean()), float(x.std())))
            x = torch.relu(x)
    return stats
