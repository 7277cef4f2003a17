"""The Train tab in a real browser (Start, the curve moves, Stop, the final event arrives) and its API."""
from __future__ import annotations

import os

import pytest
import torch

from lab.transfer import MODES
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
    status, notes, curves, confusion, per_class, wrong, checkpoint = result
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
