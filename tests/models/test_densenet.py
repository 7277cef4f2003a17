"""DenseNet (lab/models/densenet.py): parity with torchvision, Table 1 of the paper, old checkpoint keys."""
from __future__ import annotations

import re

import pytest
import torch
import torch.nn as nn
import torchvision.models as tvm

from lab.inspect import summarize
from lab.models import create_model, get_entry, list_models, model_info
from lab.models.densenet import DenseLayer
from lab.models.weights import load_state_dict_into
from tests.models.parity import max_output_diff, meta_model, num_params, randomize_batchnorm

DENSENETS = ["densenet121", "densenet169", "densenet201", "densenet161"]
# Channels reaching the classifier: stem + k per layer, halved by each of the three transitions.
FINAL_CHANNELS = {"densenet121": 1024, "densenet169": 1664, "densenet201": 1920, "densenet161": 2208}
DEEP_GAMMA = (0.2, 0.6)  # BN γ < 1 keeps the logits O(1) through 200 layers, so an absolute tolerance means something


def test_registered_in_course_order():
    assert [n for n in list_models() if n.startswith("densenet")] == DENSENETS + ["densenet264"]  # Table 1's deepest, no weights


@pytest.mark.parametrize("name", DENSENETS)
def test_matches_torchvision(name):
    torch.manual_seed(0)
    theirs = getattr(tvm, name)(weights=None)
    randomize_batchnorm(theirs, gamma=DEEP_GAMMA)
    ours = create_model(name)
    assert num_params(ours) == num_params(theirs)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    assert max_output_diff(ours, theirs, torch.randn(2, 3, 64, 64)) < 1e-4


@pytest.mark.parametrize("name", DENSENETS)
def test_num_classes_sets_the_output(name):
    torch.manual_seed(0)
    model = create_model(name, num_classes=10).eval()
    with torch.no_grad():
        assert model(torch.randn(2, 3, 64, 64)).shape == (2, 10)


@pytest.mark.parametrize("name", DENSENETS)
def test_card_matches_torchvision_weights_metadata(name):
    assert model_info(name).num_params == num_params(meta_model(name))


@pytest.mark.parametrize("name", DENSENETS)
def test_table1_structure(name):
    """Table 1: depth in the name, output sizes 56/28/14/7, growth rate k, 4k bottleneck, θ = 0.5."""
    model = meta_model(name)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) + 1 == int(name.removeprefix("densenet"))  # + the classifier

    sizes = {}
    blocks = [f"denseblock{i}" for i in range(1, 5)]
    hooks = [
        getattr(model.features, b).register_forward_hook(lambda m, i, o, b=b: sizes.__setitem__(b, o.shape))
        for b in blocks
    ]
    model(torch.empty(1, 3, 224, 224, device="meta"))
    for h in hooks:
        h.remove()
    assert [sizes[b][-1] for b in blocks] == [56, 28, 14, 7]
    assert sizes["denseblock4"][1] == model.classifier.in_features == FINAL_CHANNELS[name]

    block = model.features.denseblock2
    k = block.denselayer1.conv2.out_channels
    assert k == (48 if name == "densenet161" else 32)  # Table 1 is k = 32; DenseNet-161 is k = 48
    assert model.features.conv0.out_channels == 2 * k  # the stem makes 2k channels
    c0 = model.features.transition1.conv.out_channels
    assert c0 * 2 == model.features.transition1.conv.in_channels  # compression θ = 0.5
    for i, layer in enumerate(block.children()):
        assert isinstance(layer, DenseLayer)
        assert layer.norm1.num_features == c0 + i * k  # layer l sees x0 and the l-1 layers before it
        assert layer.conv1.out_channels == 4 * k  # the bottleneck: 4k channels into the 3x3 conv


