"""Model scaling: EfficientNet's compound scaling and MobileNet v1's width and resolution multipliers.

EfficientNet (Tan & Le 2019, arXiv 1905.11946, §3.3) grows a network along three dimensions at once:

    depth d = α^φ,   width w = β^φ,   resolution r = 224·γ^φ,   with α·β²·γ² ≈ 2,

so each step of the compound coefficient φ about doubles the FLOPs (a convolution's cost grows as
d·w²·r²). α = 1.2, β = 1.1, γ = 1.15 came from a small grid search on B0. MobileNet v1 (Howard et al.
2017, §3.3–3.4) had the same two knobs earlier: the width multiplier α and the resolution multiplier ρ.

What this module counts, and how
--------------------------------
:func:`efficientnet_cost` counts parameters, MACs and peak activation memory of a scaled EfficientNet
*from its stage table*, block by block, without building it: microseconds even at B7 size, which keeps
the Scaling tab's sliders live. The count uses lab.inspect's conventions (module docstring of
:mod:`lab.inspect`): MACs of convolutions and fully connected layers only; FLOPs ≈ 2 × MACs. The tests
check that it equals :func:`lab.inspect.summarize` on the network :func:`efficientnet` builds, for
B0–B7 and for other settings, so the arithmetic cannot drift from the real architecture.

**Peak activation memory** here is a simple, documented proxy: the largest *input + output* of a single
layer, batch 1, float32 (4 bytes), in MB (10⁶ bytes). In EfficientNet this is twice the largest feature
map (the batch norm or activation right after the widest expansion reads it and writes one as large).
A real runtime also keeps residual inputs alive and may work in place, so treat it as the order of
magnitude of what one image needs, not an allocator's exact peak.

Rounding (the notes' rules, as torchvision builds B0–B7)
---------------------------------------------------------
- channels: ``make_divisible(channels × width)``: nearest multiple of 8, never below 90% of the value;
- layers per MBConv stage: ``ceil(layers × depth)``; stages 1 and 9 are never repeated;
- :func:`compound` returns width and depth unrounded (the network rounds them as above) and the
  resolution rounded to the nearest whole pixel. The published B1–B7 were rounded and tuned by hand
  (B1 is 1.0/1.1/240, whereas φ = 1 gives 1.1/1.2/258), so :func:`compound` only approximates them;
  :func:`family_table` shows both side by side.
"""
from __future__ import annotations

import functools
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import torch
import torch.nn as nn

from lab.inspect import LayerRow, Summary, has_published_figures, published_resolution, summarize
from lab.layer_math import output_size
from lab.models import create_model, model_info
from lab.models.efficientnet import B0_STAGES, B0_STEM_CHANNELS, HEAD_RATIO, VARIANTS
from lab.models.layers import make_divisible
from lab.models.mobilenet import V1_LAYERS, V1_STEM_CHANNELS

# §3.3: the grid-searched ratios on B0 (α for depth, β for width, γ for resolution).
ALPHA, BETA, GAMMA = 1.2, 1.1, 1.15
BASE_RESOLUTION = 224  # B0's input side (paper Table 1)
BYTES_PER_VALUE = 4  # float32

# What the Scaling tab and the /scale endpoint accept. B7 is (2.0, 3.1, 600); the ranges leave room
# beyond it and stop before sizes lab.inspect refuses (1024 px) or that mean nothing to a student.
WIDTH_RANGE = (0.25, 4.0)
DEPTH_RANGE = (0.25, 8.0)
RESOLUTION_RANGE = (32, 1024)  # at 32 px the last stage sees a 1×1 map
COEFF_RANGE = (1.0, 2.0)  # α, β, γ: ≥ 1 so that φ > 0 grows every dimension (§3.3)
PHI_RANGE = (0.0, 8.0)

NUM_CLASSES = 1000  # ImageNet, as B0–B7


# ------------------------------------------------------------------------------------------ presets


@dataclass(frozen=True)
class Preset:
    """One published EfficientNet (the notes' table: width, depth, resolution, dropout)."""

    name: str  # "B0"…"B7"
    width: float
    depth: float
    resolution: int
    dropout: float

    @property
    def model(self) -> str:
        """The course model name, e.g. ``efficientnet_b3``."""
        return f"efficientnet_{self.name.lower()}"


