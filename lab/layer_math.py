"""The arithmetic of a single layer: output sizes, parameters, multiply-accumulates, and a convolution
computed one window at a time (the Layers tab).

Everything here is checked against PyTorch itself in the tests: the formulas are what ``nn.Conv2d``
and the pooling layers really do.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

MAX_SIDE = 4096  # larger inputs are refused: the numbers stop being instructive

# Classic 3×3 kernels a student meets before learned filters (names -> weights).
KERNELS: dict[str, list[list[float]]] = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box blur": [[1 / 9] * 3] * 3,
    "gaussian blur": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel x (vertical edges)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel y (horizontal edges)": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian (all edges)": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}

OPS = ("convolution", "max pooling", "average pooling")


def window_positions(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
                     ceil_mode: bool = False) -> int:
    """How many positions a window takes along one axis: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1, PyTorch's rule
    for convolution and pooling. With ``ceil_mode`` (pooling) the division rounds up, but the last window
    must still start inside the input or its left padding. The bare formula: ≤ 0 when the window does
    not fit (:func:`output_size` turns that into a sentence)."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def max_pool_padding(kernel: int) -> int:
    """The most padding PyTorch's pooling layers accept: half the window (more would pool padding only)."""
    return kernel // 2


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
                ceil_mode: bool = False) -> int:
    """Output side of a convolution or pooling window: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1
    (:func:`window_positions`; ``ceil_mode`` as in ``nn.MaxPool2d``).

    Raises ValueError when the (dilated) kernel does not fit in the padded input.
    """
    for label, v, lo in (("input size", size, 1), ("kernel", kernel, 1), ("stride", stride, 1), ("dilation", dilation, 1)):
        if v < lo:
            raise ValueError(f"The {label} must be at least {lo}, not {v}.")
    if padding < 0:
        raise ValueError(f"Padding cannot be negative ({padding}).")
    if size > MAX_SIDE:
        raise ValueError(f"Inputs larger than {MAX_SIDE} px are not supported here; try a smaller size.")
    out = window_positions(size, kernel, stride, padding, dilation, ceil_mode)
    if out < 1:
        span = dilation * (kernel - 1) + 1
        raise ValueError(
            f"The kernel spans {span} px (k={kernel}, dilation={dilation}) but the padded input is only "
            f"{size + 2 * padding} px: use a smaller kernel, more padding or a larger input."
        )
    return out


@dataclass
class ConvCost:
    """What one convolution costs, with the formulas filled in for a student to follow."""

    out_h: int
    out_w: int
    params: int
    macs: int
    size_formula: str
    params_formula: str
    macs_formula: str
    # The same mapping C_in -> C_out done two other ways, for comparison.
    separable_params: int  # depthwise k×k + pointwise 1×1 (MobileNet)
    separable_macs: int
    dense_params: int  # a fully connected layer between the same input and output volumes (MLP)
    dense_macs: int  # its multiply-accumulates: one per weight (a bias is an addition, not a MAC)


def conv_cost(
    in_channels: int,
    out_channels: int,
    height: int,
    width: int,
    kernel: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    groups: int = 1,
    bias: bool = True,
) -> ConvCost:
    """Output size, parameters and MACs of ``nn.Conv2d(in_channels, out_channels, kernel, ...)``.

    MACs (multiply-accumulates) are output elements × (C_in / groups) × k × k; one MAC is ≈ 2 FLOPs.
    """
    if in_channels < 1 or out_channels < 1:
        raise ValueError("Channels must be at least 1.")
    if groups < 1 or in_channels % groups or out_channels % groups:
        raise ValueError(
            f"Groups ({groups}) must divide both C_in ({in_channels}) and C_out ({out_channels}); "
            f"groups = C_in is a depthwise convolution."
        )
    oh = output_size(height, kernel, stride, padding, dilation)
    ow = output_size(width, kernel, stride, padding, dilation)
    per_filter = in_channels // groups * kernel * kernel
    params = out_channels * per_filter + (out_channels if bias else 0)
    macs = oh * ow * out_channels * per_filter
    span = dilation * (kernel - 1) + 1
    size_formula = (
        f"H_out = ⌊(H + 2p − d·(k−1) − 1) / s⌋ + 1 = ⌊({height} + 2·{padding} − {span - 1} − 1) / {stride}⌋ + 1 = {oh}"
    )
    params_formula = (
        f"C_out · (C_in/groups · k · k{' + 1' if bias else ''}) = {out_channels} · ({in_channels // groups} · {kernel} · {kernel}"
        f"{' + 1' if bias else ''}) = {params:,}"
    )
    macs_formula = (
        f"H_out · W_out · C_out · (C_in/groups · k · k) = {oh} · {ow} · {out_channels} · {per_filter} = {macs:,}"
    )
    # Depthwise separable: k×k depthwise on C_in, then 1×1 pointwise to C_out (Howard et al. 2017, §3.1).
    sep_params = in_channels * kernel * kernel + in_channels * out_channels + (in_channels + out_channels if bias else 0)
    sep_macs = oh * ow * (in_channels * kernel * kernel + in_channels * out_channels)
    dense_macs = (height * width * in_channels) * (oh * ow * out_channels)
    dense_params = dense_macs + (oh * ow * out_channels if bias else 0)
    return ConvCost(oh, ow, params, macs, size_formula, params_formula, macs_formula, sep_params, sep_macs, dense_params,
                    dense_macs)


