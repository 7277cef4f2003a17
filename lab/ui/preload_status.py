"""The header's status line while pretrained weights are fetched at start-up (:mod:`lab.models.preload`).

"Preparing pretrained weights: 3 of 8 ready…", refreshed by a ``gr.Timer`` while the thread works and gone
once it is done; where the network is unreachable, one line saying what still works. Nothing at all when
preloading is off (not on a Space, see :func:`lab.models.preload.enabled`).
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from lab.models import preload
from lab.ui.common import ZH, request_language
from lab.ui.text.preload import TEXT, TEXT_ZH

TICK_S = 2.0  # how often an open page asks; the answer is a dict lookup, queue=False
BUSY = ("waiting", "running")


def build(demo: gr.Blocks) -> None:
    """The (hidden until needed) status line and its timer; call inside ``demo``'s ``with`` block."""
    line = gr.Markdown(visible=False, elem_id="preload-status", elem_classes=["explain"])
    timer = gr.Timer(TICK_S, active=preload.current().state in BUSY)
    quiet = dict(queue=False, show_progress="hidden", api_visibility="private")
    timer.tick(refresh, None, [line, timer], **quiet)
    demo.load(refresh, None, [line, timer], **quiet)


def refresh(request: gr.Request = None) -> tuple[Any, Any]:
    """The line for this browser's language, and the timer switched off once there is nothing to wait for."""
    progress = preload.current()
    text = message(progress, chinese=request_language(request) == ZH)
    busy = progress.state in BUSY  # while busy the timer is left alone: updating it re-renders it on every tick
    return gr.update(value=text, visible=bool(text)), gr.skip() if busy else gr.Timer(active=False)


def message(progress: preload.Progress, chinese: bool = False) -> str:
    """The sentence for ``progress`` ("" when there is nothing to say: preloading off, or done)."""
    text = TEXT_ZH if chinese else TEXT
    counts = dict(ready=progress.ready, total=progress.total)
    if progress.state in BUSY:
        return text["running"].format(**counts)
    if progress.state == "partial":
        return text["partial"].format(**counts)
    if progress.state == "offline":
        return text["offline_some"].format(**counts) if progress.ready else text["offline"]
    return ""
