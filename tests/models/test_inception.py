"""Inception-v3 against torchvision's twin and the paper's grid sizes."""
import inspect

import pytest
import torch
import torchvision.models as tvm

from lab.models import create_model, get_entry
from lab.models.inception import InceptionOutputs
from lab.models.weights import load_state_dict_into
from tests.models.parity import max_output_diff, meta_model, num_params


def tv_inception_v3(**kwargs) -> torch.nn.Module:
    # init_weights=False skips torchvision's FutureWarning (and its slow init); weights are copied over anyway.
    return tvm.inception_v3(weights=None, init_weights=False, **kwargs)


@pytest.fixture(scope="module")
def tv_with_aux() -> torch.nn.Module:
    torch.manual_seed(0)
    return tv_inception_v3(num_classes=10, aux_logits=True)


@pytest.fixture(scope="module")
def ours_with_aux(tv_with_aux: torch.nn.Module) -> torch.nn.Module:
    model = create_model("inception_v3", num_classes=10)  # default options: with the aux head
    model.load_state_dict(tv_with_aux.state_dict(), strict=True)
    return model


@pytest.fixture(scope="module")
def ours_without_aux() -> torch.nn.Module:
    return create_model("inception_v3", num_classes=10, aux_logits=False)


@pytest.mark.parametrize("aux_logits, expected", [(True, 27_161_264), (False, 23_834_568)])
def test_param_count_matches_torchvision(aux_logits: bool, expected: int) -> None:
    with torch.device("meta"):  # structure only: no memory, no init cost
        ours, theirs = create_model("inception_v3", aux_logits=aux_logits), tv_inception_v3(aux_logits=aux_logits)
    assert num_params(ours) == num_params(theirs) == expected
    assert (ours.AuxLogits is not None) == aux_logits


def test_default_has_aux_head_like_torchvision(ours_with_aux: torch.nn.Module) -> None:
    assert inspect.signature(tvm.Inception3).parameters["aux_logits"].default is True
    assert ours_with_aux.aux_logits is True and ours_with_aux.AuxLogits is not None


@pytest.mark.parametrize("transform_input", [False, True])
def test_eval_outputs_agree_at_smallest_input(
    ours_with_aux: torch.nn.Module, tv_with_aux: torch.nn.Module, transform_input: bool
) -> None:
    ours_with_aux.eval().transform_input = transform_input
    tv_with_aux.eval().transform_input = transform_input
    x = torch.randn(2, 3, 75, 75)  # torchvision's min_size: the aux head does not run in eval mode
    with torch.no_grad():
        out, ref = ours_with_aux(x), tv_with_aux(x)
    assert out.shape == (2, 10)
    assert (out - ref).abs().max().item() < 1e-4


def test_full_checkpoint_loads_into_model_without_aux(
    ours_without_aux: torch.nn.Module, tv_with_aux: torch.nn.Module
) -> None:
    state_dict = tv_with_aux.state_dict()
    skipped = load_state_dict_into(ours_without_aux, state_dict, "inception_v3")
    assert skipped and set(skipped) == {k for k in state_dict if k.startswith("AuxLogits.")}
    # Our aux-free model's keys are exactly those of torchvision's aux-free twin.
    theirs = tv_inception_v3(num_classes=10, aux_logits=False)
    theirs.load_state_dict(ours_without_aux.state_dict(), strict=True)
    ours_without_aux.transform_input = False
    assert max_output_diff(ours_without_aux, theirs, torch.randn(2, 3, 75, 75)) < 1e-4


def test_train_mode_at_299_matches_torchvision_and_has_the_papers_grids(
    ours_with_aux: torch.nn.Module, tv_with_aux: torch.nn.Module
) -> None:
    ours_with_aux.train().transform_input = False
    tv_with_aux.train().transform_input = False
    shapes = {}
    hooks = [
        getattr(ours_with_aux, n).register_forward_hook(
            lambda m, i, o, n=n: shapes.__setitem__(n, tuple(o.shape[1:]))
        )
        for n in ("maxpool2", "Mixed_5d", "Mixed_6e", "Mixed_7c")
    ]
    x = torch.randn(2, 3, 299, 299)  # the smallest size at which the aux head runs
    try:
        torch.manual_seed(1)  # same seed, same single dropout call: same mask
        out = ours_with_aux(x)
    finally:
        for h in hooks:
            h.remove()
    torch.manual_seed(1)
    ref = tv_with_aux(x)
    assert isinstance(out, InceptionOutputs) and out._fields == ("logits", "aux_logits")
    for ours_t, ref_t in zip(out, ref):
        assert ours_t.shape == (2, 10)
        assert (ours_t - ref_t).abs().max().item() < 1e-4
    # The course's per-stage shapes: 35x35x288, 17x17x768, 8x8x2048.
    assert shapes == {
        "maxpool2": (192, 35, 35),
        "Mixed_5d": (288, 35, 35),
        "Mixed_6e": (768, 17, 17),
        "Mixed_7c": (2048, 8, 8),
    }


def test_too_small_inputs_are_value_errors_with_a_way_out(ours_with_aux: torch.nn.Module) -> None:
    with torch.no_grad():
        with pytest.raises(ValueError, match="aux_logits=False"):
            ours_with_aux.train()(torch.randn(2, 3, 298, 298))
        with pytest.raises(ValueError, match="75x75"):
            ours_with_aux.eval()(torch.randn(1, 3, 74, 74))


def test_without_aux_head_train_mode_returns_plain_logits(ours_without_aux: torch.nn.Module) -> None:
    out = ours_without_aux.train()(torch.randn(2, 3, 75, 75))
    assert isinstance(out, torch.Tensor) and out.shape == (2, 10)


def test_after_load_turns_on_transform_input() -> None:
    model = meta_model("inception_v3", aux_logits=False)
    assert model.transform_input is False
    get_entry("inception_v3").weights.after_load(model)
    assert model.transform_input is True


def test_card(ours_without_aux: torch.nn.Module) -> None:
    entry = get_entry("inception_v3")
    assert entry.input_size == (3, 299, 299)
    assert entry.cam_layer == "Mixed_7c" and entry.tv_weights == "Inception_V3_Weights"
    assert entry.cam_layer in dict(ours_without_aux.named_modules())


def test_bad_dropout_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="dropout"):
        create_model("inception_v3", dropout=2.0)
