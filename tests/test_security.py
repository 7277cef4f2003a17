"""Security: checkpoints are never unpickled, no user string becomes a filesystem path, the launch limits uploads
and serves nothing but Gradio's cache, and a session of uploads writes only into the app's cache folders."""
from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lab.checkpoint import load_checkpoint
from lab.models import zoo
from tests.conftest import ROOT, _free_port, _wait_for

PWNED = "cnnlab-security-pwned"


class _Evil:
    """Unpickling this runs a shell command (what a malicious checkpoint does)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _python_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "lab").rglob("*.py"))]


def test_every_torch_load_is_weights_only():
    calls, unsafe = 0, []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "torch"):
                calls += 1
                kw = {k.arg: k.value for k in node.keywords}
                if not (isinstance(kw.get("weights_only"), ast.Constant) and kw["weights_only"].value is True):
                    unsafe.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls >= 3  # lab.checkpoint, lab.models.zoo (twice), lab.models.weights
    assert not unsafe, f"torch.load without weights_only=True: {unsafe}"
    # No other way to unpickle: pickle.load(s) and torch.jit.load appear nowhere in lab/.
    text = "\n".join(p.read_text() for p in _python_files())
    assert "pickle.load" not in text and "jit.load" not in text


@pytest.mark.parametrize("how", ["pickle", "torch.save"])
def test_malicious_checkpoint_is_refused_before_use(tmp_path, how):
    marker = tmp_path / PWNED
    path = tmp_path / "evil.pt"
    payload = {"state_dict": _Evil(marker), "config": {"model": "lenet5"}, "class_names": ["a", "b"]}
    if how == "pickle":
        path.write_bytes(pickle.dumps(payload))
    else:
        torch.save(payload, path)
    with pytest.raises(ValueError, match="not a checkpoint CNN Lab can read"):
        load_checkpoint(str(path))
    with pytest.raises(ValueError, match="not a PyTorch file CNN Lab can read"):
        zoo.use_weights_file(path, "lenet5")
    with pytest.raises(ValueError):
        zoo.install_imagenet_weights("resnet18", path)
    assert not marker.exists(), "the checkpoint's code ran"


def test_checkpoint_with_hostile_contents_is_a_sentence(tmp_path):
    """Loadable (tensors and plain values) but not what it claims: each is a ValueError, nothing built from it."""
    weights = {"w": torch.zeros(2)}
    hostile = {
        "path_name": {"state_dict": weights, "config": {"model": "../../etc/passwd"}, "class_names": ["a", "b"]},
        "timm_name": {"state_dict": weights, "config": {"model": "timm:nonsense"}, "class_names": ["a", "b"]},
        "no_names": {"state_dict": weights, "config": {"model": "lenet5"}, "class_names": []},
        "not_tensors": {"state_dict": {"w": "text"}, "config": {"model": "lenet5"}, "class_names": ["a", "b"]},
        "config_list": {"state_dict": weights, "config": ["lenet5"], "class_names": ["a", "b"]},
        "wrong_shapes": {"state_dict": weights, "config": {"model": "lenet5", "in_channels": 1}, "class_names": ["a"]},
    }
    for name, ckpt in hostile.items():
        path = tmp_path / f"{name}.pt"
        torch.save(ckpt, path)
        with pytest.raises(ValueError):
            load_checkpoint(str(path))


def test_upload_path_accepts_only_gradio_uploads_and_examples(tmp_path, monkeypatch):
    from lab.ui.common import upload_path

    uploads = tmp_path / "gradio"
    (uploads / "abc").mkdir(parents=True)
    good = uploads / "abc" / "cat.png"
    good.write_bytes(b"png")
    (uploads / "abc" / "link.png").symlink_to("/etc/passwd")
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    assert upload_path({"path": str(good), "meta": {"_type": "gradio.FileData"}}, "image") == str(good)
    assert upload_path(str(good), "image") == str(good)
    assert upload_path(None, "image") is None and upload_path({"path": None}, "image") is None
    assert upload_path(str(ROOT / "assets" / "cat.jpg"), "image") == str(ROOT / "assets" / "cat.jpg")  # an example
    for hostile in ["/etc/passwd", {"path": "/etc/passwd"}, f"{uploads}/../../etc/passwd", str(tmp_path),
                    str(uploads / "abc" / "link.png"), "~/.ssh/id_rsa", "file:///etc/passwd", 7, ["a"],
                    str(ROOT / "assets" / "cat.jpg") + "/..", str(ROOT / "app.py"), "C:\\Windows\\win.ini", "\x00"]:
        with pytest.raises(ValueError, match="must be a file uploaded to CNN Lab"):
            upload_path(hostile, "image")


def _launch_call() -> ast.Call:
    tree = ast.parse((ROOT / "app.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr == "launch"]
    assert len(calls) == 1
    return calls[0]


def test_launch_limits_uploads_and_allows_no_extra_paths():
    kw = {k.arg: k.value for k in _launch_call().keywords}
    assert "allowed_paths" not in kw, "app.py serves extra folders: allowed_paths should stay empty"
    assert isinstance(kw.get("max_file_size"), ast.Constant) and kw["max_file_size"].value == "20mb"
    blocks = [n for n in ast.walk(ast.parse((ROOT / "app.py").read_text())) if isinstance(n, ast.Call)
              and getattr(n.func, "attr", "") == "Blocks"]
    assert any(k.arg == "delete_cache" for b in blocks for k in b.keywords), "Gradio's cache is never cleaned"


# ---------------------------------------------------------------------------- nothing written outside the caches


def _snapshot(*roots: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``roots`` (bytecode caches aside) with its size and modification time."""
    seen = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", ".git", ".pytest_cache")]
            for name in files:
                p = Path(folder) / name
                try:
                    st = p.lstat()
                except OSError:
                    continue
                seen[p] = (st.st_size, st.st_mtime_ns)
    return seen


