"""LeNet-5: the first convolutional network trained end to end with backpropagation.

LeCun, Bottou, Bengio and Haffner, "Gradient-Based Learning Applied to Document Recognition" (1998),
http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf, §II-B and Fig. 2. A 32x32 digit goes through two
rounds of *convolution -> squashing -> subsampling* (C1, S2, C3, S4) that turn pixels into 16 small
feature maps, then three fully connected layers (C5, F6, output) that turn those features into class
scores. Every later network in the course keeps this split: a convolutional ``features`` part and a
fully connected ``classifier`` part.

Modern substitutions (the version the course notes and d2l teach; the layer sizes are the paper's):
- ReLU instead of the scaled tanh ``1.7159 tanh(2a/3)`` (Appendix A): it trains faster from scratch.
- 2x2 max-pooling instead of the paper's subsampling (average of 4 inputs times a trainable coefficient,
  plus a trainable bias, then a sigmoid): no parameters, the strongest response wins.
- C3 sees all 6 maps of S2 instead of the sparse connection table (Table I): 2,416 weights instead of 1,516.
- The output is a Linear layer trained with cross-entropy instead of 10 Euclidean RBF units with fixed,
  hand-designed 7x12 prototype bitmaps (§II-B, F6 and output).
"""
from __future__ import annotations

import torch
import torch.nn as nn

from lab.models.registry import Paper, register_model

LENET = Paper(
    family="LeNet",
    year=1998,
    title="Gradient-Based Learning Applied to Document Recognition",
    arxiv="http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf",
    key_idea="Convolutions share a few weights across the image and pooling shrinks it, so two conv-pool "
    "stages turn pixels into features that a small fully connected classifier can read.",
)

# Fig. 2 of the paper: (name, output channels, kernel size) of the two convolutions; each is followed by
# a 2x2 subsampling (S2, S4) that halves the map: 32 -> C1 28 -> S2 14 -> C3 10 -> S4 5.
LENET_CONVS = [("C1", 6, 5), ("C3", 16, 5)]
# Widths of the fully connected layers C5 and F6 (§II-B); the output layer has one unit per class.
LENET_FC = [120, 84]
S4_SIZE = 5  # the side of S4's maps for a 32x32 input, which C5's 5x5 kernels cover exactly


class LeNet5(nn.Module):
    """LeNet-5 with the modern substitutions listed in the module docstring.

    Parameters (1 input channel, 10 classes): C1 156 + C3 2,416 + C5 48,120 + F6 10,164 + output 850
    = **61,706**. The paper's count is 60,000 (C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164; the
    RBF prototypes are fixed): full C3 adds 900, max-pooling removes S2/S4's 44 and the Linear output adds
    850, so 60,000 + 900 - 44 + 850 = 61,706.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1) -> None:
        super().__init__()
        if not isinstance(in_channels, int) or in_channels < 1:
            raise ValueError(
                f"in_channels must be a positive integer (1 for grey images, 3 for RGB), not {in_channels!r}."
            )
        layers: list[nn.Module] = []
        channels = in_channels
        for _, out_channels, kernel_size in LENET_CONVS:
            layers += [
                nn.Conv2d(channels, out_channels, kernel_size),  # no padding: 32 -> 28 -> ... as in Fig. 2
                nn.ReLU(),
                nn.MaxPool2d(kernel_size=2, stride=2),  # S2 / S4: non-overlapping 2x2 windows
            ]
            channels = out_channels
        self.features = nn.Sequential(*layers)
        # Identity for a 32x32 input (S4 is already 5x5, so this is exactly LeNet-5); for other sizes
        # (28x28 MNIST, 64x64 photos) it averages S4 down or up to 5x5 so C5 keeps its 400 inputs.
        self.avgpool = nn.AdaptiveAvgPool2d((S4_SIZE, S4_SIZE))
        c5, f6 = LENET_FC
        self.classifier = nn.Sequential(
            nn.Linear(channels * S4_SIZE * S4_SIZE, c5),  # C5: 5x5 conv on a 5x5 map = fully connected
            nn.ReLU(),
            nn.Linear(c5, f6),  # F6
            nn.ReLU(),
            nn.Linear(f6, num_classes),  # the output layer (RBF units in the paper)
        )
        # PyTorch's default initialisation, as torchvision's AlexNet: fine for a network this shallow.

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)  # C1 S2 C3 S4: (N, 16, 5, 5) for a 32x32 input
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)  # C5 F6 output: (N, num_classes)


@register_model(
    "lenet5",
    LENET,
    cam_layer="features.4",  # the ReLU after C3: the last map with a spatial layout (10x10 at 32 px)
    input_size=(1, 32, 32),
    note="Modern LeNet-5: ReLU, max-pooling, full C3 and a Linear output instead of the paper's tanh, "
    "trainable subsampling, sparse C3 table and RBF output. Needs inputs of at least 16x16.",
)
def lenet5(num_classes: int = 10, **kwargs) -> nn.Module:
    """LeNet-5 for ``(in_channels, 32, 32)`` images (``in_channels=1`` by default; pass 3 for RGB).

    Other sizes of at least 16x16 work too: S4 is average-pooled to 5x5 before C5.

    Raises:
        ValueError: ``in_channels`` is not a positive integer.
    """
    return LeNet5(num_classes=num_classes, **kwargs)
