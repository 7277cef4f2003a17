"""The Inside tab: its handlers in-process, through its API (/cam, /feature_maps) and in a real browser."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import torch
from PIL import Image

from lab.models import create_model, zoo
from lab.models.weights import Pretrained

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CIRCLE = ASSETS / "shapes_circle.png"


def _shipped() -> str:
    name = zoo.shipped_architecture()
    assert name, "the shipped Shapes model is missing from assets/"
    return name


def _value(update):
    """A component returned as an update (new choices and value) reaches the client as a dict."""
    return update["value"] if isinstance(update, dict) else update


def test_handlers_return_their_outputs_by_name():
    from lab.ui import inside

    out = inside.cam(str(CIRCLE), _shipped(), "gradcam", weights="shapes")
    assert list(out) == list(inside.CAM_OUTPUTS)
    assert max(out["predictions"], key=out["predictions"].get) == "circle"
    fm = inside.feature_maps(str(CIRCLE), _shipped(), "features.0", weights="shapes")
    assert list(fm) == list(inside.FM_OUTPUTS) and "features.0" in fm["fm_caption"]
    assert _value(out["cam_picks"]["layer"]) == "features"  # the pickers' new values: in a State, never outputs
    assert not set(inside.CAM_INPUTS + inside.FM_INPUTS) & set(inside.CAM_OUTPUTS + inside.FM_OUTPUTS)
    assert inside.cam_if_image(None, _shipped(), "gradcam", None, None, "layercam", None, "shapes", 0.5) == {}
    assert inside.reblend(0.3, None) == {} and inside.enlarge(2, None) == {}


def test_mobilenet_v1_with_timm_weights_is_fed_their_normalisation(monkeypatch, tmp_path):
    """The tensor the Inside tab hands MobileNet v1 is normalised with its timm weights' 0.5 / 0.5."""
    from lab.ui import inside

    lab_keys = create_model("mobilenet_v1").state_dict()  # stands in for the download: no network
    monkeypatch.setattr(Pretrained, "state_dict", lambda self, model_name="": lab_keys)
    monkeypatch.setattr(zoo, "_DOWNLOAD_FAILED", {})
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # the handler reads uploads only (as Gradio saves them)
    zoo._load_inside_model.cache_clear()
    colour = (40, 160, 220)
    path = tmp_path / "flat.png"
    Image.new("RGB", (300, 240), colour).save(path)
    received = []
    model = zoo.load_inside_model("mobilenet_v1", "imagenet").model
    handle = model.register_forward_pre_hook(lambda module, args: received.append(args[0]))
    try:
        out = inside.cam(str(path), "mobilenet_v1", "gradcam", weights="imagenet")
    finally:
        handle.remove()
        zoo._load_inside_model.cache_clear()
    assert "timm mobilenetv1_100" in out["weights_note"] and "(0.500, 0.500, 0.500)" in out["steps"]
    expected = torch.tensor([(c / 255 - 0.5) / 0.5 for c in colour])
    real = [x for x in received if not x.is_meta]  # (the layer lists come from shape-only meta passes)
    assert torch.allclose(real[0][0].mean(dim=(1, 2)), expected, atol=1e-5)


def test_cam_endpoint_on_a_shapes_image(client):
    from gradio_client import handle_file

    out = client.predict(
        image=handle_file(str(CIRCLE)), model=_shipped(), method="gradcam", weights="shapes", api_name="/cam"
    )
    weights_note, seen, steps, label, cam_a, cam_b, cap_a, cap_b, filters, filters_cap = out
    assert "Shapes" in weights_note
    assert label["label"] == "circle"
    assert {c["label"] for c in label["confidences"]} == {"circle", "square", "triangle", "star", "cross"}
    assert "Normalised" in steps and "0.485" in steps
    with Image.open(cam_a) as a, Image.open(seen) as s:
        assert a.size == s.size  # the heat map lies over exactly what the network saw
    assert "Grad-CAM" in cap_a and "circle" in cap_a and "`features`" in cap_a
    assert Path(filters).is_file() and "filters" in filters_cap


def test_feature_maps_endpoint(client):
    from gradio_client import handle_file

    grid, caption, plot = client.predict(
        image=handle_file(str(CIRCLE)), model=_shipped(), layer="features.0", weights="shapes", api_name="/feature_maps"
    )
    assert "channels" in caption and "features.0" in caption
    with Image.open(grid) as g:
        assert g.width > 100 and g.height > 100


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4 not a picture at all", "not an image"),
        (b"", "empty"),
        (None, "too large"),  # a 30000×30000 decompression bomb, filled in below
    ],
)
def test_bad_images_give_a_readable_error(client, tmp_path, content, message):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    if content is None:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        content = (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b"")
        )
    bad = tmp_path / "upload.png"
    bad.write_bytes(content)
    with pytest.raises(AppError, match=message):
        client.predict(image=handle_file(str(bad)), model=_shipped(), method="gradcam", api_name="/cam")
    # The app keeps serving.
    out = client.predict(image=handle_file(str(CIRCLE)), model=_shipped(), method="eigencam", weights="shapes", api_name="/cam")
    assert out[3]["label"] == "circle"


def test_unknown_layer_falls_back_and_random_weights_warn(client):
    from gradio_client import handle_file

    out = client.predict(
        image=handle_file(str(ASSETS / "cat.jpg")), model="resnet34", method="hirescam", layer="nope",
        weights="random", api_name="/cam",
    )
    assert "Random weights" in out[0] and "mean nothing" in out[0]
    assert "`layer4`" in out[6]  # the registry's CAM layer replaced the unknown one


@pytest.mark.browser
def test_inside_tab_shows_maps_in_the_browser(page):
    page.get_by_role("tab", name="Inside").click()
    # The page opens with a worked example: predictions and both heat maps appear without a click.
    page.get_by_text("Weights:").first.wait_for(timeout=120_000)
    page.locator("img[alt]").first.wait_for(timeout=60_000)
    page.get_by_text("Grad-CAM", exact=False).first.wait_for()
    body = page.inner_text("body")
    assert "circle" in body and "What each method computes" in body
    page.get_by_role("button", name="Look inside").click()
    page.wait_for_timeout(1500)
    assert page.locator(".toast-body.error").count() == 0
    assert page.errors == []
