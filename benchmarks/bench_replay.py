"""What a replay saves, and what pinning the thread count costs and buys, side by side.

    python benchmarks/bench_replay.py                  # ResNet-18, 32 px, 512 Shapes images, 2 epochs
    python benchmarks/bench_replay.py --default-run    # the Train tab's default run (ResNet-18, 64 px, 5 epochs)

1. The same seeded run twice through ``lab.train.train(replay=True)`` (the Train tab's way), in an empty
   record folder: the first press trains, the second replays the recorded events (lab.runs). Printed: the
   wall time of each, their ratio, and whether the replay's events and checkpoint equal the original's.
2. The same run pinned to each thread count in ``--threads`` (0: the engine's choice and its thread
   tuner), twice each, the counts taking turns: seconds per run and whether the two runs gave the same losses, accuracies and
   weights bit for bit. A pinned count should always say "yes"; on a machine other programs share, one
   thread is often the fastest too (the tab pins half the cores: the other half answers the other tabs).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from lab import runs  # noqa: E402
from lab.train import TrainConfig, train  # noqa: E402

TIMING = {"images_per_sec", "eta_s", "wall_s", "setup_s", "probe", "checkpoint"}


def _outcome(events: list[dict]) -> str:
    return json.dumps([{k: v for k, v in e.items() if k not in TIMING} for e in events if e["kind"] != "note"],
                      default=runs._encode, sort_keys=True)


def _timed(config: TrainConfig, replay: bool = False) -> tuple[float, list[dict]]:
    t = time.perf_counter()
    events = list(train(config, replay=replay))
    return time.perf_counter() - t, events


def _same_weights(a: str, b: str) -> bool:
    x, y = (torch.load(p, weights_only=True)["state_dict"] for p in (a, b))
    return x.keys() == y.keys() and all(torch.equal(x[k], y[k]) for k in x)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--default-run", action="store_true", help="the Train tab's default run instead of a small one")
    p.add_argument("--threads", type=int, nargs="*", default=[1, torch.get_num_threads(), 0])
    args = p.parse_args()
    small = dict(image_size=32, train_size=512, val_size=128, epochs=2)
    base = TrainConfig(**({} if args.default_run else small))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CNNLAB_CACHE"] = tmp
        config = dataclasses.replace(base, threads=1, out=os.path.join(tmp, "first.pt"))
        trained_s, trained = _timed(config, replay=True)
        again = dataclasses.replace(config, out=os.path.join(tmp, "again.pt"))
        replay_s, replayed = _timed(again, replay=True)
        same = (_outcome(replayed[1:]) == _outcome(trained) and replayed[0]["kind"] == "replay"
                and open(config.out, "rb").read() == open(again.out, "rb").read())
        print(f"{base.model}, {base.image_size} px, {base.train_size} images x {base.epochs} epochs, 1 thread")
        print(f"{'first press (trains)':<28}{trained_s:8.1f} s")
        print(f"{'second press (replays)':<28}{replay_s:8.1f} s   {trained_s / replay_s:5.1f}x less time;"
              f" same events and checkpoint: {'yes' if same else 'NO'}")
        print(f"\n{'threads':<10}{'run 1 s':>9}{'run 2 s':>9}   bit-identical")
        done: dict[int, list] = {n: [] for n in args.threads}
        for i in (1, 2):  # the counts take turns, so a change in the machine's load falls on all of them
            for n in args.threads:
                cfg = dataclasses.replace(base, threads=n, out=os.path.join(tmp, f"t{n}-{i}.pt"))
                done[n].append((*_timed(cfg), cfg.out))
        for n, ((s1, e1, p1), (s2, e2, p2)) in done.items():
            identical = _outcome(e1) == _outcome(e2) and _same_weights(p1, p2)
            print(f"{n or 'auto':<10}{s1:9.1f}{s2:9.1f}   {'yes' if identical else 'no'}")


if __name__ == "__main__":
    main()
