"""Nothing computed twice: identical requests are answered from one cache (lab/ui/serving.py, cached), for
everyone, in each request's language, without queueing behind the requests that do need computing."""
from __future__ import annotations

import os
import re
import shutil
import time

import pytest
import torch
from gradio.utils import get_upload_folder

from lab.data import make_shapes
from lab.models import zoo
from lab.ui import common, inside, serving

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def uploads():
    """Files as if uploaded (the Inside tab reads only uploads and the examples)."""
    folder = os.path.join(get_upload_folder(), "test-cache")
    os.makedirs(folder, exist_ok=True)

    def upload(seed: int, name: str | None = None) -> str:
        path = os.path.join(folder, name or f"shape_{seed}.png")
        make_shapes(1, 96, seed=seed)[0].image.save(path)
        return path

    yield upload
    shutil.rmtree(folder, ignore_errors=True)


def test_the_same_request_is_computed_once_for_everyone_and_per_language(uploads):
    first = uploads(101)
    a = inside.cam(first, "resnet18", "gradcam", weights="random")
    assert inside.cam(first, "resnet18", "gradcam", weights="random") is a  # served, not recomputed
    # Another student's upload of the same picture, under another name: the same entry.
    same = shutil.copy(first, os.path.join(os.path.dirname(first), "IMG_0001.png"))
    assert inside.cam(same, "resnet18", "gradcam", weights="random") is a
    # What decides the answer is in the key: another picture, method, opacity or language is computed.
    assert inside.cam(uploads(102), "resnet18", "gradcam", weights="random") is not a
    assert inside.cam(first, "resnet18", "gradcam++", weights="random") is not a
    assert inside.cam(first, "resnet18", "gradcam", weights="random", opacity=0.7) is not a
    with common.language(common.ZH):
        zh = inside.cam(first, "resnet18", "gradcam", weights="random")
    assert zh is not a and CJK.search(zh["caption_a"]) and not CJK.search(a["caption_a"])


def test_errors_are_not_cached(uploads):
    path = uploads(103)
    for _ in range(2):
        with pytest.raises(Exception, match="opacity"):
            inside.cam(path, "resnet18", "gradcam", weights="random", opacity=7)


def test_auto_weights_are_recomputed_once_better_weights_arrive(uploads, monkeypatch):
    path = uploads(104)
    assert zoo.weights_source("resnet50") == "random"  # offline: no ImageNet file, not the shipped model
    before = inside.feature_maps(path, "resnet50", weights="auto")
    assert inside.feature_maps(path, "resnet50", weights="auto") is before
    monkeypatch.setattr(zoo, "weights_source", lambda name, weights="auto": "imagenet")  # the file has arrived
    assert inside.feature_maps(path, "resnet50", weights="auto") is not before


def test_random_weights_are_the_same_network_every_time_they_are_built():
    a = zoo._random("resnet18", "").model.state_dict()
    torch.manual_seed(12345)  # whatever the global stream did in between
    b = zoo._random("resnet18", "").model.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_picture_is_written_once_and_never_rewritten_while_served(uploads):
    img = inside.cam(uploads(105), "resnet18", "gradcam", weights="random")["cam_a"]
    path = serving.image_file(img)
    mtime = os.stat(path).st_mtime_ns
    time.sleep(0.01)
    copy = img.copy()  # the same picture from another response
    assert serving.image_file(copy) == path and os.stat(path).st_mtime_ns == mtime
    assert path.startswith(os.path.realpath(get_upload_folder())) or path.startswith(get_upload_folder())


def test_a_repeated_request_is_answered_while_new_ones_wait_in_the_queue(client, tmp_path):
    """Six new pictures on ResNet-50 fill the Inside queue (two at a time); the example asked again after them
    is answered from the cache while most of them still wait: a cache hit bypasses the queue."""
    from gradio_client import handle_file

    example = str(inside.ASSETS / "cat.jpg")
    client.predict(image=handle_file(example), model="resnet50", weights="random", api_name="/cam")  # warm
    fresh = []
    for k in range(6):
        p = tmp_path / f"new_{k}.png"
        make_shapes(1, 192, seed=500 + k)[0].image.save(p)
        fresh.append(client.submit(image=handle_file(str(p)), model="resnet50", weights="random", api_name="/cam"))
    time.sleep(0.3)
    hit = client.submit(image=handle_file(example), model="resnet50", weights="random", api_name="/cam")
    hit.result(timeout=120)
    pending = sum(not job.done() for job in fresh)
    for job in fresh:
        job.result(timeout=300)
    # Queued behind them (two at a time), it would start only after four of the six were done: at most two
    # would still be pending when it returned.
    assert pending >= 3, f"the repeated request waited in the queue ({pending} of 6 new ones still pending)"
