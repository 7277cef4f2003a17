"""The Train tab in a real browser (Start, the curve moves, Stop, the final event arrives) and its API."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
import torch

from lab import runs
from lab.checkpoint import load_checkpoint
from lab.transfer import MODES
from lab.ui import common
from lab.ui import train as ui

pytestmark = pytest.mark.browser


def test_modes_and_their_learning_rates_come_from_lab():
    """The tab offers lab's modes; choosing one sets lab's learning rate, which the help text quotes."""
    assert [value for _, value in ui.MODE_CHOICES] == list(MODES)
    assert {m: ui._mode_lr(m) for m in MODES} == {m: mode.lr for m, mode in MODES.items()}
    rates = [f"{mode.lr:g}" for mode in MODES.values()]
    assert f"({', '.join(rates)})" in ui.TEXT["mode_info"] and "、".join(rates) in ui.TEXT_ZH["mode_info"]


def test_start_and_stop_update_their_outputs_by_name():
    first = ui._updates(status="running")
    assert len(first) == len(ui.OUTPUTS) and first[ui.OUTPUTS.index("status")] == "running"
    with pytest.raises(KeyError, match="not outputs"):
        ui._updates(statu="typo")


def _points(page) -> int:
    """How many training-loss points the live plot shows now."""
    return page.evaluate(
        "() => { const p = document.querySelector('#train-curves .js-plotly-plot');"
        " return p && p.data && p.data[0] ? p.data[0].x.length : 0; }"
    )


def test_start_curves_move_stop_and_results_arrive(page):
    page.get_by_role("tab", name="Train").click()
    # LeNet-5 (32x32) on a few Shapes images, many epochs: fast steps, and the run is still going at Stop.
    model = page.get_by_label("Model", exact=True)
    model.click()
    model.fill("lenet5")
    page.get_by_role("option", name="LeNet · lenet5").click()
    epochs = page.get_by_label("number input for Epochs")
    epochs.fill("50")
    epochs.press("Enter")
    page.get_by_text("More settings").click()
    page.get_by_label("Training images").fill("4096")
    page.get_by_label("Validation images").fill("64")
    page.get_by_label("Validation images").press("Tab")
    page.locator("#train-start").click()

    page.wait_for_function(
        "() => document.querySelector('#train-status').innerText.includes('Training')", timeout=120_000
    )
    page.wait_for_function(
        "() => { const p = document.querySelector('#train-curves .js-plotly-plot');"
        " return p && p.data && p.data[0] && p.data[0].x.length >= 2; }",
        timeout=60_000,
    )
    first = _points(page)
    page.wait_for_function(f"() => document.querySelector('#train-curves .js-plotly-plot').data[0].x.length > {first}",
                           timeout=30_000)
    status = page.inner_text("#train-status")
    assert "ETA" in status and ("CPU" in status or "CUDA" in status) and "/50" in status

    page.locator("#train-stop").click()
    page.wait_for_selector("#train-results", state="visible", timeout=120_000)
    page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('Stopped')",
                           timeout=30_000)
    status = page.inner_text("#train-status")
    assert "validation accuracy" in status
    # The final event's results: a confusion heatmap, the checkpoint to download.
    page.wait_for_selector("#train-results .js-plotly-plot", timeout=30_000)
    page.locator("#train-checkpoint a[download='lenet5.pt']").wait_for(timeout=30_000)
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []


def test_augmentation_preview_follows_the_preset(page):
    page.get_by_role("tab", name="Train").click()
    gallery = page.locator("#train-aug-preview")
    gallery.scroll_into_view_if_needed()
    assert gallery.get_by_text("original", exact=True).count() == 3
    srcs = "() => Array.from(document.querySelectorAll('#train-aug-preview img')).map(i => i.src).join(' ')"
    before = page.evaluate(srcs)
    aug = page.get_by_label("Augmentation", exact=True)
    aug.click()
    page.get_by_role("option", name="strong: crop, flip, rotate, colour").click()
    page.wait_for_function(f"(before) => ({srcs})() !== before", arg=before, timeout=30_000)
    assert page.errors == []


def test_train_api_streams_to_a_final_result(client):
    """/train through gradio_client: a tiny LeNet-5 run ends with 'Done' and a loadable checkpoint."""
    from lab.checkpoint import load_checkpoint

    job = client.submit("lenet5", "shapes", None, "scratch", 2, 32, 0.003, 32, "none", "adamw", 4096, 64, 0,
                        api_name="/train")
    result = job.result(timeout=300)
    status, notes, curves, att_line, att_gallery, confusion, per_class, wrong, checkpoint = result
    assert "**Epoch 2** of 2" in att_line and len(att_gallery) == 8  # the attention frames came with the run
    assert "Done" in status and "validation accuracy" in status
    assert len(job.outputs()) >= 2  # streamed: intermediate updates came before the final one
    path = checkpoint if isinstance(checkpoint, str) else checkpoint["path"]
    assert os.path.exists(path)
    model, config, names = load_checkpoint(path)
    assert config["epochs"] == 2 and len(names) == 5
    assert model(torch.zeros(1, 3, 32, 32)).shape == (1, 5)


def test_train_api_accepts_an_uploaded_zip_and_refuses_a_bad_one(client, tmp_path):
    import io
    import zipfile

    from gradio_client import handle_file
    from PIL import Image

    good = tmp_path / "colours.zip"
    with zipfile.ZipFile(good, "w") as zf:
        for c, rgb in (("red", (220, 30, 30)), ("blue", (30, 30, 220))):
            for i in range(6):
                buf = io.BytesIO()
                Image.new("RGB", (20, 20), rgb).save(buf, "PNG")
                zf.writestr(f"{c}/{i}.png", buf.getvalue())
    status = client.predict("lenet5", "zip", handle_file(str(good)), "scratch", 1, 8, 0.003, 32, "none", "adamw",
                            0, 0, 0, api_name="/train")[0]
    assert "Done" in status
    bad = tmp_path / "escape.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../outside.png", b"x")
    with pytest.raises(Exception, match="outside its folder"):
        client.predict("lenet5", "zip", handle_file(str(bad)), "scratch", 1, 8, 0.003, 32, "none", "adamw", 0, 0, 0,
                       api_name="/train")


class _Request:
    """What the handlers read of a gr.Request: the session and the browser's language."""

    def __init__(self, session_hash: str = "s1", language: str = "en-US") -> None:
        self.session_hash, self.headers = session_hash, {"accept-language": language}


