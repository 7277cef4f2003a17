"""Serving a class from one process: what thirty students asking at once need beyond each tab's handlers.

- :func:`cached`: a handler computed once per distinct request, for everyone (Gradio's ``gr.cache``: hits are
  answered without queueing), keyed by what decides the answer.
- :func:`image_file`: a picture handed to Gradio as a file written once, so a repeated answer never rewrites a
  file a browser is still reading.
- :func:`busy_js`: the sentence a student reads, in their language, when the queue is full.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import inspect
import io
import json
import os
import tempfile
import uuid
import weakref
from pathlib import Path
from typing import Any, Callable

import gradio as gr
from gradio.caching import CacheMissError
from gradio.utils import get_upload_folder

from lab.digest import content_key
from lab.ui.common import TEXT, TEXT_ZH, current_language, log, probing, request_language

# ------------------------------------------------------------------------------------------ the shared cache

CACHE_ENTRIES = 256  # results kept per cached handler (a CAM's images and maps: ~2 MB), least recently used first


def cached(fn: Callable | None = None, *, also: Callable[[dict], Any] | None = None,
           max_size: int = CACHE_ENTRIES) -> Callable:
    """``fn`` (a :func:`user_errors` handler) computed once per distinct request, for everyone: Gradio's
    ``gr.cache``, whose hits are answered without queueing (a student repeating an example does not wait
    behind thirty CAMs). The key is what decides the answer: the request's language (the captions are in
    it), the inputs with every file by its content (:func:`lab.digest.content_key`: two uploads of one photo
    are one entry), and ``also(kwargs)`` for what the inputs do not say (which weights "auto" means now).
    Errors are not cached. A request whose inputs cannot be keyed (an odd API payload) is simply computed."""

    def key(kwargs: dict) -> Any:
        try:
            request = next((v for v in kwargs.values() if isinstance(v, gr.Request)), None)
            lang = request_language(request) if request is not None else current_language()
            inputs = {k: content_key(v) for k, v in kwargs.items() if not isinstance(v, (gr.Request, gr.Progress))}
            return lang, inputs, also(kwargs) if also else None
        except Exception:  # never fail in the key: a request that cannot be keyed misses, and is validated
            return uuid.uuid4().hex

    def decorate(f: Callable) -> Callable:
        if inspect.isgeneratorfunction(f):  # ask() below would hide that it streams
            raise TypeError(f"cached() is for handlers that return: {f.__name__} is a generator")
        store = gr.cache(f, key=key, max_size=max_size)

        @functools.wraps(store)
        def ask(*args: Any, **kwargs: Any) -> Any:
            try:
                return store(*args, **kwargs)
            except CacheMissError:
                raise
            except Exception:  # arguments gr.cache cannot bind, in Gradio's probe: a miss (common.probing)
                if probing():
                    raise CacheMissError() from None
                raise

        return ask

    return decorate(fn) if fn is not None else decorate


def answered_from(cache_of: Callable) -> Callable[[Callable], Callable]:
    """Mark a handler that calls the :func:`cached` handler ``cache_of`` first (``cam_if_image`` calls
    ``cam``) so that Gradio asks that cache before queueing it too: Gradio probes an event whose function
    has a ``cache``, and a miss inside (``CacheMissError``, passed on by :func:`user_errors`) sends the event
    to the queue as usual."""

    def mark(fn: Callable) -> Callable:
        fn.cache = cache_of.cache  # type: ignore[attr-defined]
        return fn

    return mark


# An image output as a file, written once. Gradio writes a PIL image it is given to <cache>/<hash>/image.webp
# on every response, truncating the file first: a second response with the same picture (a cached CAM, the
# same example twice) truncates it while the first student's browser is still reading it ("peer closed
# connection"). A file path is copied into Gradio's cache under a temporary name and renamed into place, and
# only if it is not there yet: the same picture is then written once, and read by anyone while it exists.
_IMAGE_FILES: dict[int, str] = {}  # id(image) -> its file, while the image lives: a cached image is encoded once


def image_file(image: Any) -> Any:
    """``image`` (a PIL image) as the path of a WebP file in Gradio's cache folder named by its content, written
    atomically if missing; anything else is returned as it is."""
    from PIL import Image

    if not isinstance(image, Image.Image):
        return image
    known = _IMAGE_FILES.get(id(image))
    if known is not None and os.path.exists(known):
        return known
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP")
    data = buffer.getvalue()
    folder = Path(get_upload_folder()) / "cnnlab-images"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:40]}.webp"
    if not path.exists():
        fd, staging = tempfile.mkstemp(dir=folder, prefix=".image-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(staging, path)
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise
    if id(image) not in _IMAGE_FILES:  # forgotten with the image, before its id can be reused
        weakref.finalize(image, _IMAGE_FILES.pop, id(image), None)
    _IMAGE_FILES[id(image)] = str(path)
    return str(path)


# ------------------------------------------------------------------------------------------ a full queue

# What Gradio's page says when its queue holds ``max_size`` requests and refuses another: a sentence built into
# its frontend, in English only. The page's script below puts the lab's sentence in its place, in the browser's
# language (the one its requests carry in Accept-Language).
GRADIO_BUSY = "This application is currently busy. Please try again."


def busy_js() -> str:
    """The page's start-up script (``launch(js=...)``): Gradio's "queue full" toast says :data:`TEXT` ``busy``."""
    return f"""() => {{
  const wanted = (navigator.languages || [navigator.language]).some(l => (l || '').toLowerCase().startsWith('zh'))
    ? {json.dumps(TEXT_ZH["busy"], ensure_ascii=False)} : {json.dumps(TEXT["busy"])};
  const gradio = {json.dumps(GRADIO_BUSY)};
  const fix = node => {{
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode())
      if (t.nodeValue.includes(gradio)) t.nodeValue = t.nodeValue.replace(gradio, wanted);
  }};
  new MutationObserver(changes => changes.forEach(c => {{
    if (c.type === 'characterData') fix(c.target.parentNode || c.target);
    c.addedNodes.forEach(n => fix(n.nodeType === Node.TEXT_NODE ? n.parentNode || n : n));
  }})).observe(document.body, {{childList: true, subtree: true, characterData: true}});
}}"""


# ------------------------------------------------------------------------------------------ MCP tools

def mcp_server() -> bool:
    """Whether ``launch`` serves the named endpoints as MCP tools (at ``/gradio_api/mcp/``): yes when Gradio's
    ``mcp`` extra is installed (requirements.txt names it) and ``CNNLAB_MCP`` is not ``0``. Without the extra
    the app still serves its pages, and says once why there are no tools."""
    if os.environ.get("CNNLAB_MCP", "1") == "0":
        return False
    if importlib.util.find_spec("mcp") is None:
        log.warning("MCP server off: the mcp package is missing (pip install 'gradio[mcp]')")
        return False
    return True


def name_tools(demo: gr.Blocks) -> None:
    """Name each MCP tool after its endpoint. Gradio names a tool after its handler's ``__name__``
    (gradio.mcp.GradioMCPServer.get_tool_to_endpoint); ours are wrappers and helpers (``api_summarize``,
    ``start``, ``export``), so an AI tutor would read names that are not the API's. The handlers stay as they
    are: only the name the tool list reads changes (log lines name the wrapped function, which keeps its own)."""
    for block_fn in demo.fns.values():
        if block_fn.api_name and block_fn.fn is not None and not block_fn.api_name.startswith("_"):
            try:
                block_fn.fn.__name__ = block_fn.api_name
            except (AttributeError, TypeError):  # a callable that takes no new name keeps its own
                pass
