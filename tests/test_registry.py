"""The model registry: names, errors, model cards, timm passthrough."""
import pytest
import torch

from lab.inspect import summarize
from lab.models import create_model, get_entry, list_models, model_info

COURSE = (
    ["lenet5", "alexnet"]
    + [f"vgg{d}{bn}" for d in (11, 13, 16, 19) for bn in ("", "_bn")]
    + ["nin", "googlenet", "inception_v3"]
    + [f"resnet{d}" for d in (18, 34, 50, 101, 152)]
    + [f"densenet{d}" for d in (121, 161, 169, 201)]
    + ["mobilenet_v1", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small"]
    + [f"efficientnet_b{i}" for i in range(8)]
)


def test_every_course_model_is_listed():
    names = list_models()
    assert set(COURSE) <= set(names)
    assert len(names) == len(set(names))


def test_list_follows_the_course_order():
    names = list_models()
    order = ["lenet5", "alexnet", "vgg16", "nin", "googlenet", "resnet50", "densenet121", "mobilenet_v2", "efficientnet_b0"]
    positions = [names.index(n) for n in order]
    assert positions == sorted(positions)


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match="resnet50") as e:
        create_model("resnet5")
    assert "Unknown model 'resnet5'" in str(e.value)
    with pytest.raises(ValueError, match="efficientnet_b0"):
        model_info("efficentnet_b0")


def test_bad_num_classes_is_a_sentence():
    with pytest.raises(ValueError, match="positive integer"):
        create_model("lenet5", num_classes=0)


def test_bad_option_is_a_value_error():
    with pytest.raises(ValueError, match="does not accept"):
        create_model("alexnet", no_such_option=3)


@pytest.mark.parametrize("name", COURSE)
def test_every_card_is_complete(name):
    info = model_info(name)
    assert info.family and info.year and info.paper and info.key_idea
    assert info.arxiv.startswith("http")
    assert len(info.input_size) == 3
    # The default CAM layer names a real module of the model (built on meta: no weights).
    with torch.device("meta"):
        model = create_model(name)
    model.get_submodule(info.cam_layer)


def test_card_reads_torchvision_metadata_offline():
    info = model_info("resnet50")
    # torchvision's DEFAULT ResNet-50 weights are IMAGENET1K_V2: 80.858 / 95.434, 4.09 GFLOPS (MACs), 25,557,032 params.
    assert info.weights == "ResNet50_Weights.IMAGENET1K_V2"
    assert info.acc1 == pytest.approx(80.858)
    assert info.acc5 == pytest.approx(95.434)
    assert info.gflops == pytest.approx(4.09, abs=0.01)
    assert info.num_params == 25_557_032
    assert "1512.03385" in info.arxiv


def test_models_without_torchvision_weights_have_no_invented_accuracy():
    for name in ("lenet5", "nin"):
        info = model_info(name)
        assert info.acc1 is None and info.gflops is None


def test_googlenet_card_explains_aux_heads():
    assert "aux" in model_info("googlenet").note.lower()


def test_timm_names_build_any_timm_architecture():
    model = create_model("timm:resnet10t", num_classes=7)
    out = model.eval()(torch.randn(1, 3, 64, 64))
    assert out.shape == (1, 7)
    info = model_info("timm:resnet10t")
    assert info.name == "timm:resnet10t" and info.input_size[0] == 3


def test_unknown_timm_name_suggests():
    with pytest.raises(ValueError, match="timm:convnext_tiny"):
        create_model("timm:convnext_tiyn")


def test_entries_point_at_their_family_file():
    assert get_entry("resnet50").builder.__module__ == "lab.models.resnet"
    assert get_entry("efficientnet_b3").builder.__module__ == "lab.models.efficientnet"


def test_cards_give_the_normalisation_of_their_weights():
    assert model_info("resnet50").mean == (0.485, 0.456, 0.406)
    assert model_info("mobilenet_v1").std == (0.5, 0.5, 0.5)  # timm's mobilenetv1_100 was trained so


def test_lenet5_has_ten_classes_everywhere():
    """One LeNet-5: create_model, its card and summarize agree on its 10 outputs (61,706 parameters)."""
    model = create_model("lenet5")
    assert model(torch.zeros(1, 1, 32, 32)).shape == (1, 10)
    assert sum(p.numel() for p in model.parameters()) == 61_706
    assert get_entry("lenet5").num_classes == 10 and get_entry("resnet18").num_classes == 1000
    assert summarize("lenet5").total_params == 61_706
    assert create_model("lenet5", num_classes=1000)(torch.zeros(1, 1, 32, 32)).shape == (1, 1000)
