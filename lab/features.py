"""What each layer of a network computes: its output shapes, feature maps, first-layer filters, the
class probabilities, and the colour maps and overlays that show them.

- :func:`layer_shapes` lists every module's output shape for an input size on PyTorch's ``meta`` device
  (shapes, no data): one pass costs no arithmetic whatever the network's size, and the model's own
  weights are never touched.
- :func:`feature_maps` captures layer outputs in one real forward pass, as copies: torchvision-style
  ``ReLU(inplace=True)`` overwrites a tensor after its hook fired, so a reference to a BatchNorm's output
  would silently show the ReLU's result.
- :func:`colorize` and :func:`overlay` turn maps in [0, 1] into images (viridis for feature maps, turbo
  for heat maps).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

from lab.hooks import eval_mode, removing
from lab.images import load_image, preprocess
from lab.meta_shapes import ShapeOnly
from lab.models.weights import Preprocessing

# ------------------------------------------------------------------------------------------- layers


def resolve_layer(model: nn.Module, layer: str | nn.Module) -> tuple[str, nn.Module]:
    """``(qualified name, module)`` for a module name like ``"layer4"`` or ``"features.29"``, or a module.

    Raises:
        ValueError: no such module, with up to five close names.
    """
    if isinstance(layer, nn.Module):
        for name, m in model.named_modules():
            if m is layer:
                return name, m
        raise ValueError("The target layer is not a part of this model.")
    try:
        return layer, model.get_submodule(layer)
    except AttributeError:
        close = [n for n, _ in model.named_modules() if n and (n.startswith(layer) or layer in n)][:5]
        hint = f" Close names: {', '.join(close)}." if close else ""
        raise ValueError(f"This model has no layer named {layer!r}.{hint} Pick one from the layer list.") from None


@dataclass
class LayerShape:
    """One module's output in a forward pass (leaves and containers alike)."""

    name: str  # qualified module name, e.g. "layer4.1.conv2"
    kind: str  # module class, e.g. "Conv2d"
    shape: tuple[int, ...]  # output shape, batch included
    calls: int  # how many times the module ran (a shared ReLU runs several times)
    leaf: bool


def layer_shapes(model: nn.Module, input_size: Sequence[int]) -> list[LayerShape]:
    """Every module's output shape for one ``C×H×W`` input, in the order the outputs were produced.

    The pass runs on meta tensors: the parameters and buffers are stood in for by empty meta copies
    (``torch.func.functional_call``), so it does no arithmetic and leaves the model as it was; the
    shapes come from :mod:`lab.meta_shapes`' formulas where it has one (a ResNet-50 takes a few ms).
    Like any hooked pass, not for a model another thread is running.
    """
    rows: dict[str, LayerShape] = {}

    def hook(name: str, leaf: bool):
        def fn(module: nn.Module, args, output) -> None:
            if name in rows:
                rows[name].calls += 1
            elif isinstance(output, torch.Tensor):
                rows[name] = LayerShape(name, type(module).__name__, tuple(output.shape), 1, leaf)

        return fn

    # Every name, shared weights included (so functional_call need not look for ties: a quarter of the time).
    tensors = (*model.named_parameters(remove_duplicate=False), *model.named_buffers(remove_duplicate=False))
    stand_ins = {k: torch.empty_like(t, device="meta") for k, t in tensors}
    dtype = next(iter(stand_ins.values())).dtype if stand_ins else torch.float32
    x = torch.empty(1, *input_size, dtype=dtype, device="meta")
    modules = [(n, m) for n, m in model.named_modules() if n]
    with removing([m.register_forward_hook(hook(n, next(m.children(), None) is None)) for n, m in modules]):
        with torch.no_grad(), eval_mode(model), ShapeOnly():
            torch.func.functional_call(model, stand_ins, (x,), tie_weights=False)
    return list(rows.values())


def spatial_layers(model: nn.Module, input_size: Sequence[int]) -> list[LayerShape]:
    """The modules whose output is a C×H×W map (a batch of them), in forward order: the layers whose
    channels can be shown as images and whose output a CAM can target."""
    return [r for r in layer_shapes(model, input_size) if len(r.shape) == 4]


def layer_stages(rows: Sequence[LayerShape]) -> list[int]:
    """The stage of each C×H×W row: 1 for the largest map, 2 for the next resolution down, and so on (a
    network's stages are the runs of layers at one resolution, between the strided layers)."""
    sides = sorted({r.shape[2] * r.shape[3] for r in rows}, reverse=True)
    return [sides.index(r.shape[2] * r.shape[3]) + 1 for r in rows]


