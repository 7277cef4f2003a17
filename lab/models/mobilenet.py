"""MobileNet v1, v2 and v3: convolutional networks small and fast enough for a phone.

v1 (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", arXiv 1704.04861) splits every 3×3 convolution into a *depthwise* 3×3 convolution (one
filter per channel: spatial filtering) and a *pointwise* 1×1 convolution (mixing channels). On a
D_F×D_F map with M input and N output channels and a D_K×D_K kernel this costs (paper §3, with the
width multiplier α of §3.3 and the resolution multiplier ρ of §3.4)

    D_K·D_K·αM·ρD_F·ρD_F  +  αM·αN·ρD_F·ρD_F      mult-adds
    (depthwise)              (pointwise)

instead of D_K·D_K·M·N·D_F·D_F: about 8–9 times less for 3×3 kernels. α thins every layer (channels
× α, rounded by :func:`make_divisible`); ρ only shrinks the input image (see :func:`input_size_for`), so
it changes the cost but not the weights.

v2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks", arXiv 1801.04381)
turns the block inside out: expand a thin input ×t with a 1×1 conv, filter it depthwise, and project
back to a thin *linear* bottleneck (no ReLU, which would destroy information in few channels); the
residual connection joins the thin ends.

v3 (Howard et al. 2019, "Searching for MobileNetV3", arXiv 1905.02244) keeps the v2 block, adds
squeeze-and-excitation to some blocks and the cheap h-swish activation to the deeper ones, and takes
its layer table from a neural architecture search (Large and Small variants).
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any, Callable

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

MOBILENET_V1 = Paper(
    family="MobileNet",
    year=2017,
    title="MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications",
    arxiv="https://arxiv.org/abs/1704.04861",
    key_idea="Split each convolution into a per-channel (depthwise) 3×3 filter and a 1×1 channel mixer: "
    "8–9× fewer operations for a small loss in accuracy.",
)
MOBILENET_V2 = Paper(
    family="MobileNet",
    year=2018,
    title="MobileNetV2: Inverted Residuals and Linear Bottlenecks",
    arxiv="https://arxiv.org/abs/1801.04381",
    key_idea="Expand thin features, filter them depthwise, project back to a linear bottleneck, and put "
    "the shortcut between the thin ends (the inverted residual).",
)
MOBILENET_V3 = Paper(
    family="MobileNet",
    year=2019,
    title="Searching for MobileNetV3",
    arxiv="https://arxiv.org/abs/1905.02244",
    key_idea="A searched stack of v2 blocks with squeeze-and-excitation and the cheap h-swish activation.",
)

# MobileNet v1, paper Table 1: a full 3×3 convolution with 32 filters and stride 2, then 13 depthwise
# separable layers, written here as (stride of the depthwise conv, output channels of the pointwise conv).
V1_STEM_CHANNELS = 32
V1_LAYERS = [
    (1, 64),
    (2, 128),
    (1, 128),
    (2, 256),
    (1, 256),
    (2, 512),
    (1, 512),
    (1, 512),
    (1, 512),
    (1, 512),
    (1, 512),
    (2, 1024),
    (1, 1024),  # Table 1 prints "s2" here, a typo: the map stays 7×7 up to the average pool.
]

# MobileNet v2, paper Table 2: after a 3×3 convolution with 32 filters and stride 2, rows of inverted
# residual blocks: expansion factor t, output channels c, repeats n, stride s of the first repeat.
V2_STEM_CHANNELS = 32
V2_LAYERS = [
    # t, c, n, s
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]
V2_LAST_CHANNELS = 1280  # the final 1×1 convolution before pooling

# MobileNet v3, paper Tables 1 (Large) and 2 (Small): the "bneck" rows after a 3×3 stem convolution with
# 16 filters, stride 2 and h-swish. Each row: kernel, exp size, #out, SE, NL (RE = ReLU, HS = h-swish), s.
V3_STEM_CHANNELS = 16
V3_LARGE_LAYERS = [
    (3, 16, 16, False, "RE", 1),
    (3, 64, 24, False, "RE", 2),
    (3, 72, 24, False, "RE", 1),
    (5, 72, 40, True, "RE", 2),
    (5, 120, 40, True, "RE", 1),
    (5, 120, 40, True, "RE", 1),
    (3, 240, 80, False, "HS", 2),
    (3, 200, 80, False, "HS", 1),
    (3, 184, 80, False, "HS", 1),
    (3, 184, 80, False, "HS", 1),
    (3, 480, 112, True, "HS", 1),
    (3, 672, 112, True, "HS", 1),
    (5, 672, 160, True, "HS", 2),
    (5, 960, 160, True, "HS", 1),
    (5, 960, 160, True, "HS", 1),
]
V3_SMALL_LAYERS = [
    (3, 16, 16, True, "RE", 2),
    (3, 72, 24, False, "RE", 2),
    (3, 88, 24, False, "RE", 1),
    (5, 96, 40, True, "HS", 2),
    (5, 240, 40, True, "HS", 1),
    (5, 240, 40, True, "HS", 1),
    (5, 120, 48, True, "HS", 1),
    (5, 144, 48, True, "HS", 1),
    (5, 288, 96, True, "HS", 2),
    (5, 576, 96, True, "HS", 1),
    (5, 576, 96, True, "HS", 1),
]
# After the bnecks (both tables): a 1×1 conv to 6× the last #out (960 / 576) with h-swish, pooling, and a
# 1×1 conv without batch norm ("NBN") to 1280 / 1024 features, which we write as a Linear layer.
V3_LARGE_LAST_CHANNELS = 1280
V3_SMALL_LAST_CHANNELS = 1024

V3_ACTIVATIONS = {"RE": nn.ReLU, "HS": nn.Hardswish}
# v3 uses TensorFlow's batch-norm settings, as torchvision does for its weights.
V3_BATCH_NORM = partial(nn.BatchNorm2d, eps=TF_BN_EPS, momentum=TF_BN_MOMENTUM)


def _check_width(width_mult: float) -> None:
    if not width_mult > 0:
        raise ValueError(
            f"width_mult must be a positive number (the papers use 0.25 to 1.4), not {width_mult!r}."
        )


def _init_weights(model: nn.Module) -> None:
    """The initialisation torchvision uses for MobileNet v2/v3 (He-normal convs, small classifier)."""
    init_conv_bn(model)
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)


def input_size_for(rho: float, base: int = 224) -> tuple[int, int, int]:
    """The input size that realises MobileNet's resolution multiplier ρ (paper §3.4).

    ρ is not a layer setting: the same weights run on a smaller image, and every feature map (and the
    cost, by ρ²) shrinks with it. The paper's ρ = 1, 6/7, 5/7, 4/7 give 224, 192, 160 and 128 px.

    Raises:
        ValueError: ``rho`` is not positive.
    """
    if not rho > 0:
        raise ValueError(
            f"The resolution multiplier rho must be positive (the paper uses 4/7 to 1), not {rho!r}."
        )
    side = max(1, round(base * rho))
    return (3, side, side)


# ---------------------------------------------------------------------------------------------- v1


class DepthwiseSeparable(nn.Module):
    """One depthwise separable layer (v1, Fig. 3 right): 3×3 depthwise conv-BN-ReLU, 1×1 conv-BN-ReLU."""

    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        # ReLU6 rather than the paper's ReLU: the TensorFlow reference code and timm's weights use it.
        self.depthwise = ConvBNActivation(
            in_channels, in_channels, 3, stride, groups=in_channels, activation=nn.ReLU6
        )
        self.pointwise = ConvBNActivation(in_channels, out_channels, 1, activation=nn.ReLU6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


class MobileNetV1(nn.Module):
    """MobileNet v1 (paper Table 1), every layer ``width_mult`` (α) times as wide.

    Args:
        width_mult: the width multiplier α (paper §3.3: 1, 0.75, 0.5, 0.25).
        num_classes: size of the classifier's output.

    Raises:
        ValueError: ``width_mult`` is not positive.
    """

    def __init__(self, width_mult: float = 1.0, num_classes: int = 1000) -> None:
        super().__init__()
        _check_width(width_mult)
        channels = make_divisible(V1_STEM_CHANNELS * width_mult)
        layers: list[nn.Module] = [ConvBNActivation(3, channels, 3, stride=2, activation=nn.ReLU6)]
        for stride, out in V1_LAYERS:
            out = make_divisible(out * width_mult)
            layers.append(DepthwiseSeparable(channels, out, stride))
            channels = out
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(channels, num_classes)  # Table 1: "FC 1024 × 1000", then softmax
        _init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


# timm's mobilenetv1 keys -> lab's: the stem is conv_stem/bn1, and blocks.<stage>.<i> hold conv_dw/bn1
# (the depthwise half) and conv_pw/bn2 (the pointwise half).
_TIMM_STEM = {"conv_stem": "features.0.0", "bn1": "features.0.1"}
_TIMM_BLOCK_PARTS = {
    "conv_dw": "depthwise.0",
    "bn1": "depthwise.1",
    "conv_pw": "pointwise.0",
    "bn2": "pointwise.1",
}
_TIMM_KEY = re.compile(r"^(?:blocks\.(\d+)\.(\d+)\.)?(\w+)\.(\w+)$")


def state_dict_from_timm(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename the keys of a timm ``mobilenetv1_*`` state_dict to :class:`MobileNetV1`'s.

    timm groups the 13 separable layers into 5 stages; lab numbers them 1–13 after the stem, in the same
    order (timm's ``blocks.3.2.conv_dw`` is lab's ``features.8.depthwise.0``). Keys lab does not know are passed through unchanged, so
    loading reports them instead of silently dropping them.
    """
    parsed = {key: _TIMM_KEY.match(key) for key in state_dict}
    blocks = sorted({(int(m[1]), int(m[2])) for m in parsed.values() if m and m[1] is not None})
    index = {block: i + 1 for i, block in enumerate(blocks)}  # features.0 is the stem
    out = {}
    for key, value in state_dict.items():
        m = parsed[key]
        if m and m[1] is not None and m[3] in _TIMM_BLOCK_PARTS:
            key = f"features.{index[int(m[1]), int(m[2])]}.{_TIMM_BLOCK_PARTS[m[3]]}.{m[4]}"
        elif m and m[1] is None and m[3] in _TIMM_STEM:
            key = f"{_TIMM_STEM[m[3]]}.{m[4]}"
        out[key] = value
    return out


