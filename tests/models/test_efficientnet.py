"""EfficientNet B0–B7 (lab/models/efficientnet.py): parity with torchvision, the paper's tables, the
course's figures."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn as nn
import torchvision.models as tvm

from lab.inspect import summarize
from lab.models import create_model, get_entry, list_models, model_info
from lab.models.efficientnet import B0_STAGES, VARIANTS, EfficientNet, MBConv, StochasticDepth
from tests.course_figures import EFFICIENTNET_STAGE_CHANNELS
from tests.models.parity import count_macs, leaf_layers, max_output_diff, meta_model, num_params, randomize_batchnorm

EFFICIENTNETS = [f"efficientnet_b{i}" for i in range(8)]


def _stage_channels(model: nn.Module) -> list[int]:
    """Output channels of the 9 stages of paper Table 1: stem, 7 MBConv stages, head conv."""
    f = model.features
    return [f[0][0].out_channels] + [s[-1].block[-1][0].out_channels for s in f[1:8]] + [f[8][0].out_channels]


def test_registered_in_course_order():
    assert [n for n in list_models() if n.startswith("efficientnet")] == EFFICIENTNETS


@pytest.mark.parametrize("name", EFFICIENTNETS)
def test_matches_torchvision(name):
    torch.manual_seed(0)
    theirs = getattr(tvm, name)(weights=None)
    randomize_batchnorm(theirs)
    # Build lab's on the meta device and take torchvision's tensors (assign=True): the strict load still
    # checks every key and shape, without initialising and copying B7's 66M parameters a second time.
    ours = meta_model(name)
    assert num_params(ours) == num_params(theirs)
    assert leaf_layers(ours) == leaf_layers(theirs)  # strides, SiLU, BN eps/momentum, dropout, drop-path p
    ours.load_state_dict(theirs.state_dict(), strict=True, assign=True)
    x = torch.randn(1, 3, 32, 32)  # 32 px still passes every stride (the last stages see 1×1 maps); B7 stays fast
    assert max_output_diff(ours, theirs, x) < 1e-4


@pytest.mark.parametrize("name", EFFICIENTNETS)
def test_card_matches_torchvision_weights_metadata(name):
    """torchvision publishes num_params and GFLOPS (multiply-adds, at its crop size) with its weights."""
    model = meta_model(name)
    info = model_info(name)
    crop = get_entry(name).weights.preprocessing.crop_size
    assert info.num_params == num_params(model)
    assert round(count_macs(model, crop) / 1e9, 3) == pytest.approx(info.gflops)


# Paper Table 2: parameters (millions) and FLOPs (billions of multiply-adds) at each variant's resolution.
PAPER_TABLE2 = {
    "efficientnet_b0": (5.3, 0.39),
    "efficientnet_b1": (7.8, 0.70),
    "efficientnet_b2": (9.2, 1.0),
    "efficientnet_b3": (12, 1.8),
    "efficientnet_b4": (19, 4.2),
    "efficientnet_b5": (30, 9.9),
    "efficientnet_b6": (43, 19),
    "efficientnet_b7": (66, 37),
}


@pytest.mark.parametrize("name", EFFICIENTNETS)
def test_params_and_flops_match_paper_table2(name):
    """Within 5%: torchvision's symmetric padding and SE widths differ slightly from the TensorFlow models."""
    params, gflops = PAPER_TABLE2[name]
    model = meta_model(name)
    side = get_entry(name).input_size[1]
    assert side == VARIANTS[name[-2:]].resolution
    assert num_params(model) / 1e6 == pytest.approx(params, rel=0.02)
    assert summarize(model, (3, side, side)).total_macs / 1e9 == pytest.approx(gflops, rel=0.05)


@pytest.mark.parametrize("name", EFFICIENTNETS)
def test_width_and_depth_scaling_match_course_notes(name):
    """Channels × w rounded to a multiple of 8; layers per stage ⌈d·L̂_i⌉ (B6 stage 7: ⌈4 × 2.6⌉ = 11)."""
    model = meta_model(name)
    assert _stage_channels(model) == EFFICIENTNET_STAGE_CHANNELS[name[-2:].upper()]  # course notes, e.g. B6 stem 56
    depth = VARIANTS[name[-2:]].depth
    assert [len(s) for s in model.features[1:8]] == [math.ceil(depth * row[-1]) for row in B0_STAGES]
    if name == "efficientnet_b6":
        assert len(model.features[6]) == 11


