"""Pretrained weights on disk before the first student asks for them (a Space's start-up).

A lesson's first minutes should not be a download. timm's weights come with the Space's build
(``preload_from_hub`` in the README's front matter lists :func:`hub_files`); torchvision's are fetched
here, by :class:`Preloader`, in a background thread at start-up, into the torch hub cache where
:meth:`lab.models.weights.Pretrained.state_dict` looks first. The app serves meanwhile; where the network is
unreachable the thread stops after one quick probe and one log line, and the offline fallback of
:mod:`lab.models.zoo` (the Shapes model, random weights) works as before.

It runs only where :func:`enabled` says so: on a Space (``SPACE_ID`` is set there) or with
``CNNLAB_PRELOAD=1``; ``CNNLAB_PRELOAD=0`` switches it off everywhere (tests and CI never download).
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
import tempfile
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from typing import Callable, Literal, Mapping

import torch

from lab.models import get_entry, list_models
from lab.models.weights import cache_path, timm_hub_id

log = logging.getLogger("cnnlab")

# One network per family of the course path that has torchvision weights (LeNet-5 and NiN have none),
# ResNet twice (18: the Architecture tab's default; 50: the course's reference network). About 1 GB.
PRELOAD_MODELS = ("alexnet", "vgg16", "googlenet", "resnet18", "resnet50", "densenet121", "mobilenet_v2",
                  "efficientnet_b0")
HF_WEIGHTS_FILE = "model.safetensors"  # what timm asks the Hub for first (timm.models._hub.HF_SAFE_WEIGHTS_NAME)
PROBE_TIMEOUT_S = 3.0  # offline, the probe fails in at most this long
READ_TIMEOUT_S = 30.0  # a stalled download gives up after this long without a byte

State = Literal["off", "waiting", "running", "ready", "partial", "offline"]
Download = Callable[[str, str], None]  # (url, destination path) -> None, raises on failure
Probe = Callable[[str], None]  # (url) -> None, raises when its host is unreachable


def enabled(env: Mapping[str, str] = os.environ) -> bool:
    """Whether start-up should fetch weights: ``CNNLAB_PRELOAD`` "1"/"0" decides; unset, only on a Space."""
    flag = env.get("CNNLAB_PRELOAD", "").strip()
    if flag in ("0", "1"):
        return flag == "1"
    return bool(env.get("SPACE_ID"))


def torchvision_urls(names: tuple[str, ...] = PRELOAD_MODELS) -> dict[str, str]:
    """``{model name: URL of its torchvision weights file}`` for ``names`` (ValueError for a name without)."""
    urls = {}
    for name in names:
        w = get_entry(name).weights
        if w is None or w.source != "torchvision":
            raise ValueError(f"{name} has no torchvision weights to preload.")
        urls[name] = w.enum.url
    return urls


def hub_files() -> list[tuple[str, str]]:
    """``(repo id, file)`` on the Hugging Face Hub of every course model whose weights come from timm:
    what ``preload_from_hub`` must list for timm to find them in the Hub cache at the first request."""
    out = []
    for name in list_models():
        arch = get_entry(name).timm_weights
        if arch:
            out.append((timm_hub_id(arch), HF_WEIGHTS_FILE))
    return out


@dataclass(frozen=True)
class Progress:
    """Where the preloading stands: ``ready`` of ``total`` files on disk, and the names that failed."""

    state: State
    ready: int = 0
    total: int = 0
    failed: tuple[str, ...] = ()


class Preloader:
    """Fetches the torchvision weights files of ``names`` that are not cached yet, one after another, in a
    daemon thread; :meth:`progress` may be read from any thread at any time.

    ``download`` and ``probe`` are the network (replaced in tests): a probe failure means "offline" and
    nothing is attempted; a download failure marks that one file failed and the next is tried. No exception
    leaves the thread: each failure is one log line.
    """

    def __init__(self, names: tuple[str, ...] = PRELOAD_MODELS, download: Download | None = None,
                 probe: Probe | None = None):
        self._urls = torchvision_urls(names)
        self._download = download or download_file
        self._probe = probe or probe_host
        self._lock = threading.Lock()
        self._progress = Progress("waiting", self._cached(), len(self._urls))
        self._thread: threading.Thread | None = None

    def progress(self) -> Progress:
        with self._lock:
            return self._progress

    def start(self) -> bool:
        """Start the thread (once); False if it was already started."""
        with self._lock:
            if self._thread is not None:
                return False
            self._thread = threading.Thread(target=self._run, name="cnnlab-preload", daemon=True)
        self._thread.start()
        return True

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _cached(self) -> int:
        return sum(os.path.exists(cache_path(url)) for url in self._urls.values())

    def _set(self, **changes) -> None:
        with self._lock:
            self._progress = replace(self._progress, **changes)

    def _run(self) -> None:
        try:
            self._fetch_missing()
        except Exception as e:  # a bug here must not take the app down; the lazy download path still works
            log.warning("preload: stopped (%s: %s)", type(e).__name__, e)
            self._set(state="partial" if self.progress().ready else "offline")

    def _fetch_missing(self) -> None:
        missing = {n: u for n, u in self._urls.items() if not os.path.exists(cache_path(u))}
        if not missing:
            self._set(state="ready", ready=len(self._urls))
            return
        try:
            self._probe(next(iter(missing.values())))
        except Exception as e:
            log.info("preload: network unreachable (%s), pretrained weights are fetched on first use if it "
                     "comes back; random and Shapes weights work", type(e).__name__)
            self._set(state="offline")
            return
        self._set(state="running")
        failed = []
        for name, url in missing.items():
            try:
                self._download(url, cache_path(url))
                self._set(ready=self._cached())
            except Exception as e:
                log.warning("preload: %s weights not downloaded (%s: %s)", name, type(e).__name__, e)
                failed.append(name)
                self._set(failed=tuple(failed))
        self._set(state="partial" if failed else "ready", ready=self._cached())
        log.info("preload: %d of %d pretrained weights files ready", self._cached(), len(self._urls))


def probe_host(url: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Open (and close) a TCP connection to ``url``'s host; OSError when it is unreachable."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    socket.create_connection((parts.hostname, port), timeout=timeout).close()


def download_file(url: str, dest: str, timeout: float = READ_TIMEOUT_S) -> None:
    """Download ``url`` to ``dest`` through a temporary file in the same folder, renamed only once complete
    and, where the file name carries a SHA-256 prefix as torchvision's do (``resnet18-f37072fd.pth``),
    checked against it (torch.hub's convention). Raises OSError / ValueError on failure; nothing is left."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    match = torch.hub.HASH_REGEX.search(os.path.basename(dest))
    prefix = match.group(1) if match else ""
    sha = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dest), suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            while chunk := response.read(1 << 20):
                sha.update(chunk)
                out.write(chunk)
        if prefix and not sha.hexdigest().startswith(prefix):
            raise ValueError(f"{os.path.basename(dest)}: its SHA-256 does not start with {prefix}")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


_PRELOADER: Preloader | None = None


def start_if_enabled(env: Mapping[str, str] = os.environ) -> Preloader | None:
    """At start-up: the running :class:`Preloader` (started now if :func:`enabled`), else None."""
    global _PRELOADER
    if _PRELOADER is None and enabled(env):
        _PRELOADER = Preloader()
        _PRELOADER.start()
    return _PRELOADER


def current() -> Progress:
    """The start-up preloader's progress; state "off" when none was started."""
    return _PRELOADER.progress() if _PRELOADER is not None else Progress("off")
