"""lab.data: the Shapes generator, reading a zip without trusting it, torchvision sets offline."""
from __future__ import annotations

import io
import stat
import time
import zipfile

import numpy as np
import pytest
import torch
from PIL import Image

from lab.data import (
    SHAPES_CLASSES,
    UnsafeZipError,
    from_zip,
    load_dataset,
    load_torchvision,
    make_shapes,
    make_shapes_tensors,
)


# ---------------------------------------------------------------------------------------------- Shapes


def test_make_shapes_samples_have_image_label_box():
    samples = make_shapes(50, image_size=64, seed=3)
    assert len(samples) == 50
    for s in samples:
        assert s.image.mode == "RGB" and s.image.size == (64, 64)
        assert 0 <= s.label < len(SHAPES_CLASSES)
        x0, y0, x1, y1 = s.box
        assert 0 <= x0 < x1 <= 64 and 0 <= y0 < y1 <= 64
    assert len(SHAPES_CLASSES) >= 5
    assert {"circle", "square", "triangle", "star", "cross"} <= set(SHAPES_CLASSES)


def test_shapes_are_deterministic_per_seed_and_differ_across_seeds():
    a = make_shapes_tensors(40, 32, seed=7)
    b = make_shapes_tensors(40, 32, seed=7)
    c = make_shapes_tensors(40, 32, seed=8)
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not torch.equal(a[0], c[0])
    # The PIL path draws the same pixels as the tensor path.
    pil = make_shapes(40, 32, seed=7)
    assert np.array_equal(np.asarray(pil[5].image), a[0][5].permute(1, 2, 0).numpy())
    assert pil[5].box == tuple(a[2][5].tolist()) and pil[5].label == int(a[1][5])


def test_shapes_classes_are_balanced_and_tensors_typed():
    images, labels, boxes = make_shapes_tensors(1000, 48, seed=0)
    assert images.shape == (1000, 3, 48, 48) and images.dtype == torch.uint8
    assert labels.dtype == torch.int64 and boxes.shape == (1000, 4)
    counts = torch.bincount(labels, minlength=len(SHAPES_CLASSES))
    assert counts.min() > 150  # uniform over 5 classes: 200 each, give or take sampling noise
    # Cluttered, noisy backgrounds: no image is flat, and backgrounds vary widely across images.
    assert images.float().std(dim=(1, 2, 3)).min() > 5
    assert images[:, :, 0, 0].float().std() > 40


def test_boxes_are_tight_around_the_shape():
    """Circles have square boxes of the drawn diameter; the box holds the shape's colour, rows outside do not."""
    images, labels, boxes = make_shapes_tensors(300, 64, seed=1)
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    circles = labels == SHAPES_CLASSES.index("circle")
    assert circles.sum() > 20
    assert (w[circles] - h[circles]).abs().max() <= 1
    # radius 0.17..0.41 of the image, circle drawn at 0.95 of it: diameters 20.7..49.9 px at 64 px
    assert w[circles].min() >= 19 and w[circles].max() <= 51
    # Every shape is at least ~1/4 of the image wide in its larger side, never wider than the image.
    assert torch.maximum(w, h).min() >= 14 and torch.maximum(w, h).max() <= 64


def test_shapes_are_fast():
    make_shapes_tensors(10, 64)
    t = time.perf_counter()
    make_shapes_tensors(2000, 64, seed=2)
    rate = 2000 / (time.perf_counter() - t)
    assert rate > 500, f"{rate:.0f} images/s"  # ~3,000/s on one idle core; generous for a busy machine


def test_bad_shapes_arguments_are_sentences():
    with pytest.raises(ValueError, match="pixels"):
        make_shapes_tensors(4, image_size=8)
    with pytest.raises(ValueError, match="whole number"):
        make_shapes_tensors(-1)


def test_too_many_shapes_for_memory_is_a_sentence():
    with pytest.raises(ValueError, match="GiB of memory"):
        load_dataset("shapes", 512, train_size=5000)


def test_shapes_splits_use_different_seeds_for_train_and_val():
    splits = load_dataset("shapes", 32, train_size=64, val_size=32, seed=0)
    assert len(splits.train) == 64 and len(splits.val) == 32
    assert splits.class_names == list(SHAPES_CLASSES)
    assert not torch.equal(splits.train.images[:32], splits.val.images)


# ------------------------------------------------------------------------------------------------ zips


