"""lab.inspect.summarize: shapes against real forward passes, totals against torchvision, torchinfo and
the papers' receptive fields, and the errors a student can cause."""
from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torchinfo
import torchvision

import lab.inspect as li
from lab.inspect import MAX_SIDE, summarize
from lab.models import create_model, get_entry, list_models, model_info


def _real_leaf_shapes(model: nn.Module, x: torch.Tensor) -> list[tuple[str, tuple[int, ...]]]:
    """(name, output shape without batch) of every leaf-module call of a real CPU forward pass."""
    calls, handles = [], []
    for name, m in model.named_modules():
        if next(m.children(), None) is None:
            handles.append(m.register_forward_hook(
                lambda mod, args, out, name=name: calls.append((name, tuple(out.shape[1:])))))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return calls


@pytest.mark.parametrize("name,side", [("lenet5", 32), ("alexnet", 67), ("vgg11_bn", 40), ("nin", 70),
                                       ("googlenet", 33), ("inception_v3", 79), ("resnet50", 37),
                                       ("densenet121", 35), ("mobilenet_v2", 33), ("mobilenet_v3_small", 35),
                                       ("efficientnet_b0", 41)])
def test_shapes_equal_a_real_forward_pass(name, side):
    torch.manual_seed(0)
    model = create_model(name, num_classes=10).eval()
    channels = get_entry(name).input_size[0]
    real = _real_leaf_shapes(model, torch.randn(1, channels, side, side))
    s = summarize(name, (channels, side, side), num_classes=10)
    assert [(r.name, r.output_shape) for r in s.rows] == real
    assert s.output_shape == (10,)


def test_every_course_model_runs_at_its_usual_size_and_counts_every_parameter():
    for name in list_models():
        s = summarize(name)
        info = model_info(name)
        assert s.input_size == get_entry(name).input_size
        assert s.output_shape == (li.default_num_classes(name),)
        assert s.rows and s.stages and s.total_macs > 0
        # Stages cover the model: their parameters and MACs add up to the totals.
        assert sum(st.params for st in s.stages) == s.total_params, name
        assert sum(st.macs for st in s.stages) == s.total_macs == sum(r.macs for r in s.rows), name
        if info.num_params is not None:
            # torchvision publishes GoogLeNet's count without its two training-only auxiliary heads.
            skipped = sum(st.params for st in s.stages if not st.ran) if name == "googlenet" else 0
            if info.figures[0].label.endswith("_V1"):
                assert s.total_params - skipped == info.num_params, name
            else:  # a paper's table (MobileNet v1: 4.2 million), rounded as the paper prints it
                assert round(s.total_params / 1e6, 1) == info.num_params / 1e6, name


def test_totals_equal_a_real_models_parameter_count():
    for name in ["lenet5", "resnet18", "mobilenet_v2", "googlenet"]:
        real = create_model(name, num_classes=li.default_num_classes(name))
        assert summarize(name).total_params == sum(p.numel() for p in real.parameters())


def test_macs_match_torchvisions_published_gflops_within_5_percent():
    """torchvision's "GFLOPS" metadata counts multiply-accumulates, at its evaluation crop size."""
    for name in list_models():
        info = model_info(name)
        if info.gflops is None:
            continue
        side = li.published_resolution(name)
        macs = summarize(name, (3, side, side)).total_macs
        assert macs / 1e9 == pytest.approx(info.gflops, rel=0.05), name


def test_resnet50_is_the_textbook_4_1_gmacs():
    assert summarize("resnet50").total_macs / 1e9 == pytest.approx(4.09, abs=0.01)


@pytest.mark.parametrize("name", ["lenet5", "alexnet", "resnet18", "mobilenet_v3_small"])
def test_macs_within_2_percent_of_torchinfo(name):
    classes = li.default_num_classes(name)
    model = create_model(name, num_classes=classes)
    stats = torchinfo.summary(model, input_size=(1, *get_entry(name).input_size), verbose=0, mode="eval")
    s = summarize(name)
    assert s.total_macs == pytest.approx(stats.total_mult_adds, rel=0.02)
    assert s.total_params == stats.total_params


def _row(s, name):
    return [r for r in s.rows if r.name == name][-1]


def test_receptive_fields_match_the_published_values():
    # Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks" (Distill 2019),
    # Table 1: AlexNet 195, VGG-16 212, MobileNet v1 315, Inception-v3 1311 at the last feature layer.
    alex = _row(summarize("alexnet"), "features.12")
    assert (alex.output_shape, alex.receptive_field, alex.stride) == ((256, 6, 6), 195, 32)
    vgg = summarize("vgg16")
    assert (_row(vgg, "features.28").receptive_field, _row(vgg, "features.30").receptive_field) == (196, 212)
    assert _row(summarize("mobilenet_v1"), "features.13.pointwise.2").receptive_field == 315
    mixed = [r.receptive_field for r in summarize("inception_v3").rows if r.name.startswith("Mixed_7c.")]
    assert max(mixed) == 1311  # the widest branch is the main path into the concatenation


