"""NiN (d2l's ImageNet variant): parameter count worked out by hand, shapes at 224 px, global pooling."""
import pytest
import torch
import torch.nn as nn

from lab.models import create_model, get_entry
from lab.models.nin import nin_block
from tests.models.parity import num_params


def mlpconv_params(c_in: int, c: int, k: int) -> int:
    """A k x k conv c_in -> c, then two 1x1 convs c -> c, all with biases."""
    return (c_in * k * k * c + c) + 2 * (c * c + c)


def test_mlpconv_arithmetic():
    assert num_params(nin_block(3, 96, 11, 4, 0)) == mlpconv_params(3, 96, 11)


@pytest.mark.parametrize("num_classes", [1000, 10])
def test_parameter_count_by_hand(num_classes):
    c = num_classes
    # block 1: 3*11*11*96 + 96 = 34,944;  2 x (96*96 + 96) = 18,624;      total 53,568
    # block 2: 96*5*5*256 + 256 = 614,656; 2 x (256*256 + 256) = 131,584; total 746,240
    # block 3: 256*3*3*384 + 384 = 885,120; 2 x (384*384 + 384) = 295,680; total 1,180,800
    # classifier block: 384*3*3*c + c = 3,457c; 2 x (c*c + c) = 2c^2 + 2c;  total 2c^2 + 3,459c
    assert mlpconv_params(3, 96, 11) == 34_944 + 18_624 == 53_568
    assert mlpconv_params(96, 256, 5) == 614_656 + 131_584 == 746_240
    assert mlpconv_params(256, 384, 3) == 885_120 + 295_680 == 1_180_800
    assert mlpconv_params(384, c, 3) == 2 * c * c + 3459 * c
    expected = 53_568 + 746_240 + 1_180_800 + 2 * c * c + 3459 * c  # pools, dropout, GAP: no parameters
    assert expected == {1000: 7_439_608, 10: 2_015_398}[c]
    with torch.device("meta"):
        model = create_model("nin", num_classes=c)
    assert num_params(model) == expected
    # No fully connected layer anywhere: global average pooling replaces the classifier's Linears (§3.2).
    assert not any(isinstance(m, nn.Linear) for m in model.modules())


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return create_model("nin", num_classes=10).eval()


def test_shapes_at_224(model):
    x = torch.randn(2, 3, 224, 224)
    shapes = []
    with torch.no_grad():
        for layer in [*model.features, *model.classifier]:
            x = layer(x)
            shapes.append(tuple(x.shape[1:]))
    # (224 - 11) / 4 + 1 = 54 -> pool 26 -> 26 -> pool 12 -> 12 -> pool 5 -> 5 -> global average 1
    assert shapes == [
        (96, 54, 54), (96, 26, 26),
        (256, 26, 26), (256, 12, 12),
        (384, 12, 12), (384, 5, 5),
        (384, 5, 5),  # dropout
        (10, 5, 5),  # one map per class
        (10, 1, 1), (10,),
    ]


def test_scores_are_the_average_of_the_class_maps(model):
    entry = get_entry("nin")
    assert entry.cam_layer == "classifier.1" and entry.tv_weights is None
    target = model.get_submodule(entry.cam_layer)
    maps = {}

    def record(module, inputs, output):
        maps["out"] = output.detach().clone()

    handle = target.register_forward_hook(record)
    try:
        with torch.no_grad():
            scores = model(torch.randn(2, 3, 224, 224))
    finally:
        handle.remove()
    assert maps["out"].shape == (2, 10, 5, 5)
    assert torch.allclose(scores, maps["out"].mean(dim=(2, 3)), atol=1e-6)
    assert scores.abs().max() > 1e-3 and (scores >= 0).all()  # the last block ends in a ReLU (d2l)


def test_initialisation_keeps_activations_alive(model):
    # He init (fan_out) on every convolution: the first one's weight std is sqrt(2 / (96 * 11 * 11)).
    first = model.features[0][0]
    assert first.weight.std().item() == pytest.approx((2 / (96 * 121)) ** 0.5, rel=0.05)
    assert all(m.bias.abs().max() == 0 for m in model.modules() if isinstance(m, nn.Conv2d))


@pytest.mark.parametrize("bad", [-0.1, 1.0])
def test_bad_dropout_is_a_sentence(bad):
    with pytest.raises(ValueError, match="dropout"):
        create_model("nin", num_classes=10, dropout=bad)
