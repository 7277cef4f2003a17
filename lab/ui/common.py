"""Pieces every tab shares: the header, the model picker, turning lab's errors into gr.Error, and the
translation of the static text (Gradio's i18n: English by default, Simplified Chinese for zh-CN browsers).

To translate a tab (see architecture.py):
1. next to ``TEXT``, add ``TEXT_ZH``: the Chinese of its static strings, same keys;
2. ``i18n = translator(__name__, TEXT)``, and in ``build()`` pass ``i18n("key")`` where it passed
   ``TEXT["key"]``: label=, info=, Markdown/HTML values, Accordion and Button text, and choices as
   ``(i18n("key"), value)`` so handlers still receive the English value;
3. delete the tab's entry in ``PENDING_TAB_TITLES_ZH``. tests/ui/test_i18n.py then checks each key shown has
   Chinese with the same markup.
What the browser translates (Gradio 6.31, checked in Chromium):
- a whole value ``i18n("key")``, also when a handler returns it or sets it with ``gr.update(label=...)``;
- ONE ``i18n("key")`` inside an f-string, plain text around it kept; a second one in the same string shows
  raw, so make the heading and its explanation one string in the dicts;
- not ``.format()`` (Gradio's key object would ignore it and show the {placeholders}; ours raises), not
  ``gr.Blocks(title=)``, not Dataframe headers or plotly figures. Sentences that handlers format with
  numbers therefore stay English; TEXT keeps them for the day they can be translated.
A Button that is an event input sends its translated text: keep buttons that handlers read untranslated.
"""
from __future__ import annotations

import functools
import inspect
import logging
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

import gradio as gr
from gradio.exceptions import ComponentProcessingError
from gradio.i18n import I18nData
from gradio.utils import get_upload_folder

from lab.models import get_entry, list_models
from lab.models.zoo import ASSETS

log = logging.getLogger("cnnlab")
if not log.handlers:  # the app's own log lines (one per user error, tracebacks for real failures) on stderr
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s cnnlab %(levelname)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False

COURSE_PATH = [
    "LeNet-5", "AlexNet", "VGG", "NiN", "GoogLeNet", "ResNet", "DenseNet", "MobileNet", "EfficientNet",
]

_PATH_HTML = " → ".join(f"<span class='course-step'>{step}</span>" for step in COURSE_PATH)

TEXT = {
    # One string for the whole header: the browser translates only one key per component value.
    "header": "<h1>CNN Lab</h1><p>See how the classic convolutional networks are built, what they compute, and "
    f"why they work.</p><p class='course-path'><b>Course path:</b> {_PATH_HTML}</p>",
    "internal_error": "Something went wrong inside CNN Lab ({kind}). Try another setting; if it keeps "
    "happening, please report it.",
    "not_uploaded": "The {what} must be a file uploaded to CNN Lab (in the page, or with gradio_client's "
    "handle_file(path)); {value} is not one.",
    "unreadable": "The {name} sent to {api} cannot be used ({value}): send {expected}, as the API page (“Use via "
    "API” at the foot of the page) describes.",
    "unreadable_any": "A value sent to {api} cannot be used: send each input as the API page (“Use via API” at the "
    "foot of the page) describes.",
    "expect_number": "a number{between}",
    "expect_file": "a file uploaded with gradio_client's handle_file(path)",
    "expect_bool": "true or false",
    "expect_choice": "one of: {choices}",
    "expect_any": "a value of the type the API page lists",
}

