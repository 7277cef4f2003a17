"""Pieces every tab shares: the header, the model picker, and turning lab's errors into gr.Error."""
from __future__ import annotations

import functools
import inspect
import logging
from typing import Any, Callable

import gradio as gr

log = logging.getLogger("cnnlab")

COURSE_PATH = [
    "LeNet-5", "AlexNet", "VGG", "NiN", "GoogLeNet", "ResNet", "DenseNet", "MobileNet", "EfficientNet",
]

TEXT = {
    "title": "CNN Lab",
    "subtitle": "See how the classic convolutional networks are built, what they compute, and why they work.",
    "course": "Course path",
    "internal_error": "Something went wrong inside CNN Lab ({kind}). Try another setting; if it keeps "
    "happening, please report it.",
}


def header() -> None:
    """The title and the course path LeNet-5 → … → EfficientNet."""
    path = " → ".join(f"<span class='course-step'>{step}</span>" for step in COURSE_PATH)
    gr.HTML(
        f"<div class='lab-header'><h1>{TEXT['title']}</h1><p>{TEXT['subtitle']}</p>"
        f"<p class='course-path'><b>{TEXT['course']}:</b> {path}</p></div>"
    )


def model_choices(include_timm_hint: bool = False) -> list[tuple[str, str]]:
    """Dropdown choices ``(label, name)`` grouped by family in the course's order."""
    from lab.models import get_entry, list_models

    return [(f"{get_entry(n).paper.family} · {n}", n) for n in list_models()]


def user_errors(fn: Callable) -> Callable:
    """Wrap a handler so a user's mistake shows as a readable ``gr.Error``, never a traceback.

    ``ValueError`` (lab's sentences for the user) becomes ``gr.Error`` with the same sentence; any other
    exception is logged with its traceback and shown as a short generic sentence, and the app keeps
    serving. Works for plain functions and for generator handlers (streaming).
    """

    def convert(e: Exception) -> gr.Error:
        if isinstance(e, gr.Error):
            return e
        if isinstance(e, ValueError):
            return gr.Error(str(e))
        log.exception("handler %s failed", fn.__name__)
        return gr.Error(TEXT["internal_error"].format(kind=type(e).__name__))

    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any):
            try:
                yield from fn(*args, **kwargs)
            except Exception as e:
                raise convert(e) from e

        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise convert(e) from e

    return wrapper
