"""lab.train: the event generator, the engine's choices, checkpoints, and the CLI. All runs are tiny."""
from __future__ import annotations

import dataclasses
import io
import json
import math
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lab import augment as A
from lab import runs
from lab import train as T
from lab.data import SHAPES_CLASSES, ImageSet, load_dataset
from lab.checkpoint import checkpoint_preprocessing, load_checkpoint
from lab.evaluate import evaluate
from lab.models import create_model, get_entry
from lab.models.weights import IMAGENET_MEAN, IMAGENET_STD, Pretrained, default_preprocessing
from lab.speed import Plan, cpu_threads
from lab.train import TrainConfig, train

ROOT = Path(__file__).resolve().parents[1]
# Explicit precision and layout skip the engine's probe, so these runs stay short.
TINY = dict(model="lenet5", train_size=128, val_size=64, batch_size=32, precision="fp32", memory_format="contiguous")


def run(**kwargs) -> list[dict]:
    return list(train(TrainConfig(**{**TINY, **kwargs})))


def test_tiny_run_yields_the_documented_events_and_learns(tmp_path):
    out = tmp_path / "run.pt"
    events = run(epochs=30, lr=5e-3, out=str(out))
    assert "32x32" in events[0]["message"]  # LeNet-5's fixed input size, said first
    events = [e for e in events if e["kind"] != "note"]
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "done" and events[-1]["done"] is True
    start = events[0]
    assert start["total_steps"] == 30 * (128 // 32) and start["class_names"] == list(SHAPES_CLASSES)
    steps = [e for e in events if e["kind"] == "step"]
    assert [e["step"] for e in steps] == list(range(1, start["total_steps"] + 1))
    for e in steps:
        assert {"step", "epoch", "train_loss", "lr", "images_per_sec", "eta_s"} <= set(e)
        assert math.isfinite(e["train_loss"]) and e["images_per_sec"] > 0 and e["eta_s"] >= 0
    assert steps[-1]["eta_s"] < steps[0]["eta_s"]
    epochs = [e for e in events if e["kind"] == "epoch"]
    assert [e["epoch"] for e in epochs] == list(range(1, 31))
    assert all(0 <= e["val_acc"] <= 1 and e["val_loss"] > 0 for e in epochs)
    # 128 images seen 30 times: the training loss falls well below chance level (ln 5 = 1.61).
    assert epochs[0]["train_loss"] > 1.4 and epochs[-1]["train_loss"] < 0.6 * epochs[0]["train_loss"]
    done = events[-1]
    assert done["val_acc"] == epochs[-1]["val_acc"] and not done["stopped"] and done["error"] is None
    cm = torch.tensor(done["confusion"])
    assert cm.shape == (5, 5) and cm.sum() == 64
    assert done["val_acc"] == pytest.approx(cm.diag().sum().item() / 64)
    per_class = cm.diag().float() / cm.sum(1).clamp_min(1).float()
    assert done["per_class_acc"] == pytest.approx(per_class.tolist())
    for ex in done["misclassified"]:
        assert ex["true"] != ex["pred"] and ex["image"].shape == (32, 32, 3)
    assert len(done["misclassified"]) == min(16, 64 - cm.diag().sum().item())
    # The checkpoint reproduces the final accuracy, loaded with weights_only=True.
    assert done["checkpoint"] == str(out)
    raw = torch.load(out, weights_only=True)
    assert set(raw) >= {"state_dict", "config", "class_names"} and raw["config"]["model"] == "lenet5"
    model, config, names = load_checkpoint(str(out))
    assert names == list(SHAPES_CLASSES) and config["image_size"] == 32 and config["in_channels"] == 3
    val = load_dataset("shapes", 32, train_size=128, val_size=64).val
    plan = Plan("fp32", "contiguous")
    result = evaluate(model, val, 32, *checkpoint_preprocessing(config).channel_stats(3), torch.device("cpu"), plan)
    assert result.acc == pytest.approx(done["val_acc"])


def test_learning_rate_schedule_warms_up_then_decays_to_zero():
    lrs = [T.lr_at(s, 100, 1.0, 0.1) for s in range(100)]
    assert lrs[:10] == pytest.approx([(s + 1) / 10 for s in range(10)])
    assert lrs[10] == pytest.approx(1.0) and lrs[55] == pytest.approx(0.5, abs=0.02)
    assert lrs[-1] < 0.001 and all(a >= b for a, b in zip(lrs[10:], lrs[11:]))


def test_stop_ends_the_run_cleanly_and_the_final_event_still_comes():
    stop = threading.Event()
    events = []
    for e in train(TrainConfig(**{**TINY, "epochs": 50}), stop):
        events.append(e)
        if e["kind"] == "step" and e["step"] == 3:
            stop.set()
    done = events[-1]
    assert done["done"] and done["stopped"] and done["error"] is None
    assert done["steps"] == 3 and done["total_steps"] == 200
    assert len(done["confusion"]) == 5  # evaluated with the weights reached
    assert not any(e["kind"] == "step" and e["step"] > 3 for e in events)


def test_background_run_stops_from_another_thread():
    bg = T.BackgroundRun(TrainConfig(**{**TINY, "epochs": 50})).start()
    while not any(e["kind"] == "step" for e in list(bg.events)):
        assert not bg.finished.wait(0.05)
    bg.stop.set()
    assert bg.finished.wait(60)
    assert bg.error is None and bg.final["stopped"] and bg.final["steps"] < 200


def test_a_diverging_loss_stops_with_an_explanation():
    events = run(epochs=3, lr=10.0, optimizer="sgd", weight_decay=0.0)
    done = events[-1]
    assert done["done"] and done["error"] and "learning rate" in done["error"] and "smaller" in done["error"]
    assert done["steps"] < done["total_steps"]


def test_out_of_memory_becomes_a_batch_size_sentence(monkeypatch):
    real = T.prepare_batch

    def oom(images, size, mean, std, augmentation="none", g=None, memory_format=torch.contiguous_format):
        if augmentation != "none":  # training batches only: the final evaluation still works
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(images, size, mean, std, augmentation, g, memory_format)

    monkeypatch.setattr(T, "prepare_batch", oom)
    done = run(epochs=1, augmentation="flip")[-1]
    assert "smaller batch" in done["error"] and "16" in done["error"]


def test_googlenet_aux_losses_are_weighted_by_0_3():
    y = torch.tensor([0, 1, 2])
    logits, aux2, aux1 = torch.randn(3, 3), torch.randn(3, 3), torch.randn(3, 3)
    loss, main = T._loss((logits, aux2, aux1), y)
    expected = F.cross_entropy(logits, y) + 0.3 * (F.cross_entropy(aux2, y) + F.cross_entropy(aux1, y))
    assert main is logits and loss.item() == pytest.approx(expected.item())
    loss, _ = T._loss((logits, None), y)  # Inception-v3 without its aux head in this pass
    assert loss.item() == pytest.approx(F.cross_entropy(logits, y).item())


def test_googlenet_trains_with_its_auxiliary_heads():
    events = run(model="googlenet", image_size=64, train_size=8, val_size=4, batch_size=4, epochs=1)
    assert events[-1]["error"] is None and events[-1]["steps"] == 2
    assert all(math.isfinite(e["train_loss"]) for e in events if e["kind"] == "step")


def test_pretrained_offline_falls_back_to_random_weights_with_a_note(offline, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))  # an empty weights cache
    events = run(model="resnet18", image_size=32, pretrained=True, freeze_backbone=True, epochs=1, train_size=64,
                 val_size=32)
    notes = [e["message"] for e in events if e["kind"] == "note"]
    assert any("unavailable" in n and "random weights" in n for n in notes)
    start = next(e for e in events if e["kind"] == "start")
    assert start["trainable_params"] == 512 * 5 + 5  # a linear probe trains only ResNet-18's fc
    assert events[-1]["done"] and events[-1]["error"] is None


