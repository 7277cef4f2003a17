"""The Architecture tab's lineage graph and recipe-labelled comparison, in a real browser (en and zh-CN), and
the lineage's Chinese without one."""
import pytest

from lab.ui import common
from lab.ui import lineage as lineage_ui
from tests.ui.test_zh_architecture_scaling_layers import (CJK, _no_english, _wait, english_sentences,
                                                         figure_texts, screen_text)


def test_the_lineage_speaks_the_requests_language():
    fig, ideas = lineage_ui.draw()
    assert "11. **MobileNet v3 → EfficientNet-B0**: compound scaling" in ideas
    assert "ImageNet top-1: 76.13 % (ResNet50_Weights.IMAGENET1K_V1)" in " ".join(fig.data[-1].hovertext)
    with common.language(common.ZH):
        fig, ideas = lineage_ui.draw()
        assert "11. **MobileNet v3 → EfficientNet-B0**: 复合缩放" in ideas
        assert CJK.search(fig.layout.title.text) and english_sentences(ideas) == []
        _no_english(figure_texts(fig))


def _choose_densenet(page, label: str, shot: str) -> None:
    page.locator("#arch-lineage .scatterlayer .point").first.wait_for(timeout=60_000)  # the graph drew
    _wait(page, "#arch-lineage-ideas", "EfficientNet-B0")
    _wait(page, "#arch-table", "layer4")  # resnet18, the default
    page.locator("#arch-lineage-pick").get_by_label(label).check()
    _wait(page, "#arch-table", "denseblock")
    _wait(page, "#arch-card", "densenet121")
    page.locator("#arch-lineage-box").screenshot(path=shot)


@pytest.mark.browser
def test_choosing_a_node_opens_it_in_the_picker(page):
    _choose_densenet(page, "DenseNet-121 (2016)", "/tmp/arch_lineage_en.png")
    assert page.locator("#arch-model input").input_value().endswith("densenet121")
    _wait(page, "#arch-compare-table", "ResNet50_Weights.IMAGENET1K_V1")  # the comparison names its weights
    _wait(page, "#arch-compare-table", "80.858 (ResNet50_Weights.IMAGENET1K_V2)")
    page.locator("#arch-compare").screenshot(path="/tmp/arch_compare_en.png")
    page.locator("#arch-card").screenshot(path="/tmp/arch_card_en.png")
    assert page.errors == []


@pytest.mark.browser
def test_the_lineage_in_chinese(page_in):
    page = page_in("zh-CN")
    _choose_densenet(page, "DenseNet-121 (2016)", "/tmp/arch_lineage_zh.png")
    _wait(page, "#arch-lineage-ideas", "复合缩放")
    page.screenshot(path="/tmp/arch_zh.png", full_page=True)
    assert english_sentences(screen_text(page)) == []
    assert page.errors == []


def test_the_lineage_endpoint_returns_nodes_and_edges(client):
    data = client.predict(api_name="/lineage")
    assert [n["name"] for n in data["nodes"]][:3] == ["lenet5", "alexnet", "vgg16"]
    assert data["nodes"][1]["params"] == 61_100_840 and data["nodes"][6]["acc1"] == 76.13
    assert data["edges"][-1] == {"source": "mobilenet_v3_large", "target": "efficientnet_b0", "idea": "compound scaling"}
