"""NiN (Network in Network): 1x1 convolutions inside every block, and no fully connected classifier.

Lin, Chen and Yan, "Network In Network" (2013), arXiv 1312.4400. LeNet, AlexNet and VGG end in big fully
connected layers (most of their parameters). NiN changes two things (§3):
- each block is an *mlpconv* layer: a spatial convolution followed by two 1x1 convolutions, i.e. a small
  MLP applied at every pixel, so each block computes richer features than one linear filter (§3.1);
- the last block outputs one feature map per class and *global average pooling* turns each map into
  that class's score: no Linear layer, fewer parameters, less overfitting, and maps you can look at (§3.2).

This is the ImageNet-sized network of d2l ("Dive into Deep Learning", §8.3): AlexNet's kernel sizes and
strides with mlpconv blocks in place of single convolutions. The paper itself reports CIFAR/SVHN/MNIST
models; there are no published ImageNet weights. The 1x1-convolution idea reappears in GoogLeNet, ResNet's
bottlenecks and MobileNet.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from lab.models.registry import Paper, register_model

NIN = Paper(
    family="NiN",
    year=2013,
    title="Network In Network",
    arxiv="https://arxiv.org/abs/1312.4400",
    key_idea="Put a tiny MLP (1x1 convolutions) after every convolution and replace the fully connected "
    "classifier by one feature map per class, averaged over the image.",
)

# d2l's ImageNet NiN (§8.3): (out_channels, kernel_size, stride, padding) of the spatial convolution of the
# three feature blocks, each followed by a 3x3 stride-2 max-pool (AlexNet's sizes: 11/4, 5, 3).
NIN_BLOCKS = [
    (96, 11, 4, 0),
    (256, 5, 1, 2),
    (384, 3, 1, 1),
]
# (kernel_size, stride, padding) of the classifier block, a 3x3 mlpconv with one map per class (§3.2).
CLASSIFIER_BLOCK = (3, 1, 1)


def nin_block(
    in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int
) -> nn.Sequential:
    """One mlpconv layer (§3.1, Fig. 2; d2l's ``nin_block``): a ``kernel_size`` convolution then two 1x1
    convolutions, each followed by ReLU. All three have ``out_channels`` outputs.
    """
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding),
        nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, kernel_size=1),  # the per-pixel MLP: a Linear on channels
        nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, kernel_size=1),
        nn.ReLU(inplace=True),
    )


class NiN(nn.Module):
    """Network in Network: ``features`` (three mlpconv blocks and max-pools) then ``classifier``
    (dropout, an mlpconv block with one map per class, global average pooling, flatten).

    Parameters: 7,439,608 for 1000 classes, 2,015,398 for 10 (arithmetic in tests/models/test_nin.py).
    Needs inputs of at least 67x67 (three 3x3 stride-2 pools after the 11x11 stride-4 convolution).
    """

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout is a probability in [0, 1), not {dropout!r}.")
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels, kernel_size, stride, padding in NIN_BLOCKS:
            layers.append(nin_block(in_channels, out_channels, kernel_size, stride, padding))
            layers.append(nn.MaxPool2d(kernel_size=3, stride=2))  # AlexNet's overlapping pooling
            in_channels = out_channels
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),  # §4: the paper drops out after every mlpconv but the last; d2l here only
            nin_block(in_channels, num_classes, *CLASSIFIER_BLOCK),  # one map per class
            nn.AdaptiveAvgPool2d((1, 1)),  # §3.2: global average pooling, each map -> its class's score
            nn.Flatten(),
        )
        # torchvision's scheme for plain ReLU conv nets (as its VGG): He init keeps the 12 convolutions'
        # activations from shrinking, which PyTorch's default init would do without batch norm.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)  # (N, 384, 5, 5) at 224 px
        return self.classifier(x)  # (N, num_classes): the mean of each class's 5x5 map


@register_model(
    "nin",
    NIN,
    # The last mlpconv block, before global pooling: its num_classes maps are already class evidence
    # (5x5 at 224 px), exactly what CAM (Zhou et al. 2016) later built on.
    cam_layer="classifier.1",
    note="The ImageNet NiN of d2l (AlexNet's kernel sizes with mlpconv blocks); no published weights. "
    "Its scores pass through the last block's ReLU, so they are never negative.",
)
def nin(num_classes: int = 1000, **kwargs) -> nn.Module:
    """Network in Network for 3x224x224 images.

    Args:
        num_classes: number of maps of the last mlpconv block, one per class.
        dropout: drop probability before the classifier block (default 0.5).

    Raises:
        ValueError: ``dropout`` outside [0, 1).
    """
    return NiN(num_classes=num_classes, **kwargs)
