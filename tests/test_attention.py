"""lab.attention: the Grad-CAM of fixed validation images, captured every epoch of a run, stored with its record."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch

from lab import attention as A
from lab import runs
from lab.cam import compute_cam
from lab.data import SHAPES_CLASSES, load_dataset, make_shapes_tensors
from lab.models import create_model
from lab.train import TrainConfig, train

TINY = dict(model="lenet5", train_size=128, val_size=64, batch_size=32, precision="fp32", memory_format="contiguous",
            threads=1)
# A seeded run short enough for a test that learns enough for its attention to move: LeNet-5 on 2,048 Shapes
# images for 8 epochs, 4-17 s (measured: the in-box heat 36% at epoch 0, 56% at the last; 7 of 8 answers right).
LEARNS = dict(model="lenet5", train_size=2048, val_size=128, batch_size=64, epochs=8, lr=3e-3, precision="fp32",
              memory_format="contiguous", threads=1, seed=0)


def test_one_image_per_class_in_turn():
    labels = torch.tensor([3, 3, 0, 1, 0, 2, 4, 1, 3])
    assert A.pick(labels, 5, 8) == [2, 3, 5, 0, 6, 4, 7, 1]  # firsts of classes 0..4, then seconds of 0, 1, 3
    assert A.pick(labels, 5, 3) == [2, 3, 5]
    assert A.pick(torch.tensor([1, 1]), 2, 8) == [0, 1]  # fewer images than asked: all of them


def test_box_mass_by_hand():
    heat = np.zeros((8, 8), np.uint8)
    heat[2:4, 2:4] = 200  # 4 cells of 200 inside the box
    heat[7, 7] = 200  # 1 outside
    assert A.box_mass(heat, (2, 2, 5, 5)) == pytest.approx(4 / 5)
    assert A.box_mass(np.zeros((4, 4), np.uint8), (0, 0, 2, 2)) == 0.0
    assert A.box_mass(np.full((8, 8), 7, np.uint8), (0, 0, 4, 2)) == pytest.approx(A.box_area((0, 0, 4, 2), 8))


def test_frames_are_recorded_every_epoch_with_their_shapes():
    events = list(train(TrainConfig(**TINY, epochs=3)))
    kinds = [e["kind"] for e in events if e["kind"] in ("watch", "attention", "epoch", "step")]
    assert kinds[:3] == ["watch", "attention", "step"]  # epoch 0 before the first step
    f = A.frames(events)
    assert f.epochs == [0, 1, 2, 3] and len(f.maps) == 4 and f.layer == "features.4"
    assert f.images.shape == (8, 32, 32, 3) and f.images.dtype == np.uint8  # LeNet-5's 32 px, under SIDE
    assert all(m.shape == (8, 32, 32) and m.dtype == np.uint8 for m in f.maps)
    assert all(len(p) == 8 and all(0 <= c < 5 for c in p) for p in f.preds)
    assert all(0.2 <= p <= 1 for probs in f.probs for p in probs)  # a top-1 probability of 5 classes
    val = load_dataset("shapes", 32, train_size=128, val_size=64).val
    watch = next(e for e in events if e["kind"] == "watch")
    assert f.labels == [int(val.labels[i]) for i in watch["indices"]] and f.labels[:5] == [0, 1, 2, 3, 4]
    assert f.boxes == [val.boxes[i].tolist() for i in watch["indices"]]  # Shapes at the run's size: as drawn
    assert all(m.max() == 255 for m in f.maps[-1])  # each map normalised to its peak, as compute_cam's
    # The image is what the network saw: the validation image itself at 32 px ("none" augmentation: a resize).
    assert np.array_equal(f.images[0], val.images[watch["indices"][0]].permute(1, 2, 0).numpy())


def test_a_capture_is_compute_cam_of_the_predicted_class(tmp_path):
    """The batched capture gives each image the map lab.cam.compute_cam draws for its top-1 class."""
    model = create_model("resnet18", num_classes=5).eval()
    val = load_dataset("shapes", 64, train_size=0, val_size=32).val
    watch = A.Watch(model, val, SHAPES_CLASSES, "resnet18", 64, (0.5,) * 3, (0.25,) * 3, "flip", torch.device("cpu"))
    shot = watch.capture(model, epoch=0)
    assert watch.layer == "layer3"  # 64 px: the registry's layer4 is 2x2, lab.cam moves one stage up
    for i in (0, 5):
        expected = compute_cam(model, watch.x[i], "gradcam", watch.layer)
        assert np.abs(shot["maps"][i].astype(float) / 255 - expected).max() <= 1 / 255 + 1e-4
        assert shot["preds"][i] == int(model(watch.x[i : i + 1]).argmax())
    assert shot["seconds"] < 2


def test_attention_moves_onto_the_object():
    """On Shapes, a short seeded run: the maps change from epoch 0 to the last, and the share of their heat
    inside the objects' boxes rises (measured on this run, not assumed)."""
    events = list(train(TrainConfig(**LEARNS)))
    f = A.frames(events)
    assert f.epochs == list(range(9))
    first, last = np.mean(f.in_box(0)), np.mean(f.in_box(-1))
    assert not np.array_equal(f.maps[0], f.maps[-1])
    assert np.abs(f.maps[0].astype(int) - f.maps[-1].astype(int)).mean() > 20  # not a last-bit difference
    assert last > first + 0.1, (first, last)
    assert sum(p == t for p, t in zip(f.preds[-1], f.labels)) > sum(p == t for p, t in zip(f.preds[0], f.labels))


def test_a_replayed_run_shows_the_same_frames(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(runs, "REPLAY_S", 0.1)
    config = TrainConfig(**TINY, epochs=2, out=str(tmp_path / "a" / "lenet5.pt"))
    trained = list(train(config, replay=True))
    replayed = list(train(dataclasses.replace(config, out=str(tmp_path / "b" / "lenet5.pt")), replay=True))
    assert replayed[0]["kind"] == "replay"
    a, b = A.frames(trained), A.frames(replayed)
    assert a.epochs == b.epochs == [0, 1, 2] and a.layer == b.layer and a.boxes == b.boxes
    assert np.array_equal(a.images, b.images) and all(np.array_equal(x, y) for x, y in zip(a.maps, b.maps))
    assert a.preds == b.preds and a.probs == b.probs and a.seconds == b.seconds


def test_the_record_deflates_the_frames():
    maps = np.repeat(np.linspace(0, 255, 64, dtype=np.uint8)[None, None], 64, 1).repeat(8, 0)  # smooth, 32 KiB
    blob = json.dumps({"m": maps}, default=runs._encode)
    assert len(blob) < maps.nbytes / 10
    assert np.array_equal(json.loads(blob, object_hook=runs._decode)["m"], maps)
    noise = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)  # any array still round-trips
    assert np.array_equal(json.loads(json.dumps([noise], default=runs._encode), object_hook=runs._decode)[0], noise)


def test_boxes_come_with_the_shapes_validation_set():
    val = load_dataset("shapes", 48, train_size=0, val_size=20, seed=3).val
    _, labels, boxes = make_shapes_tensors(20, 48, 7)  # the validation seed: 2 * seed + 1
    assert torch.equal(val.boxes, boxes) and torch.equal(val.labels, labels)
