"""lab.cam: CAMs equal the grad-cam package's and Grad-CAM's definition, feature maps are true copies,
hooks never outlive a call, and the shipped Shapes model's heat maps point at the object."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from lab import cam as lc
from lab.data import SHAPES_CLASSES, make_shapes
from lab.images import preprocess
from lab.models import create_model

POINTING_SEED = 2024  # held out: the shipped model trained on seeds 0 (train) and 1 (validation)


def _no_hooks(model: nn.Module) -> bool:
    return all(
        not m._forward_hooks and not m._forward_pre_hooks and not m._backward_hooks for m in model.modules()
    )


@pytest.fixture(scope="module")
def resnet18():
    """ResNet-18 with random weights and every BatchNorm scale 1 (no zero-init), so maps are not trivial."""
    torch.manual_seed(0)
    model = create_model("resnet18", num_classes=10).eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.uniform_(m.bias, -0.1, 0.1)
    return model


class Tiny(nn.Module):
    """Two convs at full resolution, global pooling, a classifier: small enough to check by hand."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(3)
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(6, 8, 3, padding=1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv2(self.relu(self.conv1(x)))
        return self.fc(F.relu(x).mean(dim=(2, 3)))


# ------------------------------------------------------------------------------------------- CAMs


@pytest.mark.parametrize("method", lc.GRADIENT_METHODS)
@pytest.mark.parametrize("layer", ["layer4", "layer3", "bn1"])
def test_fast_path_gives_the_bare_calls_map(resnet18, method, layer):
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(1))
    bare = lc.compute_cam(resnet18, x, method, layer, 3, fast=False)
    fast = lc.compute_cam(resnet18, x, method, layer, 3, fast=True)
    assert fast.shape == (64, 64) and fast.dtype == np.float32
    assert bare.max() > 0.99  # a real map (normalised to a peak of 1), not all zero
    assert np.abs(bare - fast).max() < 1e-4


def test_gradcam_equals_its_definition():
    """Selvaraju et al. Eq. 1–2: α_k = mean of ∂y_c/∂A_k, map = ReLU(Σ_k α_k A_k), then scaled to [0, 1]."""
    model = Tiny().eval()
    x = torch.randn(1, 3, 12, 12, generator=torch.Generator().manual_seed(5))
    acts = {}
    model.conv2.register_forward_hook(lambda m, i, o: acts.update(a=o))
    y = model(x)
    grad = torch.autograd.grad(y[0, 2], acts["a"])[0][0]
    a = acts["a"][0].detach()
    expected = F.relu((grad.mean(dim=(1, 2))[:, None, None] * a).sum(0))
    expected = ((expected - expected.min()) / (expected.max() - expected.min())).numpy()
    model.conv2._forward_hooks.clear()
    got = lc.compute_cam(model, x, "gradcam", "conv2", 2)
    got = got / got.max()  # grad-cam divides by (max + 1e-7): with a raw peak of ~1e-3 that shows
    assert np.abs(got - expected).max() < 1e-5


def test_top1_is_the_default_class_and_a_chosen_class_changes_the_map(resnet18):
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        logits = resnet18(x)[0]
    top1, last = int(logits.argmax()), int(logits.argmin())
    default = lc.compute_cam(resnet18, x, "gradcam", "layer3")
    assert np.array_equal(default, lc.compute_cam(resnet18, x, "gradcam", "layer3", top1))
    assert not np.allclose(default, lc.compute_cam(resnet18, x, "gradcam", "layer3", last))


def test_cam_has_the_input_size_and_range_for_every_method():
    model = Tiny().eval()
    x = torch.randn(3, 20, 28, generator=torch.Generator().manual_seed(4))  # C×H×W, not square
    for method in lc.METHODS:
        cam = lc.compute_cam(model, x, method, "conv2", 1)
        assert cam.shape == (20, 28), method
        assert cam.min() >= 0 and cam.max() <= 1, method
        assert cam.max() > 0.5, method


def test_weights_modes_and_hooks_are_restored(resnet18):
    resnet18.train()
    resnet18.conv1.weight.requires_grad_(False)  # a student's frozen layer stays frozen
    try:
        lc.compute_cam(resnet18, torch.randn(1, 3, 64, 64), "gradcam", "layer4")
        assert resnet18.training and resnet18.layer4.training
        assert not resnet18.conv1.weight.requires_grad
        assert all(p.requires_grad for n, p in resnet18.named_parameters() if n != "conv1.weight")
        assert all(p.grad is None for p in resnet18.parameters())  # no weight gradients computed
        assert _no_hooks(resnet18)
    finally:
        resnet18.conv1.weight.requires_grad_(True)
        resnet18.eval()


