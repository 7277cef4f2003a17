"""What a network looks at: feature maps, first-layer filters and class activation maps (CAMs).

- :func:`feature_maps` captures every layer's output in one forward pass, as copies: torchvision-style
  ``ReLU(inplace=True)`` overwrites a tensor after its hook fired, so a reference to a BatchNorm's output
  would silently show the ReLU's result.
- :func:`compute_cam` runs a CAM method of the grad-cam package (Grad-CAM, Grad-CAM++, Score-CAM,
  XGrad-CAM, Eigen-CAM, Layer-CAM, HiResCAM) on a target layer. A CAM needs only the gradient of the
  class score with respect to the target layer's output, not the gradient of every weight, so
  :func:`cam_fast_path` freezes the weights and makes that output the one tensor that requires a
  gradient: the backward pass then stops at the target layer, and a CAM costs about one forward pass
  (``benchmarks/bench_cam.py`` measures it against a bare grad-cam call).
- :func:`load_inside_model` gives a model with the best weights available: ImageNet (cached or
  downloadable), else the Shapes model shipped in ``assets/`` (:func:`load_demo_model`), else random
  weights, and says which.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal, Sequence

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

from lab.images import load_image, preprocess
from lab.models.weights import IMAGENET_MEAN, IMAGENET_STD, Preprocessing

ASSETS = Path(__file__).resolve().parents[1] / "assets"
DEMO_CHECKPOINT = ASSETS / "shapes_model.pt"

# name -> grad-cam class name. Each differs only in how it weights the target layer's channels.
METHODS: dict[str, str] = {
    "gradcam": "GradCAM",  # Selvaraju et al. 2017: channel weight = mean gradient of the class score
    "gradcam++": "GradCAMPlusPlus",  # Chattopadhay et al. 2018: weights from 2nd/3rd-order gradient terms
    "xgradcam": "XGradCAM",  # Fu et al. 2020: gradients weighted by the normalised activations
    "layercam": "LayerCAM",  # Jiang et al. 2021: positive gradient × activation, per position
    "hirescam": "HiResCAM",  # Draelos & Carin 2020: gradient × activation, elementwise, summed over channels
    "scorecam": "ScoreCAM",  # Wang et al. 2020: each channel masks the input; weight = class score it keeps
    "eigencam": "EigenCAM",  # Muhammad & Yeasin 2020: first principal component of the activations
}
GRADIENT_METHODS = ("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam")

WeightsKind = Literal["imagenet", "shapes", "random"]


# ------------------------------------------------------------------------------------------- layers


def resolve_layer(model: nn.Module, layer: str | nn.Module) -> tuple[str, nn.Module]:
    """``(qualified name, module)`` for a module name like ``"layer4"`` or ``"features.29"``, or a module."""
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


def default_cam_layer(model: nn.Module, model_name: str | None = None, input_size: int = 64) -> str:
    """The layer Grad-CAM targets by default.

    With a course model's name, the registry's ``cam_layer`` (the last convolutional stage). Otherwise
    the last module, in forward order, whose output is a spatial map (4-D, more than 1×1) and that runs
    once per forward pass, skipping pooling layers.
    """
    if model_name and not model_name.startswith("timm:"):
        from lab.models import get_entry

        return get_entry(model_name).cam_layer
    x = torch.zeros(1, _in_channels(model), input_size, input_size, device=_device(model))
    candidates = [
        r.name
        for r in layer_shapes(model, x)
        if len(r.shape) == 4 and r.shape[2] * r.shape[3] > 1 and r.calls == 1 and "Pool" not in r.kind
    ]
    if not candidates:
        raise ValueError("This model has no layer with a spatial output, so a CAM cannot be drawn.")
    return candidates[-1]


@dataclass
class LayerShape:
    """One module's output in a forward pass (leaves and containers alike)."""

    name: str  # qualified module name, e.g. "layer4.1.conv2"
    kind: str  # module class, e.g. "Conv2d"
    shape: tuple[int, ...]  # output shape, batch included
    calls: int  # how many times the module ran (a shared ReLU runs several times)
    leaf: bool