# The table lives in lab.models.efficientnet (VARIANTS); here it is keyed by the paper's names.
PRESETS: dict[str, Preset] = {
    key.upper(): Preset(key.upper(), s.width, s.depth, s.resolution, s.dropout) for key, s in VARIANTS.items()
}


# The EfficientNet paper's Table 2: top-1 (%), parameters (millions) and FLOPS (billions) of B0–B7. The
# paper's "FLOPS" count multiply-adds, so they compare with lab's MACs as they are (not with 2 × MACs).
PAPER_TABLE2: dict[str, tuple[float, float, float]] = {
    "B0": (77.1, 5.3, 0.39), "B1": (79.1, 7.8, 0.70), "B2": (80.1, 9.2, 1.0), "B3": (81.6, 12, 1.8),
    "B4": (82.9, 19, 4.2), "B5": (83.6, 30, 9.9), "B6": (84.0, 43, 19), "B7": (84.3, 66, 37),
}


# ------------------------------------------------------------------------------------------ compound


def compound(
    phi: float, alpha: float = ALPHA, beta: float = BETA, gamma: float = GAMMA
) -> tuple[float, float, int]:
    """Compound scaling (§3.3): the ``(width, depth, resolution)`` of coefficient ``phi``.

    width = β^φ and depth = α^φ are returned unrounded (the network rounds channels to multiples of 8
    and layers up); resolution = 224·γ^φ is rounded to the nearest pixel.

    Raises:
        ValueError: α, β or γ outside [1, 2], or φ outside [0, 8].
    """
    for label, v in (("α (alpha)", alpha), ("β (beta)", beta), ("γ (gamma)", gamma)):
        _check_range(label, v, COEFF_RANGE, "the paper's are α = 1.2, β = 1.1, γ = 1.15")
    _check_range("φ (phi)", phi, PHI_RANGE, "B0 is φ = 0 and B7 about φ = 7")
    return beta**phi, alpha**phi, round(BASE_RESOLUTION * gamma**phi)


def compound_config(
    phi: float, alpha: float = ALPHA, beta: float = BETA, gamma: float = GAMMA
) -> tuple[float, float, int]:
    """:func:`compound`, checked against the ranges the lab builds (:func:`check_config`).

    Raises:
        ValueError: bad coefficients, or a φ that asks for a width, depth or resolution out of range
            (the sentence says which, and what to lower).
    """
    width, depth, resolution = compound(phi, alpha, beta, gamma)
    for label, value, (lo, hi), base in (
        ("width β^φ", width, WIDTH_RANGE, f"β = {beta:g}"),
        ("depth α^φ", depth, DEPTH_RANGE, f"α = {alpha:g}"),
        ("resolution 224·γ^φ", resolution, RESOLUTION_RANGE, f"γ = {gamma:g}"),
    ):
        if not lo <= value <= hi:
            raise ValueError(
                f"φ = {phi:g} with {base} asks for {label} = {value:.4g}, beyond the {lo:g}–{hi:g} this lab "
                f"builds; lower φ or {base.split(' ')[0]}."
            )
    return width, depth, resolution


def flops_factor(phi: float, alpha: float = ALPHA, beta: float = BETA, gamma: float = GAMMA) -> float:
    """The paper's prediction of how much FLOPs grow at ``phi``: (α·β²·γ²)^φ (FLOPs ∝ d·w²·r²)."""
    return (alpha * beta**2 * gamma**2) ** phi


# ------------------------------------------------------------------------------------------ the network


