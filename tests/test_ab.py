"""lab.ab: two networks on one image. Each side's figures are what lab.inspect, lab.cam, lab.features and the
model itself give when asked directly; the same pick twice gives two identical sides; two checkpoints differ."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from lab import ab
from lab import cam as lc
from lab import features as lf
from lab import inspect as li
from lab.checkpoint import load_checkpoint, save_checkpoint
from lab.images import center_crop, crop_box, load_image
from lab.models import zoo

ASSETS = Path(__file__).resolve().parents[1] / "assets"
STAR = ASSETS / "shapes_star.png"
SHAPES = zoo.DEMO_CHECKPOINT


@pytest.fixture(scope="module")
def resnet_vs_shapes() -> ab.Comparison:
    return ab.compare(STAR, ab.Pick("resnet18", "random"), ab.Pick("mobilenet_v2", "shapes"), runs=2)


def test_each_sides_figures_are_what_lab_and_the_model_give_directly(resnet_vs_shapes):
    c = resnet_vs_shapes
    for side, (name, weights) in ((c.a, ("resnet18", "random")), (c.b, ("mobilenet_v2", "shapes"))):
        m = zoo.load_inside_model(name, weights)
        pre = m.prepare(STAR)
        probs = lf.class_probabilities(m.model, pre.tensor)
        assert side.predictions == lf.top_classes(probs, m.class_names, k=5)
        assert side.layer == m.cam_layer and side.weights == weights and side.model == name
        np.testing.assert_array_equal(side.cam, lc.compute_cam(m.model, pre.tensor, "gradcam", m.cam_layer,
                                                               side.top1.index))
        act = lf.feature_maps(m.model, pre.tensor, layers=[m.cam_layer])[-1]
        assert torch.equal(side.activation.tensor, act.tensor)
        np.testing.assert_array_equal(side.grid.image, lf.feature_grid(act.tensor).image)
        assert side.params == sum(p.numel() for p in m.model.parameters())
        assert side.input_size == tuple(pre.tensor.shape[1:]) and side.latency_s > 0
    # torchvision's own figures for ResNet-18 at 224 px: 11,689,512 parameters, 1.81 GFLOPS (MACs)
    assert (c.a.params, c.a.macs, c.a.input_size) == (11_689_512, 1_814_073_344, (3, 224, 224))
    assert c.a.macs == li.summarize("resnet18", (3, 224, 224)).total_macs
    # The shipped Shapes model (5 classes, its own input size): the summary of that very module.
    assert c.b.macs == li.summarize(zoo.load_inside_model("mobilenet_v2", "shapes").model, c.b.input_size).total_macs
    assert c.b.top1.label == "star" and c.b.top1.probability > 0.9  # the trained side knows its picture
    assert c.a.top1.probability < 0.5  # an untrained ImageNet-sized classifier spreads its bets
    assert c.more_confident == "b" and not c.same_top1 and c.shared_top5 == 0  # ImageNet names vs Shapes names


def test_the_cam_peaks_are_compared_in_the_photos_pixels(resnet_vs_shapes):
    c = resnet_vs_shapes
    assert c.image_size == load_image(STAR).size
    for side, m in ((c.a, zoo.load_inside_model("resnet18", "random")),
                    (c.b, zoo.load_inside_model("mobilenet_v2", "shapes"))):
        x, y = lc.cam_peak(side.cam)
        left, top, right, bottom = crop_box(c.image_size, m.preprocessing.crop_size, m.preprocessing.resize_size)
        s = side.cam.shape[0]
        assert side.peak == pytest.approx((left + (x + 0.5) * (right - left) / s, top + (y + 0.5) * (bottom - top) / s))
    assert c.peak_distance == pytest.approx(np.hypot(c.a.peak[0] - c.b.peak[0], c.a.peak[1] - c.b.peak[1]))
    assert c.peak_fraction == pytest.approx(c.peak_distance / min(c.image_size))


def test_crop_box_is_the_window_center_crop_keeps():
    # 640×480 resized to a shorter side of 256 (scale 8/15), a 224 crop: 420 original pixels, centred.
    assert crop_box((640, 480), 224, 256) == pytest.approx((110, 30, 530, 450))
    photo = Image.fromarray(np.random.default_rng(0).integers(0, 255, (480, 640, 3), dtype=np.uint8))
    direct = photo.resize((224, 224), Image.Resampling.BILINEAR, box=(110, 30, 530, 450))
    assert np.array_equal(np.asarray(center_crop(photo, 224, 256)), np.asarray(direct))


def test_the_same_pick_twice_gives_identical_sides():
    pick = ab.Pick("mobilenet_v2", "shapes")
    c = ab.compare(ASSETS / "shapes_circle.png", pick, pick, method="layercam", runs=1)
    assert c.a.predictions == c.b.predictions and c.a.layer == c.b.layer
    np.testing.assert_array_equal(c.a.cam, c.b.cam)
    np.testing.assert_array_equal(c.a.grid.image, c.b.grid.image)
    assert (c.a.params, c.a.macs, c.a.peak) == (c.b.params, c.b.macs, c.b.peak)
    assert c.same_top1 and c.shared_top5 == 5 and c.more_confident is None and c.peak_distance == 0


def test_two_checkpoints_of_one_network_give_different_predictions(tmp_path):
    """Before and after: the shipped checkpoint against a copy whose classifier is negated (a network whose
    evidence points the other way). Each side answers as its own checkpoint's model does."""
    model, config, names = load_checkpoint(str(SHAPES))
    after = tmp_path / "after.pt"
    save_checkpoint(str(after), model, config, names, 0.9)
    with torch.no_grad():
        model.classifier[-1].weight.neg_()
    before = tmp_path / "before.pt"
    save_checkpoint(str(before), model, config, names, 0.2)
    c = ab.compare(STAR, ab.Pick("mobilenet_v2", "checkpoint", str(before)),
                   ab.Pick("mobilenet_v2", "checkpoint", str(after)), runs=1)
    assert [p.label for p in c.a.predictions] != [p.label for p in c.b.predictions]
    assert c.b.top1.label == "star" and c.a.top1.label != "star" and not c.same_top1
    m = zoo.load_inside_model("mobilenet_v2", "checkpoint", before)
    assert c.a.predictions == lf.predict(m.model, m.prepare(STAR).tensor, m.class_names)


