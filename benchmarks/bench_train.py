"""The Train tab's engine against the plain training loop a student would write, side by side.

    python benchmarks/bench_train.py                 # throughput: ResNet-18 and MobileNet-v2 at 64 px
    python benchmarks/bench_train.py --accuracy      # + validation accuracy on Shapes, same recipe both ways

The plain loop: fp32, the default memory layout, torch's default thread count, the batches already
normalised float tensors in memory (the most favourable setting for it). The engine: ``lab.train.train``
itself, as the tab runs it (uint8 images in memory, its probe's choice of precision, layout and threads),
timed step by step through its event generator. Both use the same model, batch size and image size, and
run in alternating chunks (plain, engine, plain, engine…), so a busy machine slows both alike; each
round's ratio is printed, so the noise shows. Where the engine settled on fewer threads than torch's
default, a third column runs the plain loop with the engine's thread count, so the gain from precision
and layout is visible apart from the gain from threads.

With CUDA: ResNet-50 at 224 px fine-tuning throughput with bf16 + channels_last, and the model FLOPs it
achieves as a fraction of the GPU's dense bf16 peak.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from lab.data import shapes_splits  # noqa: E402
from lab.models import create_model  # noqa: E402
from lab.train import TrainConfig, cpu_has_bf16, cpu_threads, device_label, lr_at, prepare_batch, train  # noqa: E402

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


def throughput(name: str, size: int, batch: int, rounds: int, steps: int, precision: str = "auto") -> dict:
    """Interleaved img/s of the plain loop and the engine, per round."""
    default_threads = torch.get_num_threads()
    splits = shapes_splits(batch * 8, 64, size, seed=0)
    x_plain = prepare_batch(splits.train.images, size, 3)  # normalised fp32, contiguous, in memory
    y_plain = splits.train.labels
    plain = PlainLoop(name, x_plain, y_plain, batch)
    n_train = batch * steps * (rounds + 1) * 2
    events, start = _engine(name, size, batch, n_train, precision=precision)
    engine_threads = start["threads"] or default_threads

    def engine_step() -> None:
        for ev in events:
            if ev["kind"] == "step":
                return
        raise RuntimeError("the engine ended early")

    def plain_step(threads: int):
        def run() -> None:
            with cpu_threads(threads):
                plain.step()
        return run

    columns = {"plain": plain_step(default_threads), "engine": engine_step}
    if engine_threads != default_threads:
        columns["plain@engine threads"] = plain_step(engine_threads)
    for fn in columns.values():  # warm-up: first steps build kernels and caches
        _timed(fn, 2)
    rates = {k: [] for k in columns}
    for _ in range(rounds):
        for k, fn in columns.items():
            rates[k].append(batch * steps / _timed(fn, steps))
    events.close()
    return {"start": start, "rates": rates, "default_threads": default_threads}


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
    x = prepare_batch(splits.train.images, size, 3)
    xv = prepare_batch(splits.val.images, size, 3)
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
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--steps", type=int, default=6, help="steps per chunk")
    p.add_argument("--accuracy", action="store_true", help="also train both ways on Shapes and compare")
    p.add_argument("--epochs", type=int, help="default: the model's recipe (RECIPES), else 5")
    p.add_argument("--lr", type=float, help="default: the model's recipe (RECIPES), else 0.002")
    p.add_argument("--seeds", type=int, nargs="+", default=[0], help="accuracy: one plain/engine pair per seed "
                   "(data, initial weights, batch order), to show the run-to-run spread")
    p.add_argument("--default-run", action="store_true", help="also run the Train tab's defaults and time them")
    p.add_argument("--fp32-only", action="store_true", help="act as a CPU without a bf16 unit: the engine may only "
                   "choose the memory layout and threads")
    args = p.parse_args()

    cpu = torch.device("cpu")
    print(f"CPU: {device_label(cpu)} · torch {torch.__version__} · {torch.get_num_threads()} threads by default · "
          f"load average {os.getloadavg()[0]:.1f}")
    if not cpu_has_bf16() or args.fp32_only:
        print(("This CPU has no bf16 unit" if not cpu_has_bf16() else "--fp32-only: acting as a CPU without a bf16 "
               "unit") + ": the engine can only choose the memory layout and threads here.")
    for name in args.models:
        precision = "fp32" if args.fp32_only else "auto"
        r = throughput(name, args.size, args.batch, args.rounds, args.steps, precision)
        s = r["start"]
        print(f"\n{name} at {args.size} px, batch {args.batch}: engine chose {s['precision']} + "
              f"{s['memory_format']}, {s['threads']} thread(s); its probe (img/s): "
              + ", ".join(f"{k} {v:.0f}" for k, v in s["probe"].items()))
        cols = list(r["rates"])
        print("  round  " + "  ".join(f"{c:>22}" for c in cols) + "   engine/plain")
        ratios = []
        for i in range(args.rounds):
            ratio = r["rates"]["engine"][i] / r["rates"]["plain"][i]
            ratios.append(ratio)
            print(f"  {i + 1:>5}  " + "  ".join(f"{r['rates'][c][i]:>16.0f} img/s" for c in cols) + f"   {ratio:>10.2f}x")
        med = {c: statistics.median(r["rates"][c]) for c in cols}
        print(f"  median " + "  ".join(f"{med[c]:>16.0f} img/s" for c in cols)
              + f"   {statistics.median(ratios):>10.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}x)")
        if "plain@engine threads" in med:
            print(f"  engine / plain at the engine's thread count: "
                  f"{med['engine'] / med['plain@engine threads']:.2f}x (precision and layout alone)")
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
