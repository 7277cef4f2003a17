"""lab.scaling against the course notes, the papers, torchvision and lab.inspect."""
from __future__ import annotations

import math

import pytest
import torch
import torchvision

from lab import scaling as S
from lab.inspect import summarize
from lab.models import create_model, model_info
from tests.course_figures import (
    EFFICIENTNET_B0_TABLE, EFFICIENTNET_SETTINGS, EFFICIENTNET_STAGE_CHANNELS, MOBILENET_V1_PAPER,
)
from tests.models.parity import num_params

B0_LAYERS = [1, 1, 2, 2, 3, 3, 4, 1, 1]


# ------------------------------------------------------------------------------------------ compound


def test_compound_is_alpha_beta_gamma_to_the_phi():
    assert S.compound(0) == (1.0, 1.0, 224)
    w, d, r = S.compound(1)
    assert (w, d, r) == (pytest.approx(1.1), pytest.approx(1.2), 258)  # 224·1.15 = 257.6 → 258
    w, d, r = S.compound(3, alpha=1.3, beta=1.05, gamma=1.2)
    assert w == pytest.approx(1.05**3) and d == pytest.approx(1.3**3) and r == round(224 * 1.2**3)
    # §3.3: α·β²·γ² ≈ 2, so (α·β²·γ²)^φ about doubles per step.
    assert S.flops_factor(1) == pytest.approx(1.2 * 1.1**2 * 1.15**2) == pytest.approx(1.9203, abs=1e-4)


@pytest.mark.parametrize("kwargs", [dict(phi=9), dict(phi=-1), dict(phi=1, alpha=0.9), dict(phi=1, gamma=2.5),
                                    dict(phi=float("nan"))])
def test_compound_rejects_values_outside_its_ranges(kwargs):
    with pytest.raises(ValueError, match="range|number"):
        S.compound(**kwargs)


def test_presets_are_the_notes_table():
    assert {k: (p.width, p.depth, p.resolution, p.dropout) for k, p in S.PRESETS.items()} == EFFICIENTNET_SETTINGS


def test_compound_only_approximates_the_published_b1_b7():
    rows = S.family_table()
    assert [r.name for r in rows] == list(EFFICIENTNET_SETTINGS)
    assert rows[0].official == rows[0].compound == (1.0, 1.0, 224)
    assert rows[1].official == (1.0, 1.1, 240) and rows[1].compound[2] == 258  # hand-tuned vs formula
    # torchvision's published top-1 grows from B0 to B7 and B0 is the known 77.692 %.
    accs = [r.acc1 for r in rows]
    assert accs[0] == pytest.approx(77.692) and accs == sorted(accs)
    assert rows[2].tv_resolution == 288  # torchvision evaluates B2 at 288 px, not 260


# ------------------------------------------------------------------------------------------ the network


