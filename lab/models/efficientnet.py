"""EfficientNet B0–B7: one small network, scaled up in width, depth and resolution together.

Tan & Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks" (arXiv
1905.11946). A neural architecture search gives the baseline B0 (paper Table 1): a stack of MBConv
blocks, MobileNetV2's inverted residual with squeeze-and-excitation and the Swish (SiLU) activation.
Making a network wider, deeper or feeding it larger images each helps, but each alone saturates near
80% top-1 (Fig. 3); *compound scaling* (§3.3) grows all three by fixed ratios, which gives B1–B7.

:class:`EfficientNet` takes any width and depth multiplier (the Scaling tab uses it); the registered
builders use the published B0–B7 settings in ``VARIANTS``.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, NamedTuple

import torch
import torch.nn as nn

from lab.models.layers import (
    TF_BN_EPS,
    TF_BN_MOMENTUM,
    ConvBNActivation,
    SqueezeExcitation,
    init_conv_bn,
    make_divisible,
)
from lab.models.registry import Paper, register_model

EFFICIENTNET = Paper(
    family="EfficientNet",
    year=2019,
    title="EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
    arxiv="https://arxiv.org/abs/1905.11946",
    key_idea="Scale depth, width and input resolution together by fixed ratios (compound scaling) "
    "from a small searched baseline.",
)

# Paper Table 1, EfficientNet-B0. Stage 1 is a 3×3 convolution with 32 filters and stride 2; stages 2–8
# are MBConv blocks, one row per stage; stage 9 is a 1×1 convolution to 1280 channels, pooling and FC.
B0_STEM_CHANNELS = 32
B0_STAGES = [
    # MBConv expand ratio, kernel, stride of the first layer, #channels, #layers
    (1, 3, 1, 16, 1),
    (6, 3, 2, 24, 2),
    (6, 5, 2, 40, 2),
    (6, 3, 2, 80, 3),
    (6, 5, 1, 112, 3),
    (6, 5, 2, 192, 4),
    (6, 3, 1, 320, 1),
]
HEAD_RATIO = 4  # the stage-9 convolution is 4× the last stage: 1280 = 4·320


class Scaling(NamedTuple):
    width: float  # channels × width, rounded to a multiple of 8
    depth: float  # layers per stage × depth, rounded up
    resolution: int  # input side in pixels
    dropout: float  # before the final FC


# Compound scaling (§3.3): depth d = α^φ, width w = β^φ, resolution r = γ^φ, with α = 1.2, β = 1.1,
# γ = 1.15 found by a grid search on B0 under α·β²·γ² ≈ 2, so that each step of φ about doubles the
# FLOPs (which grow as d·w²·r²). The released B1–B7 follow these powers only roughly: the table below is
# the official TensorFlow code's (and the course notes'), which torchvision uses too.
VARIANTS = {
    "b0": Scaling(1.0, 1.0, 224, 0.2),
    "b1": Scaling(1.0, 1.1, 240, 0.2),
    "b2": Scaling(1.1, 1.2, 260, 0.3),
    "b3": Scaling(1.2, 1.4, 300, 0.3),
    "b4": Scaling(1.4, 1.8, 380, 0.4),
    "b5": Scaling(1.6, 2.2, 456, 0.4),
    "b6": Scaling(1.8, 2.6, 528, 0.5),
    "b7": Scaling(2.0, 3.1, 600, 0.5),
}
# torchvision's B5–B7 weights come from the TensorFlow checkpoints, trained with TensorFlow's batch-norm
# settings (layers.TF_BN_EPS, TF_BN_MOMENTUM); B0–B4 use PyTorch's defaults.
TF_BATCH_NORM_VARIANTS = {"b5", "b6", "b7"}


class StochasticDepth(nn.Module):
    """Huang et al. 2016, "Deep Networks with Stochastic Depth": while training, skip a sample's whole
    residual branch with probability ``p`` (survivors are scaled by 1/(1-p)); the identity at eval."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        mask = x.new_empty(x.shape[0], 1, 1, 1).bernoulli_(keep)  # one coin per sample ("row" mode)
        return x * mask / keep if keep > 0 else x * mask

    def extra_repr(self) -> str:
        return f"p={self.p}"


