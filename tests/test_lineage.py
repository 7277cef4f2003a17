"""lab.lineage: the course path's figures against lab.inspect and the weights' metadata."""
import time

import torchvision.models as tv_models

from lab import lineage as ll
from lab.inspect import summarize, usual_input_size
from lab.models import list_models
from lab.models.weights import PAPER_FIGURES


def test_the_path_is_the_courses_order_and_every_edge_joins_registered_models():
    data = ll.lineage()
    assert [n.label for n in data.nodes] == [
        "LeNet-5", "AlexNet", "VGG-16", "NiN", "GoogLeNet", "Inception-v3", "ResNet-50", "DenseNet-121",
        "MobileNet v1", "MobileNet v2", "MobileNet v3", "EfficientNet-B0"]
    names = [n.name for n in data.nodes]
    assert all(e.source in list_models() and e.target in list_models() for e in data.edges)
    assert [(e.source, e.target) for e in data.edges] == list(zip(names, names[1:]))
    assert [e.idea for e in data.edges][:3] == ["ReLU + dropout + GPUs", "stacks of 3×3 convolutions",
                                                "1×1 convolutions + global average pooling"]
    assert data.edges[-1].idea == "compound scaling"


def test_every_nodes_figures_are_lab_inspects_and_the_paper_recipes():
    for n in ll.lineage().nodes:
        s = summarize(n.name, usual_input_size(n.name))
        assert (n.params, n.macs, n.input_size) == (s.total_params, s.total_macs, s.input_size), n.name
        if n.acc1_source is None:
            assert n.name in ("lenet5", "nin") and n.acc1 is None
        elif n.acc1_source.endswith("IMAGENET1K_V1"):
            assert n.acc1 == tv_models.get_weight(n.acc1_source).meta["_metrics"]["ImageNet-1K"]["acc@1"]
        else:
            assert n.acc1 == PAPER_FIGURES[n.name].acc1 == 70.6
    nodes = {n.name: n for n in ll.lineage().nodes}
    assert nodes["alexnet"].params == 61_100_840 and nodes["resnet50"].acc1 == 76.13
    assert (nodes["lenet5"].year, nodes["efficientnet_b0"].year) == (1998, 2019)


def test_the_lineage_is_quick_on_meta_tensors():
    ll.lineage.cache_clear()
    ll._summary.cache_clear()
    start = time.perf_counter()
    ll.lineage()
    assert time.perf_counter() - start < 5  # ~0.6 s on a quiet machine; the tab builds it once
    assert ll.lineage().as_dict()["edges"][0] == {"source": "lenet5", "target": "alexnet",
                                                  "idea": "ReLU + dropout + GPUs"}