def test_a_chosen_layer_is_explained_and_one_of_the_other_network_is_a_sentence():
    c = ab.compare(STAR, ab.Pick("resnet18", "random", layer="layer3"), ab.Pick("mobilenet_v2", "shapes",
                                                                               layer="features.14"), runs=1)
    assert (c.a.layer, c.a.activation.shape, c.b.layer) == ("layer3", (256, 14, 14), "features.14")
    assert c.a.cam.shape == (224, 224)
    with pytest.raises(ValueError, match=r"mobilenet_v2 has no layer 'layer4' to explain .*default, features"):
        ab.compare(STAR, ab.Pick("resnet18", "random"), ab.Pick("mobilenet_v2", "shapes", layer="layer4"))


def test_what_a_user_can_get_wrong_is_a_sentence(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"%PDF-1.4 not a picture")
    pick = ab.Pick("mobilenet_v2", "shapes")
    with pytest.raises(ValueError, match="not an image that can be read"):
        ab.compare(bad, pick, pick)
    with pytest.raises(ValueError, match="is gone"):
        ab.compare(STAR, pick, ab.Pick("mobilenet_v2", "checkpoint", str(tmp_path / "gone.pt")))
    with pytest.raises(ValueError, match="Choose a checkpoint first"):
        ab.compare(STAR, pick, ab.Pick("mobilenet_v2", "checkpoint"))
    with pytest.raises(ValueError, match="Unknown CAM method"):
        ab.compare(STAR, pick, pick, method=["gradcam"])


def test_latency_is_the_median_of_timed_forwards():
    calls = []

    class Counting(torch.nn.Module):
        def forward(self, x):
            calls.append(1)
            return x.mean(dim=(2, 3))

    assert ab.forward_latency(Counting(), torch.zeros(1, 3, 8, 8), runs=4) >= 0
    assert len(calls) == 5  # one untimed, four timed