TEXT_ZH = {
    "header": "<h1>CNN Lab</h1><p>看看经典卷积神经网络是怎样搭建的、计算了什么，以及它们为什么有效。</p>"
    f"<p class='course-path'><b>课程路线：</b> {_PATH_HTML}</p>",
    "not_uploaded": "{what}必须是上传到 CNN Lab 的文件（在网页中上传，或用 gradio_client 的 handle_file(path)）；"
    "{value} 不是。",
    "unreadable": "发送给 {api} 的 {name} 无法使用（{value}）：请按 API 页面（页面底部的“通过 API 使用”）的说明发送"
    "{expected}。",
    "unreadable_any": "发送给 {api} 的某个值无法使用：请按 API 页面（页面底部的“通过 API 使用”）的说明发送每个输入。",
    "expect_number": "一个数{between}",
    "expect_file": "用 gradio_client 的 handle_file(path) 上传的文件",
    "expect_bool": "true 或 false",
    "expect_choice": "以下之一：{choices}",
    "expect_any": "API 页面所列类型的值",
}

# Chinese titles of the tabs whose module has no TEXT_ZH yet (the tab bar is built here, in app.py). A module's
# own TEXT_ZH["title"] wins; delete its entry here when it gets one (tests/ui/test_i18n.py checks).
PENDING_TAB_TITLES_ZH: dict[str, str] = {}

ZH = "zh-CN"  # the browser locale that gets Chinese; every other locale gets English
USED_KEYS: set[str] = set()  # every key handed to a component so far (tests check each has Chinese)


def _namespace(module_name: str) -> str:
    """'lab.ui.architecture' -> 'architecture': the prefix of that module's keys."""
    return module_name.rsplit(".", 1)[-1]


class _Key(I18nData):
    """Gradio's translation key, minus a trap: its ``.format()`` silently returns the key untranslated."""

    def format(self, *args: Any, **kwargs: Any):
        raise TypeError(f"{self.key}: the browser cannot fill in values; format the sentence in a handler "
                        "(it stays English), or write the numbers into TEXT and TEXT_ZH")


def translator(module_name: str, text: dict[str, Any]) -> Callable[[str], I18nData]:
    """``i18n = translator(__name__, TEXT)``; then ``i18n("model")`` is the translatable ``"<tab>.model"``
    for a component. Raises KeyError at build time for a key that ``text`` lacks (a typo)."""
    ns = _namespace(module_name)

    def i18n(key: str) -> I18nData:
        if not isinstance(text.get(key), str):
            raise KeyError(f"{module_name}.TEXT has no string {key!r} to translate")
        USED_KEYS.add(f"{ns}.{key}")
        return _Key(f"{ns}.{key}")

    return i18n


i18n = translator(__name__, TEXT)


def tab_title(tab: ModuleType) -> I18nData:
    """A tab module's translatable title: its TEXT["title"] (and TEXT_ZH["title"] in Chinese)."""
    return translator(tab.__name__, tab.TEXT)("title")


def build_i18n(tabs: Iterable[ModuleType]) -> gr.I18n:
    """The ``gr.I18n`` for ``launch(i18n=...)``: every string of this module's and the tabs' ``TEXT`` in
    English, their ``TEXT_ZH`` (where a module has one) in Chinese; keys are ``"<module>.<key>"``."""
    en: dict[str, str] = {}
    zh = {f"{ns}.title": title for ns, title in PENDING_TAB_TITLES_ZH.items()}
    for module in [sys.modules[__name__], *tabs]:
        ns = _namespace(module.__name__)
        en.update({f"{ns}.{k}": v for k, v in module.TEXT.items() if isinstance(v, str)})
        zh.update({f"{ns}.{k}": v for k, v in getattr(module, "TEXT_ZH", {}).items()})
    return gr.I18n(en=en, **{ZH: zh})


def header() -> None:
    """The title and the course path LeNet-5 → … → EfficientNet."""
    gr.HTML(f"<div class='lab-header'>{i18n('header')}</div>")


def model_choices(include_timm_hint: bool = False) -> list[tuple[str, str]]:
    """Dropdown choices ``(label, name)`` grouped by family in the course's order."""
    return [(f"{get_entry(n).paper.family} · {n}", n) for n in list_models()]


