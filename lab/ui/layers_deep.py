"""The Layers tab, layers stacked: batch normalisation one mini-batch at a time and through a deep plain network
(lab.batchnorm), and the course's blocks side by side (lab.blocks). Its sentences are the tab's
(lab/ui/text/layers.py); lab/ui/layers.py builds the tab and calls :func:`batch_norm_section` and
:func:`blocks_section`."""
from __future__ import annotations

from typing import Any, NamedTuple

import gradio as gr
import plotly.graph_objects as go
import torch
from gradio.context import get_blocks_context
from plotly.subplots import make_subplots

from lab import batchnorm as B
from lab import blocks as BL
from lab.ui.code import code_panel
from lab.ui.common import ZH, choice, current_language, number, speaker, translator, user_errors
from lab.ui.text.layers import BLOCKS_ZH, TEXT, TEXT_ZH

i18n = translator("lab.ui.layers", TEXT)  # the tab's keys: this module builds part of the Layers tab
say = speaker(TEXT, TEXT_ZH)
_RAW = dict(show_progress="hidden", preprocess=False)
_QUIET = dict(api_visibility="private", show_progress="hidden")
MODES = ("train", "eval")


class Walked(NamedTuple):
    """One step of the batch-norm walk: the batch and what it became, and the moving averages."""

    batch: Any
    moving: Any


class Drifted(NamedTuple):
    plot: Any
    caption: Any


FAILED_WALK = Walked(batch=i18n("failed"), moving="")
FAILED_DRIFT = Drifted(plot=None, caption=i18n("failed"))


# ------------------------------------------------------------------------------------------ layout


def loaded() -> Any:
    """The app's load event, for events whose text inputs must not answer every keystroke."""
    return get_blocks_context().root_block.load


def batch_norm_section() -> None:
    """Batch norm from scratch: one mini-batch at a time, then the drift through a deep plain network."""
    gr.Markdown(i18n("bn"))
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            with gr.Row():
                batch = gr.Slider(2, B.MAX_BATCH, value=4, step=1, label=i18n("bn_batch"), elem_id="bn-batch")
                channels = gr.Slider(1, B.MAX_CHANNELS, value=3, step=1, label=i18n("bn_channels"))
            step = gr.Slider(1, B.MAX_STEPS, value=1, step=1, label=i18n("bn_step"), elem_id="bn-step")
            with gr.Row():
                gamma = gr.Slider(0, 3, value=1.5, step=0.1, label=i18n("bn_gamma"))
                beta = gr.Slider(-3, 3, value=0.5, step=0.1, label=i18n("bn_beta"))
            seed = gr.Number(value=0, precision=0, minimum=0, label=i18n("bn_seed"))
            mode = gr.Radio([(i18n(f"bn_mode:{m}"), m) for m in MODES], value="train", label=i18n("bn_mode"),
                            elem_id="bn-mode")
        with gr.Column(scale=3):
            walked = Walked(batch=gr.Markdown(elem_id="bn-batch-table"), moving=gr.Markdown(elem_id="bn-moving"))
    code_panel("batch_norm_walk", dict(batch=batch, channels=channels, step=step, gamma=gamma, beta=beta, seed=seed,
                                       mode=mode))
    gr.on(None, user_errors(bn_walk), [batch, channels, step, gamma, beta, seed, mode], list(walked),
          api_name="batch_norm_walk", **_RAW).failure(lambda: FAILED_WALK, None, list(walked), **_QUIET)
    gr.Markdown(i18n("drift"))
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            depth = gr.Slider(2, B.MAX_DEPTH, value=20, step=1, label=i18n("drift_depth"), elem_id="drift-depth")
            init = gr.Radio([(i18n(f"init:{name}"), name) for name in B.INITS], value="PyTorch default",
                            label=i18n("drift_init"), elem_id="drift-init")
            caption = gr.Markdown(elem_id="drift-caption")
        with gr.Column(scale=3):
            drifted = Drifted(plot=gr.Plot(show_label=False, elem_id="drift-plot"), caption=caption)
    code_panel("batch_norm_drift", dict(depth=depth, init=init))
    gr.on(None, user_errors(bn_drift), [depth, init], list(drifted), api_name="batch_norm_drift", **_RAW).failure(
        lambda: FAILED_DRIFT, None, list(drifted), **_QUIET)


