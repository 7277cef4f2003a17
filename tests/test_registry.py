"""The model registry: names, errors, model cards, timm passthrough."""
import pytest
import torch
import torchvision.models as tv_models

from lab.inspect import summarize
from lab.models import create_model, get_entry, list_models, model_info
from tests.course_figures import MOBILENET_V1_PAPER

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
    # pretrained=True loads torchvision's DEFAULT ResNet-50 weights, IMAGENET1K_V2 (the 2021 recipe: 80.858 %);
    # the card's comparison figures are the paper-era IMAGENET1K_V1's: 76.130 / 92.862, 4.09 GMACs.
    assert info.weights == "ResNet50_Weights.IMAGENET1K_V2"
    assert [f.label for f in info.figures] == ["ResNet50_Weights.IMAGENET1K_V1", "ResNet50_Weights.IMAGENET1K_V2"]
    assert [f.paper_recipe for f in info.figures] == [True, False]
    assert info.acc1 == pytest.approx(76.130) and info.figures[1].acc1 == pytest.approx(80.858)
    assert info.acc5 == pytest.approx(92.862)
    assert info.gflops == pytest.approx(4.09, abs=0.01)
    assert info.num_params == 25_557_032
    assert "1512.03385" in info.arxiv


def test_the_comparison_figures_are_the_paper_recipe_weights():
    # Six torchvision DEFAULTs are newer recipes; the course compares the IMAGENET1K_V1 figures, which
    # keep EfficientNet-B0 (77.692 %) above ResNet-50 (76.130 %), as in the paper.
    newer = [n for n in list_models() if len(model_info(n).figures) > 1]
    assert newer == ["resnet50", "resnet101", "resnet152", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b1"]
    for name in list_models():
        for f in model_info(name).figures:
            if f.label.endswith("_V1"):
                m = tv_models.get_weight(f.label).meta
                assert (f.acc1, f.gmacs, f.num_params) == (m["_metrics"]["ImageNet-1K"]["acc@1"], m["_ops"],
                                                           m["num_params"])
    assert model_info("efficientnet_b0").acc1 > model_info("resnet50").acc1
    # MobileNet v1's timm weights ship no figures: the paper's Table 8 (70.6 %, 569 M mult-adds, 4.2 M).
    v1 = model_info("mobilenet_v1").figures
    assert len(v1) == 1 and (v1[0].acc1, v1[0].gmacs * 1000, v1[0].num_params / 1e6) == (
        70.6, MOBILENET_V1_PAPER[(1.0, 224)][0], MOBILENET_V1_PAPER[(1.0, 224)][1])


def test_lenet5_defaults_to_ten_classes_as_its_card_says():
    assert get_entry("lenet5").num_classes == 10
    assert create_model("lenet5")(torch.zeros(1, 1, 32, 32)).shape == (1, 10)
    assert create_model("alexnet_2012").classifier[-1].out_features == 1000


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
