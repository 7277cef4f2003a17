"""Folded views show the block, not its last branch (issue 12, item 1): every folded row at every depth and
every stage reports the output of the module it stands for, as a forward pass with hooks on that module sees
it, and the stage receptive fields are the published ones."""
from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from lab.inspect import summarize, usual_input_size
from lab.models import create_model, list_models


def _module_outputs(model: nn.Module, x: torch.Tensor) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """Each module's input and output shape (without the batch; its last call) in a plain forward pass."""
    ins, outs, handles = {}, {}, []
    for name, m in model.named_modules():
        def hook(mod, args, out, name=name):
            first = out if isinstance(out, torch.Tensor) else next(
                (t for t in (out if isinstance(out, (tuple, list)) else ()) if isinstance(t, torch.Tensor)), None)
            x_in = next((a for a in args if isinstance(a, torch.Tensor)), None)
            if first is not None:
                outs[name] = tuple(first.shape[1:])
            if x_in is not None:
                ins[name] = tuple(x_in.shape[1:])
        handles.append(m.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return ins, outs


def _forward_shapes(name: str, device: str) -> tuple[tuple, dict, dict]:
    size = usual_input_size(name)
    if device == "meta":
        with torch.device("meta"):
            model = create_model(name).eval()
    else:
        torch.manual_seed(0)
        model = create_model(name).eval()
    return (size, *_module_outputs(model, torch.zeros(1, *size, device=device)))


@pytest.mark.parametrize("name", list_models())
def test_every_folded_row_and_stage_is_its_modules_own_output(name):
    size, ins, outs = _forward_shapes(name, "meta")
    s = summarize(name, size)
    leaves = {r.name for r in s.rows if not r.kind.endswith("(own operations)")}
    checked = 0
    for depth in range(1, s.max_depth + 1):
        for row in s.fold(depth):
            if row.name in leaves or row.name not in outs:
                continue
            assert (row.name, row.output_shape) == (row.name, outs[row.name]), depth
            assert (row.name, row.input_shape) == (row.name, ins[row.name]), depth
            checked += 1
    for st in s.stages:
        ran = [m for m in st.modules if m in outs]
        if st.ran and ran and st.modules != ("",):
            last = max(ran, key=lambda m: max(i for i, r in enumerate(s.rows)
                                              if r.name == m or r.name.startswith(m + ".")))
            assert (st.name, st.output_shape) == (st.name, outs[last])
    assert checked > 0 or s.max_depth == 1


@pytest.mark.parametrize("name", ["googlenet", "inception_v3", "densenet121"])
def test_the_meta_pass_agrees_with_a_real_one(name):
    _, ins_meta, outs_meta = _forward_shapes(name, "meta")
    _, ins_cpu, outs_cpu = _forward_shapes(name, "cpu")
    assert outs_meta == outs_cpu and ins_meta == ins_cpu


def _stage(s, prefix: str):
    return next(st for st in s.stages if st.name.startswith(prefix))


def test_the_concatenating_blocks_the_course_prints():
    g = summarize("googlenet")
    assert _stage(g, "inception3a").output_shape == (256, 28, 28)  # 64 + 128 + 32 + 32, as the notes add up
    assert [r.output_shape for r in g.fold(1) if r.name == "inception5b"] == [(1024, 7, 7)]
    assert [r.output_shape for r in summarize("inception_v3").fold(1) if r.name == "Mixed_7c"] == [(2048, 8, 8)]
    d = summarize("densenet121")
    assert _stage(d, "features.denseblock1").output_shape == (256, 56, 56)  # 64 + 6 × 32
    assert [r.output_shape for r in d.fold(2) if r.name == "features.denseblock4"] == [(1024, 7, 7)]


def test_stage_receptive_fields_are_the_published_ones():
    # Inception-v3 at 299 px: the receptive fields of its Mixed blocks' outputs (Araujo et al., Distill 2019,
    # Table 1 gives 1311 at Mixed_7c; the widest branch sets the block's field).
    v3 = summarize("inception_v3")
    assert [_stage(v3, p).receptive_field for p in ("Mixed_5b", "Mixed_5c", "Mixed_6b", "Mixed_7b")] == \
        [63, 127, 927, 1311]
    # A block's field at depth 1 is the stage's.
    assert [r.receptive_field for r in v3.fold(1) if r.name == "Mixed_7c"] == [1311]
