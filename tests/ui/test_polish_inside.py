"""Issue 15 in the Inside tab (and issue 11's own queue): an error hides no input and leaves no old result on
screen, an upload error is said once, every layer is on offer, Score-CAM keeps to its budget, random weights
use ImageNet's names, a teacher can look inside a checkpoint, and two requests on one model run at once."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

from lab import runs
from lab.models import create_model, zoo
from lab.models.weights import imagenet_categories
from lab.ui import inside
from tests.test_zoo import _lenet_checkpoint
from tests.ui.polish import error_toast, pills, wait_text

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CIRCLE = ASSETS / "shapes_circle.png"
SHOTS = Path("/tmp/shots")
PICKERS = ("#inside-layer", "#inside-layer-b", "#inside-target", "#inside-fm-layer", "#inside-model")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"inside_{name}.png"), full_page=True)


def _opened(page) -> None:
    """The Inside tab with its worked example shown (the shipped Shapes model on a circle)."""
    page.get_by_role("tab", name="Inside").click()
    wait_text(page, "#inside-predictions", "circle", timeout=180_000)
    wait_text(page, "#inside-caption-b", "Layer-CAM", timeout=120_000)
    wait_text(page, "#inside-fm-caption", "channels", timeout=120_000)


# --------------------------------------------------------------------------- 2, 3: errors hide nothing, keep nothing


@pytest.mark.browser
def test_imagenet_weights_offline_leave_every_picker_editable_and_no_old_result(page):
    _opened(page)
    page.locator("#inside-weights label", has_text="ImageNet").click()
    error_toast(page, "cannot be downloaded", timeout=60_000)
    page.wait_for_timeout(1000)
    assert pills(page) == []  # before: the layer and class pickers turned into "Error" pills
    for box in PICKERS:
        assert page.locator(f"{box} input").first.is_editable(), box
    wait_text(page, "#inside-note", "No results for this setting")  # before: the Shapes model's results stayed
    for old in ("#inside-predictions", "#inside-steps", "#inside-caption-a", "#inside-caption-b", "#inside-fm-caption"):
        assert "circle" not in page.inner_text(old) and "Grad-CAM" not in page.inner_text(old), old
    _shot(page, "imagenet_offline")
    page.locator("#inside-weights label", has_text="Automatic").click()  # fixed where it was chosen
    wait_text(page, "#inside-predictions", "circle", timeout=120_000)
    assert page.errors == []


# ------------------------------------------------------------------------------------ 5: one error, said once


@pytest.mark.browser
def test_a_broken_upload_is_said_once(page, tmp_path):
    _opened(page)
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"%PDF-1.4 not a picture at all")
    page.locator("#inside-image input[type=file]").set_input_files(str(bad))
    sentence = "This file is not an image that can be read"
    error_toast(page, sentence, timeout=60_000)
    page.wait_for_timeout(3000)  # the feature maps would have failed by now, too
    toasts = page.locator(".toast-body.error").all_inner_texts()
    _shot(page, "broken_upload")
    assert sum(t.count(sentence) for t in toasts) == 1, toasts
    wait_text(page, "#inside-note", "No results for this setting")
    assert pills(page) == []


# --------------------------------------------------------------------------------- 6: every layer on offer


@pytest.mark.browser
def test_the_layer_picker_offers_mobilenet_v2s_deepest_layers(page):
    _opened(page)
    page.locator("#inside-layer input").click()
    page.locator("ul[role=listbox] li").first.wait_for()
    options = page.locator("ul[role=listbox] li").all_inner_texts()
    _shot(page, "layer_list")
    # before: the first 100 of 210, "features" (the default CAM layer) reachable only by typing
    assert len(options) == len(zoo.load_inside_model("mobilenet_v2", "shapes").cam_layers), len(options)
    assert any("│ features · Sequential" in o for o in options)
    assert options[0].startswith("stage 1 ·") and "remaining" not in page.inner_text("body")
    page.keyboard.type("features.18")  # searchable: gr.Dropdown's filtering
    page.wait_for_timeout(500)
    assert all("features.18" in o for o in page.locator("ul[role=listbox] li").all_inner_texts())


# --------------------------------------------------------------------------- 7: Score-CAM within its budget


def test_scorecam_says_how_many_channels_it_scored_and_keeps_to_its_budget():
    model = zoo.load_inside_model(zoo.shipped_architecture(), "shapes")
    start = time.perf_counter()
    out = inside.cam(str(CIRCLE), model.name, "scorecam", method_b="gradcam", weights="shapes")
    took = time.perf_counter() - start
    assert "Score-CAM scored the" in out["caption_a"] and "of 1280 channels" in out["caption_a"]
    assert "circle" in out["caption_a"] and took < 60  # before: 1280 masked forward passes
    assert "6 s" in inside.TEXT["method_info"]  # the wait is said before it starts (and in a toast)


# ------------------------------------------------------------------------------------------- 8: class names


def test_random_weights_name_imagenets_classes_and_lenet5_has_ten(client):
    from gradio_client import handle_file

    out = client.predict(image=handle_file(str(ASSETS / "cat.jpg")), model="resnet18", method="gradcam",
                         weights="random", api_name="/cam")
    assert {c["label"] for c in out[3]["confidences"]} <= set(imagenet_categories())
    out = client.predict(image=handle_file(str(CIRCLE)), model="lenet5", method="gradcam", weights="random",
                         api_name="/cam")
    assert "10 classes" in out[0]
    assert {c["label"] for c in out[3]["confidences"]} <= {f"class {i}" for i in range(10)}


@pytest.mark.browser
def test_random_weights_show_imagenet_names_in_the_browser(page):
    _opened(page)
    page.locator("#inside-weights label", has_text="Random").click()
    wait_text(page, "#inside-note", "Random weights", timeout=120_000)
    page.wait_for_function("n => n.some(c => document.querySelector('#inside-predictions').innerText.includes(c))",
                           arg=imagenet_categories(), timeout=120_000)
    _shot(page, "random_names")


# ------------------------------------------------------------------------ 9: inside a network just trained


@pytest.mark.browser
def test_an_uploaded_checkpoint_is_looked_inside(page, tmp_path):
    _opened(page)
    path = _lenet_checkpoint(tmp_path / "lenet5.pt")
    page.get_by_text("Your own weights").click()
    page.locator("#inside-checkpoint input[type=file]").set_input_files(path)
    wait_text(page, "#inside-note", "lenet5.pt: lenet5 trained by CNN Lab on MNIST", timeout=120_000)
    wait_text(page, "#inside-predictions", "zero")
    assert "lenet5" in page.locator("#inside-model input").input_value()
    assert page.locator("#inside-weights input[value=checkpoint]").is_checked()
    _shot(page, "checkpoint")
    assert pills(page) == [] and page.errors == []


@pytest.mark.browser
def test_the_train_tabs_latest_run_is_one_click_away_and_is_ones_own(page):
    """A class shares the machine: another student's newer run is not "the run I just trained"."""
    folder = Path(runs.new_run_dir("another-students-session"))
    try:
        _lenet_checkpoint(folder / "lenet5.pt")
        _opened(page)
        page.get_by_text("Your own weights").click()
        page.locator("#inside-latest-run").click()
        error_toast(page, "no finished run yet")
        # Now this student trains a tiny LeNet-5 in the Train tab, then comes back.
        page.get_by_role("tab", name="Train").click()
        model = page.get_by_label("Model", exact=True)
        model.click()
        model.fill("lenet5")
        page.get_by_role("option", name="LeNet · lenet5").click()
        page.get_by_text("More settings").click()
        page.get_by_label("Training images").fill("256")
        page.get_by_label("Validation images").fill("64")
        page.get_by_label("Validation images").press("Tab")
        page.locator("#train-start").click()
        page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('Done')",
                               timeout=180_000)
        page.get_by_role("tab", name="Inside").click()
        page.locator("#inside-latest-run").click()
        wait_text(page, "#inside-note", "lenet5.pt: lenet5 trained by CNN Lab", timeout=120_000)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_wrong_weights_file_is_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # the handler reads uploads only (as Gradio saves them)
    bad = tmp_path / "resnet34.pth"
    torch.save(create_model("resnet34").state_dict(), bad)
    with pytest.raises(gr.Error, match="does not fit resnet18: its ImageNet weights are torchvision's resnet18-"):
        inside.weights_file(str(bad), "resnet18")
    assert runs.latest_checkpoints(root=tempfile.mkdtemp()) == []