def efficientnet(width_mult: float, depth_mult: float, num_classes: int = NUM_CLASSES, dropout: float = 0.2) -> nn.Module:
    """The B0 network scaled by ``width_mult`` and ``depth_mult`` (lab.models.efficientnet.EfficientNet).

    The published settings (:data:`PRESETS`) give exactly ``create_model("efficientnet_bN")``: the same
    parameters and, for B5–B7, the same TensorFlow batch-norm settings their weights were trained with.
    Resolution is not a property of the network: feed it images of the side you chose.
    Build it under ``with torch.device("meta"):`` to count without allocating weights.

    Raises:
        ValueError: a multiplier outside :data:`WIDTH_RANGE` / :data:`DEPTH_RANGE`, or a bad dropout.
    """
    _check_range("width_mult", width_mult, WIDTH_RANGE, "B0 is 1.0 and B7 2.0")
    _check_range("depth_mult", depth_mult, DEPTH_RANGE, "B0 is 1.0 and B7 3.1")
    if not 0.0 <= dropout <= 1.0:
        raise ValueError(f"dropout must be between 0 and 1 (B0 uses 0.2), not {dropout!r}.")
    # A published setting is built by its own variant, which knows the batch norm its weights expect.
    variant = next((k for k, s in VARIANTS.items() if (s.width, s.depth) == (width_mult, depth_mult)), "b0")
    return create_model(f"efficientnet_{variant}", num_classes=num_classes, width_mult=width_mult,
                        depth_mult=depth_mult, dropout=dropout)


@dataclass(frozen=True)
class StageRow:
    """One row of the per-stage table (paper Table 1's columns, plus stride and the stage's cost)."""

    stage: int  # 1…9
    operator: str  # "Conv3x3", "MBConv6, k5x5", "Conv1x1 & Pooling & FC"
    kernel: int
    stride: int  # of the stage's first layer
    input_resolution: int  # side of the map entering the stage
    channels: int  # output channels
    layers: int
    params: int
    macs: int


