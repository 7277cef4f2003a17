"""Show me the code: under each view an accordion with the Python that reproduces it (:mod:`lab.snippets`), kept
up to date with the view's settings. A tab adds one with ``code_panel(view, {setting: component})``; the ``/code``
endpoint (:func:`api_code`) gives the same snippet for a view and its settings.

The snippet is rewritten whenever one of the settings changes (``.change``: also when a handler sets it, as a
picked network's usual resolution or a CAM's chosen layer) and when the page loads. Writing it is a string
template, no model work: a private follower in no queue.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import gradio as gr
from gradio.context import get_blocks_context

from lab import snippets
from lab.models.zoo import ASSETS
from lab.ui.common import current_language, translate_error, translator, user_errors
from lab.ui.common import TEXT  # noqa: F401  (the accordion's label lives with the app's shared sentences)

i18n = translator("lab.ui.common", TEXT)
Adapt = Callable[[dict[str, Any]], dict[str, Any]]


def code_panel(view: str, inputs: dict[str, Any], adapt: Adapt | None = None, results: tuple = (),
               open: bool = False) -> gr.Code:
    """An accordion "Show me the code" holding view ``view``'s snippet, rewritten from ``inputs`` (setting name →
    component; raw values) after ``adapt`` (the tab's values → :func:`lab.snippets.snippet`'s settings), and again
    when one of ``results`` changes (the view's main result: by then a handler has set every input it sets, as
    a preset setting six sliders at once)."""
    slug = view.replace("_", "-")
    with gr.Accordion(i18n("code_show"), open=open, elem_id=f"show-code-{slug}", elem_classes=["show-code"]):
        code = gr.Code(language="python", interactive=False, lines=8, max_lines=40, label=i18n("code_label"),
                       buttons=["copy", "download"], elem_id=f"code-{slug}")
    files = {name for name, c in inputs.items() if isinstance(c, (gr.Image, gr.File))}

    def write(values: dict) -> str:  # inputs given as a set: one {component: raw value} dict
        settings = {name: _file(values[c]) if name in files else values[c] for name, c in inputs.items()}
        return show(view, adapt(settings) if adapt else settings)

    write.__name__ = f"code_{view}"
    triggers = [c.change for c in (*inputs.values(), *results)] + [get_blocks_context().root_block.load]
    gr.on(triggers, user_errors(write), set(inputs.values()), code, api_visibility="private",
          show_progress="hidden", preprocess=False, queue=False, trigger_mode="always_last")
    return code


def show(view: str, settings: dict[str, Any]) -> str:
    """The snippet for the screen: a setting the view cannot use yet (an emptied box, a half-typed list) is a
    comment saying so, in the request's language, instead of an error toast (the view itself says what to fix)."""
    try:
        return snippets.snippet(view, current_language(), **settings)
    except (ValueError, TypeError) as e:
        return "# " + " ".join(translate_error(str(e)).split()) + "\n"


@user_errors
def api_code(view: str = "architecture", settings: dict | None = None) -> str:
    """The Python that reproduces a view of the lab with these settings: a short script (about 20 lines) that
    prints the view's key figures as ``name=value`` lines, comments in the request's language.

    Args:
        view: architecture, compare, cam, feature_maps, scaling, mobilenet, train, conv, window, kernel_image,
            activations, swish, softmax, mlp, batch_norm_walk, batch_norm_drift or blocks.
        settings: the view's settings by name, e.g. ``{"model": "vgg16", "resolution": 160}`` for architecture or
            ``{"phi": 2}`` for scaling (``{"compound": false, "width": 1.4, ...}``: free mode); any left out take the
            view's default. An unknown view or setting name is an error saying which are known.
    Returns:
        The script, as text.
    """
    if settings is not None and not isinstance(settings, dict):
        raise ValueError("The settings must be an object of names and values, such as {\"model\": \"vgg16\"}.")
    return snippets.snippet(view, current_language(), **(settings or {}))


def register() -> None:
    """The ``/code`` endpoint (inside the app's Blocks)."""
    gr.api(api_code, api_name="code")


def _file(value: Any) -> str | None:
    """A file input's raw value (``preprocess=False``: a FileData dict, or a path) as the name a script uses: the
    lab's own example as ``assets/<name>`` (the script runs in the repository), an upload by its own name."""
    path = value.get("orig_name") or value.get("path") if isinstance(value, dict) else value
    if not path or not isinstance(path, str):
        return None
    name = Path(path).name
    return f"assets/{name}" if (ASSETS / name).is_file() else name
