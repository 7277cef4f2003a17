"""AlexNet: parity with torchvision's definition and the figures the paper and torchvision publish."""
import pytest
import torch
import torch.nn as nn
from torchvision import models as tvm

from lab.models import create_model, get_entry, model_info
from tests.models.parity import num_params


@pytest.fixture(scope="module")
def pair():
    """Our AlexNet with torchvision's (random) weights loaded, and torchvision's, both for 10 classes."""
    torch.manual_seed(0)
    ours, theirs = create_model("alexnet", num_classes=10), tvm.alexnet(weights=None, num_classes=10)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    return ours.eval(), theirs.eval()


def test_parameter_count_is_torchvision_s():
    with torch.device("meta"):  # no memory, no init: just the shapes
        ours, theirs = create_model("alexnet"), tvm.alexnet(weights=None)
    assert num_params(ours) == num_params(theirs) == 61_100_840
    assert model_info("alexnet").num_params == 61_100_840  # the published weights' metadata
    # "60 million parameters" (abstract); most in the first fully connected layer: 9216 x 4096 + 4096.
    assert round(num_params(ours) / 1e6) in (60, 61)
    assert num_params(ours.classifier[1]) == 256 * 6 * 6 * 4096 + 4096 == 37_752_832


@pytest.mark.parametrize("size", [64, 224])
def test_outputs_match_torchvision(pair, size):
    ours, theirs = pair
    torch.manual_seed(1)
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        a, b = ours(x), theirs(x)
    assert a.shape == (2, 10)
    assert a.abs().max() > 1e-3  # the comparison below means something
    assert (a - b).abs().max().item() < 1e-4 * a.abs().max().item()  # outputs are ~0.02: compare relatively


def test_module_names_and_types_are_torchvision_s(pair):
    ours, theirs = pair
    def layers(model):  # every submodule but the root (whose class is each library's own)
        return [(name, type(m)) for name, m in model.named_modules() if name]

    assert layers(ours) == layers(theirs)


def test_cam_layer_is_last_relu_before_last_pool(pair):
    ours, _ = pair
    entry = get_entry("alexnet")
    assert entry.cam_layer == "features.11" and entry.tv_weights == "AlexNet_Weights"
    assert isinstance(ours.get_submodule("features.11"), nn.ReLU)
    assert isinstance(ours.features[12], nn.MaxPool2d) and len(ours.features) == 13
    # 224 -> conv1 55 -> pool 27 -> pool 13: the last ReLU sees 256@13x13, the pool 256@6x6.
    with torch.no_grad():
        assert ours.features[:12](torch.randn(1, 3, 224, 224)).shape == (1, 256, 13, 13)


@pytest.mark.parametrize("bad", [-0.1, 1.0])
def test_bad_dropout_is_a_sentence(bad):
    with pytest.raises(ValueError, match="dropout"):
        create_model("alexnet", num_classes=10, dropout=bad)