PLACE = dict(model="resnet18", dataset="shapes", zip_file=None, mode="scratch", epochs=5, batch=64, lr=0.002, size=64,
             aug="flip", optimizer="adamw", train_size=4000, val_size=1000, seed=0)


def test_a_waiting_student_sees_their_place_and_wait_and_stop_gives_it_up(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))  # no recorded runs: each run trains
    monkeypatch.setattr(ui, "QUEUE", runs.TrainQueue())
    ui.QUEUE.measured("resnet18", 64, 1000, 30.0)  # 30 ms per image-step, measured here before
    per_run = ui._images(ui._config(**PLACE, out=None)) * 0.03  # 5 x (4000 + 333) x 30 ms = 650 s
    ui.QUEUE.join("running", per_run)
    ui.QUEUE.begin("running")
    ui.QUEUE.join("waiting", per_run)
    mine: dict = {}
    status = ui.place(**PLACE, session=mine, request=_Request())
    minutes = math.ceil(2 * per_run / 60)  # the running one (just begun) and the one before me
    assert status.startswith("**Waiting for your turn:** 2 runs ahead of you") and f"about {minutes} min" in status
    assert "**Stop** gives up your place" in status
    zh = ui.place(**PLACE, session={}, request=_Request("s2", "zh-CN,zh;q=0.9"))
    assert "你前面还有 3 个训练" in zh  # the Chinese browser, one more ahead (me)
    assert ui.QUEUE.ahead(mine["ticket"])[0] == 2
    out = ui.stop(mine, request=_Request())
    assert "gave up your place" in out[ui.OUTPUTS.index("status")] and "ticket" not in mine
    ui.QUEUE.remaining("running", 60.0)  # the running run's own ETA replaces its expected duration
    assert ui.QUEUE.ahead("waiting") == (1, pytest.approx(60, abs=1))
    ui.QUEUE.leave("running")
    ui.QUEUE.begin("s2-ticket")  # the next run to begin: the "waiting" one that never began is dropped
    assert ui.QUEUE.ahead("nobody") == (1, pytest.approx(0, abs=1))


