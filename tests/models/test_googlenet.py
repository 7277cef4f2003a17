"""GoogLeNet against torchvision's twin and the paper's Table 1."""
import inspect

import pytest
import torch
import torchvision.models as tvm

from lab.models import create_model, get_entry
from lab.models.googlenet import TABLE_1, GoogLeNetOutputs, Inception
from lab.models.weights import load_state_dict_into
from tests.models.parity import max_output_diff, meta_model, num_params


def tv_googlenet(**kwargs) -> torch.nn.Module:
    # init_weights=False skips torchvision's FutureWarning (and its slow init); weights are copied over anyway.
    return tvm.googlenet(weights=None, init_weights=False, **kwargs)


@pytest.fixture(scope="module")
def tv_with_aux() -> torch.nn.Module:
    torch.manual_seed(0)
    return tv_googlenet(num_classes=10, aux_logits=True)


@pytest.fixture(scope="module")
def ours_with_aux(tv_with_aux: torch.nn.Module) -> torch.nn.Module:
    model = create_model("googlenet", num_classes=10)  # default options: with aux heads
    model.load_state_dict(tv_with_aux.state_dict(), strict=True)
    return model


@pytest.fixture(scope="module")
def ours_without_aux() -> torch.nn.Module:
    return create_model("googlenet", num_classes=10, aux_logits=False)


@pytest.mark.parametrize("aux_logits, expected", [(True, 13_004_888), (False, 6_624_904)])
def test_param_count_matches_torchvision(aux_logits: bool, expected: int) -> None:
    with torch.device("meta"):  # structure only: no memory, no init cost
        ours, theirs = create_model("googlenet", aux_logits=aux_logits), tv_googlenet(aux_logits=aux_logits)
    assert num_params(ours) == num_params(theirs) == expected


def test_default_has_aux_heads_like_torchvision(ours_with_aux: torch.nn.Module) -> None:
    assert inspect.signature(tvm.GoogLeNet).parameters["aux_logits"].default is True
    assert ours_with_aux.aux_logits is True
    assert ours_with_aux.aux1 is not None and ours_with_aux.aux2 is not None


@pytest.mark.parametrize("transform_input", [False, True])
def test_strict_load_and_eval_outputs_agree(
    ours_with_aux: torch.nn.Module, tv_with_aux: torch.nn.Module, transform_input: bool
) -> None:
    ours_with_aux.eval().transform_input = transform_input
    tv_with_aux.eval().transform_input = transform_input
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out, ref = ours_with_aux(x), tv_with_aux(x)
    assert out.shape == (2, 10)
    assert (out - ref).abs().max().item() < 1e-4


def test_train_mode_returns_logits_and_both_aux_heads_like_torchvision(
    ours_with_aux: torch.nn.Module, tv_with_aux: torch.nn.Module
) -> None:
    ours_with_aux.train().transform_input = False
    tv_with_aux.train().transform_input = False
    x = torch.randn(2, 3, 64, 64)
    # Same seed, same order of dropout calls (aux1, aux2, main): the masks and outputs must match.
    torch.manual_seed(1)
    out = ours_with_aux(x)
    torch.manual_seed(1)
    ref = tv_with_aux(x)
    assert isinstance(out, GoogLeNetOutputs) and out._fields == ("logits", "aux_logits2", "aux_logits1")
    for ours_t, ref_t in zip(out, ref):
        assert ours_t.shape == (2, 10)
        assert (ours_t - ref_t).abs().max().item() < 1e-4


def test_full_checkpoint_loads_into_model_without_aux(
    ours_without_aux: torch.nn.Module, tv_with_aux: torch.nn.Module
) -> None:
    state_dict = tv_with_aux.state_dict()
    skipped = load_state_dict_into(ours_without_aux, state_dict, "googlenet")
    assert skipped and set(skipped) == {k for k in state_dict if k.startswith(("aux1.", "aux2."))}
    ours_without_aux.eval().transform_input = False
    tv_with_aux.eval().transform_input = False
    assert max_output_diff(ours_without_aux, tv_with_aux, torch.randn(1, 3, 64, 64)) < 1e-4


def test_without_aux_heads_train_mode_returns_plain_logits(ours_without_aux: torch.nn.Module) -> None:
    assert ours_without_aux.aux1 is None and ours_without_aux.aux2 is None
    out = ours_without_aux.train()(torch.randn(2, 3, 32, 32))
    assert isinstance(out, torch.Tensor) and out.shape == (2, 10)


def test_after_load_turns_on_transform_input() -> None:
    model = meta_model("googlenet", aux_logits=False)
    assert model.transform_input is False
    get_entry("googlenet").weights.after_load(model)
    assert model.transform_input is True


def test_table_1_channels_chain_and_end_at_1024() -> None:
    rows = list(TABLE_1.values())
    assert rows[0][0] == 192  # the stem's output
    outs = [ch1x1 + ch3x3 + ch5x5 + pool for _, ch1x1, _, ch3x3, _, ch5x5, pool in rows]
    assert [r[0] for r in rows[1:]] == outs[:-1]
    assert outs == [256, 480, 512, 512, 512, 528, 832, 832, 1024]  # Table 1's depth column


def test_grid_sizes_of_table_1_at_224(ours_without_aux: torch.nn.Module) -> None:
    shapes = {}
    hooks = [
        getattr(ours_without_aux, n).register_forward_hook(
            lambda m, i, o, n=n: shapes.__setitem__(n, tuple(o.shape[1:]))
        )
        for n in ("inception3b", "inception4e", "inception5b")
    ]
    try:
        with torch.no_grad():
            ours_without_aux.eval()(torch.randn(1, 3, 224, 224))
    finally:
        for h in hooks:
            h.remove()
    assert shapes == {"inception3b": (480, 28, 28), "inception4e": (832, 14, 14), "inception5b": (1024, 7, 7)}


def test_first_inception_block_as_in_the_course() -> None:
    block = Inception(192, 64, 96, 128, 16, 32, 32)
    assert block(torch.randn(2, 192, 28, 28)).shape == (2, 256, 28, 28)


def test_card(ours_without_aux: torch.nn.Module) -> None:
    entry = get_entry("googlenet")
    assert entry.cam_layer == "inception5b" and entry.tv_weights == "GoogLeNet_Weights"
    assert "aux" in entry.note
    assert entry.cam_layer in dict(ours_without_aux.named_modules())


@pytest.mark.parametrize("kwargs", [{"dropout": 1.5}, {"aux_dropout": -0.1}])
def test_bad_dropout_is_a_value_error(kwargs: dict) -> None:
    with pytest.raises(ValueError, match="dropout"):
        create_model("googlenet", **kwargs)


def test_too_small_input_is_a_value_error(ours_without_aux: torch.nn.Module) -> None:
    ours_without_aux.eval()
    with torch.no_grad():
        assert ours_without_aux(torch.randn(1, 3, 15, 15)).shape == (1, 10)
        with pytest.raises(ValueError, match="15x15"):
            ours_without_aux(torch.randn(1, 3, 14, 14))