def test_lenet_receptive_field_by_hand():
    # C1 5x5 -> 5; S2 2x2/2 -> 6, jump 2; C3 5x5 -> 6 + 4*2 = 14; S4 2x2/2 -> 16, jump 4;
    # C5 reads the whole 5x5 map of S4: 16 + 4*4 = 32, the whole 32x32 input.
    s = summarize("lenet5")
    got = [(r.name, r.receptive_field, r.stride) for r in s.rows[:6]]
    assert got == [("features.0", 5, 1), ("features.1", 5, 1), ("features.2", 6, 2),
                   ("features.3", 14, 2), ("features.4", 14, 2), ("features.5", 16, 4)]
    assert _row(s, "classifier.0").receptive_field == 32


def test_se_gate_is_not_the_main_path():
    """EfficientNet's SE gate comes from a global average; the block's output keeps the local field."""
    s = summarize("efficientnet_b0")
    first_block_out = _row(s, "features.1.0.block.2.1")  # after the SE-scaled projection (BN)
    assert first_block_out.receptive_field == 3 + 2 * 2 and first_block_out.stride == 2
    assert _row(s, "features.1.0.block.1.avgpool").receptive_field > 100  # the gate itself sees everything


def test_a_module_called_twice_gives_two_rows_and_is_counted_once():
    s = summarize("resnet18")
    assert [r.name for r in s.rows].count("layer1.0.relu") == 2

    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 3, padding=1)

        def forward(self, x):
            return self.conv(self.conv(x))

    t = summarize(Twice(), (3, 8, 8))
    assert [r.name for r in t.rows] == ["conv", "conv"]
    assert t.total_params == 84 and [r.params for r in t.rows] == [84, 84]
    assert t.total_macs == 2 * 8 * 8 * 3 * 27
    assert [r.receptive_field for r in t.rows] == [3, 5]


def test_a_real_module_is_summarized_without_touching_its_weights():
    model = torchvision.models.resnet18().train()
    before = model.conv1.weight.clone()
    s = summarize(model, (3, 224, 224))
    assert s.total_macs == summarize("resnet18").total_macs
    assert model.training and model.layer1[0].bn1.training  # modes restored
    assert not model.conv1.weight.is_meta and torch.equal(model.conv1.weight, before)
    assert model.layer1[0].bn1.num_batches_tracked.item() == 0  # no statistics were updated


def test_built_models_live_on_the_meta_device_and_are_cached():
    summarize("efficientnet_b7", (3, 600, 600))
    model = li._meta_model("efficientnet_b7", 1000, None)
    assert all(p.is_meta for p in model.parameters()) and all(b.is_meta for b in model.buffers())
    assert li._meta_model("efficientnet_b7", 1000, None) is model
    # Results are not cached: a second call builds a new Summary.
    assert summarize("lenet5") is not summarize("lenet5")


def test_aux_heads_are_counted_but_not_run():
    s = summarize("googlenet")
    assert s.not_run == ["aux1", "aux2"]
    assert not any(r.name.startswith("aux") for r in s.rows)
    aux = [st for st in s.stages if not st.ran]
    assert [st.modules for st in aux] == [("aux1", "aux2")] and aux[0].macs == 0


def test_stages_follow_the_networks_blocks():
    names = [st.name for st in summarize("resnet18").stages]
    assert names == [
        "conv1 … maxpool (Conv2d, BatchNorm2d, ReLU, MaxPool2d)",
        "layer1 (Sequential: 2× BasicBlock)", "layer2 (Sequential: 2× BasicBlock)",
        "layer3 (Sequential: 2× BasicBlock)", "layer4 (Sequential: 2× BasicBlock)",
        "avgpool … fc (AdaptiveAvgPool2d, Linear)",
    ]
    vgg = summarize("vgg16").stages
    # VGG's `features` Sequential is split at its five max-pools (the paper's five blocks).
    assert [st.modules[0] for st in vgg[:5]] == ["features.0", "features.5", "features.10", "features.17",
                                                 "features.24"]
    assert [st.output_shape for st in vgg[:5]] == [(64, 112, 112), (128, 56, 56), (256, 28, 28), (512, 14, 14),
                                                   (512, 7, 7)]
    eff = [st.name for st in summarize("efficientnet_b0").stages]
    assert "features.4 (Sequential: 3× MBConv)" in eff  # Table 1, stage 5: 3 layers of MBConv6 3x3, 80 ch
    mob = [st.name for st in summarize("mobilenet_v2").stages]
    assert "features.2–3 (2× InvertedResidual)" in mob  # Table 2: the 24-channel bottleneck row, n = 2


