"""The Architecture tab's figures, checked against their sources without a browser: the comparison's points
against the torchvision weights (or paper table) named in their labels, the variant cards against
lab.inspect, the AlexNet card against the notes' sentence, the Scaling tab's paper column against Table 2."""
import pytest
import torchvision.models as tv_models

from lab import lineage as ll
from lab import scaling as S
from lab.inspect import summarize
from lab.models import model_info
from lab.models.weights import PAPER_FIGURES
from lab.ui import architecture as arch
from lab.ui import scaling as scaling_ui


def _source(label: str) -> tuple[float, float]:
    """(GMACs, top-1) published for the weights (or paper table) a label names."""
    if label in {f.label for f in PAPER_FIGURES.values()}:
        f = next(f for f in PAPER_FIGURES.values() if f.label == label)
        return f.gmacs, f.acc1
    m = tv_models.get_weight(label).meta
    return m["_ops"], m["_metrics"]["ImageNet-1K"]["acc@1"]


def test_every_plotted_figure_is_the_one_its_label_names():
    names = ["alexnet", "resnet50", "resnet152", "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_large",
             "efficientnet_b0", "efficientnet_b1", "lenet5"]
    fig = arch._compare(names).plot
    seen = {}
    for trace in [t for t in fig.data if t.customdata is not None]:  # not the stalks joining recipes
        for x, y, data in zip(trace.x, trace.y, trace.customdata):
            label, recipe, name = data[2], data[3], data[4]
            assert (x, y) == _source(label), label
            assert recipe == ("paper recipe" if label.endswith("_V1") or "paper" in label else "newer recipe (2021)")
            seen.setdefault(name, []).append(label)
    assert seen["resnet50"] == ["ResNet50_Weights.IMAGENET1K_V1", "ResNet50_Weights.IMAGENET1K_V2"]
    assert seen["efficientnet_b0"] == ["EfficientNet_B0_Weights.IMAGENET1K_V1"]
    assert seen["mobilenet_v1"] == ["MobileNet v1 paper, Table 8"]
    assert "lenet5" not in seen  # no ImageNet figures
    # The bubbles (first figure of each network) are the paper recipe: B0 above ResNet-50, as in the paper.
    bubbles = {d[4]: y for t in fig.data if t.mode == "markers+text" for y, d in zip(t.y, t.customdata)}
    assert bubbles["efficientnet_b0"] == 77.692 > bubbles["resnet50"] == 76.13


def test_the_card_names_each_figures_recipe():
    card = arch._card("resnet50")
    assert "`ResNet50_Weights.IMAGENET1K_V1` at 224 px | paper recipe | 76.13 %" in card
    assert "`ResNet50_Weights.IMAGENET1K_V2` at 224 px (loaded by *pretrained*) | newer recipe (2021) | 80.858 %" in card


@pytest.mark.parametrize("name, like, rf", [("alexnet_2012", "alexnet", (195, 195)),
                                            ("resnet50_v1", "resnet50", (483, 427)),
                                            ("densenet264", "densenet201", (5399, 3863))])
def test_the_variant_cards_show_lab_inspects_figures(name, like, rf):
    v = ll.variant_figures(name)
    size = v.input_size
    a, b = summarize(name, size), summarize(like, size)
    assert v.like == like and v.params == (a.total_params, b.total_params) and v.receptive_field == rf
    card = arch._card(name)
    assert f"`{like}`** (both at {size[1]} px): **{a.total_params:,}** parameters against {b.total_params:,}" in card
    assert f"**{rf[0]} px** against {rf[1]} px" in card
    assert ll.variant_figures(like) is None


def test_the_alexnet_card_corrects_the_notes_politely():
    with open("../shared/seeds/001_f7a14ad0de854a57.txt", encoding="utf-8") as f:
        assert "AlexNet 有6亿个参数" in f.read()  # 6亿 = 600 million: ten times the paper's 60 million
    tv = sum(p.numel() for p in tv_models.alexnet().parameters())
    assert tv == 61_100_840 and summarize("alexnet").total_params == tv
    assert "600,000,000" in arch._card("alexnet") and f"**{tv:,}**" in arch._card("alexnet")
    assert "**60,965,224**" in arch._card("alexnet_2012")


# The EfficientNet paper's Table 2, typed from the paper: top-1 %, params (M), FLOPS (B, multiply-adds).
TABLE_2 = {"B0": (77.1, 5.3, 0.39), "B1": (79.1, 7.8, 0.70), "B2": (80.1, 9.2, 1.0), "B3": (81.6, 12, 1.8),
           "B4": (82.9, 19, 4.2), "B5": (83.6, 30, 9.9), "B6": (84.0, 43, 19), "B7": (84.3, 66, 37)}


def test_the_scaling_tables_paper_column_is_table_2():
    rows = S.family_table()
    assert {r.name: r.paper for r in rows} == TABLE_2
    for r in rows:
        # The paper's params agree with lab's count to its rounding, and its FLOPS with MACs (not 2 × MACs):
        # within 10 % of lab's count at the official resolution.
        assert abs(r.params / 1e6 - r.paper[1]) / r.paper[1] < 0.06, r.name
        assert abs(r.official_gmacs - r.paper[2]) / r.paper[2] < 0.1, r.name
    frame = scaling_ui._family_frame()
    assert list(frame.iloc[-1])[-1] == "84.3 % · 66 M · 37 G"