def test_grey_images_become_three_channels_and_lenet_keeps_one():
    grey = torch.randint(0, 256, (4, 1, 28, 28), dtype=torch.uint8)
    x3 = A.prepare_batch(grey, 32, IMAGENET_MEAN, IMAGENET_STD)
    assert x3.shape == (4, 3, 32, 32)
    # The same grey value in every channel, normalised with each channel's ImageNet mean and std.
    back = x3 * torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) + torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    assert torch.allclose(back[:, 0], back[:, 1], atol=1e-5) and torch.allclose(back[:, 1], back[:, 2], atol=1e-5)
    assert A.prepare_batch(grey, 32, *default_preprocessing((1, 32, 32)).channel_stats(1)).shape == (4, 1, 32, 32)


def test_flip_augmentation_mirrors_or_keeps_each_image():
    images = torch.randint(0, 256, (16, 3, 24, 24), dtype=torch.uint8)
    plain = A.prepare_batch(images, 24, IMAGENET_MEAN, IMAGENET_STD)
    aug = A.prepare_batch(images, 24, IMAGENET_MEAN, IMAGENET_STD, "flip", torch.Generator().manual_seed(0))
    same = (aug - plain).abs().amax((1, 2, 3)) < 1e-4
    mirrored = (aug - plain.flip(-1)).abs().amax((1, 2, 3)) < 1e-4
    assert bool((same | mirrored).all()) and same.any() and mirrored.any()
    for preset in A.AUGMENTATIONS:
        out = A.prepare_batch(images, 32, IMAGENET_MEAN, IMAGENET_STD, preset, torch.Generator().manual_seed(1))
        assert out.shape == (16, 3, 32, 32) and torch.isfinite(out).all()
    pairs = A.preview_augmentation("crop_flip", views=3, image_size=48)
    assert len(pairs) == 9 and pairs[0][1] == "original" and pairs[0][0].size == (48, 48)


