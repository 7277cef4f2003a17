"""Speed, not numbers: shortcuts that let :func:`lab.inspect.summarize` run a network on the meta device fast.

Deleting the shortcuts in this file changes no number :mod:`lab.inspect` reports, only the time. Every
function here answers a question PyTorch would answer itself, more slowly:

- :class:`SkipMetaInit`: while a model is built on the meta device, in-place initialisers (``normal_``,
  ``trunc_normal_``, …) return at once. On meta tensors there is no value to fill, and PyTorch's meta
  decompositions of them cost 1–2 s for EfficientNet-B7.
- :data:`SHAPES`: the output shape of the operations the course models use (convolution, pooling,
  batch norm, activations, additions, concatenation, means, linear layers), from their output-size
  formulas (:func:`lab.layer_math.window_positions`). On meta tensors many operations otherwise run
  through PyTorch's Python decompositions, ~1 ms a call (batch norm), and the first time in a process
  several seconds of imports (torch._dynamo). Any case a formula does not cover, or an input the real
  operation would reject, falls back to PyTorch's own meta kernel, so its errors are PyTorch's.

With :data:`ENABLED` set to False every operation goes to PyTorch, and ``summarize`` gives the same
rows, stages and totals: ``tests/test_meta_shapes.py`` checks it on one model per family.

The three argument readers at the top (:func:`arg`, :func:`pair`, :func:`tensors`) read a torch
function's call; :mod:`lab.inspect` uses them too, to read the same calls for receptive fields.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterator, Sequence

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from lab.layer_math import max_pool_padding, window_positions

ENABLED = True  # False: every operation and initialiser goes to PyTorch (the same numbers, slower)


# ------------------------------------------------------------------------------------ reading a call


def arg(args: tuple, kwargs: dict, i: int, name: str, default: Any = None) -> Any:
    """Argument ``i`` of a call, passed by position or as ``name=``; ``default`` when absent."""
    if len(args) > i:
        return args[i]
    return kwargs.get(name, default)


def pair(v: Any, default: Any = None) -> tuple[Any, Any]:
    """A (height, width) pair from an int or a sequence; ``default`` for None or an empty sequence."""
    if v is None or (isinstance(v, (tuple, list)) and len(v) == 0):
        v = default
    if isinstance(v, (tuple, list)):
        return (v[0], v[-1])
    return (v, v)


def tensors(args: tuple, kwargs: dict) -> Iterator[torch.Tensor]:
    """The tensors of a call, also those inside a tuple or list argument (``torch.cat``)."""
    for a in (*args, *kwargs.values()):
        if isinstance(a, torch.Tensor):
            yield a
        elif isinstance(a, (tuple, list)):
            yield from (t for t in a if isinstance(t, torch.Tensor))


# ------------------------------------------------------------------------------------ building


_INIT_METHODS = {
    "normal_", "uniform_", "trunc_normal_", "zero_", "fill_", "erfinv_", "mul_", "add_", "sub_", "div_",
    "clamp_", "copy_", "exponential_", "bernoulli_", "random_", "log_normal_", "cauchy_", "geometric_",
    "sqrt_", "orthogonal_",
}


class SkipMetaInit(TorchFunctionMode):
    """While building on the meta device, make in-place initialisation of meta tensors a no-op."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if ENABLED and getattr(func, "__name__", "") in _INIT_METHODS:
            target = args[0] if args else kwargs.get("tensor")  # nn.init passes the tensor by keyword
            if isinstance(target, torch.Tensor) and target.is_meta:
                return target
        return func(*args, **kwargs)


# ------------------------------------------------------------------------------------ shape functions