def layer_shapes(model: nn.Module, x: torch.Tensor) -> list[LayerShape]:
    """Every module's output shape in one forward pass, in the order the outputs were produced."""
    rows: dict[str, LayerShape] = {}

    def hook(name: str, leaf: bool):
        def fn(module: nn.Module, args, output) -> None:
            if name in rows:
                rows[name].calls += 1
            elif isinstance(output, torch.Tensor):
                rows[name] = LayerShape(name, type(module).__name__, tuple(output.shape), 1, leaf)

        return fn

    modules = [(n, m) for n, m in model.named_modules() if n]
    with _hooks([m.register_forward_hook(hook(n, not any(True for _ in m.children()))) for n, m in modules]):
        with torch.no_grad(), _eval(model):
            model(x)
    return list(rows.values())


@contextmanager
def _hooks(handles: list) -> Iterator[None]:
    """Remove hook handles on exit, also when the forward pass raised."""
    try:
        yield
    finally:
        for h in handles:
            h.remove()


@contextmanager
def _eval(model: nn.Module) -> Iterator[None]:
    """Evaluation mode (BatchNorm uses running statistics, dropout off), restored afterwards."""
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        yield
    finally:
        for m, training in modes.items():
            m.training = training


def _device(model: nn.Module) -> torch.device:
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


def _in_channels(model: nn.Module) -> int:
    conv = next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)
    return conv.in_channels if conv is not None else 3


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
    x = _as_batch(image, model)
    wanted = None if layers is None else set(layers)
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
    if wanted is not None:
        missing = sorted(wanted - set(modules))
        if missing:
            resolve_layer(model, missing[0])  # raises the ValueError with close names
        targets = [(n, modules[n]) for n in modules if n in wanted]
    else:
        targets = [(n, m) for n, m in modules.items() if n and not any(True for _ in m.children())]
    with _hooks([m.register_forward_hook(hook(n)) for n, m in targets]):
        with torch.no_grad(), _eval(model):
            model(x)
    return out


def channel_order(activation: torch.Tensor) -> list[int]:
    """Channel indices of a C×H×W activation, highest mean activation first."""
    if activation.dim() != 3:
        raise ValueError("Only convolutional layers (C×H×W outputs) have channels to show as images.")
    return torch.argsort(activation.float().mean(dim=(1, 2)), descending=True).tolist()


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
    tiles = colorize(norm.numpy())
    cols = math.ceil(math.sqrt(len(order)))
    return FeatureGrid(_mosaic(tiles, pad, 255, cols), order, cols, tile, pad, activation.shape[0])


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


# ---------------------------------------------------------------------------------------------- CAMs


@contextmanager
def cam_fast_path(model: nn.Module, layer: nn.Module) -> Iterator[None]:
    """Make ``layer``'s output the only tensor that requires a gradient, for as long as the block runs.

    Every parameter's ``requires_grad`` is switched off (and restored afterwards), and a forward hook
    that runs before any other hook on ``layer`` (the grad-cam package's included) replaces the layer's
    output with a copy that requires a gradient. The backward pass of a class score then computes the
    gradient with respect to that output and stops there: no weight gradients, nothing below the layer.
    The forward pass below the layer records no graph at all.

    Raises:
        ValueError: the layer runs more than once per forward pass (a shared module): a CAM of such a
            layer is ambiguous.
    """
    flags = [(p, p.requires_grad) for p in model.parameters()]
    calls = [0]

    def reset(module: nn.Module, args) -> None:
        calls[0] = 0

    def hook(module: nn.Module, args, output: torch.Tensor) -> torch.Tensor:
        calls[0] += 1
        if calls[0] > 1:
            raise ValueError(
                "This layer runs more than once in a forward pass (one module shared by several steps), "
                "so its CAM is ambiguous. Pick another layer, e.g. a block's output."
            )
        # clone(): a later in-place op (ReLU(inplace=True)) may modify it; a leaf would refuse that.
        return output.detach().requires_grad_(torch.is_grad_enabled()).clone()

    handles = [model.register_forward_pre_hook(reset), layer.register_forward_hook(hook, prepend=True)]
    try:
        for p, _ in flags:
            p.requires_grad_(False)
        with _hooks(handles):
            yield
    finally:
        for p, flag in flags:
            p.requires_grad_(flag)


