"""Pretrained loading: offline errors, and the real loading path through a temporary torch hub cache."""
import os

import pytest
import torch
import torchvision

from lab.models import create_model, get_entry
from lab.models import weights as W


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    """An empty torch hub cache of the test's own."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(torch.hub, "_hub_dir", None, raising=False)
    return tmp_path


def _put_in_cache(name: str, state_dict: dict) -> str:
    path = W.cache_path(get_entry(name).weights.enum.url)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save(state_dict, path)
    return path


def test_offline_without_cache_raises_a_clear_error(hub_dir, offline):
    with pytest.raises(W.WeightsUnavailable, match="Pretrained weights for resnet18 are not in the cache and cannot be downloaded"):
        create_model("resnet18", pretrained=True)
    assert not get_entry("resnet18").weights.is_cached()


def test_models_without_published_weights_say_so(offline):
    with pytest.raises(W.WeightsUnavailable, match="no published ImageNet weights for nin"):
        create_model("nin", pretrained=True)


def test_loads_torchvision_weights_from_the_cache(hub_dir):
    torch.manual_seed(0)
    tv = torchvision.models.resnet18().eval()
    _put_in_cache("resnet18", tv.state_dict())
    assert get_entry("resnet18").weights.is_cached()
    ours = create_model("resnet18", pretrained=True).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(ours(x), tv(x), atol=1e-5)


def test_fine_tune_head_keeps_the_backbone(hub_dir):
    torch.manual_seed(0)
    tv = torchvision.models.resnet18()
    _put_in_cache("resnet18", tv.state_dict())
    ours = create_model("resnet18", num_classes=5, pretrained=True)
    assert torch.equal(ours.conv1.weight, tv.conv1.weight)
    assert torch.equal(ours.layer4[1].bn2.running_var, tv.layer4[1].bn2.running_var)
    assert ours.fc.out_features == 5


def test_a_checkpoint_that_does_not_fit_is_refused(hub_dir):
    sd = torchvision.models.resnet18().state_dict()
    sd.pop("layer1.0.conv1.weight")
    _put_in_cache("resnet18", sd)
    with pytest.raises(ValueError, match="do not fit"):
        create_model("resnet18", pretrained=True)


def test_pickled_objects_are_refused(hub_dir):
    """A cached file is user-replaceable input: weights_only=True refuses arbitrary objects."""
    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))

    _put_in_cache("resnet18", {"x": Evil()})
    with pytest.raises(Exception, match="(?i)weights only|weights_only|unsupported"):
        create_model("resnet18", pretrained=True)
