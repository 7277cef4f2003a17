"""The course's building blocks side by side, each built as a real module at a chosen size and measured by
:func:`lab.inspect.summarize`, with the course notes' own figure beside it where they give one.

Every comparison is data: a title and a function ``(channels, side) -> [Built, ...]``. :func:`compare`
builds them and measures output shape, parameters, the convolution weights alone (what the notes count:
no biases, no BatchNorm), MACs and the receptive field of the block's output.

- three 3×3 convolutions against one 7×7 (VGG, §2.3): the same 7 px field, 27·C² against 49·C² weights;
- a 3×3 convolution at 256 channels, a basic block and a bottleneck (ResNet, Fig. 5): 589,824 against 69,632;
- an Inception module with and without its 1×1 reductions (GoogLeNet, Fig. 2), at inception (3a)'s size;
- a dense block's channels growing by k per layer (DenseNet, Eq. 2);
- a standard convolution against a depthwise-separable one (MobileNet v1, §3.1): 1/N + 1/D_K²;
- a convolution with and without squeeze-and-excitation, and MBConv with and without it (EfficientNet).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn as nn

from lab.inspect import summarize
from lab.models.densenet import DenseBlock
from lab.models.efficientnet import MBConv
from lab.models.googlenet import BasicConv2d, Inception
from lab.models.layers import SqueezeExcitation
from lab.models.mobilenet import DepthwiseSeparable
from lab.models.resnet import BasicBlock, Bottleneck


@dataclass(frozen=True)
class Built:
    """One block of a comparison, and the notes' count of its convolution weights where they give one."""

    label: str  # a template: {names} filled from ``values`` (the UI translates the template)
    module: nn.Module
    notes: str = ""  # the notes' formula, e.g. "3×3×256×256 = 589,824"
    notes_value: int | None = None
    values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BlockRow:
    """A built block, measured."""

    label: str  # the template filled in
    output_shape: tuple[int, ...]
    params: int
    conv_weights: int  # the weights of its convolutions alone, as the notes count them
    macs: int
    receptive_field: int | None
    notes: str
    notes_value: int | None
    template: str = ""  # the label before it was filled in, and its values
    values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    title: str
    build: Callable[[int, int], list[Built]]
    channels: int  # the notes' size, the default
    side: int


class Stack(nn.Sequential):
    """Convolutions one after another, each followed by a ReLU (VGG's stack)."""


class NaiveInception(nn.Module):
    """GoogLeNet's Figure 2(a): 1×1, 3×3 and 5×5 convolutions and a 3×3 max-pool side by side on the whole
    input, concatenated; no 1×1 reductions, so the pool passes every input channel on."""

    def __init__(self, in_channels: int, ch1x1: int, ch3x3: int, ch5x5: int) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = BasicConv2d(in_channels, ch3x3, kernel_size=3, padding=1)
        self.branch3 = BasicConv2d(in_channels, ch5x5, kernel_size=5, padding=2)
        self.branch4 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


