"""ResNet: He et al. 2015, "Deep Residual Learning for Image Recognition" (arXiv 1512.03385).

Stacking more plain layers makes a deep network *worse*, even on its training set (the degradation
problem, §1). ResNet lets each block learn a residual F(x) and outputs F(x) + x: when the identity is
already right the block only has to push F towards zero, which is easy. Shortcuts add no parameters
(except the 1x1 projection where the shape changes), and ResNet-152 trains better than ResNet-18.

Two kinds of block (Fig. 5): the BasicBlock (two 3x3 convs) for ResNet-18/34, and the Bottleneck
(1x1 reduce, 3x3, 1x1 expand by 4) for ResNet-50/101/152, which keeps the 3x3 conv cheap.
The depths are Table 1 of the paper, below as data. Module names are torchvision's, so its ImageNet
weights load strictly.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from lab.models.registry import Paper, register_model

RESNET = Paper(
    family="ResNet",
    year=2015,
    title="Deep Residual Learning for Image Recognition",
    arxiv="https://arxiv.org/abs/1512.03385",
    key_idea="Each block learns a residual F(x) and adds its input back (y = F(x) + x), so very deep "
    "networks train as easily as shallow ones.",
)


def _conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    # No bias: the BatchNorm right after it has its own shift (beta).
    return nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)


def _conv1x1(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False)


def _shortcut(in_channels: int, out_channels: int, stride: int) -> nn.Sequential | None:
    """Identity where the shapes match, else a 1x1 projection + BN (§3.3 Eq. 2, "option B" of §4.1)."""
    if stride == 1 and in_channels == out_channels:
        return None
    return nn.Sequential(_conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))


class BasicBlock(nn.Module):
    """Two 3x3 convs with an identity shortcut (Fig. 5 left); used by ResNet-18 and ResNet-34.

    ``planes`` is the width of the convs; the block outputs ``planes * expansion`` channels.
    """

    expansion = 1

    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = _conv3x3(in_channels, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        # One ReLU module called twice, as torchvision has it (it has no weights to keep apart).
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = _conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = _shortcut(in_channels, planes * self.expansion, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)  # y = F(x) + x, then the ReLU (Fig. 2)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3, 1x1 expand (x4), with a shortcut (Fig. 5 right); ResNet-50/101/152.

    This is torchvision's "ResNet v1.5": the stride sits on the 3x3 conv (conv2), not on the first
    1x1 conv as in the paper, so no input pixel is skipped; slightly more accurate, a little more compute.
    """

    expansion = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        out_channels = planes * self.expansion
        self.conv1 = _conv1x1(in_channels, planes)  # reduce: 256 -> 64 in conv2_x
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = _conv3x3(planes, planes, stride)  # the only spatial conv, on the thin tensor
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = _conv1x1(planes, out_channels)  # expand back: 64 -> 256
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)  # called three times, as in torchvision
        self.downsample = _shortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class BottleneckV1(Bottleneck):
    """The paper's bottleneck ("ResNet v1"): the stride sits on the first 1x1 conv, so a downsampling block
    reads only every other pixel of its input; its 3x3 conv runs at the lower resolution. Same weights and
    names as :class:`Bottleneck`, fewer MACs, and a larger receptive field at the end (483 px against v1.5's
    427 at 224 px: a skipped pixel widens every later window's reach)."""

    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__(in_channels, planes, stride)
        self.conv1 = _conv1x1(in_channels, planes, stride)
        self.conv2 = _conv3x3(planes, planes)


# Table 1 of the paper: depth -> (block, number of blocks in conv2_x, conv3_x, conv4_x, conv5_x).
RESNET_DEPTHS: dict[int, tuple[type[BasicBlock] | type[Bottleneck], list[int]]] = {
    18: (BasicBlock, [2, 2, 2, 2]),
    34: (BasicBlock, [3, 4, 6, 3]),
    50: (Bottleneck, [3, 4, 6, 3]),
    101: (Bottleneck, [3, 4, 23, 3]),
    152: (Bottleneck, [3, 8, 36, 3]),
}
# Width of each stage's convs (Table 1); layer2..layer4 halve the map (stride 2) and double the width.
STAGE_PLANES = [64, 128, 256, 512]


