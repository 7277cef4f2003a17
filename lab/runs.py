"""Where the Train tab's runs leave their checkpoints, so the Inside tab can look inside the network just trained.

The Train tab writes one checkpoint per browser session into a folder ``<temp dir>/cnnlab-train-<session>-*/``
(:func:`new_run_dir` makes one); :func:`latest_checkpoints` lists what is there, newest first. In a class,
each student's "the run I just trained" is their own: the folder names the browser session.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

RUN_PREFIX = "cnnlab-train-"


def _tag(session: str) -> str:
    """A session id as a safe folder-name part (no user text reaches a path as it is)."""
    return re.sub(r"[^A-Za-z0-9]", "", session)[:40] or "any"


def new_run_dir(session: str = "") -> str:
    """A fresh folder for one training run's checkpoint (under the system's temp dir), named by ``session``."""
    return tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{_tag(session)}-")


def latest_checkpoints(limit: int = 5, root: str | Path | None = None, session: str | None = None) -> list[Path]:
    """The checkpoints (``*.pt``) of the Train tab's runs, newest first, at most ``limit``; only those of
    ``session`` when it is given."""
    base = Path(root or tempfile.gettempdir())
    pattern = f"{RUN_PREFIX}{_tag(session)}-*/*.pt" if session is not None else f"{RUN_PREFIX}*/*.pt"
    found = []
    for path in base.glob(pattern):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:  # a run's folder removed meanwhile
            continue
    return [p for _, p in sorted(found, reverse=True)[:limit]]
