"""What happens to the tensor at each layer: shapes, parameters, multiply-accumulates, receptive field.

:func:`summarize` answers the course's first question ("what shape comes out of each layer?") for any
network and input size, without materialising a single weight or doing any arithmetic: the model is
built on PyTorch's ``meta`` device, where tensors have shapes but no data, and one forward pass on a
meta input propagates the shapes. So VGG-19 or EfficientNet-B7 at 600 px cost a few megabytes and a
fraction of a second. Built models are cached by name; results are not. The shortcuts that make it fast
(shape formulas instead of PyTorch's meta decompositions) live in :mod:`lab.meta_shapes` and change no number.

What each number means
----------------------
- **params**: the module's own parameters (weights and biases). ``Summary.total_params`` counts every
  parameter of the model once, including those of modules the forward pass does not use (GoogLeNet's
  and Inception-v3's auxiliary classifiers, which only run while training).
- **MACs** (multiply-accumulates), per image: exact for convolutions (output elements × input
  channels per group × kernel height × kernel width) and fully connected layers (output elements × input
  features), also for matrix products (timm's attention). Biases, batch norm, activations, pooling, the
  residual additions and SE's channel scaling count **0**: they are one cheap operation per element,
  not a multiply-accumulate over a window. This is what torchvision's "GFLOPS" metadata and torchinfo's
  "mult-adds" count too (torchinfo adds biases and batch norm's 2 per channel, well under 1% of a CNN).
  A FLOP counter that counts the multiply and the add separately reports **FLOPs ≈ 2 × MACs**.
- **receptive_field** (px) and **stride** (the *jump*, px): the side of the input window that one output
  position can see, and how far that window moves when the output position moves by one. A k×k layer
  with stride s and dilation d turns (r, j) into (r + (k−1)·d·j, j·s). Padding is ignored (it adds
  zeros, not pixels), so r may exceed the input size. Adaptive/global pooling, flattening and global
  means make one position see the whole input: r grows by (H−1)·j. Where several tensors meet (a
  ResNet addition, an Inception or DenseNet concatenation) the largest field is taken: that is the
  **main path**. Tensors broadcast onto the feature map (SE's per-channel gate, computed from a global
  average) are not the main path and are left out, so EfficientNet's field grows layer by layer as its
  convolutions do. Where height and width differ (Inception-v3's 1×7 / 7×1 pairs) the larger is
  reported. Exact for convolution and pooling layers; other resampling operations (seen only in some
  timm models) are treated like an adaptive pooling between the two sizes.
"""
from __future__ import annotations

import functools
import importlib
import inspect as pyinspect
import math
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Sequence

import timm
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode
from torch.utils.weak import WeakIdKeyDictionary

from lab import meta_shapes
from lab.hooks import eval_mode, removing
from lab.meta_shapes import arg, pair, tensors
from lab.models import TIMM_PREFIX, ModelInfo, create_model, get_entry, model_info
from lab.stages import StageRow, group_stages

MAX_SIDE = 1024  # px per side; the largest course resolution is EfficientNet-B7's 600
MAX_CHANNELS = 64  # input channels of a named network
MAX_BLOCK_CHANNELS = 4096  # input channels of a module summarised on its own (a block from inside a network)
MAX_CLASSES = 100_000

# Everything summarize() may touch at once (hooks on a cached model): one call at a time.
_LOCK = threading.RLock()


# ------------------------------------------------------------------------------------------ results


@dataclass
class LayerRow:
    """One call of a leaf module, in execution order (a module called twice gives two rows).

    Shapes leave out the batch dimension. ``receptive_field`` and ``stride`` (the jump) are in input
    pixels, along the main path (module docstring); None where the output does not come from the input.
    ``layers`` is how many calls a folded row stands for (1 for a plain row).
    """

    name: str
    kind: str
    input_shape: tuple[int, ...] | None
    output_shape: tuple[int, ...] | None
    params: int
    macs: int
    receptive_field: int | None
    stride: float | None
    layers: int = 1

    @property
    def depth(self) -> int:
        """How deep the module sits: ``fc`` is 1, ``layer1.0.conv1`` is 3."""
        return self.name.count(".") + 1 if self.name else 0