def num_classes(model: nn.Module) -> int | None:
    """The classifier's output size: the last Linear's features or the last Conv2d's channels (NiN)."""
    last = [m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    if not last:
        return None
    m = last[-1]
    return m.out_features if isinstance(m, nn.Linear) else m.out_channels


def image_batch(image: torch.Tensor | Image.Image, model: nn.Module) -> torch.Tensor:
    """A 1×C×H×W float tensor on the model's device, from a normalised C×H×W / 1×C×H×W tensor or a PIL
    image (its centre square at its own size, normalised with ImageNet statistics)."""
    if isinstance(image, Image.Image):
        w, h = image.size
        image = preprocess(load_image(image), Preprocessing(min(w, h), min(w, h))).tensor
    if not isinstance(image, torch.Tensor):
        raise ValueError("Give the image as a PIL image or a normalised C×H×W tensor.")
    if image.dim() == 3:
        image = image.unsqueeze(0)
    if image.dim() != 4 or image.shape[0] != 1:
        raise ValueError(f"Expected one image (C×H×W or 1×C×H×W), got a tensor of shape {tuple(image.shape)}.")
    p = next(model.parameters(), None)
    return image.float().to(p.device if p is not None else "cpu")


# ------------------------------------------------------------------------------------- feature maps


@dataclass
class Activation:
    """A layer's output for one image (batch dimension removed), captured as a copy."""

    name: str
    kind: str
    tensor: torch.Tensor  # C×H×W for conv layers, F for linear ones

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.tensor.shape)


def feature_maps(
    model: nn.Module, image: torch.Tensor | Image.Image, layers: Sequence[str] | None = None
) -> list[Activation]:
    """Every leaf layer's activation in one forward pass, as copies, in forward order.

    Args:
        model: any ``nn.Module``; it runs in evaluation mode (restored afterwards) without gradients.
        image: a normalised tensor (C×H×W or 1×C×H×W), or a PIL image (normalised with ImageNet
            statistics at its own size).
        layers: qualified names of the modules to capture (leaves or containers); ``None`` = every leaf.

    Returns:
        One :class:`Activation` per captured call, in the order they ran. A module that runs several
        times (torchvision's shared ``relu`` in a ResNet block) appears once per call, as
        ``name``, ``name#2``, ``name#3``.

    Each output is cloned the moment its hook fires, so a later in-place operation (``ReLU(inplace=True)``
    right after a BatchNorm) cannot change what was captured. Hooks are removed even if the forward
    pass raises.
    """
    x = image_batch(image, model)
    out: list[Activation] = []
    calls: dict[str, int] = {}

    def hook(name: str):
        def fn(module: nn.Module, args, output) -> None:
            if not isinstance(output, torch.Tensor):
                return
            calls[name] = calls.get(name, 0) + 1
            label = name if calls[name] == 1 else f"{name}#{calls[name]}"
            out.append(Activation(label, type(module).__name__, output.detach()[0].clone().cpu()))

        return fn

    modules = dict(model.named_modules())
    if layers is not None:
        wanted = set(layers)
        for name in sorted(wanted - set(modules)):
            resolve_layer(model, name)  # raises the ValueError with close names
        targets = [(n, modules[n]) for n in modules if n in wanted]
    else:
        targets = [(n, m) for n, m in modules.items() if n and next(m.children(), None) is None]
    with removing([m.register_forward_hook(hook(n)) for n, m in targets]), torch.no_grad(), eval_mode(model):
        model(x)
    return out


def channel_order(activation: torch.Tensor) -> list[int]:
    """Channel indices of a C×H×W activation, highest mean activation first."""
    if activation.dim() != 3:
        raise ValueError("Only convolutional layers (C×H×W outputs) have channels to show as images.")
    return torch.argsort(activation.float().mean(dim=(1, 2)), descending=True).tolist()


@dataclass
class FeatureGrid:
    """A layer's channels as a tiled image, strongest first."""

    image: np.ndarray  # H×W×3 uint8
    order: list[int]  # channel index shown in each tile, tile 0 first
    columns: int
    tile: int  # tile side in pixels, without padding
    pad: int
    total_channels: int


def feature_grid(activation: torch.Tensor, max_channels: int = 64, tile: int = 48, pad: int = 2) -> FeatureGrid:
    """Channels of a C×H×W activation as viridis tiles, sorted by mean activation, each scaled on its own.

    A channel that is constant (e.g. all zero after a ReLU) shows as the colormap's low end.
    """
    order = channel_order(activation)[:max_channels]
    maps = activation[order].float()
    lo = maps.amin(dim=(1, 2), keepdim=True)
    hi = maps.amax(dim=(1, 2), keepdim=True)
    norm = ((maps - lo) / (hi - lo).clamp_min(1e-12)).unsqueeze(1)
    norm = torch.nn.functional.interpolate(norm, size=(tile, tile), mode="nearest")[:, 0]
    cols = math.ceil(math.sqrt(len(order)))
    return FeatureGrid(_mosaic(colorize(norm.numpy()), pad, 255, cols), order, cols, tile, pad, activation.shape[0])


def grid_channel_at(grid: FeatureGrid, x: int, y: int) -> int | None:
    """The channel index shown at pixel (x, y) of a :class:`FeatureGrid` image, or None between tiles."""
    step = grid.tile + grid.pad
    c, r = (x - grid.pad) // step, (y - grid.pad) // step
    if x < grid.pad or y < grid.pad or c >= grid.columns or (x - grid.pad) % step >= grid.tile:
        return None
    if (y - grid.pad) % step >= grid.tile:
        return None
    i = r * grid.columns + c
    return grid.order[i] if 0 <= i < len(grid.order) else None


