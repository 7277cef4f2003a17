"""DenseNet: Huang et al. 2016, "Densely Connected Convolutional Networks" (arXiv 1608.06993).

ResNet *adds* a block's input to its output; DenseNet *concatenates* it. Inside a dense block, layer
l sees the feature maps of every layer before it, [x0, x1, ..., x(l-1)], and contributes only k new
channels (the growth rate k, §3). Features are reused instead of relearned, so the network is narrow
and has few parameters. Between blocks a transition layer (BN, 1x1 conv, 2x2 average pool) halves
the channels (compression θ = 0.5) and the spatial size.

The variants are Table 1 of the paper, below as data. These are "DenseNet-BC" models: each layer
first squeezes its input to 4k channels with a 1x1 conv (the bottleneck, B) and transitions compress
(C). Module names are torchvision's, so its ImageNet weights load strictly.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from lab.models.registry import Paper, register_model

DENSENET = Paper(
    family="DenseNet",
    year=2016,
    title="Densely Connected Convolutional Networks",
    arxiv="https://arxiv.org/abs/1608.06993",
    key_idea="Every layer in a dense block receives the concatenated feature maps of all layers "
    "before it and adds only k new ones, so features are reused rather than relearned.",
)

# Table 1 of the paper (k = 32, 2k = 64 initial channels): name -> (growth rate k, layers in each of
# the four dense blocks, channels out of the stem). DenseNet-161 is not in Table 1: it is the wider
# k = 48 ImageNet model released with the authors' code (torchvision ships its weights).
DENSENET_CONFIGS: dict[str, tuple[int, tuple[int, int, int, int], int]] = {
    "densenet121": (32, (6, 12, 24, 16), 64),
    "densenet169": (32, (6, 12, 32, 32), 64),
    "densenet201": (32, (6, 12, 48, 32), 64),
    "densenet161": (48, (6, 12, 36, 24), 96),
    "densenet264": (32, (6, 12, 64, 48), 64),  # Table 1's deepest; no published ImageNet weights
}


class DenseLayer(nn.Module):
    """One composite function H_l (§3): BN-ReLU-Conv1x1 to ``bn_size * k`` channels (the bottleneck),
    then BN-ReLU-Conv3x3 to ``k`` new channels.

    Its input is the concatenation of all earlier feature maps in the block; it returns only the k new
    ones. (torchvision's version also accepts the list of maps unconcatenated, and offers
    ``memory_efficient=True``, which recomputes the concatenation + 1x1 conv during the backward pass
    with gradient checkpointing to save memory. Lab leaves that out: same numbers, more code.)
    """

    def __init__(self, in_channels: int, growth_rate: int, bn_size: int, drop_rate: float) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU(inplace=True)
        # "Bottleneck layers" (§3): cap the 3x3 conv's input at 4k channels however many came in.
        self.conv1 = nn.Conv2d(in_channels, bn_size * growth_rate, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, padding=1, bias=False)
        self.drop_rate = drop_rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(self.relu1(self.norm1(x)))
        out = self.conv2(self.relu2(self.norm2(out)))
        if self.drop_rate > 0:  # §4.2 uses dropout 0.2 without data augmentation; here after the 3x3 only
            out = F.dropout(out, p=self.drop_rate, training=self.training)
        return out


class DenseBlock(nn.Module):
    """``num_layers`` DenseLayers (``denselayer1``...); each one's k new maps are appended to the
    running concatenation (Eq. 2: x_l = H_l([x0, x1, ..., x(l-1)])).

    Outputs ``in_channels + num_layers * growth_rate`` channels at the input's spatial size.
    """

    def __init__(
        self, num_layers: int, in_channels: int, growth_rate: int, bn_size: int, drop_rate: float
    ) -> None:
        super().__init__()
        for i in range(num_layers):
            layer = DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size, drop_rate)
            self.add_module(f"denselayer{i + 1}", layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.children():
            x = torch.cat([x, layer(x)], dim=1)  # concatenate, where ResNet would add
        return x


class Transition(nn.Module):
    """Transition layer between dense blocks (§3, "Pooling layers"): BN, ReLU, 1x1 conv to
    ``out_channels``, 2x2 average pool (halves height and width)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.conv(self.relu(self.norm(x))))


