"""The degradation experiment: the paper's CIFAR networks (plain and residual, 6n + 2 layers) and the four
runs from one seed, tagged so their curves go on one plot."""
from __future__ import annotations

import pytest

from lab import degradation as D
from lab.inspect import summarize
from lab.models import create_model


def test_the_cifar_networks_have_the_papers_sizes():
    # §4.2: ResNet-20 0.27 M parameters, ResNet-56 0.85 M; the plain networks the same layers without shortcuts.
    params = {n: summarize(n).total_params for n in D.names()}
    assert round(params["resnet20_cifar"] / 1e6, 2) == 0.27 and round(params["resnet56_cifar"] / 1e6, 2) == 0.86
    assert params["plain20_cifar"] < params["resnet20_cifar"]  # only the 1x1 projections differ
    plain = create_model("plain56_cifar")
    assert sum(1 for m in plain.modules() if type(m).__name__ == "PlainBlock") == 27
    assert all(getattr(m, "downsample", None) is None for m in plain.modules())
    with pytest.raises(ValueError, match="6n \\+ 2"):
        create_model("resnet20_cifar").__class__(21)


def test_the_four_configs_share_everything_but_the_network():
    configs = D.configs()
    assert [c.model for c in configs] == ["plain20_cifar", "plain56_cifar", "resnet20_cifar", "resnet56_cifar"]
    assert len({(c.seed, c.lr, c.epochs, c.train_size, c.optimizer, c.image_size) for c in configs}) == 1


def test_a_tiny_experiment_tags_every_event_and_reads_its_verdict():
    setting = D.Setting(epochs=1, train_size=64, val_size=32, image_size=16, batch_size=32)
    events = list(D.run(setting))
    runs = [e["run"] for e in events if e["kind"] == "done"]
    assert runs == D.names()
    assert all("run" in e for e in events)
    assert set(D.verdict(events).final_loss) == set(runs)


def test_the_verdict_compares_the_last_epochs():
    ev = [{"kind": "epoch", "run": n, "train_loss": x} for n, x in
          [("plain20_cifar", 0.5), ("plain56_cifar", 0.9), ("resnet20_cifar", 0.4), ("resnet56_cifar", 0.3)]]
    v = D.verdict(ev)
    assert v.plain_degrades and v.residual_does_not
