"""AlexNet: LeNet's recipe scaled up to ImageNet, the network that started the deep-learning era.

Krizhevsky, Sutskever and Hinton, "ImageNet Classification with Deep Convolutional Neural Networks"
(NeurIPS 2012), https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html.
Five convolutions and three fully connected layers, like a much larger LeNet, made trainable on 1.2
million images by ReLU (§3.1), overlapping 3x2 max-pooling (§3.4), dropout in the classifier (§4.2),
data augmentation (§4.1) and GPUs. Some 60 million parameters, most of them in the first Linear layer.

This is torchvision's single-column variant, which follows Krizhevsky's "One weird trick for
parallelizing convolutional neural networks" (arXiv 1404.5997) rather than the 2012 paper: one tower
instead of two GPU halves (§3.2), no local response normalisation (§3.3), and 64-192-384-256-256 kernels
instead of 96-256-384-384-256. (That paper's text lists 384 for conv4; torchvision's 256 comes from
Krizhevsky's one-GPU cuda-convnet2 configuration, pytorch/vision#704.) Keys and published weights are
torchvision's.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from lab.models.registry import Paper, register_model

ALEXNET = Paper(
    family="AlexNet",
    year=2012,
    title="ImageNet Classification with Deep Convolutional Neural Networks",
    arxiv="https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
    key_idea="A LeNet-shaped network made deep and wide enough for ImageNet, trainable thanks to ReLU, "
    "dropout, data augmentation and GPUs.",
)

# The five convolutions of the single-column variant ("One weird trick", arXiv 1404.5997; the 2012 paper's
# Fig. 2 has 96, 256, 384, 384, 256 kernels split over two GPUs):
# (out_channels, kernel_size, stride, padding, followed by a max-pool).
ALEXNET_CONVS = [
    (64, 11, 4, 2, True),  # §3.5: 11x11 windows, stride 4, shrink the 224x224 image fast
    (192, 5, 1, 2, True),
    (384, 3, 1, 1, False),
    (256, 3, 1, 1, False),
    (256, 3, 1, 1, True),
]
POOL_SIZE = 6  # the last feature map is 6x6 at 224 px; the classifier expects 256 x 6 x 6 inputs
HIDDEN = 4096  # width of the two hidden fully connected layers (§3.5)


class AlexNet(nn.Module):
    """AlexNet with torchvision's module names (``features``, ``avgpool``, ``classifier``).

    61,100,840 parameters for 1000 classes; 37.7 million of them in ``classifier.1`` (9216 -> 4096).
    Needs inputs of at least 63x63 (the third max-pool must see a 3x3 window).
    """

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout is a probability in [0, 1), not {dropout!r}.")
        self.features, in_channels = self._features()
        # Lets other input sizes reach the classifier; an identity at 224 px, where features are 6x6.
        self.avgpool = nn.AdaptiveAvgPool2d((POOL_SIZE, POOL_SIZE))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),  # §4.2: dropout before each of the two hidden layers
            nn.Linear(in_channels * POOL_SIZE * POOL_SIZE, HIDDEN),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(HIDDEN, HIDDEN),
            nn.ReLU(inplace=True),
            nn.Linear(HIDDEN, num_classes),
        )
        # PyTorch's default initialisation, as torchvision's AlexNet (no custom scheme).

    def _features(self) -> tuple[nn.Sequential, int]:
        """The five convolutions with their ReLUs and max-pools, and the channels they end with."""
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels, kernel_size, stride, padding, pool in ALEXNET_CONVS:
            layers.append(nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding))
            layers.append(nn.ReLU(inplace=True))  # §3.1: ReLU trains several times faster than tanh
            if pool:
                layers.append(nn.MaxPool2d(kernel_size=3, stride=2))  # §3.4: overlapping pooling, z=3 s=2
            in_channels = out_channels
        return nn.Sequential(*layers), in_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)  # (N, 256, 6, 6) at 224 px
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


# The course notes (001_…txt) say "AlexNet 有6亿个参数" (600 million); the paper says 60 million, and the
# modules here count about 61 million. The card quotes the notes' figure next to the count.
NOTES_PARAMS = 600_000_000


@register_model(
    "alexnet",
    ALEXNET,
    # The ReLU after conv5, before the last max-pool: 13x13 at 224 px instead of 6x6 after pooling, so the
    # heat map is twice as sharp, and it is already rectified like the pooled map.
    cam_layer="features.11",
    tv_weights="AlexNet_Weights",
    note="torchvision's single-column AlexNet (after 'One weird trick', arXiv 1404.5997): one tower, "
    "no local response normalisation, 64-192-384-256-256 kernels.",
)
def alexnet(num_classes: int = 1000, **kwargs) -> nn.Module:
    """AlexNet (torchvision's variant) for 3x224x224 images.

    Args:
        num_classes: size of the last Linear layer.
        dropout: drop probability of the classifier's two Dropout layers (default 0.5, §4.2).

    Raises:
        ValueError: ``dropout`` outside [0, 1).
    """
    return AlexNet(num_classes=num_classes, **kwargs)


# The 2012 paper's network (Fig. 2, §3.2–3.5): 96-256-384-384-256 kernels split over two GPUs. conv2, conv4
# and conv5 see only the kernel maps on their own GPU (groups = 2 here, on one device); conv3 and the fully
# connected layers see both halves. (out_channels, kernel, stride, padding, groups, LRN after it, max-pool).
ALEXNET_2012_CONVS = [
    (96, 11, 4, 0, 1, True, True),  # 227x227 in (the paper's "224" does not give its 55x55 map) -> 55
    (256, 5, 1, 2, 2, True, True),
    (384, 3, 1, 1, 1, False, False),
    (384, 3, 1, 1, 2, False, False),
    (256, 3, 1, 1, 2, False, True),
]
LRN = dict(size=5, alpha=1e-4, beta=0.75, k=2.0)  # §3.3: n = 5, α = 10⁻⁴, β = 0.75, k = 2


class AlexNet2012(AlexNet):
    """The AlexNet of the 2012 paper: two towers (groups = 2), local response normalisation after the first two
    ReLUs (§3.3), overlapping max-pooling, for 3x227x227 images. 60,965,224 parameters for 1000 classes. The
    classifier and the forward pass are :class:`AlexNet`'s; only the convolutions differ.

    PyTorch's ``LocalResponseNorm`` divides α by n (as Caffe does); the paper's formula sums α·a² over the n
    neighbours, so ``alpha`` here is the paper's α·n. The names follow :class:`AlexNet` (``features``,
    ``avgpool``, ``classifier``); no published weights exist for this layout.
    """

    def _features(self) -> tuple[nn.Sequential, int]:
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels, kernel, stride, padding, groups, lrn, pool in ALEXNET_2012_CONVS:
            layers += [nn.Conv2d(in_channels, out_channels, kernel, stride, padding, groups=groups),
                       nn.ReLU(inplace=True)]
            if lrn:  # the paper's α per neighbour: PyTorch's alpha is divided by size, so multiply it back
                layers.append(nn.LocalResponseNorm(LRN["size"], LRN["alpha"] * LRN["size"], LRN["beta"], LRN["k"]))
            if pool:
                layers.append(nn.MaxPool2d(kernel_size=3, stride=2))
            in_channels = out_channels
        return nn.Sequential(*layers), in_channels


@register_model(
    "alexnet_2012",
    ALEXNET,
    cam_layer="features.13",
    input_size=(3, 227, 227),
    like="alexnet",
    note="The 2012 paper's two-tower network on one device (groups = 2 where the towers do not talk), with "
    "local response normalisation, 96-256-384-384-256 kernels, 227 px inputs. No published weights.",
)
def alexnet_2012(num_classes: int = 1000, **kwargs) -> nn.Module:
    """AlexNet as the 2012 paper draws it (:class:`AlexNet2012`). ``kwargs``: ``dropout``."""
    return AlexNet2012(num_classes=num_classes, **kwargs)