def test_fast_path_computes_no_weight_gradients(resnet18):
    layer = resnet18.layer4
    seen = []
    with lc.cam_fast_path(resnet18, layer):
        out = resnet18(torch.randn(1, 3, 64, 64))
        out[0, 0].backward()
        seen = [p.grad for p in resnet18.parameters()]
    assert all(g is None for g in seen)
    assert _no_hooks(resnet18)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(method="gradcam-xl"), "Unknown CAM method"),
        (dict(target_layer="layer9"), "no layer named"),
        (dict(target_class=10), "does not exist"),
        (dict(target_layer="layer1.0.relu"), "more than once"),  # torchvision's shared ReLU runs twice
    ],
)
def test_errors_are_sentences_and_leave_nothing_behind(resnet18, kwargs, message):
    with pytest.raises(ValueError, match=message):
        lc.compute_cam(resnet18, torch.randn(1, 3, 64, 64), **{"method": "gradcam", "target_layer": "layer4", **kwargs})
    assert _no_hooks(resnet18)
    assert all(p.requires_grad for p in resnet18.parameters())


def test_default_layer(resnet18):
    assert lc.default_cam_layer(resnet18) == "layer4"  # the heuristic: last spatial output, run once
    assert lc.default_cam_layer(resnet18, "vgg16") == "features.29"  # the registry
    assert lc.default_cam_layer(Tiny()) == "conv2"


# ------------------------------------------------------------------------------------ feature maps


def test_feature_maps_are_copies_taken_before_the_inplace_relu(resnet18):
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(6))
    acts = {a.name: a for a in lc.feature_maps(resnet18, x)}
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
    assert _no_hooks(resnet18)


def test_feature_maps_of_chosen_layers_and_unknown_ones(resnet18):
    got = lc.feature_maps(resnet18, torch.randn(1, 3, 64, 64), layers=["layer2", "conv1"])
    assert [a.name for a in got] == ["conv1", "layer2"]  # forward order, containers allowed
    assert got[1].shape == (128, 8, 8)
    with pytest.raises(ValueError, match="no layer named"):
        lc.feature_maps(resnet18, torch.randn(1, 3, 64, 64), layers=["layer7"])


def test_feature_map_hooks_are_removed_when_the_forward_pass_fails():
    class Broken(Tiny):
        def forward(self, x):
            self.conv1(x)
            raise RuntimeError("boom")

    model = Broken()
    with pytest.raises(RuntimeError, match="boom"):
        lc.feature_maps(model, torch.randn(1, 3, 8, 8))
    assert _no_hooks(model)


def test_channel_order_grid_and_click_mapping():
    act = torch.zeros(5, 4, 4)
    for c, mean in enumerate([0.1, 3.0, -1.0, 2.0, 0.5]):
        act[c] = mean
    act[1, 0, 0] = 10.0
    assert lc.channel_order(act) == [1, 3, 4, 0, 2]
    grid = lc.feature_grid(act, tile=10, pad=2)
    assert grid.order == [1, 3, 4, 0, 2] and grid.columns == 3
    assert grid.image.shape == (2 * 12 + 2, 3 * 12 + 2, 3)
    assert lc.grid_channel_at(grid, 3, 3) == 1  # first tile: the strongest channel
    assert lc.grid_channel_at(grid, 2 + 12 + 5, 2 + 12 + 5) == 2  # second row, second tile: rank 5
    assert lc.grid_channel_at(grid, 1, 1) is None  # padding
    assert lc.grid_channel_at(grid, 2 + 2 * 12 + 5, 2 + 12 + 5) is None  # an empty slot
    with pytest.raises(ValueError, match="channels"):
        lc.channel_order(torch.zeros(7))


def test_filter_tiles_show_a_red_filter_as_red():
    w = torch.zeros(2, 3, 3, 3)
    w[0, 0] = 1.0  # likes red only
    w[1, 2, 1, 1] = -2.0  # dislikes blue at the centre
    tiles = lc.filter_tiles(w, scale=1, pad=1)
    assert tiles.shape == (5, 1 + 2 * 4, 3)
    red = tiles[1, 1]
    assert red[0] == 255 and red[1] == 128 and red[2] == 128
    centre = tiles[1 + 1, 1 + 4 + 1]
    assert centre[2] == 0 and centre[0] == 128


def test_first_conv_filters(resnet18):
    name, w = lc.first_conv_filters(resnet18)
    assert name == "conv1" and w.shape == (64, 3, 7, 7)


def test_predict_is_a_sorted_softmax(resnet18):
    x = torch.randn(1, 3, 64, 64)
    preds = lc.predict(resnet18, x, [f"c{i}" for i in range(10)], k=5)
    with torch.no_grad():
        p = resnet18(x).softmax(-1)[0]
    assert [q.index for q in preds] == p.argsort(descending=True)[:5].tolist()
    assert preds[0].label == f"c{preds[0].index}"
    assert abs(preds[0].probability - float(p.max())) < 1e-6


