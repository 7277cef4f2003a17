"""A class on one machine: N simulated students drive the running app through its API, side by side with
and without a training run going, and the per-endpoint latencies are printed.

    python benchmarks/bench_classroom.py                     # 30 students, 90 s per phase, then with 1 trainer
    python benchmarks/bench_classroom.py --students 10 --seconds 40 --trainers 0

The app is started here (offline, on a free loopback port: ``tests/offline_app.py``); every request goes
to 127.0.0.1 only, the loops are bounded in count and time, and the app is stopped at the end. Each
student repeats: pick an action (summarize, scale, cam, feature_maps), send it, think 3–10 s. At least half
of the CAM requests carry an image nobody sent before (a Shapes image of a fresh seed), across two
networks, so a cache cannot answer them all. A trainer runs the Train tab's endpoint on a small Shapes run.

Prints, per phase and endpoint: count, errors, p50 / p95 / max seconds; then the issue's targets
(30 students, 0 errors; p95 summarize and scale < 1 s; p95 cam < 4 s, < 6 s while training).
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab.data import make_shapes  # noqa: E402

NETWORKS = ("mobilenet_v2", "resnet18")
SUMMARY_MODELS = ("resnet50", "mobilenet_v2", "efficientnet_b0", "googlenet", "vgg16")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1", PYTHONUNBUFFERED="1",
               HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    out = open(log, "w")
    proc = subprocess.Popen([sys.executable, "tests/offline_app.py"], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the app did not start within 240 s")


class Images:
    """Fresh Shapes images (a new seed each) and one shared example, as files for upload."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count, self.lock = folder, 0, threading.Lock()
        self.example = self.fresh()

    def fresh(self) -> str:
        with self.lock:
            self.count += 1
            k = self.count
        path = self.folder / f"student_{k}.png"
        make_shapes(1, 192, seed=10_000 + k)[0].image.save(path)
        return str(path)


def student(url: str, images: Images, until: float, rng: random.Random, results: dict, lock: threading.Lock,
            max_requests: int) -> None:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    for _ in range(max_requests):
        if time.monotonic() >= until:
            return
        action = rng.choice(("summarize", "scale", "cam", "cam", "feature_maps"))
        if action == "summarize":
            kwargs = dict(model=rng.choice(SUMMARY_MODELS), resolution=rng.choice((160, 224, 256)))
        elif action == "scale":
            kwargs = dict(width_mult=rng.choice((1.0, 1.1, 1.2, 1.4)), depth_mult=rng.choice((1.0, 1.2, 1.4)),
                          resolution=rng.choice((224, 240, 260)))
        else:
            fresh = rng.random() < 0.6  # at least half carry an image nobody sent before
            path = images.fresh() if fresh else images.example
            kwargs = dict(image=handle_file(path), model=rng.choice(NETWORKS))
            action_key = f"{action} ({'new image' if fresh else 'repeated image'})"
        t0 = time.perf_counter()
        ok = True
        try:
            client.predict(**kwargs, api_name=f"/{action}")
        except Exception as e:  # counted, and the student goes on as a person would
            ok = False
            with lock:
                results["errors_text"].append(f"{action}: {str(e)[:120]}")
        dt = time.perf_counter() - t0
        with lock:
            key = action_key if action in ("cam", "feature_maps") else action
            results[key].append(dt)
            if not ok:
                results[f"{key} errors"].append(dt)
        time.sleep(rng.uniform(3, 10))


def trainer(url: str, until: float, results: dict, lock: threading.Lock) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    while time.monotonic() < until:
        t0 = time.perf_counter()
        try:
            client.predict(model="resnet18", dataset="shapes", zip_file=None, mode="scratch", epochs=2, batch=64, lr=0.002,
                           size=64, aug="flip", optimizer="adamw", train_size=2000, val_size=400,
                           seed=int(time.time()) % 1000, api_name="/train")
            ok = True
        except Exception as e:
            ok = False
            with lock:
                results["errors_text"].append(f"train: {str(e)[:120]}")
        with lock:
            results["train" if ok else "train errors"].append(time.perf_counter() - t0)


def phase(url: str, students: int, trainers: int, seconds: float, seed: int, images: Images) -> dict:
    results: dict = defaultdict(list)
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=trainer, args=(url, until, results, lock), daemon=True) for _ in range(trainers)]
    for i in range(students):
        rng = random.Random(seed * 1000 + i)
        threads.append(threading.Thread(target=student, args=(url, images, until, rng, results, lock, 200), daemon=True))
    for t in threads:
        t.start()
        time.sleep(0.1)  # students arrive over a few seconds, not in one instant
    for t in threads:
        t.join(timeout=seconds + 300)  # bounded: a hung request ends the wait
    return results


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def report(title: str, results: dict) -> dict[str, float]:
    print(f"\n== {title}")
    print(f"{'endpoint':34s} {'n':>5s} {'errors':>6s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
    p95 = {}
    for key in sorted(k for k in results if not k.endswith("errors") and k != "errors_text"):
        v = results[key]
        if not v:
            continue
        p95[key] = percentile(v, 0.95)
        print(f"{key:34s} {len(v):5d} {len(results.get(key + ' errors', [])):6d} {statistics.median(v):7.2f} "
              f"{p95[key]:7.2f} {max(v):7.2f}")
    for line in results["errors_text"][:5]:
        print("   error:", line)
    return p95


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--trainers", type=int, default=1, help="trainers in the second phase (0: skip it)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--url", help="drive an app that is already running instead of starting one")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cnnlab-class-"))
    proc = None
    url = args.url
    if not url:
        port = free_port()
        proc = start_app(port, folder / "app.log")
        url = f"http://127.0.0.1:{port}/"
    try:
        images = Images(folder)
        print(f"{args.students} students, {args.seconds:.0f} s per phase, app at {url} ({os.cpu_count()} CPUs)")
        browsing = report("browsing, nobody training", phase(url, args.students, 0, args.seconds, args.seed, images))
        training = {}
        if args.trainers:
            training = report(f"browsing while {args.trainers} training run(s) go",
                              phase(url, args.students, args.trainers, args.seconds, args.seed + 1, images))
        cam = lambda p: max((v for k, v in p.items() if k.startswith("cam")), default=float("nan"))  # noqa: E731
        print("\ntargets: p95 summarize < 1 s: {:.2f}; p95 scale < 1 s: {:.2f}; p95 cam < 4 s: {:.2f}; "
              "p95 cam while training < 6 s: {}; p95 cached cam (repeated image) < 0.5 s: {:.2f}".format(
                  browsing.get("summarize", float("nan")), browsing.get("scale", float("nan")), cam(browsing),
                  f"{cam(training):.2f}" if training else "not run",
                  browsing.get("cam (repeated image)", float("nan"))))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
