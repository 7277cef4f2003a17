"""VGG-11/13/16/19 with and without batch norm: parity with torchvision, and the paper's Tables 1 and 2."""
import math

import pytest
import torch
import torch.nn as nn
from torchvision import models as tvm

from lab.models import create_model, get_entry, list_models, model_info
from lab.models.vgg import VGG_CONFIGS
from tests.models.parity import num_params

NAMES = ["vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"]
# Table 2 of the paper: parameters in millions of nets A, B, D, E (the BN variants add only 2 x channels).
PAPER_MILLIONS = {"11": 133, "13": 133, "16": 138, "19": 144}
# torchvision's published num_params (VGG*_Weights metadata), for 1000 classes.
TORCHVISION_PARAMS = {
    "vgg11": 132_863_336, "vgg13": 133_047_848, "vgg16": 138_357_544, "vgg19": 143_667_240,
    "vgg11_bn": 132_868_840, "vgg13_bn": 133_053_736, "vgg16_bn": 138_365_992, "vgg19_bn": 143_678_248,
}


def depth(name: str) -> str:
    return name[3:5]  # "vgg16_bn" -> "16"


def test_registered_in_course_order():
    names = list_models()
    assert [n for n in names if n.startswith("vgg")] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_parameter_count_table_2(name):
    with torch.device("meta"):  # shapes only: building 140M parameters for real is slow
        ours, theirs = create_model(name), getattr(tvm, name)(weights=None)
    assert num_params(ours) == num_params(theirs) == TORCHVISION_PARAMS[name]
    assert model_info(name).num_params == TORCHVISION_PARAMS[name]  # tv_weights names the right enum
    assert round(num_params(ours) / 1e6) == PAPER_MILLIONS[depth(name)]
    # Table 1: "11 weight layers" etc. count the convolutions and the three fully connected layers.
    weight_layers = [m for m in ours.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    assert len(weight_layers) == int(depth(name))


@pytest.mark.parametrize("name", NAMES)
def test_outputs_match_torchvision(name):
    torch.manual_seed(0)
    # torchvision's random weights (PyTorch's default init, the fastest for 130M parameters) go into ours,
    # built on the meta device and given those very tensors: strict loading still checks every key and shape.
    theirs = getattr(tvm, name)(weights=None, num_classes=10, init_weights=False)
    for module in theirs.modules():  # make BN statistics matter, so a misplaced buffer would show
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
    with torch.device("meta"):
        ours = create_model(name, num_classes=10)
    ours.load_state_dict(theirs.state_dict(), strict=True, assign=True)
    assert not any(t.is_meta for t in [*ours.parameters(), *ours.buffers()])
    ours.eval(), theirs.eval()
    x = torch.randn(2, 3, 32, 32)  # 32 px: five pools give 1x1, the adaptive pool makes 7x7
    with torch.no_grad():
        a, b = ours(x), theirs(x)
    assert a.shape == (2, 10)
    assert a.abs().max() > 1e-3  # the comparison below means something
    assert (a - b).abs().max().item() < 1e-4 * a.abs().max().item()  # outputs are ~0.02: compare relatively
    layers = [(n, type(m)) for n, m in ours.named_modules() if n]  # the roots are each library's class
    assert layers == [(n, type(m)) for n, m in theirs.named_modules() if n]


@pytest.mark.parametrize("name", NAMES)
def test_cam_layer_is_last_relu_before_last_pool(name):
    entry = get_entry(name)
    with torch.device("meta"):
        model = create_model(name).eval()
        index = int(entry.cam_layer.removeprefix("features."))
        assert isinstance(model.get_submodule(entry.cam_layer), nn.ReLU)
        assert isinstance(model.features[index + 1], nn.MaxPool2d) and len(model.features) == index + 2
        # 224 / 2^4 = 14: one pool earlier than the 7x7 output of features
        assert model.features[: index + 1](torch.empty(1, 3, 224, 224)).shape == (1, 512, 14, 14)
    suffix = "_BN_Weights" if name.endswith("_bn") else "_Weights"
    assert entry.tv_weights == f"VGG{depth(name)}{suffix}"


def test_configs_are_table_1():
    # Convolutions per block of columns A, B, D, E: 8, 10, 13, 16 in all.
    assert {k: sum(v) for k, v in VGG_CONFIGS.items()} == {"A": 8, "B": 10, "D": 13, "E": 16}


def test_initialisation_is_torchvision_s():
    torch.manual_seed(0)
    model = create_model("vgg11", num_classes=10)
    first, fc = model.features[0], model.classifier[0]
    # He init with fan_out = 64 x 3 x 3 for the first convolution; N(0, 0.01) for the Linears; zero biases.
    assert first.weight.std().item() == pytest.approx(math.sqrt(2 / (64 * 9)), rel=0.1)
    assert fc.weight.std().item() == pytest.approx(0.01, rel=0.02)
    assert all(m.bias.abs().max() == 0 for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))


@pytest.mark.parametrize("bad", [-0.5, 1.0])
def test_bad_dropout_is_a_sentence(bad):
    with pytest.raises(ValueError, match="dropout"):
        create_model("vgg11", num_classes=10, dropout=bad)
