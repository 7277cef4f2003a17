"""lab.digest: a request's key is its files' bytes, not their names."""
from __future__ import annotations

import os
import shutil

from PIL import Image

from lab.digest import content_key, file_digest


def _image(path, colour):
    Image.new("RGB", (8, 8), colour).save(path)
    return str(path)


def test_the_same_bytes_under_two_names_are_one_key_and_other_bytes_another(tmp_path):
    a = _image(tmp_path / "cat.png", "red")
    b = shutil.copy(a, tmp_path / "my photo.png")
    c = _image(tmp_path / "dog.png", "blue")
    assert content_key(a) == content_key(str(b)) == ("file", file_digest(a))
    assert content_key(a) != content_key(c)
    # Gradio's upload record: its name, URL and size say nothing the bytes do not.
    record = {"path": str(b), "url": "http://x/b", "orig_name": "my photo.png", "meta": {"_type": "gradio.FileData"}}
    assert content_key(record) == content_key(a)
    assert content_key([record, "resnet18", 0.5, None]) == [content_key(a), "resnet18", 0.5, None]


def test_a_file_rewritten_in_place_gets_a_new_key(tmp_path):
    path = _image(tmp_path / "x.png", "red")
    before = content_key(path)
    _image(path, "green")
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the file system's clock resolution
    assert content_key(path) != before


def test_names_that_are_not_files_stay_as_they_are(tmp_path):
    assert content_key("resnet18") == "resnet18"
    assert content_key("relative/path.png") == "relative/path.png"  # only absolute paths are read
    assert content_key(str(tmp_path / "missing.png")) == str(tmp_path / "missing.png")
    assert content_key({"path": None, "x": 1}) == {"path": None, "x": 1}
