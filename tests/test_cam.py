"""lab.cam: CAMs equal the grad-cam package's and Grad-CAM's definition, hooks never outlive a call, the
default layer is found without a real forward pass, and the shipped Shapes model's heat maps point at
the object."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from lab import cam as lc
from lab.data import make_shapes
from lab.images import preprocess
from lab.models import create_model
from lab.models import zoo
from lab.models.weights import Preprocessing

POINTING_SEED = 2024  # held out: the shipped model trained on seeds 0 (train) and 1 (validation)


def no_hooks(model: nn.Module) -> bool:
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
        assert no_hooks(resnet18)
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
    assert no_hooks(resnet18)


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
    assert no_hooks(resnet18)
    assert all(p.requires_grad for p in resnet18.parameters())


def test_default_layer(resnet18):
    assert lc.default_cam_layer(resnet18) == "layer4"  # the heuristic: last spatial output, run once
    assert lc.default_cam_layer(resnet18, "vgg16") == "features.29"  # the registry
    assert lc.default_cam_layer(Tiny()) == "conv2"


def test_the_default_layer_is_found_without_a_real_forward_pass(resnet18):
    devices = []
    handle = resnet18.register_forward_pre_hook(lambda m, args: devices.append(args[0].device.type))
    try:
        assert lc.default_cam_layer(resnet18, input_size=224) == "layer4"
        assert devices == ["meta"]  # the search: shapes only, no arithmetic
        lc.compute_cam(resnet18, Image.new("RGB", (64, 64), (120, 30, 200)))  # no name: the notebook's path
        assert devices == ["meta", "meta", "cpu"]  # the search, then exactly one real pass: the CAM's own
    finally:
        handle.remove()


def test_a_pil_image_and_no_layer_give_the_last_stages_map(resnet18):
    img = Image.fromarray(np.random.default_rng(7).integers(0, 256, (64, 64, 3), dtype=np.uint8))
    x = preprocess(img, Preprocessing(64, 64)).tensor  # ImageNet statistics at the image's own size
    assert np.array_equal(lc.compute_cam(resnet18, img), lc.compute_cam(resnet18, x, "gradcam", "layer4"))


def test_small_inputs_move_the_cam_layer_to_a_finer_stage(resnet18):
    assert lc.cam_layer_for_size(resnet18, "resnet18", 224) == "layer4"  # 7×7: fine enough
    assert lc.cam_layer_for_size(resnet18, "resnet18", 64) == "layer3"  # layer4 would be 2×2, layer3 is 4×4
    assert lc.cam_layer_for_size(resnet18, "resnet18", 32) == "layer2"


def test_compare_layers_two_methods_on_one_layer_or_one_method_on_two():
    names = ["conv1", "bn1", "layer1", "layer2", "layer3", "layer3.1", "layer4"]
    assert lc.compare_layers(names, "layer4", None, "gradcam", None, "layercam") == ("layer4", "layer4")
    assert lc.compare_layers(names, "layer4", None, "gradcam", None, "gradcam") == ("layer4", "layer3")
    assert lc.compare_layers(names, "layer4", "layer3.1", "gradcam", None, "gradcam") == ("layer3.1", "layer3")
    assert lc.compare_layers(names, "layer4", "conv1", "gradcam", None, "gradcam") == ("conv1", "conv1")
    # What the student picked wins; an unknown name falls back to the default, then to the last layer.
    assert lc.compare_layers(names, "layer4", "layer2", "gradcam", "bn1", "gradcam") == ("layer2", "bn1")
    assert lc.compare_layers(names, "layer4", "nope", "gradcam", "nope", "eigencam") == ("layer4", "layer4")
    assert lc.compare_layers(names, "features", None, "gradcam", None, "gradcam") == ("layer4", "layer3")


# -------------------------------------------------------------------------- the shipped Shapes model


@pytest.fixture(scope="module")
def demo():
    return zoo.load_demo_model()


def test_pointing_game_on_held_out_shapes(demo):
    """Zhang et al. 2016, "Top-down Neural Attention by Excitation Backprop" §5.1: a hit when the map's
    peak falls inside the object's box. The issue asks for 90% strictly (no tolerance), with everything
    at its default: the layer, the class (top-1) and the input the model's preprocessing makes.

    Measured for the shipped model (MobileNet-v2 at output stride 16, so 12×12 cells at 192 px): 93 of these 100 (651 of 700 over seven held-out seeds, assets/README.md).
    At output stride 32 (6×6 cells) the same recipe scored 81 of 100: the peak sits on the object's
    outline, and a 32-pixel cell centred there falls outside the box about one time in five.
    """
    model, names, size = demo
    m = zoo._load_shapes(zoo.DEMO_CHECKPOINT)
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


def test_pointing_game_counts_the_peak():
    cam = np.zeros((10, 10), np.float32)
    cam[7, 2] = 1  # row 7, column 2
    assert lc.pointing_hit(cam, (2, 7, 3, 8))
    assert not lc.pointing_hit(cam, (3, 7, 5, 9))
    assert lc.pointing_hit(cam, (3, 7, 5, 9), tolerance=1)
    flat = np.zeros((10, 10), np.float32)
    flat[0:4, 6:10] = 1  # a plateau in the corner, as a 2×2 map upsampled: its centre counts, not (0, 6)
    assert lc.pointing_hit(flat, (7, 1, 10, 3)) and not lc.pointing_hit(flat, (6, 0, 7, 1))


# ---------------------------------------------------------------------------- Score-CAM within a budget


def test_scorecam_with_every_channel_is_grad_cams_scorecam():
    """lab.cam_score scores channels in batches of 32 and can leave channels out; with all of them it is
    pytorch-grad-cam's ScoreCAM (one masked forward pass per channel, softmax of the class scores)."""
    from pytorch_grad_cam import ScoreCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    model = Tiny().eval()
    x = torch.randn(1, 3, 12, 12, generator=torch.Generator().manual_seed(6))
    with ScoreCAM(model=model, target_layers=[model.conv2]) as ref:
        expected = ref(input_tensor=x, targets=[ClassifierOutputTarget(1)])[0]
    for channels in (None, 8):  # Tiny's conv2 has 8 channels
        got = lc.compute_cam(model, x, "scorecam", "conv2", 1, channels=channels)
        assert np.abs(got - expected).max() < 1e-5
    fewer = lc.compute_cam(model, x, "scorecam", "conv2", 1, channels=3)
    assert np.abs(fewer - expected).max() > 1e-3  # (the budget is not ignored)
    assert no_hooks(model)