def test_bad_settings_are_sentences(offline, tmp_path):
    with pytest.raises(ValueError, match="image size"):
        list(train(TrainConfig(image_size=8)))
    with pytest.raises(ValueError, match="Unknown dataset"):
        list(train(TrainConfig(dataset="imagenet")))
    with pytest.raises(ValueError, match="Unknown model"):
        run(model="resnet19")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="No CUDA"):
            list(train(TrainConfig(device="cuda")))
    with pytest.raises(ValueError, match="could not be downloaded"):
        run(dataset="mnist", data_dir=str(tmp_path))
    with pytest.raises(ValueError, match="75x75"):
        run(model="inception_v3", image_size=32, train_size=4, val_size=2, batch_size=2)
    with pytest.raises(ValueError, match="mobilenet_v2 only"):
        run(model="resnet18", output_stride=16)
    with pytest.raises(ValueError, match="8, 16 or 32"):
        run(model="mobilenet_v2", output_stride=4)


def test_an_atrous_mobilenet_comes_back_from_its_checkpoint(tmp_path):
    """output_stride travels in the checkpoint's config: the model rebuilt from it has the same finer map."""
    out = tmp_path / "os16.pt"
    events = run(model="mobilenet_v2", output_stride=16, image_size=64, train_size=16, val_size=8, batch_size=8,
                 epochs=1, out=str(out))
    assert events[-1]["done"] and events[-1]["error"] is None
    model, config, _ = load_checkpoint(str(out))
    assert config["output_stride"] == 16
    assert model.features(torch.zeros(1, 3, 64, 64)).shape[-2:] == (4, 4)  # 64 / 16, not 64 / 32


def test_a_zip_of_your_own_images_trains(tmp_path):
    from PIL import Image

    path = tmp_path / "colours.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for c, rgb in (("red", (220, 30, 30)), ("blue", (30, 30, 220))):
            for i in range(10):
                img = Image.new("RGB", (40, 30), tuple(max(0, v - 7 * i) for v in rgb))
                buf = io.BytesIO()
                img.save(buf, "PNG")
                zf.writestr(f"{c}/{i}.png", buf.getvalue())
    events = run(dataset=str(path), epochs=3, batch_size=8)
    start = next(e for e in events if e["kind"] == "start")
    assert start["class_names"] == ["blue", "red"] and start["num_train"] == 16 and start["num_val"] == 4
    assert events[-1]["done"] and events[-1]["error"] is None


def test_checkpoints_are_loaded_without_unpickling(tmp_path):
    evil = tmp_path / "evil.pt"
    torch.save({"state_dict": {}, "config": {"model": "lenet5"}, "class_names": ["a"], "x": ImageSet(None, None)}, evil)
    with pytest.raises(ValueError, match="not a checkpoint"):
        load_checkpoint(str(evil))
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(2)}, other)
    with pytest.raises(ValueError, match="not a CNN Lab checkpoint"):
        load_checkpoint(str(other))