# --------------------------------------------------------------------- issue 11: a queue of the tab's own


def test_inside_has_its_own_queue_apart_from_training():
    with gr.Blocks() as demo:
        inside.build()
    heavy = [f for f in demo.fns.values() if f.name in ("cam", "cam_if_image", "feature_maps", "model_changed")]
    assert heavy and {f.concurrency_id for f in heavy} == {"inside"}
    assert {f.concurrency_limit for f in heavy} == {inside.CONCURRENCY} and inside.CONCURRENCY >= 1


def test_two_cam_requests_on_one_model_at_once_give_the_sequential_maps(client):
    from gradio_client import handle_file

    def ask(method: str):
        return client.submit(image=handle_file(str(CIRCLE)), model=zoo.shipped_architecture(), method=method,
                             method_b="layercam", weights="shapes", api_name="/cam")

    alone = {m: ask(m).result() for m in ("gradcam", "hirescam")}
    together = [(m, ask(m)) for m in ("gradcam", "hirescam", "gradcam")]
    for method, job in together:
        got = job.result()
        for k in (4, 5):  # both heat maps
            with Image.open(got[k]) as a, Image.open(alone[method][k]) as b:
                assert np.array_equal(np.asarray(a), np.asarray(b)), method


@pytest.mark.browser
def test_an_example_is_looked_at_once_it_is_clicked(page, app_log):
    """Images start a run on .input (a user's upload) and on the examples' own load event."""
    _opened(page)
    page.locator("#inside-examples img").nth(1).click()  # the square
    wait_text(page, "#inside-predictions", "square", timeout=120_000)
    wait_text(page, "#inside-fm-caption", "channels")
    assert pills(page) == [] and page.errors == []