@dataclass
class Summary:
    """The result of :func:`summarize`: per-layer rows, per-stage aggregates and totals."""

    model: str
    input_size: tuple[int, int, int]
    num_classes: int | None
    rows: list[LayerRow]
    stages: list[StageRow]
    total_params: int
    total_macs: int
    output_shape: tuple[int, ...] | None
    not_run: list[str] = field(default_factory=list)  # top-level modules with parameters the forward skipped
    kinds: dict[str, str] = field(default_factory=dict, repr=False)  # qualified name -> class name
    # qualified name -> the module's own input and output (its last call): what a folded row or stage shows
    blocks: dict[str, LayerRow] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The totals and the stages as plain JSON values (the ``/summarize`` endpoint)."""
        return {"model": self.model, "input_size": list(self.input_size), "total_params": self.total_params,
                "total_macs": self.total_macs, "output_shape": list(self.output_shape or ()),
                "stages": [{"name": st.name, "params": st.params, "macs": st.macs,
                            "output_shape": list(st.output_shape or ())} for st in self.stages]}

    def spatial_rows(self) -> list[tuple[int, LayerRow]]:
        """``(row number from 1, row)`` of the rows with a C×H×W output on the main path, for charts along
        the network: side branches that squeeze the map to 1×1 (SE's gate) are left out, or a chart
        would zig-zag; the final global pooling stays."""
        rows = [(i + 1, r) for i, r in enumerate(self.rows) if r.output_shape is not None and len(r.output_shape) == 3]
        last_map = max((i for i, r in rows if r.output_shape[1:] != (1, 1)), default=0)
        return [(i, r) for i, r in rows if r.output_shape[1:] != (1, 1) or i > last_map]

    @property
    def max_depth(self) -> int:
        """The deepest row's depth (folding to this depth changes nothing)."""
        return max((r.depth for r in self.rows), default=0)

    def fold(self, depth: int) -> list[LayerRow]:
        """Rows folded to ``depth`` name components: consecutive rows under the same prefix (``layer1``
        at depth 1, ``layer1.0`` at depth 2) become one row with summed MACs and the parameters of the
        distinct modules. Its input and output shape, receptive field and jump are the block's own (the
        module's input and output, :attr:`blocks`): for a block that concatenates branches (Inception,
        DenseNet) the last leaf row is one branch, not the block.
        """
        if depth < 1:
            raise ValueError(f"The depth to fold to must be at least 1, not {depth}.")
        out: list[LayerRow] = []
        seen: set[str] = set()
        key_of_last = None
        for row in self.rows:
            key = ".".join(row.name.split(".")[:depth])
            if out and key == key_of_last:
                agg = out[-1]
                agg.params += 0 if row.name in seen else row.params
                agg.macs += row.macs
                agg.output_shape = row.output_shape
                if row.receptive_field is not None:
                    agg.receptive_field, agg.stride = row.receptive_field, row.stride
                agg.layers += 1
            else:
                seen = set()
                kind = row.kind if key == row.name else self.kinds.get(key, row.kind)
                out.append(LayerRow(key, kind, row.input_shape, row.output_shape, row.params, row.macs,
                                    row.receptive_field, row.stride))
                key_of_last = key
            seen.add(row.name)
        leaves = {r.name for r in self.rows if not r.kind.endswith("(own operations)")}  # a leaf may run twice
        for agg in out:
            block = self.blocks.get(agg.name)
            if block is not None and agg.name not in leaves:
                agg.input_shape, agg.output_shape = block.input_shape, block.output_shape
                agg.receptive_field, agg.stride = block.receptive_field, block.stride
        return out


# ------------------------------------------------------------------------------ the models (meta device)


@functools.lru_cache(maxsize=12)
def _meta_model(name: str, num_classes: int, in_channels: int | None) -> nn.Module:
    """Build a course or timm model with meta tensors (shapes, no storage), in eval mode. Cached."""
    kwargs: dict[str, Any] = {}
    if in_channels is not None:
        kwargs["in_chans" if name.startswith(TIMM_PREFIX) else "in_channels"] = in_channels
    with torch.device("meta"), meta_shapes.SkipMetaInit():
        model = create_model(name, num_classes=num_classes, **kwargs)
    return model.eval()  # aux classifiers (GoogLeNet, Inception-v3) return extra outputs in train mode


def default_num_classes(name: str) -> int:
    """The number of classes a course model's builder uses by default (10 for LeNet-5, else 1000)."""
    return 1000 if name.startswith(TIMM_PREFIX) else get_entry(name).num_classes


def usual_input_size(name: str) -> tuple[int, int, int]:
    """The ``(C, H, W)`` a course model is usually fed (its registry entry); timm's default config for
    a ``timm:`` name. Raises ValueError for an unknown name."""
    if name.startswith(TIMM_PREFIX):
        return tuple(model_info(name).input_size)  # type: ignore[return-value]
    return get_entry(name).input_size


def family_source(name: str) -> tuple[str, str]:
    """The module that defines a model and its source text: lab's family file for a course model
    (``lab.models.resnet``), timm's for a ``timm:`` name. Raises ValueError for an unknown name."""
    if name.startswith(TIMM_PREFIX):
        arch = name[len(TIMM_PREFIX):]
        if not timm.is_model(arch):
            raise ValueError(f"timm has no architecture named {arch!r}.")
        module_name = timm.models.model_entrypoint(arch).__module__
    else:
        module_name = get_entry(name).builder.__module__
    return module_name, pyinspect.getsource(importlib.import_module(module_name))


def published_resolution(name: str) -> int | None:
    """The input side at which a course model's paper-recipe accuracy and GMACs were measured (torchvision's
    evaluation crop: 288 px for EfficientNet-B2, whose paper size is 260), or None without published figures."""
    if name.startswith(TIMM_PREFIX):
        return None
    figures = model_info(name).figures
    return figures[0].resolution if figures else None


def has_published_figures(info: ModelInfo) -> bool:
    """Whether a network has a point on an accuracy-against-compute chart: its weights come with both a
    published ImageNet top-1 and a published cost (GMACs)."""
    return info.acc1 is not None and bool(info.gflops)


def _first_layer(model: nn.Module) -> tuple[str, nn.Module] | None:
    for name, m in model.named_modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)):
            return name, m
    return None


