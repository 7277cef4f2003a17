"""Content addresses: the key of a request is what it asks for, not where its files lie.

Two students who upload the same photo send two files with different names; a cache keyed on names would
compute the CAM twice, and one keyed on the path of a file that was since replaced would answer with the
old result. :func:`content_key` replaces every file in a request's inputs by the SHA-256 of its bytes, so
equal requests get equal keys on any machine, after a restart, and on every replica of a Space.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Any

_CHUNK = 1 << 20
_MEMO_SIZE = 512
_memo: OrderedDict[tuple[str, int, int], str] = OrderedDict()  # (path, size, mtime_ns) -> digest
_memo_lock = threading.Lock()


def file_digest(path: str | os.PathLike) -> str:
    """The SHA-256 of the file's bytes (hex). Remembered per (path, size, modification time), so a 45 MB
    checkpoint is read once, and a file rewritten in place is read again."""
    st = os.stat(path)
    memo_key = (os.fspath(path), st.st_size, st.st_mtime_ns)
    with _memo_lock:
        if memo_key in _memo:
            _memo.move_to_end(memo_key)
            return _memo[memo_key]
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    digest = h.hexdigest()
    with _memo_lock:
        _memo[memo_key] = digest
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return digest


def _file(path: Any) -> str | None:
    """The digest of ``path`` if it names an existing file by an absolute path, else None."""
    if isinstance(path, (str, os.PathLike)) and os.path.isabs(path) and os.path.isfile(path):
        return file_digest(path)
    return None


def content_key(value: Any) -> Any:
    """``value`` with every file replaced by ``("file", sha256)``: an absolute path to an existing file, or a
    mapping with a ``path`` (Gradio's upload record, whose name, URL and size say nothing the bytes do not).
    Lists, tuples and dicts are walked; anything else is returned as it is."""
    if isinstance(value, dict):
        digest = _file(value.get("path"))
        if digest is not None:
            return ("file", digest)
        return {k: content_key(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(content_key(v) for v in value)
    digest = _file(value)
    return value if digest is None else ("file", digest)