@dataclass(frozen=True)
class Cost:
    """What a scaled EfficientNet costs (see the module docstring for the conventions)."""

    width_mult: float
    depth_mult: float
    resolution: int
    stages: tuple[StageRow, ...]
    params: int
    macs: int
    peak_activation_mb: float  # largest input + output of one layer, batch 1, float32
    peak_activation_where: str  # e.g. "stage 3, layer 1 (MBConv expansion)"

    @property
    def gmacs(self) -> float:
        """Multiply-accumulates in billions (torchvision's "GFLOPS" metadata counts these)."""
        return self.macs / 1e9

    @property
    def gflops(self) -> float:
        """FLOPs ≈ 2 × MACs (a multiply and an add), in billions."""
        return 2 * self.macs / 1e9

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers for JSON (the /scale endpoint)."""
        d = asdict(self)
        d["stages"] = [asdict(s) for s in self.stages]
        d.update(gmacs=self.gmacs, gflops=self.gflops)
        return d


def check_config(width_mult: float, depth_mult: float, resolution: int) -> None:
    """Raise ValueError with a sentence when a setting is outside what the lab accepts."""
    _check_range("width_mult", width_mult, WIDTH_RANGE, "B0 is 1.0 and B7 2.0")
    _check_range("depth_mult", depth_mult, DEPTH_RANGE, "B0 is 1.0 and B7 3.1")
    if isinstance(resolution, float) and resolution.is_integer():
        resolution = int(resolution)
    if not isinstance(resolution, int) or isinstance(resolution, bool):
        raise ValueError(f"resolution must be a whole number of pixels (B0 uses 224), not {resolution!r}.")
    _check_range("resolution", resolution, RESOLUTION_RANGE, "B0 uses 224 px and B7 600 px")


def efficientnet_cost(width_mult: float, depth_mult: float, resolution: int, num_classes: int = NUM_CLASSES) -> Cost:
    """Per-stage table, parameters, MACs and peak activation memory of a scaled EfficientNet.

    Counted block by block from the stage table (no network is built; see the module docstring);
    equal to :func:`lab.inspect.summarize` on ``efficientnet(width_mult, depth_mult)`` at
    ``resolution`` px. Cached, so moving a slider back costs nothing.

    Raises:
        ValueError: a setting outside :data:`WIDTH_RANGE`, :data:`DEPTH_RANGE`, :data:`RESOLUTION_RANGE`.
    """
    check_config(width_mult, depth_mult, resolution)
    return _cost(float(width_mult), float(depth_mult), int(resolution), num_classes)


class _Peak:
    """The peak-activation proxy while counting: the largest input + output of one layer so far, and where."""

    def __init__(self) -> None:
        self.numel, self.where = 0, ""

    def see(self, where: str, numel_in: int, numel_out: int) -> None:
        for pair in ((numel_in, numel_out), (numel_out, numel_out)):  # the conv, then its BN / activation
            if sum(pair) > self.numel:
                self.numel, self.where = sum(pair), where


def _conv(c_in: int, c_out: int, k: int, side_out: int, groups: int = 1) -> tuple[int, int]:
    """(params, MACs) of a bias-free conv followed by batch norm (its γ and β)."""
    weights = c_out * (c_in // groups) * k * k
    return weights + 2 * c_out, weights * side_out * side_out


def _mbconv_stage(number: int, row: tuple, channels: int, side: int, width: float, depth: float,
                  peak: _Peak) -> tuple[StageRow, int, int]:
    """One MBConv stage of the table (only its first layer strides); returns it, its channels and side."""
    expand, kernel, stride, base_out, base_layers = row
    out = make_divisible(base_out * width)
    layers = math.ceil(base_layers * depth)
    stage_params = stage_macs = 0
    stage_in = side
    for i in range(layers):
        expanded = make_divisible(channels * expand)
        squeeze = max(1, channels // 4)  # SE ratio 0.25 of the block's input channels
        out_side = output_size(side, kernel, stride if i == 0 else 1, (kernel - 1) // 2)
        where = f"stage {number}, layer {i + 1}"
        parts = []
        if expanded != channels:  # MBConv1 has no expansion
            parts.append(_conv(channels, expanded, 1, side))
            peak.see(f"{where} (1×1 expansion)", channels * side**2, expanded * side**2)
        parts.append(_conv(expanded, expanded, kernel, out_side, groups=expanded))
        peak.see(f"{where} (depthwise {kernel}×{kernel})", expanded * side**2, expanded * out_side**2)
        # SE: two 1×1 convolutions with biases on the pooled 1×1 map.
        parts.append((2 * expanded * squeeze + squeeze + expanded, 2 * expanded * squeeze))
        parts.append(_conv(expanded, out, 1, out_side))
        peak.see(f"{where} (1×1 projection)", expanded * out_side**2, out * out_side**2)
        stage_params += sum(p for p, _ in parts)
        stage_macs += sum(m for _, m in parts)
        channels, side = out, out_side
    return (StageRow(number, f"MBConv{expand}, k{kernel}x{kernel}", kernel, stride, stage_in, out, layers,
                     stage_params, stage_macs), channels, side)


@functools.lru_cache(maxsize=512)
def _cost(width: float, depth: float, resolution: int, num_classes: int) -> Cost:
    peak = _Peak()
    # Stage 1: 3×3 convolution, stride 2.
    channels = make_divisible(B0_STEM_CHANNELS * width)
    side = output_size(resolution, 3, 2, 1)
    p, m = _conv(3, channels, 3, side)
    peak.see("stage 1 (Conv3x3)", 3 * resolution**2, channels * side**2)
    stages = [StageRow(1, "Conv3x3", 3, 2, resolution, channels, 1, p, m)]
    # Stages 2–8: MBConv blocks.
    for number, row in enumerate(B0_STAGES, start=2):
        stage, channels, side = _mbconv_stage(number, row, channels, side, width, depth, peak)
        stages.append(stage)
    # Stage 9: 1×1 convolution to 4× the channels, global pooling, fully connected layer.
    head = HEAD_RATIO * channels
    p, m = _conv(channels, head, 1, side)
    peak.see("stage 9 (Conv1x1)", channels * side**2, head * side**2)
    fc = head * num_classes
    stages.append(StageRow(9, "Conv1x1 & Pooling & FC", 1, 1, side, head, 1, p + fc + num_classes, m + fc))
    return Cost(
        width_mult=width, depth_mult=depth, resolution=resolution, stages=tuple(stages),
        params=sum(s.params for s in stages), macs=sum(s.macs for s in stages),
        peak_activation_mb=peak.numel * BYTES_PER_VALUE / 1e6, peak_activation_where=peak.where,
    )


@dataclass(frozen=True)
class Measured:
    """lab.inspect's count on the network :func:`efficientnet` builds (the check of :func:`efficientnet_cost`)."""

    params: int
    macs: int
    peak_activation_mb: float
    seconds: float  # building on the meta device and one meta forward pass

    def agrees(self, cost: Cost) -> bool:
        """Whether the built network has exactly the table's parameters and MACs."""
        return (self.params, self.macs) == (cost.params, cost.macs)


