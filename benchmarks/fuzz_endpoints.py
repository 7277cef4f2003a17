"""Fuzz every named API endpoint of the app (tests/fuzz.py) and print the outcomes per endpoint.

    python benchmarks/fuzz_endpoints.py                       # 500 cases per endpoint, seed 0
    python benchmarks/fuzz_endpoints.py --cases 100 --only /cam /train
    python benchmarks/fuzz_endpoints.py --url http://127.0.0.1:7860/   # an app already running

The app is started here (offline, on a free loopback port: ``tests/offline_app.py``) unless ``--url`` is given,
and stopped at the end. Each endpoint gets ``--cases`` seeded requests (at most ``--budget`` seconds each), and
after every batch of 50 a normal request must still be answered. Prints, per endpoint: sent, results,
sentences, bad; then every bad answer (at most ``--show``), and exits 1 if there was one.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_classroom import free_port, start_app  # noqa: E402
from tests.fuzz import fuzz, table  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=500, help="requests per endpoint")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget", type=float, default=900.0, help="seconds per endpoint at most")
    ap.add_argument("--only", nargs="*", help="endpoints to fuzz (default: every named one)")
    ap.add_argument("--workers", type=int, default=4, help="endpoints fuzzed at a time")
    ap.add_argument("--url", help="fuzz this running app instead of starting one")
    ap.add_argument("--show", type=int, default=40, help="bad answers to print")
    args = ap.parse_args()
    from gradio_client import Client

    with tempfile.TemporaryDirectory(prefix="cnnlab-fuzz-") as tmp:
        proc = None
        url = args.url
        if url is None:
            port = free_port()
            proc = start_app(port, Path(tmp) / "app.log")
            url = f"http://127.0.0.1:{port}/"
        t0 = time.monotonic()
        try:
            client = Client(url, verbose=False)
            out = fuzz(client, args.cases, args.seed, Path(tmp) / "files", budget_s=args.budget, only=args.only,
                       workers=args.workers,
                       progress=lambda s: print(f"  [{time.monotonic() - t0:6.0f} s] {s}", flush=True))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    print(f"\nseed {args.seed}, {time.monotonic() - t0:.0f} s\n" + table(out["counts"]))
    kinds = Counter((o.endpoint, o.detail[:120]) for o in out["bad"])
    if kinds:
        print(f"\nbad answers ({len(out['bad'])}), by endpoint and text:")
        for (endpoint, detail), n in kinds.most_common(args.show):
            print(f"  {n:>4} × {endpoint}: {detail}")
    for line in out["unhealthy"]:
        print(f"  NOT SERVING a normal request: {line}")
    sys.exit(1 if out["bad"] or out["unhealthy"] else 0)


if __name__ == "__main__":
    main()
