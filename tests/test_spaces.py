"""The Space: its README front matter against the code, the start-up preloading of weights, the header's
status line, the ZeroGPU decorator, and app.py importing ``spaces`` before torch. Nothing here uses the
network: downloads are fakes, or ``file://`` URLs, and the real probe runs with connections refused.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import gradio as gr
import pytest
import torch
import yaml

from lab.models import preload
from lab.ui import preload_status, zerogpu
from lab.ui.text import preload as preload_text

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def front_matter() -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", README, re.S)
    assert match, "README.md must open with a --- YAML block (the Space's configuration)"
    return yaml.safe_load(match.group(1))


# ----------------------------------------------------------------------------------- the front matter


def test_front_matter_is_valid_for_zerogpu_and_cpu():
    fm = front_matter()
    assert fm["sdk"] == "gradio"
    assert fm["python_version"] in {"3.10", "3.12"}, "ZeroGPU accepts Python 3.10 or 3.12 only"
    pin = re.search(r"^gradio(?:\[[\w,]+\])?==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert pin, "requirements.txt pins gradio with =="
    assert str(fm["sdk_version"]) == pin.group(1)
    assert (ROOT / fm["app_file"]).is_file()


def test_preload_from_hub_lists_exactly_the_timm_weights_the_code_loads():
    listed = set()
    for line in front_matter()["preload_from_hub"]:
        repo, files = line.split()[:2]  # "repo file1,file2 [revision]"
        listed |= {(repo, f) for f in files.split(",")}
    assert listed == set(preload.hub_files())
    assert listed, "MobileNet v1's timm weights come from the Hub"


def test_readme_first_screen_is_the_two_commands():
    body = README.split("\n---\n", 1)[1]
    first_block = re.search(r"```bash\n(.*?)```", body, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make app", "make test"]


# ----------------------------------------------------------------------------- when preloading runs


@pytest.mark.parametrize("env, on", [
    ({}, False),
    ({"SPACE_ID": "teacher/cnn-lab"}, True),
    ({"SPACE_ID": "teacher/cnn-lab", "CNNLAB_PRELOAD": "0"}, False),
    ({"CNNLAB_PRELOAD": "1"}, True),
    ({"CNNLAB_PRELOAD": ""}, False),
])
def test_preloading_runs_on_a_space_or_when_asked(env, on):
    assert preload.enabled(env) is on


def test_nothing_starts_when_disabled(monkeypatch):
    monkeypatch.setattr(preload, "_PRELOADER", None)
    assert preload.start_if_enabled({"CNNLAB_PRELOAD": "0", "SPACE_ID": "x/y"}) is None
    assert preload.start_if_enabled({}) is None
    assert preload.current().state == "off"
    assert not [t for t in threading.enumerate() if t.name == "cnnlab-preload"]


def test_the_tests_themselves_never_preload():
    assert os.environ["CNNLAB_PRELOAD"] == "0" and not preload.enabled()


# ------------------------------------------------------------------------------------- the thread


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """An empty torch hub cache of this test's own."""
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))
    return tmp_path / "hub"


@pytest.fixture
def log_lines(caplog):
    """The app's log lines (its logger does not propagate to the root, where caplog listens)."""
    logger = logging.getLogger("cnnlab")
    direct = not logger.propagate  # lab/ui/common.py gives it a handler of its own once imported
    if direct:
        logger.addHandler(caplog.handler)
    level, logger.level = logger.level, logging.INFO
    yield lambda: [r.getMessage() for r in caplog.records if r.name == "cnnlab"]
    if direct:
        logger.removeHandler(caplog.handler)
    logger.setLevel(level)


NAMES = ("resnet18", "mobilenet_v2", "efficientnet_b0")


def _finished(p: preload.Preloader) -> preload.Progress:
    p.join(10)
    return p.progress()


def test_progress_counts_files_as_they_arrive(hub):
    seen = []

    def fake_download(url: str, dest: str) -> None:
        seen.append((loader.progress().state, loader.progress().ready))
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_bytes(b"weights")

    loader = preload.Preloader(NAMES, download=fake_download, probe=lambda url: None)
    assert loader.progress() == preload.Progress("waiting", 0, 3)
    assert loader.start() and not loader.start()  # once only
    assert _finished(loader) == preload.Progress("ready", 3, 3)
    assert seen == [("running", 0), ("running", 1), ("running", 2)]
    assert sorted(p.name for p in (hub / "checkpoints").iterdir()) == sorted(
        os.path.basename(u) for u in preload.torchvision_urls(NAMES).values())