def test_fold_by_depth():
    s = summarize("resnet18")
    top = s.fold(1)
    assert [r.name for r in top] == ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4",
                                     "avgpool", "fc"]
    layer2 = top[5]
    assert (layer2.kind, layer2.input_shape, layer2.output_shape) == ("Sequential", (64, 56, 56), (128, 28, 28))
    assert layer2.params == sum(p.numel() for p in torchvision.models.resnet18().layer2.parameters())
    assert sum(r.macs for r in top) == s.total_macs
    assert len(s.fold(s.max_depth)) == len(s.rows)
    with pytest.raises(ValueError):
        s.fold(0)


def test_input_too_small_names_the_layer_and_the_smallest_size():
    with pytest.raises(ValueError) as e:
        summarize("alexnet", (3, 16, 16))
    msg = str(e.value)
    assert "features.5 (MaxPool2d)" in msg and "63×63" in msg
    # 63 px is indeed the smallest: it runs, 62 does not.
    assert summarize("alexnet", (3, 63, 63)).rows[-1].output_shape == (1000,)
    with pytest.raises(ValueError, match="63×63"):
        summarize("alexnet", (3, 62, 62))
    with pytest.raises(ValueError, match="transition2.pool"):
        summarize("densenet121", (3, 8, 8))


@pytest.mark.parametrize("size,match", [((3, 0, 224), "at least 1×1"), ((3, -5, -5), "at least 1×1"),
                                        ((3, MAX_SIDE + 1, 224), "limit of 1024"), ((0, 224, 224), "channels"),
                                        ((3, 224), "three whole numbers"), (224, "single number"),
                                        ((3, 22.5, 224), "three whole numbers")])
def test_absurd_sizes_are_refused_with_a_sentence(size, match):
    with pytest.raises(ValueError, match=match):
        summarize("resnet18", size)


def test_channels_must_fit_the_first_layer():
    with pytest.raises(ValueError, match=r"takes 3-channel images \(its first layer, conv1, .* Set channels to 3"):
        summarize("resnet18", (1, 224, 224))
    # LeNet-5 can be built for colour images: only C1 changes (6 filters x 5x5 x 2 more channels).
    assert summarize("lenet5", (3, 32, 32)).total_params == summarize("lenet5").total_params + 6 * 25 * 2


def test_unknown_names_and_bad_classes():
    with pytest.raises(ValueError, match="Did you mean"):
        summarize("resnet5")
    with pytest.raises(ValueError, match="number of classes"):
        summarize("resnet18", num_classes=0)
    assert summarize("resnet18", num_classes=10).output_shape == (10,)


def test_timm_names_work_too():
    s = summarize("timm:resnet18")
    ours = summarize("resnet18")
    assert (s.total_params, s.total_macs) == (ours.total_params, ours.total_macs)
    assert s.rows[-1].receptive_field == ours.rows[-1].receptive_field
    # A ViT keeps parameters on the model itself (class token, position embedding): a stage of their own.
    vit = summarize("timm:vit_tiny_patch16_224")
    assert sum(st.params for st in vit.stages) == vit.total_params == 5_717_416
    assert vit.stages[-1].params == 192 + 197 * 192  # cls_token + pos_embed


def test_family_source_is_labs_own_file():
    module, source = li.family_source("resnet50")
    assert module == "lab.models.resnet" and "class Bottleneck" in source


def test_as_dict_is_the_totals_and_stages_in_plain_json():
    import json

    s = summarize("resnet18")
    d = json.loads(json.dumps(s.as_dict()))
    assert (d["model"], d["input_size"], d["output_shape"]) == ("resnet18", [3, 224, 224], [1000])
    assert (d["total_params"], d["total_macs"]) == (11_689_512, 1_814_073_344)
    assert [st["name"] for st in d["stages"]] == [st.name for st in s.stages]
    assert d["stages"][1] == {"name": "layer1 (Sequential: 2× BasicBlock)", "params": 147_968,
                              "macs": s.stages[1].macs, "output_shape": [64, 56, 56]}


def test_spatial_rows_follow_the_main_path():
    s = summarize("efficientnet_b0")
    rows = s.spatial_rows()
    assert all(len(r.output_shape) == 3 for _, r in rows)
    assert [s.rows[i - 1] for i, _ in rows] == [r for _, r in rows]  # numbered from 1
    # SE's 1×1 gates are left out; the final global pooling (1280×1×1) is the last spatial row.
    assert not any(".avgpool" in r.name or ".fc" in r.name for _, r in rows)
    assert rows[-1][1].name == "avgpool" and rows[-1][1].output_shape == (1280, 1, 1)
    assert rows[0] == (1, s.rows[0])


def test_published_figures_decide_who_is_on_the_accuracy_chart():
    assert li.has_published_figures(model_info("resnet50"))
    assert not li.has_published_figures(model_info("lenet5"))  # no ImageNet weights
    assert li.published_resolution("efficientnet_b2") == 288 and li.published_resolution("lenet5") is None
