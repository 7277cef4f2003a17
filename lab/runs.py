"""Where the Train tab's runs leave their checkpoints, and the record of finished runs that are replayed.

Two kinds of folder:

- **A session's run folder** ``<temp dir>/cnnlab-train-<session>-*/`` (:func:`new_run_dir`): the checkpoint
  of the run a student just trained, for the Inside tab (:func:`latest_checkpoints`), and ``state.json``
  saying whether the run is still going (:func:`mark`). A folder still "running" that this process did not
  start is a run the app lost when it restarted (:func:`lost_run`). In a class, each student's "the run I
  just trained" is their own: the folder names the browser session.
- **The record of finished runs** ``<cache>/runs/<key>/`` (:func:`save_record`): the events and the
  checkpoint of a seeded run that ended normally, under a content hash of everything that decides its
  result (:func:`record_key`: settings, data, weights, code, machine). The same run asked for again is
  replayed from there (:func:`replay`) instead of trained again: the default run every student starts is
  trained once per machine. Content-addressed, so the folder may be shared by several replicas.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np
import torch

from lab.speed import cache_dir, device_label, machine_id
from lab.models import TIMM_PREFIX, get_entry

RUN_PREFIX = "cnnlab-train-"
STATE_FILE = "state.json"
EVENTS_FILE = "events.json"
CHECKPOINT_FILE = "model.pt"
MAX_RECORDS = 20  # finished runs kept (a ResNet-18 checkpoint is 45 MB): the oldest go first
REPLAY_S = 4.0  # a replay shows its events over this many seconds: the curves still draw, readably
BOOT = uuid.uuid4().hex  # this process: a run folder marked "running" by another one was lost with it
_LAB = Path(__file__).resolve().parent


def _tag(session: str) -> str:
    """A session id as a safe folder-name part (no user text reaches a path as it is)."""
    return re.sub(r"[^A-Za-z0-9]", "", session)[:40] or "any"


def new_run_dir(session: str = "") -> str:
    """A fresh folder for one training run's checkpoint (under the system's temp dir), named by ``session``."""
    return tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{_tag(session)}-")


def latest_checkpoints(limit: int = 5, root: str | Path | None = None, session: str | None = None) -> list[Path]:
    """The checkpoints (``*.pt``) of the Train tab's runs, newest first, at most ``limit``; only those of
    ``session`` when it is given."""
    base = Path(root or tempfile.gettempdir())
    pattern = f"{RUN_PREFIX}{_tag(session)}-*/*.pt" if session is not None else f"{RUN_PREFIX}*/*.pt"
    found = []
    for path in base.glob(pattern):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:  # a run's folder removed meanwhile
            continue
    return [p for _, p in sorted(found, reverse=True)[:limit]]


# ------------------------------------------------------------------------------ a run folder's state


def mark(folder: str | Path, state: str) -> None:
    """Write a run folder's state: "running" while the run goes, then "done", "stopped" or "failed"."""
    path = Path(folder) / STATE_FILE
    try:
        path.write_text(json.dumps({"state": state, "boot": BOOT, "time": time.time()}))
    except OSError:  # the folder was removed meanwhile (a newer run of the same session)
        pass


def _state(folder: Path) -> dict:
    try:
        state = json.loads((folder / STATE_FILE).read_text())
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def lost_run(session: str, root: str | Path | None = None) -> bool:
    """Whether ``session``'s newest run folder holds a run that never ended: the app stopped (restarted)
    while it trained. Such a run's results are lost."""
    base = Path(root or tempfile.gettempdir())
    folders = []
    for folder in base.glob(f"{RUN_PREFIX}{_tag(session)}-*"):
        try:
            folders.append((folder.stat().st_mtime, folder))
        except OSError:
            continue
    if not folders:
        return False
    state = _state(max(folders)[1])
    return state.get("state") in ("running", "lost") and state.get("boot") != BOOT


# ---------------------------------------------------------------------------- the record of finished runs


def _records() -> Path:
    return Path(cache_dir()) / "runs"