def blocks_section() -> None:
    """The course's blocks side by side, measured, with the notes' numbers."""
    gr.Markdown(i18n("blocks"))
    with gr.Row():
        name = gr.Dropdown([(i18n(f"cmp:{key}"), key) for key in BL.COMPARISONS], value="bottleneck",
                           label=i18n("blocks_pick"), scale=2, elem_id="blocks-pick")
        # Text boxes, not number boxes: an emptied gr.Number sends 0 with the next event, and empty means "the
        # notes' size" here. They answer when submitted or left, not at each keystroke ("12" on the way to 128).
        channels = gr.Textbox(value="", label=i18n("blocks_channels"), elem_id="blocks-channels")
        side = gr.Textbox(value="", label=i18n("blocks_side"), elem_id="blocks-side")
    table = gr.Markdown(elem_id="blocks-table")
    code_panel("blocks", dict(name=name, channels=channels, side=side))
    gr.on([name.change, channels.submit, channels.blur, side.submit, side.blur, loaded()], user_errors(compare_blocks),
          [name, channels, side], table, api_name="compare_blocks", trigger_mode="always_last", **_RAW).failure(
        lambda: i18n("failed"), None, table, **_QUIET)


# ------------------------------------------------------------------------------------------ handlers


def _row(values: torch.Tensor) -> str:
    return " | ".join(f"{float(v):.3f}" for v in values)


def bn_walk(batch, channels, step, gamma, beta, seed, mode) -> Walked:
    """Batch norm on mini-batch ``step`` of a seeded walk (``batch`` samples × ``channels``; γ and β the same for
    every channel), in ``mode`` "train" (the batch's statistics) or "eval" (the moving averages): the batch x, x̂
    and y with their batch means and variances, and the moving averages after the step, PyTorch's and the notes'."""
    n = number(batch, say("bn_batch"), 2, B.MAX_BATCH, whole=True)
    c = number(channels, say("bn_channels"), 1, B.MAX_CHANNELS, whole=True)
    t = number(step, say("bn_step"), 1, B.MAX_STEPS, whole=True)
    g, b = number(gamma, say("bn_gamma"), 0, 3), number(beta, say("bn_beta"), -3, 3)
    s = number(seed, say("bn_seed"), 0, 2**31 - 1, whole=True)
    mode = choice(mode, MODES, "The mode")
    steps, true_mean, true_var = B.walk(n, c, t, s, g, b)
    last = steps[-1]
    shown = last.train if mode == "train" else last.eval
    groups = [("x", last.x), ("x̂", shown.x_hat), ("y", shown.y)]
    head = " | ".join(f"{sym}{_sub(j)}" for sym, _ in groups for j in range(c))
    lines = [f"| | {head} |", "|---|" + "---:|" * (3 * c)]
    lines += [f"| {say('bn_row', i=_SUP[i])} | " + " | ".join(_row(v[i]) for _, v in groups) + " |" for i in range(n)]
    for key, stat in (("bn_mean", lambda v: v.mean(0)), ("bn_var", lambda v: v.var(0, unbiased=False))):
        lines.append(f"| **{say(key)}** | " + " | ".join(_row(stat(v)) for _, v in groups) + " |")
    used = say("bn_used", mode=say(f"bn_used:{mode}"), t=t, mean=_vector(shown.mean), var=_vector(shown.var))
    moving = say("bn_moving_head", t=t, channels=" | ".join(say("bn_channel", j=j + 1) for j in range(c)), align="---:|" * c)
    for key, values in (("bn_torch_mean", last.train.running_mean), ("bn_notes_mean", last.notes_mean),
                        ("bn_true_mean", true_mean), ("bn_torch_var", last.train.running_var),
                        ("bn_notes_var", last.notes_var), ("bn_true_var", true_var)):
        moving += f"| {say(key)} | {_row(values)} |\n"
    return Walked(batch="\n".join(lines) + "\n" + used, moving=moving + say("bn_moving_note"))


