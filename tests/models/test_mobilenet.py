"""MobileNet v1/v2/v3 (lab/models/mobilenet.py) and the shared layers: parity with timm / torchvision,
the papers' tables, the course's figures."""
from __future__ import annotations

import pytest
import timm
import torch
import torch.nn as nn
import torchvision.models as tvm

from lab.inspect import summarize
from lab.models import create_model, get_entry, list_models, model_info
from lab.models.layers import ConvBNActivation, SqueezeExcitation, make_divisible
from lab.models.mobilenet import V1_LAYERS, input_size_for, state_dict_from_timm
from lab.models.weights import load_state_dict_into
from tests.course_figures import MOBILENET_V1_PAPER
from tests.models.parity import count_macs, leaf_layers, max_output_diff, meta_model, num_params, randomize_batchnorm

MOBILENETS = ["mobilenet_v1", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small"]
TV_TWINS = ["mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small"]
POOLING = (nn.AdaptiveAvgPool2d,)


def test_registered_in_course_order():
    assert [n for n in list_models() if n.startswith("mobilenet")] == MOBILENETS


# ------------------------------------------------------------------------------------------- shared layers


def test_make_divisible_rounds_to_eights_and_keeps_ninety_percent():
    assert make_divisible(32 * 1.8) == 56  # course notes: 57.6 -> the nearest multiple of 8
    assert make_divisible(32 * 1.1) == 32
    assert make_divisible(16 * 0.25) == 8  # never below the divisor
    assert make_divisible(12) == 16  # 12 -> 8 would lose a third; 16 keeps >= 90%
    assert make_divisible(100, min_value=128) == 128
    assert all(make_divisible(v) % 8 == 0 and make_divisible(v) >= 0.9 * v for v in range(1, 2000))


def test_conv_bn_activation_has_torchvision_layout():
    block = ConvBNActivation(8, 16, 3, stride=2, activation=nn.ReLU6)
    assert [type(m) for m in block] == [nn.Conv2d, nn.BatchNorm2d, nn.ReLU6]
    assert block[0].bias is None and block[0].padding == (1, 1)
    assert block(torch.randn(1, 8, 10, 10)).shape == (1, 16, 5, 5)
    assert len(ConvBNActivation(8, 16, 1, activation=None)) == 2


def test_squeeze_excitation_gates_each_channel():
    se = SqueezeExcitation(8, 2)
    assert set(se.state_dict()) == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    x = torch.rand(2, 8, 5, 5)
    scale = se(x) / x  # one gate in (0, 1) per (sample, channel), the same at every position
    assert torch.allclose(scale, scale[:, :, :1, :1].expand_as(scale), atol=1e-6)
    assert (scale > 0).all() and (scale < 1).all()


# ------------------------------------------------------------------------------------------- torchvision twins


@pytest.mark.parametrize("name", TV_TWINS)
@pytest.mark.parametrize("width_mult", [1.0, 0.5])
def test_matches_torchvision(name, width_mult):
    torch.manual_seed(0)
    theirs = getattr(tvm, name)(weights=None, width_mult=width_mult)
    randomize_batchnorm(theirs)
    ours = create_model(name, width_mult=width_mult)
    assert num_params(ours) == num_params(theirs)
    # Same strides, activations, BN eps/momentum, dropout; global pooling is a module in one, a function in the other.
    assert leaf_layers(ours, skip=POOLING) == leaf_layers(theirs, skip=POOLING)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    assert max_output_diff(ours, theirs, torch.randn(2, 3, 64, 64)) < 1e-4


@pytest.mark.parametrize("name", TV_TWINS)
def test_card_matches_torchvision_weights_metadata(name):
    """torchvision publishes num_params and GFLOPS (multiply-adds) with its weights: lab's definition has both."""
    model = meta_model(name)
    info = model_info(name)
    assert info.num_params == num_params(model)
    assert round(count_macs(model) / 1e9, 3) == pytest.approx(info.gflops)


@pytest.mark.parametrize("name", MOBILENETS)
def test_num_classes_sets_the_output(name):
    torch.manual_seed(0)
    model = create_model(name, num_classes=10).eval()
    with torch.no_grad():
        assert model(torch.randn(2, 3, 64, 64)).shape == (2, 10)


@pytest.mark.parametrize("name", MOBILENETS)
def test_cam_layer_is_the_last_feature_map(name):
    """Grad-CAM's default layer outputs the last 7×7 map at 224 px, the one global pooling averages."""
    model = meta_model(name)
    seen = []
    layer = model.get_submodule(get_entry(name).cam_layer)
    handle = layer.register_forward_hook(lambda m, i, o: seen.append(tuple(o.shape)))
    model(torch.empty(1, 3, 224, 224, device="meta"))
    handle.remove()
    first_linear = next(m for m in model.classifier.modules() if isinstance(m, nn.Linear))
    assert seen == [(1, first_linear.in_features, 7, 7)]


def test_pretrained_checkpoint_fits_another_number_of_classes():
    """The fine-tuning path: a 1000-class checkpoint loads into a 10-class model, all but the classifier."""
    checkpoint = tvm.mobilenet_v3_large(weights=None).state_dict()
    skipped = load_state_dict_into(create_model("mobilenet_v3_large", num_classes=10), checkpoint, "v3")
    assert skipped == ["classifier.3.weight", "classifier.3.bias"]


@pytest.mark.parametrize("name", MOBILENETS)
def test_bad_width_is_a_value_error(name):
    with pytest.raises(ValueError, match="width_mult must be a positive number"):
        create_model(name, width_mult=0)
    with pytest.raises(ValueError, match="does not accept"):
        create_model(name, depth_mult=2.0)


# ------------------------------------------------------------------------------------------- v1 and timm


@pytest.mark.parametrize("timm_name, width_mult", [("mobilenetv1_100", 1.0), ("mobilenetv1_125", 1.25)])
def test_v1_matches_timm(timm_name, width_mult):
    torch.manual_seed(0)
    theirs = timm.create_model(timm_name, pretrained=False)
    randomize_batchnorm(theirs)
    ours = create_model("mobilenet_v1", width_mult=width_mult)
    assert num_params(ours) == num_params(theirs)
    ours.load_state_dict(state_dict_from_timm(theirs.state_dict()), strict=True)
    x = 4 * torch.randn(2, 3, 64, 64)  # large enough that some activations pass 6: ReLU6 must match
    assert max_output_diff(ours, theirs, x) < 1e-4


def test_v1_has_timms_parameter_count_and_weights_name():
    assert num_params(meta_model("mobilenet_v1")) == 4_231_976  # timm's mobilenetv1_100
    assert get_entry("mobilenet_v1").timm_weights == "mobilenetv1_100"


def test_state_dict_from_timm_numbers_the_13_layers_after_the_stem():
    renamed = state_dict_from_timm(timm.create_model("mobilenetv1_100").state_dict())
    assert renamed["features.0.0.weight"].shape == (32, 3, 3, 3)  # timm's conv_stem
    assert renamed["features.8.depthwise.0.weight"].shape == (512, 1, 3, 3)  # timm's blocks.3.2.conv_dw
    assert renamed["features.13.pointwise.1.running_var"].shape == (1024,)  # timm's blocks.4.1.bn2
    assert renamed["classifier.weight"].shape == (1000, 1024)
    assert state_dict_from_timm({"conv_head.weight": torch.zeros(1)}) == {"conv_head.weight": torch.zeros(1)}


def test_v1_follows_paper_table1():
    """Table 1: a full conv, then 13 depthwise separable layers; 5 stride-2 steps from 224 to 7."""
    model = meta_model("mobilenet_v1")
    assert len(model.features) == 1 + 13 == 1 + len(V1_LAYERS)
    separable = model.features[1:]
    assert all(b.depthwise[0].groups == b.depthwise[0].in_channels for b in separable)
    assert [b.pointwise[0].out_channels for b in separable] == [64, 128, 128, 256, 256] + [512] * 6 + [1024, 1024]
    seen = []
    model.features.register_forward_hook(lambda m, i, o: seen.append(tuple(o.shape)))
    model(torch.empty(1, 3, 224, 224, device="meta"))
    assert seen == [(1, 1024, 7, 7)]


@pytest.mark.parametrize("width_mult, size", list(MOBILENET_V1_PAPER))
def test_v1_width_and_resolution_multipliers_match_paper(width_mult, size):
    """α thins every layer (cost ~α², parameters ~α²); ρ only shrinks the input (cost ~ρ², same weights)."""
    madds, params = MOBILENET_V1_PAPER[width_mult, size]
    model = meta_model("mobilenet_v1", width_mult=width_mult)
    assert summarize(model, (3, size, size)).total_macs / 1e6 == pytest.approx(madds, rel=0.005)
    assert num_params(model) / 1e6 == pytest.approx(params, abs=0.05)


def test_v1_cost_formula_of_the_paper():
    """The docstring's D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F, summed over Table 1's separable layers."""
    alpha, side = 0.5, 160
    model = meta_model("mobilenet_v1", width_mult=alpha)
    m, d_f, formula = 32 * alpha, side // 2, 0  # after the stride-2 stem
    for stride, n in V1_LAYERS:
        d_f //= stride  # the depthwise conv strides, so both halves work on the smaller map
        formula += 3 * 3 * m * d_f * d_f + m * (alpha * n) * d_f * d_f
        m = alpha * n
    stem = 3 * 3 * 3 * (32 * alpha) * (side // 2) ** 2
    fc = (1024 * alpha) * 1000
    assert summarize(model, (3, side, side)).total_macs == stem + formula + fc


def test_resolution_multiplier_is_an_input_size():
    assert [input_size_for(r)[1] for r in (1, 192 / 224, 160 / 224, 128 / 224)] == [224, 192, 160, 128]
    assert input_size_for(0.5) == (3, 112, 112)
    with pytest.raises(ValueError, match="rho"):
        input_size_for(0)


# ------------------------------------------------------------------------------------------- v2 and v3


def test_v2_follows_paper_table2():
    model = meta_model("mobilenet_v2")
    blocks = list(model.features)[1:-1]
    assert len(blocks) == 1 + 2 + 3 + 4 + 3 + 3 + 1  # the n column
    assert sum(b.use_residual for b in blocks) == 10  # every repeat after the first of its row
    # Linear bottleneck: the projection (last conv) is followed by BN only, no activation.
    assert all(isinstance(b.conv[-1], nn.BatchNorm2d) for b in blocks)
    assert model.features[-1][0].out_channels == 1280
    # §6.1: a thinner network keeps the last 1280-channel layer.
    assert meta_model("mobilenet_v2", width_mult=0.5).features[-1][0].out_channels == 1280


@pytest.mark.parametrize("output_stride, side", [(32, 6), (16, 12), (8, 24)])
def test_v2_output_stride_keeps_the_weights_and_refines_the_map(output_stride, side):
    """§6.3 (DeepLabv3 on MobileNetV2): atrous convolution instead of the last strides. The same
    torchvision weights load strictly; the map is finer; the stages after the last kept stride see as far."""
    model = create_model("mobilenet_v2", output_stride=output_stride).eval()
    reference = tvm.mobilenet_v2()
    model.load_state_dict(reference.state_dict(), strict=True)
    assert num_params(model) == num_params(reference)
    assert model.features(torch.zeros(1, 3, 192, 192)).shape == (1, 1280, side, side)
    depthwise = [m for m in model.features.modules() if isinstance(m, nn.Conv2d) and m.groups > 1]
    strides = [m.stride[0] for m in depthwise]
    assert strides.count(2) == {32: 4, 16: 3, 8: 2}[output_stride]  # the stem's stride is not depthwise
    # Stride given up is dilation gained: every 3x3 tap still lands as far apart, in input pixels, as in
    # the classifier (the spacing a depthwise conv sees = the strides before it x its dilation).
    assert _tap_spacing(model) == _tap_spacing(reference)


def _tap_spacing(model: nn.Module) -> list[int]:
    spacing, before = [], 2  # the stem conv has stride 2
    for m in model.features.modules():
        if isinstance(m, nn.Conv2d) and m.groups > 1:
            spacing.append(before * m.dilation[0])
            before *= m.stride[0]
    return spacing


def test_v2_refuses_other_output_strides():
    with pytest.raises(ValueError, match="8, 16 or 32"):
        create_model("mobilenet_v2", output_stride=4)


def test_v3_follows_paper_tables():
    large, small = meta_model("mobilenet_v3_large"), meta_model("mobilenet_v3_small")
    assert len(large.features) == 1 + 15 + 1 and len(small.features) == 1 + 11 + 1
    se_rows = [any(isinstance(m, SqueezeExcitation) for m in b.modules()) for b in large.features[1:-1]]
    assert se_rows == [False] * 3 + [True] * 3 + [False] * 4 + [True] * 5
    gates = [m.scale_activation for m in large.modules() if isinstance(m, SqueezeExcitation)]
    assert all(isinstance(g, nn.Hardsigmoid) for g in gates)  # h-sigmoid, §5.2
    assert (large.features[-1][0].out_channels, large.classifier[0].out_features) == (960, 1280)
    assert (small.features[-1][0].out_channels, small.classifier[0].out_features) == (576, 1024)
    assert all(m.eps == 1e-3 and m.momentum == 0.01 for m in large.modules() if isinstance(m, nn.BatchNorm2d))


# Papers: v2 300M mult-adds, 3.4M parameters (Table 4); v3 Large 219M / 5.4M, Small 56M / 2.5M (Table 3).
@pytest.mark.parametrize(
    "name, madds, params",
    [("mobilenet_v2", 300, 3.4), ("mobilenet_v3_large", 219, 5.4), ("mobilenet_v3_small", 56, 2.5)],
)
def test_v2_v3_costs_match_papers(name, madds, params):
    """Within 3%: torchvision's layers (which lab copies) differ from the papers' by a few SE/head details."""
    model = meta_model(name)
    assert summarize(model, (3, 224, 224)).total_macs / 1e6 == pytest.approx(madds, rel=0.03)
    assert num_params(model) / 1e6 == pytest.approx(params, rel=0.035)
