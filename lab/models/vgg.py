"""VGG: depth from one repeated block of small 3x3 convolutions.

Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition" (2014),
arXiv 1409.1556. Every VGG is five *VGG blocks* -- a few 3x3 convolutions with ReLU, then a 2x2 max-pool
that halves the map -- followed by AlexNet's three fully connected layers. The variants differ only in
how many convolutions each block has (Table 1, columns A, B, D, E = VGG-11, 13, 16, 19). Two stacked 3x3
convolutions see a 5x5 window and three see 7x7, with fewer parameters (27C^2 instead of 49C^2) and more
ReLUs than one big kernel (§2.3).

The ``_bn`` variants add batch normalisation (Ioffe & Szegedy 2015) after each convolution; they are
torchvision's, not the paper's, and train from scratch without the paper's trick of initialising the
deep nets from the shallow net A (§3.1).
"""
from __future__ import annotations

import torch
import torch.nn as nn

from lab.models.registry import Paper, register_model

VGG_PAPER = Paper(
    family="VGG",
    year=2014,
    title="Very Deep Convolutional Networks for Large-Scale Image Recognition",
    arxiv="https://arxiv.org/abs/1409.1556",
    key_idea="Build depth by repeating one block of 3x3 convolutions and a 2x2 max-pool: stacked small "
    "kernels see as far as a big one with fewer parameters.",
)

# Table 1 of the paper: the number of 3x3 convolutions in each of the five blocks, per configuration.
VGG_CONFIGS = {
    "A": (1, 1, 2, 2, 2),  # VGG-11: 8 conv + 3 FC weight layers
    "B": (2, 2, 2, 2, 2),  # VGG-13
    "D": (2, 2, 3, 3, 3),  # VGG-16
    "E": (2, 2, 4, 4, 4),  # VGG-19
}
# Table 1: the width of each block, the same in every configuration (doubling until 512).
BLOCK_CHANNELS = (64, 128, 256, 512, 512)
POOL_SIZE = 7  # the last feature map is 7x7 at 224 px (224 / 2^5)
HIDDEN = 4096  # FC-4096, FC-4096, FC-classes (Table 1)


def vgg_block(
    num_convs: int, in_channels: int, out_channels: int, batch_norm: bool = False
) -> list[nn.Module]:
    """One VGG block (d2l's ``vgg_block``): ``num_convs`` x (3x3 conv, [BN], ReLU), then a 2x2 max-pool.

    Returns a list of layers, not a Sequential, so the whole network stays one flat ``features`` Sequential
    whose indices (``features.0``, ``features.2``...) are torchvision's keys.
    """
    layers: list[nn.Module] = []
    for _ in range(num_convs):
        # §2.1: 3x3 kernels, stride 1, padding 1 keeps the size; only the pools shrink the map
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(out_channels))
        layers.append(nn.ReLU(inplace=True))
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))  # §2.1: halves the map
    return layers


class VGG(nn.Module):
    """A VGG network: ``features`` (the five blocks), ``avgpool`` and ``classifier``, named as in torchvision.

    Args:
        config: convolutions per block, a row of :data:`VGG_CONFIGS`.
        batch_norm: add BatchNorm2d after every convolution.
        num_classes: size of the last Linear layer.
        dropout: drop probability after each hidden fully connected layer (0.5 in §3.1).
    """

    def __init__(
        self, config: tuple[int, ...], batch_norm: bool = False, num_classes: int = 1000, dropout: float = 0.5
    ) -> None:
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout is a probability in [0, 1), not {dropout!r}.")
        layers: list[nn.Module] = []
        in_channels = 3
        for num_convs, out_channels in zip(config, BLOCK_CHANNELS):
            layers += vgg_block(num_convs, in_channels, out_channels, batch_norm)
            in_channels = out_channels
        self.features = nn.Sequential(*layers)
        # An identity at 224 px; lets smaller or larger images reach the 25,088-input classifier.
        self.avgpool = nn.AdaptiveAvgPool2d((POOL_SIZE, POOL_SIZE))
        self.classifier = nn.Sequential(
            nn.Linear(in_channels * POOL_SIZE * POOL_SIZE, HIDDEN),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(HIDDEN, HIDDEN),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(HIDDEN, num_classes),
        )
        self._init_weights()

    def _init_weights(self) -> None:
        # torchvision's scheme: He init for the ReLU convolutions, so all 19 layers train from scratch
        # (the paper instead initialised its deeper nets from net A, §3.1), and N(0, 0.01) for the Linears.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)  # (N, 512, 7, 7) at 224 px
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