@pytest.mark.parametrize("name", list(EFFICIENTNET_SETTINGS))
def test_official_settings_reproduce_create_model_and_torchvision(name):
    w, d, _, dropout = EFFICIENTNET_SETTINGS[name]
    with torch.device("meta"):
        ours = S.efficientnet(w, d, dropout=dropout)
        registered = create_model(f"efficientnet_{name.lower()}")
        tv = getattr(torchvision.models, f"efficientnet_{name.lower()}")()
    shapes = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    for other in (registered, tv):
        assert shapes == {k: tuple(v.shape) for k, v in other.state_dict().items()}
        assert num_params(ours) == num_params(other)
    assert ours.classifier[0].p == dropout
    bn = [(m.eps, m.momentum) for m in ours.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for other in (registered, tv):
        assert bn == [(m.eps, m.momentum) for m in other.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert bn[0] == ((1e-3, 0.01) if name in ("B5", "B6", "B7") else (1e-5, 0.1))


@pytest.mark.parametrize("name", list(EFFICIENTNET_SETTINGS))
def test_stage_table_of_every_preset_matches_the_notes(name):
    w, d, r, _ = EFFICIENTNET_SETTINGS[name]
    stages = S.efficientnet_cost(w, d, r).stages
    assert [s.stage for s in stages] == list(range(1, 10))
    assert [s.operator for s in stages] == [row[1] for row in EFFICIENTNET_B0_TABLE]
    assert [s.kernel for s in stages] == [3, 3, 3, 5, 3, 5, 5, 3, 1]
    assert [s.stride for s in stages] == [2, 1, 2, 2, 2, 1, 2, 1, 1]
    assert [s.channels for s in stages] == EFFICIENTNET_STAGE_CHANNELS[name]  # B0: Table 1's channels column
    # Layers: ceil(L·d) for the MBConv stages; the notes' example: B6's stage 7 has ceil(4 × 2.6) = 11.
    assert [s.layers for s in stages] == [1] + [math.ceil(n * d) for n in B0_LAYERS[1:8]] + [1]
    if name == "B6":
        assert stages[6].layers == 11
    # ...and the built network has exactly those blocks.
    with torch.device("meta"):
        model = S.efficientnet(w, d)
    assert [len(model.features[i]) for i in range(1, 8)] == [s.layers for s in stages[1:8]]


def test_b0_stage_table_is_paper_table_1():
    stages = S.efficientnet_cost(1.0, 1.0, 224).stages
    assert [(s.stage, s.operator, s.input_resolution, s.channels, s.layers) for s in stages] == EFFICIENTNET_B0_TABLE


# ------------------------------------------------------------------------------------------ counting


@pytest.mark.parametrize("name", list(EFFICIENTNET_SETTINGS))
def test_cost_matches_torchvision_metadata(name):
    """torchvision publishes parameters and GFLOPS (= GMACs) for B0–B7 at its evaluation size."""
    info = model_info(f"efficientnet_{name.lower()}")
    row = next(r for r in S.family_table() if r.name == name)
    w, d, _, _ = EFFICIENTNET_SETTINGS[name]
    cost = S.efficientnet_cost(w, d, row.tv_resolution)
    assert cost.params == info.num_params
    assert round(cost.gmacs, 3) == pytest.approx(info.gflops, abs=1e-9)
    assert cost.gflops == pytest.approx(2 * cost.gmacs)


@pytest.mark.parametrize("config", [(1.0, 1.0, 224), (2.0, 3.1, 600), (0.25, 0.25, 32), (1.37, 2.21, 333),
                                    (3.3, 0.6, 97)])
def test_cost_equals_lab_inspect_on_the_built_network(config):
    w, d, r = config
    cost = S.efficientnet_cost(w, d, r)
    with torch.device("meta"):
        model = S.efficientnet(w, d)
    summary = summarize(model, (3, r, r))
    assert (cost.params, cost.macs) == (summary.total_params, summary.total_macs)
    assert cost.peak_activation_mb == pytest.approx(S.peak_activation_mb(summary.rows), rel=1e-12)
    # Per stage: stage i is features[i-1]; stage 9 also holds the classifier.
    for stage in cost.stages:
        prefixes = (f"features.{stage.stage - 1}.",) + (("classifier.",) if stage.stage == 9 else ())
        rows = [x for x in summary.rows if x.name.startswith(prefixes)]
        assert sum(x.macs for x in rows) == stage.macs, stage
    for stage in cost.stages:  # the input resolution column is the real map entering each stage
        first = next(x for x in summary.rows if x.name.startswith(f"features.{stage.stage - 1}."))
        assert first.input_shape[1:] == (stage.input_resolution, stage.input_resolution)


def test_peak_activation_is_twice_the_widest_map_in_float32():
    # B0: stage 3's first 1×1 expansion makes 16·6 = 96 channels at 112×112; its BN reads and writes them.
    cost = S.efficientnet_cost(1.0, 1.0, 224)
    assert cost.peak_activation_mb == 2 * 96 * 112 * 112 * 4 / 1e6
    assert cost.peak_activation_where.startswith("stage 3, layer 1")


def test_measured_inspect_check_agrees():
    m = S.inspect_efficientnet(1.1, 1.2, 258)
    cost = S.efficientnet_cost(1.1, 1.2, 258)
    assert (m.params, m.macs, m.peak_activation_mb) == (cost.params, cost.macs, cost.peak_activation_mb)
    assert m.seconds > 0


@pytest.mark.parametrize("args, word", [((4.5, 1.0, 224), "width_mult"), ((1.0, 0.1, 224), "depth_mult"),
                                        ((1.0, 1.0, 2000), "resolution"), ((1.0, 1.0, 224.5), "whole number"),
                                        ((float("nan"), 1.0, 224), "width_mult")])
def test_out_of_range_settings_are_refused_with_a_sentence(args, word):
    with pytest.raises(ValueError, match=word) as e:
        S.efficientnet_cost(*args)
    assert str(e.value).endswith(".")


def test_scaling_one_dimension_at_a_time():
    curves = S.scaling_curves()
    b0 = S.efficientnet_cost(1.0, 1.0, 224).macs
    assert {v[0] for v in curves.macs.values()} == {b0}  # φ = 0 is B0 for every curve
    i = curves.phis.index(7.0)
    ratio = {k: v[i] / b0 for k, v in curves.macs.items()}
    _, _, r = S.compound(7.0)
    # A convolution's cost grows as w², d and r²: resolution alone follows r² closely, width alone β^{2φ}.
    assert ratio["resolution only"] == pytest.approx((r / 224) ** 2, rel=0.05)
    assert ratio["width only"] == pytest.approx(1.1**14, rel=0.10)
    assert ratio["depth only"] == pytest.approx(1.2**7, rel=0.15)
    # Compound: about (α·β²·γ²)^φ ≈ 1.92^7 ≈ 96×, far beyond any single dimension.
    assert ratio["compound"] == pytest.approx(S.flops_factor(7.0), rel=0.10)
    assert ratio["compound"] > 10 * max(ratio["resolution only"], ratio["width only"], ratio["depth only"])
    assert curves.predicted[i] == pytest.approx(b0 * S.flops_factor(7.0))


def test_curves_stop_where_a_setting_leaves_the_ranges():
    curves = S.scaling_curves(alpha=2.0)
    depth = dict(zip(curves.phis, curves.macs["depth only"]))
    assert depth[3.0] is not None and depth[3.25] is None  # 2^3 = 8 is the largest depth accepted
    assert all(m is not None for m in curves.macs["width only"])


def test_as_dict_is_plain_json():
    import json

    d = S.efficientnet_cost(1.0, 1.0, 224).as_dict()
    assert json.loads(json.dumps(d))["macs"] == 385_814_752  # torchvision: 0.386 GFLOPS for B0
    assert len(d["stages"]) == 9 and d["stages"][0]["operator"] == "Conv3x3"


# ------------------------------------------------------------------------------------------ MobileNet v1


@pytest.mark.parametrize("alpha, rho", [(1.0, 1.0), (0.75, 6 / 7), (0.5, 5 / 7), (0.25, 4 / 7), (0.3, 1.0),
                                        (0.65, 3 / 7)])
def test_mobilenet_formula_agrees_with_lab_inspect_layer_by_layer(alpha, rho):
    c = S.mobilenet_v1_costs(alpha, rho)
    assert len(c.layers) == 15  # stem, 13 separable layers, FC
    for row in c.layers:
        assert row.formula_macs == row.measured_macs, row
    assert c.formula_macs == c.measured_macs
    for row in c.layers[1:-1]:
        assert row.ratio == pytest.approx(1 / row.out_channels + 1 / 9)
        assert row.formula_macs == 3 * 3 * row.in_channels * row.feature**2 + row.in_channels * row.out_channels * row.feature**2


@pytest.mark.parametrize("alpha, side, mult_adds, params",  # MobileNet paper, Tables 6 and 7
                         [(*setting, *cost) for setting, cost in MOBILENET_V1_PAPER.items()])
def test_mobilenet_totals_match_the_paper(alpha, side, mult_adds, params):
    c = S.mobilenet_v1_costs(alpha, side / 224)
    assert c.resolution == side
    assert c.measured_macs / 1e6 == pytest.approx(mult_adds, abs=1)
    assert c.params / 1e6 == pytest.approx(params, abs=0.05)
    assert c.base_macs == 568_740_352


@pytest.mark.parametrize("alpha, rho, word", [(1.0, 0.9, "multiple of 32"), (1.2, 1.0, "outside"),
                                              (0.1, 1.0, "outside"), (1.0, 1.5, "multiple of 32")])
def test_mobilenet_refuses_settings_the_formula_cannot_match(alpha, rho, word):
    with pytest.raises(ValueError, match=word):
        S.mobilenet_v1_costs(alpha, rho)


def test_agreement_rules():
    cost = S.efficientnet_cost(1.0, 1.0, 224)
    m = S.Measured(cost.params, cost.macs, cost.peak_activation_mb, 0.1)
    assert m.agrees(cost) and not S.Measured(cost.params, cost.macs + 1, 0.0, 0.1).agrees(cost)
    c = S.mobilenet_v1_costs(1.0, 1.0)
    assert c.agrees and all(row.agrees for row in c.layers)
    assert all(r.plotted for r in S.family_table())  # torchvision publishes B0–B7's top-1 and GMACs
