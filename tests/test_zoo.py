"""lab.models.zoo: the best weights available for a name, fed as those weights expect (the weights' own
record, the registry's convention, or the checkpoint's config), and the shipped Shapes model."""
from __future__ import annotations

import pytest
import torch
from PIL import Image

from lab.checkpoint import checkpoint_preprocessing, load_checkpoint
from lab.data import SHAPES_CLASSES, make_shapes
from lab.features import class_probabilities
from lab.images import preprocess
from lab.models import create_model, get_entry
from lab.models import zoo
from lab.models.weights import Pretrained, imagenet_categories
from tests.test_cam import POINTING_SEED


@pytest.fixture
def fresh_models(monkeypatch):
    """No model cached before or after the test, and no download failure remembered."""
    monkeypatch.setattr(zoo, "_DOWNLOAD_FAILED", {})
    zoo._load_inside_model.cache_clear()
    yield
    zoo._load_inside_model.cache_clear()


# -------------------------------------------------------------------------- the shipped Shapes model


@pytest.fixture(scope="module")
def demo():
    return zoo.load_demo_model()


def test_shipped_model_classifies_held_out_shapes(demo):
    model, names, size = demo
    assert names == list(SHAPES_CLASSES)
    samples = make_shapes(100, image_size=size, seed=POINTING_SEED)
    spec = zoo._load_shapes(zoo.DEMO_CHECKPOINT).preprocessing
    x = torch.cat([preprocess(s.image, spec).tensor for s in samples])
    with torch.no_grad():
        acc = (model(x).argmax(1) == torch.tensor([s.label for s in samples])).float().mean().item()
    assert acc >= 0.9, f"accuracy {acc:.1%} on held-out Shapes images"


def test_the_shipped_model_is_mobilenet_v2_at_output_stride_16(demo):
    model, _, size = demo
    m = zoo._load_shapes(zoo.DEMO_CHECKPOINT)
    assert m.name == "mobilenet_v2" and m.cam_layer == "features"
    assert model.features(torch.zeros(1, 3, size, size)).shape[-2:] == (size // 16, size // 16)
    assert "output stride 16" in m.detail  # the Inside tab says why its maps are finer


def test_the_shipped_model_is_fed_as_its_checkpoint_says():
    _, config, _ = load_checkpoint(str(zoo.DEMO_CHECKPOINT))
    assert zoo._load_shapes(zoo.DEMO_CHECKPOINT).preprocessing == checkpoint_preprocessing(config)


# ----------------------------------------------------------------------------------- the best weights


def test_inside_model_weights_are_explicit():
    shipped = zoo.shipped_architecture()
    m = zoo.load_inside_model(shipped, "shapes")
    assert m.weights == "shapes" and m.class_names == list(SHAPES_CLASSES) and shipped in m.detail
    other = "resnet34" if shipped != "resnet34" else "resnet50"
    r = zoo.load_inside_model(other, "random")
    assert r.weights == "random" and len(r.class_names) == 1000
    with pytest.raises(ValueError, match="not a resnet34|not a resnet50"):
        zoo.load_inside_model(other, "shapes")
    g = zoo.load_inside_model("lenet5", "random")
    assert g.preprocessing.grey and g.image_size == 32
    with pytest.raises(ValueError, match="Unknown weights"):
        zoo.load_inside_model(shipped, "best")


def test_auto_weights_offline_fall_back_to_the_shipped_model(offline):
    m = zoo.load_inside_model(zoo.shipped_architecture(), "auto")
    assert m.weights == "shapes"  # the test's torch hub cache is empty and the network refused
    assert m.reason  # says why ImageNet was not used


def test_random_weights_use_the_registrys_convention_and_imagenets_names():
    for name in ("resnet34", "mobilenet_v1", "efficientnet_b2", "lenet5"):
        m = zoo.load_inside_model(name, "random")
        assert m.preprocessing == get_entry(name).preprocessing(pretrained=False), name
    assert zoo.load_inside_model("resnet34", "random").class_names == imagenet_categories()
    assert zoo.load_inside_model("lenet5", "random").class_names == [f"class {i}" for i in range(10)]


def test_mobilenet_v1_with_timm_weights_gets_their_normalisation(monkeypatch, fresh_models):
    """The bug this module exists for: timm's MobileNet v1 weights were trained on (x − 0.5) / 0.5, and the
    Inside tab fed them ImageNet's statistics. Checked on the tensor the model receives."""
    lab_keys = create_model("mobilenet_v1").state_dict()  # stands in for the download: no network
    monkeypatch.setattr(Pretrained, "state_dict", lambda self, model_name="": lab_keys)
    m = zoo.load_inside_model("mobilenet_v1", "imagenet")
    assert m.weights == "imagenet" and "timm mobilenetv1_100" in m.detail
    received = []
    handle = m.model.register_forward_pre_hook(lambda module, args: received.append(args[0]))
    colour = (200, 100, 30)
    try:
        class_probabilities(m.model, m.prepare(Image.new("RGB", (320, 280), colour)).tensor)
    finally:
        handle.remove()
    (x,) = received
    assert x.shape == (1, 3, 224, 224)
    expected = torch.tensor([(c / 255 - 0.5) / 0.5 for c in colour])
    assert torch.allclose(x[0].mean(dim=(1, 2)), expected, atol=1e-5)  # ImageNet statistics: +1.31, -0.29, -1.28


def test_a_models_layers_are_its_spatial_outputs_at_its_input_size():
    m = zoo.load_inside_model("resnet34", "random")
    layers = {r.name: r for r in m.layers}
    assert layers["layer4"].shape == (1, 512, 7, 7) and "fc" not in layers
    assert "layer1.0.relu" in layers and "layer1.0.relu" not in {r.name for r in m.cam_layers}  # runs twice
    assert m.layers is m.layers  # computed once per model
