"""Temporary changes to a model that are always undone: evaluation mode, forward hooks.

Shared by everything that looks inside a running network (:mod:`lab.inspect`, :mod:`lab.cam`,
:mod:`lab.features`), so each can write ``with eval_mode(model), removing(handles):`` and be sure the
model comes back as it was, also when the forward pass raises (STYLE.md rule 8).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

import torch.nn as nn
from torch.utils.hooks import RemovableHandle


@contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Evaluation mode inside the block (BatchNorm uses running statistics, dropout and stochastic depth
    are identities, aux heads are off); every submodule's own mode comes back afterwards."""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for m, training in modes:
            m.training = training


@contextmanager
def removing(handles: Iterable[RemovableHandle]) -> Iterator[None]:
    """Remove hook handles on exit, also when the block raised."""
    handles = list(handles)
    try:
        yield
    finally:
        for h in handles:
            h.remove()