def test_a_failed_file_is_one_log_line_and_the_others_still_come(hub, log_lines):
    def flaky(url: str, dest: str) -> None:
        if "mobilenet_v2" in url:
            raise ConnectionResetError("peer went away")
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_bytes(b"weights")

    loader = preload.Preloader(NAMES, download=flaky, probe=lambda url: None)
    loader.start()
    assert _finished(loader) == preload.Progress("partial", 2, 3, failed=("mobilenet_v2",))
    lines = [line for line in log_lines() if "mobilenet_v2" in line]
    assert len(lines) == 1 and "ConnectionResetError" in lines[0]


def test_offline_it_stops_after_the_probe_and_downloads_nothing(hub, offline, log_lines):
    calls = []
    loader = preload.Preloader(NAMES, download=lambda url, dest: calls.append(url))  # the real probe
    start = time.monotonic()
    loader.start()
    assert _finished(loader) == preload.Progress("offline", 0, 3)
    assert time.monotonic() - start < 2 and calls == []
    assert [line for line in log_lines() if line.startswith("preload:")] == [
        "preload: network unreachable (OSError), pretrained weights are fetched on first use if it comes back; "
        "random and Shapes weights work"]


def test_cached_files_count_and_need_no_network(hub):
    def must_not_run(*args):
        raise AssertionError("nothing to fetch: no network needed")

    for url in preload.torchvision_urls(NAMES).values():
        dest = Path(preload.cache_path(url))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"weights")
    loader = preload.Preloader(NAMES, download=must_not_run, probe=must_not_run)
    assert loader.progress().ready == 3
    loader.start()
    assert _finished(loader) == preload.Progress("ready", 3, 3)


def test_no_exception_leaves_the_thread(hub, monkeypatch, log_lines):
    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args))
    loader = preload.Preloader(NAMES, download=lambda url, dest: None, probe=lambda url: None)
    monkeypatch.setattr(preload, "cache_path", lambda url: 1 / 0)  # a bug anywhere in the loop
    loader.start()
    assert _finished(loader).state == "offline" and errors == []
    assert any("stopped (ZeroDivisionError" in line for line in log_lines())


def test_a_name_without_torchvision_weights_is_refused():
    with pytest.raises(ValueError, match="mobilenet_v1 has no torchvision weights"):
        preload.torchvision_urls(("mobilenet_v1",))


def test_the_preloaded_networks_exist_and_have_torchvision_weights():
    assert len(preload.torchvision_urls()) == len(preload.PRELOAD_MODELS) == 8


# -------------------------------------------------------------------------------- the real download


def test_download_file_checks_the_hash_in_the_name_and_leaves_nothing_half_written(tmp_path):
    payload = b"not really weights" * 1000
    source = tmp_path / "source.bin"
    source.write_bytes(payload)
    prefix = hashlib.sha256(payload).hexdigest()[:8]
    good = tmp_path / "cache" / f"net-{prefix}.pth"
    preload.download_file(source.as_uri(), str(good))
    assert good.read_bytes() == payload
    bad = tmp_path / "cache" / "net-00000000.pth"
    with pytest.raises(ValueError, match="SHA-256"):
        preload.download_file(source.as_uri(), str(bad))
    assert sorted(p.name for p in good.parent.iterdir()) == [good.name]


def test_probe_fails_fast_offline(offline):
    start = time.monotonic()
    with pytest.raises(OSError):
        preload.probe_host("https://download.pytorch.org/models/resnet18-f37072fd.pth")
    assert time.monotonic() - start < 1


# ------------------------------------------------------------------------------- the header's line