def number(value: Any, what: str, lo: float | None = None, hi: float | None = None, whole: bool = False) -> float | int:
    """The value of a number box, checked before any work starts, or ValueError with a sentence saying what
    to type. Every number box can be emptied (typing "abc" into one leaves it empty: the handler gets None),
    so no handler may call ``float()`` on its raw input.

    Args:
        value: what the component sent (None, a number, or a string from the API).
        what: the box's name in the sentence, e.g. "The learning rate".
        lo, hi: the allowed range, inclusive (None: open).
        whole: a whole number is required (returned as int).
    """
    between = (f" from {lo:g} to {hi:g}" if lo is not None and hi is not None
               else f" of at least {lo:g}" if lo is not None else f" of at most {hi:g}" if hi is not None else "")
    kind = "a whole number" if whole else "a number"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{what} is empty: type {kind}{between}.")
    if isinstance(value, bool):
        raise ValueError(f"{what} must be {kind}{between}, not {value}.")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be {kind}{between}, not {str(value)[:40]!r}.") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(f"{what} must be {kind}{between}, not {x}.")
    if whole and not x.is_integer():
        raise ValueError(f"{what} must be {kind}{between}, not {x:g}.")
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise ValueError(f"{what} must be {kind}{between}, not {x:g}.")
    return int(x) if whole else x


def choice(value: Any, options: Iterable[Any], what: str) -> Any:
    """One of ``options`` (a value the API sent for a list of choices), or ValueError with a sentence listing
    them. Checked before any work: a list or a dict from the API is not a choice, not a TypeError."""
    options = list(options)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value in options:
        return value
    raise ValueError(f"{what} must be one of: {', '.join(map(str, options))}; not {str(value)[:40]!r}.")


