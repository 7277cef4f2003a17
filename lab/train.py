"""Training: a config dataclass, an engine that yields small dict events, checkpoints, and a CLI.

``train(config, stop)`` is a generator; the Train tab and ``python -m lab.train`` consume the same events:

- ``{"kind": "note", "message"}``: something worth a sentence (e.g. pretrained weights unavailable offline);
- ``{"kind": "start", "device", "precision", "memory_format", "total_steps", "class_names", …}``;
- ``{"kind": "step", "step", "epoch", "train_loss", "lr", "images_per_sec", "eta_s", "threads"}`` after every
  step;
- ``{"kind": "epoch", "epoch", "step", "val_loss", "val_acc", "train_loss", "train_acc"}`` after every epoch;
- ``{"kind": "done", "done": True, "val_acc", "val_loss", "confusion", "per_class_acc", "misclassified",
  "checkpoint", "stopped", "error", "wall_s"}``: always the last one, also after Stop or a diverged loss.

Why it is faster than the loop a student would write: the whole data set sits in memory as uint8 tensors
(on the GPU when there is one) and batches are sliced, augmented and resized there in one ``grid_sample``;
and the engine picks the memory layout (channels_last or not) and precision (bf16 autocast or fp32) per
model and machine with a short probe of a few timed steps, because the best choice differs: on an
AVX-512-bf16 CPU ResNet-18 gains most from bf16, MobileNet-v2 from channels_last alone. On a CPU it also
picks the number of threads, and keeps re-checking it while the run goes (:class:`ThreadTuner`): when other
programs share the cores, one thread beats two that keep waiting for each other.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import math
import os
import platform
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from lab.checkpoint import model_kwargs, save_checkpoint
from lab.data import DATASETS, DataSplits, ImageSet, load_dataset, socket_timeout

# ImageNet statistics: what every pretrained torchvision model expects (course notes: transforms.Normalize).
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
DIVERGED = 1e4  # a cross-entropy this large (logits 10^4 apart) only comes from diverging weights
AUX_WEIGHT = 0.3  # GoogLeNet §5: the auxiliary classifiers' losses are added with weight 0.3
OPTIMIZERS = ("adamw", "sgd", "adam")
PRECISIONS = ("auto", "fp32", "bf16")
MEMORY_FORMATS = ("auto", "channels_last", "contiguous")
OUTPUT_STRIDES = (32, 16, 8)
DILATABLE = ("mobilenet_v2",)  # models whose builder takes output_stride
# Training modes the tab offers: (pretrained, freeze_backbone).
MODES = {"scratch": (False, False), "finetune": (True, False), "linear_probe": (True, True)}

AUGMENTATIONS = {
    "none": "Only resize to the image size and normalise.",
    "flip": "Random horizontal flip (half the images are mirrored).",
    "crop_flip": "The course notes' recipe: RandomResizedCrop (25–100% of the area, aspect 3/4–4/3) + "
    "horizontal flip + normalise.",
    "strong": "Crop + flip + rotation up to ±20° + brightness/contrast/saturation jitter (±30%).",
}


@dataclass
class TrainConfig:
    """Everything a run needs. The defaults are the Train tab's: ResNet-18 from scratch on 4,000 Shapes
    images at 64 px, 5 epochs; on the built-in Shapes data they reach >= 90% validation accuracy (measured
    96.3%) in about 20,000 image-steps, under two minutes at the ~280 img/s of an idle 2-core AVX-512-bf16
    CPU (``python benchmarks/bench_train.py --default-run`` measures it)."""

    model: str = "resnet18"
    dataset: str = "shapes"  # shapes, mnist, fashion-mnist, cifar10, or a path to a .zip
    epochs: int = 5
    batch_size: int = 64
    lr: float = 2e-3
    optimizer: str = "adamw"
    weight_decay: float = 5e-4
    image_size: int = 64
    output_stride: int = 32  # mobilenet_v2 only: 16 or 8 dilate the last stages for finer maps (paper §6.3)
    pretrained: bool = False  # start from ImageNet weights (random weights, with a note, when unavailable)
    freeze_backbone: bool = False  # train only the classifier (a linear probe)
    augmentation: str = "flip"
    train_size: int = 4000  # Shapes: images drawn; other sets: a random subset (0 = all)
    val_size: int = 1000
    device: str = "auto"  # auto, cpu, cuda
    precision: str = "auto"  # auto (probe), fp32, bf16
    memory_format: str = "auto"  # auto (probe), channels_last, contiguous
    warmup_frac: float = 0.05  # linear warm-up over this fraction of the steps, then cosine decay to 0
    seed: int = 0
    data_dir: str = "data"
    out: str | None = None  # checkpoint path; None saves nothing

    def validate(self) -> None:
        """Raise ValueError with a sentence for any setting a run cannot use."""
        checks = [
            (isinstance(self.epochs, int) and 1 <= self.epochs <= 1000, "epochs must be a whole number from 1 to 1000"),
            (isinstance(self.batch_size, int) and 2 <= self.batch_size <= 4096, "batch size must be from 2 to 4096"),
            (isinstance(self.lr, (int, float)) and 0 < self.lr <= 10, "the learning rate must be above 0 (e.g. 0.001)"),
            (self.optimizer in OPTIMIZERS, f"the optimizer must be one of {', '.join(OPTIMIZERS)}"),
            (isinstance(self.image_size, int) and 16 <= self.image_size <= 512, "the image size must be 16 to 512 px"),
            (self.augmentation in AUGMENTATIONS, f"augmentation must be one of {', '.join(AUGMENTATIONS)}"),
            (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}"),
            (self.memory_format in MEMORY_FORMATS, f"memory format must be one of {', '.join(MEMORY_FORMATS)}"),
            (self.train_size >= 0 and self.val_size >= 0, "the data set sizes cannot be negative"),
            (0 <= self.warmup_frac < 1, "the warm-up fraction must be from 0 to 1"),
            (self.output_stride in OUTPUT_STRIDES, "the output stride must be 8, 16 or 32"),
            (self.output_stride == 32 or self.model in DILATABLE,
             f"an output stride below 32 (atrous convolution) is available for {', '.join(DILATABLE)} only"),
        ]
        for ok, sentence in checks:
            if not ok:
                raise ValueError(sentence[0].upper() + sentence[1:] + ".")
        if not (self.dataset.lower().replace("_", "-") in DATASETS or self.dataset.lower().endswith(".zip")):
            raise ValueError(f"Unknown dataset {self.dataset!r}; choose one of {', '.join(DATASETS)} or a .zip file.")


# ------------------------------------------------------------------------------------------- devices


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA when present, else the CPU; asking for CUDA without one is a ValueError."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("No CUDA GPU is available here; choose device 'cpu' or 'auto'.")
    if name not in ("cpu",) and not name.startswith("cuda"):
        raise ValueError(f"Unknown device {name!r}; choose auto, cpu or cuda.")
    return torch.device(name)


def cpu_has_bf16() -> bool:
    """Whether this CPU has a bf16 unit (AVX-512 BF16 or AMX) that oneDNN uses for bf16 convolutions."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # an old or unusual build: look at the CPU flags instead
        try:
            with open("/proc/cpuinfo") as f:
                flags = f.read()
            return "avx512_bf16" in flags or "amx_bf16" in flags
        except OSError:
            return False


