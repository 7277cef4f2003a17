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


def _events(losses: dict[str, list[float]], stopped: str = "") -> list[dict]:
    """A synthetic stream of run(): per net its epochs' training losses, then its done event."""
    out = []
    for name, per_epoch in losses.items():
        out += [{"kind": "epoch", "run": name, "epoch": i + 1, "train_loss": x} for i, x in enumerate(per_epoch)]
        out.append({"kind": "done", "done": True, "run": name, "stopped": name == stopped, "error": None})
    return out


def test_the_verdict_compares_the_last_epochs_both_ways():
    shown = _events({"plain20_cifar": [1.6, 0.5], "plain56_cifar": [1.6, 0.9], "resnet20_cifar": [1.6, 0.4],
                     "resnet56_cifar": [1.7, 0.3]})
    v = D.verdict(shown)
    assert v.complete and v.plain_degrades and v.residual_does_not and v.final_loss["plain56_cifar"] == 0.9
    # The measured 3-epoch outcome at 32 px: the plain half shows, the residual half does not (1.582 > 1.05 x 1.180).
    half = _events({"plain20_cifar": [1.366], "plain56_cifar": [1.611], "resnet20_cifar": [1.180],
                    "resnet56_cifar": [1.582]})
    v = D.verdict(half)
    assert v.complete and v.plain_degrades and not v.residual_does_not
    # Neither: the deeper plain net trains better.
    v = D.verdict(_events({"plain20_cifar": [0.9], "plain56_cifar": [0.5], "resnet20_cifar": [0.4],
                           "resnet56_cifar": [0.3]}))
    assert not v.plain_degrades and v.residual_does_not
    # One tie margin both ways (5 %): 3 % worse is a tie for either kind of network, 6 % worse is not.
    v = D.verdict(_events({"plain20_cifar": [1.00], "plain56_cifar": [1.03], "resnet20_cifar": [1.00],
                           "resnet56_cifar": [1.06]}))
    assert not v.plain_degrades and not v.residual_does_not
    # Stopped during ResNet-56 (or before it): no verdict at all.
    stopped = _events({"plain20_cifar": [0.5], "plain56_cifar": [0.9], "resnet20_cifar": [0.4],
                       "resnet56_cifar": [0.3]}, stopped="resnet56_cifar")
    assert not D.verdict(stopped).complete and not D.verdict(shown[:-3]).complete


def test_the_residual_branches_start_at_zero_and_the_plain_ones_do_not():
    res, plain = create_model("resnet20_cifar"), create_model("plain20_cifar")
    assert all(float(b.bn2.weight.abs().sum()) == 0 for b in res.modules() if type(b).__name__ == "BasicBlock")
    assert all(float(b.bn2.weight.min()) == 1 for b in plain.modules() if type(b).__name__ == "PlainBlock")


def test_a_finished_runs_summary_has_its_real_numbers():
    from lab.runs import summarize_run

    setting = D.Setting(epochs=2, train_size=64, val_size=32, image_size=16, batch_size=32)
    events = [e for e in D.run(setting, depths=(20,)) if e["run"] == "resnet20_cifar"]
    s = summarize_run(events, 3)
    assert s.model == "resnet20_cifar" and s.label.startswith("3 · resnet20_cifar · 16 px · 2/2 epochs")
    assert s.params == summarize("resnet20_cifar", num_classes=5).total_params  # all trainable, Shapes' 5 classes
    assert [e["epoch"] for e in s.epochs] == [1, 2] and s.final_val_acc == events[-1]["val_acc"]
    assert s.best_val_acc == max(e["val_acc"] for e in s.epochs) and s.images_per_s > 0 and s.ended == "done"
    assert summarize_run(events[:-1], 1) is None  # no final event: not a finished run