def _cam_class(method: str):
    import pytorch_grad_cam

    key = method.lower().replace("-", "").replace(" ", "").replace("_", "")
    key = {"gradcamplusplus": "gradcam++", "gradcampp": "gradcam++"}.get(key, key)
    if key not in METHODS:
        raise ValueError(f"Unknown CAM method {method!r}; choose one of {', '.join(METHODS)}.")
    return getattr(pytorch_grad_cam, METHODS[key])


def _as_batch(image: torch.Tensor | Image.Image, model: nn.Module) -> torch.Tensor:
    """A 1×C×H×W float tensor on the model's device."""
    if isinstance(image, Image.Image):
        w, h = image.size
        image = preprocess(load_image(image), Preprocessing(min(w, h), min(w, h))).tensor
    if not isinstance(image, torch.Tensor):
        raise ValueError("Give the image as a PIL image or a normalised C×H×W tensor.")
    if image.dim() == 3:
        image = image.unsqueeze(0)
    if image.dim() != 4 or image.shape[0] != 1:
        raise ValueError(f"Expected one image (C×H×W or 1×C×H×W), got a tensor of shape {tuple(image.shape)}.")
    return image.float().to(_device(model))


def compute_cam(
    model: nn.Module,
    image: torch.Tensor | Image.Image,
    method: str = "gradcam",
    target_layer: str | nn.Module | None = None,
    target_class: int | None = None,
    *,
    model_name: str | None = None,
    fast: bool = True,
) -> np.ndarray:
    """A class activation map: where in the image the evidence for a class lies.

    Args:
        model: a classifier returning logits (N × classes).
        image: a normalised tensor (C×H×W or 1×C×H×W) as from :func:`lab.images.preprocess`, or a PIL
            image (then its centre square is used at its own size, normalised with ImageNet statistics).
        method: one of :data:`METHODS` (gradcam, gradcam++, scorecam, xgradcam, eigencam, layercam, hirescam).
        target_layer: a qualified module name (``"layer4"``, ``"features.29"``) or the module itself;
            ``None`` = :func:`default_cam_layer` (the registry's for ``model_name``).
        target_class: the class whose evidence is mapped; ``None`` = the top-1 prediction.
        model_name: the course model's name, for the default layer.
        fast: use :func:`cam_fast_path` (same map, no weight gradients). ``False`` is the bare call.

    Returns:
        An H×W float32 array in [0, 1] at the input tensor's resolution (the CAM upsampled bilinearly).

    Raises:
        ValueError: unknown method or layer, a class index out of range, or a layer that runs twice.
    """
    cam_cls = _cam_class(method)
    x = _as_batch(image, model)
    if target_layer is None:
        target_layer = default_cam_layer(model, model_name, input_size=x.shape[-1])
    _, layer = resolve_layer(model, target_layer)
    targets = None
    if target_class is not None:
        from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

        n = _num_classes(model)
        if n is not None and not 0 <= int(target_class) < n:
            raise ValueError(f"Class {target_class} does not exist: this model has classes 0 to {n - 1}.")
        targets = [ClassifierOutputTarget(int(target_class))]
    with _eval(model), (cam_fast_path(model, layer) if fast else _nothing()):
        cam = cam_cls(model=model, target_layers=[layer])
        try:
            result = cam(input_tensor=x, targets=targets)
        finally:
            cam.activations_and_grads.release()  # grad-cam's own hooks, also on error
            model.zero_grad(set_to_none=True)  # a bare call leaves weight gradients behind
    return np.clip(result[0], 0.0, 1.0).astype(np.float32)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _num_classes(model: nn.Module) -> int | None:
    last = [m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    if not last:
        return None
    m = last[-1]
    return m.out_features if isinstance(m, nn.Linear) else m.out_channels


def pointing_hit(cam: np.ndarray, box: tuple[int, int, int, int], tolerance: int = 0) -> bool:
    """The pointing game (Zhang et al. 2016): is the map's peak inside the box ``(x0, y0, x1, y1)``?

    ``x1``/``y1`` are exclusive; ``tolerance`` widens the box by that many pixels on each side.
    The peak is the centre of the pixels that reach the maximum: a coarse map upsampled bilinearly is
    flat near the image border, and ``argmax`` would always pick that plateau's first pixel, the edge.
    """
    ys, xs = np.nonzero(cam >= cam.max() - 1e-6)
    y, x = int(round(float(ys.mean()))), int(round(float(xs.mean())))
    x0, y0, x1, y1 = box
    return x0 - tolerance <= x < x1 + tolerance and y0 - tolerance <= y < y1 + tolerance


# --------------------------------------------------------------------------------------- predictions


@dataclass
class Prediction:
    label: str
    index: int
    probability: float


def predict(model: nn.Module, x: torch.Tensor, class_names: Sequence[str], k: int = 5) -> list[Prediction]:
    """The top-``k`` classes with softmax probabilities, most likely first."""
    with torch.no_grad(), _eval(model):
        logits = model(_as_batch(x, model))
    if isinstance(logits, (tuple, list)):
        logits = logits[0]
    probs = logits.float().softmax(-1)[0].cpu()
    top = torch.topk(probs, min(k, probs.numel()))
    names = list(class_names)
    return [
        Prediction(names[i] if i < len(names) else f"class {i}", int(i), float(p))
        for p, i in zip(top.values.tolist(), top.indices.tolist())
    ]


# ------------------------------------------------------------------------------------------- weights


@dataclass
class InsideModel:
    """A model ready for the Inside tab, with everything needed to feed and explain it."""

    name: str
    model: nn.Module
    class_names: list[str]
    preprocessing: Preprocessing
    weights: WeightsKind
    detail: str  # which weights exactly (enum member, checkpoint file…)
    reason: str = ""  # why better weights were not used, if they were not
    cam_layer: str = ""

    @property
    def image_size(self) -> int:
        return self.preprocessing.crop_size


def load_demo_model(path: str | Path = DEMO_CHECKPOINT) -> tuple[nn.Module, list[str], int]:
    """The Shapes model shipped in ``assets/``: ``(model in eval mode, class names, image size)``.

    Raises:
        ValueError: the checkpoint is missing or unreadable (its message says how to rebuild it).
    """
    m = _load_shapes(Path(path))
    return m.model, m.class_names, m.image_size


def shipped_architecture(path: str | Path = DEMO_CHECKPOINT) -> str | None:
    """The course model name the shipped Shapes checkpoint was trained as, or None if there is none."""
    try:
        return _load_shapes(Path(path)).name
    except ValueError:
        return None


@functools.lru_cache(maxsize=2)
def _load_shapes(path: Path) -> InsideModel:
    if not path.is_file():
        raise ValueError(
            f"The shipped Shapes model is missing ({path}). Rebuild it with the command in assets/README.md."
        )
    from lab.checkpoint import load_checkpoint

    model, config, class_names = load_checkpoint(str(path))
    model.eval()
    size = int(config.get("image_size", 64))
    mean = list(config.get("mean") or IMAGENET_MEAN)
    std = list(config.get("std") or IMAGENET_STD)
    grey = config.get("in_channels", 3) == 1
    if grey:  # lab.train normalises one-channel input with the mean of the three statistics
        mean, std = [sum(mean) / len(mean)] * 3, [sum(std) / len(std)] * 3
    name = str(config["model"])
    detail = f"{path.name}: {name} trained by CNN Lab on Shapes ({', '.join(class_names)}) at {size}×{size} px"
    output_stride = int(config.get("output_stride", 32))
    if output_stride != 32:
        detail += (f", output stride {output_stride}: its last stages use dilated (atrous) convolutions instead of "
                   f"striding, as in the paper's segmentation network, so its heat maps are {32 // output_stride}× "
                   f"finer ({size // output_stride}×{size // output_stride} cells) with the same weights")
    return InsideModel(
        name,
        model,
        list(class_names),
        Preprocessing(size, size, tuple(mean), tuple(std), grey=grey),  # type: ignore[arg-type]
        "shapes",
        detail,
        cam_layer=cam_layer_for_size(model, name, size),
    )


def cam_layer_for_size(model: nn.Module, name: str | None, size: int, min_side: int = 4) -> str:
    """The default CAM layer, moved earlier when the input is so small that its map is coarser than
    ``min_side``×``min_side`` (a 64 px input leaves a ResNet's last stage 2×2: a heat map of four cells).

    Returns the registry's layer when it is fine enough, else the last layer that runs once and
    outputs at least ``min_side``×``min_side``.
    """
    default = default_cam_layer(model, name, size)
    x = torch.zeros(1, _in_channels(model), size, size, device=_device(model))
    rows = [r for r in layer_shapes(model, x) if len(r.shape) == 4 and r.calls == 1 and "Pool" not in r.kind]
    side = {r.name: min(r.shape[2:]) for r in rows}
    if side.get(default, min_side) >= min_side:
        return default
    fine = [r.name for r in rows if side[r.name] >= min_side]
    # Prefer a whole stage or block (the default's siblings or children: "layer3", "features.13") to
    # a layer deep inside one ("features.14.conv.0").
    parent = default.rsplit(".", 1)[0] + "." if "." in default else ""
    blocks = [n for n in fine if n.count(".") <= default.count(".") + 1 and n.startswith(parent or "")]
    return (blocks or fine or [default])[-1]


_DOWNLOAD_FAILED: dict[str, tuple[float, str]] = {}  # name -> (when, why): don't retry for a while
_RETRY_AFTER_S = 600.0


def load_inside_model(name: str, weights: Literal["auto", "imagenet", "shapes", "random"] = "auto") -> InsideModel:
    """A course model with the best weights available, and a note saying which ones.

    ``auto`` tries, in order: ImageNet weights (cached, or downloaded if the network allows; a failed
    download is not retried for 10 minutes), the shipped Shapes model if it has this architecture,
    random weights. ``imagenet``/``shapes`` insist on those weights (ValueError if unavailable);
    ``random`` never loads any. Models are cached: the same call returns the same object.
    """
    if weights not in ("auto", "imagenet", "shapes", "random"):
        raise ValueError(f"Unknown weights {weights!r}; choose auto, imagenet, shapes or random.")
    return _load_inside_model(name, weights)


@functools.lru_cache(maxsize=3)
def _load_inside_model(name: str, weights: str) -> InsideModel:
    from lab.models import create_model, get_entry

    entry = get_entry(name)  # ValueError for an unknown name
    reasons = []
    if weights in ("auto", "imagenet"):
        try:
            return _imagenet(name)
        except ValueError:
            if weights == "imagenet":
                raise
            reasons.append(f"ImageNet weights for {name} are neither cached nor downloadable here.")
    if weights in ("auto", "shapes"):
        shipped = shipped_architecture()
        if shipped == name:
            m = _load_shapes(DEMO_CHECKPOINT)
            return dataclasses.replace(m, reason=" ".join(reasons))
        why = (
            f"The shipped Shapes model is a {shipped}, not a {name}: pick {shipped} to use it."
            if shipped
            else "The shipped Shapes model is missing."
        )
        if weights == "shapes":
            raise ValueError(why)
        reasons.append(why)
    c, size, _ = entry.input_size[0], entry.input_size[1], entry.input_size[2]
    model = create_model(name).eval()
    mean = IMAGENET_MEAN if c == 3 else (0.5,) * 3
    std = IMAGENET_STD if c == 3 else (0.5,) * 3
    n = _num_classes(model) or 1000
    resize = size if size < 64 else round(size / 0.875)  # ImageNet's 256 → 224 crop ratio
    return InsideModel(
        name,
        model,
        [f"class {i}" for i in range(n)],
        Preprocessing(size, resize, mean, std, grey=c == 1),  # type: ignore[arg-type]
        "random",
        f"{name} with random (untrained) weights",
        " ".join(reasons),
        entry.cam_layer,
    )


def _imagenet(name: str) -> InsideModel:
    from lab.models import create_model, get_entry
    from lab.models import weights as lw

    entry = get_entry(name)
    failed = _DOWNLOAD_FAILED.get(name)
    if failed and time.monotonic() - failed[0] < _RETRY_AFTER_S and not (entry.weights and entry.weights.is_cached()):
        raise ValueError(failed[1])
    try:
        model = create_model(name, pretrained=True).eval()
    except ValueError as e:
        _DOWNLOAD_FAILED[name] = (time.monotonic(), str(e))
        raise
    spec = entry.weights.preprocessing  # what these weights expect (MobileNet v1's timm weights: 0.5/0.5)
    categories = entry.weights.categories
    detail = f"ImageNet-1k: {entry.weights.label}"
    return InsideModel(name, model, categories, spec, "imagenet", detail, cam_layer=entry.cam_layer)