def device_label(device: torch.device) -> str:
    """A short human description: 'NVIDIA H100 (CUDA)' or 'CPU (2 cores, bf16 unit)'."""
    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} (CUDA)"
    bf16 = "bf16 unit" if cpu_has_bf16() else "no bf16 unit"
    return f"CPU ({os.cpu_count()} cores, {bf16})"


# --------------------------------------------------------------------------------------------- batches


def _affine_params(n: int, preset: str, g: torch.Generator) -> torch.Tensor:
    """Per-image 2x3 affine matrices (output -> input coordinates in [-1, 1]) for ``F.affine_grid``."""
    theta = torch.zeros(n, 2, 3)
    sx = torch.ones(n)
    sy = torch.ones(n)
    tx = torch.zeros(n)
    ty = torch.zeros(n)
    rot = torch.zeros(n)
    if preset in ("crop_flip", "strong"):  # RandomResizedCrop: area fraction and aspect ratio
        area = 0.25 + 0.75 * torch.rand(n, generator=g)
        log_r = math.log(3 / 4) + (math.log(4 / 3) - math.log(3 / 4)) * torch.rand(n, generator=g)
        sx = torch.sqrt(area * torch.exp(log_r)).clamp(max=1.0)
        sy = torch.sqrt(area / torch.exp(log_r)).clamp(max=1.0)
        tx = (1 - sx) * (2 * torch.rand(n, generator=g) - 1)
        ty = (1 - sy) * (2 * torch.rand(n, generator=g) - 1)
    if preset == "strong":
        rot = math.radians(20) * (2 * torch.rand(n, generator=g) - 1)
    flip = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0) if preset != "none" else torch.ones(n)
    cos, sin = torch.cos(rot), torch.sin(rot)
    theta[:, 0, 0] = sx * cos * flip
    theta[:, 0, 1] = -sy * sin
    theta[:, 1, 0] = sx * sin * flip
    theta[:, 1, 1] = sy * cos
    theta[:, 0, 2] = tx
    theta[:, 1, 2] = ty
    return theta


