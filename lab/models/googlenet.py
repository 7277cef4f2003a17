"""GoogLeNet (Inception v1): Szegedy et al. 2014, "Going Deeper with Convolutions" (arXiv 1409.4842).

The network is a stack of *Inception modules*. Instead of choosing one filter size per layer, each
module runs a 1x1, a 3x3 and a 5x5 convolution and a 3x3 max pool side by side on the same input and
concatenates their outputs along the channels, so the next layer sees features at several scales at once.
Cheap 1x1 convolutions first shrink the channels in front of the expensive 3x3 and 5x5 ones (§4), which
keeps a 22-layer network at about 6.6 M parameters, a twentieth of VGG-16. Two small *auxiliary
classifiers* hang off the middle of the network during training to push extra gradient into it (§5).

The layout follows torchvision's ``GoogLeNet`` (its pretrained weights load strictly): it adds batch
normalisation after every convolution where the paper had local response normalisation.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from lab.models.registry import Paper, register_model
from lab.models.weights import IMAGENET_MEAN, IMAGENET_STD, INCEPTION_MEAN, INCEPTION_STD

# Table 1 of the paper: one row per Inception module, in the order data flows through them.
# Columns: (in, #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj). A module's output has
# #1x1 + #3x3 + #5x5 + pool proj channels, which is the next row's `in`.
TABLE_1: dict[str, tuple[int, int, int, int, int, int, int]] = {
    "inception3a": (192, 64, 96, 128, 16, 32, 32),  # 28x28 grid
    "inception3b": (256, 128, 128, 192, 32, 96, 64),
    "inception4a": (480, 192, 96, 208, 16, 48, 64),  # 14x14 grid
    "inception4b": (512, 160, 112, 224, 24, 64, 64),
    "inception4c": (512, 128, 128, 256, 24, 64, 64),
    "inception4d": (512, 112, 144, 288, 32, 64, 64),
    "inception4e": (528, 256, 160, 320, 32, 128, 128),
    "inception5a": (832, 256, 160, 320, 32, 128, 128),  # 7x7 grid
    "inception5b": (832, 384, 192, 384, 48, 128, 128),
}


GOOGLENET = Paper(
    family="GoogLeNet",
    year=2014,
    title="Going Deeper with Convolutions",
    arxiv="https://arxiv.org/abs/1409.4842",
    key_idea="Inception modules run 1x1, 3x3 and 5x5 convolutions and pooling in parallel and concatenate "
    "them, with 1x1 convolutions shrinking the channels first to keep the cost low.",
)

GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])
GoogLeNetOutputs.__doc__ = "GoogLeNet's output in training mode with auxiliary classifiers (torchvision's field order)."


def check_dropout(name: str, p: float) -> None:
    """Raise ValueError unless ``p`` is a probability, naming the argument ``name``."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} is the probability of dropping a unit, so it must lie in [0, 1], not {p!r}.")


def to_inception_range(x: Tensor) -> Tensor:
    """Map an ImageNet-normalised RGB batch to the [-1, 1] scaling Google's Inception weights were trained on.

    Args:
        x: (N, 3, H, W), normalised as ``(rgb - IMAGENET_MEAN) / IMAGENET_STD`` with rgb in [0, 1].

    Returns:
        The same images as ``(rgb - 0.5) / 0.5``.
    """
    # Undo torchvision's normalisation and apply Google's, folded into one scale and one shift per channel.
    scale = x.new_tensor([s / g for s, g in zip(IMAGENET_STD, INCEPTION_STD)]).view(1, 3, 1, 1)
    shift = x.new_tensor([(m - gm) / g for m, gm, g in zip(IMAGENET_MEAN, INCEPTION_MEAN, INCEPTION_STD)]).view(1, 3, 1, 1)
    return x * scale + shift


def expect_inception_range(model: nn.Module) -> None:
    """After loading Google's ImageNet weights (GoogLeNet, Inception-v3): they expect the [-1, 1] input
    scaling, so the model rescales torchvision-normalised inputs itself (as torchvision sets it)."""
    model.transform_input = True


class BasicConv2d(nn.Module):
    """Convolution -> batch norm -> ReLU; the bias is dropped because batch norm's shift replaces it."""

    def __init__(self, in_channels: int, out_channels: int, **conv_kwargs: Any) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **conv_kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)  # eps of Google's TensorFlow models

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(self.bn(self.conv(x)), inplace=True)


class Inception(nn.Module):
    """The Inception module with dimension reductions (Figure 2b): four parallel branches, concatenated.

    Args mirror a row of Table 1: input channels, then the channels of each branch's convolutions.
    """

    def __init__(
        self, in_channels: int, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int, ch5x5: int, pool_proj: int
    ) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, kernel_size=1),  # §4: reduce channels before the costly 3x3
            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),
        )
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1),
            # The paper's 5x5 branch. torchvision's pretrained GoogLeNet has a 3x3 here (a known slip,
            # pytorch/vision#906), and we keep it so those weights load.
            BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1),
        )
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, kernel_size=1),  # §4: pool proj keeps the pool's channels in check
        )

    def forward(self, x: Tensor) -> Tensor:
        # Every branch keeps the grid size, so the outputs stack along the channel axis.
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], dim=1)