def code_version() -> str:
    """A hash of lab's engine code (every .py outside lab/ui): a change to it can change a run's result."""
    h = hashlib.sha256()
    for path in sorted(p for p in _LAB.rglob("*.py") if "ui" not in p.relative_to(_LAB).parts):
        h.update(str(path.relative_to(_LAB)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def file_digest(path: str) -> str:
    """The SHA-256 of a file's content (an uploaded zip: its name is a temporary path, its content the data)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def record_key(settings: Mapping[str, Any], machine: str) -> str:
    """The content hash naming a run: its ``settings`` (everything that decides the result, as plain
    values), the ``machine`` it runs on, and lab's code version."""
    blob = json.dumps({"settings": dict(settings), "machine": machine, "code": code_version()}, sort_keys=True,
                      default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def run_key(settings: Mapping[str, Any], device: torch.device) -> str | None:
    """The record key of a run with ``settings`` (a TrainConfig as a dict) on ``device``, or None when the
    run is not reproducible, so a replay would not be the same run: on a CPU its thread count must be
    pinned (``threads``), and pretrained weights must already be on disk (else the download, or its
    failure offline, decides what the run starts from). Where the checkpoint goes and where data sets
    are kept do not count; an uploaded zip counts by its content. On a GPU the thread count does not
    matter; cuDNN may still pick other kernels another time (last bits), but the replay remains a run of
    exactly these settings on this machine, which is what it says it is."""
    cfg = {k: v for k, v in settings.items() if k not in ("out", "data_dir", "device")}
    if device.type == "cpu" and not cfg.get("threads"):
        return None
    if cfg.get("pretrained"):
        # timm's Hub cache cannot be looked into (Pretrained.is_cached): such a run is trained each time
        weights = None if cfg["model"].startswith(TIMM_PREFIX) else get_entry(cfg["model"]).weights
        if weights is None or not weights.is_cached():
            return None
        cfg["weights"] = weights.label
    if str(cfg.get("dataset", "")).lower().endswith(".zip"):
        try:
            cfg["dataset"] = "zip:" + file_digest(cfg["dataset"])
        except OSError:
            return None
    return record_key(cfg, f"{machine_id()} | {device_label(device)}")


def _encode(value: Any) -> Any:
    """Events as JSON: numpy arrays (the misclassified examples, the attention frames) become their bytes,
    deflated (a default run's heat maps to ~40 %) and in base64, with their dtype and shape."""
    if isinstance(value, np.ndarray):
        data = zlib.compress(np.ascontiguousarray(value).tobytes(), 6)
        return {"__ndarray__": base64.b64encode(data).decode(), "dtype": str(value.dtype), "shape": list(value.shape)}
    raise TypeError(f"cannot record a {type(value).__name__} in a run's events")


def _decode(obj: dict) -> Any:
    if "__ndarray__" in obj:
        data = zlib.decompress(base64.b64decode(obj["__ndarray__"]))
        return np.frombuffer(data, dtype=obj["dtype"]).reshape(obj["shape"]).copy()
    return obj


def save_record(key: str, events: list[dict]) -> bool:
    """Keep a finished run for replays: its events and its checkpoint (copied) under ``key``. Only a run
    that ended normally is kept (not stopped, no error, a checkpoint written). Returns whether it was."""
    done = events[-1] if events else {}
    if not done.get("done") or done.get("stopped") or done.get("error") or not done.get("checkpoint"):
        return False
    root = _records()
    tmp = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
        shutil.copyfile(done["checkpoint"], tmp / CHECKPOINT_FILE)
        (tmp / EVENTS_FILE).write_text(json.dumps({"events": events, "saved": time.time()}, default=_encode))
        os.replace(tmp, root / key)  # atomic: a replica reading the record sees all of it or none
    except OSError:  # a full or read-only disk, or another process recorded the same run first
        return (root / key / EVENTS_FILE).is_file()
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _prune(root)
    return True


def _prune(root: Path, keep: int = MAX_RECORDS) -> None:
    folders = sorted((p.stat().st_mtime, p) for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for _, folder in folders[:-keep]:
        shutil.rmtree(folder, ignore_errors=True)


def has_record(key: str | None) -> bool:
    """Whether run ``key`` finished here before (cheaper than :func:`load_record`)."""
    return bool(key) and (_records() / key / EVENTS_FILE).is_file()


def load_record(key: str | None) -> tuple[list[dict], Path] | None:
    """The recorded events and checkpoint of run ``key``, or None when it never finished here."""
    if not key:
        return None
    folder = _records() / key
    try:
        data = json.loads((folder / EVENTS_FILE).read_text(), object_hook=_decode)
    except (OSError, ValueError):
        return None
    checkpoint = folder / CHECKPOINT_FILE
    if not checkpoint.is_file() or not data.get("events"):
        return None
    return data["events"], checkpoint


def replay(record: tuple[list[dict], Path], out: str | None, stop: threading.Event | None = None,
           seconds: float | None = None) -> Iterator[dict]:
    """Yield a recorded run's events again over about ``seconds`` (:data:`REPLAY_S`): first
    ``{"kind": "replay", "wall_s"}`` (how long the run took when it trained), then the recorded events,
    the checkpoint copied to ``out``. Stop skips to the end: the result is already known."""
    events, checkpoint = record
    stop = stop or threading.Event()
    yield {"kind": "replay", "wall_s": events[-1].get("wall_s")}
    pause = (REPLAY_S if seconds is None else seconds) / max(1, len(events))
    for event in events[:-1]:
        if not stop.is_set():
            time.sleep(pause)
        yield event
    done = dict(events[-1])
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        shutil.copyfile(checkpoint, out)
    done["checkpoint"] = out
    yield done


# ------------------------------------------------------------------------------- comparing finished runs


@dataclass
class RunSummary:
    """One finished run, for the comparison table and the overlaid curves (the course's exercise)."""

    label: str  # how the student picks it: "1 · resnet18 · shapes 64 px · 5 epochs"
    model: str
    params: int  # trainable parameters
    best_val_acc: float
    final_val_acc: float
    wall_s: float  # as trained (a replay: the recorded run's)
    images_per_s: float  # the median of the steps' training throughput
    epochs: list[dict]  # the epoch events: epoch, train_loss, train_acc, val_loss, val_acc
    checkpoint: str | None
    ended: str  # "done", "stopped" or "failed"


def summarize_run(events: list[dict], number: int) -> RunSummary | None:
    """The summary of a run's events (:func:`lab.train.train`'s, or a replay's), numbered ``number`` in the
    session; None when it has no final event (it never started or broke off)."""
    done = events[-1] if events and events[-1].get("done") else None
    start = next((e for e in events if e.get("kind") == "start"), None)
    if done is None or start is None:
        return None
    epochs = [{k: e[k] for k in ("epoch", "train_loss", "train_acc", "val_loss", "val_acc")}
              for e in events if e.get("kind") == "epoch"]
    speeds = sorted(e["images_per_sec"] for e in events if e.get("kind") == "step")
    replayed = events[0].get("kind") == "replay"
    ended = "failed" if done["error"] else "stopped" if done["stopped"] else "done"
    model = start.get("model", "?")
    label = f"{number} · {model} · {start['image_size']} px · {len(epochs)}/{start['epochs']} epochs"
    return RunSummary(
        label=label + ("" if ended == "done" else f" ({ended})"), model=model, params=start["trainable_params"],
        best_val_acc=max([e["val_acc"] for e in epochs] + [done["val_acc"]]), final_val_acc=done["val_acc"],
        wall_s=float(events[0]["wall_s"] if replayed and events[0].get("wall_s") else done["wall_s"]),
        images_per_s=speeds[len(speeds) // 2] if speeds else 0.0, epochs=epochs, checkpoint=done.get("checkpoint"),
        ended=ended)


# ------------------------------------------------------------------------------------------ the train queue

SECONDS_PER_IMAGE = 1 / 150  # a training image-step before any run measured one (ResNet-18, 64 px, 1 thread)


class TrainQueue:
    """The training runs waiting or training, first come first served (one at a time), with how long
    each is expected to take: a student's place and wait. Thread-safe.

    ``join`` when a student presses Start (before their event reaches the train queue), ``begin`` when
    their run starts, ``leave`` when it ends or is given up. Runs that joined before the one that begins
    and never began were given up without a word (the page closed while they waited): they are dropped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, dict] = {}  # ticket -> {"expected_s", "began": time or None}, in joining order
        self._per_image: dict[tuple, float] = {}  # (model, image size) -> measured seconds per image-step

    def expected_s(self, model: str, size: int, images: int, replay: bool = False) -> float:
        """How long a run of ``images`` image-steps is expected to take: a replay's few seconds, else as
        measured for this model and size here, else any measured run's rate scaled by the pixels."""
        if replay:
            return REPLAY_S + 1
        with self._lock:
            rate = self._per_image.get((model, size))
            if rate is None and self._per_image:
                rate = max(r * (size / s) ** 2 for (_, s), r in self._per_image.items())
        return images * (rate if rate is not None else SECONDS_PER_IMAGE * (size / 64) ** 2)

    def measured(self, model: str, size: int, images: int, seconds: float) -> None:
        if images > 0 and seconds > 0:
            with self._lock:
                self._per_image[(model, size)] = seconds / images

    def join(self, ticket: str, expected_s: float) -> tuple[int, float]:
        """Add a run; returns (runs ahead of it, seconds it is expected to wait)."""
        with self._lock:
            self._runs.pop(ticket, None)
            self._runs[ticket] = {"expected_s": expected_s, "began": None}
        return self.ahead(ticket)

    def ahead(self, ticket: str) -> tuple[int, float]:
        now, n, wait = time.monotonic(), 0, 0.0
        with self._lock:
            for t, run in self._runs.items():
                if t == ticket:
                    break
                n += 1
                elapsed = now - run["began"] if run["began"] is not None else 0.0
                wait += max(0.0, run["expected_s"] - elapsed)
        return n, wait

    def begin(self, ticket: str) -> None:
        with self._lock:
            for t in list(self._runs):
                if t == ticket:
                    break
                if self._runs[t]["began"] is None:  # joined before, never began: given up
                    del self._runs[t]
            self._runs.setdefault(ticket, {"expected_s": 0.0, "began": None})["began"] = time.monotonic()

    def remaining(self, ticket: str, seconds: float) -> None:
        """A run that began says how long it has left (its ETA): that replaces its expected duration."""
        with self._lock:
            run = self._runs.get(ticket)
            if run is not None and run["began"] is not None:
                run["expected_s"] = time.monotonic() - run["began"] + seconds

    def leave(self, ticket: str) -> None:
        with self._lock:
            self._runs.pop(ticket, None)
