"""lab.cam.compute_cam vs a bare pytorch-grad-cam call: same model, layer, class and input, side by side.

A bare call back-propagates the class score into every weight of the network. A CAM needs only the
gradient with respect to the target layer's output, so lab freezes the weights and makes that output the
one tensor that requires a gradient (lab.cam.cam_fast_path): the backward pass stops at the target layer.

Run:  python benchmarks/bench_cam.py [--model resnet50] [--size 224] [--reps 5]

Prints, per method, the median time of each (calls interleaved, so load on a shared machine hits both
alike), the speed-up and the largest difference between the two heat maps. Uses ImageNet weights if
they are cached, else random weights with every BatchNorm scale set to 1 (ResNet zero-initialises the
last one of each block, which makes a random network's Grad-CAM all zero).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lab.cam import GRADIENT_METHODS, compute_cam  # noqa: E402
from lab.models import create_model, get_entry  # noqa: E402


def build(name: str) -> tuple[torch.nn.Module, str]:
    weights = get_entry(name).weights
    if weights is not None and weights.is_cached():
        return create_model(name, pretrained=True).eval(), "ImageNet weights (cached)"
    torch.manual_seed(0)
    model = create_model(name).eval()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            torch.nn.init.ones_(m.weight)
    return model, "random weights, BatchNorm scales set to 1"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="resnet50")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--methods", default=",".join(GRADIENT_METHODS + ("eigencam",)))
    args = ap.parse_args()

    model, what = build(args.model)
    layer = get_entry(args.model).cam_layer
    torch.manual_seed(1)
    x = torch.randn(1, 3, args.size, args.size)
    with torch.no_grad():
        target = int(model(x).argmax())
    print(f"{args.model} at {args.size} px, target layer {layer}, class {target}, {what}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.reps} interleaved reps, medians\n")
    print(f"{'method':10s} {'bare (s)':>9s} {'lab (s)':>9s} {'speed-up':>9s} {'max |diff|':>11s}")
    for method in args.methods.split(","):
        bare_t, fast_t = [], []
        for rep in range(args.reps + 1):  # the first round warms up and is not timed
            t0 = time.perf_counter()
            bare = compute_cam(model, x, method, layer, target, fast=False)
            t1 = time.perf_counter()
            fast = compute_cam(model, x, method, layer, target, fast=True)
            t2 = time.perf_counter()
            if rep:
                bare_t.append(t1 - t0)
                fast_t.append(t2 - t1)
        diff = float(np.abs(bare - fast).max())
        b, f = statistics.median(bare_t), statistics.median(fast_t)
        trivial = "  (map is all zero!)" if bare.max() == 0 else ""
        print(f"{method:10s} {b:9.3f} {f:9.3f} {b / f:8.2f}x {diff:11.1e}{trivial}", flush=True)
    assert all(p.requires_grad for p in model.parameters()), "weights were left frozen"


if __name__ == "__main__":
    main()