def inspect_efficientnet(width_mult: float, depth_mult: float, resolution: int) -> Measured:
    """Build the scaled network on the meta device and count it with :func:`lab.inspect.summarize`.

    About a second at B7 size on a laptop CPU, against microseconds for :func:`efficientnet_cost`.

    Raises:
        ValueError: a setting outside the accepted ranges.
    """
    check_config(width_mult, depth_mult, resolution)
    start = time.perf_counter()
    with torch.device("meta"):  # shapes only: no weights are allocated
        model = efficientnet(width_mult, depth_mult)
    summary = summarize(model, (3, int(resolution), int(resolution)))
    return Measured(summary.total_params, summary.total_macs, peak_activation_mb(summary.rows),
                    time.perf_counter() - start)


def clear_caches() -> None:
    """Forget every cached count (for benchmarks that time a cold slider update)."""
    _cost.cache_clear()
    scaling_curves.cache_clear()
    _mobilenet_costs.cache_clear()
    _mobilenet_summary.cache_clear()


def peak_activation_mb(rows: list[LayerRow]) -> float:
    """The peak-activation proxy from :func:`lab.inspect.summarize` rows: the largest input + output of
    one layer, batch 1, float32, in MB. (How the tests hold :func:`efficientnet_cost` to the real net.)"""
    largest = max(
        math.prod(r.input_shape) + math.prod(r.output_shape)
        for r in rows
        if r.input_shape is not None and r.output_shape is not None
    )
    return largest * BYTES_PER_VALUE / 1e6


# ------------------------------------------------------------------------------------------ charts' data


SCALINGS = ("depth only", "width only", "resolution only", "compound")


@dataclass(frozen=True)
class Curves:
    """MACs against φ for each way of scaling B0 (the data of the "why scale all three" chart)."""

    phis: tuple[float, ...]
    macs: dict[str, tuple[int | None, ...]]  # keyed by SCALINGS; None where the setting is out of range
    predicted: tuple[float, ...]  # B0's MACs × (α·β²·γ²)^φ
    settings: dict[str, tuple[tuple[float, float, int], ...]] = field(repr=False)  # (w, d, r) per point


@functools.lru_cache(maxsize=64)
def scaling_curves(
    alpha: float = ALPHA, beta: float = BETA, gamma: float = GAMMA, phis: tuple[float, ...] | None = None
) -> Curves:
    """MACs of B0 scaled along one dimension (depth α^φ, width β^φ, resolution 224·γ^φ) or all three.

    A point whose setting leaves the accepted ranges (α = 2 asks for depth 2^7 = 128 at φ = 7) is None:
    the curve stops there instead of failing.

    Raises:
        ValueError: α, β, γ outside [1, 2], or a φ outside [0, 8].
    """
    if phis is None:
        phis = tuple(i / 4 for i in range(0, 29))  # 0 … 7 in steps of 0.25
    settings: dict[str, list[tuple[float, float, int]]] = {k: [] for k in SCALINGS}
    for phi in phis:
        w, d, r = compound(phi, alpha, beta, gamma)
        settings["depth only"].append((1.0, d, BASE_RESOLUTION))
        settings["width only"].append((w, 1.0, BASE_RESOLUTION))
        settings["resolution only"].append((1.0, 1.0, r))
        settings["compound"].append((w, d, r))
    macs = {k: tuple(_macs_or_none(*s) for s in v) for k, v in settings.items()}
    b0 = efficientnet_cost(1.0, 1.0, BASE_RESOLUTION).macs
    predicted = tuple(b0 * flops_factor(phi, alpha, beta, gamma) for phi in phis)
    return Curves(tuple(phis), macs, predicted, {k: tuple(v) for k, v in settings.items()})


def _macs_or_none(width: float, depth: float, resolution: int) -> int | None:
    try:
        return efficientnet_cost(width, depth, resolution).macs
    except ValueError:
        return None


