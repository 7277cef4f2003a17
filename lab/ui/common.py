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
  ``gr.Blocks(title=)``, not Dataframe headers or plotly figures.
What a handler formats (captions, status lines, notes, errors, table headers, plot titles) is chosen per
request instead: every handler wrapped in :func:`user_errors` learns the browser's language from the request
(its Accept-Language header, :func:`request_language`) and runs with it set; ``say = speaker(TEXT, TEXT_ZH)``
then ``say("key", n=3)`` formats the sentence in that language (:func:`current_language`). lab's own error
sentences (English, raised as ValueError) are translated on their way to the toast by lab/ui/text/errors.py.
A Button that is an event input sends its translated text: keep buttons that handlers read untranslated.
"""
from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

import gradio as gr
from gradio.caching import CacheMissError
from gradio.exceptions import ComponentProcessingError
from gradio.i18n import I18nData
from gradio.utils import get_upload_folder

from lab.models import get_entry, list_models
from lab.ui.text.errors import ERRORS_ZH
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
    # number(): a number box's value, checked before any work starts.
    "num_empty": "{what} is empty: type {kind}{between}.",
    "num_not": "{what} must be {kind}{between}, not {value}.",
    "whole": "a whole number",
    "a_number": "a number",
    "between": " from {lo} to {hi}",
    "at_least": " of at least {lo}",
    "at_most": " of at most {hi}",
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
    "busy": "The whole class is asking at once and the queue is full: try again in a minute.",
    "code_show": "Show me the code",  # lab/ui/code.py: the Python behind a view
    "code_label": "Python: run it in the CNN Lab folder",
}

TEXT_ZH = {
    "header": "<h1>CNN Lab</h1><p>看看经典卷积神经网络是怎样搭建的、计算了什么，以及它们为什么有效。</p>"
    f"<p class='course-path'><b>课程路线：</b> {_PATH_HTML}</p>",
    "internal_error": "CNN Lab 内部出了问题（{kind}）。请换一个设置再试；如果一直出现，请报告给我们。",
    "num_empty": "{what}为空：请输入{kind}{between}。",
    "num_not": "{what}必须是{kind}{between}，而不是 {value}。",
    "whole": "整数",
    "a_number": "数字",
    "between": "（{lo} 到 {hi}）",
    "at_least": "（至少 {lo}）",
    "at_most": "（至多 {hi}）",
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
    "busy": "全班同时在请求，队列已满：请一分钟后再试。",
    "code_show": "给我看代码",
    "code_label": "Python：在 CNN Lab 文件夹中运行",
}

# Chinese titles of the tabs whose module has no TEXT_ZH yet (the tab bar is built here, in app.py). A module's
# own TEXT_ZH["title"] wins; delete its entry here when it gets one (tests/ui/test_i18n.py checks).
PENDING_TAB_TITLES_ZH: dict[str, str] = {}

ZH = "zh-CN"  # the browser locale that gets Chinese; every other locale gets English
EN = "en"
# The language of the request being handled (set by user_errors around each handler call).
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("cnnlab_language", default=EN)
_ZH_TAGS = ("zh", "zh-cn", "zh-hans", "zh-sg", "zh-hans-cn", "zh-hans-sg")  # Simplified Chinese
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


def request_language(request: gr.Request | None) -> str:
    """``ZH`` when the browser's first language (Accept-Language) is Simplified Chinese, else ``EN``: the same
    choice the browser makes for the static text (its locale is what it sends first)."""
    headers = getattr(request, "headers", None) or {}
    first = str(headers.get("accept-language", "")).split(",")[0].split(";")[0].strip().lower()
    return ZH if first in _ZH_TAGS else EN


def current_language() -> str:
    """The language of the request being handled (``EN`` outside a request, e.g. in tests)."""
    return _LANGUAGE.get()


class language:  # noqa: N801  (a context manager read like a function: ``with language(ZH): ...``)
    """Handle what runs inside in ``lang`` (tests; handlers get it from :func:`user_errors`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __enter__(self) -> str:
        self._token = _LANGUAGE.set(self.lang)
        return self.lang

    def __exit__(self, *exc: Any) -> None:
        _LANGUAGE.reset(self._token)


def speaker(text: dict[str, Any], text_zh: dict[str, Any]) -> Callable[..., Any]:
    """``say = speaker(TEXT, TEXT_ZH)``: ``say("key", **values)`` is the entry in the request's language (Chinese
    where TEXT_ZH has it, else English), formatted with ``values`` when given. Non-string entries (column lists,
    choice maps) come back as they are. A key TEXT lacks raises KeyError (a typo)."""

    def say(key: str, **values: Any) -> Any:
        entry = text_zh.get(key, text[key]) if current_language() == ZH else text[key]
        return entry.format(**values) if values and isinstance(entry, str) else entry

    return say


say = speaker(TEXT, TEXT_ZH)


def build_i18n(tabs: Iterable[ModuleType]) -> gr.I18n:
    """The ``gr.I18n`` for ``launch(i18n=...)``: every string of this module's and the tabs' ``TEXT`` in
    English, their ``TEXT_ZH`` (where a module has one) in Chinese; keys are ``"<module>.<key>"``. Lists and
    dicts (a table's columns, a choice map) are the handlers' (``say``), not the browser's."""
    en: dict[str, str] = {}
    zh = {f"{ns}.title": title for ns, title in PENDING_TAB_TITLES_ZH.items()}
    for module in [sys.modules[__name__], *tabs]:
        ns = _namespace(module.__name__)
        en.update({f"{ns}.{k}": v for k, v in module.TEXT.items() if isinstance(v, str)})
        zh.update({f"{ns}.{k}": v for k, v in getattr(module, "TEXT_ZH", {}).items() if isinstance(v, str)})
    return gr.I18n(en=en, **{ZH: zh})


def header() -> None:
    """The title and the course path LeNet-5 → … → EfficientNet."""
    gr.HTML(f"<div class='lab-header'>{i18n('header')}</div>")


def si(n: float, digits: int = 2) -> str:
    """1_814_073_344 -> '1.81 G'; 512_000 -> '512 K'."""
    for factor, unit in ((1e9, "G"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= factor:
            return f"{n / factor:.{digits}f} {unit}".replace(".00 ", " ")
    return f"{n:.0f}"


def model_choices(include_timm_hint: bool = False) -> list[tuple[str, str]]:
    """Dropdown choices ``(label, name)`` grouped by family in the course's order."""
    return [(f"{get_entry(n).paper.family} · {n}", n) for n in list_models()]


def number(value: Any, what: str, lo: float | None = None, hi: float | None = None, whole: bool = False) -> float | int:
    """The value of a number box, checked before any work starts, or ValueError with a sentence saying what
    to type (in the request's language: pass ``what`` from the tab's ``say``). Every number box can be emptied
    (typing "abc" into one leaves it empty: the handler gets None), so no handler may call ``float()`` on its
    raw input.

    Args:
        value: what the component sent (None, a number, or a string from the API).
        what: the box's name in the sentence, e.g. "The learning rate".
        lo, hi: the allowed range, inclusive (None: open).
        whole: a whole number is required (returned as int).
    """
    between = (say("between", lo=f"{lo:g}", hi=f"{hi:g}") if lo is not None and hi is not None
               else say("at_least", lo=f"{lo:g}") if lo is not None
               else say("at_most", hi=f"{hi:g}") if hi is not None else "")
    need = dict(what=what, kind=say("whole" if whole else "a_number"), between=between)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(say("num_empty", **need))
    if isinstance(value, bool):
        raise ValueError(say("num_not", **need, value=value))
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(say("num_not", **need, value=repr(str(value)[:40]))) from None
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(say("num_not", **need, value=x))
    if (whole and not x.is_integer()) or (lo is not None and x < lo) or (hi is not None and x > hi):
        raise ValueError(say("num_not", **need, value=f"{x:g}"))
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
    refused = ValueError(say("not_uploaded", what=what, value=repr(str(path)[:60])))
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
        return say("expect_number", between=between)
    if isinstance(block, (gr.File, gr.Image)):
        return say("expect_file")
    if isinstance(block, gr.Checkbox):
        return say("expect_bool")
    choices = getattr(block, "choices", None)
    if choices:
        shown = ", ".join(repr(c[1] if isinstance(c, tuple) else c) for c in choices[:12])
        return say("expect_choice", choices=shown + (", …" if len(choices) > 12 else ""))
    return say("expect_any")


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
        return str(error) if isinstance(error, gr.Error) and "<class" not in str(error) else say("unreadable_any", api=api)
    try:
        names = list(inspect.signature(block_fn.fn).parameters)
    except (TypeError, ValueError):
        names = []
    name = names[i] if i < len(names) else f"input {i + 1}"
    return say("unreadable", name=name, api=api, value=repr(inputs[i])[:40],
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


def probing() -> bool:
    """Whether Gradio is only asking the caches before queueing an event (lab.ui.serving.cached). Gradio answers
    that request with a 500 for any error raised then, so a failure in a probe is a miss (CacheMissError): the
    event is queued, and fails there with its sentence."""
    from gradio.caching import _probe_mode_active  # Gradio's own flag for its probe (gradio/queueing.py)

    return _probe_mode_active.get()


class Blocks(gr.Blocks):
    """``gr.Blocks`` whose preprocessing failures are sentences. Gradio checks an input's value before the
    handler runs (a number box sent "abc", a choice outside the list, a file as a bare string); its own
    message is "an error occurred" or Python's. Here it says which input, and what to send."""

    async def preprocess_data(self, block_fn: Any, inputs: list[Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().preprocess_data(block_fn, inputs, *args, **kwargs)
        except Exception as e:
            if probing():
                raise CacheMissError() from None
            sentence = unreadable_input(block_fn, inputs, e)
            log.info("%s: user error: %s", block_fn.name, sentence)
            raise gr.Error(sentence, print_exception=False) from None


_FIELD = re.compile(r"\{(\w+)(?:[:!][^}]*)?\}")


@functools.lru_cache(maxsize=None)
def _error_patterns() -> list[tuple[re.Pattern[str], str]]:
    """ERRORS_ZH as (regex of the English template, Chinese template), most literal text first."""
    patterns = []
    for en, zh in ERRORS_ZH.items():
        regex, seen, pos = "", set(), 0
        for m in _FIELD.finditer(en):
            regex += re.escape(en[pos:m.start()])
            name = m.group(1)
            regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
            pos = m.end()
        regex += re.escape(en[pos:])
        patterns.append((re.compile(regex, re.DOTALL), zh, len(_FIELD.sub("", en))))
    return [(p, zh) for p, zh, _ in sorted(patterns, key=lambda t: -t[2])]


def translate_error(message: str, lang: str | None = None) -> str:
    """lab's English error sentence in ``lang`` (default: the request's): the Chinese of the ERRORS_ZH template
    it fills in, with the same values (each translated in turn: a sentence lab quotes in another, such as the
    reason weights are missing); unchanged in English or when no template matches."""
    if (lang or current_language()) != ZH:
        return message
    for pattern, zh in _error_patterns():
        m = pattern.fullmatch(message)
        if m:
            return zh.format(**{name: translate_error(value, ZH) for name, value in m.groupdict().items()})
    return message


def _request_parameter(fn: Callable) -> tuple[inspect.Signature, bool]:
    """``fn``'s signature as Gradio should see it: with a ``gr.Request`` parameter added after the positional
    ones (Gradio then passes the request there), unless ``fn`` has one already or takes ``*args``."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    hints = {name: str(a) for name, a in getattr(fn, "__annotations__", {}).items()}
    if any(p.kind is p.VAR_POSITIONAL for p in params) or any("Request" in h for h in hints.values()):
        return sig, False
    k = next((i for i, p in enumerate(params) if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)),
             len(params))
    extra = inspect.Parameter("_request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                              annotation=gr.Request)
    return sig.replace(parameters=[*params[:k], extra, *params[k:]]), True


def _take_request(args: tuple, kwargs: dict, added: bool) -> tuple[tuple, dict, str]:
    """The call's arguments without the request we added, and the request's language."""
    request = kwargs.pop("_request", None) if added else None
    for j in range(len(args) - 1, -1, -1):
        if isinstance(args[j], gr.Request):
            request = args[j]
            if added:
                args = args[:j] + args[j + 1:]
            break
    else:  # passed by name: a gr.Request, or whatever the handler's own ``request`` parameter was given
        request = request or kwargs.get("request") or next(
            (v for v in kwargs.values() if isinstance(v, gr.Request)), None)
    return args, kwargs, request_language(request) if request is not None else current_language()


def user_errors(fn: Callable) -> Callable:
    """Wrap a handler so a user's mistake shows as a readable ``gr.Error``, never a traceback, in the
    browser's language.

    ``ValueError`` (lab's sentences for the user) becomes ``gr.Error`` with the same sentence (in Chinese
    for a zh-CN browser: :func:`translate_error`) and is logged as one line (an ordinary mistake must not
    bury a real failure in the log); any other exception is logged with its traceback and shown as a short
    generic sentence, and the app keeps serving. The handler runs with the request's language set
    (:func:`current_language`, read by ``say``): the wrapper asks Gradio for the request (an extra
    ``gr.Request`` parameter in its signature) unless the handler takes one itself. Works for plain
    functions and for generator handlers (streaming: the language is set around every step).
    """

    def convert(e: Exception) -> Exception:
        if isinstance(e, CacheMissError):  # Gradio asking a cache (lab.ui.serving.cached): not an error, passed on
            return e
        if probing():  # any other failure while Gradio only asks the caches: a miss, said when the event runs
            return CacheMissError()
        if isinstance(e, gr.Error):  # already a sentence for the user: one log line, no traceback
            e.print_exception = False
            log.info("%s: user error: %s", fn.__name__, e.message)
            return e
        if isinstance(e, ValueError):  # lab's sentence for an ordinary mistake: one log line, no traceback
            log.info("%s: user error: %s", fn.__name__, e)
            return gr.Error(translate_error(str(e)), print_exception=False)
        log.exception("handler %s failed", fn.__name__)  # unexpected: keep the traceback
        return gr.Error(say("internal_error", kind=type(e).__name__))

    signature, added = _request_parameter(fn)

    def gen_wrapper(*args: Any, **kwargs: Any):
        args, kwargs, lang = _take_request(args, kwargs, added)
        steps = fn(*args, **kwargs)
        try:
            while True:
                with language(lang):
                    try:
                        item = next(steps)
                    except StopIteration:
                        return
                    except Exception as e:
                        converted = convert(e)
                        if converted is e:
                            raise
                        raise converted from e
                yield item
        finally:  # closed early (Stop, a closed browser): the handler's own finally blocks run now
            with language(lang):
                steps.close()

    def wrapper(*args: Any, **kwargs: Any):
        args, kwargs, lang = _take_request(args, kwargs, added)
        with language(lang):
            try:
                return fn(*args, **kwargs)
            except Exception as e:
                converted = convert(e)
                if converted is e:
                    raise
                raise converted from e

    wrapped = functools.wraps(fn)(gen_wrapper if inspect.isgeneratorfunction(fn) else wrapper)
    wrapped.__signature__ = signature  # type: ignore[attr-defined]
    if added:
        wrapped.__annotations__ = {**fn.__annotations__, "_request": gr.Request}
    return wrapped


