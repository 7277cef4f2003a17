"""lab.inspect.summarize vs building the model and running torchinfo.summary, side by side; then the
Architecture tab's update time for course models.

Part 1, from a model name to EfficientNet-B7's layer table at 600 px:
- CNN Lab: ``summarize("efficientnet_b7", (3, 600, 600))``: builds the model on the meta device (cached
  afterwards) and propagates shapes only;
- baseline: ``create_model("efficientnet_b7")`` (real weights) + ``torchinfo.summary`` (a real forward pass).
Each side runs in its own fresh Python process (so "cold" includes every first-call cost: lazy imports,
kernel warm-up) after the imports both need; "warm" repeats the call in the same process (CNN Lab
then reuses its cached meta model; the baseline builds the model again, as a name-to-table call must).
The two sides alternate, so load on a shared machine hits both alike.

Part 2: the tab's handler for picking a model (summary, table, four plotly charts, card, code view), for
every course model at its usual size; median of --reps calls after one warm-up.

Part 3: what lab.meta_shapes buys: ``summarize`` (warm) and the smallest-input search of an error message,
with its shortcuts on and off (``meta_shapes.ENABLED``); the numbers are the same either way.

Run:  python benchmarks/bench_inspect.py [--model efficientnet_b7] [--size 600] [--rounds 2] [--reps 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
import torch
import lab.models
side, name, size, warm_reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if side == "lab":
    from lab.inspect import summarize
    def run():
        s = summarize(name, (3, size, size))
        return s.total_params, s.total_macs
else:
    import torchinfo
    from lab.models import create_model
    def run():
        model = create_model(name)
        s = torchinfo.summary(model, input_size=(1, 3, size, size), verbose=0, mode="eval")
        return s.total_params, s.total_mult_adds
t = time.perf_counter(); totals = run(); cold = time.perf_counter() - t
warm = []
for _ in range(warm_reps):
    t = time.perf_counter(); run(); warm.append(time.perf_counter() - t)
print(json.dumps({{"cold": cold, "warm": warm, "params": totals[0], "macs": totals[1]}}))
"""


def _child(side: str, name: str, size: int, warm_reps: int) -> dict:
    code = _CHILD.format(root=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, side, name, str(size), str(warm_reps)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def name_to_table(name: str, size: int, rounds: int) -> None:
    print(f"== From a name to {name}'s layer table at {size}x{size} px (fresh process per run) ==")
    lab_cold, lab_warm, base_cold, base_warm = [], [], [], []
    for r in range(rounds):
        lab = _child("lab", name, size, 3)
        base = _child("torchinfo", name, size, 1)
        lab_cold.append(lab["cold"])
        lab_warm.append(statistics.median(lab["warm"]))
        base_cold.append(base["cold"])
        base_warm.append(statistics.median(base["warm"]))
        print(f"  round {r + 1}: CNN Lab cold {lab['cold']:.3f} s, warm {statistics.median(lab['warm']):.3f} s | "
              f"build + torchinfo cold {base['cold']:.2f} s, again {base['warm'][0]:.2f} s")
    print(f"  totals: CNN Lab {lab['params']:,} params, {lab['macs']:,} MACs | "
          f"torchinfo {base['params']:,} params, {base['macs']:,} mult-adds "
          f"(MACs differ by {100 * (lab['macs'] / base['macs'] - 1):+.3f} %)")
    lc, lw, bc, bw = (statistics.median(v) for v in (lab_cold, lab_warm, base_cold, base_warm))
    print(f"  median cold: CNN Lab {lc:.3f} s vs build + torchinfo {bc:.2f} s  ->  {bc / lc:.1f}x faster")
    print(f"  median warm: CNN Lab {lw:.3f} s vs build + torchinfo {bw:.2f} s  ->  {bw / lw:.1f}x faster")


def tab_updates(reps: int) -> None:
    sys.path.insert(0, str(ROOT))
    from lab.models import list_models
    from lab.ui import architecture as arch

    print(f"== Architecture tab: picking a model (summary + table + 4 charts + card + code), median of {reps} ==")
    arch.first_load()
    times = {}
    for name in list_models():
        arch.pick_model(name, "Stages", "")  # warm-up: builds and caches the meta model
        samples = []
        for _ in range(reps):
            t = time.perf_counter()
            arch.pick_model(name, "Stages", "")
            samples.append(time.perf_counter() - t)
        times[name] = statistics.median(samples)
    for name, t in times.items():
        print(f"  {name:20s} {1000 * t:7.1f} ms")
    worst = max(times, key=times.get)
    print(f"  slowest: {worst} {1000 * times[worst]:.0f} ms; median over models "
          f"{1000 * statistics.median(times.values()):.0f} ms")
    t = time.perf_counter()
    arch.change_view(arch.li.summarize("efficientnet_b7"), "Every layer", "")
    print(f"  refold efficientnet_b7 to every layer (no new summary): {1000 * (time.perf_counter() - t):.1f} ms")


def shortcuts(reps: int) -> None:
    sys.path.insert(0, str(ROOT))
    from lab import inspect as li
    from lab import meta_shapes

    print(f"== lab.meta_shapes on and off (same numbers, different time), median of {reps} ==")

    def timed(fn) -> float:
        samples = []
        for _ in range(reps):
            t = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t)
        return statistics.median(samples)

    cases = [("summarize efficientnet_b7 at 600 px", lambda: li.summarize("efficientnet_b7", (3, 600, 600))),
             ("summarize densenet121 at 224 px", lambda: li.summarize("densenet121")),
             ("alexnet at 16 px: the error and its smallest size", lambda: _refused(li))]
    for label, fn in cases:
        fn()  # warm-up: builds and caches the meta model
        on = timed(fn)
        meta_shapes.ENABLED = False
        try:
            fn()
            off = timed(fn)
        finally:
            meta_shapes.ENABLED = True
        print(f"  {label:52s} on {1000 * on:7.1f} ms | off {1000 * off:7.1f} ms  ->  {off / on:.1f}x")


def _refused(li) -> None:
    try:
        li.summarize("alexnet", (3, 16, 16))
    except ValueError:
        return
    raise AssertionError("alexnet at 16 px should be refused")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="efficientnet_b7")
    ap.add_argument("--size", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    name_to_table(args.model, args.size, args.rounds)
    tab_updates(args.reps)
    shortcuts(args.reps)


if __name__ == "__main__":
    main()