@dataclass(frozen=True)
class FamilyRow:
    """A published EfficientNet next to what compound(φ = N) gives, with torchvision's ImageNet figures."""

    name: str  # "B3"
    phi: int
    official: tuple[float, float, int]  # (width, depth, resolution), the notes' table
    compound: tuple[float, float, int]  # compound(φ) with the paper's α, β, γ
    official_gmacs: float  # counted by efficientnet_cost at the official resolution
    compound_gmacs: float
    paper: tuple[float, float, float]  # PAPER_TABLE2: top-1 (%), params (M), multiply-adds (G)
    params: int  # counted by efficientnet_cost at the official setting
    acc1: float | None  # torchvision's published top-1 (%, paper-recipe weights), None if unavailable
    tv_gmacs: float | None  # torchvision's "GFLOPS" metadata (MACs at its evaluation size)
    tv_resolution: int | None  # the side torchvision evaluates its weights at
    plotted: bool  # published top-1 and cost both known: a point on the accuracy chart


@functools.lru_cache(maxsize=1)
def family_table() -> tuple[FamilyRow, ...]:
    """B0–B7: the official settings, compound(φ = 0…7) beside them, and torchvision's accuracy and cost.

    The accuracies are those published with torchvision's pretrained weights (offline metadata); no
    weights are loaded.
    """
    rows = []
    for phi, p in enumerate(PRESETS.values()):
        info = model_info(p.model)
        w, d, r = compound(phi)
        rows.append(FamilyRow(
            name=p.name, phi=phi, official=(p.width, p.depth, p.resolution), compound=(w, d, r),
            official_gmacs=efficientnet_cost(p.width, p.depth, p.resolution).gmacs,
            compound_gmacs=efficientnet_cost(w, d, r).gmacs, paper=PAPER_TABLE2[p.name],
            params=efficientnet_cost(p.width, p.depth, p.resolution).params, acc1=info.acc1, tv_gmacs=info.gflops, tv_resolution=published_resolution(p.model),
            plotted=has_published_figures(info),
        ))
    return tuple(rows)


# ------------------------------------------------------------------------------------------ MobileNet v1


MOBILENET_BASE = 224
MOBILENET_ALPHA_RANGE = (0.25, 1.0)  # the paper's α: 1, 0.75, 0.5, 0.25
MOBILENET_STEP = 32  # the network halves the map five times: ρ·224 must be a multiple of 32


@dataclass(frozen=True)
class MobileNetLayer:
    """One layer of MobileNet v1 with its cost by the notes' formula and as lab.inspect measures it.

    For a depthwise separable layer: D_K·D_K·αM·ρD_F·ρD_F (depthwise) + αM·αN·ρD_F·ρD_F (pointwise),
    against a standard convolution's D_K·D_K·αM·αN·ρD_F·ρD_F. ``feature`` is ρD_F, the side of the
    layer's *output* map (the formula assumes stride 1; for a stride-2 layer it is half the input).
    """

    layer: str  # "features.3"
    kind: str  # "standard conv", "depthwise separable", "fully connected"
    kernel: int  # D_K
    in_channels: int  # αM, as the network rounds it (multiple of 8)
    out_channels: int  # αN
    feature: int  # ρD_F
    stride: int
    depthwise_macs: int
    pointwise_macs: int
    formula_macs: int
    measured_macs: int  # lab.inspect on lab's mobilenet_v1
    standard_macs: int  # the same layer as one ordinary D_K×D_K convolution

    @property
    def ratio(self) -> float:
        """Separable / standard cost: 1/N + 1/D_K² (paper §3.1), with N = αN here."""
        return self.formula_macs / self.standard_macs

    @property
    def agrees(self) -> bool:
        """The notes' formula gives exactly what lab.inspect measures."""
        return self.formula_macs == self.measured_macs


@dataclass(frozen=True)
class MobileNetCost:
    """MobileNet v1 at width α and resolution ρ: the layer table and the totals."""

    alpha: float
    rho: float
    resolution: int
    layers: tuple[MobileNetLayer, ...]
    formula_macs: int
    measured_macs: int
    params: int  # lab.inspect's count (ρ does not change the weights)
    base_macs: int  # α = 1, ρ = 1 (569 M in the paper's Table 1)

    @property
    def agrees(self) -> bool:
        """The formula's total is exactly lab.inspect's."""
        return self.formula_macs == self.measured_macs

    @property
    def separable_ratio(self) -> float:
        """The separable layers' cost / what standard convolutions would cost instead."""
        sep = [r for r in self.layers if r.kind == "depthwise separable"]
        return sum(r.formula_macs for r in sep) / sum(r.standard_macs for r in sep)


