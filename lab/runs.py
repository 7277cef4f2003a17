"""Where the Train tab's runs leave their checkpoints, so the Inside tab can look inside the network just trained.

The Train tab writes one checkpoint per browser session into a folder ``<temp dir>/cnnlab-train-*/``
(:func:`new_run_dir` makes one); :func:`latest_checkpoints` lists what is there, newest first.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

RUN_PREFIX = "cnnlab-train-"


def new_run_dir() -> str:
    """A fresh folder for one training run's checkpoint (under the system's temp dir)."""
    return tempfile.mkdtemp(prefix=RUN_PREFIX)


def latest_checkpoints(limit: int = 5, root: str | Path | None = None) -> list[Path]:
    """The checkpoints (``*.pt``) of the Train tab's runs, newest first, at most ``limit``."""
    base = Path(root or tempfile.gettempdir())
    found = []
    for path in base.glob(f"{RUN_PREFIX}*/*.pt"):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:  # a run's folder removed meanwhile
            continue
    return [p for _, p in sorted(found, reverse=True)[:limit]]
