"""A submission from a finished run: test images from a zip (or a Hub set), labelled by a checkpoint, as
``id,label`` rows; and the sentences for a zip with no images, duplicate ids, no `datasets`, offline."""
from __future__ import annotations

import sys
import types
import zipfile
from pathlib import Path

import pytest


from lab import submission as S
from lab.submission import predict, submission_csv

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SHAPES = ["circle", "cross", "square", "star"]


def _zip(path: Path, files: dict[str, bytes]) -> str:
    with zipfile.ZipFile(path, "w") as z:
        for name, blob in files.items():
            z.writestr(name, blob)
    return str(path)


def test_the_shipped_shapes_model_labels_a_zip_of_test_images(tmp_path):
    files = {f"test/{name}.png": (ASSETS / f"shapes_{name}.png").read_bytes() for name in SHAPES}
    files["test/notes.txt"] = b"not an image"
    files["test/broken.jpg"] = b"\xff\xd8 not a jpeg"
    images, skipped = S.images_from_zip(_zip(tmp_path / "test.zip", files))
    assert [k for k, _ in images] == ["broken", *SHAPES] and [s.name for s in skipped] == ["test/notes.txt"]
    result = predict(str(ASSETS / "shapes_model.pt"), images)
    assert result.rows == [(n, n) for n in SHAPES]  # the shipped model gets its own example images right
    assert [k for k, _ in result.skipped] == ["broken"]
    assert submission_csv(result.rows).splitlines() == ["id,label", "circle,circle", "cross,cross", "square,square",
                                                         "star,star"]


def test_a_zip_without_images_or_with_one_id_twice_is_a_sentence(tmp_path):
    with pytest.raises(ValueError, match="no images"):
        S.images_from_zip(_zip(tmp_path / "a.zip", {"readme.txt": b"hi"}))
    png = (ASSETS / "shapes_star.png").read_bytes()
    with pytest.raises(ValueError, match="Two images in the zip are called 'x'"):
        S.images_from_zip(_zip(tmp_path / "b.zip", {"a/x.png": png, "b/x.png": png}))
    with pytest.raises(ValueError, match="no images to label"):
        predict(str(ASSETS / "shapes_model.pt"), [])


def test_a_hub_set_without_datasets_installed_says_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "datasets", None)  # import datasets -> ImportError
    with pytest.raises(ValueError, match="install `datasets`"):
        S.hub_images("beans")
    with pytest.raises(ValueError, match="not a Hugging Face dataset name"):
        S.hub_images("../etc/passwd")


def test_a_hub_set_offline_is_the_same_sentence_as_torchvisions(monkeypatch, tmp_path):
    calls = []

    def load_dataset(name, split, cache_dir):  # what datasets raises with no network and nothing cached
        calls.append((name, split, cache_dir))
        raise ConnectionError("Couldn't reach 'beans' on the Hub (LocalEntryNotFoundError)")

    monkeypatch.setitem(sys.modules, "datasets", types.SimpleNamespace(load_dataset=load_dataset))
    with pytest.raises(ValueError) as err:
        S.hub_images("beans", "test", data_dir=str(tmp_path))
    assert "is not in the data folder" in str(err.value) and "could not be downloaded" in str(err.value)
    assert "Connect to the internet once" in str(err.value)
    assert calls == [("beans", "test", str(tmp_path / "hf"))]  # cached under the data folder, as torchvision's
