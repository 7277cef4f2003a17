"""Training: a config dataclass, an engine that yields small dict events, checkpoints, and a CLI.

``train(config, stop)`` is a generator; the Train tab and ``python -m lab.train`` consume the same events:

- ``{"kind": "note", "message"}``: something worth a sentence (e.g. pretrained weights unavailable offline);
- ``{"kind": "start", "model", "device", "precision", "memory_format", "total_steps", "class_names", …}``;
- ``{"kind": "step", "step", "epoch", "train_loss", "lr", "images_per_sec", "eta_s", "threads"}`` after every
  step;
- ``{"kind": "epoch", "epoch", "step", "val_loss", "val_acc", "train_loss", "train_acc"}`` after every epoch;
- ``{"kind": "watch", …}``, ``{"kind": "attention", "epoch", "maps", …}`` before the first step (epoch 0) and
  after every epoch: the Grad-CAM of a few fixed validation images (:mod:`lab.attention`);
- ``{"kind": "done", "done": True, "val_acc", "val_loss", "confusion", "per_class_acc", "misclassified",
  "checkpoint", "stopped", "error", "wall_s"}``: always the last one, also after Stop or a diverged loss;
- ``{"kind": "replay", "wall_s"}`` first, when the events are a finished run's, replayed (``train(replay=True)``).

Read it top to bottom: :func:`train_step` is one step of gradient descent, :func:`_loop` the epochs of
steps, :func:`_setup` everything before the first step. Batches are normalised with the statistics of the
weights actually loaded (:func:`lab.models.weights.preprocessing_for`: MobileNet v1's timm weights expect
0.5/0.5, random weights ImageNet's), and the checkpoint records them.

Why it is faster than the loop a student would write: the whole data set sits in memory as uint8 tensors
(on the GPU when there is one) and batches are sliced, augmented and resized there in one ``grid_sample``
(:mod:`lab.augment`); and the engine picks the memory layout (channels_last or not) and precision (bf16
autocast or fp32) per model and machine with a short probe of a few timed steps, because the best choice
differs: on an AVX-512-bf16 CPU ResNet-18 gains most from bf16, MobileNet-v2 from channels_last alone. On a
CPU it also picks the number of threads, and keeps re-checking it while the run goes: when other programs
share the cores, one thread beats two that keep waiting for each other (:mod:`lab.speed`). A run that must be
reproducible pins the count instead (``threads``): a different count splits the float sums differently, so
only a pinned run gives the same bits for the same seed, and only such a run is replayed (:mod:`lab.runs`).
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import math
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

from lab.attention import Watch, watch_run
from lab.augment import AUGMENTATIONS, prepare_batch
from lab.checkpoint import save_checkpoint
from lab.data import DATASETS, DataSplits, ImageSet, load_dataset
from lab.evaluate import EvalResult, evaluate, summary
from lab.models.weights import Preprocessing
from lab.runs import load_record, replay as replay_run, run_key, save_record
from lab.speed import Plan, StepFn, ThreadTuner, autocast, choose_plan, cpu_threads, device_label, resolve_device
from lab.transfer import MODES, build_model

DIVERGED = 1e4  # a cross-entropy this large (logits 10^4 apart) only comes from diverging weights
AUX_WEIGHT = 0.3  # GoogLeNet §5: the auxiliary classifiers' losses are added with weight 0.3
OPTIMIZERS = ("adamw", "sgd", "adam")
PRECISIONS = ("auto", "fp32", "bf16")
MEMORY_FORMATS = ("auto", "channels_last", "contiguous")
OUTPUT_STRIDES = (32, 16, 8)
DILATABLE = ("mobilenet_v2",)  # models whose builder takes output_stride


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
    lr: float = MODES["scratch"].lr
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
    threads: int = 0  # CPU threads: 0 = the engine picks and keeps re-checking; n = n all run long (reproducible)
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
            (isinstance(self.threads, int) and 0 <= self.threads <= 256, "threads must be 0 (automatic) to 256"),
            (self.output_stride in OUTPUT_STRIDES, "the output stride must be 8, 16 or 32"),
            (self.output_stride == 32 or self.model in DILATABLE,
             f"an output stride below 32 (atrous convolution) is available for {', '.join(DILATABLE)} only"),
        ]
        for ok, sentence in checks:
            if not ok:
                raise ValueError(sentence[0].upper() + sentence[1:] + ".")
        if not (self.dataset.lower().replace("_", "-") in DATASETS or self.dataset.lower().endswith(".zip")):
            raise ValueError(f"Unknown dataset {self.dataset!r}; choose one of {', '.join(DATASETS)} or a .zip file.")


# ----------------------------------------------------------------------------------------------- model


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


# -------------------------------------------------------------------------------------------- the step


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


def _diverged(loss: float) -> bool:
    return not math.isfinite(loss) or loss > DIVERGED


def train_step(model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
               plan: Plan) -> tuple[float, torch.Tensor]:
    """One step of gradient descent on the batch ``(x, y)``; returns the loss and the logits.

    A diverged loss (NaN, infinite or absurdly large) is returned without touching the weights.
    """
    with autocast(plan):  # bf16 where the plan says so; the loss is computed in fp32
        out = model(x)
    loss, logits = _loss(out, y)
    value = loss.item()
    if not _diverged(value):
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return value, logits


def probe_step(model: nn.Module, config: TrainConfig, channels: int, size: int, num_classes: int,
               device: torch.device) -> StepFn:
    """``step(precision, memory_format)``: one :func:`train_step` of a copy of ``model`` on up to 32 random
    images, for :func:`lab.speed.choose_plan` to time."""
    twin = copy.deepcopy(model).to(device).train()
    # The run's optimizer at learning rate 0: the same work per step, and the copy never diverges.
    opt = _optimizer(dataclasses.replace(config, lr=0.0), [p for p in twin.parameters() if p.requires_grad])
    g = torch.Generator().manual_seed(0)
    x = torch.randn(max(2, min(config.batch_size, 32)), channels, size, size, generator=g)
    y = torch.randint(num_classes, (len(x),), generator=g)

    def step(precision: str, memory_format: str) -> None:
        plan = Plan(precision, memory_format, device_type=device.type)
        twin.to(memory_format=plan.torch_memory_format)
        train_step(twin, opt, x.to(device).contiguous(memory_format=plan.torch_memory_format), y.to(device), plan)

    return step


# --------------------------------------------------------------------------------------------- the run


@dataclass
class _Run:
    """What :func:`_setup` prepares for the loop, and the loop's progress."""

    model: nn.Module
    opt: torch.optim.Optimizer
    device: torch.device
    plan: Plan
    tuner: ThreadTuner | None
    splits: DataSplits
    preprocessing: Preprocessing  # what the loaded weights expect; the batches' mean and std come from it
    watch: Watch | None  # the validation images whose CAM is captured every epoch (lab.attention)
    channels: int
    size: int
    batch: int
    steps_per_epoch: int
    total: int
    step: int = 0
    ema_dt: float | None = None
    eval_s: float | None = None
    last_eval: tuple[int, EvalResult] | None = None
    error: str | None = None

    @property
    def stats(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        return self.preprocessing.channel_stats(self.channels)


def train(config: TrainConfig, stop: threading.Event | None = None, replay: bool = False) -> Iterator[dict]:
    """Run ``config`` and yield events (see the module docstring); the last has ``done: True``.

    ``stop`` (a threading.Event) ends the run cleanly before the next step; the final event still comes,
    with an evaluation of the weights reached. A NaN/infinite loss or running out of memory ends the run
    with ``error`` set to a sentence saying what to change.

    With ``replay``, a reproducible run (:func:`lab.runs.run_key`: threads pinned on a CPU) that already
    finished on this machine is not trained again: its recorded events come back at a readable pace,
    after a ``{"kind": "replay"}`` event, and its checkpoint is copied to ``config.out``
    (:func:`lab.runs.replay`); a run that finishes normally is recorded for next time.

    Raises:
        ValueError: a setting or data set that cannot be used (before any step runs).
    """
    config.validate()
    device = resolve_device(config.device)
    key = run_key(dataclasses.asdict(config), device) if replay else None
    record = load_record(key)
    if record is not None:
        yield from replay_run(record, config.out, stop)
        return
    events = []
    for event in (_run_on_gpu if device.type == "cuda" else _run)(config, stop, device):
        events.append(event)
        yield event
    if key is not None:
        save_record(key, events)


def _run(config: TrainConfig, stop: threading.Event | None, device: torch.device) -> Iterator[dict]:
    with cpu_threads(config.threads):  # pinned, or the plan may change the number: always restored
        yield from _run_steps(config, stop, device)


def _run_steps(config: TrainConfig, stop: threading.Event | None, device: torch.device) -> Iterator[dict]:
    t_start = time.perf_counter()
    stop = stop or threading.Event()
    run = yield from _setup(config, device)
    yield _start_event(run, config, device, time.perf_counter() - t_start)
    batch = run.batch
    try:
        yield from _loop(run, config, stop)
    except torch.OutOfMemoryError:
        run.error = (f"Out of {'GPU' if device.type == 'cuda' else ''} memory at batch size {batch}. Try a smaller "
                     f"batch (e.g. {max(2, batch // 2)}) or a smaller image size.").replace("  ", " ")
        if device.type == "cuda":
            torch.cuda.empty_cache()
    except RuntimeError as e:
        if "can't allocate memory" not in str(e) and "out of memory" not in str(e):
            raise
        run.error = (f"Out of memory at batch size {batch}. Try a smaller batch (e.g. {max(2, batch // 2)}) or image "
                     f"size.")
    result = _final_evaluation(run, config.augmentation)
    checkpoint = None
    if config.out:
        cfg = {**dataclasses.asdict(config), "in_channels": run.channels, "image_size": run.size,
               "mean": run.preprocessing.mean, "std": run.preprocessing.std}
        checkpoint = save_checkpoint(config.out, run.model, cfg, run.splits.class_names, result.acc)
    yield {
        "kind": "done",
        "done": True,
        "val_acc": result.acc,
        "val_loss": result.loss,
        "steps": run.step,
        "total_steps": run.total,
        "stopped": stop.is_set() and run.error is None,
        "error": run.error,
        "checkpoint": checkpoint,
        "class_names": run.splits.class_names,
        "wall_s": time.perf_counter() - t_start,
        **summary(run.splits, result),
    }


def _setup(config: TrainConfig, device: torch.device) -> Iterator[dict]:
    """Data, model, plan and optimizer for ``config``, yielding notes on the way; returns the :class:`_Run`."""
    size = 32 if config.model == "lenet5" else config.image_size
    if size != config.image_size:
        yield {"kind": "note", "message": "LeNet-5 is built for 32x32 inputs (paper §II-B): using 32 px."}
    splits = load_dataset(config.dataset, size, train_size=config.train_size, val_size=config.val_size,
                          seed=config.seed, data_dir=config.data_dir)
    for note in splits.notes:
        yield {"kind": "note", "message": note}
    if splits.skipped:
        yield {"kind": "note", "message": f"{len(splits.skipped)} file(s) of the zip were skipped "
               f"(first: {splits.skipped[0].name}: {splits.skipped[0].reason})."}
    if len(splits.train) < 2:
        raise ValueError("The training set needs at least two images.")
    num_classes = len(splits.class_names)
    channels = splits.train.images.shape[1] if config.model == "lenet5" else 3
    model, preprocessing, notes = build_model(config.model, num_classes, channels, size, config.pretrained,
                                              config.freeze_backbone, config.output_stride, config.seed)
    for note in notes:
        yield {"kind": "note", "message": note}
    _check_input_size(model, channels, size, config.model)
    watch = yield from watch_run(model, splits, config.model, size, preprocessing.channel_stats(channels),
                                 config.augmentation, device)

    # An atrous MobileNet-v2 costs more than the classifier: it gets a plan of its own.
    arch = config.model if config.output_stride == 32 else f"{config.model}@os{config.output_stride}"
    key = (arch, size, str(device), config.batch_size, channels, config.freeze_backbone)
    step = probe_step(model, config, channels, size, num_classes, device)
    plan = choose_plan(step, key, device, config.precision, config.memory_format,
                       images=max(2, min(config.batch_size, 32)), race_threads=not config.threads)
    tuner = None
    if plan.threads and not config.threads:  # a pinned count stays: the same seed gives the same bits
        max_threads = torch.get_num_threads()
        torch.set_num_threads(plan.threads)
        other = 1 if plan.threads > 1 else max_threads
        tuner = ThreadTuner(plan.threads, other) if other != plan.threads else None
    model.to(device, memory_format=plan.torch_memory_format)
    if device.type == "cuda":  # keep the whole (uint8) set on the GPU: no copies per step
        splits.train = ImageSet(splits.train.images.to(device), splits.train.labels.to(device))
        splits.val = ImageSet(splits.val.images.to(device), splits.val.labels)
    opt = _optimizer(config, [p for p in model.parameters() if p.requires_grad])
    batch = min(config.batch_size, len(splits.train))
    steps_per_epoch = max(1, len(splits.train) // batch)  # drop the last partial batch (BatchNorm needs > 1)
    return _Run(model, opt, device, plan, tuner, splits, preprocessing, watch, channels, size, batch,
                steps_per_epoch, steps_per_epoch * config.epochs)


def _start_event(run: _Run, config: TrainConfig, device: torch.device, setup_s: float) -> dict:
    return {
        "kind": "start", "model": config.model, "device": device_label(device),
        "precision": run.plan.precision, "memory_format": run.plan.memory_format,
        "threads": torch.get_num_threads() if device.type == "cpu" else None,
        "probe": dict(run.plan.probe),
        "total_steps": run.total, "steps_per_epoch": run.steps_per_epoch, "epochs": config.epochs,
        "class_names": run.splits.class_names,
        "num_train": len(run.splits.train), "num_val": len(run.splits.val), "image_size": run.size,
        "trainable_params": sum(p.numel() for p in run.model.parameters() if p.requires_grad),
        "setup_s": setup_s,
    }


def _loop(run: _Run, config: TrainConfig, stop: threading.Event) -> Iterator[dict]:
    """The training loop: each epoch one shuffled pass of :func:`train_step` over the batches, then an
    evaluation. ``run.step`` counts the steps; a diverged loss ends the loop with ``run.error`` set."""
    g = torch.Generator().manual_seed(config.seed)  # batch order and augmentation: the same for a seed
    images, labels = run.splits.train.images, run.splits.train.labels
    mean, std = run.stats
    yield from run.watch.events(run.model, 0) if run.watch else ()  # where the random weights look
    for epoch in range(1, config.epochs + 1):
        if stop.is_set():
            return
        run.model.train(not config.freeze_backbone)  # a linear probe keeps BatchNorm statistics frozen too
        perm = torch.randperm(len(images), generator=g)
        loss_sum, correct, seen = 0.0, 0, 0
        for i in range(run.steps_per_epoch):
            if stop.is_set():
                break
            if run.tuner is not None:
                run.tuner.before_step(run.step)
            t0 = time.perf_counter()
            idx = perm[i * run.batch : (i + 1) * run.batch].to(labels.device)
            x = prepare_batch(images[idx], run.size, mean, std, config.augmentation, g, run.plan.torch_memory_format)
            y = labels[idx]
            lr = lr_at(run.step, run.total, config.lr, config.warmup_frac)
            for group in run.opt.param_groups:
                group["lr"] = lr
            loss, logits = train_step(run.model, run.opt, x, y, run.plan)
            if _diverged(loss):
                run.error = (f"The loss became {loss:.3g} at step {run.step + 1}: training diverged because the "
                             f"learning rate ({config.lr:g}) is too high for this model. Try one about 10 times "
                             f"smaller.")
                return
            run.step += 1
            seen += len(y)
            loss_sum += loss * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            yield from _step_events(run, config, epoch, loss, lr, time.perf_counter() - t0)
        if seen == 0 or (stop.is_set() and i < run.steps_per_epoch - 1):
            return  # a partial epoch: the final evaluation reports it
        t0 = time.perf_counter()
        result = evaluate(run.model, run.splits.val, run.size, mean, std, run.device, run.plan,
                          batch_size=max(run.batch, 128), augmentation=config.augmentation)
        run.eval_s, run.last_eval = time.perf_counter() - t0, (run.step, result)
        yield {"kind": "epoch", "epoch": epoch, "step": run.step, "train_loss": loss_sum / seen,
               "train_acc": correct / seen, "val_loss": result.loss, "val_acc": result.acc}
        yield from run.watch.events(run.model, epoch) if run.watch else ()


def _step_events(run: _Run, config: TrainConfig, epoch: int, loss: float, lr: float, dt: float) -> Iterator[dict]:
    """After a step: the thread tuner's verdict (a note when it switched), then the step event with its ETA."""
    run.ema_dt = dt if run.ema_dt is None else 0.9 * run.ema_dt + 0.1 * dt
    tuner = run.tuner
    if tuner is not None:
        tuner.after_step(run.step, dt)
        if tuner.note:
            yield {"kind": "note", "message": tuner.note}
            tuner.note = None
    evals_left = config.epochs - epoch + 1
    est_eval = run.eval_s if run.eval_s is not None else run.ema_dt * len(run.splits.val) / run.batch / 3
    yield {
        "kind": "step",
        "step": run.step,
        "epoch": epoch,
        "train_loss": loss,
        "lr": lr,
        "images_per_sec": run.batch / run.ema_dt,
        "eta_s": (run.total - run.step) * run.ema_dt + evals_left * est_eval,
        "threads": tuner.current if tuner is not None else run.plan.threads or None,
    }


def _final_evaluation(run: _Run, augmentation: str) -> EvalResult:
    """The last epoch's evaluation when no step came after it, else a fresh one of the weights reached."""
    if run.last_eval is not None and run.last_eval[0] == run.step:
        return run.last_eval[1]
    run.opt.zero_grad(set_to_none=True)  # gradients are not needed any more: room for the evaluation
    try:
        return evaluate(run.model, run.splits.val, run.size, *run.stats, run.device, run.plan, batch_size=run.batch,
                        augmentation=augmentation)
    except torch.OutOfMemoryError:
        raise ValueError(run.error or f"Out of memory while evaluating at batch size {run.batch}: try a smaller "
                         f"batch or image size.") from None


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
    or an exception, which ``error`` then holds. ``stop`` is the run's stop flag; ``replay`` as in :func:`train`.
    The ``events`` argument, ``events(stop)``, runs instead of ``train(config)`` (several runs, e.g.
    :func:`lab.degradation.run`).
    """

    def __init__(self, config: TrainConfig | None, replay: bool = False,
                 events: Callable[[threading.Event], Iterator[dict]] | None = None) -> None:
        self.config, self.replay, self._source = config, replay, events
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
            source = self._source(self.stop) if self._source else train(self.config, self.stop, self.replay)
            for event in source:
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
        elif f.name == "lr":  # None: the mode's (see main)
            p.add_argument(flag, type=float, default=None, help=f"default: the mode's, {default} from scratch")
        else:
            choices = {"optimizer": OPTIMIZERS, "augmentation": tuple(AUGMENTATIONS), "precision": PRECISIONS,
                       "memory_format": MEMORY_FORMATS, "output_stride": OUTPUT_STRIDES}.get(f.name)
            p.add_argument(flag, type=type(default), default=default, choices=choices, help=f"default: {default}")
    p.add_argument("--mode", choices=tuple(MODES), help="shortcut for --pretrained/--freeze-backbone and the mode's "
                   "learning rate (" + ", ".join(f"{k} {m.lr:g}" for k, m in MODES.items()) + ")")
    return p


def _config_from_args(argv: Sequence[str] | None) -> TrainConfig:
    args = vars(_parser().parse_args(argv))
    mode = MODES.get(args.pop("mode"))
    if mode is not None:
        args["pretrained"], args["freeze_backbone"] = mode.pretrained, mode.freeze_backbone
    if args["lr"] is None:
        args["lr"] = mode.lr if mode is not None else TrainConfig.lr
    return TrainConfig(**args)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: parse ``argv``, run :func:`train` with a progress bar, print the result. Returns
    the exit status (0 done, 1 stopped by an error such as a diverged loss, 2 a bad setting)."""
    config = _config_from_args(argv)
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