class InceptionAux(nn.Module):
    """An auxiliary classifier (§5): pool to 4x4, 1x1 conv to 128 channels, FC 1024, dropout, FC to classes."""

    def __init__(self, in_channels: int, num_classes: int, dropout: float = 0.7) -> None:
        super().__init__()
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(128 * 4 * 4, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x: Tensor) -> Tensor:
        # §5 uses a 5x5/3 average pool, which turns the 14x14 grid into 4x4; adaptive pooling does so at any size.
        x = F.adaptive_avg_pool2d(x, (4, 4))
        x = torch.flatten(self.conv(x), 1)
        x = self.dropout(F.relu(self.fc1(x), inplace=True))
        return self.fc2(x)


class GoogLeNet(nn.Module):
    """GoogLeNet as in Table 1 of the paper, with torchvision's module names.

    Args:
        num_classes: size of the classifier's output.
        aux_logits: build the two auxiliary classifiers ``aux1`` (on inception4a) and ``aux2`` (on
            inception4d). They only run in training mode.
        transform_input: map ImageNet-normalised inputs to the [-1, 1] range the ported ImageNet weights
            expect (turned on by :func:`expect_inception_range` once they are loaded).
        dropout: dropout before the final classifier (the paper used 0.4; torchvision 0.2).
        aux_dropout: dropout inside the auxiliary classifiers (0.7 in §5).

    Raises:
        ValueError: a dropout outside [0, 1].
    """

    def __init__(
        self,
        num_classes: int = 1000,
        aux_logits: bool = True,
        transform_input: bool = False,
        dropout: float = 0.2,
        aux_dropout: float = 0.7,
    ) -> None:
        super().__init__()
        check_dropout("dropout", dropout)
        check_dropout("aux_dropout", aux_dropout)
        self.aux_logits = aux_logits
        self.transform_input = transform_input

        # The stem: plain convolutions shrink 224x224 to a 28x28 grid before the first Inception module.
        self.conv1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)

        self.inception3a = Inception(*TABLE_1["inception3a"])
        self.inception3b = Inception(*TABLE_1["inception3b"])
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(*TABLE_1["inception4a"])
        self.inception4b = Inception(*TABLE_1["inception4b"])
        self.inception4c = Inception(*TABLE_1["inception4c"])
        self.inception4d = Inception(*TABLE_1["inception4d"])
        self.inception4e = Inception(*TABLE_1["inception4e"])
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)  # Table 1 has 3x3/2; torchvision 2x2/2
        self.inception5a = Inception(*TABLE_1["inception5a"])
        self.inception5b = Inception(*TABLE_1["inception5b"])

        if aux_logits:  # §5: classifiers on the outputs of inception4a (512 ch) and inception4d (528 ch)
            self.aux1 = InceptionAux(512, num_classes, dropout=aux_dropout)
            self.aux2 = InceptionAux(528, num_classes, dropout=aux_dropout)
        else:
            self.aux1 = None
            self.aux2 = None

        # §5: global average pooling instead of fully connected layers, then one linear classifier.
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(1024, num_classes)
        self._init_weights()

    def _init_weights(self) -> None:
        # torchvision's scheme for GoogLeNet: small normal weights (std 0.01) for every conv and linear layer.
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, mean=0.0, std=0.01, a=-2, b=2)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor | GoogLeNetOutputs:
        """Logits (N, num_classes); in training mode with aux heads, ``GoogLeNetOutputs(logits, aux2, aux1)``.

        Raises:
            ValueError: an input smaller than 15x15 pixels (the grid would vanish before the last module).
        """
        if min(x.shape[-2:]) < 15:
            raise ValueError(f"GoogLeNet needs images of at least 15x15 pixels, got {tuple(x.shape[-2:])}.")
        if self.transform_input:
            x = to_inception_range(x)
        run_aux = self.training and self.aux_logits

        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if run_aux else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if run_aux else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))

        x = torch.flatten(self.avgpool(x), 1)
        logits = self.fc(self.dropout(x))
        if run_aux:
            return GoogLeNetOutputs(logits, aux2, aux1)
        return logits


@register_model(
    "googlenet",
    GOOGLENET,
    cam_layer="inception5b",
    tv_weights="GoogLeNet_Weights",
    after_load=expect_inception_range,
    note="Two auxiliary classifiers (aux1 on inception4a, aux2 on inception4d) add extra gradient signal to "
    "the middle of the network during training (their losses weighted by 0.3 in the paper); at inference "
    "they are dropped and the model returns plain logits. Build with aux_logits=False to leave them out "
    "(6.6 M instead of 13.0 M parameters). As in torchvision, the '5x5' branch uses a 3x3 convolution.",
)
def googlenet(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """GoogLeNet (Inception v1). Options: ``aux_logits`` (True), ``transform_input`` (False),
    ``dropout`` (0.2), ``aux_dropout`` (0.7); see :class:`GoogLeNet`."""
    return GoogLeNet(num_classes=num_classes, **kwargs)
