"""AlexNet: parity with torchvision's definition and the figures the paper and torchvision publish."""
import pytest
import torch
import torch.nn as nn
from torchvision import models as tvm

from lab.inspect import summarize
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


def test_the_2012_papers_alexnet_by_hand():
    # Fig. 2 on one device: conv2, conv4, conv5 see only their own tower's maps (groups = 2).
    by_hand = [3 * 96 * 11 * 11 + 96, 256 * 48 * 5 * 5 + 256, 384 * 256 * 3 * 3 + 384, 384 * 192 * 3 * 3 + 384,
               256 * 192 * 3 * 3 + 256, 9216 * 4096 + 4096, 4096 * 4096 + 4096, 4096 * 1000 + 1000]
    model = create_model("alexnet_2012")
    assert sum(p.numel() for p in model.parameters()) == sum(by_hand) == 60_965_224  # "60 million" (§1)
    shapes = [r.output_shape for r in summarize("alexnet_2012").rows if r.kind == "Conv2d"]
    assert shapes == [(96, 55, 55), (256, 27, 27), (384, 13, 13), (384, 13, 13), (256, 13, 13)]
    lrn = [m for m in model.features if isinstance(m, torch.nn.LocalResponseNorm)]
    assert len(lrn) == 2 and lrn[0].size == 5 and lrn[0].alpha == pytest.approx(5e-4) and lrn[0].k == 2


def test_the_2012_lrn_is_the_papers_formula():
    # b = a / (k + α Σ a²)^β over n = 5 neighbouring channels (§3.3), α = 1e-4 per neighbour.
    a = torch.randn(1, 7, 2, 2)
    lrn = [m for m in create_model("alexnet_2012").features if isinstance(m, torch.nn.LocalResponseNorm)][0]
    sq = torch.nn.functional.pad(a.pow(2), (0, 0, 0, 0, 2, 2))
    window = torch.stack([sq[:, c:c + 5].sum(1) for c in range(7)], 1)
    torch.testing.assert_close(lrn(a), a / (2 + 1e-4 * window) ** 0.75)