def _mosaic(tiles: np.ndarray, pad: int, background: int = 255, columns: int | None = None) -> np.ndarray:
    """N×h×w×3 tiles in a grid with ``pad`` pixels between them."""
    n, h, w = tiles.shape[:3]
    cols = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    grid = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, 3), background, np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        grid[y : y + h, x : x + w] = tiles[i]
    return grid


# ------------------------------------------------------------------------------------------ filters


def first_conv_filters(model: nn.Module) -> tuple[str, torch.Tensor]:
    """The first convolution's name and its kernels, ``out × in × k × k`` (a copy, on the CPU)."""
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            return name, m.weight.detach().cpu().clone()
    raise ValueError("This model has no convolutional layer, so there are no filters to show.")


def filter_tiles(weight: torch.Tensor, scale: int = 8, pad: int = 1) -> np.ndarray:
    """First-layer kernels as one image of tiles: RGB for 3 input channels, grey for 1.

    Each kernel is scaled on its own so that 0 is mid-grey and its largest |weight| is black or white
    (a kernel that likes red looks red). Returns an H×W×3 uint8 array, tiles in a near-square grid.
    """
    w = weight.float()
    if w.shape[1] not in (1, 3):
        w = w.mean(1, keepdim=True)  # e.g. a 4-channel input: show the average
    peak = w.abs().amax(dim=(1, 2, 3), keepdim=True).clamp_min(1e-12)
    tiles = (0.5 + 0.5 * w / peak).clamp(0, 1)
    if tiles.shape[1] == 1:
        tiles = tiles.expand(-1, 3, -1, -1)
    tiles = tiles.repeat_interleave(scale, 2).repeat_interleave(scale, 3)
    return _mosaic((tiles.permute(0, 2, 3, 1).numpy() * 255).round().astype(np.uint8), pad, background=255)


# -------------------------------------------------------------------------------------- predictions


@dataclass
class Prediction:
    label: str
    index: int
    probability: float


def class_probabilities(model: nn.Module, image: torch.Tensor | Image.Image) -> torch.Tensor:
    """The softmax of the model's logits for one image: a 1-D tensor on the CPU, one entry per class."""
    with torch.no_grad(), eval_mode(model):
        logits = model(image_batch(image, model))
    if isinstance(logits, (tuple, list)):
        logits = logits[0]
    return logits.float().softmax(-1)[0].cpu()


def top_classes(probs: torch.Tensor, class_names: Sequence[str], k: int = 5) -> list[Prediction]:
    """The ``k`` most likely classes of :func:`class_probabilities`, most likely first."""
    top = torch.topk(probs, min(k, probs.numel()))
    names = list(class_names)
    return [
        Prediction(names[i] if i < len(names) else f"class {i}", int(i), float(p))
        for p, i in zip(top.values.tolist(), top.indices.tolist())
    ]


def predict(model: nn.Module, x: torch.Tensor, class_names: Sequence[str], k: int = 5) -> list[Prediction]:
    """The top-``k`` classes with softmax probabilities, most likely first."""
    return top_classes(class_probabilities(model, x), class_names, k)


# --------------------------------------------------------------------------------------- colour maps


# Viridis at 9 stops (matplotlib's values); enough for smooth 8-bit interpolation.
_VIRIDIS = np.array(
    [
        [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
        [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
    ],
    dtype=np.float32,
)
# Jet-like "turbo" ramp for heat maps (Google's turbo at 9 stops): blue = little evidence, red = most.
_TURBO = np.array(
    [
        [48, 18, 59], [70, 107, 227], [41, 187, 236], [42, 239, 160], [164, 252, 60],
        [235, 206, 52], [251, 128, 34], [205, 45, 6], [122, 4, 3],
    ],
    dtype=np.float32,
)


def colorize(values: np.ndarray, palette: Literal["viridis", "turbo"] = "viridis") -> np.ndarray:
    """Map values in [0, 1] (any shape) to uint8 RGB (shape + (3,)) through a perceptual colormap."""
    stops = _VIRIDIS if palette == "viridis" else _TURBO
    v = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32)), 0, 1) * (len(stops) - 1)
    i = np.minimum(v.astype(np.int64), len(stops) - 2)
    f = (v - i)[..., None]
    return (stops[i] * (1 - f) + stops[i + 1] * f).round().astype(np.uint8)


def overlay(image: Image.Image, cam: np.ndarray, opacity: float = 0.5) -> Image.Image:
    """Blend a heat map (H×W in [0, 1], resized to the image if needed) over an RGB image."""
    if not 0 <= opacity <= 1:
        raise ValueError(f"The opacity must be between 0 and 1, not {opacity}.")
    heat = Image.fromarray(colorize(cam, "turbo"))
    if heat.size != image.size:
        heat = heat.resize(image.size, Image.Resampling.BILINEAR)
    return Image.blend(image.convert("RGB"), heat, float(opacity))
