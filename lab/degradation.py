"""The degradation experiment (He et al. 2015, §4.2, Fig. 1 and 6): a deeper *plain* network trains worse than
a shallower one, even on its training set, while residual networks of the same depths do not degrade.

Four runs from the same seed, on the same data, with the same recipe: plain and residual CIFAR-style
networks (:class:`lab.models.resnet.CifarResNet`) at two depths. :func:`run` trains them one after another
with the ordinary engine (:func:`lab.train.train`) and yields its events tagged with the run's name, so a UI
can draw the four training-loss curves on one plot; :func:`verdict` reads the outcome from the final
training losses.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from typing import Iterator

from lab.train import TrainConfig, train

DEPTHS = (20, 56)


@dataclass(frozen=True)
class Setting:
    """What the four runs share. The defaults fit a 2-core CPU (about 100 s for the four, measured): Shapes at
    16 px, 8 epochs of 2,000 images, SGD at 0.1 with a warm-up over the first 20% of the steps (the paper warms
    its deepest net up too, §4.2). Measured, seed 0: final training loss plain-20 0.64, plain-56 1.56 (worse),
    ResNet-20 1.21, ResNet-56 0.91 (better). With 3 epochs at 32 px the plain half showed but not the
    residual one: the deeper net needs more steps to overtake."""

    epochs: int = 8
    train_size: int = 2000
    val_size: int = 500
    image_size: int = 16
    batch_size: int = 64
    lr: float = 0.1
    warmup_frac: float = 0.2
    seed: int = 0


def names(depths: tuple[int, ...] = DEPTHS) -> list[str]:
    """The four registered networks, shallow plain first: plain20_cifar, plain56_cifar, resnet20_cifar, ..."""
    return [f"{kind}{d}_cifar" for kind in ("plain", "resnet") for d in depths]


def configs(setting: Setting = Setting(), depths: tuple[int, ...] = DEPTHS, threads: int = 1) -> list[TrainConfig]:
    """One config per network: the same data, seed and recipe (SGD with momentum, as the paper trains them);
    the thread count pinned, so two runs of one configuration are comparable step for step."""
    base = TrainConfig(dataset="shapes", epochs=setting.epochs, batch_size=setting.batch_size, lr=setting.lr,
                       optimizer="sgd", image_size=setting.image_size, train_size=setting.train_size,
                       val_size=setting.val_size, augmentation="none", seed=setting.seed, precision="fp32",
                       memory_format="contiguous", warmup_frac=setting.warmup_frac, threads=threads)
    return [replace(base, model=name) for name in names(depths)]


def run(setting: Setting = Setting(), stop: threading.Event | None = None, depths: tuple[int, ...] = DEPTHS,
        threads: int = 1, out_dir: str | None = None) -> Iterator[dict]:
    """Train the four networks in turn; every event of :func:`lab.train.train` with ``"run": name`` added.
    With ``out_dir`` each run's checkpoint goes there (``<name>.pt``), and a run that finished here before
    is replayed (:func:`lab.runs.replay`): the class's default experiment trains once per machine."""
    for config in configs(setting, depths, threads):
        if stop is not None and stop.is_set():
            return
        if out_dir:
            config = replace(config, out=os.path.join(out_dir, f"{config.model}.pt"))
        for event in train(config, stop, replay=bool(out_dir)):
            yield {**event, "run": config.model}


@dataclass(frozen=True)
class Verdict:
    final_loss: dict[str, float]  # each run's training loss over its last epoch
    complete: bool  # all four runs finished every epoch (not stopped): only then do the two below mean anything
    plain_degrades: bool  # the deeper plain network ends more than TIE behind the shallower one
    residual_does_not: bool  # the deeper residual network ends no more than TIE behind the shallower one


TIE = 0.05  # final losses within 5 % of each other count as a tie, both ways: short runs are noisy


def verdict(events: list[dict], depths: tuple[int, ...] = DEPTHS) -> Verdict:
    """The outcome of :func:`run`'s events: each run's last epoch training loss, compared by depth (the
    paper's Fig. 1 and 6 compare training error). A run stopped early, or missing, makes it incomplete."""
    final = {e["run"]: e["train_loss"] for e in events if e.get("kind") == "epoch"}
    done = {e["run"]: e for e in events if e.get("kind") == "done"}
    wanted = names(depths)
    complete = all(n in done and n in final and not done[n]["stopped"] and not done[n]["error"] for n in wanted)
    if not complete:
        return Verdict(final, False, False, False)
    shallow, deep = depths[0], depths[-1]
    plain = final[f"plain{deep}_cifar"] > (1 + TIE) * final[f"plain{shallow}_cifar"]
    residual = final[f"resnet{deep}_cifar"] <= (1 + TIE) * final[f"resnet{shallow}_cifar"]
    return Verdict(final, True, plain, residual)
