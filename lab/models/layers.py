"""Small building blocks shared by MobileNet and EfficientNet (and the Scaling tab).

- :func:`make_divisible`: how a width multiplier turns "32 channels × 0.75" into a real channel count;
- :class:`ConvBNActivation`: convolution → batch norm → activation, the unit every table row is made of;
- :class:`SqueezeExcitation`: Hu et al. 2017, "Squeeze-and-Excitation Networks" (arXiv 1709.01507),
  the channel attention that MobileNetV3 and EfficientNet put inside their blocks.

Module attribute names follow torchvision (``Conv2dNormActivation``'s children 0/1/2, SE's ``fc1``/``fc2``)
so torchvision's pretrained weights load into lab's models unchanged.
"""
from __future__ import annotations

from typing import Callable

import torch
import torch.nn as nn


# TensorFlow's batch-norm settings, which weights ported from TensorFlow (MobileNet v3, EfficientNet-B5–B7)
# were trained with: eps 1e-3 and a moving-average decay of 0.99, i.e. PyTorch momentum 1 − 0.99 = 0.01.
TF_BN_EPS, TF_BN_MOMENTUM = 1e-3, 0.01


def make_divisible(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    """Round a channel count ``v`` to the nearest multiple of ``divisor``.

    Width multipliers make fractional channel counts (32 × 1.1 = 35.2); real layers need integers, and
    multiples of 8 run fastest on mobile and GPU kernels (the TensorFlow MobileNet code does this).

    Args:
        v: the wanted number of channels (e.g. ``channels * width_mult``).
        divisor: the result is a multiple of this.
        min_value: the smallest result allowed (default: ``divisor``).

    Returns:
        The rounded channel count, never below ``min_value`` and never below 90% of ``v``.
    """
    if min_value is None:
        min_value = divisor
    rounded = max(min_value, int(v + divisor / 2) // divisor * divisor)
    # Rounding to the nearest multiple may go down; never lose more than 10% of the asked-for width,
    # or a small multiplier would shrink a layer far more than the student asked for.
    if rounded < 0.9 * v:
        rounded += divisor
    return rounded


class ConvBNActivation(nn.Sequential):
    """Conv2d (no bias) → BatchNorm2d → activation, with "same" padding for odd kernels.

    Children are numbered like torchvision's ``Conv2dNormActivation``: ``0`` = conv, ``1`` = bn,
    ``2`` = activation (absent when ``activation`` is None, e.g. a linear bottleneck's projection).

    Args:
        in_channels, out_channels: channels in and out.
        kernel_size: odd kernel size; padding keeps the spatial size when ``stride`` is 1.
        stride: convolution stride.
        dilation: spacing of the kernel's taps (atrous convolution); the padding grows with it.
        groups: ``in_channels`` for a depthwise convolution, 1 for an ordinary one.
        activation: activation class (``nn.ReLU``, ``nn.ReLU6``, ``nn.Hardswish``, ``nn.SiLU``) or None.
        norm_layer: batch-norm class or factory (e.g. ``partial(nn.BatchNorm2d, eps=1e-3)``).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        groups: int = 1,
        activation: Callable[..., nn.Module] | None = nn.ReLU,
        norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d,
        dilation: int = 1,
    ) -> None:
        padding = dilation * (kernel_size - 1) // 2  # "same" size at stride 1
        layers: list[nn.Module] = [
            # No bias: the batch norm that follows has its own shift (beta).
            nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias=False),
            norm_layer(out_channels),
        ]
        if activation is not None:
            layers.append(activation(inplace=True))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcitation(nn.Module):
    """Squeeze-and-Excitation (Hu et al. 2017, Fig. 1): re-weight each channel by a learned gate.

    Squeeze: global average pooling gives one number per channel. Excite: two 1×1 convolutions
    (``fc1`` shrinks to ``squeeze_channels``, ``fc2`` restores) and ``scale_activation`` give a weight
    in (0, 1) per channel, which multiplies the input.

    Args:
        channels: channels of the feature map being re-weighted.
        squeeze_channels: width of the bottleneck between ``fc1`` and ``fc2``.
        activation: non-linearity after ``fc1`` (ReLU in the paper; SiLU in EfficientNet).
        scale_activation: the gate (sigmoid in the paper; hard-sigmoid in MobileNetV3).
    """

    def __init__(
        self,
        channels: int,
        squeeze_channels: int,
        activation: Callable[..., nn.Module] = nn.ReLU,
        scale_activation: Callable[..., nn.Module] = nn.Sigmoid,
    ) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        # 1×1 convolutions on a 1×1 map are the paper's fully connected layers (kept 4-D for broadcasting).
        self.fc1 = nn.Conv2d(channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.avgpool(x)  # squeeze: (N, C, 1, 1)
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(scale))))  # excite
        return x * scale


def init_conv_bn(model: nn.Module) -> None:
    """He-normal (fan_out) convolutions with zero bias and BatchNorm γ = 1, β = 0: how torchvision starts
    MobileNet v2/v3 and EfficientNet (their classifiers differ, so each family initialises its own)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
