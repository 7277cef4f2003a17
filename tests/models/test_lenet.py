"""LeNet-5: the paper's layer sizes and parameter counts, and the shapes of Fig. 2."""
import pytest
import torch
import torch.nn as nn

from lab.models import create_model, get_entry
from lab.models.lenet import lenet5
from tests.models.parity import num_params


def test_parameter_count_follows_from_the_paper():
    model = create_model("lenet5", num_classes=10)
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    # C1: 6 x (5x5 + 1) = 156; C3 with all 6 inputs: 16 x (6x5x5 + 1) = 2,416 (the sparse table: 1,516);
    # C5: 120 x (400 + 1) = 48,120; F6: 84 x (120 + 1) = 10,164 (both as in §II-B); output: 10 x 85 = 850.
    assert [num_params(m) for m in layers] == [156, 2416, 48120, 10164, 850]
    # The paper's 60,000 trainable parameters (C1 156 + S2 12 + C3 1,516 + S4 32 + C5 48,120 + F6 10,164),
    # + 900 for the full C3, - 44 for the parameter-free max-pools, + 850 for the Linear output layer.
    assert 156 + 12 + 1516 + 32 + 48120 + 10164 == 60000
    assert num_params(model) == 60000 + 900 - 44 + 850 == 61706


def test_shapes_of_figure_2():
    torch.manual_seed(0)
    model = create_model("lenet5", num_classes=10).eval()
    x = torch.randn(2, 1, 32, 32)
    shapes = []
    h = x
    for layer in model.features:
        h = layer(h)
        shapes.append(tuple(h.shape[1:]))
    # C1 6@28x28, S2 6@14x14, C3 16@10x10, S4 16@5x5
    assert shapes == [(6, 28, 28)] * 2 + [(6, 14, 14), (16, 10, 10), (16, 10, 10), (16, 5, 5)]
    # At 32x32 the adaptive pool is an identity: the network is exactly LeNet-5.
    assert torch.equal(model.avgpool(h), h)
    assert model(x).shape == (2, 10)


@pytest.mark.parametrize("in_channels, size", [(1, 28), (3, 32), (3, 64), (1, 16)])
def test_other_inputs(in_channels, size):
    model = create_model("lenet5", num_classes=7, in_channels=in_channels)
    # Only C1 grows with the input channels: 6 x 5 x 5 more weights per extra channel.
    assert num_params(model) == 61706 - 850 + (84 * 7 + 7) + 150 * (in_channels - 1)
    assert model(torch.randn(2, in_channels, size, size)).shape == (2, 7)


def test_builder_defaults_to_ten_classes_and_one_channel():
    model = lenet5()
    assert model(torch.randn(1, 1, 32, 32)).shape == (1, 10)


@pytest.mark.parametrize("bad", [0, -3, 1.5])
def test_bad_in_channels_is_a_sentence(bad):
    with pytest.raises(ValueError, match="in_channels"):
        create_model("lenet5", in_channels=bad)


def test_card_and_cam_layer():
    entry = get_entry("lenet5")
    assert entry.input_size == (1, 32, 32)
    assert entry.tv_weights is None
    model = create_model("lenet5", num_classes=10)
    target = model.get_submodule(entry.cam_layer)
    assert isinstance(target, nn.ReLU)
    # It is the activation of the last convolution (C3): a 16@10x10 map at 32 px.
    seen = {}

    def record(module, inputs, output):
        seen["shape"] = tuple(output.shape)

    handle = target.register_forward_hook(record)
    try:
        model(torch.randn(1, 1, 32, 32))
    finally:
        handle.remove()
    assert seen["shape"] == (1, 16, 10, 10)
    convs = [name for name, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    assert convs[-1] == "features.3" and entry.cam_layer == "features.4"