def test_replay_crash_and_lost_run_sentences(monkeypatch, tmp_path):
    start = {"kind": "start", "epochs": 2, "total_steps": 8, "device": "CPU", "probe": {}, "threads": 1}
    events = [{"kind": "replay", "wall_s": 95.0}, start, {"kind": "step", "step": 3, "epoch": 1}]
    assert ui._status(events).startswith("**This exact run was trained before on this machine: replaying it…**")
    done = {"kind": "done", "done": True, "val_acc": 0.963, "val_loss": 0.1, "steps": 8}
    assert "**Done (replayed):** validation accuracy **96.3%**" in ui._status(events + [done])
    with common.language(common.ZH):
        assert "回放" in ui._status(events + [done])

    class Crashed:
        error, events = ZeroDivisionError("x"), [start, {"kind": "step", "step": 3}]

    assert "at step 3 with an error inside CNN Lab (ZeroDivisionError)" in ui._failure(Crashed())
    monkeypatch.setattr(runs.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = runs.new_run_dir("lost1")
    runs.mark(folder, "running")
    monkeypatch.setattr(runs, "BOOT", "after-a-restart")
    assert "was lost" in ui.stop({}, request=_Request("lost1"))[ui.OUTPUTS.index("status")]
    assert "was lost" in ui.place(**PLACE, session={}, request=_Request("lost1"))


TINY_API = ("lenet5", "shapes", None, "scratch", 1, 32, 0.003, 32, "none", "adamw", 256, 64)  # then the seed


def _path(file) -> str:
    return file if isinstance(file, str) else file["path"]


def test_the_same_seeded_run_again_is_a_replay_with_the_same_checkpoint(client):
    first = client.predict(*TINY_API, 7, api_name="/train")
    first_bytes = open(_path(first[-1]), "rb").read()  # the next run of this session replaces the folder
    job = client.submit(*TINY_API, 7, api_name="/train")
    second = job.result(timeout=120)
    assert second[0].startswith("**Done (replayed):**") and "exactly as when this run trained here" in second[0]
    assert any("replaying it…" in out[0] for out in job.outputs()[:-1])  # said while it replays
    assert open(_path(second[-1]), "rb").read() == first_bytes


def test_a_diverging_run_says_why_and_the_next_run_trains(client):
    bad = client.predict("lenet5", "shapes", None, "scratch", 2, 32, 10.0, 32, "none", "sgd", 256, 64, 0,
                         api_name="/train")
    assert bad[0].startswith("**Stopped by a problem:** The loss became") and "10 times smaller" in bad[0]
    assert client.predict(*TINY_API, 3, api_name="/train")[0].startswith("**Done")


CLOSING_CLIENT = """
import sys, time
from gradio_client import Client
c = Client(sys.argv[1], verbose=False)
print(c.session_hash, flush=True)
job = c.submit("lenet5", "shapes", None, "scratch", 50, 32, 0.003, 32, "none", "adamw", 4096, 64, 0, api_name="/train")
while not any("Training" in str(o[0]) for o in job.outputs()):
    time.sleep(0.2)
print("training", flush=True)
time.sleep(60)
"""


def test_closing_the_page_mid_run_stops_it_and_keeps_its_checkpoint(app_url, client, tmp_path):
    """A student's connection goes (the process holding it is killed, as a closed browser): the run stops at
    its next step, its checkpoint stays in the session's run folder, and the next run trains."""
    import subprocess
    import sys
    import tempfile
    import time

    proc = subprocess.Popen([sys.executable, "-c", CLOSING_CLIENT, app_url], stdout=subprocess.PIPE, text=True)
    try:
        session = proc.stdout.readline().strip().replace("-", "")
        assert proc.stdout.readline().strip() == "training"
    finally:
        proc.kill()
        proc.wait()
    deadline, states = time.monotonic() + 90, []
    while time.monotonic() < deadline:
        folders = list(Path(tempfile.gettempdir()).glob(f"{runs.RUN_PREFIX}{session[:40]}-*"))
        states = [json.loads((f / runs.STATE_FILE).read_text())["state"] for f in folders]
        if states == ["stopped"] and list(folders[0].glob("*.pt")):
            break
        time.sleep(0.5)
    assert states == ["stopped"]
    model, config, names = load_checkpoint(str(next(folders[0].glob("*.pt"))))
    assert config["epochs"] == 50 and len(names) == 5  # the weights reached, loadable in the Inside tab
    assert client.predict(*TINY_API, 4, api_name="/train")[0].startswith("**Done")


def test_a_second_student_sees_their_place_and_gives_it_up(browser, app_url, client):
    """While one run trains, a second student who presses Start is told how many runs are ahead and for
    about how long; Stop gives up the place."""
    job = client.submit("lenet5", "shapes", None, "scratch", 50, 32, 0.003, 32, "none", "adamw", 4096, 64, 0,
                        api_name="/train")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(app_url)
        page.get_by_role("tab", name="Train").click()
        assert "one training run at a time on this machine" in page.inner_text("#train-shared")
        while not any("Training" in str(o[0]) for o in job.outputs()):
            page.wait_for_timeout(200)
        page.locator("#train-start").click()
        page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('ahead of you')",
                               timeout=30_000)
        status = page.inner_text("#train-status")
        assert "1 run ahead of you, about" in status and "min" in status and "gives up your place" in status
        page.screenshot(path="/tmp/shots/train_queue_waiting.png")
        page.locator("#train-stop").click()
        page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('gave up')",
                               timeout=30_000)
        page.screenshot(path="/tmp/shots/train_queue_place.png", full_page=True)
    finally:
        context.close()
        job.cancel()