def _expected_channels(model: nn.Module) -> tuple[str, int] | None:
    first = _first_layer(model)
    if first is None:
        return None
    name, m = first
    return name, (m.in_channels if isinstance(m, nn.modules.conv._ConvNd) else m.in_features)


# ------------------------------------------------------------------------------------------ tracing


class _RF(NamedTuple):
    """Receptive field and jump of a tensor, per axis; ``hw`` is the spatial size they refer to, or
    None once the spatial layout is gone (after flattening or a global mean)."""

    rf_h: float
    rf_w: float
    j_h: float
    j_w: float
    hw: tuple[int, int] | None

    def to_global(self) -> _RF:
        if self.hw is None:
            return self
        h, w = self.hw
        return _RF(self.rf_h + (h - 1) * self.j_h, self.rf_w + (w - 1) * self.j_w, self.j_h * h, self.j_w * w, None)

    def window(self, kernel: tuple[int, int], stride: tuple[float, float], dilation: tuple[int, int],
               hw: tuple[int, int]) -> _RF:
        (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
        return _RF(self.rf_h + (kh - 1) * dh * self.j_h, self.rf_w + (kw - 1) * dw * self.j_w,
                   self.j_h * sh, self.j_w * sw, hw)


def _adaptive_window(n_in: int, n_out: int) -> int:
    """The largest window adaptive pooling uses to map ``n_in`` positions to ``n_out``."""
    return max(-(-(k + 1) * n_in // n_out) - (k * n_in // n_out) for k in range(n_out))


def _contains(shape: Sequence[int], hw: tuple[int, int]) -> bool:
    """Whether ``hw`` appears as two consecutive dimensions after the batch (NCHW or NHWC layouts)."""
    return any((shape[i], shape[i + 1]) == hw for i in range(1, len(shape) - 1))


def _first_tensor(value: Any) -> torch.Tensor | None:
    """A module's output tensor, or the first tensor of a tuple/list output (None if there is none)."""
    if isinstance(value, torch.Tensor):
        return value
    return next(tensors(tuple(value), {}), None) if isinstance(value, (tuple, list)) else None


_CONV = {torch.conv1d, torch.conv2d, torch.conv3d}
_CONV_T = {torch.conv_transpose1d, torch.conv_transpose2d, torch.conv_transpose3d}
_MATMUL = {torch.matmul, torch.mm, torch.bmm, torch.Tensor.matmul, torch.Tensor.__matmul__, torch.Tensor.mm,
           torch.Tensor.bmm}
_MAX_POOL = {F.max_pool2d, F.max_pool2d_with_indices, torch.max_pool2d}
_AVG_POOL = {F.avg_pool2d}
_PAD = {F.pad}


def _op_macs(func: Callable, args: tuple, kwargs: dict, out: torch.Tensor) -> int:
    """Multiply-accumulates of one operation (batch 1); 0 for anything but conv/linear/matmul."""
    if func in _CONV:
        return out.numel() * math.prod(args[1].shape[1:])  # weight (C_out, C_in/groups, k...)
    if func is F.linear:
        return out.numel() * arg(args, kwargs, 1, "weight").shape[1]
    if func in _CONV_T:
        return args[0].numel() * math.prod(args[1].shape[1:])  # weight (C_in, C_out/groups, k...)
    if func in _MATMUL:
        return out.numel() * args[0].shape[-1]
    if func is torch.addmm or func is torch.baddbmm:
        return out.numel() * args[1].shape[-1]
    if func is F.scaled_dot_product_attention:
        q, k, v = args[:3]
        return math.prod(q.shape[:-1]) * k.shape[-2] * (q.shape[-1] + v.shape[-1])  # QKᵀ, then ·V
    return 0


@dataclass
class _Call:
    name: str
    module: nn.Module
    input_shape: tuple[int, ...] | None
    macs: int = 0


class _Tracer(TorchFunctionMode):
    """Sees every torch operation of one forward pass: adds up MACs per module call and carries each
    tensor's receptive field from the inputs of an operation to its outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.rf: WeakIdKeyDictionary = WeakIdKeyDictionary()
        self.calls: list[_Call] = []  # module calls in progress, innermost last
        self.rows: list[LayerRow] = []
        self.blocks: dict[str, LayerRow] = {}
        self.total_macs = 0

    # -- module hooks
    def enter(self, name: str, module: nn.Module, args: tuple) -> None:
        x = next(tensors(args, {}), None)
        self.calls.append(_Call(name, module, tuple(x.shape[1:]) if x is not None else None))

    def leave(self, name: str, module: nn.Module, args: tuple, output: Any) -> None:
        call = self.calls.pop()
        is_leaf = next(module.children(), None) is None
        out = _first_tensor(output)
        rec = self.rf.get(out) if out is not None else None
        kind = type(module).__name__ if is_leaf else f"{type(module).__name__} (own operations)"
        row = LayerRow(
            name=name, kind=kind, input_shape=call.input_shape,
            output_shape=tuple(out.shape[1:]) if out is not None else None,
            params=sum(p.numel() for p in module.parameters(recurse=False)), macs=call.macs,
            receptive_field=round(max(rec.rf_h, rec.rf_w)) if rec is not None else None,
            stride=_tidy(max(rec.j_h, rec.j_w)) if rec is not None else None,
        )
        self.blocks[name] = row  # every module's own output (a block's, not its last branch's)
        if is_leaf or call.macs:
            self.rows.append(row)

    # -- operations
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = meta_shapes.call(func, args, kwargs)
        if isinstance(out, torch.Tensor):
            outs: tuple = (out,)
        elif isinstance(out, (tuple, list)):
            outs = tuple(t for t in out if isinstance(t, torch.Tensor))
            if not outs:
                return out
        else:
            return out
        macs = _op_macs(func, args, kwargs, outs[0])
        if macs:
            self.total_macs += macs
            if self.calls:
                self.calls[-1].macs += macs
        rec = self._propagate(func, args, kwargs, outs[0])
        if rec is not None:
            for t in outs:
                self.rf[t] = rec
        return out

    def _propagate(self, func: Callable, args: tuple, kwargs: dict, out: torch.Tensor) -> _RF | None:
        ins = [(t, self.rf[t]) for t in tensors(args, kwargs) if t in self.rf]
        if not ins:
            return None
        shape = tuple(out.shape)
        x, rec = ins[0]
        if rec.hw is not None and out.dim() == 4 and x.dim() == 4:
            hw = (shape[2], shape[3])
            if func in _CONV:
                w = args[1]
                return rec.window(tuple(w.shape[-2:]), pair(arg(args, kwargs, 3, "stride", 1)),
                                  pair(arg(args, kwargs, 5, "dilation", 1)), hw)
            if func in _MAX_POOL or func in _AVG_POOL:
                k = pair(arg(args, kwargs, 1, "kernel_size"))
                s = pair(arg(args, kwargs, 2, "stride"), k)
                d = pair(arg(args, kwargs, 4, "dilation", 1)) if func in _MAX_POOL else (1, 1)
                return rec.window(k, s, d, hw)
            if func in _PAD:
                return rec._replace(hw=hw)
        # Anything else: the main path is the input(s) laid out like the output (module docstring).
        recs = [r for _, r in ins]
        if len(recs) > 1:
            main = [r for r in recs if r.hw is not None and len(shape) >= 3 and shape[-2:] == r.hw] or \
                [r for r in recs if r.hw is not None and _contains(shape, r.hw)] or recs
            rec = _RF(max(r.rf_h for r in main), max(r.rf_w for r in main), max(r.j_h for r in main),
                      max(r.j_w for r in main), main[0].hw)
            x = next(t for t, r in ins if r.hw == rec.hw)
        if rec.hw is None or _contains(shape, rec.hw):
            return rec
        if out.dim() == 4 and x.dim() == 4 and tuple(x.shape[-2:]) == rec.hw and shape[2:] != (1, 1):
            # Another resampling (adaptive pooling, interpolation, strided slicing): like an adaptive
            # pooling from the input's size to the output's.
            (h, w), (oh, ow) = rec.hw, shape[2:]
            return rec.window((_adaptive_window(h, oh), _adaptive_window(w, ow)), (h / oh, w / ow), (1, 1), (oh, ow))
        return rec.to_global()  # flattening, a global mean or pooling to 1×1: one position sees everything


def _tidy(v: float) -> float:
    """32.0 stays a float but prints as 32; fractional jumps keep 3 decimals."""
    return float(round(v)) if abs(v - round(v)) < 1e-9 else round(v, 3)


def _hooks(model: nn.Module, tracer: _Tracer) -> list:
    """Forward pre/post hooks on every module that report calls to ``tracer`` (remove them with
    :func:`lab.hooks.removing`)."""
    handles = []
    for name, m in model.named_modules():
        handles.append(m.register_forward_pre_hook(functools.partial(tracer.enter, name)))
        handles.append(m.register_forward_hook(functools.partial(tracer.leave, name)))
    return handles


def _forward(model: nn.Module, x: torch.Tensor) -> Any:
    """Run ``model`` on a meta input; a model with real weights runs with meta stand-ins for them."""
    tensors = dict(model.named_parameters())
    tensors.update(model.named_buffers())
    if all(t.is_meta for t in tensors.values()):
        return model(x)
    meta = {k: torch.empty(t.shape, dtype=t.dtype, device="meta") for k, t in tensors.items()}
    return torch.func.functional_call(model, meta, (x,))


# ------------------------------------------------------------------------------------------ summarize


def _check_input_size(input_size: Any, max_channels: int = MAX_CHANNELS) -> tuple[int, int, int]:
    if isinstance(input_size, int) and not isinstance(input_size, bool):
        raise ValueError(f"The input size is (channels, height, width), e.g. (3, {input_size}, {input_size}); "
                         f"got the single number {input_size}.")
    try:
        c, h, w = (int(v) for v in input_size)
        if any(int(v) != v for v in input_size):
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"The input size must be three whole numbers (channels, height, width), e.g. "
                         f"(3, 224, 224); got {input_size!r}.") from None
    if h < 1 or w < 1:
        raise ValueError(f"The input must be at least 1×1 pixel; {h}×{w} is not an image. Pick a resolution "
                         f"such as 224.")
    if h > MAX_SIDE or w > MAX_SIDE:
        raise ValueError(f"{h}×{w} px is above CNN Lab's limit of {MAX_SIDE} px per side (the largest course "
                         f"model, EfficientNet-B7, uses 600 px). Pick a smaller resolution.")
    if not 1 <= c <= max_channels:
        raise ValueError(f"The number of channels must be between 1 and {max_channels} (3 for colour images, "
                         f"1 for grey), not {c}.")
    return c, h, w


def _meta_for_name(name: str, c: int, num_classes: int) -> nn.Module:
    """The cached meta model; when ``c`` differs from what its first layer takes, a model built for
    ``c`` channels (LeNet-5 and timm models can), else a ValueError saying which channels to use."""
    model = _meta_model(name, num_classes, None)
    expected = _expected_channels(model)
    if expected is None or expected[1] == c:
        return model
    layer, want = expected
    try:
        return _meta_model(name, num_classes, c)
    except ValueError:
        raise ValueError(f"{name} takes {want}-channel images (its first layer, {layer}, expects {want} "
                         f"channels), not {c}. Set channels to {want}.") from None


def _model_for(model_or_name: nn.Module | str, input_size: Sequence[int] | None,
               num_classes: int | None) -> tuple[nn.Module, str, tuple[int, int, int], int | None, int]:
    """The model to trace, its name, the checked ``(C, H, W)``, the classes (None for a module) and the
    side the error messages search up to; ValueError for anything :func:`summarize` refuses."""
    if isinstance(model_or_name, str):
        name = model_or_name.strip()
        usual = usual_input_size(name)  # ValueError with close matches for an unknown name
        c, h, w = _check_input_size(usual if input_size is None else input_size)
        if num_classes is None:
            num_classes = default_num_classes(name)
        if not isinstance(num_classes, int) or isinstance(num_classes, bool) or not 1 <= num_classes <= MAX_CLASSES:
            raise ValueError(f"The number of classes must be a whole number from 1 to {MAX_CLASSES:,}, "
                             f"not {num_classes!r}.")
        return _meta_for_name(name, c, num_classes), name, (c, h, w), num_classes, max(usual[1:])
    if isinstance(model_or_name, nn.Module):
        name = type(model_or_name).__name__
        # A module (a block) may sit deep in a network: any width its first layer takes.
        c, h, w = _check_input_size((3, 224, 224) if input_size is None else input_size, MAX_BLOCK_CHANNELS)
        expected = _expected_channels(model_or_name)
        if expected is not None and expected[1] != c:
            raise ValueError(f"This {name} takes {expected[1]}-channel inputs (its first layer, {expected[0]}, "
                             f"expects {expected[1]}), not {c}.")
        return model_or_name, name, (c, h, w), None, 224
    raise ValueError(f"summarize() takes a model name or an nn.Module, not {type(model_or_name).__name__}.")


def summarize(
    model_or_name: nn.Module | str,
    input_size: Sequence[int] | None = None,
    num_classes: int | None = None,
) -> Summary:
    """Per-layer shapes, parameters, MACs and receptive fields of a network, from one meta forward pass.

    Args:
        model_or_name: a course model name (:func:`lab.models.list_models`), ``timm:<name>``, or an
            ``nn.Module`` (its weights are neither copied nor used: meta stand-ins take their place).
        input_size: ``(channels, height, width)``; default: the model's usual input (``(3, 224, 224)``
            for a module). Sides from 1 to :data:`MAX_SIDE` px, 1 to :data:`MAX_CHANNELS` channels.
        num_classes: classifier outputs for a named model (default: its builder's, 10 for LeNet-5, else
            1000); ignored for a module.

    Returns:
        A :class:`Summary`. Rows are leaf-module calls in execution order; the model runs in eval mode.

    Raises:
        ValueError: unknown model, a bad input size, channels the model cannot take, or an input too
            small for the network (the message names the layer where the map collapses and the smallest
            input that works).
    """
    model, name, (c, h, w), num_classes, default_side = _model_for(model_or_name, input_size, num_classes)
    with _LOCK, eval_mode(model):
        tracer = _Tracer()
        x = torch.empty(1, c, h, w, device="meta")
        tracer.rf[x] = _RF(1, 1, 1, 1, (h, w))
        try:
            with removing(_hooks(model, tracer)), tracer:
                out = _forward(model, x)
        except Exception as e:
            raise _explain_failure(name, model, (c, h, w), tracer, e, default_side) from None
        ran = {r.name for r in tracer.rows}
        not_run = [n for n, m in model.named_modules()
                   if n and "." not in n and any(True for _ in m.parameters())
                   and not any(r == n or r.startswith(n + ".") for r in ran)]
        stages = group_stages(model, tracer.rows, tracer.total_macs, tracer.blocks)
        first = _first_tensor(out)
        return Summary(
            model=name, input_size=(c, h, w), num_classes=num_classes, rows=tracer.rows, stages=stages,
            total_params=sum(p.numel() for p in model.parameters()), total_macs=tracer.total_macs,
            output_shape=tuple(first.shape[1:]) if first is not None else None, not_run=not_run,
            kinds={n: type(m).__name__ for n, m in model.named_modules()}, blocks=tracer.blocks,
        )


def _runs(model: nn.Module, c: int, side: int) -> bool:
    try:
        with meta_shapes.ShapeOnly():
            _forward(model, torch.empty(1, c, side, side, device="meta"))
        return True
    except Exception:
        return False


def smallest_side(model: nn.Module, channels: int, lo: int = 1, hi: int = MAX_SIDE) -> int | None:
    """The smallest square input side in ``[lo, hi]`` the model runs on (binary search over meta
    forward passes; assumes a size that works keeps working when the input grows), or None."""
    with _LOCK, eval_mode(model):
        if not _runs(model, channels, hi):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            if _runs(model, channels, mid):
                hi = mid
            else:
                lo = mid + 1
        return hi


def _explain_failure(name: str, model: nn.Module, size: tuple[int, int, int], tracer: _Tracer,
                     error: Exception, default_side: int) -> ValueError:
    """Turn a failed meta forward pass into a sentence: where it broke, and which input would work."""
    c, h, w = size
    where = tracer.calls[-1] if tracer.calls else None
    layer = f"{where.name or 'the model'} ({type(where.module).__name__})" if where else "the model"
    seen = ""
    if where and where.input_shape and len(where.input_shape) == 3:
        ch, hh, ww = where.input_shape
        seen = f", whose input is only {hh}×{ww} px ({ch}×{hh}×{ww})"
    side = smallest_side(model, c, lo=min(h, w), hi=max(default_side, h, w, 1))
    works = f"The smallest input that works is {side}×{side} px." if side is not None and side > min(h, w) else ""
    if isinstance(error, ValueError):  # the model's own sentence (GoogLeNet and Inception-v3 check their input)
        return ValueError(str(error) if side is not None and f"{side}" in str(error) else f"{error} {works}".strip())
    if works:
        return ValueError(f"The input ({h}×{w} px) is too small for {name}: the feature map collapses at "
                          f"{layer}{seen}. {works}")
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return ValueError(f"{name} cannot run on a {c}×{h}×{w} input: {layer} failed ({detail[:200]}).")