def _png(color=(200, 30, 30), size=(20, 14)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def _zip(path, entries: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> str:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return str(path)


def test_zip_with_train_and_val_folders(tmp_path):
    entries = {f"train/cat/{i}.png": _png((200, 0, 0)) for i in range(4)}
    entries |= {f"train/dog/{i}.png": _png((0, 0, 200)) for i in range(3)}
    entries |= {"val/cat/a.png": _png((200, 0, 0)), "val/dog/b.png": _png((0, 0, 200))}
    splits = from_zip(_zip(tmp_path / "pets.zip", entries), image_size=16)
    assert splits.class_names == ["cat", "dog"]
    assert splits.train.images.shape == (7, 3, 16, 16) and splits.val.images.shape == (2, 3, 16, 16)
    assert splits.train.labels.tolist() == [0, 0, 0, 0, 1, 1, 1]
    # Pixels survive the resize: cat images are red, dog images blue.
    assert splits.val.images[0, 0].float().mean() > 190 and splits.val.images[1, 2].float().mean() > 190
    assert splits.skipped == []


def test_zip_of_class_folders_is_split_per_class_and_wrapper_folder_is_ignored(tmp_path):
    entries = {f"mydata/{c}/{i}.png": _png() for c in ("a", "b", "c") for i in range(10)}
    splits = from_zip(_zip(tmp_path / "d.zip", entries), image_size=16, val_fraction=0.2)
    assert splits.class_names == ["a", "b", "c"]
    assert len(splits.val) == 6 and len(splits.train) == 24
    assert torch.bincount(splits.val.labels).tolist() == [2, 2, 2]
    assert any("held out" in n for n in splits.notes)


def test_unreadable_and_non_image_files_are_skipped_and_reported(tmp_path):
    entries = {f"train/{c}/{i}.png": _png() for c in ("x", "y") for i in range(2)}
    huge = io.BytesIO()
    Image.new("1", (8000, 6000)).save(huge, "PNG")  # 48 megapixels in a few kB: refused before decoding
    entries |= {"train/x/broken.jpg": b"not a jpeg at all", "train/y/readme.txt": b"hello", ".DS_Store": b"",
                "train/y/huge.png": huge.getvalue()}
    splits = from_zip(_zip(tmp_path / "d.zip", entries), image_size=16)
    reasons = {s.name: s.reason for s in splits.skipped}
    assert "unreadable" in reasons["train/x/broken.jpg"]
    assert "8000×6000" in reasons["train/y/huge.png"]
    assert "not an image" in reasons["train/y/readme.txt"]
    assert ".DS_Store" not in reasons  # hidden files are not data: silently ignored
    assert len(splits.train) + len(splits.val) == 4


def test_a_phone_photo_in_a_zip_trains_upright(tmp_path):
    """A portrait photo stored sideways with an EXIF "rotate 90°" tag: the zip reader applies the tag (the
    same decoder as uploads), so the image the trainer gets is upright, like the one the student sees."""
    stored = Image.new("RGB", (60, 40), (20, 20, 220))  # landscape as stored: blue, with a red left third
    stored.paste((220, 20, 20), (0, 0, 20, 40))
    exif = stored.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view": the viewer shows a 40×60 portrait, red on top
    buf = io.BytesIO()
    stored.save(buf, "JPEG", exif=exif, quality=95)
    entries = {f"train/{c}/{i}.jpg": buf.getvalue() for c in ("x", "y") for i in range(3)}
    splits = from_zip(_zip(tmp_path / "phone.zip", entries), image_size=32)
    img = torch.cat([splits.train.images, splits.val.images])[0].float()  # 3 x 32 x 32, the centre square
    top, bottom = img[:, :4].mean(dim=(1, 2)), img[:, -4:].mean(dim=(1, 2))
    assert top[0] > 150 and top[2] < 100  # red at the top: rotated upright
    assert bottom[2] > 150 and bottom[0] < 100  # blue below
    left, right = img[:, 12:20, :4].mean(dim=(1, 2)), img[:, 12:20, -4:].mean(dim=(1, 2))
    assert torch.allclose(left, right, atol=30)  # no red stripe down one side (as it would be, sideways)


@pytest.mark.parametrize(
    "name", ["../evil.png", "train/../../evil.png", "/etc/evil.png", "C:/evil.png", "train\\..\\..\\evil.png"]
)
def test_zip_entries_escaping_the_folder_are_refused(tmp_path, name):
    entries = {f"train/{c}/{i}.png": _png() for c in ("x", "y") for i in range(2)} | {name: _png()}
    with pytest.raises(UnsafeZipError, match="outside its folder"):
        from_zip(_zip(tmp_path / "d.zip", entries))


def test_zip_symlinks_are_refused(tmp_path):
    entries = {f"train/{c}/{i}.png": _png() for c in ("x", "y") for i in range(2)}
    with pytest.raises(UnsafeZipError, match="symbolic link"):
        from_zip(_zip(tmp_path / "d.zip", entries, symlinks=("train/x/link.png",)))


def test_zip_size_and_count_limits(tmp_path):
    entries = {f"train/{c}/{i}.png": _png() for c in ("x", "y") for i in range(5)}
    path = _zip(tmp_path / "d.zip", entries)
    assert isinstance(UnsafeZipError("x"), ValueError)
    with pytest.raises(UnsafeZipError, match="limit"):
        from_zip(path, max_total_bytes=100)
    with pytest.raises(UnsafeZipError, match="entries"):
        from_zip(path, max_files=5)
    # A zip bomb: tiny compressed, huge uncompressed; refused from the headers, before anything is read.
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("train/x/a.png", _png())
        zf.writestr("train/y/b.bmp", b"\0" * (3 << 20))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(UnsafeZipError, match="MiB"):
        from_zip(bomb, max_total_bytes=2 << 20)


def test_zip_needs_two_classes_each_with_a_readable_image(tmp_path):
    with pytest.raises(ValueError, match="at least two"):
        from_zip(_zip(tmp_path / "one.zip", {"train/x/a.png": _png(), "train/x/b.png": _png()}))
    entries = {"train/x/a.png": _png(), "train/x/b.png": _png(), "train/y/a.png": b"garbage"}
    with pytest.raises(ValueError, match="'y' has no readable image"):
        from_zip(_zip(tmp_path / "empty_class.zip", entries))
    with pytest.raises(ValueError, match="not a readable zip"):
        (tmp_path / "fake.zip").write_bytes(b"PK nonsense")
        from_zip(tmp_path / "fake.zip")


# ----------------------------------------------------------------------------------------- torchvision


def test_torchvision_sets_offline_give_a_sentence_fast(tmp_path, offline):
    """With no network and an empty data folder, a clear ValueError comes within seconds, not a hang."""
    t = time.perf_counter()
    with pytest.raises(ValueError, match="could not be downloaded.*Shapes"):
        load_torchvision("mnist", data_dir=str(tmp_path))
    assert time.perf_counter() - t < 30
    with pytest.raises(ValueError, match="Unknown dataset"):
        load_dataset("imagenet-22k")
