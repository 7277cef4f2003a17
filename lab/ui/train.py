"""The Train tab: a short training run with live curves, on Shapes, your own images or a torchvision set.

The run itself is :func:`lab.train.train` in a background thread (:class:`lab.train.BackgroundRun`); this
module only turns its events into a status line, plotly curves (redrawn at most twice a second) and, at
the end, a confusion matrix, per-class accuracy, the misclassified images and the checkpoint. Start and
Stop update the components named in :data:`OUTPUTS`, by name; the sentences live in lab/ui/text/train.py.
"""
from __future__ import annotations

import dataclasses
import inspect
import math
import os
import re
import shutil
import uuid
from typing import Any

import gradio as gr
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots
from PIL import Image

from lab import runs
from lab import train as T
from lab.augment import preview_augmentation
from lab.runs import new_run_dir
from lab.speed import device_label, resolve_device
from lab.transfer import MODES
from lab.ui.common import choice, model_choices, number, translator, user_errors
from lab.ui.text.train import TEXT, TEXT_ZH  # noqa: F401  (lab.ui.common reads both from this module)
from lab.ui.common import ZH, speaker, translate_error
from lab.ui.serving import cached, image_file
from lab.ui import lesson, train_attention, train_runs
from lab.ui.code import code_panel
from lab.ui.train_queue import QUEUE, REFRESH_S, THREADS  # noqa: F401  (shared with train_runs)

STOP_WAIT_S = 180  # how long Stop waits for the run's final evaluation

# Choices: (TEXT key of the label, value the handlers receive).
DATASETS = [("ds_shapes", "shapes"), ("ds_zip", "zip"), ("ds_mnist", "mnist"), ("ds_fashion", "fashion-mnist"),
            ("ds_cifar", "cifar10")]
MODE_CHOICES = [("mode_scratch", "scratch"), ("mode_finetune", "finetune"), ("mode_probe", "linear_probe")]
AUGS = [("aug_none", "none"), ("aug_flip", "flip"), ("aug_crop_flip", "crop_flip"), ("aug_strong", "strong")]
# What Start and Stop update (also the /train endpoint's outputs, in this order): handlers name the ones
# they change (:func:`_updates`), and build() turns the names into components once.
# A lesson link's keys (lab.lesson.TABS["train"]) -> the settings' names.
LINKED = dict(model="model", data="dataset", mode="mode", epochs="epochs", size="size", batch="batch", lr="lr",
              aug="aug", opt="optimizer", n_train="train_size", n_val="val_size", seed="seed")
OUTPUTS = ("status", "notes", "curves", "attention", "att_line", "att_gallery", "results", "confusion", "per_class",
           "wrong", "checkpoint")

i18n = translator(__name__, TEXT)  # i18n("model"): the label in the browser's language
say = speaker(TEXT, TEXT_ZH)  # say("running", ...): a sentence a handler formats, in the request's language


def _choices(pairs: list[tuple[str, str]]) -> list:
    """Radio/Dropdown choices with translated labels; handlers still receive the English values."""
    return [(i18n(key), value) for key, value in pairs]


def _updates(**values: Any) -> list:
    """The values for :data:`OUTPUTS`, in order: those named here, and "leave as it is" for the rest."""
    unknown = set(values) - set(OUTPUTS)
    if unknown:
        raise KeyError(f"not outputs of the Train tab: {sorted(unknown)}")
    return [values.get(name, gr.update()) for name in OUTPUTS]


# --------------------------------------------------------------------------------------------------- layout


