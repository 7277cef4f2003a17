"""Inception-v3: Szegedy et al. 2015, "Rethinking the Inception Architecture for Computer Vision"
(arXiv 1512.00567).

Inception-v3 keeps GoogLeNet's idea of parallel branches but makes every branch cheaper by *factorising*
big convolutions (§3): a 5x5 becomes two stacked 3x3s (same receptive field, 28% fewer weights), and an
n x n becomes a 1 x n followed by an n x 1 (for n = 7, 14 weights per channel pair instead of 49). The grid
is shrunk by running a stride-2 convolution and a stride-2 pool side by side (§5), so that no branch
becomes a representational bottleneck. One batch-normalised auxiliary classifier regularises training (§4).
It expects 299x299 images.

The layout is Google's released model, which torchvision's ``Inception3`` ports (its weights load strictly);
it differs in small ways from the paper's Table 1, noted where it matters.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from lab.models.googlenet import BasicConv2d, check_dropout, expect_inception_range, to_inception_range
from lab.models.registry import Paper, register_model

# The stem, before the first Inception block (Table 1's first seven rows, as Google's released model has
# them): (name, in, out, kernel, stride, padding); "pool" rows are 3x3/2 max pools.
STEM = [
    ("Conv2d_1a_3x3", 3, 32, 3, 2, 0),  # 299 -> 149
    ("Conv2d_2a_3x3", 32, 32, 3, 1, 0),  # -> 147
    ("Conv2d_2b_3x3", 32, 64, 3, 1, 1),
    ("maxpool1",),  # -> 73
    ("Conv2d_3b_1x1", 64, 80, 1, 1, 0),
    ("Conv2d_4a_3x3", 80, 192, 3, 1, 0),  # -> 71
    ("maxpool2",),  # -> 35
]

# The Inception blocks (Table 1's "3 x Inception / 5 x Inception / 2 x Inception" rows, where the released
# model counts the two grid reductions as blocks of their own): (name, block, in_channels, options).
# Options: pool_features for A; channels_7x7 (the width inside the factorised 7x7 branches) for C.
MIXED = [
    ("Mixed_5b", "A", 192, (32,)),  # 35x35 grid, Figure 5
    ("Mixed_5c", "A", 256, (64,)),
    ("Mixed_5d", "A", 288, (64,)),
    ("Mixed_6a", "B", 288, ()),  # reduction 35 -> 17, Figure 10
    ("Mixed_6b", "C", 768, (128,)),  # 17x17 grid, Figure 6 with n = 7
    ("Mixed_6c", "C", 768, (160,)),
    ("Mixed_6d", "C", 768, (160,)),
    ("Mixed_6e", "C", 768, (192,)),
    ("Mixed_7a", "D", 768, ()),  # reduction 17 -> 8
    ("Mixed_7b", "E", 1280, ()),  # 8x8 grid, Figure 7
    ("Mixed_7c", "E", 2048, ()),
]
AUX_AFTER = "Mixed_6e"  # §4 / Figure 8: the auxiliary classifier sits on the last 17x17 layer

INCEPTION_V3 = Paper(
    family="Inception-v3",
    year=2015,
    title="Rethinking the Inception Architecture for Computer Vision",
    arxiv="https://arxiv.org/abs/1512.00567",
    key_idea="Factorise big convolutions into small ones (5x5 into two 3x3, 7x7 into 1x7 then 7x1) and shrink "
    "the grid with parallel stride-2 conv and pool branches, for more depth at the same cost.",
)

InceptionOutputs = namedtuple("InceptionOutputs", ["logits", "aux_logits"])
InceptionOutputs.__doc__ = "What Inception-v3 returns in training mode with its auxiliary classifier."


class InceptionA(nn.Module):
    """35x35 block (Figure 5): 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | avg pool -> 1x1."""

    def __init__(self, in_channels: int, pool_features: int) -> None:
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 64, kernel_size=1)
        # Google's released model keeps a plain 5x5 branch next to the factorised one.
        self.branch5x5_1 = BasicConv2d(in_channels, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        # §3.1: two stacked 3x3 convolutions see a 5x5 window with 18 instead of 25 weights per channel pair.
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(in_channels, pool_features, kernel_size=1)

    def forward(self, x: Tensor) -> Tensor:
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b5, b3, bp], dim=1)


class InceptionB(nn.Module):
    """Grid reduction 35x35 -> 17x17 (§5, Figure 10): stride-2 conv branches next to a stride-2 max pool."""

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.branch3x3 = BasicConv2d(in_channels, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x: Tensor) -> Tensor:
        # §5: pooling first makes a bottleneck, convolving first costs 4x; do both in parallel and concatenate.
        b3 = self.branch3x3(x)
        b3dbl = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([b3, b3dbl, bp], dim=1)


class InceptionC(nn.Module):
    """17x17 block (Figure 6, n = 7): each 7x7 convolution is factorised into a 1x7 and a 7x1."""

    def __init__(self, in_channels: int, channels_7x7: int) -> None:
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(in_channels, 192, kernel_size=1)
        # §3.2: a 1x7 then a 7x1 see a 7x7 window with 14 instead of 49 weights per channel pair.
        self.branch7x7_1 = BasicConv2d(in_channels, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        # The "double" branch stacks two factorised 7x7s (a 13x13 window).
        self.branch7x7dbl_1 = BasicConv2d(in_channels, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(in_channels, 192, kernel_size=1)

    def forward(self, x: Tensor) -> Tensor:
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        b7dbl = self.branch7x7dbl_1(x)
        b7dbl = self.branch7x7dbl_3(self.branch7x7dbl_2(b7dbl))
        b7dbl = self.branch7x7dbl_5(self.branch7x7dbl_4(b7dbl))
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b7, b7dbl, bp], dim=1)


class InceptionD(nn.Module):
    """Grid reduction 17x17 -> 8x8 (§5): stride-2 conv branches next to a stride-2 max pool."""

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.branch3x3_1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x: Tensor) -> Tensor:
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = self.branch7x7x3_2(self.branch7x7x3_1(x))
        b7 = self.branch7x7x3_4(self.branch7x7x3_3(b7))
        bp = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([b3, b7, bp], dim=1)


class InceptionE(nn.Module):
    """8x8 block with expanded filter banks (Figure 7): 3x3s split into parallel 1x3 and 3x1 outputs."""

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(in_channels, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(in_channels, 192, kernel_size=1)

    def forward(self, x: Tensor) -> Tensor:
        # §2 / Figure 7: on the coarsest grid, widen (1x3 and 3x1 side by side) rather than deepen,
        # to give high-dimensional representations.
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], dim=1)
        b3dbl = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        b3dbl = torch.cat([self.branch3x3dbl_3a(b3dbl), self.branch3x3dbl_3b(b3dbl)], dim=1)
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b3, b3dbl, bp], dim=1)


BLOCKS: dict[str, type[nn.Module]] = {
    "A": InceptionA,
    "B": InceptionB,
    "C": InceptionC,
    "D": InceptionD,
    "E": InceptionE,
}


class InceptionAux(nn.Module):
    """The auxiliary classifier (Figure 8): 5x5/3 average pool, 1x1 conv, 5x5 conv, linear classifier.

    Its convolutions are batch-normalised: §4 finds the main classifier does better when this side branch is.
    """

    def __init__(self, in_channels: int, num_classes: int) -> None:
        super().__init__()
        self.conv0 = BasicConv2d(in_channels, 128, kernel_size=1)
        self.conv1 = BasicConv2d(128, 768, kernel_size=5)
        self.fc = nn.Linear(768, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = F.avg_pool2d(x, kernel_size=5, stride=3)  # 17x17 -> 5x5
        x = self.conv1(self.conv0(x))  # 5x5 -> 1x1
        x = torch.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1)
        return self.fc(x)


class Inception3(nn.Module):
    """Inception-v3 (torchvision's class name and module names).

    Args:
        num_classes: size of the classifier's output.
        aux_logits: build the auxiliary classifier ``AuxLogits`` on Mixed_6e. It only runs in training
            mode, and then needs 299x299 inputs.
        transform_input: map ImageNet-normalised inputs to the [-1, 1] range the ported ImageNet weights
            expect (turned on by :func:`expect_inception_range` once they are loaded).
        dropout: dropout before the final classifier.

    Raises:
        ValueError: a dropout outside [0, 1].
    """

    def __init__(
        self, num_classes: int = 1000, aux_logits: bool = True, transform_input: bool = False, dropout: float = 0.5
    ) -> None:
        super().__init__()
        check_dropout("dropout", dropout)
        self.aux_logits = aux_logits
        self.transform_input = transform_input

        for name, *conv in STEM:
            if conv:
                in_ch, out_ch, kernel, stride, padding = conv
                self.add_module(name, BasicConv2d(in_ch, out_ch, kernel_size=kernel, stride=stride, padding=padding))
            else:
                self.add_module(name, nn.MaxPool2d(kernel_size=3, stride=2))
        self.AuxLogits: nn.Module | None = None
        for name, block, in_channels, options in MIXED:
            self.add_module(name, BLOCKS[block](in_channels, *options))
            if name == AUX_AFTER and aux_logits:  # registered here so the module order follows the data flow
                self.AuxLogits = InceptionAux(768, num_classes)

        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(2048, num_classes)
        self._init_weights()

    def _init_weights(self) -> None:
        # torchvision's scheme: normal weights with std 0.1, smaller in the auxiliary head (0.01 for its
        # 5x5 conv, 0.001 for its classifier) so it starts close to silent.
        small_std = {}
        if self.AuxLogits is not None:
            small_std = {self.AuxLogits.conv1.conv: 0.01, self.AuxLogits.fc: 0.001}
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, mean=0.0, std=small_std.get(m, 0.1), a=-2, b=2)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor | InceptionOutputs:
        """Logits (N, num_classes); in training mode with the aux head, ``InceptionOutputs(logits, aux_logits)``.

        Raises:
            ValueError: an input smaller than 75x75 pixels, or smaller than 299x299 when the auxiliary
                classifier runs (training mode with ``aux_logits=True``).
        """
        run_aux = self.training and self.AuxLogits is not None
        min_size = 299 if run_aux else 75
        if min(x.shape[-2:]) < min_size:
            way_out = " Resize the images, or build the model with aux_logits=False." if run_aux else ""
            raise ValueError(
                f"Inception-v3 needs images of at least {min_size}x{min_size} pixels here, "
                f"got {tuple(x.shape[-2:])}.{way_out}"
            )
        if self.transform_input:
            x = to_inception_range(x)

        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = self.maxpool1(x)
        x = self.maxpool2(self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x)))
        x = self.Mixed_5d(self.Mixed_5c(self.Mixed_5b(x)))  # 35x35 x 288
        x = self.Mixed_6a(x)
        x = self.Mixed_6e(self.Mixed_6d(self.Mixed_6c(self.Mixed_6b(x))))  # 17x17 x 768
        aux = self.AuxLogits(x) if run_aux else None
        x = self.Mixed_7a(x)
        x = self.Mixed_7c(self.Mixed_7b(x))  # 8x8 x 2048

        x = torch.flatten(self.dropout(self.avgpool(x)), 1)
        logits = self.fc(x)
        if run_aux:
            return InceptionOutputs(logits, aux)
        return logits


@register_model(
    "inception_v3",
    INCEPTION_V3,
    cam_layer="Mixed_7c",
    input_size=(3, 299, 299),
    tv_weights="Inception_V3_Weights",
    after_load=expect_inception_range,
    note="Expects 299x299 images. The auxiliary classifier (AuxLogits, on Mixed_6e) regularises training and "
    "runs only then, which needs 299x299 inputs; at inference it is skipped and the model returns plain "
    "logits. Build with aux_logits=False to leave it out (23.8 M instead of 27.2 M parameters).",
)
def inception_v3(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """Inception-v3. Options: ``aux_logits`` (True), ``transform_input`` (False), ``dropout`` (0.5);
    see :class:`Inception3`."""
    return Inception3(num_classes=num_classes, **kwargs)