def _meta(shape: Sequence[int], like: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    return torch.empty(tuple(shape), dtype=dtype or like.dtype, device="meta")


def _check_collapse(x: torch.Tensor, hw: list[int]) -> None:
    if min(hw) < 1:
        raise RuntimeError(f"a {x.shape[2]}×{x.shape[3]} map is smaller than the window: the output would be "
                           f"{hw[0]}×{hw[1]}")


def _same_shape(args: tuple, kwargs: dict) -> torch.Tensor | None:
    return _meta(args[0].shape, args[0])


def _conv2d(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, w = args[0], args[1]
    stride, padding, dilation = (pair(arg(args, kwargs, i, n, dflt)) for i, n, dflt in
                                 ((3, "stride", 1), (4, "padding", 0), (5, "dilation", 1)))
    groups = arg(args, kwargs, 6, "groups", 1)
    if x.dim() != 4 or w.dim() != 4 or x.shape[1] != w.shape[1] * groups or isinstance(padding[0], str):
        return None  # unbatched, wrong channels or padding="same"/"valid": let PyTorch decide
    hw = [window_positions(x.shape[2 + i], w.shape[2 + i], stride[i], padding[i], dilation[i]) for i in (0, 1)]
    _check_collapse(x, hw)
    return _meta((x.shape[0], w.shape[0], *hw), x)


def _pool2d(args: tuple, kwargs: dict, dilated: bool) -> torch.Tensor | None:
    x = args[0]
    k = pair(arg(args, kwargs, 1, "kernel_size"))
    s = pair(arg(args, kwargs, 2, "stride"), k)
    p = pair(arg(args, kwargs, 3, "padding", 0))
    d = pair(arg(args, kwargs, 4, "dilation", 1)) if dilated else (1, 1)
    ceil_mode = arg(args, kwargs, 5 if dilated else 4, "ceil_mode", False)
    if x.dim() != 4 or (dilated and arg(args, kwargs, 6, "return_indices", False)) or \
            any(p[i] > max_pool_padding(k[i]) for i in (0, 1)):
        return None
    hw = [window_positions(x.shape[2 + i], k[i], s[i], p[i], d[i], ceil_mode) for i in (0, 1)]
    _check_collapse(x, hw)
    return _meta((*x.shape[:2], *hw), x)


def _adaptive_pool2d(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, size = args[0], pair(arg(args, kwargs, 1, "output_size"))
    if x.dim() != 4 or arg(args, kwargs, 2, "return_indices", False) or min(x.shape[2:]) < 1:
        return None
    return _meta((*x.shape[:2], *(x.shape[2 + i] if size[i] is None else size[i] for i in (0, 1))), x)


def _broadcast(args: tuple, kwargs: dict) -> torch.Tensor | None:
    operands = [a for a in args[:2] if isinstance(a, torch.Tensor)]
    if "out" in kwargs or len(args) < 2 or not all(isinstance(a, (torch.Tensor, int, float)) for a in args[:2]):
        return None
    shapes = [tuple(t.shape) for t in operands]
    n = max(len(sh) for sh in shapes)
    out = []
    for dims in zip(*[(1,) * (n - len(sh)) + sh for sh in shapes]):
        big = max(dims)
        if any(d not in (1, big) for d in dims):
            return None  # not broadcastable: PyTorch raises
        out.append(big)
    return _meta(out, operands[0], torch.result_type(args[0], args[1]))


def _inplace(out: torch.Tensor | None, target: torch.Tensor) -> torch.Tensor | None:
    return target if out is not None and out.shape == target.shape else None


def _cat(args: tuple, kwargs: dict) -> torch.Tensor | None:
    parts, dim = list(args[0]), arg(args, kwargs, 1, "dim", 0)
    if "out" in kwargs or not parts or len({t.dim() for t in parts}) != 1 or len({t.dtype for t in parts}) != 1:
        return None
    dim %= parts[0].dim()
    rest = {tuple(t.shape[:dim]) + tuple(t.shape[dim + 1:]) for t in parts}
    if len(rest) != 1:
        return None
    shape = list(parts[0].shape)
    shape[dim] = sum(t.shape[dim] for t in parts)
    return _meta(shape, parts[0])


def _mean(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, dims, keep = args[0], arg(args, kwargs, 1, "dim"), arg(args, kwargs, 2, "keepdim", False)
    if dims is None or "dtype" in kwargs or "out" in kwargs:
        return None
    dims = {d % x.dim() for d in ((dims,) if isinstance(dims, int) else dims)}
    return _meta([1 if i in dims else n for i, n in enumerate(x.shape) if keep or i not in dims], x)


def _linear(args: tuple, kwargs: dict) -> torch.Tensor | None:
    x, w = args[0], arg(args, kwargs, 1, "weight")
    if x.dim() < 1 or w.dim() != 2 or x.shape[-1] != w.shape[1]:
        return None
    return _meta((*x.shape[:-1], w.shape[0]), x)


SHAPES: dict[Callable, Callable[[tuple, dict], torch.Tensor | None]] = {
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


def call(func: Callable, args: tuple, kwargs: dict) -> Any:
    """``func(*args, **kwargs)`` on meta tensors, answered by a shape function where there is one."""
    shape_fn = SHAPES.get(func) if ENABLED else None
    if shape_fn is not None and args and isinstance(args[0], (torch.Tensor, list, tuple)) and \
            all(t.is_meta for t in tensors(args, kwargs)):
        out = shape_fn(args, kwargs)
        if out is not None:
            return out
    return func(*args, **kwargs)


class ShapeOnly(TorchFunctionMode):
    """Run a meta forward pass with the shape functions and nothing else (the size search)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return call(func, args, kwargs or {})