def test_cli_runs_the_same_engine(tmp_path):
    out = tmp_path / "cli.pt"
    cmd = [sys.executable, "-m", "lab.train", "--model", "lenet5", "--dataset", "shapes", "--epochs", "2",
           "--train-size", "64", "--val-size", "32", "--batch-size", "32", "--precision", "fp32",
           "--memory-format", "contiguous", "--out", str(out)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "val_acc" in proc.stdout and "epoch 2:" in proc.stderr and "4/4" in proc.stderr  # the progress bar
    model, config, names = load_checkpoint(str(out))
    assert config["epochs"] == 2 and names == list(SHAPES_CLASSES)
    bad = subprocess.run(cmd[:3] + ["--dataset", "nope"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert bad.returncode == 2 and "Unknown dataset" in bad.stderr


def _inputs_seen(monkeypatch) -> list[torch.Tensor]:
    """Every batch the run's own model receives while training (a forward pre-hook on it; not the probe's
    copy, not the evaluation)."""
    seen: list[torch.Tensor] = []
    real = T.build_model

    def build_and_watch(*args, **kwargs):
        model, preprocessing, notes = real(*args, **kwargs)

        def hook(module, inputs):
            if module is model and module.training:
                seen.append(inputs[0].detach().clone())

        model.register_forward_pre_hook(hook)
        return model, preprocessing, notes

    monkeypatch.setattr(T, "build_model", build_and_watch)
    return seen


def _pixels(x: torch.Tensor, mean, std) -> torch.Tensor:
    """Undo x' = (x − mean) / std: the uint8 pixel values back, if mean and std were the ones used."""
    return (x * torch.tensor(std).view(1, 3, 1, 1) + torch.tensor(mean).view(1, 3, 1, 1)) * 255


@pytest.mark.parametrize("mode", ["finetune", "scratch"])
def test_a_run_normalises_with_the_statistics_of_the_weights_it_loaded(mode, offline, monkeypatch, tmp_path):
    """MobileNet v1's timm weights were trained on (x − 0.5) / 0.5: a fine-tune feeds it exactly that, and
    its checkpoint says so; from scratch (random weights) the run uses ImageNet's statistics."""
    own = create_model("mobilenet_v1").state_dict()  # lab's key names, as a successful download would give
    monkeypatch.setattr(Pretrained, "state_dict", lambda self, name="": own)
    seen = _inputs_seen(monkeypatch)
    m = T.MODES[mode]
    out = tmp_path / f"{mode}.pt"
    with cpu_threads(1):  # explicit plan, one thread: no probe steps
        events = run(model="mobilenet_v1", image_size=32, train_size=32, val_size=16, batch_size=16, epochs=1,
                     augmentation="none", pretrained=m.pretrained, freeze_backbone=m.freeze_backbone, lr=m.lr,
                     out=str(out))
    assert events[-1]["error"] is None and not any("unavailable" in e.get("message", "") for e in events)
    expected = (0.5,) * 3 if mode == "finetune" else IMAGENET_MEAN, (0.5,) * 3 if mode == "finetune" else IMAGENET_STD
    assert get_entry("mobilenet_v1").preprocessing(pretrained=mode == "finetune").mean == expected[0]
    assert len(seen) == 2
    for x in seen:  # whole uint8 values in 0..255 again: normalised with exactly these statistics
        px = _pixels(x, *expected)
        assert px.min() > -0.01 and px.max() < 255.01 and torch.allclose(px, px.round(), atol=2e-3)
    other = (IMAGENET_MEAN, IMAGENET_STD) if mode == "finetune" else ((0.5,) * 3, (0.5,) * 3)
    assert not torch.allclose(_pixels(seen[0], *other), _pixels(seen[0], *other).round(), atol=2e-3)
    config = torch.load(out, weights_only=True)["config"]
    assert config["mean"] == pytest.approx(list(expected[0])) and config["std"] == pytest.approx(list(expected[1]))


def test_cli_mode_brings_its_learning_rate(offline, tmp_path, capsys):
    """``--mode linear_probe`` trains at the probe's learning rate, the Train tab's (lab.transfer.MODES);
    an explicit ``--lr`` still wins."""
    base = ["--model", "lenet5", "--epochs", "1", "--train-size", "32", "--val-size", "16", "--batch-size", "16",
            "--precision", "fp32", "--memory-format", "contiguous"]
    for extra, lr in ((["--mode", "linear_probe"], T.MODES["linear_probe"].lr),
                      (["--mode", "linear_probe", "--lr", "0.003"], 0.003), ([], T.MODES["scratch"].lr)):
        out = tmp_path / "cli.pt"
        assert T.main(base + extra + ["--out", str(out)]) == 0
        config = load_checkpoint(str(out))[1]
        assert config["lr"] == lr
        assert config["freeze_backbone"] == ("linear_probe" in extra)
    assert T.MODES["linear_probe"].lr == 1e-2  # the figure the tab's mode_info quotes


def test_the_course_crop_samples_8_to_100_percent_of_the_area():
    # The notes' RandomResizedCrop(224) keeps torchvision's default scale=(0.08, 1.0).
    theta = A._affine_params(4000, "crop_flip", torch.Generator().manual_seed(0))
    area = (theta[:, 0, 0].abs() * theta[:, 1, 1].abs())  # the crop's side fractions, multiplied
    assert A.AREA == (0.08, 1.0)
    assert 0.08 - 1e-6 <= area.min() < 0.1 and area.max() > 0.95

# ------------------------------------------------------------------------ reproducibility and replay

TIMING = {"images_per_sec", "eta_s", "wall_s", "setup_s", "probe", "checkpoint", "seconds"}  # the clock's, not the run's


def _outcome(events: list[dict]) -> str:
    """The events minus what the clock decides, as exact JSON (floats to the last bit, images as bytes)."""
    kept = [{k: v for k, v in e.items() if k not in TIMING} for e in events]
    return json.dumps(kept, default=runs._encode, sort_keys=True)


def _weights(path) -> dict[str, torch.Tensor]:
    return torch.load(path, weights_only=True)["state_dict"]


def test_two_seeded_runs_with_pinned_threads_are_identical(tmp_path, monkeypatch):
    """Pinned threads, the plan probed afresh for the first run and cached for the second (the probe must
    not move the random stream): the same losses, accuracies, confusion, mistakes and weights, bit for bit."""
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(T, "ThreadTuner", lambda *a: pytest.fail("a pinned run is not tuned"))
    threads = 1  # two threads on this shared 2-core machine take 10x longer; pinned is pinned
    config = dict(TINY, epochs=2, precision="auto", memory_format="auto", augmentation="crop_flip", threads=threads)
    first = run(**config, out=str(tmp_path / "a.pt"))
    second = run(**config, out=str(tmp_path / "b.pt"))
    assert first[-1]["error"] is None and first[-1]["steps"] == 8
    assert {e["threads"] for e in first if e["kind"] == "step"} == {threads}
    assert _outcome(first) == _outcome(second)
    a, b = _weights(tmp_path / "a.pt"), _weights(tmp_path / "b.pt")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert _outcome(run(**{**config, "seed": 1})) != _outcome(first)  # the comparison can fail


def test_a_finished_run_is_replayed_and_a_changed_one_trains_anew(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(runs, "REPLAY_S", 0.6)
    config = TrainConfig(**{**TINY, "epochs": 2, "threads": 1, "out": str(tmp_path / "first" / "lenet5.pt")})
    original = list(train(config, replay=True))
    assert original[0]["kind"] != "replay" and original[-1]["error"] is None
    assert runs.has_record(runs.run_key(dataclasses.asdict(config), torch.device("cpu")))

    real_run = T._run
    monkeypatch.setattr(T, "_run", lambda *a: pytest.fail("trained again"))
    again = dataclasses.replace(config, out=str(tmp_path / "second" / "lenet5.pt"))
    t0 = time.perf_counter()
    replayed = list(train(again, replay=True))
    assert 0.5 < time.perf_counter() - t0 < 5  # at a readable pace, not at once, not as long as training
    assert replayed[0] == {"kind": "replay", "wall_s": original[-1]["wall_s"]}
    assert replayed[-1]["checkpoint"] == again.out
    expected = original[:-1] + [{**original[-1], "checkpoint": again.out}]
    assert json.dumps(replayed[1:], default=runs._encode) == json.dumps(expected, default=runs._encode)
    assert Path(again.out).read_bytes() == Path(config.out).read_bytes()

    monkeypatch.setattr(T, "_run", real_run)
    for change in ({"seed": 1}, {"lr": 1e-3}, {"threads": 0}):
        fresh = list(train(dataclasses.replace(again, **change), replay=True))
        assert fresh[0]["kind"] != "replay" and fresh[-1]["error"] is None, change
    assert runs.run_key(dataclasses.asdict(dataclasses.replace(config, threads=0)), torch.device("cpu")) is None


def test_a_stopped_or_diverged_run_is_not_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path / "cache"))
    config = TrainConfig(**{**TINY, "epochs": 20, "threads": 1, "out": str(tmp_path / "run.pt")})
    key = runs.run_key(dataclasses.asdict(config), torch.device("cpu"))
    stop = threading.Event()
    for e in train(config, stop, replay=True):
        if e["kind"] == "step":
            stop.set()
    assert e["stopped"] and runs.load_record(key) is None and not runs.has_record(key)
    diverging = dataclasses.replace(config, epochs=2, lr=10.0, optimizer="sgd", weight_decay=0.0)
    assert list(train(diverging, replay=True))[-1]["error"]
    assert runs.load_record(runs.run_key(dataclasses.asdict(diverging), torch.device("cpu"))) is None


# -------------------------------------------------------------------------------------------- faults


@pytest.mark.parametrize("fault", ["crash", "oom_error", "oom_runtime", "nan"])
def test_a_fault_in_a_step_ends_the_run_and_the_next_one_trains(fault, monkeypatch):
    """A step that raises, runs out of memory or returns NaN ends its run (with a sentence, or the error for
    the tab to report); the next run in the same process trains normally."""
    real = T.train_step
    calls = []

    def faulty(*args):
        calls.append(1)
        if len(calls) == 3:
            if fault == "crash":
                raise ZeroDivisionError("a bug inside a step")
            if fault == "oom_error":
                raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
            if fault == "oom_runtime":
                raise RuntimeError("DefaultCPUAllocator: not enough memory: out of memory")
            return float("nan"), args[2].new_zeros(len(args[3]), 5)
        return real(*args)

    monkeypatch.setattr(T, "train_step", faulty)
    bad = T.BackgroundRun(TrainConfig(**{**TINY, "epochs": 3})).start()
    assert bad.finished.wait(60)
    if fault == "crash":
        assert isinstance(bad.error, ZeroDivisionError) and bad.final is None
    else:
        assert bad.error is None and bad.final["steps"] == 2
        assert ("smaller batch" if fault.startswith("oom") else "diverged") in bad.final["error"]
    monkeypatch.setattr(T, "train_step", real)
    good = T.BackgroundRun(TrainConfig(**{**TINY, "epochs": 1})).start()
    assert good.finished.wait(60) and good.error is None and good.final["error"] is None


def test_a_run_folder_left_running_by_another_process_is_a_lost_run(tmp_path, monkeypatch):
    folder = tmp_path / f"{runs.RUN_PREFIX}abc123-x"
    folder.mkdir()
    runs.mark(folder, "running")
    assert not runs.lost_run("abc123", root=tmp_path)  # this process's own run is still going
    monkeypatch.setattr(runs, "BOOT", "a-restarted-app")
    assert runs.lost_run("abc123", root=tmp_path) and not runs.lost_run("other", root=tmp_path)
    runs.mark(folder, "done")
    assert not runs.lost_run("abc123", root=tmp_path)


def test_the_record_key_counts_what_decides_the_result_and_nothing_else(tmp_path):
    """An uploaded zip counts by its content (its temporary path changes per upload); the checkpoint's path and
    the data folder do not count; every setting that changes the result does."""
    a, b, c = tmp_path / "a.zip", tmp_path / "b.zip", tmp_path / "c.zip"
    for path, payload in ((a, b"same"), (b, b"same"), (c, b"other")):
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("x/0.png", payload)
    cpu = torch.device("cpu")

    def key(**changes):
        return runs.run_key(dataclasses.asdict(TrainConfig(**{"threads": 1, **changes})), cpu)

    assert key(dataset=str(a)) == key(dataset=str(b)) != key(dataset=str(c))
    assert key() == key(out="/elsewhere/model.pt", data_dir="/other/data")
    changed = [key(**{f: v}) for f, v in (("seed", 1), ("lr", 1e-3), ("epochs", 2), ("batch_size", 32),
                                          ("augmentation", "none"), ("model", "lenet5"), ("threads", 2))]
    assert len({key(), *changed}) == len(changed) + 1
