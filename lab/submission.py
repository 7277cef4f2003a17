"""A submission, as a competition asks for one (the course's exercise): a finished run's checkpoint labels a
folder of test images, written as ``id,label`` rows.

The test images come from an uploaded zip (:func:`images_from_zip`: any folders, the id is the file name
without its extension) or a Hugging Face Hub image-classification set (:func:`hub_images`, the optional
``datasets`` library); :func:`predict` prepares each as the run validated and labels it;
:func:`submission_csv` writes the file.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch

from lab.augment import prepare_batch, validation_resize
from lab.checkpoint import checkpoint_preprocessing, load_checkpoint
from lab.data import (DEFAULT_DATA_DIR, IMAGE_EXTENSIONS, SkippedFile, _open_zip, _read_member, socket_timeout)
from lab.images import ImageSource, center_crop, load_image


def images_from_zip(path: str | os.PathLike, *, max_total_bytes: int = 1 << 30,
                    max_files: int = 20_000) -> tuple[list[tuple[str, bytes]], list[SkippedFile]]:
    """The unlabelled test images of a zip, in any folders, for a submission: ``[(id, file bytes)]`` sorted by
    id, where the id is the file name without its extension (``test/0042.jpg`` -> ``0042``), and the files
    that are not images. Read without trusting the zip, as :func:`lab.data.from_zip`.

    Raises:
        ValueError: not a zip, no image in it, or two images with the same id (in different folders).
    """
    zf, files, skipped = _open_zip(path, max_files, max_total_bytes)
    with zf:
        if not files:
            raise ValueError(f"The zip has no images ({', '.join(IMAGE_EXTENSIONS[:3])}, …). Put the test images "
                             f"in it, in any folder.")
        found: dict[str, bytes] = {}
        for info, parts in files:
            key = os.path.splitext(parts[-1])[0]
            if key in found:
                raise ValueError(f"Two images in the zip are called {key!r}: an id must be unique. Rename one.")
            try:
                found[key] = _read_member(zf, info)
            except Exception as e:  # a broken member is the student's data: reported, not fatal
                skipped.append(SkippedFile(info.filename, f"unreadable ({type(e).__name__}: {e})"[:200]))
    return sorted(found.items()), skipped


HUB_EXAMPLE = "beans"  # a small image-classification set on the Hugging Face Hub (1,295 leaf photos, 3 classes)


def hub_images(name: str, split: str = "test", data_dir: str = DEFAULT_DATA_DIR, limit: int = 2000,
               timeout: float = 15.0) -> list[tuple[str, Any]]:
    """The images of a Hugging Face Hub image-classification set (``datasets`` library), for a submission:
    ``[(id, PIL image)]``, at most ``limit``, downloaded once into ``data_dir/hf`` (the cache reused offline).
    The id is the file name without its extension where the set names its files, else ``<split>_<index>``.

    Raises:
        ValueError: ``datasets`` is not installed; a name that is no Hub id; the set neither cached nor
            downloadable (the same sentence as :func:`load_torchvision`'s); a set without an image column.
    """
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?", name or "") or not re.fullmatch(r"[\w.-]+", split or ""):
        raise ValueError(f"{str(name)[:60]!r} is not a Hugging Face dataset name: type one such as {HUB_EXAMPLE!r} "
                         f"or 'owner/name', and a split such as 'test'.")
    try:
        import datasets  # optional: not a requirement of CNN Lab
    except ImportError:
        raise ValueError("Loading a Hugging Face dataset needs the datasets library, which is not installed here: "
                         "install `datasets` (pip install datasets), or upload a zip of images.") from None
    cache = os.path.join(data_dir, "hf")
    try:
        with socket_timeout(timeout):
            ds = datasets.load_dataset(name, split=split, cache_dir=cache)
    except Exception as e:  # offline, a name or split the Hub does not have, a half-written cache…
        raise ValueError(
            f"{name} ({split}) is not in the data folder ({os.path.abspath(cache)}) and could not be downloaded "
            f"({' '.join(str(e).split())[:120] or type(e).__name__}). Connect to the internet once, check the name "
            f"and split on huggingface.co/datasets, or upload a zip of images."
        ) from None
    column = next((c for c, f in ds.features.items() if type(f).__name__ == "Image"), None)
    if column is None:
        raise ValueError(f"{name} has no image column ({', '.join(ds.column_names)}): choose an image-classification "
                         f"set such as {HUB_EXAMPLE!r}.")
    paths = ds["image_file_path"][:limit] if "image_file_path" in ds.column_names else None
    out = []
    for i in range(min(len(ds), limit)):
        key = os.path.splitext(os.path.basename(paths[i]))[0] if paths else f"{split}_{i}"
        out.append((key, ds[i][column]))
    return out


@dataclass
class Predictions:
    """What :func:`predict` labelled: ``rows`` of ``(id, class name)``, and ``skipped`` ``(id, why)``."""

    rows: list[tuple[str, str]]
    skipped: list[tuple[str, str]]


def predict(checkpoint: str, images: Sequence[tuple[str, ImageSource]], batch_size: int = 64) -> Predictions:
    """The class a finished run's ``checkpoint`` predicts for each ``(id, image)`` (a path, file bytes or a
    PIL image), each image prepared as the run validated: its training size and normalisation and, for a
    recipe that trains on random crops, the notes' Resize(size·256/224) + CenterCrop(size), in one resample
    from the file. An image that cannot be read is skipped and listed.

    Raises:
        ValueError: no images, none readable, or a checkpoint that cannot be read
            (:func:`lab.checkpoint.load_checkpoint`).
    """
    if not images:
        raise ValueError("There are no images to label. Upload a zip of test images.")
    model, config, names = load_checkpoint(checkpoint)
    size = int(config.get("image_size", 64))
    channels = int(config.get("in_channels", 3))
    mean, std = checkpoint_preprocessing(config).channel_stats(channels)
    resize = validation_resize(config.get("augmentation", "none"), size) or size
    pixels, skipped = [], []
    for key, source in images:
        try:
            im = center_crop(load_image(source, draft=resize).convert("L" if channels == 1 else "RGB"), size, resize)
        except Exception as e:  # the student's file, not our bug: listed
            skipped.append((key, f"{type(e).__name__}: {e}"[:200]))
            continue
        pixels.append((key, torch.from_numpy(np.asarray(im).copy()).reshape(size, size, -1).permute(2, 0, 1)))
    if not pixels:
        raise ValueError(f"None of the {len(images)} images could be read (first: {skipped[0][0]}: {skipped[0][1]}).")
    rows = []
    with torch.inference_mode():
        for i in range(0, len(pixels), batch_size):
            chunk = pixels[i : i + batch_size]
            out = model(prepare_batch(torch.stack([x for _, x in chunk]), size, mean, std))
            pred = (out[0] if isinstance(out, tuple) else out).argmax(1).tolist()
            rows += [(key, names[k]) for (key, _), k in zip(chunk, pred)]
    return Predictions(rows, skipped)


def submission_csv(rows: Sequence[tuple[str, str]]) -> str:
    """A submission file's text: the header ``id,label``, then one row per image (quoted where needed)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "label"])
    writer.writerows(rows)
    return buf.getvalue()
