"""lab.cam.compute_cam vs a bare pytorch-grad-cam call: same model, layer, class and input, side by side.

A bare call back-propagates the class score into every weight of the network. A CAM needs only the
gradient with respect to the target layer's output, so lab freezes the weights and makes that output the
one tensor that requires a gradient (lab.cam.cam_fast_path): the backward pass stops at the target layer.

Run:  python benchmarks/bench_cam.py [--model resnet50] [--size 224] [--reps 5]

Prints, per method, the median time of each (calls interleaved, so load on a shared machine hits both
alike), the speed-up and the largest difference between the two heat maps. Uses ImageNet weights if
they are cached, else random weights with every BatchNorm scale set to 1 (ResNet zero-initialises the
last one of each block, which makes a random network's Grad-CAM all zero).

Last, the path a notebook takes: ``compute_cam(model, image)`` with a PIL image and nothing else (lab finds
the layer itself, on meta tensors), against the grad-cam README's bare call on the same image (normalise
it, ``GradCAM(model, [model.layer4])(input_tensor=x, targets=None)``) with the layer picked by hand.

``--score-cam``: grad-cam's ScoreCAM (one forward pass per channel, batches of 16) against lab's budgeted
one (the strongest channels that fit lab.cam_score.BUDGET_S, batches of 32), with the maps' difference.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchvision.transforms.functional as TF
from PIL import Image
from pytorch_grad_cam import GradCAM
from torchvision.models import ResNet18_Weights

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lab.cam import GRADIENT_METHODS, compute_cam  # noqa: E402
from lab.cam_score import plan_score_cam  # noqa: E402
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


def timed(calls: dict, reps: int) -> tuple[dict, dict]:
    """Median seconds and last result of each call, interleaved; the first round warms up, untimed."""
    times: dict = {k: [] for k in calls}
    out: dict = {}
    for rep in range(reps + 1):
        for k, fn in calls.items():
            t0 = time.perf_counter()
            out[k] = fn()
            if rep:
                times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}, out


def notebook_path(model: torch.nn.Module, layer: str, size: int, reps: int) -> None:
    """``compute_cam(model, PIL image)`` against a bare grad-cam call on the same image."""
    rng = np.random.default_rng(2)
    image = Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))
    imagenet = ResNet18_Weights.DEFAULT.transforms()  # the statistics lab uses for a PIL image

    def bare() -> np.ndarray:
        x = TF.normalize(TF.to_tensor(image), imagenet.mean, imagenet.std).unsqueeze(0)
        with GradCAM(model=model, target_layers=[model.get_submodule(layer)]) as cam:
            result = cam(input_tensor=x, targets=None)[0]  # None: the top-1 class
        model.zero_grad(set_to_none=True)  # (grad-cam leaves them; a notebook would pile them up)
        return result

    t, out = timed({"bare": bare, "lab": lambda: compute_cam(model, image)}, reps)
    diff = float(np.abs(out["bare"] - out["lab"]).max())
    print(f"\nnotebook path, gradcam on a {size}×{size} PIL image, layer and class not given:")
    print(f"{'':10s} {t['bare']:9.3f} {t['lab']:9.3f} {t['bare'] / t['lab']:8.2f}x {diff:11.1e}", flush=True)


def score_cam(model: torch.nn.Module, layer: str, x: torch.Tensor, target: int) -> None:
    """grad-cam's ScoreCAM on every channel against lab's within its time budget (one run each: minutes)."""
    from pytorch_grad_cam import ScoreCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    module = model.get_submodule(layer)
    t0 = time.perf_counter()
    full = ScoreCAM(model=model, target_layers=[module])(input_tensor=x, targets=[ClassifierOutputTarget(target)])[0]
    t_full = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = plan_score_cam(model, x, module)
    budgeted = compute_cam(model, x, "scorecam", layer, target, channels=plan.channels)
    t_lab = time.perf_counter() - t0
    corr = float(np.corrcoef(full.ravel(), budgeted.ravel())[0, 1])
    print(f"\nscore-cam on {layer}: grad-cam {plan.total} channels {t_full:.1f} s; lab {plan.channels} channels "
          f"{t_lab:.1f} s (estimated {plan.seconds:.1f} s, plan included); map correlation {corr:.3f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="resnet50")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--methods", default=",".join(GRADIENT_METHODS + ("eigencam",)))
    ap.add_argument("--score-cam", action="store_true", help="also time Score-CAM, full against budgeted")
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
    for method in filter(None, args.methods.split(",")):  # --methods "": the notebook path only
        t, out = timed({"bare": lambda: compute_cam(model, x, method, layer, target, fast=False),
                        "lab": lambda: compute_cam(model, x, method, layer, target, fast=True)}, args.reps)
        diff = float(np.abs(out["bare"] - out["lab"]).max())
        trivial = "  (map is all zero!)" if out["bare"].max() == 0 else ""
        print(f"{method:10s} {t['bare']:9.3f} {t['lab']:9.3f} {t['bare'] / t['lab']:8.2f}x {diff:11.1e}{trivial}",
              flush=True)
    notebook_path(model, layer, args.size, args.reps)
    if args.score_cam:
        score_cam(model, layer, x, target)
    assert all(p.requires_grad for p in model.parameters()), "weights were left frozen"


if __name__ == "__main__":
    main()
