"""lab.meta_shapes changes no number, only the time: summaries with and without its shortcuts are the same,
and each shape function agrees with PyTorch on a grid of settings."""
from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from lab import meta_shapes
from lab.inspect import summarize
from lab.models import create_model, get_entry

# One model per family (plus the odd ones out).
FAMILIES = ["lenet5", "alexnet", "vgg11_bn", "nin", "googlenet", "inception_v3", "resnet50", "densenet121",
            "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0"]


@pytest.mark.parametrize("name", ["resnet50", "googlenet", "densenet121", "mobilenet_v3_small", "efficientnet_b0"])
def test_summaries_are_identical_with_the_shortcuts_off(name, monkeypatch):
    """Every row, stage and total, at the model's usual size: the shortcuts decide nothing."""
    fast = summarize(name)
    monkeypatch.setattr(meta_shapes, "ENABLED", False)
    slow = summarize(name)
    assert slow.rows == fast.rows
    assert slow.stages == fast.stages
    assert (slow.total_params, slow.total_macs, slow.output_shape, slow.not_run) == \
        (fast.total_params, fast.total_macs, fast.output_shape, fast.not_run)


@pytest.mark.parametrize("name", FAMILIES)
def test_shape_functions_agree_with_pytorch_meta_kernels(name, monkeypatch):
    """The shortcuts in SHAPES give exactly the shapes PyTorch's own meta kernels give (odd size: ceil_mode)."""
    size = (get_entry(name).input_size[0], 97, 97)
    fast = summarize(name, size)
    monkeypatch.setattr(meta_shapes, "ENABLED", False)
    slow = summarize(name, size)
    assert [(r.name, r.input_shape, r.output_shape) for r in fast.rows] == \
        [(r.name, r.input_shape, r.output_shape) for r in slow.rows]
    assert fast.total_macs == slow.total_macs


def test_window_formulas_match_pytorch_on_a_grid_of_settings():
    """The pooling and convolution shape functions agree with PyTorch on every small setting, including
    ceil_mode's rule that the last window must start inside the input or left padding."""
    for n, k, s, d, ceil in itertools.product(range(1, 9), range(1, 4), range(1, 4), (1, 2), (False, True)):
        for p in range(k // 2 + 1):
            x = torch.zeros(1, 1, n, n)
            try:
                want = tuple(F.max_pool2d(x, k, s, p, d, ceil_mode=ceil).shape)
            except RuntimeError:
                want = None
            try:
                got = tuple(meta_shapes.SHAPES[F.max_pool2d]((x.to("meta"), k, s, p, d, ceil), {}).shape)
            except RuntimeError:
                got = None
            assert got == want, (n, k, s, p, d, ceil)
            w = torch.zeros(2, 1, k, k)
            try:
                want = tuple(F.conv2d(x, w, None, s, p, d).shape)
            except RuntimeError:
                want = None
            try:
                got = tuple(meta_shapes.SHAPES[torch.conv2d]((x.to("meta"), w.to("meta"), None, s, p, d), {}).shape)
            except RuntimeError:
                got = None
            assert got == want, (n, k, s, p, d)


def test_skipping_meta_initialisers_builds_the_same_model():
    with torch.device("meta"), meta_shapes.SkipMetaInit():
        built = create_model("efficientnet_b0")
    with torch.device("meta"):
        plain = create_model("efficientnet_b0")
    assert {k: (v.shape, v.dtype) for k, v in built.state_dict().items()} == \
        {k: (v.shape, v.dtype) for k, v in plain.state_dict().items()}
    assert all(t.is_meta for t in built.state_dict().values())