def test_budgeted_scorecam_on_mobilenet_v2s_default_layer_runs_a_bounded_number_of_forward_passes():
    """Before: one forward pass per channel of the 1280 at features (81 calls of 16, 84–126 s on this CPU)."""
    from lab import cam_score as cs

    torch.manual_seed(0)
    model = create_model("mobilenet_v2").eval()
    layer = lc.default_cam_layer(model, "mobilenet_v2")
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(8))
    plan = cs.plan_score_cam(model, x, model.get_submodule(layer), budget_s=1.0)
    assert plan.total == 1280 and plan.channels % cs.BATCH == 0 and cs.BATCH <= plan.channels < plan.total
    calls, progress = [], []
    handle = model.register_forward_pre_hook(lambda m, args: calls.append(args[0].shape[0]))
    try:
        cam = lc.compute_cam(model, x, "scorecam", layer, 3, channels=plan.channels,
                             on_batch=lambda done, total: progress.append((done, total)))
    finally:
        handle.remove()
    assert len(calls) == plan.forwards == 1 + plan.channels // cs.BATCH  # activations, then one per batch
    assert sum(calls) == 1 + plan.channels
    assert progress[-1] == (plan.channels, plan.channels) and len(progress) == plan.forwards - 1
    assert cam.shape == (224, 224) and cam.max() > 0.99