def test_b0_follows_paper_table1():
    """16 MBConv blocks; 224 -> 112 (stem) -> 112, 56, 28, 14, 14, 7, 7 after stages 2–8."""
    model = meta_model("efficientnet_b0")
    assert sum(isinstance(m, MBConv) for m in model.modules()) == 16  # course notes: 16 MBConv blocks
    kernels = [s[0].block[-3][0].kernel_size[0] for s in model.features[1:8]]  # the depthwise conv
    assert kernels == [row[1] for row in B0_STAGES] == [3, 3, 5, 3, 5, 5, 3]
    sides = []
    for stage in model.features:
        stage.register_forward_hook(lambda m, i, o: sides.append(o.shape[-1]))
    model(torch.empty(1, 3, 224, 224, device="meta"))
    assert sides == [112, 112, 56, 28, 14, 14, 7, 7, 7]
    # MBConv1 has no expansion conv; MBConv6 expands 6×; SE squeezes to a quarter of the block's input.
    first, second = model.features[1][0], model.features[2][0]
    assert len(first.block) == 3 and second.block[0][0].out_channels == 6 * 16
    assert second.block[2].fc1.out_channels == 16 // 4
    assert isinstance(second.block[0][2], nn.SiLU)


@pytest.mark.parametrize("name", EFFICIENTNETS)
def test_variant_settings(name):
    s = VARIANTS[name[-2:]]
    entry = get_entry(name)
    assert entry.input_size == (3, s.resolution, s.resolution)
    assert entry.cam_layer == "features" and entry.tv_weights == f"EfficientNet_B{name[-1]}_Weights"
    model = meta_model(name)
    assert model.classifier[0].p == s.dropout
    # Stochastic depth grows linearly with depth, from 0 to just below 0.2.
    ps = [m.p for m in model.modules() if isinstance(m, StochasticDepth)]
    assert ps[0] == 0 and ps == sorted(ps) and 0.18 < ps[-1] < 0.2
    tf_bn = name in ("efficientnet_b5", "efficientnet_b6", "efficientnet_b7")
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    assert all((m.eps, m.momentum) == ((1e-3, 0.01) if tf_bn else (1e-5, 0.1)) for m in bns)


def test_num_classes_sets_the_output():
    torch.manual_seed(0)
    model = create_model("efficientnet_b0", num_classes=10).eval()
    with torch.no_grad():
        assert model(torch.randn(2, 3, 64, 64)).shape == (2, 10)
    b7 = meta_model("efficientnet_b7", num_classes=10)
    assert b7(torch.empty(2, 3, 64, 64, device="meta")).shape == (2, 10)


def test_general_constructor_takes_any_multipliers():
    """The Scaling tab's network: arbitrary width and depth, trained or not, still a working classifier."""
    torch.manual_seed(0)
    model = EfficientNet(width_mult=0.5, depth_mult=0.5, dropout=0.1, num_classes=5).eval()
    assert [len(s) for s in model.features[1:8]] == [1, 1, 1, 2, 2, 2, 1]
    assert _stage_channels(model) == [16, 8, 16, 24, 40, 56, 96, 160, 640]
    with torch.no_grad():
        assert model(torch.randn(1, 3, 64, 64)).shape == (1, 5)


def test_stochastic_depth_drops_whole_samples_while_training():
    torch.manual_seed(0)
    drop = StochasticDepth(0.5)
    x = torch.ones(64, 3, 4, 4)
    y = drop(x)
    per_sample = y.flatten(1)
    assert set(per_sample.unique().tolist()) == {0.0, 2.0}  # survivors scaled by 1/(1-p)
    assert (per_sample == per_sample[:, :1]).all()  # one decision per sample
    assert torch.equal(drop.eval()(x), x)
    # p = 1 always skips the residual branch: the block becomes the identity.
    block = MBConv(16, 16, 6, 3, 1, stochastic_depth_prob=1.0, norm_layer=nn.BatchNorm2d).train()
    x = torch.randn(2, 16, 8, 8)
    assert torch.equal(block(x), x)


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError, match="width_mult and depth_mult must be positive"):
        EfficientNet(width_mult=0.0)
    with pytest.raises(ValueError, match="stochastic_depth_prob"):
        create_model("efficientnet_b0", stochastic_depth_prob=1.5)
    with pytest.raises(ValueError, match="accepts only width_mult, depth_mult"):
        create_model("efficientnet_b0", expansion=2.0)


def test_builders_take_width_and_depth_overrides():
    """efficientnet_b0 with B4's multipliers is B4's network (B4 keeps PyTorch's BN defaults)."""
    with torch.device("meta"):
        b4 = create_model("efficientnet_b4")
        custom = create_model("efficientnet_b0", width_mult=1.4, depth_mult=1.8, dropout=0.4)
    assert [(k, v.shape) for k, v in custom.state_dict().items()] == [(k, v.shape) for k, v in b4.state_dict().items()]
    with pytest.raises(ValueError):
        create_model("efficientnet_b0", dropout=-0.1)