class MBConv(nn.Module):
    """Mobile inverted bottleneck (MobileNetV2's block + SE), the operator of paper Table 1.

    1×1 expand (skipped for MBConv1) → k×k depthwise → squeeze-and-excitation → linear 1×1 project;
    the shortcut, through stochastic depth, when stride is 1 and the channels match.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        expand_ratio: int,
        kernel: int,
        stride: int,
        stochastic_depth_prob: float,
        norm_layer: Callable[..., nn.Module],
    ) -> None:
        super().__init__()
        expanded = make_divisible(in_channels * expand_ratio)
        conv = partial(ConvBNActivation, norm_layer=norm_layer)
        layers: list[nn.Module] = []
        if expanded != in_channels:
            layers.append(conv(in_channels, expanded, 1, activation=nn.SiLU))
        layers += [
            conv(expanded, expanded, kernel, stride, groups=expanded, activation=nn.SiLU),
            # SE ratio 0.25 of the block's *input* channels, not of the expanded ones.
            SqueezeExcitation(expanded, max(1, in_channels // 4), activation=nn.SiLU),
            conv(expanded, out_channels, 1, activation=None),  # linear bottleneck, as in MobileNetV2
        ]
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob)
        self.use_residual = stride == 1 and in_channels == out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.block(x)
        if self.use_residual:
            out = self.stochastic_depth(out) + x
        return out


class EfficientNet(nn.Module):
    """The B0 network of paper Table 1 scaled by ``width_mult`` and ``depth_mult``.

    Args:
        width_mult: channels of every stage × this, rounded to a multiple of 8 (w in §3.3).
        depth_mult: layers of each MBConv stage × this, rounded up (d in §3.3).
        dropout: dropout probability before the final FC.
        stochastic_depth_prob: drop probability of the last block; earlier blocks get linearly less.
        num_classes: size of the classifier's output.
        bn_eps, bn_momentum: batch-norm settings (TensorFlow-trained weights want 1e-3 and 0.01).

    Raises:
        ValueError: a multiplier is not positive, or a probability is not in [0, 1].
    """

    def __init__(
        self,
        width_mult: float = 1.0,
        depth_mult: float = 1.0,
        dropout: float = 0.2,
        stochastic_depth_prob: float = 0.2,
        num_classes: int = 1000,
        bn_eps: float = 1e-5,
        bn_momentum: float = 0.1,
    ) -> None:
        super().__init__()
        if not (width_mult > 0 and depth_mult > 0):
            raise ValueError(
                f"width_mult and depth_mult must be positive (B0 is 1.0 and 1.0), "
                f"not {width_mult!r} and {depth_mult!r}."
            )
        if not 0.0 <= stochastic_depth_prob <= 1.0:
            raise ValueError(f"stochastic_depth_prob must be between 0 and 1, not {stochastic_depth_prob!r}.")
        norm_layer = partial(nn.BatchNorm2d, eps=bn_eps, momentum=bn_momentum)

        channels = make_divisible(B0_STEM_CHANNELS * width_mult)
        features: list[nn.Module] = [
            ConvBNActivation(3, channels, 3, stride=2, activation=nn.SiLU, norm_layer=norm_layer)
        ]
        repeats = [math.ceil(layers * depth_mult) for *_, layers in B0_STAGES]
        total, done = sum(repeats), 0
        for (expand, kernel, stride, out, _), n in zip(B0_STAGES, repeats):
            out = make_divisible(out * width_mult)
            stage = []
            for i in range(n):
                # Deeper blocks are dropped more often: the linear decay rule of Huang et al.
                p = stochastic_depth_prob * done / total
                stage.append(MBConv(channels, out, expand, kernel, stride if i == 0 else 1, p, norm_layer))
                channels, done = out, done + 1
            features.append(nn.Sequential(*stage))
        head = HEAD_RATIO * channels
        features.append(ConvBNActivation(channels, head, 1, activation=nn.SiLU, norm_layer=norm_layer))
        self.features = nn.Sequential(*features)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(dropout, inplace=True), nn.Linear(head, num_classes))

        # Initialisation as in torchvision: He-normal convolutions, uniform ±1/√classes for the FC.
        init_conv_bn(self)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                bound = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -bound, bound)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def _efficientnet(variant: str, num_classes: int, kwargs: dict[str, Any]) -> EfficientNet:
    """Build a B-variant; ``width_mult`` / ``depth_mult`` in kwargs replace the variant's own multipliers
    (``efficientnet_b0`` with ``width_mult=1.4, depth_mult=1.8`` is B4's network), for the Scaling tab."""
    unknown = set(kwargs) - {"dropout", "stochastic_depth_prob", "width_mult", "depth_mult"}
    if unknown:
        raise ValueError(
            f"efficientnet_{variant} accepts only width_mult, depth_mult, dropout and stochastic_depth_prob, "
            f"not {', '.join(sorted(unknown))}."
        )
    s = VARIANTS[variant]
    kwargs.setdefault("dropout", s.dropout)
    kwargs.setdefault("width_mult", s.width)
    kwargs.setdefault("depth_mult", s.depth)
    if variant in TF_BATCH_NORM_VARIANTS:
        kwargs.update(bn_eps=TF_BN_EPS, bn_momentum=TF_BN_MOMENTUM)
    return EfficientNet(num_classes=num_classes, **kwargs)


def _size(variant: str) -> tuple[int, int, int]:
    side = VARIANTS[variant].resolution
    return (3, side, side)


@register_model(
    "efficientnet_b0",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b0"),
    tv_weights="EfficientNet_B0_Weights",
)
def efficientnet_b0(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B0, the searched baseline (paper Table 1)."""
    return _efficientnet("b0", num_classes, kwargs)


@register_model(
    "efficientnet_b1",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b1"),
    tv_weights="EfficientNet_B1_Weights",
)
def efficientnet_b1(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B1: depth ×1.1 at 240 px."""
    return _efficientnet("b1", num_classes, kwargs)


@register_model(
    "efficientnet_b2",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b2"),
    tv_weights="EfficientNet_B2_Weights",
    note="torchvision evaluates its pretrained B2 at 288 px rather than the paper's 260.",
)
def efficientnet_b2(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B2: width ×1.1, depth ×1.2 at 260 px."""
    return _efficientnet("b2", num_classes, kwargs)


@register_model(
    "efficientnet_b3",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b3"),
    tv_weights="EfficientNet_B3_Weights",
)
def efficientnet_b3(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B3: width ×1.2, depth ×1.4 at 300 px."""
    return _efficientnet("b3", num_classes, kwargs)


@register_model(
    "efficientnet_b4",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b4"),
    tv_weights="EfficientNet_B4_Weights",
)
def efficientnet_b4(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B4: width ×1.4, depth ×1.8 at 380 px."""
    return _efficientnet("b4", num_classes, kwargs)


@register_model(
    "efficientnet_b5",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b5"),
    tv_weights="EfficientNet_B5_Weights",
)
def efficientnet_b5(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B5: width ×1.6, depth ×2.2 at 456 px (TensorFlow batch-norm settings)."""
    return _efficientnet("b5", num_classes, kwargs)


@register_model(
    "efficientnet_b6",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b6"),
    tv_weights="EfficientNet_B6_Weights",
)
def efficientnet_b6(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B6: width ×1.8, depth ×2.6 at 528 px (TensorFlow batch-norm settings)."""
    return _efficientnet("b6", num_classes, kwargs)


@register_model(
    "efficientnet_b7",
    EFFICIENTNET,
    cam_layer="features",
    input_size=_size("b7"),
    tv_weights="EfficientNet_B7_Weights",
)
def efficientnet_b7(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """EfficientNet-B7: width ×2.0, depth ×3.1 at 600 px (TensorFlow batch-norm settings)."""
    return _efficientnet("b7", num_classes, kwargs)