# ---------------------------------------------------------------------------------------------- v2


class InvertedResidual(nn.Module):
    """The v2 bottleneck block (paper Table 1, Fig. 3b): 1×1 expand ×t → 3×3 depthwise → 1×1 project.

    The shortcut joins input and output when they have the same shape (stride 1, same channels).
    """

    def __init__(
        self, in_channels: int, out_channels: int, stride: int, expand_ratio: int, dilation: int = 1
    ) -> None:
        super().__init__()
        hidden = int(round(in_channels * expand_ratio))
        layers: list[nn.Module] = []
        if expand_ratio != 1:  # t = 1 (the first row of Table 2) has nothing to expand
            layers.append(ConvBNActivation(in_channels, hidden, 1, activation=nn.ReLU6))
        layers += [
            ConvBNActivation(hidden, hidden, 3, stride, groups=hidden, activation=nn.ReLU6, dilation=dilation),
            # §3.2 linear bottleneck: no ReLU after the projection, it would destroy information
            # that only a few channels carry.
            nn.Conv2d(hidden, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
        ]
        self.conv = nn.Sequential(*layers)
        self.use_residual = stride == 1 and in_channels == out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        return x + out if self.use_residual else out


class MobileNetV2(nn.Module):
    """MobileNet v2 (paper Table 2).

    Args:
        width_mult: multiplies every layer's channels (paper §6.1: 0.35 to 1.4); the last 1×1 conv
            (1280) is only ever widened, never thinned.
        num_classes: size of the classifier's output.
        dropout: dropout probability before the classifier.
        output_stride: how much smaller than the input the last feature map is: 32 (the classifier of
            Table 2), or 16 / 8 as in the paper's segmentation network (§6.3, DeepLabv3): a stage that
            would stride past it keeps stride 1, and the 3×3 convolutions after it are dilated instead, so
            they still see as far. Same weights, a finer map (12×12 instead of 6×6 at 192 px), more FLOPs.

    Raises:
        ValueError: ``width_mult`` is not positive, ``dropout`` is not in [0, 1] or ``output_stride`` is
            not 8, 16 or 32.
    """

    def __init__(
        self, width_mult: float = 1.0, num_classes: int = 1000, dropout: float = 0.2, output_stride: int = 32
    ) -> None:
        super().__init__()
        _check_width(width_mult)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, not {output_stride!r}.")
        channels = make_divisible(V2_STEM_CHANNELS * width_mult)
        layers: list[nn.Module] = [ConvBNActivation(3, channels, 3, stride=2, activation=nn.ReLU6)]
        current, dilation = 2, 1  # the stem has halved the input
        for t, c, n, s in V2_LAYERS:
            out = make_divisible(c * width_mult)
            for i in range(n):
                stride = s if i == 0 else 1  # only the first of the n repeats strides
                if stride > 1 and current * stride > output_stride:
                    # Atrous: this block keeps the resolution (with the dilation so far); the ones after
                    # it dilate by the stride it gave up.
                    layers.append(InvertedResidual(channels, out, 1, t, dilation))
                    dilation *= stride
                else:
                    layers.append(InvertedResidual(channels, out, stride, t, dilation))
                    current *= stride
                channels = out
        # §6.1: for α < 1 the width multiplier thins every layer except this last convolution.
        last = make_divisible(V2_LAST_CHANNELS * max(1.0, width_mult))
        layers.append(ConvBNActivation(channels, last, 1, activation=nn.ReLU6))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(last, num_classes))
        _init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


