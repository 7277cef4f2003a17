"""The Train tab's "Attention forming" panel: a slider over the epochs of a run, and for each of its fixed
validation images the Grad-CAM captured at that epoch, laid over the image (:mod:`lab.attention`).

The frames are part of the run's events (captured while it trained, or replayed with a recorded run), so
moving the slider runs no model: it only blends the stored maps over the stored images, once per epoch and
language (kept in the session). The sentences are the Train tab's (lab/ui/text/train.py).
"""
from __future__ import annotations

from typing import Any

import gradio as gr
import numpy as np
from PIL import Image, ImageDraw

from lab import attention as A
from lab.features import overlay
from lab.ui.common import current_language, number, speaker, translator, user_errors
from lab.ui.serving import image_file
from lab.ui.text.train import TEXT, TEXT_ZH

i18n = translator("lab.ui.train", TEXT)  # the Train tab's keys ("train.<key>")
say = speaker(TEXT, TEXT_ZH)
SHOWN = 256  # px: each overlay's side
CAPTION = "{mark} {true} → {pred} · {p:.0%}"  # symbols and class names only: the same in every language
_RAW = dict(show_progress="hidden", preprocess=False)
_QUIET = dict(api_visibility="private", show_progress="hidden", queue=False)


def panel(epochs: int) -> dict[str, Any]:
    """The panel's components (hidden until a run has frames): the title and the sentence of what to look
    for beside the epoch slider and a line of figures; below them the overlays, four to a row."""
    with gr.Column(visible=False, elem_id="train-attention") as column:
        with gr.Row():
            with gr.Column(scale=3):
                gr.Markdown(i18n("att_title"))
                gr.Markdown(i18n("att_intro"), elem_classes=["explain"])
            with gr.Column(scale=2):
                slider = gr.Slider(0, epochs, value=0, step=1, label=i18n("att_epoch"), elem_id="train-att-epoch")
                line = gr.Markdown("", elem_id="train-att-line")
        gallery = gr.Gallery(show_label=False, columns=4, height="auto", object_fit="contain", allow_preview=False,
                             elem_id="train-att-gallery")
    return dict(attention=column, att_epoch=slider, att_line=line, att_gallery=gallery)


def wire(c: dict[str, Any], before: Any, after: list) -> None:
    """The slider's event (the ``/attention`` endpoint); ``before``: the event after which a run starts (the
    slider spans its epochs), ``after``: those after which a run has ended (the slider goes to its last frame)."""
    view = [c["att_line"], c["att_gallery"]]
    c["att_epoch"].change(attention, [c["att_epoch"], c["session"]], view, api_name="attention",
                          trigger_mode="always_last", **_RAW).failure(lambda: ("", None), None, view, **_QUIET)
    before.success(_span, [c["epochs"]], c["att_epoch"], **_QUIET)
    for event in after:
        event.then(_last, [c["session"]], c["att_epoch"], **_QUIET)


@user_errors
def attention(epoch, session: dict) -> tuple[str, list]:
    """The attention frames of this session's newest Train-tab run (the one training now, or the last one)
    at ``epoch`` (0 = the random weights before the first step; a later epoch not reached yet shows the last
    one captured). Returns a line (the epoch shown, the CAM layer, how many answers are right and, on
    Shapes, the share of the heat inside the objects' boxes against epoch 0's) and, for each fixed
    validation image, its Grad-CAM overlay (the evidence for the network's answer) captioned
    "✓/✗ true → predicted · probability".

    Raises:
        ValueError: no run in this session has frames yet, or ``epoch`` is not a whole number ≥ 0.
    """
    epoch = number(epoch, say("att_n_epoch"), 0, 1000, whole=True)
    frames = _frames(session)
    if frames is None:
        raise ValueError(say("att_none"))
    return view(frames, frames.index(epoch), session)


def view(frames: A.Frames, j: int, session: dict | None = None) -> tuple[str, list]:
    """The line and the overlays of captured epoch ``j``; overlays kept per run, epoch and language."""
    cache = session.setdefault("att_views", {}) if session is not None else {}
    key = (id(frames.images), j, current_language())
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[key] = _gallery(frames, j)
    return _line(frames, j), cache[key]


def live(events: list[dict], session: dict) -> dict[str, Any]:
    """Start's updates of the panel while a run goes: shown once frames exist, redrawn only when a new
    epoch's frame has come (so a student looking back with the slider is not pulled forward at every redraw)."""
    frames = A.frames(events)
    if frames is None:
        return dict(attention=gr.update(visible=False))
    shown = (id(frames.images), len(frames.epochs))
    if session.get("att_shown") == shown:
        return {}
    session["att_shown"] = shown
    line, gallery = view(frames, len(frames.epochs) - 1, session)
    return dict(attention=gr.update(visible=True), att_line=line, att_gallery=gallery)


def _frames(session: dict) -> A.Frames | None:
    run = session.get("run")
    return A.frames(list(run.events)) if run is not None else None


def _gallery(frames: A.Frames, j: int) -> list[tuple[str, str]]:
    out = []
    for i, label in enumerate(frames.labels):
        image = Image.fromarray(frames.images[i]).resize((SHOWN, SHOWN), Image.Resampling.BILINEAR)
        shown = overlay(image, frames.maps[j][i].astype(np.float32) / 255, opacity=0.5)
        if frames.boxes is not None:  # the object's box, where the heat should gather
            scale = SHOWN / frames.images.shape[1]
            x0, y0, x1, y1 = (v * scale for v in frames.boxes[i])
            ImageDraw.Draw(shown).rectangle([x0, y0, x1 - 1, y1 - 1], outline=(255, 255, 255), width=2)
        pred, p = frames.preds[j][i], frames.probs[j][i]
        caption = CAPTION.format(true=frames.class_names[label], pred=frames.class_names[pred], p=p,
                                 mark="✓" if pred == label else "✗")
        out.append((image_file(shown), caption))
    return out


def _line(frames: A.Frames, j: int) -> str:
    right = sum(p == t for p, t in zip(frames.preds[j], frames.labels))
    line = say("att_line", epoch=frames.epochs[j], last=frames.epochs[-1], layer=frames.layer, right=right,
               n=len(frames.labels))
    mass = frames.in_box(j)
    if mass is not None:
        area = np.mean([A.box_area(b, frames.images.shape[1]) for b in frames.boxes])
        line += " " + say("att_box", mass=float(np.mean(mass)), first=float(np.mean(frames.in_box(0))), area=area)
    return line


def _span(epochs) -> Any:
    """Before a run: the slider spans its epochs, at 0. Never fails (it follows the check)."""
    try:
        return gr.update(maximum=max(1, int(epochs)), value=0)
    except (TypeError, ValueError):
        return gr.update()


def _last(session: dict) -> Any:
    """After a run: the slider at its last captured epoch (its change shows it). Never fails."""
    frames = _frames(session) if isinstance(session, dict) else None
    if frames is None:
        return gr.update()
    return gr.update(maximum=max(1, frames.epochs[-1]), value=frames.epochs[-1])
