"""What happens to the tensor at each layer: shapes, parameters, multiply-accumulates, receptive field.

:func:`summarize` answers the course's first question ("what shape comes out of each layer?") for any
network and input size, without materialising a single weight or doing any arithmetic: the model is
built on PyTorch's ``meta`` device, where tensors have shapes but no data, and one forward pass on a
meta input propagates the shapes. So VGG-19 or EfficientNet-B7 at 600 px cost a few megabytes and a
fraction of a second. Built models are cached by name; results are not.

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

import contextlib
import functools
import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode
from torch.utils.weak import WeakIdKeyDictionary

MAX_SIDE = 1024  # px per side; the largest course resolution is EfficientNet-B7's 600
MAX_CHANNELS = 64
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
class StageRow:
    """A block a student compares: a top-level child, or (for one big ``features`` Sequential) one of
    its children; runs of small layers are grouped up to their pooling layer, and repeated blocks
    with the same output shape (MobileNet's bottlenecks) are grouped together.

    ``params`` counts every parameter of the stage's modules; ``ran`` is False for modules the forward
    pass skips (auxiliary classifiers in eval mode). ``first_row``/``last_row`` index ``Summary.rows``.
    """

    name: str
    modules: tuple[str, ...]
    output_shape: tuple[int, ...] | None
    params: int
    macs: int
    receptive_field: int | None
    stride: float | None
    layers: int
    ran: bool
    first_row: int | None
    last_row: int | None


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

    @property
    def max_depth(self) -> int:
        """The deepest row's depth (folding to this depth changes nothing)."""
        return max((r.depth for r in self.rows), default=0)

    def fold(self, depth: int) -> list[LayerRow]:
        """Rows folded to ``depth`` name components: consecutive rows under the same prefix (``layer1``
        at depth 1, ``layer1.0`` at depth 2) become one row with summed MACs and the parameters of the
        distinct modules, the first input shape and the last output shape, receptive field and jump.
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
        return out


# ------------------------------------------------------------------------------ building (meta device)


# In-place initialisers: on meta tensors there are no values to fill, and running them through PyTorch's
# meta decompositions is what makes building big models slow (1–2 s for EfficientNet-B7).
_INIT_METHODS = {
    "normal_", "uniform_", "trunc_normal_", "zero_", "fill_", "erfinv_", "mul_", "add_", "sub_", "div_",
    "clamp_", "copy_", "exponential_", "bernoulli_", "random_", "log_normal_", "cauchy_", "geometric_",
    "sqrt_", "orthogonal_",
}


class _SkipMetaInit(TorchFunctionMode):
    """While building on the meta device, make in-place initialisation of meta tensors a no-op."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if getattr(func, "__name__", "") in _INIT_METHODS:
            target = args[0] if args else kwargs.get("tensor")  # nn.init passes the tensor by keyword
            if isinstance(target, torch.Tensor) and target.is_meta:
                return target
        return func(*args, **kwargs)


@functools.lru_cache(maxsize=12)
def _meta_model(name: str, num_classes: int, in_channels: int | None) -> nn.Module:
    """Build a course or timm model with meta tensors (shapes, no storage), in eval mode. Cached."""
    from lab.models import TIMM_PREFIX, create_model

    kwargs: dict[str, Any] = {}
    if in_channels is not None:
        kwargs["in_chans" if name.startswith(TIMM_PREFIX) else "in_channels"] = in_channels
    with torch.device("meta"), _SkipMetaInit():
        model = create_model(name, num_classes=num_classes, **kwargs)
    return model.eval()  # aux classifiers (GoogLeNet, Inception-v3) return extra outputs in train mode


def default_num_classes(name: str) -> int:
    """The number of classes a course model's builder uses by default (10 for LeNet-5, else 1000)."""
    import inspect as pyinspect

    from lab.models import TIMM_PREFIX, get_entry

    if name.startswith(TIMM_PREFIX):
        return 1000
    default = pyinspect.signature(get_entry(name).builder).parameters.get("num_classes")
    return default.default if default is not None and isinstance(default.default, int) else 1000


def usual_input_size(name: str) -> tuple[int, int, int]:
    """The ``(C, H, W)`` a course model is usually fed (its registry entry); timm's default config for
    a ``timm:`` name. Raises ValueError for an unknown name."""
    from lab.models import TIMM_PREFIX, get_entry, model_info

    if name.startswith(TIMM_PREFIX):
        return tuple(model_info(name).input_size)  # type: ignore[return-value]
    return get_entry(name).input_size


def family_source(name: str) -> tuple[str, str]:
    """The module that defines a model and its source text: lab's family file for a course model
    (``lab.models.resnet``), timm's for a ``timm:`` name. Raises ValueError for an unknown name."""
    import importlib
    import inspect as pyinspect

    from lab.models import TIMM_PREFIX, get_entry

    if name.startswith(TIMM_PREFIX):
        import timm

        arch = name[len(TIMM_PREFIX):]
        if not timm.is_model(arch):
            raise ValueError(f"timm has no architecture named {arch!r}.")
        module_name = timm.models.model_entrypoint(arch).__module__
    else:
        module_name = get_entry(name).builder.__module__
    return module_name, pyinspect.getsource(importlib.import_module(module_name))


def published_resolution(name: str) -> int | None:
    """The input side at which torchvision measured a course model's published accuracy and GFLOPS
    (its evaluation crop: 288 px for EfficientNet-B2, whose paper size is 260), or None without
    torchvision weights."""
    from lab.models import TIMM_PREFIX, get_entry

    if name.startswith(TIMM_PREFIX):
        return None
    entry = get_entry(name)
    if not entry.tv_weights:
        return None
    return entry.weights.preprocessing.crop_size


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


def _pair(v: Any, default: Any = None) -> tuple[Any, Any]:
    if v is None or (isinstance(v, (tuple, list)) and len(v) == 0):
        v = default
    if isinstance(v, (tuple, list)):
        return (v[0], v[-1])
    return (v, v)


def _arg(args: tuple, kwargs: dict, i: int, name: str, default: Any = None) -> Any:
    if len(args) > i:
        return args[i]
    return kwargs.get(name, default)


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
    return next(_tensors(tuple(value), {}), None) if isinstance(value, (tuple, list)) else None


def _tensors(args: tuple, kwargs: dict) -> Iterator[torch.Tensor]:
    for a in (*args, *kwargs.values()):
        if isinstance(a, torch.Tensor):
            yield a
        elif isinstance(a, (tuple, list)):
            yield from (t for t in a if isinstance(t, torch.Tensor))


_CONV = {torch.conv1d, torch.conv2d, torch.conv3d}
_CONV_T = {torch.conv_transpose1d, torch.conv_transpose2d, torch.conv_transpose3d}
_MATMUL = {torch.matmul, torch.mm, torch.bmm, torch.Tensor.matmul, torch.Tensor.__matmul__, torch.Tensor.mm,
           torch.Tensor.bmm}
_MAX_POOL = {F.max_pool2d, F.max_pool2d_with_indices, torch.max_pool2d}
_AVG_POOL = {F.avg_pool2d}
_PAD = {F.pad}
# ------------------------------------------------------------------------------------ shape functions
# On meta tensors many operations run through PyTorch's Python decompositions, which cost ~1 ms a call
# (batch norm) and, the first time in a process, several seconds of imports (torch._dynamo). The
# operations the course models use are answered here from their output-size formulas instead; any case
# a formula does not cover (or an input the real operation would reject) falls back to the real meta
# kernel, so errors are PyTorch's own. Tests compare every course model's shapes with and without these.


def _meta(shape: Sequence[int], like: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    return torch.empty(tuple(shape), dtype=dtype or like.dtype, device="meta")


def _window_out(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool = False) -> int:
    """Output length of a convolution or pooling window sliding over ``n`` positions (PyTorch's formula)."""
    span = n + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:  # the last window may not start in the right padding
        out -= 1
    return out


def _check_collapse(x: torch.Tensor, hw: list[int]) -> None:
    if min(hw) < 1:
        raise RuntimeError(f"a {x.shape[2]}×{x.shape[3]} map is smaller than the window: the output would be "
                           f"{hw[0]}×{hw[1]}")


def _same_shape(args: tuple, kwargs: dict) -> torch.Tensor | None:
    return _meta(args[0].shape, args[0])


def _conv2d(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, w = args[0], args[1]
    stride, padding, dilation = (_pair(_arg(args, kwargs, i, n, dflt)) for i, n, dflt in
                                 ((3, "stride", 1), (4, "padding", 0), (5, "dilation", 1)))
    groups = _arg(args, kwargs, 6, "groups", 1)
    if x.dim() != 4 or w.dim() != 4 or x.shape[1] != w.shape[1] * groups or isinstance(padding[0], str):
        return None  # unbatched, wrong channels or padding="same"/"valid": let PyTorch decide
    hw = [_window_out(x.shape[2 + i], w.shape[2 + i], stride[i], padding[i], dilation[i]) for i in (0, 1)]
    _check_collapse(x, hw)
    return _meta((x.shape[0], w.shape[0], *hw), x)


def _pool2d(args: tuple, kwargs: dict, dilated: bool) -> torch.Tensor | None:
    x = args[0]
    k = _pair(_arg(args, kwargs, 1, "kernel_size"))
    s = _pair(_arg(args, kwargs, 2, "stride"), k)
    p = _pair(_arg(args, kwargs, 3, "padding", 0))
    d = _pair(_arg(args, kwargs, 4, "dilation", 1)) if dilated else (1, 1)
    ceil_mode = _arg(args, kwargs, 5 if dilated else 4, "ceil_mode", False)
    if x.dim() != 4 or (dilated and _arg(args, kwargs, 6, "return_indices", False)) or \
            any(p[i] > k[i] // 2 for i in (0, 1)):
        return None
    hw = [_window_out(x.shape[2 + i], k[i], s[i], p[i], d[i], ceil_mode) for i in (0, 1)]
    _check_collapse(x, hw)
    return _meta((*x.shape[:2], *hw), x)


def _adaptive_pool2d(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, size = args[0], _pair(_arg(args, kwargs, 1, "output_size"))
    if x.dim() != 4 or _arg(args, kwargs, 2, "return_indices", False) or min(x.shape[2:]) < 1:
        return None
    return _meta((*x.shape[:2], *(x.shape[2 + i] if size[i] is None else size[i] for i in (0, 1))), x)


def _broadcast(args: tuple, kwargs: dict) -> torch.Tensor | None:
    tensors = [a for a in args[:2] if isinstance(a, torch.Tensor)]
    if "out" in kwargs or len(args) < 2 or not all(isinstance(a, (torch.Tensor, int, float)) for a in args[:2]):
        return None
    shapes = [tuple(t.shape) for t in tensors]
    n = max(len(sh) for sh in shapes)
    out = []
    for dims in zip(*[(1,) * (n - len(sh)) + sh for sh in shapes]):
        big = max(dims)
        if any(d not in (1, big) for d in dims):
            return None  # not broadcastable: PyTorch raises
        out.append(big)
    return _meta(out, tensors[0], torch.result_type(args[0], args[1]))


def _inplace(out: torch.Tensor | None, target: torch.Tensor) -> torch.Tensor | None:
    return target if out is not None and out.shape == target.shape else None


def _cat(args: tuple, kwargs: dict) -> torch.Tensor | None:
    tensors, dim = list(args[0]), _arg(args, kwargs, 1, "dim", 0)
    if "out" in kwargs or not tensors or len({t.dim() for t in tensors}) != 1 or len({t.dtype for t in tensors}) != 1:
        return None
    dim %= tensors[0].dim()
    rest = {tuple(t.shape[:dim]) + tuple(t.shape[dim + 1:]) for t in tensors}
    if len(rest) != 1:
        return None
    shape = list(tensors[0].shape)
    shape[dim] = sum(t.shape[dim] for t in tensors)
    return _meta(shape, tensors[0])


def _mean(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, dims, keep = args[0], _arg(args, kwargs, 1, "dim"), _arg(args, kwargs, 2, "keepdim", False)
    if dims is None or "dtype" in kwargs or "out" in kwargs:
        return None
    dims = {d % x.dim() for d in ((dims,) if isinstance(dims, int) else dims)}
    return _meta([1 if i in dims else n for i, n in enumerate(x.shape) if keep or i not in dims], x)


def _linear(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, w = args[0], _arg(args, kwargs, 1, "weight")
    if x.dim() < 1 or w.dim() != 2 or x.shape[-1] != w.shape[1]:
        return None
    return _meta((*x.shape[:-1], w.shape[0]), x)


_SHAPES: dict[Callable, Callable[[tuple, dict], torch.Tensor | None]] = {
    torch.conv2d: _conv2d,
    F.max_pool2d: functools.partial(_pool2d, dilated=True),
    F.avg_pool2d: functools.partial(_pool2d, dilated=False),
    F.adaptive_avg_pool2d: _adaptive_pool2d,
    F.adaptive_max_pool2d: _adaptive_pool2d,
    F.linear: _linear,
    torch.cat: _cat,
    torch.mean: _mean,
    torch.Tensor.mean: _mean,
    **{f: _broadcast for f in (torch.add, torch.mul, torch.sub, torch.div, torch.Tensor.add, torch.Tensor.mul,
                               torch.Tensor.sub, torch.Tensor.div)},
    **{f: _same_shape for f in (
        F.batch_norm, F.layer_norm, F.group_norm, F.instance_norm, F.relu, F.relu6, F.silu, F.hardswish,
        F.hardsigmoid, F.gelu, F.elu, F.leaky_relu, F.hardtanh, F.mish, F.dropout, F.dropout2d, torch.sigmoid,
        torch.tanh, torch.relu, torch.Tensor.sigmoid, torch.Tensor.relu, torch.Tensor.tanh, torch.relu_,
        torch.Tensor.relu_, torch.Tensor.sigmoid_,
    )},
    torch.Tensor.add_: lambda a, k: _inplace(_broadcast(a, k), a[0]),
    torch.Tensor.mul_: lambda a, k: _inplace(_broadcast(a, k), a[0]),
}


def _shape_only(func: Callable, args: tuple, kwargs: dict) -> Any:
    """``func(*args, **kwargs)`` on meta tensors, answered by a shape function where there is one."""
    shape_fn = _SHAPES.get(func)
    if shape_fn is not None and args and isinstance(args[0], (torch.Tensor, list, tuple)) and \
            all(t.is_meta for t in _tensors(args, kwargs)):
        out = shape_fn(args, kwargs)
        if out is not None:
            return out
    return func(*args, **kwargs)


class _ShapeOnly(TorchFunctionMode):
    """Run a meta forward pass with the shape functions and nothing else (the size search)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return _shape_only(func, args, kwargs or {})


def _op_macs(func: Callable, args: tuple, kwargs: dict, out: torch.Tensor) -> int:
    """Multiply-accumulates of one operation (batch 1); 0 for anything but conv/linear/matmul."""
    if func in _CONV:
        return out.numel() * math.prod(args[1].shape[1:])  # weight (C_out, C_in/groups, k...)
    if func is F.linear:
        return out.numel() * _arg(args, kwargs, 1, "weight").shape[1]
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
        self.total_macs = 0

    # -- module hooks
    def enter(self, name: str, module: nn.Module, args: tuple) -> None:
        x = next(_tensors(args, {}), None)
        self.calls.append(_Call(name, module, tuple(x.shape[1:]) if x is not None else None))

    def leave(self, name: str, module: nn.Module, args: tuple, output: Any) -> None:
        call = self.calls.pop()
        is_leaf = next(module.children(), None) is None
        if not is_leaf and call.macs == 0:
            return
        out = _first_tensor(output)
        rec = self.rf.get(out) if out is not None else None
        own = sum(p.numel() for p in module.parameters(recurse=False))
        kind = type(module).__name__ if is_leaf else f"{type(module).__name__} (own operations)"
        self.rows.append(LayerRow(
            name=name, kind=kind, input_shape=call.input_shape,
            output_shape=tuple(out.shape[1:]) if out is not None else None,
            params=own, macs=call.macs,
            receptive_field=round(max(rec.rf_h, rec.rf_w)) if rec is not None else None,
            stride=_tidy(max(rec.j_h, rec.j_w)) if rec is not None else None,
        ))

    # -- operations
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = _shape_only(func, args, kwargs)
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
        ins = [(t, self.rf[t]) for t in _tensors(args, kwargs) if t in self.rf]
        if not ins:
            return None
        shape = tuple(out.shape)
        x, rec = ins[0]
        if rec.hw is not None and out.dim() == 4 and x.dim() == 4:
            hw = (shape[2], shape[3])
            if func in _CONV:
                w = args[1]
                return rec.window(tuple(w.shape[-2:]), _pair(_arg(args, kwargs, 3, "stride", 1)),
                                  _pair(_arg(args, kwargs, 5, "dilation", 1)), hw)
            if func in _MAX_POOL or func in _AVG_POOL:
                k = _pair(_arg(args, kwargs, 1, "kernel_size"))
                s = _pair(_arg(args, kwargs, 2, "stride"), k)
                d = _pair(_arg(args, kwargs, 4, "dilation", 1)) if func in _MAX_POOL else (1, 1)
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


@contextlib.contextmanager
def _hooked(model: nn.Module, tracer: _Tracer) -> Iterator[None]:
    """Forward pre/post hooks on every module that report calls to ``tracer``; always removed."""
    handles = []
    try:
        for name, m in model.named_modules():
            handles.append(m.register_forward_pre_hook(functools.partial(tracer.enter, name)))
            handles.append(m.register_forward_hook(functools.partial(tracer.leave, name)))
        yield
    finally:
        for h in handles:
            h.remove()


@contextlib.contextmanager
def _eval_mode(model: nn.Module) -> Iterator[None]:
    """Eval mode for the duration (aux heads off, dropout and stochastic depth identities); restored."""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, training in modes:
            m.training = training


def _forward(model: nn.Module, x: torch.Tensor) -> Any:
    """Run ``model`` on a meta input; a model with real weights runs with meta stand-ins for them."""
    tensors = dict(model.named_parameters())
    tensors.update(model.named_buffers())
    if all(t.is_meta for t in tensors.values()):
        return model(x)
    meta = {k: torch.empty(t.shape, dtype=t.dtype, device="meta") for k, t in tensors.items()}
    return torch.func.functional_call(model, meta, (x,))


# ------------------------------------------------------------------------------------------ stages


def _leaf_count(m: nn.Module) -> int:
    return sum(1 for s in m.modules() if next(s.children(), None) is None)


def _is_pool(m: nn.Module) -> bool:
    """A pooling layer that shrinks the map by a fixed window (not an adaptive/global one)."""
    leaves = [s for s in m.modules() if next(s.children(), None) is None]
    kind = type(leaves[-1]).__name__ if leaves else ""
    return "Pool" in kind and "Adaptive" not in kind


def _range_label(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    first, last = names[0].rsplit(".", 1), names[-1].rsplit(".", 1)
    if len(first) == 2 and len(last) == 2 and first[0] == last[0] and first[1].isdigit() and last[1].isdigit():
        return f"{first[0]}.{first[1]}–{last[1]}"
    return f"{names[0]} … {names[-1]}"


def _counted(kinds: list[str]) -> str:
    return ", ".join(k if n == 1 else f"{n}× {k}" for k, n in Counter(kinds).items())


def _stages(model: nn.Module, rows: list[LayerRow], total_macs: int) -> list[StageRow]:
    """Group the rows into the blocks a student compares (see :class:`StageRow`)."""

    def rows_of(prefix: str) -> list[int]:
        if prefix == "":
            return list(range(len(rows)))
        return [i for i, r in enumerate(rows) if r.name == prefix or r.name.startswith(prefix + ".")]

    # 1. Units: top-level children, with a Sequential that does most of the work split into its children.
    units: list[tuple[str, nn.Module]] = []
    for name, child in model.named_children():
        if isinstance(child, nn.Sequential) and len(child) > 1 and total_macs > 0 and \
                sum(rows[i].macs for i in rows_of(name)) >= 0.5 * total_macs:
            units += [(f"{name}.{n}", c) for n, c in child.named_children()]
        else:
            units.append((name, child))
    if not units:
        units = [("", model)]

    # 2. Groups: a block (≥ 4 layers) is a stage, with the pooling layer right after it; repeated blocks
    #    of one class with the same output shape are one stage; small layers are grouped up to a pooling.
    def out_shape(idx: list[int]) -> tuple[int, ...] | None:
        return rows[idx[-1]].output_shape if idx else None

    groups: list[dict[str, Any]] = []
    open_small: dict[str, Any] | None = None
    for name, m in units:
        idx = rows_of(name)
        if _leaf_count(m) >= 4:
            open_small = None
            last = groups[-1] if groups else None
            if last and last["block"] and not last["pool"] and type(last["modules"][-1][1]) is type(m) \
                    and out_shape(last["rows"]) == out_shape(idx):
                last["modules"].append((name, m))
                last["rows"] += idx
            else:
                groups.append({"block": True, "pool": None, "modules": [(name, m)], "rows": idx})
        elif _is_pool(m) and groups and groups[-1]["block"] and not groups[-1]["pool"]:
            groups[-1]["pool"] = name
            groups[-1]["modules"].append((name, m))
            groups[-1]["rows"] += idx
        else:
            if open_small is None:
                open_small = {"block": False, "pool": None, "modules": [], "rows": []}
                groups.append(open_small)
            open_small["modules"].append((name, m))
            open_small["rows"] += idx
            if _is_pool(m):
                open_small = None

    stages = []
    for g in groups:
        names = [n for n, _ in g["modules"]]
        if g["block"]:
            blocks = [(n, m) for n, m in g["modules"] if n != g["pool"]]
            if len(blocks) == 1:
                n, m = blocks[0]
                inner = [type(c).__name__ for c in m.children()]
                detail = type(m).__name__ + (f": {_counted(inner)}" if isinstance(m, nn.Sequential) else "")
                label = f"{n} ({detail})"
            else:
                label = f"{_range_label([n for n, _ in blocks])} ({len(blocks)}× {type(blocks[0][1]).__name__})"
            if g["pool"]:
                label += f" + {g['pool']}"
        else:
            kinds = [type(s).__name__ for _, m in g["modules"] for s in m.modules() if next(s.children(), None) is None]
            label = f"{_range_label(names) or 'model'} ({_counted(kinds)})"
        idx = sorted(set(g["rows"]))
        with_rf = [rows[i] for i in idx if rows[i].receptive_field is not None]
        params = {id(p): p.numel() for _, m in g["modules"] for p in m.parameters()}
        stages.append(StageRow(
            name=label, modules=tuple(names), output_shape=out_shape(idx), params=sum(params.values()),
            macs=sum(rows[i].macs for i in idx),
            receptive_field=with_rf[-1].receptive_field if with_rf else None,
            stride=with_rf[-1].stride if with_rf else None,
            layers=len(idx), ran=bool(idx), first_row=idx[0] if idx else None, last_row=idx[-1] if idx else None,
        ))
    # Parameters and operations of the model itself (a ViT's position embedding, a matmul in its forward).
    covered = {i for g in groups for i in g["rows"]}
    idx = [i for i in range(len(rows)) if i not in covered]
    own = sum(p.numel() for p in model.parameters(recurse=False))
    if units != [("", model)] and (idx or own):
        stages.append(StageRow(
            name=f"{type(model).__name__} itself (its own parameters and operations)", modules=("",),
            output_shape=out_shape(idx), params=own, macs=sum(rows[i].macs for i in idx), receptive_field=None,
            stride=None, layers=len(idx), ran=True, first_row=idx[0] if idx else None,
            last_row=idx[-1] if idx else None,
        ))
    return stages


# ------------------------------------------------------------------------------------------ summarize


def _check_input_size(input_size: Any) -> tuple[int, int, int]:
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
    if not 1 <= c <= MAX_CHANNELS:
        raise ValueError(f"The number of channels must be between 1 and {MAX_CHANNELS} (3 for colour images, "
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
    if isinstance(model_or_name, str):
        name = model_or_name.strip()
        usual = usual_input_size(name)  # ValueError with close matches for an unknown name
        c, h, w = _check_input_size(usual if input_size is None else input_size)
        if num_classes is None:
            num_classes = default_num_classes(name)
        if not isinstance(num_classes, int) or isinstance(num_classes, bool) or not 1 <= num_classes <= MAX_CLASSES:
            raise ValueError(f"The number of classes must be a whole number from 1 to {MAX_CLASSES:,}, "
                             f"not {num_classes!r}.")
        model = _meta_for_name(name, c, num_classes)
        default_side = max(usual[1:])
    elif isinstance(model_or_name, nn.Module):
        model, name = model_or_name, type(model_or_name).__name__
        c, h, w = _check_input_size((3, 224, 224) if input_size is None else input_size)
        expected = _expected_channels(model)
        if expected is not None and expected[1] != c:
            raise ValueError(f"This {name} takes {expected[1]}-channel inputs (its first layer, {expected[0]}, "
                             f"expects {expected[1]}), not {c}.")
        default_side = 224
    else:
        raise ValueError(f"summarize() takes a model name or an nn.Module, not {type(model_or_name).__name__}.")

    with _LOCK, _eval_mode(model):
        tracer = _Tracer()
        x = torch.empty(1, c, h, w, device="meta")
        tracer.rf[x] = _RF(1, 1, 1, 1, (h, w))
        try:
            with _hooked(model, tracer), tracer:
                out = _forward(model, x)
        except Exception as e:
            raise _explain_failure(name, model, (c, h, w), tracer, e, default_side) from None
        total_params = sum(p.numel() for p in model.parameters())
        ran = {r.name for r in tracer.rows}
        not_run = [n for n, m in model.named_modules()
                   if n and "." not in n and any(True for _ in m.parameters())
                   and not any(r == n or r.startswith(n + ".") for r in ran)]
        kinds = {n: type(m).__name__ for n, m in model.named_modules()}
        stages = _stages(model, tracer.rows, tracer.total_macs)
    first = _first_tensor(out)
    return Summary(
        model=name, input_size=(c, h, w), num_classes=num_classes if isinstance(model_or_name, str) else None,
        rows=tracer.rows, stages=stages, total_params=total_params, total_macs=tracer.total_macs,
        output_shape=tuple(first.shape[1:]) if first is not None else None, not_run=not_run, kinds=kinds,
    )


def _runs(model: nn.Module, c: int, side: int) -> bool:
    try:
        with _ShapeOnly():
            _forward(model, torch.empty(1, c, side, side, device="meta"))
        return True
    except Exception:
        return False


def smallest_side(model: nn.Module, channels: int, lo: int = 1, hi: int = MAX_SIDE) -> int | None:
    """The smallest square input side in ``[lo, hi]`` the model runs on (binary search over meta
    forward passes; assumes a size that works keeps working when the input grows), or None."""
    with _LOCK, _eval_mode(model):
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
