"""lab.models.zoo: the best weights available for a name, fed as those weights expect (the weights' own
record, the registry's convention, or the checkpoint's config), and the shipped Shapes model."""
from __future__ import annotations

from pathlib import Path

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


# ------------------------------------------------------------------ a teacher's own weights (issue 15, item 9)


def _lenet_checkpoint(path) -> str:
    """A 3-class LeNet-5 checkpoint as the Train tab writes it (MNIST statistics, 32 px, grey)."""
    from lab.checkpoint import save_checkpoint

    torch.manual_seed(0)
    model = create_model("lenet5", num_classes=3, in_channels=1)
    config = {"model": "lenet5", "in_channels": 1, "image_size": 32, "mean": [0.1307] * 3, "std": [0.3081] * 3,
              "dataset": "mnist"}
    return save_checkpoint(str(path), model, config, ["zero", "one", "two"], 0.5)


def test_a_checkpoint_this_app_wrote_is_weights_of_its_own(tmp_path, fresh_models):
    path = _lenet_checkpoint(tmp_path / "lenet5.pt")
    m = zoo.load_inside_model("lenet5", "checkpoint", path)
    assert m.weights == "checkpoint" and m.class_names == ["zero", "one", "two"]
    assert "lenet5.pt" in m.detail and "MNIST" in m.detail and m.preprocessing.grey
    assert zoo.load_inside_model("lenet5", "checkpoint", path) is m  # cached
    assert zoo.use_weights_file(path, "resnet18") == ("checkpoint", "lenet5")  # an upload says what it is
    with pytest.raises(ValueError, match="holds a lenet5, not a resnet18"):
        zoo.load_inside_model("resnet18", "checkpoint", path)
    with pytest.raises(ValueError, match="Choose a checkpoint first"):
        zoo.load_inside_model("lenet5", "checkpoint", None)
    bad = tmp_path / "notes.pt"
    bad.write_text("not a checkpoint")
    with pytest.raises(ValueError, match="not a PyTorch file CNN Lab can read"):
        zoo.use_weights_file(bad, "lenet5")


def test_imagenet_weights_uploaded_by_hand_go_where_the_download_would(tmp_path, monkeypatch, fresh_models, offline):
    import torchvision

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "hub"))
    with pytest.raises(ValueError, match="cannot be downloaded"):
        zoo.load_inside_model("resnet18", "imagenet")  # offline, nothing cached
    torch.manual_seed(1)
    tv = torchvision.models.resnet18()
    file = tmp_path / "resnet18-upload.pth"
    torch.save(tv.state_dict(), file)
    wrong = tmp_path / "resnet34.pth"
    torch.save(torchvision.models.resnet34().state_dict(), wrong)
    with pytest.raises(ValueError, match="does not fit resnet18: its ImageNet weights are torchvision's resnet18-"):
        zoo.use_weights_file(wrong, "resnet18")
    assert zoo.use_weights_file(file, "resnet18") == ("imagenet", "resnet18")
    assert Path(get_entry("resnet18").weights.enum.url).name in str(zoo.install_imagenet_weights("resnet18", file))
    m = zoo.load_inside_model("resnet18", "imagenet")  # the usual path finds the file: no download
    assert m.weights == "imagenet" and m.class_names == imagenet_categories()
    assert torch.equal(m.model.conv1.weight, tv.conv1.weight)


def test_each_model_has_one_lock_shared_by_its_copies(offline):
    shipped = zoo.shipped_architecture()
    auto, shapes = zoo.load_inside_model(shipped, "auto"), zoo.load_inside_model(shipped, "shapes")
    assert auto.model is shapes.model and auto.lock is shapes.lock  # dataclasses.replace passes it on
    other = zoo.load_inside_model("resnet34", "random")
    assert other.lock is not auto.lock and not other.lock.locked()