def prepare_batch(
    images: torch.Tensor,
    size: int,
    channels: int,
    augmentation: str = "none",
    g: torch.Generator | None = None,
    memory_format: torch.memory_format = torch.contiguous_format,
) -> torch.Tensor:
    """uint8 ``(B, C, h, w)`` -> normalised float ``(B, channels, size, size)``, augmented when asked.

    Crop, flip, rotation and the resize to ``size`` are one ``grid_sample`` per batch on the images'
    device; grey images are repeated to 3 channels for ImageNet models.
    """
    x = images.float().div_(255)
    if x.shape[1] == 1 and channels == 3:
        x = x.expand(-1, 3, -1, -1)
    if augmentation != "none" and g is not None:
        theta = _affine_params(len(x), augmentation, g).to(x.device)
        grid = F.affine_grid(theta, [len(x), x.shape[1], size, size], align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
        if augmentation == "strong":  # colour jitter, as torchvision's ColorJitter(0.3, 0.3, 0.3)
            b = (0.7 + 0.6 * torch.rand(len(x), 1, 1, 1, generator=g)).to(x.device)
            c = (0.7 + 0.6 * torch.rand(len(x), 1, 1, 1, generator=g)).to(x.device)
            s = (0.7 + 0.6 * torch.rand(len(x), 1, 1, 1, generator=g)).to(x.device)
            grey = x.mean(1, keepdim=True)
            x = (grey + (x - grey) * s) * b
            x = (x - x.mean((1, 2, 3), keepdim=True)) * c + x.mean((1, 2, 3), keepdim=True)
            x = x.clamp(0, 1)
    elif x.shape[-1] != size or x.shape[-2] != size:
        x = F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    if channels == 3:
        mean = torch.tensor(MEAN, device=x.device).view(1, 3, 1, 1)
        std = torch.tensor(STD, device=x.device).view(1, 3, 1, 1)
    else:  # grey models (LeNet-5 on MNIST): the mean of the three
        mean = torch.tensor([sum(MEAN) / 3], device=x.device).view(1, 1, 1, 1)
        std = torch.tensor([sum(STD) / 3], device=x.device).view(1, 1, 1, 1)
    x = (x - mean) / std
    return x.contiguous(memory_format=memory_format)


def preview_augmentation(
    augmentation: str, images: torch.Tensor | None = None, views: int = 4, image_size: int = 96, seed: int = 0
) -> list[tuple[Any, str]]:
    """Original and augmented views of a few images (uint8 ``(N, C, H, W)``; default: 3 Shapes images).

    Returns ``(PIL image, caption)`` pairs, row by row: each original followed by ``views - 1`` augmented
    copies, exactly as the trainer would produce them.
    """
    from PIL import Image

    from lab.data import make_shapes_tensors

    if augmentation not in AUGMENTATIONS:
        raise ValueError(f"Unknown augmentation {augmentation!r}; choose one of {', '.join(AUGMENTATIONS)}.")
    if images is None:
        images = make_shapes_tensors(3, image_size, seed=seed + 12345)[0]
    g = torch.Generator().manual_seed(seed)
    out = []
    for img in images:
        batch = img.unsqueeze(0).expand(views - 1, -1, -1, -1)
        aug = prepare_batch(batch, image_size, 3, augmentation, g)
        aug = aug * torch.tensor(STD).view(1, 3, 1, 1) + torch.tensor(MEAN).view(1, 3, 1, 1)
        orig = prepare_batch(img.unsqueeze(0), image_size, 3)
        orig = orig * torch.tensor(STD).view(1, 3, 1, 1) + torch.tensor(MEAN).view(1, 3, 1, 1)
        for k, t in enumerate(torch.cat([orig, aug])):
            arr = (t.clamp(0, 1) * 255 + 0.5).to(torch.uint8).permute(1, 2, 0).numpy()
            out.append((Image.fromarray(arr), "original" if k == 0 else f"aug. {k}"))
    return out


# ----------------------------------------------------------------------------------------------- model


def _head(model: nn.Module, num_classes: int) -> nn.Module:
    """The final classifier layer: the last Linear/1x1-conv producing ``num_classes`` outputs (not an aux head)."""
    head = None
    for name, m in model.named_modules():
        if "aux" in name.lower():
            continue
        if (isinstance(m, nn.Linear) and m.out_features == num_classes) or (
            isinstance(m, nn.Conv2d) and m.out_channels == num_classes
        ):
            head = m
    if head is None:
        raise ValueError("Could not find this model's classifier layer, so it cannot be trained as a linear probe.")
    return head


def build_model(config: TrainConfig, num_classes: int, in_channels: int) -> tuple[nn.Module, list[str]]:
    """The model of ``config`` with ``num_classes`` outputs, and notes for the user.

    Pretrained weights that cannot be had offline fall back to random weights with a note (never a crash).
    """
    from lab.models import create_model
    from lab.models.weights import WeightsUnavailable

    kwargs = model_kwargs(config.model, in_channels, config.output_stride)
    notes = []
    torch.manual_seed(config.seed)
    if config.pretrained:
        try:
            with socket_timeout(15):
                model = create_model(config.model, num_classes=num_classes, pretrained=True, **kwargs)
        except WeightsUnavailable as e:
            notes.append(f"Pretrained weights unavailable offline: training from random weights. ({e})")
            model = create_model(config.model, num_classes=num_classes, **kwargs)
    else:
        model = create_model(config.model, num_classes=num_classes, **kwargs)
    if config.freeze_backbone:
        head = _head(model, num_classes)
        for p in model.parameters():
            p.requires_grad_(False)
        for p in head.parameters():
            p.requires_grad_(True)
        if not config.pretrained or notes:
            notes.append("A linear probe of random features learns little: it only shows what frozen features can do.")
    return model, notes


def _check_input_size(model: nn.Module, channels: int, size: int, name: str) -> None:
    """A tiny forward pass, so a too-small image size is a sentence, not a traceback mid-run."""
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(2, channels, size, size))
    except RuntimeError as e:
        raise ValueError(
            f"{name} cannot take {size}x{size} images ({str(e).splitlines()[0][:100]}). Choose a larger image size."
        ) from None