def _old_style_checkpoint(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """torchvision's DenseNet files as published (2017): "denselayer1.norm.1.weight" for
    "denselayer1.norm1.weight", and no BatchNorm ``num_batches_tracked`` counters (added in PyTorch 0.4.1)."""
    dotted = re.compile(r"(denselayer\d+\.(?:norm|relu|conv))([12])\.")
    return {
        dotted.sub(r"\1.\2.", k): v for k, v in state_dict.items() if not k.endswith("num_batches_tracked")
    }


def test_old_style_checkpoint_keys_are_upgraded():
    torch.manual_seed(0)
    theirs = tvm.densenet121(weights=None)
    randomize_batchnorm(theirs, gamma=DEEP_GAMMA)
    old = _old_style_checkpoint(theirs.state_dict())
    assert "features.denseblock1.denselayer1.norm.1.weight" in old
    assert "features.denseblock4.denselayer16.conv.2.weight" in old
    # Keep the counters (new-style names) so this test isolates the renaming of old keys.
    old.update({k: v for k, v in theirs.state_dict().items() if k.endswith("num_batches_tracked")})
    ours = create_model("densenet121")
    assert load_state_dict_into(ours, old, "densenet121") == []
    assert max_output_diff(ours, theirs, torch.randn(1, 3, 64, 64)) < 1e-4


def test_published_old_checkpoint_without_counters_loads():
    torch.manual_seed(0)
    theirs = tvm.densenet121(weights=None)
    randomize_batchnorm(theirs, gamma=DEEP_GAMMA)
    ours = create_model("densenet121")
    load_state_dict_into(ours, _old_style_checkpoint(theirs.state_dict()), "densenet121")
    assert max_output_diff(ours, theirs, torch.randn(1, 3, 64, 64)) < 1e-4


def test_cam_layer_keeps_its_pre_relu_map_and_gets_gradients():
    """Grad-CAM hooks ``features.norm5``; the final ReLU is functional and not in place, so the hooked
    map keeps its negative values and backward through it works."""
    torch.manual_seed(0)
    model = create_model("densenet121").eval()
    layer = model.get_submodule(get_entry("densenet121").cam_layer)
    saved = {}

    def keep(m: nn.Module, inputs, out: torch.Tensor) -> None:
        saved["act"], saved["copy"] = out, out.detach().clone()
        out.register_hook(lambda g: saved.__setitem__("grad", g))

    handle = layer.register_forward_hook(keep)
    try:
        model(torch.randn(1, 3, 64, 64))[0, 0].backward()
    finally:
        handle.remove()
    assert saved["act"].shape == (1, model.classifier.in_features, 2, 2)
    assert torch.equal(saved["act"], saved["copy"]) and (saved["copy"] < 0).any()
    assert saved["grad"].shape == saved["act"].shape and saved["grad"].abs().sum() > 0


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError, match="drop_rate"):
        create_model("densenet121", drop_rate=1.5)
    with pytest.raises(ValueError, match="bn_size"):
        create_model("densenet121", bn_size=0)
    with pytest.raises(ValueError, match="does not accept"):
        create_model("densenet121", memory_efficient=True)


def _densenet_params_by_hand(k: int, blocks: tuple[int, ...], stem: int, classes: int = 1000) -> int:
    """Table 1 counted by hand: stem conv + BN; each layer BN-1x1(4k)-BN-3x3(k); transitions BN-1x1(c/2)."""
    total, c = 3 * stem * 7 * 7 + 2 * stem, stem
    for i, n in enumerate(blocks):
        for _ in range(n):
            total += 2 * c + c * 4 * k + 2 * 4 * k + 4 * k * k * 9
            c += k
        if i < len(blocks) - 1:
            total += 2 * c + c * (c // 2)
            c //= 2
    return total + 2 * c + c * classes + classes


def test_densenet264_is_table_1_by_hand():
    assert _densenet_params_by_hand(32, (6, 12, 24, 16), 64) == 7_978_856  # the same count gives DenseNet-121
    n = sum(p.numel() for p in create_model("densenet264").parameters())
    assert n == _densenet_params_by_hand(32, (6, 12, 64, 48), 64) == 33_337_704
    assert summarize("densenet264").output_shape == (1000,)
