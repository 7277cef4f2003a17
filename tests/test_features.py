"""lab.features: layer shapes on meta tensors equal a real forward pass's, feature maps are true copies,
hooks never outlive a call, and the grids, filters, colour maps and predictions show what they claim."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
from PIL import Image

from lab import features as lf
from lab.models import create_model
from tests.test_cam import Tiny, no_hooks, resnet18  # noqa: F401  (resnet18 is a fixture)


def _real_shapes(model: nn.Module, x: torch.Tensor) -> list[tuple]:
    """(name, kind, shape, calls) of every module in a real forward pass, in the order outputs appear."""
    rows: dict[str, list] = {}

    def hook(name: str):
        def fn(module, args, output):
            if name in rows:
                rows[name][3] += 1
            else:
                rows[name] = [name, type(module).__name__, tuple(output.shape), 1]
        return fn

    handles = [m.register_forward_hook(hook(n)) for n, m in model.named_modules() if n]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return [tuple(r) for r in rows.values()]


# ------------------------------------------------------------------------------------------- layers


@pytest.mark.parametrize("name, size", [("resnet18", 64), ("mobilenet_v3_small", 96), ("googlenet", 96),
                                        ("efficientnet_b0", 64), ("lenet5", 32)])
def test_layer_shapes_on_meta_tensors_equal_a_real_forward_pass(name, size):
    model = create_model(name).eval()
    c = 1 if name == "lenet5" else 3
    before = {k: v.clone() for k, v in model.state_dict().items()}
    got = [(r.name, r.kind, r.shape, r.calls) for r in lf.layer_shapes(model, (c, size, size))]
    assert got == _real_shapes(model, torch.randn(1, c, size, size))
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items())  # weights untouched
    assert all(not p.is_meta for p in model.parameters()) and no_hooks(model)


def test_layer_shapes_of_a_model_with_shared_weights_leave_them_shared():
    class Tied(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a, self.b = nn.Conv2d(3, 3, 3), nn.Conv2d(3, 3, 3)
            self.b.weight = self.a.weight  # one tensor under two names

        def forward(self, x):
            return self.b(self.a(x))

    model = Tied()
    assert [(r.name, r.shape) for r in lf.layer_shapes(model, (3, 9, 9))] == [("a", (1, 3, 7, 7)), ("b", (1, 3, 5, 5))]
    assert model.b.weight is model.a.weight and not model.a.weight.is_meta


def test_layer_shapes_count_a_shared_modules_calls_and_mark_leaves(resnet18):
    rows = {r.name: r for r in lf.layer_shapes(resnet18, (3, 64, 64))}
    assert rows["layer1.0.relu"].calls == 2 and rows["layer1.0.relu"].leaf  # torchvision's shared ReLU
    assert rows["layer4"].shape == (1, 512, 2, 2) and not rows["layer4"].leaf
    spatial = [r.name for r in lf.spatial_layers(resnet18, (3, 64, 64))]
    assert "layer4" in spatial and "avgpool" in spatial and "fc" not in spatial  # 4-D outputs only


def test_num_classes_reads_the_classifier(resnet18):
    assert lf.num_classes(resnet18) == 10
    assert lf.num_classes(create_model("nin")) == 1000  # NiN's classifier is a 1×1 convolution
    assert lf.num_classes(nn.ReLU()) is None


# ------------------------------------------------------------------------------------ feature maps


def test_feature_maps_are_copies_taken_before_the_inplace_relu(resnet18):
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(6))
    acts = {a.name: a for a in lf.feature_maps(resnet18, x)}
    with torch.no_grad():
        bn = resnet18.bn1(resnet18.conv1(x))[0]
    assert (bn < 0).any()  # what a reference (not a copy) would have lost to ReLU(inplace=True)
    assert torch.allclose(acts["bn1"].tensor, bn, atol=1e-5)
    assert torch.allclose(acts["relu"].tensor, bn.clamp(min=0), atol=1e-5)
    # A shared module is reported once per call, in forward order.
    names = list(acts)
    assert names.index("layer1.0.relu") < names.index("layer1.0.relu#2") < names.index("layer1.1.relu")
    assert acts["layer4.1.bn2"].shape == (512, 2, 2)
    assert acts["fc"].shape == (10,)
    assert no_hooks(resnet18)


def test_feature_maps_of_chosen_layers_and_unknown_ones(resnet18):
    got = lf.feature_maps(resnet18, torch.randn(1, 3, 64, 64), layers=["layer2", "conv1"])
    assert [a.name for a in got] == ["conv1", "layer2"]  # forward order, containers allowed
    assert got[1].shape == (128, 8, 8)
    with pytest.raises(ValueError, match="no layer named"):
        lf.feature_maps(resnet18, torch.randn(1, 3, 64, 64), layers=["layer7"])


def test_feature_map_hooks_are_removed_when_the_forward_pass_fails():
    class Broken(Tiny):
        def forward(self, x):
            self.conv1(x)
            raise RuntimeError("boom")

    model = Broken()
    with pytest.raises(RuntimeError, match="boom"):
        lf.feature_maps(model, torch.randn(1, 3, 8, 8))
    assert no_hooks(model)


def test_channel_order_grid_and_click_mapping():
    act = torch.zeros(5, 4, 4)
    for c, mean in enumerate([0.1, 3.0, -1.0, 2.0, 0.5]):
        act[c] = mean
    act[1, 0, 0] = 10.0
    assert lf.channel_order(act) == [1, 3, 4, 0, 2]
    grid = lf.feature_grid(act, tile=10, pad=2)
    assert grid.order == [1, 3, 4, 0, 2] and grid.columns == 3
    assert grid.image.shape == (2 * 12 + 2, 3 * 12 + 2, 3)
    assert lf.grid_channel_at(grid, 3, 3) == 1  # first tile: the strongest channel
    assert lf.grid_channel_at(grid, 2 + 12 + 5, 2 + 12 + 5) == 2  # second row, second tile: rank 5
    assert lf.grid_channel_at(grid, 1, 1) is None  # padding
    assert lf.grid_channel_at(grid, 2 + 2 * 12 + 5, 2 + 12 + 5) is None  # an empty slot
    with pytest.raises(ValueError, match="channels"):
        lf.channel_order(torch.zeros(7))


def test_filter_tiles_show_a_red_filter_as_red():
    w = torch.zeros(2, 3, 3, 3)
    w[0, 0] = 1.0  # likes red only
    w[1, 2, 1, 1] = -2.0  # dislikes blue at the centre
    tiles = lf.filter_tiles(w, scale=1, pad=1)
    assert tiles.shape == (5, 1 + 2 * 4, 3)
    red = tiles[1, 1]
    assert red[0] == 255 and red[1] == 128 and red[2] == 128
    centre = tiles[1 + 1, 1 + 4 + 1]
    assert centre[2] == 0 and centre[0] == 128


def test_first_conv_filters(resnet18):
    name, w = lf.first_conv_filters(resnet18)
    assert name == "conv1" and w.shape == (64, 3, 7, 7)


def test_predict_is_a_sorted_softmax(resnet18):
    x = torch.randn(1, 3, 64, 64)
    preds = lf.predict(resnet18, x, [f"c{i}" for i in range(10)], k=5)
    with torch.no_grad():
        p = resnet18(x).softmax(-1)[0]
    assert [q.index for q in preds] == p.argsort(descending=True)[:5].tolist()
    assert preds[0].label == f"c{preds[0].index}"
    assert abs(preds[0].probability - float(p.max())) < 1e-6


def test_class_probabilities_and_the_top_classes():
    model = Tiny().eval()
    x = torch.randn(1, 3, 8, 8, generator=torch.Generator().manual_seed(9))
    probs = lf.class_probabilities(model, x)
    with torch.no_grad():
        assert torch.allclose(probs, model(x).softmax(-1)[0])
    top = lf.top_classes(probs, ["a", "b"], k=3)  # names for two of the four classes
    assert [p.probability for p in top] == sorted(probs.tolist(), reverse=True)[:3]
    assert [p.label for p in top] == [["a", "b", "class 2", "class 3"][p.index] for p in top]


def test_overlay_opacity():
    img = Image.new("RGB", (8, 6), (10, 20, 30))
    cam = np.zeros((6, 8), np.float32)
    cam[0, 0] = 1
    assert np.array_equal(np.asarray(lf.overlay(img, cam, 0.0)), np.asarray(img))
    full = np.asarray(lf.overlay(img, cam, 1.0))
    assert full[0, 0, 0] > full[0, 0, 2]  # the peak is red
    assert full[5, 7, 2] > full[5, 7, 0]  # nothing is blue
    with pytest.raises(ValueError, match="opacity"):
        lf.overlay(img, cam, 1.5)


def test_layer_stages_number_the_resolutions(resnet18):
    rows = lf.spatial_layers(resnet18, (3, 64, 64))
    stages = dict(zip([r.name for r in rows], lf.layer_stages(rows)))
    assert stages["conv1"] == 1 and stages["maxpool"] == stages["layer1"] == 2  # 32×32, then 16×16
    assert stages["layer2.0.conv1"] == stages["layer2"] == 3 and stages["layer4"] == 5