# ---------------------------------------------------------------------------------------------- v3


class Bneck(nn.Module):
    """One "bneck" row of v3 (paper §5, Fig. 4): the v2 inverted residual with optional SE and h-swish.

    expand 1×1 (skipped when exp size = input channels) → k×k depthwise → SE (if the row says so) →
    linear 1×1 projection; shortcut when stride is 1 and channels match.
    """

    def __init__(
        self,
        in_channels: int,
        kernel: int,
        expanded: int,
        out_channels: int,
        use_se: bool,
        activation: Callable[..., nn.Module],
        stride: int,
    ) -> None:
        super().__init__()
        conv = partial(ConvBNActivation, norm_layer=V3_BATCH_NORM)
        layers: list[nn.Module] = []
        if expanded != in_channels:
            layers.append(conv(in_channels, expanded, 1, activation=activation))
        layers.append(conv(expanded, expanded, kernel, stride, groups=expanded, activation=activation))
        if use_se:
            # §5.3: SE squeezes to 1/4 of the expansion channels and gates with the hard sigmoid.
            squeeze = make_divisible(expanded // 4)
            layers.append(SqueezeExcitation(expanded, squeeze, scale_activation=nn.Hardsigmoid))
        layers.append(conv(expanded, out_channels, 1, activation=None))
        self.block = nn.Sequential(*layers)
        self.use_residual = stride == 1 and in_channels == out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.block(x)
        return x + out if self.use_residual else out


class MobileNetV3(nn.Module):
    """MobileNet v3 built from a bneck table (``V3_LARGE_LAYERS`` or ``V3_SMALL_LAYERS``).

    Args:
        layers: the bneck rows (kernel, exp size, #out, SE, NL, stride).
        last_channels: width of the layer before the classifier (1280 Large, 1024 Small).
        width_mult: multiplies every layer's channels (the paper tries 0.35 to 1.25).
        num_classes: size of the classifier's output.
        dropout: dropout probability before the last layer.

    Raises:
        ValueError: ``width_mult`` is not positive or ``dropout`` is not in [0, 1].
    """

    def __init__(
        self,
        layers: list[tuple[int, int, int, bool, str, int]],
        last_channels: int,
        width_mult: float = 1.0,
        num_classes: int = 1000,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        _check_width(width_mult)
        channels = make_divisible(V3_STEM_CHANNELS * width_mult)
        features: list[nn.Module] = [
            ConvBNActivation(3, channels, 3, stride=2, activation=nn.Hardswish, norm_layer=V3_BATCH_NORM)
        ]
        for kernel, exp, out, se, nl, stride in layers:
            exp, out = make_divisible(exp * width_mult), make_divisible(out * width_mult)
            features.append(Bneck(channels, kernel, exp, out, se, V3_ACTIVATIONS[nl], stride))
            channels = out
        head = 6 * channels  # 960 = 6·160 (Large), 576 = 6·96 (Small)
        features.append(
            ConvBNActivation(channels, head, 1, activation=nn.Hardswish, norm_layer=V3_BATCH_NORM)
        )
        self.features = nn.Sequential(*features)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        last = make_divisible(last_channels * width_mult)
        # §5.1: the last stage works on pooled 1×1 features, so its "1×1 convs" are cheap FC layers.
        self.classifier = nn.Sequential(
            nn.Linear(head, last),
            nn.Hardswish(inplace=True),
            nn.Dropout(dropout, inplace=True),
            nn.Linear(last, num_classes),
        )
        _init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


# ---------------------------------------------------------------------------------------------- builders


@register_model(
    "mobilenet_v1",
    MOBILENET_V1,
    cam_layer="features",
    timm_weights="mobilenetv1_100",
    key_map=state_dict_from_timm,
    note="Pretrained weights are timm's mobilenetv1_100 (ReLU6; trained on inputs normalised with "
    "mean = std = 0.5). The resolution multiplier ρ is the input size: input_size_for(rho).",
)
def mobilenet_v1(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """MobileNet v1; ``width_mult`` (α) is the only option."""
    return MobileNetV1(num_classes=num_classes, **kwargs)


@register_model("mobilenet_v2", MOBILENET_V2, cam_layer="features", tv_weights="MobileNet_V2_Weights")
def mobilenet_v2(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """MobileNet v2; options ``width_mult``, ``dropout`` and ``output_stride`` (32, or 16 / 8 with atrous
    convolutions, §6.3)."""
    return MobileNetV2(num_classes=num_classes, **kwargs)


@register_model(
    "mobilenet_v3_large", MOBILENET_V3, cam_layer="features", tv_weights="MobileNet_V3_Large_Weights"
)
def mobilenet_v3_large(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """MobileNet v3 Large (paper Table 1); options ``width_mult`` and ``dropout``."""
    return MobileNetV3(V3_LARGE_LAYERS, V3_LARGE_LAST_CHANNELS, num_classes=num_classes, **kwargs)


@register_model(
    "mobilenet_v3_small", MOBILENET_V3, cam_layer="features", tv_weights="MobileNet_V3_Small_Weights"
)
def mobilenet_v3_small(num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    """MobileNet v3 Small (paper Table 2); options ``width_mult`` and ``dropout``."""
    return MobileNetV3(V3_SMALL_LAYERS, V3_SMALL_LAST_CHANNELS, num_classes=num_classes, **kwargs)