_SUP = "¹²³⁴⁵⁶⁷⁸"  # x⁽¹⁾ … x⁽⁸⁾: the samples of a batch (at most MAX_BATCH)


def _sub(j: int) -> str:
    """Channel j's subscript, from 1: ₁ ₂ ₃ ₄."""
    return "₁₂₃₄₅₆₇₈₉"[j]


def _vector(values: torch.Tensor) -> str:
    return "[" + ", ".join(f"{float(v):.3f}" for v in values) + "]"


def bn_drift(depth, init) -> Drifted:
    """A plain network of ``depth`` × (3×3 convolution + ReLU) at its random start (``init``: a key of
    lab.batchnorm.INITS), with and without batch norm: the mean and spread of what enters each ReLU."""
    depth = number(depth, say("drift_depth"), 2, B.MAX_DEPTH, whole=True)
    init = choice(init, B.INITS, "The initialisation")
    without, with_ = B.drift(depth, init, normalised=False), B.drift(depth, init, normalised=True)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(say("drift_std"), say("drift_meanaxis")),
                        horizontal_spacing=0.1)
    for stats, key, color in ((without, "drift_without", "#d62728"), (with_, "drift_with", "#1f77b4")):
        layers = [s.layer for s in stats]
        fig.add_trace(go.Scatter(x=layers, y=[s.std for s in stats], name=say(key), mode="lines+markers",
                                 line=dict(color=color), legendgroup=key), 1, 1)
        fig.add_trace(go.Scatter(x=layers, y=[s.mean for s in stats], name=say(key), mode="lines+markers",
                                 line=dict(color=color), legendgroup=key, showlegend=False), 1, 2)
    fig.update_yaxes(type="log", exponentformat="power", dtick=1, row=1, col=1)  # one tick a decade
    fig.update_xaxes(title_text=say("drift_layer"))
    fig.update_layout(height=330, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25))
    caption = say("drift_caption", depth=depth, without=without[-1].std, first=without[0].std, with_=with_[-1].std)
    return Drifted(plot=fig, caption=caption)


def compare_blocks(name, channels, side) -> str:
    """The blocks of comparison ``name`` (a key of lab.blocks.COMPARISONS) built for a channels×side×side input
    (empty: the notes' size), measured: output shape, parameters, MACs, receptive field, the convolutions'
    weights and the notes' formula beside them (✓ where they agree)."""
    name = choice(name, BL.COMPARISONS, "The comparison")
    cmp = BL.COMPARISONS[name]
    c = cmp.channels if channels is None or str(channels).strip() == "" else number(channels, say("blocks_channels"), 4, BL.MAX_CHANNELS,
                                                           whole=True)
    s = cmp.side if side is None or str(side).strip() == "" else number(side, say("blocks_side"), 8, BL.MAX_SIDE, whole=True)
    rows = BL.compare(name, c, s)
    out = say("blocks_head", title=say(f"cmp:{name}"), c=c, side=s)
    for r in rows:
        template = BLOCKS_ZH.get(r.template, r.template) if current_language() == ZH else r.template
        check = "" if r.notes_value is None else ("✓" if r.notes_value == r.conv_weights else "✗")
        out += say("blocks_row", label=template.format(**r.values), shape=" × ".join(map(str, r.output_shape)),
                   params=r.params, macs=r.macs, rf="—" if r.receptive_field is None else r.receptive_field,
                   conv=r.conv_weights, notes=r.notes or "—", check=check)
    return out