def separable_ratio(out_channels: int, kernel: int) -> float:
    """Depthwise separable / standard convolution cost: 1/N + 1/D_K² (MobileNet paper §3.1, N output
    channels, D_K×D_K kernel). 3×3: 8–9× cheaper."""
    if out_channels < 1 or kernel < 1:
        raise ValueError(f"N and D_K must be positive, not N = {out_channels}, D_K = {kernel}.")
    return 1 / out_channels + 1 / kernel**2


@dataclass
class WindowStep:
    """One position of the sliding window: where it is, what it sees and what it writes."""

    row: int  # output row
    col: int  # output column
    top: int  # window's top-left in the padded input
    left: int
    patch: np.ndarray  # k×k input values under the window
    value: float  # what the output cell receives
    explanation: str


def sliding_window(
    x: np.ndarray, op: str, kernel: np.ndarray | int, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, np.ndarray, list[WindowStep]]:
    """Run a 2-D convolution or pooling one window at a time.

    Args:
        x: the input, H×W.
        op: one of :data:`OPS`.
        kernel: a k×k weight array for convolution, or the window side k for pooling.
        stride, padding: as in ``nn.Conv2d`` (zero padding; pooling pads with −∞ for max, 0 for average).

    Returns:
        (padded input, output H_out×W_out, the steps in row-major order). The output equals PyTorch's
        ``F.conv2d`` / ``F.max_pool2d`` / ``F.avg_pool2d`` (count_include_pad=True) — the tests check it.
    """
    if op not in OPS:
        raise ValueError(f"Unknown operation {op!r}; choose one of {', '.join(OPS)}.")
    k = int(kernel) if np.isscalar(kernel) else int(np.asarray(kernel).shape[0])
    if op != "convolution" and padding > max_pool_padding(k):
        raise ValueError(f"Pooling padding can be at most half the window ({max_pool_padding(k)}); PyTorch "
                         f"refuses more.")
    oh = output_size(x.shape[0], k, stride, padding)
    ow = output_size(x.shape[1], k, stride, padding)
    fill = -np.inf if op == "max pooling" else 0.0
    xp = np.pad(x.astype(np.float64), padding, constant_values=fill)
    out = np.zeros((oh, ow))
    steps = []
    w = np.asarray(kernel, dtype=np.float64) if op == "convolution" else None
    for r in range(oh):
        for c in range(ow):
            top, left = r * stride, c * stride
            patch = xp[top : top + k, left : left + k]
            if op == "convolution":
                value = float((patch * w).sum())
                terms = " + ".join(f"{a:g}·{b:g}" for a, b in zip(patch.ravel()[:4], w.ravel()[:4]))
                expl = f"Σ x·w = {terms}{' + …' if k * k > 4 else ''} = {value:.3g}"
            elif op == "max pooling":
                value = float(patch.max())
                expl = f"max of the {k}×{k} window = {value:.3g}"
            else:
                value = float(patch.mean())
                expl = f"mean of the {k}×{k} window (padding counts as 0) = {value:.3g}"
            out[r, c] = value
            steps.append(WindowStep(r, c, top, left, patch, value, expl))
    return xp, out, steps


