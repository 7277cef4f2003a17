"""The Train tab's engine against the plain training loop a student would write, and against every fixed plan.

    python benchmarks/bench_train.py                 # throughput: ResNet-18 and MobileNet-v2 at 64 px
    python benchmarks/bench_train.py --accuracy      # + validation accuracy on Shapes, same recipe both ways

Three kinds of column, measured side by side in one run:
- plain: what a student writes: fp32, the default memory layout, torch's default thread count, the batches
  already normalised float tensors in memory (the most favourable setting for it);
- fixed plans: the engine's own step (uint8 batches prepared in memory, :func:`lab.train.train_step`) with
  one plan held fixed, for each of fp32/bf16 x contiguous/channels_last x 1/2 threads (bf16 only with a
  bf16 unit): the grid the engine chooses from;
- engine: ``lab.train.train`` itself, as the tab runs it (its probe's choice of precision, layout and
  threads, and the thread tuner), timed step by step through its event generator.
All use the same model, batch size and image size, and take turns (by default step by step, column after
column, round after round), so a busy machine slows all alike; "overall" is images over the total time,
and the quartiles of the per-step rates show the noise. The engine earns its place when it reaches about 90% of the best fixed plan (which nobody knows in
advance: it differs per model, machine and load) and beats the plain loop.

With CUDA: ResNet-50 at 224 px fine-tuning throughput with bf16 + channels_last, and the model FLOPs it
achieves as a fraction of the GPU's dense bf16 peak.
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from lab.augment import prepare_batch  # noqa: E402
from lab.data import shapes_splits  # noqa: E402
from lab.models import create_model  # noqa: E402
from lab.models.weights import IMAGENET_MEAN, IMAGENET_STD  # noqa: E402
from lab.speed import Plan, cpu_has_bf16, cpu_threads, device_label  # noqa: E402
from lab.train import TrainConfig, lr_at, train, train_step  # noqa: E402

# Dense bf16 tensor-core peaks (FLOP/s) from the vendors' data sheets, by a substring of the device name.
GPU_PEAK_BF16 = {"H200": 989e12, "H100 PCIe": 756e12, "H100": 989e12, "A100": 312e12, "L40S": 362e12,
                 "L4": 121e12, "A10G": 70e12, "RTX 4090": 165e12}
RESNET50_GMACS = 4.09  # torchvision's metadata for ResNet-50 at 224 px (multiply-accumulates per image)
# (epochs, peak learning rate) with which each model learns Shapes from scratch at 64 px: MobileNet-v2 needs
# more of both (5 epochs at 0.002 leave it near 35%, where two runs differ by noise alone).
RECIPES = {"resnet18": (5, 2e-3), "mobilenet_v2": (8, 5e-3)}


class PlainLoop:
    """What a student writes: model(x), cross-entropy, backward, step; nothing else."""

    def __init__(self, name: str, x: torch.Tensor, y: torch.Tensor, batch: int, lr: float = 2e-3, seed: int = 0):
        torch.manual_seed(seed)
        self.model = create_model(name, num_classes=5).train()
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=5e-4)
        self.x, self.y, self.batch, self.i = x, y, batch, 0

    def step(self) -> float:
        n = len(self.x) // self.batch
        sl = slice((self.i % n) * self.batch, (self.i % n + 1) * self.batch)
        self.i += 1
        out = self.model(self.x[sl])
        out = out[0] if isinstance(out, tuple) else out
        loss = F.cross_entropy(out, self.y[sl])
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


class FixedPlan:
    """The engine's step with one plan held fixed: uint8 batches prepared in memory, train_step, the same
    per-step bookkeeping (loss and accuracy read back), no probe and no thread tuner."""

    def __init__(self, name: str, images: torch.Tensor, labels: torch.Tensor, size: int, batch: int, plan: Plan):
        torch.manual_seed(0)
        self.model = create_model(name, num_classes=5).train().to(memory_format=plan.torch_memory_format)
        # AdamW with its fused kernel, as the engine builds it for the Train tab's defaults.
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=2e-3, weight_decay=5e-4, fused=True)
        self.images, self.labels, self.size, self.batch, self.plan, self.i = images, labels, size, batch, plan, 0

    def step(self) -> None:
        n = len(self.images) // self.batch
        sl = slice((self.i % n) * self.batch, (self.i % n + 1) * self.batch)
        self.i += 1
        with cpu_threads(self.plan.threads):
            x = prepare_batch(self.images[sl], self.size, IMAGENET_MEAN, IMAGENET_STD,
                              memory_format=self.plan.torch_memory_format)
            y = self.labels[sl]
            _, logits = train_step(self.model, self.opt, x, y, self.plan)
            (logits.argmax(1) == y).sum().item()


def _engine(name: str, size: int, batch: int, n_train: int, device: str = "auto", **kw):
    cfg = TrainConfig(model=name, image_size=size, batch_size=batch, train_size=n_train, val_size=64, epochs=1,
                      augmentation="none", device=device, **kw)
    events = train(cfg)
    for ev in events:
        if ev["kind"] == "start":
            return events, ev
    raise RuntimeError("the engine did not start")


def _timed(fn, steps: int) -> float:
    t = time.perf_counter()
    for _ in range(steps):
        fn()
    return time.perf_counter() - t


def throughput(name: str, size: int, batch: int, rounds: int, steps: int, fp32_only: bool = False) -> dict:
    """Interleaved img/s per round of the plain loop, every fixed plan, and the engine."""
    default_threads = torch.get_num_threads()
    splits = shapes_splits(batch * 8, 64, size, seed=0)
    x_plain = prepare_batch(splits.train.images, size, IMAGENET_MEAN, IMAGENET_STD)  # normalised fp32 in memory
    plain = PlainLoop(name, x_plain, splits.train.labels, batch)
    n_train = batch * steps * (rounds + 1) * 2
    events, start = _engine(name, size, batch, n_train, precision="fp32" if fp32_only else "auto")

    def engine_step() -> None:
        for ev in events:
            if ev["kind"] == "step":
                return
        raise RuntimeError("the engine ended early")

    def plain_step() -> None:
        with cpu_threads(default_threads):
            plain.step()

    columns = {"plain": plain_step, "engine": engine_step}
    precisions = ["fp32"] if fp32_only or not cpu_has_bf16() else ["fp32", "bf16"]
    thread_counts = sorted({1, default_threads})
    for p, m, t in itertools.product(precisions, ["contiguous", "channels_last"], thread_counts):
        fixed = FixedPlan(name, splits.train.images, splits.train.labels, size, batch, Plan(p, m, threads=t))
        columns[f"{p}+{m}@{t}"] = fixed.step
    for fn in columns.values():  # warm-up: first steps build kernels and caches
        _timed(fn, 2)
    rates = {k: [] for k in columns}
    for _ in range(rounds):
        for k, fn in columns.items():
            rates[k].append(batch * steps / _timed(fn, steps))
    events.close()
    return {"start": start, "rates": rates, "default_threads": default_threads}


def _report(name: str, size: int, batch: int, r: dict) -> None:
    s, rates = r["start"], r["rates"]
    print(f"\n{name} at {size} px, batch {batch}: engine chose {s['precision']} + {s['memory_format']}, "
          f"{s['threads']} thread(s) (setup {s['setup_s']:.1f} s); its probe (img/s): "
          + ", ".join(f"{k} {v:.0f}" for k, v in s["probe"].items()))
    med = {c: statistics.median(v) for c, v in rates.items()}
    overall = {c: len(v) / sum(1 / x for x in v) for c, v in rates.items()}  # images / total time
    fixed = [c for c in rates if c not in ("plain", "engine")]
    best = max(fixed, key=overall.get)
    print(f"  {'column':<28} {'overall':>8} {'median':>7} {'quartiles':>11}   (img/s)")
    for c in ["plain", "engine", *sorted(fixed, key=overall.get, reverse=True)]:
        q = statistics.quantiles(rates[c], n=4) if len(rates[c]) > 1 else [rates[c][0]] * 3
        mark = "  <- best fixed plan" if c == best else ""
        print(f"  {c:<28} {overall[c]:>8.0f} {med[c]:>7.0f} {q[0]:>5.0f}-{q[2]:<5.0f}{mark}")
    print(f"  engine / best fixed plan ({best}): {overall['engine'] / overall[best]:.2f} overall, "
          f"{med['engine'] / med[best]:.2f} of the medians; engine / plain: {overall['engine'] / overall['plain']:.2f}x; "
          f"best fixed / plain: {overall[best] / overall['plain']:.2f}x")


def accuracy(name: str, size: int, batch: int, epochs: int, lr: float, seed: int = 0) -> tuple[float, float, float, float]:
    """Validation accuracy on Shapes (4000 train / 1000 val) of the engine and of the plain loop, same recipe:
    AdamW, warm-up + cosine schedule, no augmentation, same data and seed. The plain loop runs with the
    thread count the engine settled on (accuracy does not depend on it; the wall time on a busy machine
    does). Returns (plain, engine, plain_s, engine_s)."""
    t = time.perf_counter()
    cfg = TrainConfig(model=name, image_size=size, batch_size=batch, epochs=epochs, lr=lr, augmentation="none",
                      seed=seed)
    events = list(train(cfg))
    engine_s = time.perf_counter() - t
    threads = next(e for e in events if e["kind"] == "start")["threads"] or torch.get_num_threads()

    splits = shapes_splits(4000, 1000, size, seed=seed)
    x = prepare_batch(splits.train.images, size, IMAGENET_MEAN, IMAGENET_STD)
    xv = prepare_batch(splits.val.images, size, IMAGENET_MEAN, IMAGENET_STD)
    t = time.perf_counter()
    loop = PlainLoop(name, x, splits.train.labels, batch, lr, seed)
    steps_per_epoch = len(x) // batch
    total = steps_per_epoch * epochs
    g = torch.Generator().manual_seed(seed)
    with cpu_threads(threads):
        for s in range(total):
            if s % steps_per_epoch == 0:
                perm = torch.randperm(len(x), generator=g)
                loop.x, loop.y, loop.i = x[perm], splits.train.labels[perm], 0
            for group in loop.opt.param_groups:
                group["lr"] = lr_at(s, total, lr, 0.05)
            loop.step()
        loop.model.eval()
        with torch.no_grad():
            pred = torch.cat([loop.model(xv[i : i + 256]).argmax(1) for i in range(0, len(xv), 256)])
    plain_acc = (pred == splits.val.labels).float().mean().item()
    return plain_acc, events[-1]["val_acc"], time.perf_counter() - t, engine_s


def gpu_report(batch: int = 128, steps: int = 20) -> None:
    events, start = _engine("resnet50", 224, batch, batch * (steps + 5), device="cuda")
    n = 0
    for ev in events:  # warm-up
        if ev["kind"] == "step":
            n += 1
            if n == 5:
                break
    torch.cuda.synchronize()
    t = time.perf_counter()
    n = 0
    for ev in events:
        if ev["kind"] == "step":
            n += 1
            if n == steps:
                break
    rate = batch * steps / (time.perf_counter() - t)
    events.close()
    flops = 3 * 2 * RESNET50_GMACS * 1e9  # forward + backward ~ 3 x forward; 2 FLOPs per MAC
    name = torch.cuda.get_device_name()
    peak = next((v for k, v in GPU_PEAK_BF16.items() if k in name), None)
    print(f"\nGPU: {name} · ResNet-50 fine-tuning at 224 px, batch {batch}, {start['precision']} + "
          f"{start['memory_format']}: {rate:,.0f} img/s")
    if peak:
        print(f"  = {rate * flops / 1e12:.0f} TFLOP/s of model FLOPs, {rate * flops / peak:.0%} of the "
              f"{peak / 1e12:.0f} TFLOP/s dense bf16 peak")
    else:
        print(f"  = {rate * flops / 1e12:.0f} TFLOP/s of model FLOPs (no peak figure known for this GPU)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="+", default=["resnet18", "mobilenet_v2"])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rounds", type=int, default=24, help="rounds: each column's steps, one chunk each per round")
    p.add_argument("--steps", type=int, default=1, help="steps per chunk (1: columns take turns step by step, "
                   "so a load that comes and goes slows all alike)")
    p.add_argument("--accuracy", action="store_true", help="also train both ways on Shapes and compare")
    p.add_argument("--epochs", type=int, help="default: the model's recipe (RECIPES), else 5")
    p.add_argument("--lr", type=float, help="default: the model's recipe (RECIPES), else 0.002")
    p.add_argument("--seeds", type=int, nargs="+", default=[0], help="accuracy: one plain/engine pair per seed "
                   "(data, initial weights, batch order), to show the run-to-run spread")
    p.add_argument("--default-run", action="store_true", help="also run the Train tab's defaults and time them")
    p.add_argument("--fp32-only", action="store_true", help="act as a CPU without a bf16 unit: the engine may only "
                   "choose the memory layout and threads")
    p.add_argument("--fresh-probe", action="store_true", help="ignore the engine's stored plans (a first run on "
                   "this machine): time every option again")
    args = p.parse_args()
    if args.fresh_probe:
        os.environ["CNNLAB_CACHE"] = tempfile.mkdtemp(prefix="cnnlab-bench-")

    cpu = torch.device("cpu")
    print(f"CPU: {device_label(cpu)} · torch {torch.__version__} · {torch.get_num_threads()} threads by default · "
          f"load average {os.getloadavg()[0]:.1f}")
    if not cpu_has_bf16() or args.fp32_only:
        print(("This CPU has no bf16 unit" if not cpu_has_bf16() else "--fp32-only: acting as a CPU without a bf16 "
               "unit") + ": the engine can only choose the memory layout and threads here.")
    for name in args.models:
        r = throughput(name, args.size, args.batch, args.rounds, args.steps, args.fp32_only)
        _report(name, args.size, args.batch, r)
        if args.accuracy:
            epochs, lr = RECIPES.get(name, (5, 2e-3))
            epochs, lr = args.epochs or epochs, args.lr or lr
            for seed in args.seeds:
                pa, ea, ps, es = accuracy(name, args.size, args.batch, epochs, lr, seed)
                print(f"  Shapes val accuracy after {epochs} epochs at lr {lr:g}, seed {seed}: plain {pa:.1%} "
                      f"({ps:.0f} s), engine {ea:.1%} ({es:.0f} s): difference {abs(ea - pa) * 100:.1f} points")
    if args.default_run:
        load = os.getloadavg()[0]
        t = time.perf_counter()
        done = list(train(TrainConfig()))[-1]
        print(f"\nThe tab's defaults ({TrainConfig().model}, {TrainConfig().epochs} epochs at {TrainConfig().image_size} px "
              f"on Shapes): val accuracy {done['val_acc']:.1%} in {time.perf_counter() - t:.0f} s "
              f"(load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)")
    if torch.cuda.is_available():
        gpu_report()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (2 cores; above 2 means other programs competed)")


if __name__ == "__main__":
    main()