def _loss(out: Any, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-entropy on the logits, plus AUX_WEIGHT x each auxiliary head's (GoogLeNet, Inception-v3)."""
    if isinstance(out, tuple):  # (logits, aux2, aux1) or (logits, aux)
        logits = out[0]
        loss = F.cross_entropy(logits.float(), y)
        for aux in out[1:]:
            if aux is not None:
                loss = loss + AUX_WEIGHT * F.cross_entropy(aux.float(), y)
        return loss, logits
    return F.cross_entropy(out.float(), y), out


def _optimizer(config: TrainConfig, params: list[nn.Parameter]) -> torch.optim.Optimizer:
    """The optimizer, fused where torch has a fused kernel: the whole update in one pass instead of a loop
    over tensors (AdamW on ResNet-18's 11.2 M weights: 15 ms instead of 47 ms per step on this CPU)."""
    cls, kwargs = {
        "sgd": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
        "adam": (torch.optim.Adam, {}),
        "adamw": (torch.optim.AdamW, {}),
    }[config.optimizer]
    try:
        return cls(params, lr=config.lr, weight_decay=config.weight_decay, fused=True, **kwargs)
    except (RuntimeError, TypeError, ValueError):  # no fused kernel for this optimizer or device
        return cls(params, lr=config.lr, weight_decay=config.weight_decay, **kwargs)


def lr_at(step: int, total: int, base: float, warmup_frac: float) -> float:
    """Linear warm-up for the first ``warmup_frac`` of the steps, then cosine decay to zero (step is 0-based)."""
    warm = max(1, int(total * warmup_frac))
    if step < warm:
        return base * (step + 1) / warm
    t = (step - warm) / max(1, total - warm)
    return base * 0.5 * (1 + math.cos(math.pi * t))


# ---------------------------------------------------------------------------------- speed: the probe


@dataclass(frozen=True)
class Plan:
    """How the engine runs a model on a device: precision, memory layout, CPU threads, and the probe's figures."""

    precision: str  # "fp32" or "bf16"
    memory_format: str  # "contiguous" or "channels_last"
    threads: int = 0  # CPU threads for the run (0: leave torch's setting alone)
    probe: tuple[tuple[str, float], ...] = ()  # ("bf16+channels_last", img/s), …

    @property
    def torch_memory_format(self) -> torch.memory_format:
        return torch.channels_last if self.memory_format == "channels_last" else torch.contiguous_format


_PLAN_CACHE: dict[tuple, Plan] = {}


def _plan_file() -> str:
    """Where probe results persist between runs: $CNNLAB_CACHE or ~/.cache/cnnlab, engine_plans.json."""
    root = os.environ.get("CNNLAB_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "cnnlab")
    return os.path.join(root, "engine_plans.json")


def _machine_id() -> str:
    """The CPU model and torch version: a probe's result holds for this pair only."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            name = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), name)
    except OSError:
        pass
    return f"{name} | {os.cpu_count()} cpus | bf16 {cpu_has_bf16()} | torch {torch.__version__}"


def _stored_plans() -> dict:
    try:
        with open(_plan_file()) as f:
            plans = json.load(f)
        return plans if isinstance(plans, dict) else {}
    except (OSError, ValueError):  # no file yet, or a damaged one: probe again
        return {}


def _store_plan(key: str, winner: tuple[str, str], probe: tuple[tuple[str, float], ...]) -> None:
    plans = _stored_plans()
    plans[key] = {"precision": winner[0], "memory_format": winner[1], "probe": [list(p) for p in probe]}
    path = _plan_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            json.dump(plans, f, indent=1)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:  # a read-only home: the plan still holds for this process (in memory)
        pass


def autocast(device: torch.device, precision: str):
    """bf16 autocast on the device, or nothing for fp32."""
    if precision == "bf16":
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return nullcontext()


@contextmanager
def cpu_threads(n: int) -> Iterator[None]:
    """Use ``n`` intra-op threads inside the block (0: unchanged); the old setting always comes back."""
    old = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _time_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, device: torch.device, precision: str,
               clock=time.perf_counter) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    t = clock()
    with autocast(device, precision):
        out = model(x)
    loss, _ = _loss(out, y)
    loss.backward()
    model.zero_grad(set_to_none=True)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return clock() - t


def _race(options: list, run, rounds: int) -> dict:
    """Best time of each option over ``rounds`` interleaved runs, after one warm-up run each."""
    best = {o: math.inf for o in options}
    for r in range(rounds + 1):
        for o in options:
            dt = run(o)
            if r > 0:  # round 0 warms up (oneDNN builds its kernels on first use)
                best[o] = min(best[o], dt)
    return best


def choose_plan(
    model: nn.Module,
    key: tuple,
    channels: int,
    size: int,
    batch_size: int,
    num_classes: int,
    device: torch.device,
    precision: str = "auto",
    memory_format: str = "auto",
    rounds: int = 2,
) -> Plan:
    """Pick precision, memory format and (on a CPU) the number of threads for this model on this device.

    Explicit choices are kept. On CUDA ``auto`` means bf16 (when supported) + channels_last. On a CPU the
    candidates are timed on a copy of the model, interleaved (a warm-up each, then the best of ``rounds``
    timings), because the best choice depends on model and machine:
    1. threads: all of torch's threads or one; on a CPU that other programs keep busy, threads that wait
       for each other at every layer were measured 3-5x slower than a single thread;
    2. precision x layout: fp32/bf16 (bf16 only with a bf16 unit) x contiguous/channels_last, training
       steps of 16 images with the chosen threads (one thread: timed by its CPU time, robust to other
       programs).
    The plan is cached per ``key`` for the process; the precision x layout choice also on disk
    (:func:`_plan_file`) per machine, torch version, ``key`` and thread count, so the next run (the CLI,
    a restarted app) only redoes the quick thread race.
    """
    if device.type == "cuda":
        p = precision if precision != "auto" else ("bf16" if torch.cuda.is_bf16_supported() else "fp32")
        m = memory_format if memory_format != "auto" else "channels_last"
        return Plan(p, m)
    precisions = [precision] if precision != "auto" else (["fp32", "bf16"] if cpu_has_bf16() else ["fp32"])
    formats = [memory_format] if memory_format != "auto" else ["contiguous", "channels_last"]
    options = [(p, m) for p in precisions for m in formats]
    full_key = (*key, tuple(options), torch.get_num_threads())
    if full_key in _PLAN_CACHE:
        return _PLAN_CACHE[full_key]
    probe_model = copy.deepcopy(model).to(device).train()
    g = torch.Generator().manual_seed(0)
    x = torch.randn(max(2, min(batch_size, 32)), channels, size, size, generator=g)
    y = torch.randint(num_classes, (len(x),), generator=g)

    threads = torch.get_num_threads()
    if threads > 1:  # a forward pass of 8 images is enough to see threads waiting for each other

        def run_threads(n: int) -> float:
            with cpu_threads(n), torch.no_grad():
                t0 = time.perf_counter()
                probe_model(x[:8])
                return time.perf_counter() - t0

        t = _race([threads, 1], run_threads, rounds)
        threads = min(t, key=t.get)

    # Precision x layout are timed with the thread count chosen, because the ranking can change with it
    # (fp32 ResNet-18: contiguous wins on one thread, channels_last on two). On one thread, by that
    # thread's CPU time: it counts the work itself, whatever other programs do meanwhile, so one timed step
    # per option suffices. Two threads won the race above only if the machine is quiet: wall time, best of
    # ``rounds``.
    clock, option_rounds = (time.thread_time, 1) if threads == 1 else (time.perf_counter, rounds)
    b = min(len(x), 16) if threads == 1 else len(x)  # a half batch ranks them; 16 images keep one thread quick
    x, y = x[:b], y[:b]

    def run_option(o: tuple[str, str]) -> float:
        fmt = torch.channels_last if o[1] == "channels_last" else torch.contiguous_format
        probe_model.to(memory_format=fmt)
        with cpu_threads(threads):
            return _time_step(probe_model, x.contiguous(memory_format=fmt), y, device, o[0], clock)

    disk_key = " | ".join(map(str, (_machine_id(), *key, options, f"{threads} threads")))
    stored = _stored_plans().get(disk_key) if len(options) > 1 else None
    if len(options) == 1:
        plan = Plan(*options[0], threads=threads)
    elif stored:  # probed before on this machine: no need to time it again
        probe = tuple((str(k), float(v)) for k, v in stored["probe"])
        plan = Plan(stored["precision"], stored["memory_format"], threads=threads, probe=probe)
    else:
        best = _race(options, run_option, option_rounds)
        winner = min(options, key=lambda o: best[o])
        plan = Plan(*winner, threads=threads, probe=tuple((f"{p}+{m}", b / best[(p, m)]) for p, m in options))
        _store_plan(disk_key, winner, plan.probe)
    _PLAN_CACHE[full_key] = plan
    return plan


class ThreadTuner:
    """Keeps the CPU thread count right while a run goes, on a machine other programs share.

    The probe's choice can turn bad: when another program takes a core, threads that meet at every layer
    wait for the one that was descheduled and a step gets several times slower (measured here: 2 threads
    at 14-25 img/s where 1 thread gave 50-100). So when the step time grows 1.5x over its best, and
    otherwise every ``interval`` steps (doubling after each failed try), two real training steps run with
    the other thread count, and the faster count is kept. Nothing is wasted but the slower tries.
    """

    def __init__(self, current: int, alternative: int, interval: int = 25) -> None:
        self.current, self.alternative = current, alternative
        self.interval = self.first_interval = interval
        self.next_try = interval
        self.ema = self.best = None
        self.trial: list[float] | None = None
        self.note: str | None = None  # set once when the count changes, for the caller to report

    def before_step(self, step: int) -> None:
        slowed = self.ema is not None and self.ema > 1.5 * self.best
        if self.trial is None and step >= 10 and (step >= self.next_try or slowed):
            self.trial = []
            torch.set_num_threads(self.alternative)

    def after_step(self, step: int, dt: float) -> None:
        if self.trial is None:
            self.ema = dt if self.ema is None else 0.8 * self.ema + 0.2 * dt
            self.best = self.ema if self.best is None else min(self.best, self.ema)
            return
        self.trial.append(dt)
        if len(self.trial) < 2:
            return
        tried = min(self.trial)
        if tried < 0.8 * self.ema:
            self.note = (f"The CPU's load changed: switched from {self.current} to {self.alternative} thread(s) "
                         f"({self.ema:.2f} s -> {tried:.2f} s per step).")
            self.current, self.alternative = self.alternative, self.current
            self.ema, self.interval = tried, self.first_interval
        else:
            self.interval *= 2
        self.best = self.ema
        self.next_try = step + self.interval
        self.trial = None
        torch.set_num_threads(self.current)


# --------------------------------------------------------------------------------------------- engine


@dataclass
class EvalResult:
    """Validation loss, accuracy, and every prediction (for the confusion matrix)."""

    loss: float
    acc: float
    preds: torch.Tensor
    probs: torch.Tensor  # confidence of each prediction


def evaluate(
    model: nn.Module,
    data: ImageSet,
    size: int,
    channels: int,
    device: torch.device,
    plan: Plan,
    batch_size: int = 256,
) -> EvalResult:
    """Loss and accuracy of ``model`` on ``data`` (eval mode, no augmentation)."""
    model.eval()
    total, correct, loss_sum = 0, 0, 0.0
    preds, probs = [], []
    with torch.inference_mode(), autocast(device, plan.precision):
        for i in range(0, len(data), batch_size):
            x = prepare_batch(data.images[i : i + batch_size].to(device, non_blocking=True), size, channels,
                              memory_format=plan.torch_memory_format)
            y = data.labels[i : i + batch_size].to(device, non_blocking=True)
            logits = model(x).float()
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            p, pred = logits.softmax(1).max(1)
            correct += (pred == y).sum().item()
            total += len(y)
            preds.append(pred.cpu())
            probs.append(p.cpu())
    return EvalResult(loss_sum / max(total, 1), correct / max(total, 1), torch.cat(preds), torch.cat(probs))


def confusion_matrix(labels: torch.Tensor, preds: torch.Tensor, num_classes: int) -> torch.Tensor:
    """``C[i, j]`` = how many images of true class i were predicted as class j."""
    return torch.bincount(labels * num_classes + preds, minlength=num_classes**2).view(num_classes, num_classes)


def _final_summary(splits: DataSplits, result: EvalResult, max_examples: int = 16) -> dict:
    k = len(splits.class_names)
    cm = confusion_matrix(splits.val.labels, result.preds, k)
    per_class = (cm.diag().float() / cm.sum(1).clamp_min(1).float()).tolist()
    wrong = torch.nonzero(result.preds != splits.val.labels).flatten()
    wrong = wrong[torch.argsort(result.probs[wrong], descending=True)][:max_examples]  # most confident first
    examples = []
    for i in wrong.tolist():
        img = splits.val.images[i]
        img = img.expand(3, -1, -1) if img.shape[0] == 1 else img
        examples.append(
            {
                "image": img.permute(1, 2, 0).cpu().numpy(),
                "true": splits.class_names[int(splits.val.labels[i])],
                "pred": splits.class_names[int(result.preds[i])],
                "confidence": float(result.probs[i]),
            }
        )
    return {"confusion": cm.tolist(), "per_class_acc": per_class, "misclassified": examples}


def train(config: TrainConfig, stop: threading.Event | None = None) -> Iterator[dict]:
    """Run ``config`` and yield events (see the module docstring); the last has ``done: True``.

    ``stop`` (a threading.Event) ends the run cleanly before the next step; the final event still comes,
    with an evaluation of the weights reached. A NaN/infinite loss or running out of memory ends the run
    with ``error`` set to a sentence saying what to change.

    Raises:
        ValueError: a setting or data set that cannot be used (before any step runs).
    """
    config.validate()
    device = resolve_device(config.device)
    if device.type == "cuda":
        yield from _run_on_gpu(config, stop, device)
    else:
        yield from _run(config, stop, device)


def _run(config: TrainConfig, stop: threading.Event | None, device: torch.device) -> Iterator[dict]:
    with cpu_threads(0):  # the plan may change the number of threads: always restore it
        yield from _run_steps(config, stop, device)


def _run_steps(config: TrainConfig, stop: threading.Event | None, device: torch.device) -> Iterator[dict]:
    t_start = time.perf_counter()
    stop = stop or threading.Event()
    size = 32 if config.model == "lenet5" else config.image_size
    if size != config.image_size:
        yield {"kind": "note", "message": "LeNet-5 is built for 32x32 inputs (paper §II-B): using 32 px."}
    splits = load_dataset(
        config.dataset, size, train_size=config.train_size, val_size=config.val_size, seed=config.seed,
        data_dir=config.data_dir,
    )
    for note in splits.notes:
        yield {"kind": "note", "message": note}
    if splits.skipped:
        yield {"kind": "note", "message": f"{len(splits.skipped)} file(s) of the zip were skipped "
               f"(first: {splits.skipped[0].name}: {splits.skipped[0].reason})."}
    if len(splits.train) < 2:
        raise ValueError("The training set needs at least two images.")
    num_classes = len(splits.class_names)
    data_channels = splits.train.images.shape[1]
    channels = data_channels if config.model == "lenet5" else 3
    model, notes = build_model(config, num_classes, channels)
    for note in notes:
        yield {"kind": "note", "message": note}
    _check_input_size(model, channels, size, config.model)

    # An atrous MobileNet-v2 costs more than the classifier: it gets a plan of its own.
    arch = config.model if config.output_stride == 32 else f"{config.model}@os{config.output_stride}"
    key = (arch, size, str(device), config.batch_size, channels, config.freeze_backbone)
    plan = choose_plan(model, key, channels, size, config.batch_size, num_classes, device,
                       config.precision, config.memory_format)
    tuner = None
    if plan.threads:
        max_threads = torch.get_num_threads()
        torch.set_num_threads(plan.threads)
        other = 1 if plan.threads > 1 else max_threads
        tuner = ThreadTuner(plan.threads, other) if other != plan.threads else None
    model.to(device, memory_format=plan.torch_memory_format)
    if device.type == "cuda":  # keep the whole (uint8) set on the GPU: no copies per step
        splits.train = ImageSet(splits.train.images.to(device), splits.train.labels.to(device))
        splits.val = ImageSet(splits.val.images.to(device), splits.val.labels)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = _optimizer(config, params)

    batch = min(config.batch_size, len(splits.train))
    steps_per_epoch = max(1, len(splits.train) // batch)  # drop the last partial batch (BatchNorm needs > 1)
    total = steps_per_epoch * config.epochs
    yield {
        "kind": "start",
        "device": device_label(device),
        "precision": plan.precision,
        "memory_format": plan.memory_format,
        "threads": torch.get_num_threads() if device.type == "cpu" else None,
        "probe": dict(plan.probe),
        "total_steps": total,
        "steps_per_epoch": steps_per_epoch,
        "epochs": config.epochs,
        "class_names": splits.class_names,
        "num_train": len(splits.train),
        "num_val": len(splits.val),
        "image_size": size,
        "trainable_params": sum(p.numel() for p in params),
        "setup_s": time.perf_counter() - t_start,
    }

    g = torch.Generator().manual_seed(config.seed)
    step, ema_dt, eval_s = 0, None, None
    last_eval: tuple[int, EvalResult] | None = None
    error = None
    frozen = config.freeze_backbone
    try:
        for epoch in range(1, config.epochs + 1):
            if stop.is_set():
                break
            model.train(not frozen)  # a linear probe keeps BatchNorm statistics frozen too
            perm = torch.randperm(len(splits.train), generator=g)
            loss_sum, correct, seen = 0.0, 0, 0
            for i in range(steps_per_epoch):
                if stop.is_set():
                    break
                if tuner is not None:
                    tuner.before_step(step)
                t0 = time.perf_counter()
                idx = perm[i * batch : (i + 1) * batch].to(splits.train.labels.device)
                x = prepare_batch(splits.train.images[idx], size, channels, config.augmentation, g,
                                  plan.torch_memory_format)
                y = splits.train.labels[idx]
                lr = lr_at(step, total, config.lr, config.warmup_frac)
                for group in opt.param_groups:
                    group["lr"] = lr
                with autocast(device, plan.precision):
                    out = model(x)
                loss, logits = _loss(out, y)
                loss_value = loss.item()
                if not math.isfinite(loss_value) or loss_value > DIVERGED:
                    error = (f"The loss became {loss_value:.3g} at step {step + 1}: training diverged because the "
                             f"learning rate ({config.lr:g}) is too high for this model. Try one about 10 times "
                             f"smaller.")
                    break
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                step += 1
                seen += len(y)
                loss_sum += loss_value * len(y)
                correct += (logits.argmax(1) == y).sum().item()
                dt = time.perf_counter() - t0
                ema_dt = dt if ema_dt is None else 0.9 * ema_dt + 0.1 * dt
                if tuner is not None:
                    tuner.after_step(step, dt)
                    if tuner.note:
                        yield {"kind": "note", "message": tuner.note}
                        tuner.note = None
                evals_left = config.epochs - epoch + 1
                est_eval = eval_s if eval_s is not None else ema_dt * len(splits.val) / batch / 3
                yield {
                    "kind": "step",
                    "step": step,
                    "epoch": epoch,
                    "train_loss": loss_value,
                    "lr": lr,
                    "images_per_sec": batch / ema_dt,
                    "eta_s": (total - step) * ema_dt + evals_left * est_eval,
                    "threads": tuner.current if tuner is not None else plan.threads or None,
                }
            if error or seen == 0:
                break
            if stop.is_set() and i < steps_per_epoch - 1:
                break  # a partial epoch: the final evaluation below reports it
            t0 = time.perf_counter()
            result = evaluate(model, splits.val, size, channels, device, plan, batch_size=max(batch, 128))
            eval_s = time.perf_counter() - t0
            last_eval = (step, result)
            yield {
                "kind": "epoch",
                "epoch": epoch,
                "step": step,
                "train_loss": loss_sum / seen,
                "train_acc": correct / seen,
                "val_loss": result.loss,
                "val_acc": result.acc,
            }
    except torch.OutOfMemoryError:
        error = (f"Out of {'GPU' if device.type == 'cuda' else ''} memory at batch size {batch}. Try a smaller batch "
                 f"(e.g. {max(2, batch // 2)}) or a smaller image size.").replace("  ", " ")
        if device.type == "cuda":
            torch.cuda.empty_cache()
    except RuntimeError as e:
        if "can't allocate memory" not in str(e) and "out of memory" not in str(e):
            raise
        error = f"Out of memory at batch size {batch}. Try a smaller batch (e.g. {max(2, batch // 2)}) or image size."

    if last_eval is None or last_eval[0] != step:
        opt.zero_grad(set_to_none=True)  # gradients are not needed any more: room for the evaluation
        try:
            result = evaluate(model, splits.val, size, channels, device, plan, batch_size=batch)
        except torch.OutOfMemoryError:
            raise ValueError(error or f"Out of memory while evaluating at batch size {batch}: try a smaller "
                             f"batch or image size.") from None
    else:
        result = last_eval[1]
    checkpoint = None
    if config.out:
        cfg = {**dataclasses.asdict(config), "in_channels": channels, "image_size": size, "mean": MEAN, "std": STD}
        checkpoint = save_checkpoint(config.out, model, cfg, splits.class_names, result.acc)
    yield {
        "kind": "done",
        "done": True,
        "val_acc": result.acc,
        "val_loss": result.loss,
        "steps": step,
        "total_steps": total,
        "stopped": stop.is_set() and error is None,
        "error": error,
        "checkpoint": checkpoint,
        "class_names": splits.class_names,
        "wall_s": time.perf_counter() - t_start,
        **_final_summary(splits, result),
    }


def _gpu_seconds(config: TrainConfig, *args: Any) -> int:
    """The GPU time a ZeroGPU Space should grant a run: a minute plus ~a minute per 20k images seen."""
    return min(600, 60 + 60 * config.epochs * max(config.train_size, 1000) // 20000)


# On a ZeroGPU Space (the `spaces` package importable) the GPU exists only inside a call decorated with
# spaces.GPU, registered at import; elsewhere the run is plain. There, Stop relies on Gradio cancelling
# the event: a threading.Event does not cross into the GPU worker process.
try:
    import spaces  # type: ignore[import-not-found]

    try:
        _run_on_gpu = spaces.GPU(duration=_gpu_seconds)(_run)
    except TypeError:  # an older `spaces` without dynamic durations
        _run_on_gpu = spaces.GPU(duration=300)(_run)
except ImportError:
    _run_on_gpu = _run


class BackgroundRun:
    """:func:`train` in a background thread, for a UI that polls instead of blocking on each step.

    ``events`` grows as the run goes (the thread only appends); ``finished`` is set after the last event
    or an exception, which ``error`` then holds. ``stop`` is the run's stop flag.
    """

    def __init__(self, config: TrainConfig) -> None:
        self.config = config
        self.stop = threading.Event()
        self.finished = threading.Event()
        self.events: list[dict] = []
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="cnnlab-train", daemon=True)

    def start(self) -> "BackgroundRun":
        self._thread.start()
        return self

    def _work(self) -> None:
        try:
            for event in train(self.config, self.stop):
                self.events.append(event)
        except BaseException as e:  # handed to the consumer, which re-raises it where it can be shown
            self.error = e
        finally:
            self.finished.set()

    @property
    def final(self) -> dict | None:
        """The ``done`` event once the run has ended normally, else None."""
        return self.events[-1] if self.events and self.events[-1].get("done") else None


# ------------------------------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m lab.train",
        description="Train a course model with the same engine as the Train tab (defaults: the tab's).",
    )
    for f in dataclasses.fields(TrainConfig):
        flag = "--" + f.name.replace("_", "-")
        default = f.default
        if isinstance(default, bool):
            p.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
        elif f.name == "out":
            p.add_argument(flag, default=None, help="where to save the checkpoint (.pt)")
        else:
            choices = {"optimizer": OPTIMIZERS, "augmentation": tuple(AUGMENTATIONS), "precision": PRECISIONS,
                       "memory_format": MEMORY_FORMATS, "output_stride": OUTPUT_STRIDES}.get(f.name)
            p.add_argument(flag, type=type(default), default=default, choices=choices, help=f"default: {default}")
    p.add_argument("--mode", choices=tuple(MODES), help="shortcut for --pretrained/--freeze-backbone")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: parse ``argv``, run :func:`train` with a progress bar, print the result. Returns
    the exit status (0 done, 1 stopped by an error such as a diverged loss, 2 a bad setting)."""
    from tqdm import tqdm

    args = vars(_parser().parse_args(argv))
    mode = args.pop("mode")
    if mode:
        args["pretrained"], args["freeze_backbone"] = MODES[mode]
    config = TrainConfig(**args)
    bar = None
    try:
        for ev in train(config):
            kind = ev["kind"]
            if kind == "note":
                tqdm.write(f"note: {ev['message']}", file=sys.stderr)
            elif kind == "start":
                tqdm.write(
                    f"{config.model} on {ev['num_train']} {config.dataset} images ({ev['image_size']} px), "
                    f"{ev['device']}, {ev['precision']} + {ev['memory_format']}"
                    + (f", {ev['threads']} thread(s)" if ev["threads"] else ""), file=sys.stderr)
                bar = tqdm(total=ev["total_steps"], unit="step", file=sys.stderr, dynamic_ncols=True)
            elif kind == "step" and bar is not None:
                bar.update(1)
                bar.set_postfix(epoch=ev["epoch"], loss=f"{ev['train_loss']:.3f}", img_s=f"{ev['images_per_sec']:.0f}")
            elif kind == "epoch":
                tqdm.write(f"epoch {ev['epoch']}: train loss {ev['train_loss']:.4f}, val loss {ev['val_loss']:.4f}, "
                           f"val acc {ev['val_acc']:.2%}", file=sys.stderr)
            elif kind == "done":
                if bar is not None:
                    bar.close()
                if ev["error"]:
                    print(f"error: {ev['error']}", file=sys.stderr)
                print(f"val_acc {ev['val_acc']:.4f}  steps {ev['steps']}/{ev['total_steps']}  wall {ev['wall_s']:.1f} s"
                      + (f"  checkpoint {ev['checkpoint']}" if ev["checkpoint"] else ""))
                return 1 if ev["error"] else 0
    except ValueError as e:
        if bar is not None:
            bar.close()
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
