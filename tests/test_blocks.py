"""lab.blocks: the course's blocks side by side, built as real modules, hold the notes' numbers."""
from __future__ import annotations

import pytest
import torch

from lab import blocks
from lab.layer_math import separable_ratio


def _rows(name, channels=None, side=None):
    return {r.label: r for r in blocks.compare(name, channels, side)}


def test_three_3x3_against_one_7x7_is_27_against_49_c_squared():
    for c in (64, 128):
        three, seven = blocks.compare("vgg_stack", c)
        assert (three.conv_weights, seven.conv_weights) == (27 * c * c, 49 * c * c)
        assert three.receptive_field == seven.receptive_field == 7  # the same field (the notes' point)


def test_the_bottleneck_is_the_notes_69632_against_589824():
    r = _rows("bottleneck")
    assert r["one 3×3 convolution"].conv_weights == 589_824
    assert r["bottleneck 256→64→64→256"].conv_weights == 69_632
    assert all(row.conv_weights == row.notes_value for row in r.values() if row.notes_value is not None)


def test_inception_3a_with_reductions_outputs_the_notes_256_channels_and_costs_less():
    naive, reduced = blocks.compare("inception")
    assert reduced.output_shape == (256, 28, 28)  # 64 + 128 + 32 + 32
    assert naive.output_shape == (64 + 128 + 32 + 192, 28, 28)  # the pool passes all 192 channels on
    assert reduced.macs < 0.5 * naive.macs


def test_a_dense_block_grows_by_k_per_layer():
    for row, layers in zip(blocks.compare("dense", 64), (1, 3, 6)):
        assert row.output_shape[0] == 64 + 32 * layers


def test_separable_costs_one_over_n_plus_one_over_dk_squared_of_standard():
    standard, separable = blocks.compare("separable", 256, 14)
    assert separable.conv_weights == 9 * 256 + 256 * 256
    assert separable.macs / standard.macs == pytest.approx(separable_ratio(256, 3))


def test_se_adds_few_weights_and_no_spatial_work():
    r = _rows("se")
    plain, se = r["3×3 convolution"], r["3×3 convolution + SE (r = 16)"]
    assert se.params - plain.params == 2 * 40 * 2 + 2 + 40  # fc1 40→2, fc2 2→40, their biases
    assert r["MBConv6 k3 with SE"].params > r["MBConv6 k3 without SE"].params


@pytest.mark.parametrize("name", list(blocks.COMPARISONS))
def test_every_block_runs_for_real_with_the_shape_it_reports(name):
    cmp = blocks.COMPARISONS[name]
    c, side = max(8, cmp.channels // 4 // 4 * 4), 16  # small, so a CPU forward pass is instant
    for built, row in zip(cmp.build(c, side), blocks.compare(name, c, side)):
        with torch.no_grad():
            out = built.module.eval()(torch.randn(2, c, side, side))
        assert tuple(out.shape[1:]) == row.output_shape, built.label
        assert sum(p.numel() for p in built.module.parameters()) == row.params


def test_sizes_out_of_range_are_a_sentence():
    with pytest.raises(ValueError, match="multiple of 4"):
        blocks.compare("vgg_stack", 3)
    with pytest.raises(ValueError, match="Unknown block comparison"):
        blocks.compare("nope")


def test_a_label_is_its_template_filled_in():
    rows = blocks.compare("bottleneck", 128)
    assert rows[-1].label == "bottleneck 128→32→32→128" and rows[-1].template == "bottleneck {c}→{b}→{b}→{c}"
    assert [r.label for r in blocks.compare("dense")] == [f"dense block, {n} layers, k = 32" for n in (1, 3, 6)]
    assert rows[0].template == rows[0].label and rows[0].values == {}