class DenseNet(nn.Module):
    """A DenseNet-BC: stem (7x7 conv, max pool), four dense blocks with transitions between them, a
    final BatchNorm (``features.norm5``), ReLU, global average pooling and a linear classifier.

    Args:
        growth_rate: k, the channels each DenseLayer adds.
        block_config: how many DenseLayers each of the four dense blocks has.
        num_init_features: channels out of the stem conv (2k in Table 1).
        bn_size: the 1x1 bottleneck outputs ``bn_size * k`` channels (4 in the paper).
        drop_rate: dropout probability after each DenseLayer (0 for ImageNet, as in the paper).
        num_classes: size of the output.

    Raises:
        ValueError: a count is not positive, or ``drop_rate`` is outside [0, 1).
    """

    def __init__(
        self,
        growth_rate: int = 32,
        block_config: tuple[int, ...] = (6, 12, 24, 16),
        num_init_features: int = 64,
        bn_size: int = 4,
        drop_rate: float = 0.0,
        num_classes: int = 1000,
    ) -> None:
        super().__init__()
        counts = {"growth_rate": growth_rate, "num_init_features": num_init_features, "bn_size": bn_size,
                  "num_classes": num_classes}
        for name, value in counts.items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"DenseNet's {name} must be a positive integer, not {value!r}.")
        if not block_config or any(n < 1 for n in block_config):
            raise ValueError(f"Each dense block needs at least one layer; got block_config={block_config!r}.")
        if not 0 <= drop_rate < 1:
            raise ValueError(f"drop_rate is a probability in [0, 1), not {drop_rate!r}.")

        self.features = nn.Sequential()
        # Stem, as ResNet's (Table 1 "Convolution" and "Pooling" rows): 224 -> 112 -> 56.
        self.features.add_module("conv0", nn.Conv2d(3, num_init_features, 7, stride=2, padding=3, bias=False))
        self.features.add_module("norm0", nn.BatchNorm2d(num_init_features))
        self.features.add_module("relu0", nn.ReLU(inplace=True))
        self.features.add_module("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        channels = num_init_features
        for i, num_layers in enumerate(block_config):
            block = DenseBlock(num_layers, channels, growth_rate, bn_size, drop_rate)
            self.features.add_module(f"denseblock{i + 1}", block)
            channels += num_layers * growth_rate
            if i < len(block_config) - 1:
                # Compression θ = 0.5 (§3, DenseNet-C): the transition halves the channels.
                self.features.add_module(f"transition{i + 1}", Transition(channels, channels // 2))
                channels //= 2
        # BN-ReLU-Conv layers end on a conv; this last BN normalizes the concatenated block output.
        self.features.add_module("norm5", nn.BatchNorm2d(channels))
        self.classifier = nn.Linear(channels, num_classes)
        self._init_weights()

    def _init_weights(self) -> None:
        # torchvision's scheme: He normal (fan_in) for convs, BN to identity, zero classifier bias.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)  # ends with norm5
        # The final ReLU is a function, not a module (as in torchvision), so ``features.norm5`` is the
        # last module with a spatial output. Not in place: a hook holding norm5's output keeps it intact.
        x = F.relu(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.classifier(x)


def _densenet(name: str, num_classes: int, **kwargs) -> DenseNet:
    growth_rate, block_config, num_init_features = DENSENET_CONFIGS[name]
    return DenseNet(growth_rate, block_config, num_init_features, num_classes=num_classes, **kwargs)


# Grad-CAM targets norm5: the final ReLU after it is functional, so no module outputs the ReLU'd map.
@register_model("densenet121", DENSENET, cam_layer="features.norm5", tv_weights="DenseNet121_Weights")
def densenet121(num_classes: int = 1000, **kwargs) -> nn.Module:
    """DenseNet-121 (Table 1): k = 32, blocks (6, 12, 24, 16). ``kwargs``: ``bn_size``, ``drop_rate``."""
    return _densenet("densenet121", num_classes, **kwargs)


@register_model("densenet169", DENSENET, cam_layer="features.norm5", tv_weights="DenseNet169_Weights")
def densenet169(num_classes: int = 1000, **kwargs) -> nn.Module:
    """DenseNet-169 (Table 1): k = 32, blocks (6, 12, 32, 32). ``kwargs``: ``bn_size``, ``drop_rate``."""
    return _densenet("densenet169", num_classes, **kwargs)


@register_model("densenet201", DENSENET, cam_layer="features.norm5", tv_weights="DenseNet201_Weights")
def densenet201(num_classes: int = 1000, **kwargs) -> nn.Module:
    """DenseNet-201 (Table 1): k = 32, blocks (6, 12, 48, 32). ``kwargs``: ``bn_size``, ``drop_rate``."""
    return _densenet("densenet201", num_classes, **kwargs)


@register_model(
    "densenet161",
    DENSENET,
    cam_layer="features.norm5",
    tv_weights="DenseNet161_Weights",
    note="Not in the paper's Table 1: the authors' wider ImageNet model, k = 48 and 96 stem channels.",
)
def densenet161(num_classes: int = 1000, **kwargs) -> nn.Module:
    """DenseNet-161: k = 48, blocks (6, 12, 36, 24), 96 stem channels. ``kwargs``: as densenet121."""
    return _densenet("densenet161", num_classes, **kwargs)


@register_model(
    "densenet264",
    DENSENET,
    cam_layer="features.norm5",
    like="densenet201",
    note="The deepest network of Table 1; neither torchvision nor timm publishes its ImageNet weights "
    "(timm's densenet264d has a deeper stem).",
)
def densenet264(num_classes: int = 1000, **kwargs) -> nn.Module:
    """DenseNet-264 (Table 1): k = 32, blocks (6, 12, 64, 48). ``kwargs``: as densenet121."""
    return _densenet("densenet264", num_classes, **kwargs)
