"""The course's path through the networks, and how its own variants differ from torchvision's.

:func:`lineage` gives the path LeNet-5 → AlexNet → … → EfficientNet as data: one node per network (year,
parameters, MACs from :func:`lab.inspect.summarize` on the real module at its usual input, and the ImageNet
top-1 of its paper-recipe weights from the model card) and one edge per idea that led from one to the
next. :func:`variant_figures` compares a course variant (``alexnet_2012``, ``resnet50_v1``,
``densenet264``) with the torchvision network its card names. Summaries run on meta tensors: all twelve
networks of the path take about a second, once (cached).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from lab.inspect import Summary, summarize, usual_input_size
from lab.models import get_entry, model_info

# The course's order (the notes teach them so), with the idea each network added to the one before it.
PATH: tuple[tuple[str, str, str], ...] = (  # (registry name, label on the graph, the idea it added)
    ("lenet5", "LeNet-5", ""),
    ("alexnet", "AlexNet", "ReLU + dropout + GPUs"),
    ("vgg16", "VGG-16", "stacks of 3×3 convolutions"),
    ("nin", "NiN", "1×1 convolutions + global average pooling"),
    ("googlenet", "GoogLeNet", "Inception branches"),
    ("inception_v3", "Inception-v3", "BatchNorm (Inception-v2/v3) and factorised convolutions"),
    ("resnet50", "ResNet-50", "residual connections"),
    ("densenet121", "DenseNet-121", "dense connections"),
    ("mobilenet_v1", "MobileNet v1", "depthwise-separable convolutions"),
    ("mobilenet_v2", "MobileNet v2", "inverted residuals with linear bottlenecks"),
    ("mobilenet_v3_large", "MobileNet v3", "squeeze-and-excitation + h-swish"),
    ("efficientnet_b0", "EfficientNet-B0", "compound scaling"),
)


@dataclass(frozen=True)
class Node:
    """One network of the path."""

    name: str  # the registry name, e.g. "resnet50"
    label: str  # "ResNet-50"
    year: int
    params: int  # lab.inspect, on the real module
    macs: int  # per image at input_size
    input_size: tuple[int, int, int]
    acc1: float | None  # ImageNet top-1 (%), paper recipe (lab.models.weights); None: none published
    acc1_source: str | None  # whose figure: "ResNet50_Weights.IMAGENET1K_V1", "MobileNet v1 paper, Table 8"


@dataclass(frozen=True)
class Edge:
    """The idea that led from one network of the path to the next."""

    source: str
    target: str
    idea: str


@dataclass(frozen=True)
class Lineage:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def as_dict(self) -> dict:
        """Plain data for the API: ``{"nodes": [...], "edges": [...]}``."""
        return {"nodes": [{**n.__dict__, "input_size": list(n.input_size)} for n in self.nodes],
                "edges": [e.__dict__ for e in self.edges]}


@functools.lru_cache(maxsize=None)
def _summary(name: str) -> Summary:
    return summarize(name, usual_input_size(name))


def _node(name: str, label: str) -> Node:
    s, info = _summary(name), model_info(name)
    first = info.figures[0] if info.figures else None
    return Node(name, label, info.year, s.total_params, s.total_macs, s.input_size,
                first.acc1 if first else None, first.label if first else None)


@functools.lru_cache(maxsize=1)
def lineage() -> Lineage:
    """The course path: nodes in teaching order, and the edges between consecutive ones with their idea."""
    nodes = tuple(_node(name, label) for name, label, _ in PATH)
    edges = tuple(Edge(a, b, idea) for (a, *_), (b, _, idea) in zip(PATH, PATH[1:]))
    return Lineage(nodes, edges)


@dataclass(frozen=True)
class VariantFigures:
    """A course variant beside its torchvision counterpart, both at the variant's usual input."""

    name: str
    like: str
    input_size: tuple[int, int, int]
    params: tuple[int, int]  # (variant, counterpart)
    macs: tuple[int, int]
    receptive_field: tuple[int, int]  # px, of the last feature map before global pooling


def last_map_field(s: Summary) -> int:
    """The receptive field (px) of a network's last feature map larger than 1×1 (before global pooling)."""
    return max(r.receptive_field for _, r in s.spatial_rows()
               if r.output_shape[1:] != (1, 1) and r.receptive_field is not None)


def variant_figures(name: str) -> VariantFigures | None:
    """How a course variant's figures differ from its torchvision counterpart's (None: not a variant)."""
    like = get_entry(name).like
    if not like:
        return None
    size = usual_input_size(name)
    a, b = summarize(name, size), summarize(like, size)
    return VariantFigures(name, like, size, (a.total_params, b.total_params), (a.total_macs, b.total_macs),
                          (last_map_field(a), last_map_field(b)))
