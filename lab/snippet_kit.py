"""The kit of :mod:`lab.snippets`: the registry of views, and how a setting becomes a literal in the code.

A view registers ``write(say, **settings) -> str`` with :func:`view`; :func:`fmt` turns every setting into a
literal (``repr``: a name with quotes in it stays one string), :func:`file_name` says how a script names a file.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
ZH = "zh-CN"


@dataclass(frozen=True)
class View:
    """One view's snippet: its default settings, and the function that writes the code from them (``say`` picks a
    comment in the request's language)."""

    defaults: dict[str, Any]
    write: Callable[..., str]
    comments: dict[str, tuple[str, str]]  # key -> (English, Chinese)


VIEWS: dict[str, View] = {}


def view(name: str, defaults: dict[str, Any], comments: dict[str, tuple[str, str]]) -> Callable:
    """Register ``write(say, **settings) -> str`` as the snippet of view ``name``."""

    def register(write: Callable[..., str]) -> Callable[..., str]:
        VIEWS[name] = View(defaults, write, comments)
        return write

    return register


def like(value: Any, default: Any) -> Any:
    """``value`` as the type of ``default`` (a slider's 224.0 is the whole number 224); None: the default."""
    if value is None:
        return default
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int) and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(default, (int, float)) and isinstance(value, str):
        try:
            return int(value) if isinstance(default, int) and value.strip().lstrip("-").isdigit() else float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number.") from None
    if isinstance(value, float) and isinstance(default, float):
        return float(value)
    return value


def file_name(path: Any) -> str | None:
    """How a snippet names a picture or checkpoint: ``assets/…`` for the lab's own files (the script runs in the
    repository), else the file's own name (the student has it beside the script)."""
    if not path:
        return None
    p = Path(str(path))
    if not p.is_absolute():
        return p.as_posix()
    return p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else p.name


def fmt(value: Any) -> str:
    """A setting as a literal: floats without float noise (0.1, not 0.1000000001), everything else repr()."""
    if isinstance(value, float) and math.isfinite(value):
        return repr(float(f"{value:.10g}"))
    return repr(value)