def _stack(c: int, kernels: list[int]) -> Stack:
    layers: list[nn.Module] = []
    for k in kernels:
        layers += [nn.Conv2d(c, c, k, padding=k // 2, bias=False), nn.ReLU(inplace=True)]
    return Stack(*layers)


def _without_se(block: nn.Module) -> nn.Module:
    for name, child in block.named_modules():
        for sub, m in list(child.named_children()):
            if isinstance(m, SqueezeExcitation):
                setattr(child, sub, nn.Identity())
    return block


def _vgg(c: int, side: int) -> list[Built]:
    return [Built("three 3×3 convolutions", _stack(c, [3, 3, 3]), "3 × (9 × C²) = 27·C²", 27 * c * c),
            Built("one 7×7 convolution", _stack(c, [7]), "49·C²", 49 * c * c)]


def _resnet(c: int, side: int) -> list[Built]:
    b = c // Bottleneck.expansion
    return [Built("one 3×3 convolution", _stack(c, [3]), f"3×3×{c}×{c} = {9 * c * c:,}", 9 * c * c),
            Built("basic block (two 3×3)", BasicBlock(c, c)),
            Built("bottleneck {c}→{b}→{b}→{c}", Bottleneck(c, b),
                  f"1×1×{b}×{c} + 3×3×{b}×{b} + 1×1×{c}×{b} = {2 * b * c + 9 * b * b:,}", 2 * b * c + 9 * b * b,
                  dict(c=c, b=b))]


def _inception(c: int, side: int) -> list[Built]:
    # inception (3a) of Table 1, its branch widths scaled with the input's channels (192 in the paper).
    s = c / 192
    w = [max(1, round(n * s)) for n in (64, 96, 128, 16, 32, 32)]
    return [Built("naive: 1×1, 3×3, 5×5 and pool on the whole input", NaiveInception(c, w[0], w[2], w[4])),
            Built("with 1×1 reductions (Fig. 2b)", Inception(c, *w))]


def _dense(c: int, side: int) -> list[Built]:
    return [Built("dense block, {n} layers, k = 32", DenseBlock(n, c, 32, 4, 0.0), values=dict(n=n)) for n in (1, 3, 6)]


def _separable(c: int, side: int) -> list[Built]:
    return [Built("standard 3×3 convolution", _stack(c, [3]), "D_K·D_K·M·N", 9 * c * c),
            Built("depthwise 3×3 + pointwise 1×1", DepthwiseSeparable(c, c, 1), "D_K·D_K·M + M·N", 9 * c + c * c)]


def _se(c: int, side: int) -> list[Built]:
    return [Built("3×3 convolution", _stack(c, [3])),
            Built("3×3 convolution + SE (r = 16)", nn.Sequential(_stack(c, [3]), SqueezeExcitation(c, max(1, c // 16)))),
            Built("MBConv6 k3 without SE", _without_se(MBConv(c, c, 6, 3, 1, 0.0, nn.BatchNorm2d))),
            Built("MBConv6 k3 with SE", MBConv(c, c, 6, 3, 1, 0.0, nn.BatchNorm2d))]


COMPARISONS: dict[str, Comparison] = {
    "vgg_stack": Comparison("Three 3×3 against one 7×7 (VGG)", _vgg, 64, 56),
    "bottleneck": Comparison("Basic block against bottleneck (ResNet)", _resnet, 256, 56),
    "inception": Comparison("Inception with and without 1×1 reductions (GoogLeNet)", _inception, 192, 28),
    "dense": Comparison("A dense block's channel growth (DenseNet)", _dense, 64, 56),
    "separable": Comparison("Standard against depthwise separable (MobileNet)", _separable, 256, 14),
    "se": Comparison("Squeeze-and-excitation, alone and in MBConv (SENet, EfficientNet)", _se, 40, 28),
}
MAX_CHANNELS = 1024
MAX_SIDE = 224


def compare(name: str, channels: int | None = None, side: int | None = None) -> list[BlockRow]:
    """Build comparison ``name`` (a key of :data:`COMPARISONS`) for ``channels``×``side``×``side`` inputs
    (default: the notes' size) and measure each block."""
    if name not in COMPARISONS:
        raise ValueError(f"Unknown block comparison {name!r}; choose one of {', '.join(COMPARISONS)}.")
    cmp = COMPARISONS[name]
    c, side = channels or cmp.channels, side or cmp.side
    if not (4 <= c <= MAX_CHANNELS and c % 4 == 0) or not 8 <= side <= MAX_SIDE:
        raise ValueError(f"Blocks are built with 4 to {MAX_CHANNELS} channels (a multiple of 4) and 8 to {MAX_SIDE} "
                         f"px inputs, not {c} channels at {side} px.")
    rows = []
    for b in cmp.build(c, side):
        s = summarize(b.module, (c, side, side))
        out = s.blocks.get("")
        rows.append(BlockRow(b.label.format(**b.values), s.output_shape, s.total_params,
                             sum(m.weight.numel() for m in b.module.modules() if isinstance(m, nn.Conv2d)),
                             s.total_macs, out.receptive_field if out is not None else None, b.notes, b.notes_value,
                             b.label, b.values))
    return rows