def text(value: Any, what: str) -> str:
    """A text input's value (a name, a choice), or ValueError with a sentence when the API sent something else."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, such as 'resnet18', not {str(value)[:40]!r}.")
    return value


def upload_path(value: Any, what: str) -> str | None:
    """The server path of a file input's raw value (``preprocess=False``: a FileData dict, or a path), or None
    when empty. Only a file Gradio received from a user (in its upload folder) or a shipped example (assets/)
    is accepted: no user string reaches the filesystem as a path of its own ("/etc/passwd", "../x", another
    folder's image); ValueError."""
    path = value.get("path") if isinstance(value, dict) else value
    if path is None or path == "":
        return None
    refused = ValueError(TEXT["not_uploaded"].format(what=what, value=repr(str(path)[:60])))
    if not isinstance(path, str):
        raise refused
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        raise refused from None
    if not (real.is_relative_to(Path(get_upload_folder()).resolve()) or real.parent == ASSETS.resolve()):
        raise refused
    return str(real)


def _expected(block: Any) -> str:
    """What an input component accepts, in words (for :func:`unreadable_input`)."""
    if isinstance(block, (gr.Number, gr.Slider)):
        lo, hi = getattr(block, "minimum", None), getattr(block, "maximum", None)
        between = f" from {lo:g} to {hi:g}" if lo is not None and hi is not None else ""
        return TEXT["expect_number"].format(between=between)
    if isinstance(block, (gr.File, gr.Image)):
        return TEXT["expect_file"]
    if isinstance(block, gr.Checkbox):
        return TEXT["expect_bool"]
    choices = getattr(block, "choices", None)
    if choices:
        shown = ", ".join(repr(c[1] if isinstance(c, tuple) else c) for c in choices[:12])
        return TEXT["expect_choice"].format(choices=shown + (", …" if len(choices) > 12 else ""))
    return TEXT["expect_any"]


def _bad_index(block_fn: Any, inputs: list, error: Exception) -> int | None:
    """Which input Gradio's preprocessing refused: named by its error, or the first choice or file value that
    Gradio cannot take (a value outside the choices; a file record without Gradio's mark)."""
    found = re.search(r"at index (\d+)", str(error)) if isinstance(error, ComponentProcessingError) else None
    if found:
        return int(found.group(1))
    for i, (block, value) in enumerate(zip(block_fn.inputs, inputs)):
        choices = [c[1] if isinstance(c, tuple) else c for c in getattr(block, "choices", None) or []]
        values = value if isinstance(value, list) and getattr(block, "multiselect", True) else [value]
        if choices and value is not None and any(not isinstance(v, (str, int, float)) or v not in choices
                                                 for v in values):
            return i
        if isinstance(block, (gr.File, gr.Image)) and value is not None and not (
                isinstance(value, dict) and (value.get("meta") or {}).get("_type") == "gradio.FileData"):
            return i
    return None


def unreadable_input(block_fn: Any, inputs: list, error: Exception) -> str:
    """The sentence for an input that Gradio's preprocessing refused before any handler ran (an API call with
    a value of the wrong kind): which input, what it got, and what to send."""
    api = f"/{block_fn.api_name}" if block_fn.api_name else "this event"
    i = _bad_index(block_fn, inputs, error)
    if i is None or i >= len(block_fn.inputs):
        return str(error) if isinstance(error, gr.Error) and "<class" not in str(error) else TEXT["unreadable_any"].format(api=api)
    try:
        names = list(inspect.signature(block_fn.fn).parameters)
    except (TypeError, ValueError):
        names = []
    name = names[i] if i < len(names) else f"input {i + 1}"
    return TEXT["unreadable"].format(name=name, api=api, value=repr(inputs[i])[:40],
                                     expected=_expected(block_fn.inputs[i]))


def local_example(image: gr.Image, path: str | Path) -> gr.Image:
    """Make the app's own example file (copied into Gradio's cache, served by the app) the API page's example
    for ``image``, and its default's link: Gradio's own is a picture on GitHub, which an offline class cannot
    reach and the API page would tell every caller to send."""
    cached = image.move_resource_to_block_cache(str(path))
    payload = {"path": cached, "url": f"/gradio_api/file={cached}", "orig_name": Path(path).name,
               "meta": {"_type": "gradio.FileData"}}
    image.example_payload = lambda: dict(payload)  # type: ignore[method-assign]
    image.example_value = lambda: cached  # type: ignore[method-assign]
    return image


class Blocks(gr.Blocks):
    """``gr.Blocks`` whose preprocessing failures are sentences. Gradio checks an input's value before the
    handler runs (a number box sent "abc", a choice outside the list, a file as a bare string); its own
    message is "an error occurred" or Python's. Here it says which input, and what to send."""

    async def preprocess_data(self, block_fn: Any, inputs: list[Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().preprocess_data(block_fn, inputs, *args, **kwargs)
        except Exception as e:
            sentence = unreadable_input(block_fn, inputs, e)
            log.info("%s: user error: %s", block_fn.name, sentence)
            raise gr.Error(sentence, print_exception=False) from None


def user_errors(fn: Callable) -> Callable:
    """Wrap a handler so a user's mistake shows as a readable ``gr.Error``, never a traceback.

    ``ValueError`` (lab's sentences for the user) becomes ``gr.Error`` with the same sentence and is logged
    as one line (an ordinary mistake must not bury a real failure in the log); any other exception is
    logged with its traceback and shown as a short generic sentence, and the app keeps serving. Works for
    plain functions and for generator handlers (streaming).
    """

    def convert(e: Exception) -> gr.Error:
        if isinstance(e, gr.Error):  # already a sentence for the user: one log line, no traceback
            e.print_exception = False
            log.info("%s: user error: %s", fn.__name__, e.message)
            return e
        if isinstance(e, ValueError):  # lab's sentence for an ordinary mistake: one log line, no traceback
            log.info("%s: user error: %s", fn.__name__, e)
            return gr.Error(str(e), print_exception=False)
        log.exception("handler %s failed", fn.__name__)  # unexpected: keep the traceback
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
