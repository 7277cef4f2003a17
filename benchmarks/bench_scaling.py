"""How long a Scaling-tab slider update takes at EfficientNet-B7 settings, against the alternatives.

    python benchmarks/bench_scaling.py [--repeats 5]

Measured side by side in one run (median of ``--repeats``):
- the lab's count from the stage table (lab.scaling.efficientnet_cost), cold (cache cleared) and warm;
- the tab's whole update handler (that count + the stage table + both plotly charts), cold and warm;
- counting the built network with lab.inspect on the meta device (the tests' check of the count);
- building the real B7 with random weights (what counting by instantiation would cost).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

B7 = (2.0, 3.1, 600)


def median_seconds(fn: Callable[[], object], repeats: int, before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    import torch

    from lab import scaling as S
    from lab.models import create_model
    from lab.ui import scaling as ui

    S.family_table()  # one-off start-up work (torchvision metadata) the tab does on page load
    S.inspect_efficientnet(1.0, 1.0, 224)  # warm imports and lab.inspect's first-call overhead

    def update() -> object:
        return ui.refresh(ui.TEXT["mode_free"], 7.0, S.ALPHA, S.BETA, S.GAMMA, *B7)

    def build_real() -> object:
        with torch.no_grad():
            return create_model("efficientnet_b7")

    rows = [
        ("count from the stage table, cold", median_seconds(lambda: S.efficientnet_cost(*B7), args.repeats, S.clear_caches)),
        ("count from the stage table, warm", median_seconds(lambda: S.efficientnet_cost(*B7), args.repeats)),
        ("whole slider update (table + 2 charts), cold", median_seconds(update, args.repeats, S.clear_caches)),
        ("whole slider update (table + 2 charts), warm", median_seconds(update, args.repeats)),
        ("lab.inspect on the built net (meta device)", median_seconds(lambda: S.inspect_efficientnet(*B7), args.repeats)),
        ("build the real B7 (random weights)", median_seconds(build_real, max(1, args.repeats // 2))),
    ]
    real = rows[-1][1]
    cold_update = rows[2][1]
    print(f"EfficientNet-B7 settings: width {B7[0]}, depth {B7[1]}, {B7[2]} px; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads; median of {args.repeats}")
    print(f"{'':48s} {'time':>12s} {'real build ÷ this':>18s}")
    for label, seconds in rows:
        print(f"{label:48s} {_fmt(seconds):>12s} {real / seconds:17,.1f}×")
    print(f"\nA cold slider update at B7 size takes {cold_update * 1000:.0f} ms: "
          f"{real / cold_update:.0f}× faster than building the real B7 "
          f"and {rows[4][1] / cold_update:.0f}× faster than counting it with lab.inspect.")


if __name__ == "__main__":
    main()