@pytest.mark.parametrize("progress, english, chinese", [
    (preload.Progress("off"), "", ""),
    (preload.Progress("ready", 8, 8), "", ""),
    (preload.Progress("waiting", 0, 8), "Preparing pretrained weights: 0 of 8 ready…", "已就绪 0 / 8"),
    (preload.Progress("running", 3, 7), "Preparing pretrained weights: 3 of 7 ready…", "已就绪 3 / 7"),
    (preload.Progress("partial", 7, 8, ("vgg16",)), "7 of 8 ready; the others download when first used",
     "其余的会在首次使用时下载"),
    (preload.Progress("offline", 0, 8), "Offline: pretrained weights unavailable; random and Shapes weights work.",
     "随机权重和 Shapes 权重可以使用"),
    (preload.Progress("offline", 2, 8), "Offline: 2 of 8 pretrained weights are here", "已有 2 / 8"),
])
def test_status_line_in_both_languages(progress, english, chinese):
    assert (english in preload_status.message(progress)) and bool(english) == bool(preload_status.message(progress))
    assert (chinese in preload_status.message(progress, chinese=True))
    assert bool(chinese) == bool(preload_status.message(progress, chinese=True))


def test_status_sentences_have_chinese_with_the_same_numbers():
    assert preload_text.TEXT.keys() == preload_text.TEXT_ZH.keys()
    for key, english in preload_text.TEXT.items():
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", preload_text.TEXT_ZH[key])), key


def test_status_language_follows_the_browser(monkeypatch):
    monkeypatch.setattr(preload, "current", lambda: preload.Progress("running", 1, 8))

    def request(language):
        return types.SimpleNamespace(headers={"accept-language": language})

    for header, chinese in (("zh-CN,zh;q=0.9,en;q=0.8", True), ("en-GB,en;q=0.9,zh-CN;q=0.5", False)):
        line, _ = preload_status.refresh(request(header))
        assert bool(re.search(r"[\u4e00-\u9fff]", line["value"])) is chinese, header


def test_status_refresh_hides_the_line_and_stops_the_timer_when_done(monkeypatch):
    monkeypatch.setattr(preload, "current", lambda: preload.Progress("running", 1, 8))
    line, timer = preload_status.refresh(None)
    assert line["visible"] and "1 of 8" in line["value"] and timer == gr.skip()  # left ticking
    monkeypatch.setattr(preload, "current", lambda: preload.Progress("ready", 8, 8))
    line, timer = preload_status.refresh(None)
    assert not line["visible"] and not timer.active


# ------------------------------------------------------------------------------------------ ZeroGPU


class FakeSpaces(types.ModuleType):
    def __init__(self):
        super().__init__("spaces")
        self.durations = []

    def GPU(self, duration=60):  # noqa: N802  (the real package's name)
        self.durations.append(duration)

        def wrap(fn):
            def on_gpu(*args, **kwargs):
                return ("gpu", fn(*args, **kwargs))
            return on_gpu
        return wrap


def test_gpu_is_spaces_gpu_on_zerogpu(monkeypatch):
    fake = FakeSpaces()
    monkeypatch.setattr(zerogpu, "spaces", fake)
    train = zerogpu.gpu(zerogpu.TRAIN_S, env={"SPACES_ZERO_GPU": "true"})(lambda x: x * 2)
    assert train(21) == ("gpu", 42) and fake.durations == [zerogpu.TRAIN_S]


@pytest.mark.parametrize("env", [{}, {"SPACES_ZERO_GPU": "false"}, {"SPACE_ID": "x/y"}])
def test_gpu_changes_nothing_elsewhere(monkeypatch, env):
    fake = FakeSpaces()
    monkeypatch.setattr(zerogpu, "spaces", fake)

    def cam(x):
        return x

    assert zerogpu.gpu(20, env=env)(cam) is cam and fake.durations == []


def test_gpu_changes_nothing_without_the_spaces_package(monkeypatch):
    monkeypatch.setattr(zerogpu, "spaces", None)

    def cam(x):
        return x

    assert zerogpu.gpu(20, env={"SPACES_ZERO_GPU": "1"})(cam) is cam


def test_gpu_durations_fit_a_signed_in_students_daily_quota():
    assert 0 < zerogpu.TRAIN_S <= 3.5 * 60


def test_app_imports_spaces_before_torch(tmp_path):
    """A stand-in ``spaces`` package reports whether torch was already imported, then ends the process."""
    (tmp_path / "spaces.py").write_text(
        "import sys\nprint('torch imported first:', 'torch' in sys.modules, flush=True)\nraise SystemExit(0)\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert "torch imported first: False" in out.stdout, out.stdout + out.stderr