def _cam_layer(config: str, batch_norm: bool) -> str:
    """The last ReLU of ``features``, just before the fifth max-pool: 14x14 at 224 px instead of 7x7."""
    layers_per_conv = 3 if batch_norm else 2
    convs = VGG_CONFIGS[config]
    # Every conv with its BN and ReLU, and the first four max-pools, come before the last pool.
    return f"features.{sum(convs) * layers_per_conv + (len(convs) - 1) - 1}"


_BN_NOTE = "Batch normalisation after every convolution (torchvision's addition, not in the paper)."


@register_model("vgg11", VGG_PAPER, cam_layer=_cam_layer("A", False), tv_weights="VGG11_Weights")
def vgg11(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-11, configuration A of Table 1.

    ``dropout`` (default 0.5) may be passed, as to every VGG builder; outside [0, 1) it raises ValueError.
    """
    return VGG(VGG_CONFIGS["A"], batch_norm=False, num_classes=num_classes, **kwargs)


@register_model("vgg13", VGG_PAPER, cam_layer=_cam_layer("B", False), tv_weights="VGG13_Weights")
def vgg13(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-13, configuration B of Table 1; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["B"], batch_norm=False, num_classes=num_classes, **kwargs)


@register_model("vgg16", VGG_PAPER, cam_layer=_cam_layer("D", False), tv_weights="VGG16_Weights")
def vgg16(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-16, configuration D of Table 1; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["D"], batch_norm=False, num_classes=num_classes, **kwargs)


@register_model("vgg19", VGG_PAPER, cam_layer=_cam_layer("E", False), tv_weights="VGG19_Weights")
def vgg19(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-19, configuration E of Table 1; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["E"], batch_norm=False, num_classes=num_classes, **kwargs)


@register_model(
    "vgg11_bn", VGG_PAPER, cam_layer=_cam_layer("A", True), tv_weights="VGG11_BN_Weights", note=_BN_NOTE
)
def vgg11_bn(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-11 (configuration A) with batch normalisation; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["A"], batch_norm=True, num_classes=num_classes, **kwargs)


@register_model(
    "vgg13_bn", VGG_PAPER, cam_layer=_cam_layer("B", True), tv_weights="VGG13_BN_Weights", note=_BN_NOTE
)
def vgg13_bn(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-13 (configuration B) with batch normalisation; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["B"], batch_norm=True, num_classes=num_classes, **kwargs)


@register_model(
    "vgg16_bn", VGG_PAPER, cam_layer=_cam_layer("D", True), tv_weights="VGG16_BN_Weights", note=_BN_NOTE
)
def vgg16_bn(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-16 (configuration D) with batch normalisation; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["D"], batch_norm=True, num_classes=num_classes, **kwargs)


@register_model(
    "vgg19_bn", VGG_PAPER, cam_layer=_cam_layer("E", True), tv_weights="VGG19_BN_Weights", note=_BN_NOTE
)
def vgg19_bn(num_classes: int = 1000, **kwargs) -> nn.Module:
    """VGG-19 (configuration E) with batch normalisation; options as in :func:`vgg11`."""
    return VGG(VGG_CONFIGS["E"], batch_norm=True, num_classes=num_classes, **kwargs)