def build() -> None:
    """Fill the current gr.Tab: the settings on the left, the run and its results on the right."""
    c: dict[str, Any] = {"session": gr.State({})}  # per browser session: the current run and checkpoint folder
    gr.Markdown(i18n("intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=360):
            c.update(_settings(T.TrainConfig()))
        with gr.Column(scale=2):
            c.update(_run_panel())
    c.update(train_attention.panel(T.TrainConfig().epochs))  # the page's width: eight pictures side by side
    code_panel("train", {n: c[n] for n in inspect.signature(_config).parameters if n != "out"},
               adapt=lambda s: dataclasses.asdict(_config(**s, out=None)))
    train_runs.build(c["session"], after=_wire(c))


def _settings(defaults: T.TrainConfig) -> dict[str, Any]:
    """Model, data, mode and the run's numbers; an augmentation preview; the rarer settings folded away."""
    model = gr.Dropdown(model_choices(), value=defaults.model, label=i18n("model"), info=i18n("model_info"))
    dataset = gr.Radio(_choices(DATASETS), value="shapes", label=i18n("dataset"), info=i18n("dataset_info"))
    zip_file = gr.File(label=i18n("zip"), file_types=[".zip"], type="filepath", visible=False)
    zip_help = gr.Markdown(i18n("zip_help"), visible=False, elem_classes=["explain"])
    mode = gr.Radio(_choices(MODE_CHOICES), value="scratch", label=i18n("mode"), info=i18n("mode_info"))
    epochs = gr.Slider(1, 50, value=defaults.epochs, step=1, label=i18n("epochs"), info=i18n("epochs_info"))
    size = gr.Slider(32, 320, value=defaults.image_size, step=16, label=i18n("size"), info=i18n("size_info"))
    with gr.Row():
        batch = gr.Dropdown([8, 16, 32, 64, 128, 256], value=defaults.batch_size, label=i18n("batch"),
                            info=i18n("batch_info"))
        lr = gr.Number(value=defaults.lr, label=i18n("lr"), info=i18n("lr_info"), minimum=1e-6, maximum=10)
    aug = gr.Dropdown(_choices(AUGS), value=defaults.augmentation, label=i18n("aug"), info=i18n("aug_info"))
    aug_text = gr.Markdown(_aug_text(defaults.augmentation), elem_classes=["explain"])
    gallery = gr.Gallery(label=i18n("preview"), show_label=False, columns=3, height="auto",
                         object_fit="contain", allow_preview=False, elem_id="train-aug-preview")
    with gr.Accordion(i18n("more"), open=False):
        optimizer = gr.Radio(list(T.OPTIMIZERS), value=defaults.optimizer, label=i18n("optimizer"),
                             info=i18n("optimizer_info"))
        train_size = gr.Number(value=defaults.train_size, precision=0, minimum=0, label=i18n("train_size"),
                               info=i18n("train_size_info"))
        val_size = gr.Number(value=defaults.val_size, precision=0, minimum=0, label=i18n("val_size"),
                             info=i18n("val_size_info"))
        seed = gr.Number(value=defaults.seed, precision=0, label=i18n("seed"), info=i18n("seed_info"))
    return dict(model=model, dataset=dataset, zip_file=zip_file, zip_help=zip_help, mode=mode, epochs=epochs,
                size=size, batch=batch, lr=lr, aug=aug, aug_text=aug_text, gallery=gallery, optimizer=optimizer,
                train_size=train_size, val_size=val_size, seed=seed)


def _run_panel() -> dict[str, Any]:
    """Start and Stop, the status line, notes and live curves; the results block, hidden until a run ends."""
    with gr.Row():
        start_btn = gr.Button(i18n("start"), variant="primary", elem_id="train-start")
        stop_btn = gr.Button(i18n("stop"), variant="stop", elem_id="train-stop")
    device = TEXT["gpu"] if torch.cuda.is_available() else device_label(torch.device("cpu"))
    status = gr.Markdown(i18n("idle"), elem_id="train-status")
    gr.Markdown(i18n("shared"), elem_classes=["explain"], elem_id="train-shared")
    notes = gr.Markdown(_device_note(device), elem_id="train-notes")
    curves = gr.Plot(label=i18n("curves"), elem_id="train-curves")
    with gr.Column(visible=False, elem_id="train-results") as results:
        gr.Markdown(i18n("results"))
        with gr.Row():
            confusion = gr.Plot(label=i18n("confusion"))
            per_class = gr.Plot(label=i18n("per_class"))
        wrong = gr.Gallery(label=i18n("misclassified"), columns=4, height="auto", object_fit="contain",
                           allow_preview=True, elem_id="train-wrong")
        checkpoint = gr.File(label=i18n("checkpoint"), interactive=False, elem_id="train-checkpoint")
    return dict(start_btn=start_btn, stop_btn=stop_btn, status=status, notes=notes, curves=curves, results=results,
                confusion=confusion, per_class=per_class, wrong=wrong, checkpoint=checkpoint)


def _wire(c: dict[str, Any]) -> list:
    """The events: Start's inputs are named by its parameters, Start's and Stop's outputs by OUTPUTS."""
    inputs = [c[name] for name in inspect.signature(start).parameters if name != "request"]
    outputs = [c[name] for name in OUTPUTS]
    # Training runs queue among themselves, one at a time ("train"): the Inside tab has its own queue, so a
    # run slows inference down but never makes it wait. Gradio shows a queued student their place.
    # The check runs first (no outputs, so its error leaves no "Error" pill on the tab); the run starts only
    # when every setting is usable.
    checked = c["start_btn"].click(check, inputs, None, api_visibility="private")
    checked.failure(not_started, [c["session"]], outputs, api_visibility="private")
    # Then, still outside the train queue, the student's place in it and the expected wait.
    placed = checked.success(place, inputs, [c["status"]], api_visibility="private")
    run_event = placed.success(
        start, inputs, outputs, api_name="train", concurrency_id="train", concurrency_limit=1,
        show_progress="minimal",
    )
    stopped = c["stop_btn"].click(stop, [c["session"]], outputs, cancels=[run_event], api_visibility="private")
    train_attention.wire(c, before=placed, after=[run_event, stopped])
    c["dataset"].change(_dataset_changed, c["dataset"], [c["zip_file"], c["zip_help"]], api_visibility="private",
                        queue=False)
    # On load too (not a built-in value): the captions are in the request's language.
    root = gr.context.Context.root_block
    gr.on([*([root.load] if root is not None else []), c["aug"].change], preview, c["aug"], c["gallery"],
          api_visibility="private")
    c["aug"].change(_aug_text, c["aug"], c["aug_text"], api_visibility="private", queue=False)
    # .input: the student's pick of a mode sets its learning rate; a lesson link's mode keeps the link's rate.
    c["mode"].input(_mode_lr, c["mode"], c["lr"], api_visibility="private", queue=False)
    lesson.follow("train", {key: c[name] for key, name in LINKED.items()})  # a lesson link's settings
    return [run_event, stopped]  # after these a run may have finished: the comparison's lists refresh


# ------------------------------------------------------------------------------------------------- handlers


@user_errors
def start(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
          session: dict, request: gr.Request = None):
    """Start a run and stream its status and curves; the last update adds the results. The parameters'
    names are the input components' (build() wires them by name)."""
    config = _config(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size,
                     val_size, seed, out=None)
    config.validate()
    previous = session.get("run")
    if previous is not None:
        previous.stop.set()
    ticket = session.pop("ticket", None) or uuid.uuid4().hex  # from place(); an API call has none
    QUEUE.begin(ticket)
    config.out = _checkpoint_path(session, model, _session_hash(request))
    folder = session["dir"]
    runs.mark(folder, "running")  # a restarted app finds it still "running": the run was lost
    run = T.BackgroundRun(config, replay=True).start()  # a run that finished here before is replayed
    session["run"] = run
    try:
        while True:
            finished = run.finished.wait(REFRESH_S)
            if finished and run.error is not None:  # say it in the status line too, then as an error toast
                yield _updates(status=_failure(run))
                raise run.error
            if finished:  # kept before the last update is shown: a student may compare the moment they read it
                train_runs.keep(session, list(run.events), id(run))
            yield _render(run, finished, session)
            if finished:
                return
            _progress(run, ticket)
    finally:
        # Cancelled (Stop, or the page closed): the run ends at its next step; its final evaluation and
        # checkpoint still come, in this session's folder, and the next student's run starts.
        run.stop.set()
        QUEUE.leave(ticket)
        _ended(run, folder)
        if run.finished.is_set():
            train_runs.keep(session, list(run.events), id(run))


@user_errors
def place(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
          session: dict, request: gr.Request = None):
    """After the check, before the run (outside the train queue): the student's place in the queue and the
    expected wait, from the runs ahead and their expected durations; a replay is said to be short."""
    config = _config(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size,
                     val_size, seed, out=None)
    key = runs.run_key(dataclasses.asdict(config), resolve_device(config.device))
    expected = QUEUE.expected_s(config.model, config.image_size, _images(config), runs.has_record(key))
    session["ticket"] = uuid.uuid4().hex
    ahead, wait = QUEUE.join(session["ticket"], expected)
    lines = [say("lost")] if runs.lost_run(_session_hash(request)) else []
    if ahead:
        minutes = max(1, math.ceil(wait / 60))
        lines.append(say("queued_one" if ahead == 1 else "queued", ahead=ahead, wait=minutes))
    return "\n\n".join(lines) if lines else i18n("preparing")


@user_errors
def check(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
          session: dict) -> None:
    """Before Start: every setting checked before any work starts. A setting the run cannot use is a
    toast with a sentence (the event has no outputs, so no "Error" pill covers anything), remembered for
    :func:`not_started`; then Start's run does not begin."""
    session.pop("not_started", None)
    try:
        _config(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size,
                seed, out=None).validate()
    except ValueError as e:
        session["not_started"] = str(e)
        raise


@user_errors
def not_started(session: dict) -> list:
    """After a failed check: the sentence in the status line, and the last run's results cleared (they
    belong to other settings)."""
    return _updates(status=say("not_started", error=translate_error(session.get("not_started", ""))), notes="",
                    curves=None, results=gr.update(visible=False), attention=gr.update(visible=False))


@user_errors
def stop(session: dict, request: gr.Request = None):
    """Set the run's stop flag, wait for its final evaluation and show it (Start's event is cancelled);
    a run still waiting for its turn gives up its place."""
    run, ticket = session.get("run"), session.pop("ticket", None)
    if ticket is not None:
        QUEUE.leave(ticket)
        if run is None or run.finished.is_set():
            return _updates(status=say("left_queue"))
    if run is None:
        return _updates(status=say("lost") if runs.lost_run(_session_hash(request)) else i18n("nothing"))
    run.stop.set()
    run.finished.wait(STOP_WAIT_S)
    if run.error is not None:
        raise run.error
    train_runs.keep(session, list(run.events), id(run))
    return _render(run, run.finished.is_set(), session)


@cached  # every page asks for it on load: computed once per preset and language
@user_errors
def preview(aug: str) -> list[tuple[str, str]]:
    """Original Shapes images and augmented copies, as the trainer would make them (as files), captioned in the
    request's language."""
    views = preview_augmentation(aug, views=3, image_size=96)
    return [(image_file(img), say("view_original") if caption == "original" else say("view_aug", k=caption.split()[-1]))
            for img, caption in views]


def _mode_lr(mode: str) -> float:
    """The learning rate that suits a mode (lab.transfer.MODES), set when the mode changes."""
    return MODES[mode].lr


def _aug_text(aug: str):
    return i18n(f"aug_text_{aug}")


def _dataset_changed(dataset: str):
    return gr.update(visible=dataset == "zip"), gr.update(visible=dataset == "zip")


def _device_note(device: str):
    """The device line under Start: static text in both languages (the device is known when the tab is built)."""
    TEXT["device_note"] = f"- {TEXT['device'].format(device=device)}"
    zh = TEXT_ZH["gpu"] if device == TEXT["gpu"] else translate_error(device, ZH)
    TEXT_ZH["device_note"] = f"- {TEXT_ZH['device'].format(device=zh)}"
    return i18n("device_note")


def _config(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
            out: str | None) -> T.TrainConfig:
    """The run's settings from the tab's inputs, each number checked first: an emptied or mistyped box
    is a sentence saying what to type (lab.ui.common.number), never a TypeError."""
    dataset = choice(dataset, [value for _, value in DATASETS], "The data set")
    if dataset == "zip":
        if not zip_file:
            raise ValueError(say("no_zip"))
        dataset = zip_file if isinstance(zip_file, str) else zip_file.name
    if mode not in MODES:
        raise ValueError(say("bad_mode", modes=", ".join(MODES)))
    return T.TrainConfig(
        model=model, dataset=dataset, epochs=number(epochs, say("n_epochs"), 1, 1000, whole=True),
        batch_size=number(batch, say("n_batch"), 2, 4096, whole=True),
        lr=number(lr, say("n_lr"), 1e-8, 10), optimizer=optimizer,
        image_size=number(size, say("n_size"), 16, 512, whole=True), pretrained=MODES[mode].pretrained,
        freeze_backbone=MODES[mode].freeze_backbone, augmentation=aug,
        train_size=number(train_size, say("n_train"), 0, 1_000_000, whole=True),
        val_size=number(val_size, say("n_val"), 0, 1_000_000, whole=True),
        seed=number(seed, say("n_seed"), 0, 2**31 - 1, whole=True), threads=THREADS, out=out,
    )


def _checkpoint_path(session: dict, model: str, session_hash: str = "") -> str:
    folders = session.setdefault("dirs", [])
    for old in folders[: -(train_runs.KEEP_RUNS - 1) or None]:  # the session's last runs stay, to compare
        shutil.rmtree(old, ignore_errors=True)
    del folders[: -(train_runs.KEEP_RUNS - 1) or None]
    session["dir"] = new_run_dir(session_hash)  # where the Inside tab finds this student's latest run
    folders.append(session["dir"])
    return os.path.join(session["dir"], f"{re.sub(r'[^A-Za-z0-9_.-]', '_', model)}.pt")


def _session_hash(request: gr.Request | None) -> str:
    return getattr(request, "session_hash", None) or ""


def _images(config: T.TrainConfig) -> int:
    """The image-steps a run takes, for its expected duration: training images, plus a third of the
    validation images (evaluation has no backward pass) per epoch; "all" of a set counted as 5,000."""
    return config.epochs * ((config.train_size or 5000) + (config.val_size or 1000) // 3)


def _ended(run: T.BackgroundRun, folder: str) -> None:
    """A run has ended (or is ending): its folder's state, and its speed for the next students' estimates."""
    final = run.final
    runs.mark(folder, "failed" if run.error or (final and final["error"]) else "done" if final and not
              final["stopped"] else "stopped")
    replayed = bool(run.events) and run.events[0]["kind"] == "replay"
    if final and not final["stopped"] and not final["error"] and not replayed:
        QUEUE.measured(run.config.model, run.config.image_size, _images(run.config), final["wall_s"])


def _progress(run: T.BackgroundRun, ticket: str) -> None:
    """The run's own ETA, for the wait the students behind it are told (a replay's recorded ETAs are not)."""
    events = list(run.events)
    step = next((e for e in reversed(events) if e["kind"] == "step"), None)
    if step is not None and events[0]["kind"] != "replay":
        QUEUE.remaining(ticket, step["eta_s"])


def _failure(run: T.BackgroundRun) -> str:
    """The status line after a run raised: lab's sentence, or for a crash inside CNN Lab, what it was."""
    if isinstance(run.error, ValueError):
        return say("failed", error=translate_error(str(run.error)))
    steps = [e["step"] for e in run.events if e["kind"] == "step"]
    return say("crashed", kind=type(run.error).__name__, step=steps[-1] if steps else 0)


def _render(run: T.BackgroundRun, finished: bool, session: dict) -> list:
    """The outputs of Start (each redraw) and Stop: status, notes, curves, the attention frames (when a new
    one came), then the results block."""
    events = list(run.events)
    final = run.final if finished else None
    head = dict(status=_status(events), notes=_notes(events), curves=curves_figure(events),
                **train_attention.live(events, session))
    if final is None:  # the results of an earlier run hide while this one goes
        return _updates(**head, results=gr.update(visible=False))
    return _updates(**head, results=gr.update(visible=True), confusion=confusion_figure(final),
                    per_class=per_class_figure(final), wrong=_gallery(final), checkpoint=final["checkpoint"])


# ----------------------------------------------------------------------------------------------- formatting


def _status(events: list[dict]) -> str:
    start = next((e for e in events if e["kind"] == "start"), None)
    final = events[-1] if events and events[-1].get("done") else None
    if events and events[0]["kind"] == "replay":
        return _replay_status(events, start, final)
    if final:
        key = "failed" if final["error"] else "stopped" if final["stopped"] else "done"
        return say(
            key, wall=final["wall_s"], acc=final["val_acc"], loss=final["val_loss"], steps=final["steps"],
            total=final["total_steps"], device=translate_error(start["device"]) if start else "",
            error=translate_error(final["error"] or ""),
        )
    if start is None:
        return i18n("preparing")
    step = next((e for e in reversed(events) if e["kind"] == "step"), None)
    return say(
        "running", device=translate_error(start["device"]), precision=start["precision"],
        memory_format=start["memory_format"],
        threads=_threads(step["threads"] if step else start["threads"]),
        epoch=step["epoch"] if step else 1, epochs=start["epochs"], step=step["step"] if step else 0,
        total=start["total_steps"], speed=step["images_per_sec"] if step else 0,
        eta=_eta(step["eta_s"]) if step else "…",
    )


def _replay_status(events: list[dict], start: dict | None, final: dict | None) -> str:
    if final is not None:
        return say("replayed", acc=final["val_acc"], loss=final["val_loss"], steps=final["steps"],
                                       wall=events[0]["wall_s"] or 0)
    step = next((e for e in reversed(events) if e["kind"] == "step"), None)
    return say("replaying", epoch=step["epoch"] if step else 1, epochs=start["epochs"] if start else 1,
                                    step=step["step"] if step else 0, total=start["total_steps"] if start else 0)


def _eta(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def _threads(n: int | None) -> str:
    return f" · {_thread_count(n)}" if n else ""


def _thread_count(n: int) -> str:
    return say("thread_1") if n == 1 else say("threads", n=n)


def _notes(events: list[dict]) -> str:
    lines = [translate_error(e["message"]) for e in events if e["kind"] == "note"]  # lab's sentences
    start = next((e for e in events if e["kind"] == "start"), None)
    if start and start["probe"]:
        probe = ", ".join(f"{k} {v:.0f} img/s" for k, v in start["probe"].items())
        choice = f"{start['precision']} + {start['memory_format']}"
        if start["threads"]:
            choice += f", {_thread_count(start['threads'])}"
        lines.append(say("probe", choice=choice, probe=probe))
    return "\n".join(f"- {line}" for line in lines)


def _gallery(final: dict) -> list[tuple[Image.Image, str]]:
    out = []
    for ex in final["misclassified"]:
        img = Image.fromarray(ex["image"]).resize((96, 96), Image.NEAREST if ex["image"].shape[0] < 48 else Image.BILINEAR)
        out.append((img, TEXT["wrong_caption"].format(**ex)))
    return out


# --------------------------------------------------------------------------------------------------- charts


def curves_figure(events: list[dict]) -> go.Figure:
    """Loss per step (and per epoch), accuracy per epoch and throughput per step, side by side."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=(say("loss_title"), say("acc_title"), say("speed_title")))
    steps = [e for e in events if e["kind"] == "step"]
    epochs = [e for e in events if e["kind"] == "epoch"]
    stride = max(1, len(steps) // 600)  # a long run keeps at most ~600 points per line
    shown = steps[::stride]
    xs = [e["step"] for e in shown]
    fig.add_trace(go.Scatter(x=xs, y=[e["train_loss"] for e in shown], name=say("train_loss"), mode="lines",
                             line=dict(width=1, color="rgba(99,110,250,0.35)")), 1, 1)
    smooth, avg = [], None
    for e in steps:  # exponential moving average, as TensorBoard's smoothing
        avg = e["train_loss"] if avg is None else 0.9 * avg + 0.1 * e["train_loss"]
        smooth.append(avg)
    fig.add_trace(go.Scatter(x=xs, y=smooth[::stride], name=say("train_loss_avg"), mode="lines",
                             line=dict(width=2, color="#636efa")), 1, 1)
    fig.add_trace(go.Scatter(x=[e["step"] for e in epochs], y=[e["val_loss"] for e in epochs], name=say("val_loss"),
                             mode="lines+markers", line=dict(color="#ef553b")), 1, 1)
    fig.add_trace(go.Scatter(x=[e["epoch"] for e in epochs], y=[e["val_acc"] for e in epochs], name=say("val_acc"),
                             mode="lines+markers", line=dict(color="#ef553b")), 1, 2)
    fig.add_trace(go.Scatter(x=[e["epoch"] for e in epochs], y=[e["train_acc"] for e in epochs],
                             name=say("train_acc"), mode="lines+markers", line=dict(color="#636efa", dash="dot")), 1, 2)
    fig.add_trace(go.Scatter(x=xs, y=[e["images_per_sec"] for e in shown], name=say("speed"), mode="lines",
                             line=dict(color="#00a67e")), 1, 3)
    fig.update_xaxes(title_text=say("step"), row=1, col=1)
    fig.update_xaxes(title_text=say("epoch"), row=1, col=2, dtick=1)
    fig.update_xaxes(title_text=say("step"), row=1, col=3)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_yaxes(rangemode="tozero", row=1, col=3)
    fig.update_layout(height=340, margin=dict(l=40, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.25),
                      uirevision="train")  # keep the user's zoom between redraws
    return fig


def confusion_figure(final: dict) -> go.Figure:
    names = final["class_names"]
    fig = go.Figure(go.Heatmap(z=final["confusion"], x=names, y=names, colorscale="Blues", texttemplate="%{z}",
                               hovertemplate=f"{say('true')} %{{y}}<br>{say('predicted')} %{{x}}<br>%{{z}}<extra></extra>"))
    fig.update_layout(height=380, margin=dict(l=10, r=40, t=50, b=10), xaxis_title=say("predicted"),
                      yaxis_title=say("true"), yaxis_autorange="reversed", modebar=dict(orientation="v"))
    return fig


def per_class_figure(final: dict) -> go.Figure:
    acc = final["per_class_acc"]
    # Labels outside the bars, so a class at 0 % still says "0%"; the toolbar stands on the right, vertical,
    # where it covers neither the title nor a label.
    fig = go.Figure(go.Bar(x=acc, y=final["class_names"], orientation="h", text=[f"{a:.0%}" for a in acc],
                           textposition="outside", cliponaxis=False, marker_color="#636efa"))
    fig.update_layout(height=380, margin=dict(l=10, r=40, t=50, b=10), xaxis=dict(range=[0, 1.15], tickformat=".0%"),
                      yaxis_autorange="reversed", modebar=dict(orientation="v"))
    return fig