def test_overlay_opacity():
    img = Image.new("RGB", (8, 6), (10, 20, 30))
    cam = np.zeros((6, 8), np.float32)
    cam[0, 0] = 1
    assert np.array_equal(np.asarray(lc.overlay(img, cam, 0.0)), np.asarray(img))
    full = np.asarray(lc.overlay(img, cam, 1.0))
    assert full[0, 0, 0] > full[0, 0, 2]  # the peak is red
    assert full[5, 7, 2] > full[5, 7, 0]  # nothing is blue
    with pytest.raises(ValueError, match="opacity"):
        lc.overlay(img, cam, 1.5)


# -------------------------------------------------------------------------- the shipped Shapes model


@pytest.fixture(scope="module")
def demo():
    return lc.load_demo_model()


def test_shipped_model_classifies_held_out_shapes(demo):
    model, names, size = demo
    assert names == list(SHAPES_CLASSES)
    samples = make_shapes(100, image_size=size, seed=POINTING_SEED)
    spec = lc._load_shapes(lc.DEMO_CHECKPOINT).preprocessing
    x = torch.cat([preprocess(s.image, spec).tensor for s in samples])
    with torch.no_grad():
        acc = (model(x).argmax(1) == torch.tensor([s.label for s in samples])).float().mean().item()
    assert acc >= 0.9, f"accuracy {acc:.1%} on held-out Shapes images"


def test_pointing_game_on_held_out_shapes(demo):
    """Zhang et al. 2016, "Top-down Neural Attention by Excitation Backprop" §5.1: a hit when the map's
    peak falls inside the object's box. The issue asks for 90% strictly (no tolerance), with everything
    at its default: the layer, the class (top-1) and the input the model's preprocessing makes.

    Measured for the shipped model (MobileNet-v2 at output stride 16, so 12×12 cells at 192 px): 93 of these 100 (651 of 700 over seven held-out seeds, assets/README.md).
    At output stride 32 (6×6 cells) the same recipe scored 81 of 100: the peak sits on the object's
    outline, and a 32-pixel cell centred there falls outside the box about one time in five.
    """
    model, names, size = demo
    m = lc._load_shapes(lc.DEMO_CHECKPOINT)
    samples = make_shapes(100, image_size=size, seed=POINTING_SEED)
    tolerance = round(15 * size / 224)  # Zhang et al.'s 15 pixels at 224 px, for comparison
    strict = tolerant = 0
    for s in samples:
        cam = lc.compute_cam(model, preprocess(s.image, m.preprocessing).tensor)
        assert cam.shape == (size, size)
        strict += lc.pointing_hit(cam, s.box)
        tolerant += lc.pointing_hit(cam, s.box, tolerance=tolerance)
    assert strict / len(samples) >= 0.9, f"pointing game {strict}/{len(samples)} (with tolerance {tolerant})"
    assert tolerant / len(samples) >= 0.97, f"pointing game with tolerance {tolerant}/{len(samples)}"


def test_the_shipped_model_is_mobilenet_v2_at_output_stride_16(demo):
    model, _, size = demo
    m = lc._load_shapes(lc.DEMO_CHECKPOINT)
    assert m.name == "mobilenet_v2" and m.cam_layer == "features"
    assert model.features(torch.zeros(1, 3, size, size)).shape[-2:] == (size // 16, size // 16)
    assert "output stride 16" in m.detail  # the Inside tab says why its maps are finer


def test_pointing_game_counts_the_peak():
    cam = np.zeros((10, 10), np.float32)
    cam[7, 2] = 1  # row 7, column 2
    assert lc.pointing_hit(cam, (2, 7, 3, 8))
    assert not lc.pointing_hit(cam, (3, 7, 5, 9))
    assert lc.pointing_hit(cam, (3, 7, 5, 9), tolerance=1)
    flat = np.zeros((10, 10), np.float32)
    flat[0:4, 6:10] = 1  # a plateau in the corner, as a 2×2 map upsampled: its centre counts, not (0, 6)
    assert lc.pointing_hit(flat, (7, 1, 10, 3)) and not lc.pointing_hit(flat, (6, 0, 7, 1))


def test_inside_model_weights_are_explicit():
    shipped = lc.shipped_architecture()
    m = lc.load_inside_model(shipped, "shapes")
    assert m.weights == "shapes" and m.class_names == list(SHAPES_CLASSES) and shipped in m.detail
    other = "resnet34" if shipped != "resnet34" else "resnet50"
    r = lc.load_inside_model(other, "random")
    assert r.weights == "random" and len(r.class_names) == 1000
    with pytest.raises(ValueError, match="not a resnet34|not a resnet50"):
        lc.load_inside_model(other, "shapes")
    g = lc.load_inside_model("lenet5", "random")
    assert g.preprocessing.grey and g.image_size == 32
    with pytest.raises(ValueError, match="Unknown weights"):
        lc.load_inside_model(shipped, "best")


def test_auto_weights_offline_fall_back_to_the_shipped_model(offline):
    m = lc.load_inside_model(lc.shipped_architecture(), "auto")
    assert m.weights == "shapes"  # the test's torch hub cache is empty and the network refused
    assert m.reason  # says why ImageNet was not used
