"""Shared fixtures: the running app, a gradio_client on it, and a headless Chromium page.

Tests never need the network: the app runs with an empty torch hub cache and Hugging Face offline, so
pretrained weights are unavailable and every feature must work with random or shipped weights.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

# The test process itself: offline, quiet, and an empty weights cache of its own.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TORCH_HOME", tempfile.mkdtemp(prefix="cnnlab-torch-home-"))
os.environ["CNNLAB_PRELOAD"] = "0"  # never the start-up download of weights (lab/models/preload.py), even on a Space


@pytest.fixture
def offline(monkeypatch):
    """No network in this process: every connection attempt fails at once, as on a laptop without Wi-Fi."""

    def refuse(*args, **kwargs):
        raise OSError("Network is unreachable (simulated by the test)")

    monkeypatch.setattr(socket, "create_connection", refuse)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"app.py did not answer at {url} within {timeout:.0f} s:\n{log.read_text()[-4000:]}")


@contextlib.contextmanager
def running_app(log: Path, **env_extra: str):
    """app.py offline (tests/offline_app.py) on a free loopback port, with ``env_extra`` in its environment: its
    URL while the block runs; stopped afterwards."""
    port = _free_port()
    env = dict(os.environ, GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1", PYTHONUNBUFFERED="1",
               **env_extra)
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "tests/offline_app.py"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    _APP_LOG[url] = log
    try:
        _wait_for(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    """Start app.py offline on a free loopback port; yield its URL; stop it afterwards."""
    with running_app(tmp_path_factory.mktemp("app") / "app.log") as url:
        yield url


_APP_LOG: dict[str, Path] = {}


@pytest.fixture(scope="session")
def app_log(app_url: str) -> Path:
    """The running app's stdout and stderr, as a file."""
    return _APP_LOG[app_url]


@pytest.fixture(scope="session")
def client(app_url: str):
    """A gradio_client.Client connected to the running app."""
    from gradio_client import Client

    return Client(app_url, verbose=False)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (the README's test command does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url: str):
    """A fresh page with the app loaded; collects JS errors in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.goto(app_url, wait_until="domcontentloaded")
    pg.wait_for_selector("gradio-app", timeout=60_000)
    yield pg
    context.close()


@pytest.fixture
def page_in(browser, app_url: str):
    """``page_in("zh-CN")``: a fresh page with that browser locale, the app loaded, JS errors in ``page.errors``."""
    contexts = []

    def open_page(locale: str):
        context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        page.goto(app_url, wait_until="domcontentloaded")
        page.locator(".lab-header").wait_for(timeout=60_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
