"""Stages: the blocks a student compares, grouped from :func:`lab.inspect.summarize`'s layer rows.

A stage is a top-level child of the network, or (for one big ``features`` Sequential that does most of
the work) one of its children; runs of small layers are grouped up to their pooling layer, and repeated
blocks with the same output shape (MobileNet's bottlenecks) are one stage: ResNet's ``layer1``…``layer4``,
VGG's five blocks, EfficientNet's seven MBConv stages of paper Table 1.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import torch.nn as nn


class _Row(Protocol):
    """What grouping reads of a layer row (:class:`lab.inspect.LayerRow`)."""

    name: str
    output_shape: tuple[int, ...] | None
    macs: int
    receptive_field: int | None
    stride: float | None


@dataclass
class StageRow:
    """A block a student compares: a top-level child, or (for one big ``features`` Sequential) one of
    its children; runs of small layers are grouped up to their pooling layer, and repeated blocks
    with the same output shape (MobileNet's bottlenecks) are grouped together.

    ``params`` counts every parameter of the stage's modules; ``ran`` is False for modules the forward
    pass skips (auxiliary classifiers in eval mode). ``first_row``/``last_row`` index ``Summary.rows``.
    """

    name: str
    modules: tuple[str, ...]
    output_shape: tuple[int, ...] | None
    params: int
    macs: int
    receptive_field: int | None
    stride: float | None
    layers: int
    ran: bool
    first_row: int | None
    last_row: int | None



# ------------------------------------------------------------------------------------------ stages


def _leaf_count(m: nn.Module) -> int:
    return sum(1 for s in m.modules() if next(s.children(), None) is None)


def _is_pool(m: nn.Module) -> bool:
    """A pooling layer that shrinks the map by a fixed window (not an adaptive/global one)."""
    leaves = [s for s in m.modules() if next(s.children(), None) is None]
    kind = type(leaves[-1]).__name__ if leaves else ""
    return "Pool" in kind and "Adaptive" not in kind


def _range_label(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    first, last = names[0].rsplit(".", 1), names[-1].rsplit(".", 1)
    if len(first) == 2 and len(last) == 2 and first[0] == last[0] and first[1].isdigit() and last[1].isdigit():
        return f"{first[0]}.{first[1]}–{last[1]}"
    return f"{names[0]} … {names[-1]}"


def _counted(kinds: list[str]) -> str:
    return ", ".join(k if n == 1 else f"{n}× {k}" for k, n in Counter(kinds).items())


@dataclass
class _Group:
    """Modules that become one stage: a block (``pool``: the pooling layer that follows it) or small layers."""

    block: bool
    modules: list[tuple[str, nn.Module]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # indices into the layer rows, in the order they were added
    pool: str | None = None

    def add(self, name: str, m: nn.Module, idx: list[int]) -> None:
        self.modules.append((name, m))
        self.rows += idx


def _rows_of(rows: Sequence[_Row], prefix: str) -> list[int]:
    if prefix == "":
        return list(range(len(rows)))
    return [i for i, r in enumerate(rows) if r.name == prefix or r.name.startswith(prefix + ".")]


def _out_shape(rows: Sequence[_Row], idx: list[int]) -> tuple[int, ...] | None:
    return rows[idx[-1]].output_shape if idx else None


def _units(model: nn.Module, rows: Sequence[_Row], total_macs: int) -> list[tuple[str, nn.Module]]:
    """Top-level children, with a Sequential that does most of the work split into its children."""
    units: list[tuple[str, nn.Module]] = []
    for name, child in model.named_children():
        if isinstance(child, nn.Sequential) and len(child) > 1 and total_macs > 0 and \
                sum(rows[i].macs for i in _rows_of(rows, name)) >= 0.5 * total_macs:
            units += [(f"{name}.{n}", c) for n, c in child.named_children()]
        else:
            units.append((name, child))
    return units or [("", model)]


def _groups(units: list[tuple[str, nn.Module]], rows: Sequence[_Row]) -> list[_Group]:
    """A block (≥ 4 layers) is a stage, with the pooling layer right after it; repeated blocks of one
    class with the same output shape are one stage; small layers are grouped up to a pooling layer."""
    groups: list[_Group] = []
    open_small: _Group | None = None
    for name, m in units:
        idx = _rows_of(rows, name)
        last = groups[-1] if groups else None
        if _leaf_count(m) >= 4:
            open_small = None
            if last and last.block and not last.pool and type(last.modules[-1][1]) is type(m) \
                    and _out_shape(rows, last.rows) == _out_shape(rows, idx):
                last.add(name, m, idx)
            else:
                groups.append(_Group(True, [(name, m)], idx))
        elif _is_pool(m) and last and last.block and not last.pool:
            last.pool = name
            last.add(name, m, idx)
        else:
            if open_small is None:
                open_small = _Group(False)
                groups.append(open_small)
            open_small.add(name, m, idx)
            if _is_pool(m):
                open_small = None
    return groups


def _label(g: _Group) -> str:
    """A stage's name: ``layer1 (Sequential: 2× BasicBlock)``, ``features.2–3 (2× InvertedResidual)``."""
    if not g.block:
        kinds = [type(s).__name__ for _, m in g.modules for s in m.modules() if next(s.children(), None) is None]
        return f"{_range_label([n for n, _ in g.modules]) or 'model'} ({_counted(kinds)})"
    blocks = [(n, m) for n, m in g.modules if n != g.pool]
    if len(blocks) == 1:
        n, m = blocks[0]
        inner = [type(c).__name__ for c in m.children()]
        detail = type(m).__name__ + (f": {_counted(inner)}" if isinstance(m, nn.Sequential) else "")
        label = f"{n} ({detail})"
    else:
        label = f"{_range_label([n for n, _ in blocks])} ({len(blocks)}× {type(blocks[0][1]).__name__})"
    return label + (f" + {g.pool}" if g.pool else "")


def _stage_row(name: str, modules: tuple[str, ...], params: int, rows: Sequence[_Row], idx: list[int],
               ran: bool, last: _Row | None = None, with_rf: bool = True) -> StageRow:
    """A stage's row. Its output, receptive field and jump are ``last``'s (the output of the stage's last
    module: a whole block) when known, else the last row's; ``with_rf`` False: no receptive field."""
    rf = last if last is not None else next((rows[i] for i in reversed(idx) if rows[i].receptive_field is not None),
                                            None)
    rf = rf if with_rf else None
    return StageRow(
        name=name, modules=modules, output_shape=last.output_shape if last is not None else _out_shape(rows, idx),
        params=params, macs=sum(rows[i].macs for i in idx), receptive_field=rf.receptive_field if rf else None,
        stride=rf.stride if rf else None, layers=len(idx), ran=ran, first_row=idx[0] if idx else None,
        last_row=idx[-1] if idx else None,
    )


def _last_block(g: _Group, rows: Sequence[_Row], blocks: dict[str, _Row]) -> _Row | None:
    """The output of the group's module that ran last (None if none ran or nothing is known of them)."""
    last_row = {n: idx[-1] for n, _ in g.modules if n in blocks and (idx := _rows_of(rows, n))}
    return blocks[max(last_row, key=last_row.get)] if last_row else None


def group_stages(model: nn.Module, rows: Sequence[_Row], total_macs: int,
                 blocks: dict[str, _Row] | None = None) -> list[StageRow]:
    """Group the rows into the blocks a student compares (see :class:`StageRow`). ``blocks``: each module's
    own output (:attr:`lab.inspect.Summary.blocks`), so a stage that ends in a concatenating block shows
    the block's output, not its last branch's."""
    blocks = blocks or {}
    units = _units(model, rows, total_macs)
    groups = _groups(units, rows)
    stages = []
    for g in groups:
        idx = sorted(set(g.rows))
        params = {id(p): p.numel() for _, m in g.modules for p in m.parameters()}
        last = _last_block(g, rows, blocks)
        stages.append(_stage_row(_label(g), tuple(n for n, _ in g.modules), sum(params.values()), rows, idx,
                                 ran=bool(idx), last=last))
    # Parameters and operations of the model itself (a ViT's position embedding, a matmul in its forward).
    covered = {i for g in groups for i in g.rows}
    idx = [i for i in range(len(rows)) if i not in covered]
    own = sum(p.numel() for p in model.parameters(recurse=False))
    if units != [("", model)] and (idx or own):
        stages.append(_stage_row(f"{type(model).__name__} itself (its own parameters and operations)", ("",),
                                 own, rows, idx, ran=True, with_rf=False))
    return stages