def apply_kernel(image: np.ndarray, kernel_name: str, stride: int = 1, padding: int = 1) -> np.ndarray:
    """Convolve a greyscale image (H×W, values 0..1) with one of :data:`KERNELS`; returns H_out×W_out."""
    if kernel_name not in KERNELS:
        raise ValueError(f"Unknown kernel {kernel_name!r}; choose one of {', '.join(KERNELS)}.")
    w = torch.tensor(KERNELS[kernel_name], dtype=torch.float32)[None, None]
    x = torch.as_tensor(np.asarray(image, dtype=np.float32))[None, None]
    output_size(x.shape[-1], 3, stride, padding)  # raises a sentence when it does not fit
    with torch.no_grad():
        return F.conv2d(x, w, stride=stride, padding=padding)[0, 0].numpy()


# The non-linearities of the course, from PyTorch itself (so the curves are what the layers compute).
ACTIVATIONS = {
    "sigmoid (LeNet)": torch.sigmoid,
    "tanh": torch.tanh,
    "ReLU (AlexNet)": F.relu,
    "ReLU6 (MobileNet v2)": F.relu6,
    "Swish / SiLU (EfficientNet)": F.silu,
    "h-swish (MobileNet v3)": F.hardswish,
    "h-sigmoid (MobileNet v3 SE)": F.hardsigmoid,
    "GELU": F.gelu,
}


def activation_curves(names: list[str], lo: float = -6.0, hi: float = 6.0, n: int = 241) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{name: (x, f(x))}`` for the chosen :data:`ACTIVATIONS` over [lo, hi]."""
    unknown = [n_ for n_ in names if n_ not in ACTIVATIONS]
    if unknown:
        raise ValueError(f"Unknown activation {unknown[0]!r}; choose from {', '.join(ACTIVATIONS)}.")
    x = torch.linspace(lo, hi, n)
    return {name: (x.numpy(), ACTIVATIONS[name](x).numpy()) for name in names}


def mlp_layers(widths: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """Each fully connected layer of an MLP with these widths (input first): ``(inputs, outputs, weights,
    biases)``, what ``nn.Linear(inputs, outputs)`` holds."""
    mlp_params(widths)  # the same checks, the same sentence
    return [(a, b, a * b, b) for a, b in zip(widths, widths[1:])]


def mlp_params(widths: Sequence[int], bias: bool = True) -> tuple[int, str]:
    """Parameters of a fully connected network with these layer widths (input first), and the sum written
    out: the notes' 3072 → 4096 → 4096 → 10 for CIFAR-10 has 3072·4096 + 4096·4096 + 4096·10 = 29,401,088
    weights (and 8,202 biases)."""
    if len(widths) < 2 or any(not isinstance(w, int) or w < 1 for w in widths):
        raise ValueError("An MLP needs at least two layer widths, each a whole number of at least 1.")
    pairs = list(zip(widths, widths[1:]))
    weights = sum(a * b for a, b in pairs)
    biases = sum(widths[1:]) if bias else 0
    formula = " + ".join(f"{a:,}·{b:,}" for a, b in pairs) + (f" + {biases:,} biases" if bias else "")
    return weights + biases, f"{formula} = {weights + biases:,}"


def swish(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Swish (Ramachandran et al. 2017): x · σ(βx). β = 1 is SiLU (EfficientNet's); β = 0 gives x/2; as β grows
    it approaches ReLU."""
    return x * torch.sigmoid(beta * x)


def swish_curves(beta: float, lo: float = -6.0, hi: float = 6.0, n: int = 241) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Swish with this β beside its limits, over [lo, hi]: ``{"swish": x·σ(βx), "gate": σ(βx), "relu": ReLU,
    "half": x/2}`` (β = 0 is x/2, β → ∞ is ReLU; the gate σ(βx) goes from the constant ½ to a step)."""
    if not 0 <= beta <= 100:
        raise ValueError(f"Swish's β is shown from 0 to 100 here, not {beta}.")
    x = torch.linspace(lo, hi, n, dtype=torch.float64)
    curves = {"swish": swish(x, beta), "gate": torch.sigmoid(beta * x), "relu": F.relu(x), "half": x / 2}
    return {name: (x.numpy(), y.numpy()) for name, y in curves.items()}


def softmax(logits: Sequence[float], temperature: float = 1.0) -> list[float]:
    """exp(zᵢ/T) / Σⱼ exp(zⱼ/T): scores into probabilities that sum to 1 (T > 0; a large T flattens them)."""
    if not temperature > 0:
        raise ValueError(f"The softmax temperature must be above 0, not {temperature}.")
    return torch.softmax(torch.tensor(list(logits), dtype=torch.float64) / temperature, 0).tolist()