def _session(url: str, files: Path) -> None:
    """What a student does: uploads to every tab, a checkpoint, a zip and two tiny runs (one on MNIST,
    which cannot be downloaded offline), and a few hostile requests."""
    from gradio_client import Client, handle_file

    from tests.fuzz import TINY_TRAIN, make_files
    import random

    made = make_files(files, random.Random(1))
    image, ckpt, good_zip = made["image"][0], made["checkpoint"][0], made["zip"][0]
    c = Client(url, verbose=False)
    shipped = zoo.shipped_architecture()
    c.predict(image=handle_file(str(image)), model=shipped, method="gradcam", weights="shapes", api_name="/cam")
    c.predict(image=handle_file(str(image)), model=shipped, weights="checkpoint", checkpoint=handle_file(str(ckpt)),
              method="gradcam", api_name="/cam")
    c.predict(image=handle_file(str(image)), model=shipped, weights="shapes", api_name="/feature_maps")
    c.predict(image=handle_file(str(image)), kernel_name="identity", stride=1, api_name="/kernel_images")
    c.predict(**TINY_TRAIN, api_name="/train")
    c.predict(**dict(TINY_TRAIN, dataset="zip", zip_file=handle_file(str(good_zip))), api_name="/train")
    with pytest.raises(Exception, match="zip_file"):  # a path of the caller's choosing
        c.predict(**dict(TINY_TRAIN, dataset="zip", zip_file="/etc/passwd"), api_name="/train")
    try:  # MNIST cannot be downloaded offline: the run says so (in its status line, or as an error)
        c.predict(**dict(TINY_TRAIN, dataset="mnist"), api_name="/train")
    except Exception as e:
        assert "MNIST" in str(e)
    for bad in [p for p in made["image"] if p.name in ("trunc.png", "huge.png", "text.png", "zip_as.png")]:
        with pytest.raises(Exception, match="image|file"):
            c.predict(image=handle_file(str(bad)), model=shipped, weights="shapes", api_name="/cam")


@pytest.mark.slow
def test_a_session_writes_only_into_the_apps_cache_folders(tmp_path):
    """The app started with HOME and TMPDIR in a fresh folder: after a session of uploads and runs, every new
    or changed file (in the checkout, HOME and TMPDIR) lies in one of the folders the code names."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in (
        "TORCH_HOME", "HF_HOME", "XDG_CACHE_HOME", "CNNLAB_CACHE", "GRADIO_TEMP_DIR", "TMPDIR", "MPLCONFIGDIR")}
    port = _free_port()
    env.update(HOME=str(home), TMPDIR=str(tmp), GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1",
               PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", HF_HUB_OFFLINE="1")
    known = [
        tmp / "gradio",  # Gradio's cache: uploads and outputs (delete_cache cleans it)
        home / ".cache" / "cnnlab",  # lab.speed's plan cache ($CNNLAB_CACHE or ~/.cache/cnnlab)
        home / ".cache" / "torch",  # torch hub: pretrained weights (lab.models.weights.cache_path)
        home / ".cache" / "huggingface",  # timm's weights
        home / ".cache" / "matplotlib",  # matplotlib's font list, built once (grad-cam imports matplotlib)
        ROOT / "data",  # torchvision sets (lab.data.DEFAULT_DATA_DIR, git-ignored)
    ]
    before = _snapshot(ROOT, tmp_path)
    log = tmp_path / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "tests/offline_app.py"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        _wait_for(f"http://127.0.0.1:{port}/", proc, log)
        _session(f"http://127.0.0.1:{port}/", tmp_path / "client-files")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    after = _snapshot(ROOT, tmp_path)
    written = [p for p, st in after.items() if before.get(p) != st and p != log
               and not p.is_relative_to(tmp_path / "client-files")]
    runs = [p for p in written if p.is_relative_to(tmp) and p.relative_to(tmp).parts[0].startswith("cnnlab-train-")]
    assert runs, "the runs left no checkpoint (the session did not train)"
    assert any(p.is_relative_to(tmp / "gradio") for p in written), "no upload reached Gradio's cache"
    stray = [str(p) for p in written if p not in runs and not any(p.is_relative_to(k) for k in known)]
    assert not stray, f"files written outside the app's cache folders: {stray}"