def mobilenet_resolution(rho: float) -> int:
    """ρ·224 as a whole number of pixels; ValueError unless it is a multiple of 32 between 32 and 224."""
    side = round(rho * MOBILENET_BASE, 6)
    if not (0 < rho <= 1) or side % MOBILENET_STEP != 0:
        sizes = ", ".join(f"{k}/7 → {k * 32} px" for k in range(7, 3, -1))
        raise ValueError(
            f"ρ = {rho:g} gives a {side:g} px input. Choose ρ = k/7 (k = 1…7) so that ρ·224 is a multiple of "
            f"32 and every feature map is a whole ρ·D_F; the paper uses {sizes}."
        )
    return int(side)


def mobilenet_v1_costs(alpha: float, rho: float) -> MobileNetCost:
    """MobileNet v1's cost layer by layer: the notes' formula next to lab.inspect on lab's mobilenet_v1.

    Args:
        alpha: width multiplier α in [0.25, 1]; channels are αM rounded as the network rounds them.
        rho: resolution multiplier ρ = k/7 (input ρ·224 = 32…224 px).

    Raises:
        ValueError: α outside [0.25, 1] or a ρ that does not give a multiple of 32 px.
    """
    _check_range("α (width multiplier)", alpha, MOBILENET_ALPHA_RANGE, "the paper uses 1, 0.75, 0.5 and 0.25")
    return _mobilenet_costs(float(alpha), mobilenet_resolution(rho))


@functools.lru_cache(maxsize=64)
def _mobilenet_costs(alpha: float, resolution: int) -> MobileNetCost:
    summary = _mobilenet_summary(alpha, resolution)
    measured: dict[str, int] = {}
    for row in summary.rows:  # features.3.depthwise.0 → features.3
        key = "classifier" if row.name == "classifier" else ".".join(row.name.split(".")[:2])
        measured[key] = measured.get(key, 0) + row.macs
    rho = resolution / MOBILENET_BASE
    base_side = MOBILENET_BASE // 2  # D_F after the stride-2 stem, at ρ = 1

    def rho_d(d_f: int) -> int:  # ρ·D_F, whole because ρ·224 is a multiple of 32
        return round(rho * d_f)

    rows = []
    stem = make_divisible(V1_STEM_CHANNELS * alpha)
    f = rho_d(base_side)
    std = 3 * 3 * 3 * stem * f * f  # the image has 3 channels: α does not thin the input
    rows.append(MobileNetLayer("features.0", "standard conv", 3, 3, stem, f, 2, 0, 0, std, measured["features.0"], std))
    channels, d_f = stem, base_side
    for i, (stride, base_out) in enumerate(V1_LAYERS, start=1):
        out = make_divisible(base_out * alpha)
        d_f //= stride
        f = rho_d(d_f)
        dw, pw = 3 * 3 * channels * f * f, channels * out * f * f
        rows.append(MobileNetLayer(f"features.{i}", "depthwise separable", 3, channels, out, f, stride, dw, pw,
                                   dw + pw, measured[f"features.{i}"], 3 * 3 * channels * out * f * f))
        channels = out
    fc = channels * NUM_CLASSES
    rows.append(MobileNetLayer("classifier", "fully connected", 1, channels, NUM_CLASSES, 1, 1, 0, fc, fc,
                               measured["classifier"], fc))
    base = _mobilenet_summary(1.0, MOBILENET_BASE).total_macs if (alpha, resolution) != (1.0, 224) else summary.total_macs
    return MobileNetCost(alpha, rho, resolution, tuple(rows), sum(r.formula_macs for r in rows), summary.total_macs,
                         summary.total_params, base)


@functools.lru_cache(maxsize=64)
def _mobilenet_summary(alpha: float, resolution: int) -> Summary:
    with torch.device("meta"):  # shapes only: no weights are allocated or initialised
        model = create_model("mobilenet_v1", width_mult=alpha)
    return summarize(model, (3, resolution, resolution))


# ------------------------------------------------------------------------------------------ helpers


def _check_range(label: str, value: Any, bounds: tuple[float, float], hint: str) -> None:
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{label} must be a number between {lo:g} and {hi:g} ({hint}), not {value!r}.")
    if not lo <= value <= hi:
        raise ValueError(f"{label} = {value:g} is outside the range this lab accepts, {lo:g} to {hi:g} ({hint}).")