class ResNet(nn.Module):
    """A ResNet: 7x7 stem, four stages of residual blocks (torchvision's ``layer1``..``layer4``, the
    paper's conv2_x..conv5_x), global average pooling and one fully connected layer.

    Args:
        block: :class:`BasicBlock` or :class:`Bottleneck`.
        layers: how many blocks each of the four stages has (a row of Table 1).
        num_classes: size of the output.
        zero_init_residual: start the last BatchNorm γ of every residual branch at zero, so each block
            begins as the identity (Goyal et al. 2017, "Accurate, Large Minibatch SGD"). Off by default,
            as in torchvision.

    Raises:
        ValueError: ``layers`` is not four positive counts, or ``num_classes`` < 1.
    """

    def __init__(
        self,
        block: type[BasicBlock] | type[Bottleneck],
        layers: list[int],
        num_classes: int = 1000,
        zero_init_residual: bool = False,
    ) -> None:
        super().__init__()
        if len(layers) != 4 or any(n < 1 for n in layers):
            raise ValueError(f"A ResNet has four stages of at least one block each; got {layers!r}.")
        if num_classes < 1:
            raise ValueError(f"num_classes must be a positive integer, not {num_classes!r}.")
        # Stem (conv1 in Table 1): 224 -> 112 by the strided 7x7 conv, -> 56 by the max pool.
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        channels = 64
        stages = []
        for i, (planes, blocks) in enumerate(zip(STAGE_PLANES, layers)):
            stride = 1 if i == 0 else 2  # conv3_1, conv4_1 and conv5_1 downsample (Table 1)
            stage = [block(channels, planes, stride)]
            channels = planes * block.expansion
            stage += [block(channels, planes) for _ in range(blocks - 1)]
            stages.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(channels, num_classes)
        self._init_weights(zero_init_residual)

    def _init_weights(self, zero_init_residual: bool) -> None:
        # He et al. 2015 ("Delving Deep into Rectifiers") init for ReLU nets, as in torchvision.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        if zero_init_residual:  # Goyal et al. 2017: every block starts as the identity
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    nn.init.zeros_(m.bn3.weight)
                elif isinstance(m, BasicBlock):
                    nn.init.zeros_(m.bn2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def _resnet(depth: int, num_classes: int, **kwargs) -> ResNet:
    block, layers = RESNET_DEPTHS[depth]
    return ResNet(block, layers, num_classes=num_classes, **kwargs)


_V2_NOTE = (
    "Pretrained: torchvision's default weights (IMAGENET1K_V2) come from a 2021 training recipe, "
    "more accurate than the paper's."
)


@register_model("resnet18", RESNET, cam_layer="layer4", tv_weights="ResNet18_Weights")
def resnet18(num_classes: int = 1000, **kwargs) -> nn.Module:
    """ResNet-18 (Table 1): BasicBlocks [2, 2, 2, 2]. ``kwargs``: ``zero_init_residual``."""
    return _resnet(18, num_classes, **kwargs)


@register_model("resnet34", RESNET, cam_layer="layer4", tv_weights="ResNet34_Weights")
def resnet34(num_classes: int = 1000, **kwargs) -> nn.Module:
    """ResNet-34 (Table 1): BasicBlocks [3, 4, 6, 3]. ``kwargs``: ``zero_init_residual``."""
    return _resnet(34, num_classes, **kwargs)


@register_model("resnet50", RESNET, cam_layer="layer4", tv_weights="ResNet50_Weights", note=_V2_NOTE)
def resnet50(num_classes: int = 1000, **kwargs) -> nn.Module:
    """ResNet-50 (Table 1): Bottlenecks [3, 4, 6, 3]. ``kwargs``: ``zero_init_residual``."""
    return _resnet(50, num_classes, **kwargs)


@register_model("resnet101", RESNET, cam_layer="layer4", tv_weights="ResNet101_Weights", note=_V2_NOTE)
def resnet101(num_classes: int = 1000, **kwargs) -> nn.Module:
    """ResNet-101 (Table 1): Bottlenecks [3, 4, 23, 3]. ``kwargs``: ``zero_init_residual``."""
    return _resnet(101, num_classes, **kwargs)


@register_model("resnet152", RESNET, cam_layer="layer4", tv_weights="ResNet152_Weights", note=_V2_NOTE)
def resnet152(num_classes: int = 1000, **kwargs) -> nn.Module:
    """ResNet-152 (Table 1): Bottlenecks [3, 8, 36, 3]. ``kwargs``: ``zero_init_residual``."""
    return _resnet(152, num_classes, **kwargs)


@register_model(
    "resnet50_v1",
    RESNET,
    cam_layer="layer4",
    like="resnet50",
    note="The paper's ResNet-50 (v1): the stride of each downsampling block on its first 1x1 conv, not on the "
    "3x3 as in torchvision's v1.5 (resnet50). No weights are loaded for it here.",
)
def resnet50_v1(num_classes: int = 1000, **kwargs) -> nn.Module:
    """ResNet-50 as the paper builds it (Table 1, blocks 3-4-6-3 of :class:`BottleneckV1`)."""
    return ResNet(BottleneckV1, RESNET_DEPTHS[50][1], num_classes=num_classes, **kwargs)


# ------------------------------------------------------------------ the degradation experiment (§4.2, Fig. 1, 6)


class PlainBlock(BasicBlock):
    """A basic block without its shortcut (the paper's "plain" network): y = F(x). Same layers and weights."""

    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__(in_channels, planes, stride)
        self.downsample = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


class CifarResNet(nn.Module):
    """The paper's CIFAR-10 networks (§4.2): a 3x3 conv to 16 channels, three stages of n basic blocks at
    16, 32 and 64 channels on 32, 16 and 8 px maps, global average pooling, a fully connected layer; depth
    6n + 2. ``residual=False`` is the plain network of the same depth, whose training error *rises* with
    depth (Fig. 1: plain-56 worse than plain-20), where ResNet's falls (Fig. 6). Downsampling shortcuts are
    1x1 projections (the paper's option B) rather than zero-padding (option A), so both use one block class.
    """

    def __init__(self, depth: int, residual: bool = True, num_classes: int = 10,
                 zero_init_residual: bool = True) -> None:
        super().__init__()
        if depth < 8 or (depth - 2) % 6:
            raise ValueError(f"A CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110), not {depth}.")
        n, block = (depth - 2) // 6, BasicBlock if residual else PlainBlock
        self.conv1 = _conv3x3(3, 16)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU(inplace=True)
        channels, stages = 16, []
        for i, planes in enumerate((16, 32, 64)):
            stage = [block(channels, planes, 1 if i == 0 else 2)] + [block(planes, planes) for _ in range(n - 1)]
            stages.append(nn.Sequential(*stage))
            channels = planes
        self.layer1, self.layer2, self.layer3 = stages
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if residual and zero_init_residual:
            # Each residual branch starts at zero (its last BN γ = 0; Goyal et al. 2017, torchvision's
            # zero_init_residual): ResNet-56 starts as the identity, not as 27 branches' summed noise, so in
            # a CPU-short run it overtakes ResNet-20 as in Fig. 6. A plain net cannot (y = F(x) = 0).
            for m in self.modules():
                if isinstance(m, BasicBlock):
                    nn.init.zeros_(m.bn2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer3(self.layer2(self.layer1(self.relu(self.bn1(self.conv1(x))))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def _cifar(name: str, depth: int, residual: bool) -> None:
    kind = "ResNet" if residual else "plain network"
    register_model(name, RESNET, cam_layer="layer3", input_size=(3, 32, 32),
                   note=f"The paper's CIFAR-10 {kind} of depth {depth} (§4.2), for the degradation experiment: "
                   "plain and residual at two depths, trained from the same seed.")(
        lambda num_classes=10, **kwargs: CifarResNet(depth, residual, num_classes, **kwargs))


for _depth in (20, 56):
    _cifar(f"resnet{_depth}_cifar", _depth, True)
    _cifar(f"plain{_depth}_cifar", _depth, False)
