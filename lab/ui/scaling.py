"""The Scaling tab: EfficientNet's compound scaling and MobileNet v1's α and ρ, live.

Every number comes from :mod:`lab.scaling`; this module only lays out controls, tables and plotly charts.
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, NamedTuple

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from lab import scaling as S
from lab.ui import lesson
from lab.ui.code import code_panel
from lab.ui.common import ZH, current_language, number, speaker, translator, user_errors
from lab.ui.serving import cached
from lab.ui.text.scaling import TEXT, TEXT_ZH, WHERE_ZH

i18n = translator(__name__, TEXT)  # i18n("phi"): the label in the browser's language
say = speaker(TEXT, TEXT_ZH)  # say("summary", ...): what a handler formats, in the request's language

_PRESET_NAMES = list(S.PRESETS)
_START_PHI = 1.0


# The events' outputs, declared once: build() fills them with components, the handlers with values.
class Config(NamedTuple):
    """The network's width and depth multipliers and its input resolution (three sliders)."""

    width: Any
    depth: Any
    resolution: Any


class Shown(NamedTuple):
    """Everything that shows the current network."""

    summary: Any
    table: Any
    flops_plot: Any
    acc_plot: Any
    compound_note: Any
    verified: Any


class Coeffs(NamedTuple):
    """The compound controls: the mode and φ, α, β, γ (every EfficientNet handler's first inputs)."""

    mode: Any
    phi: Any
    alpha: Any
    beta: Any
    gamma: Any


class Controls(NamedTuple):
    """What a compound step, a mode switch or a preset sets on the controls: the mode, the compound group's
    visibility and the three sliders. A handler that can fail puts it in a State, copied onto the controls
    only once the network is shown, so an error never covers an input with an "Error" pill; a preset (a
    lookup in the notes' table) sets it at once."""

    mode: Any
    group: Any
    width: Any
    depth: Any
    resolution: Any


class Network(NamedTuple):
    """The network the controls describe, checked: compound mode (φ, α, β, γ give the three multipliers) or free."""

    compound: bool
    phi: float | None  # None in free mode
    alpha: float
    beta: float
    gamma: float
    width: float
    depth: float
    resolution: int


# What a failed event leaves on screen: nothing that answered the previous setting, and a note saying why
# (the error itself is the toast). An empty table keeps its headers (Gradio's default ones are "1 2 3"), in the
# request's language: the failure listeners are wrapped in user_errors for it.
def failed() -> Shown:
    return Shown(*[None] * len(Shown._fields))._replace(summary=i18n("failed"),
                                                        table=pd.DataFrame(columns=say("stage_cols")))


def mobilenet_failed() -> tuple[Any, pd.DataFrame]:
    return i18n("failed"), pd.DataFrame(columns=say("m_cols"))


# ------------------------------------------------------------------------------------------ layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    gr.Markdown(i18n("effnet"))
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            coeffs, compound_group, compound_note, preset_buttons, config = _efficientnet_controls()
        with gr.Column(scale=2):
            summary, table, verify_button, verified = _efficientnet_results()
    with gr.Row():
        flops_plot = gr.Plot(show_label=False, elem_id="scaling-flops-plot")
        with gr.Column():
            acc_plot = gr.Plot(show_label=False, elem_id="scaling-accuracy-plot")
            gr.Markdown(i18n("acc_note"))
    with gr.Accordion(i18n("family"), open=False):
        gr.Markdown(i18n("family_md"))
        family = gr.Dataframe(interactive=False, wrap=True)
    code_panel("scaling", {**coeffs._asdict(), **config._asdict()}, results=(summary,), adapt=lambda s: {
        k: v for k, v in s.items() if k != "mode"} | {"compound": s["mode"] == TEXT["mode_compound"]})
    shown = Shown(summary=summary, table=table, flops_plot=flops_plot, acc_plot=acc_plot,
                  compound_note=compound_note, verified=verified)
    _wire_efficientnet(coeffs, config, shown, compound_group, preset_buttons, verify_button, family)
    gr.api(cached(user_errors(scale)), api_name="scale", api_description=TEXT["api"].format(
        w=S.WIDTH_RANGE, d=S.DEPTH_RANGE, r=S.RESOLUTION_RANGE))
    _mobilenet_section()


def _efficientnet_controls() -> tuple[Coeffs, gr.Group, gr.Markdown, list[gr.Button], Config]:
    """Mode, φ, α, β, γ; the compound note; the B0–B7 presets; width, depth and resolution."""
    w0, d0, r0 = S.compound(_START_PHI)
    # Choices (label, value): handlers compare the English value, whatever the label's language.
    mode = gr.Radio([(i18n(key), TEXT[key]) for key in ("mode_compound", "mode_free")],
                    value=TEXT["mode_compound"], label=i18n("mode"), info=i18n("mode_info"), elem_id="scaling-mode")
    with gr.Group(visible=True) as compound_group:
        phi = gr.Slider(*S.PHI_RANGE, value=_START_PHI, step=0.1, label=i18n("phi"), info=i18n("phi_info"),
                        elem_id="scaling-phi")
        alpha = gr.Slider(*S.COEFF_RANGE, value=S.ALPHA, step=0.01, label=i18n("alpha"), info=i18n("alpha_info"))
        beta = gr.Slider(*S.COEFF_RANGE, value=S.BETA, step=0.01, label=i18n("beta"), info=i18n("beta_info"))
        gamma = gr.Slider(*S.COEFF_RANGE, value=S.GAMMA, step=0.01, label=i18n("gamma"), info=i18n("gamma_info"))
    compound_note = gr.Markdown(elem_id="scaling-compound-note")
    gr.Markdown(i18n("presets"))
    with gr.Row():
        preset_buttons = [gr.Button(name, size="sm", min_width=0, scale=1) for name in _PRESET_NAMES]
    config = Config(
        width=gr.Slider(*S.WIDTH_RANGE, value=round(w0, 4), step=0.01, label=i18n("width"), interactive=False,
                        info=i18n("width_info"), elem_id="scaling-width"),
        depth=gr.Slider(*S.DEPTH_RANGE, value=round(d0, 4), step=0.01, label=i18n("depth"), interactive=False,
                        info=i18n("depth_info"), elem_id="scaling-depth"),
        resolution=gr.Slider(*S.RESOLUTION_RANGE, value=r0, step=1, label=i18n("resolution"), interactive=False,
                             info=i18n("resolution_info"), elem_id="scaling-resolution"),
    )
    return Coeffs(mode, phi, alpha, beta, gamma), compound_group, compound_note, preset_buttons, config


def _efficientnet_results() -> tuple[gr.Markdown, gr.Dataframe, gr.Button, gr.Markdown]:
    """The summary, the stage table and the lab.inspect check."""
    summary = gr.Markdown(elem_id="scaling-summary")
    table = gr.Dataframe(label=i18n("table_label"), interactive=False, elem_id="scaling-stages", wrap=True,
                         max_height=640)
    verify_button = gr.Button(i18n("verify"), size="sm")
    gr.Markdown(f"<span class='explain'>{i18n('verify_info')}</span>")
    verified = gr.Markdown(elem_id="scaling-verified")
    return summary, table, verify_button, verified


def _wire_efficientnet(coeffs: Coeffs, config: Config, shown: Shown, compound_group: gr.Group,
                       preset_buttons: list[gr.Button], verify_button: gr.Button, family: gr.Dataframe) -> None:
    """The EfficientNet events: compound sliders, free sliders, mode, presets, the check, and page load.

    Every handler checks its inputs first (preprocess=False: an emptied box reaches it as None, and
    ``_network`` says what to type). On an error, ``.failure()`` clears what no longer answers the inputs.
    """
    inputs = [*coeffs, *config]
    controls = gr.State()  # a Controls, copied onto the mode, the group and the sliders after the network is shown
    targets = Controls(coeffs.mode, compound_group, *config)
    # always_last: a drag sends many events; the one after the last must not be dropped ("once" would).
    # One queue, one at a time: updates land in the order they were asked for (a preset clicked while
    # the page-load update still runs must not be overwritten by it). Each takes tens of milliseconds.
    private = dict(api_visibility="private", show_progress="hidden", trigger_mode="always_last",
                   concurrency_id="scaling", concurrency_limit=1, preprocess=False)
    quiet = dict(api_visibility="private", show_progress="hidden")
    # φ, α, β or γ moved (compound() sets the sliders), or the mode switched.
    for event in (gr.on([s.input for s in coeffs[1:]], user_errors(from_compound), inputs, [*shown, controls],
                        **private),
                  coeffs.mode.input(user_errors(switch_mode), inputs, [*shown, controls], **private)):
        event.success(_controls, controls, list(targets), **quiet)
        event.failure(user_errors(failed), None, list(shown), **quiet)
    # A preset sets the controls (a lookup in the notes' table: it cannot fail), then shows the network; the
    # user moves width, depth or resolution (free mode): redraw.
    for event in (*(button.click(user_errors(preset), button, list(targets), **quiet).success(
                      user_errors(refresh), inputs, list(shown), **private) for button in preset_buttons),
                  gr.on([s.input for s in config], user_errors(refresh), inputs, list(shown), **private)):
        event.failure(user_errors(failed), None, list(shown), **quiet)
    verify_button.click(user_errors(verify), list(config), shown.verified, api_visibility="private",
                        preprocess=False).failure(lambda: i18n("failed"), None, shown.verified, **quiet)
    # On page load: the starting network and the B0–B7 table.
    root = gr.context.Context.root_block
    if root is not None:
        # A lesson link's mode and numbers first; then the tab's own mode switch shows them (free: the sliders).
        modes = {"compound": TEXT["mode_compound"], "free": TEXT["mode_free"]}
        linked = dict(mode=(coeffs.mode, modes), **dict(zip(("phi", "alpha", "beta", "gamma"), coeffs[1:])),
                      **dict(zip(("w", "d", "r"), config)))
        opened = lesson.follow("scaling", linked).then(cached(user_errors(switch_mode)), inputs, [*shown, controls],
                                                        **private)
        opened.success(_controls, controls, list(targets), **quiet)
        opened.failure(user_errors(failed), None, list(shown), **quiet)
        root.load(user_errors(_family_frame), None, family, **quiet)


def _mobilenet_section() -> None:
    """MobileNet v1's α and ρ, the summary sentence and the layer table; filled on load and on every change."""
    gr.Markdown(i18n("mobilenet"))
    gr.Markdown(i18n("mobilenet_md"))
    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            m_alpha = gr.Slider(*S.MOBILENET_ALPHA_RANGE, value=1.0, step=0.05, label=i18n("m_alpha"),
                                info=i18n("m_alpha_info"), elem_id="scaling-m-alpha")
            m_res = gr.Slider(S.MOBILENET_STEP, S.MOBILENET_BASE, value=S.MOBILENET_BASE, step=S.MOBILENET_STEP,
                              label=i18n("m_res"), info=i18n("m_res_info"), elem_id="scaling-m-res")
        with gr.Column(scale=3):
            m_summary = gr.Markdown(elem_id="scaling-m-summary")
    m_table = gr.Dataframe(label=i18n("m_table"), interactive=False, wrap=True, elem_id="scaling-m-table",
                           max_height=720)
    code_panel("mobilenet", {"alpha": m_alpha, "resolution": m_res})
    lesson.follow("scaling", dict(ma=m_alpha, mr=m_res))  # a lesson link's α and ρ (their change redraws)
    # triggers=None: on page load and whenever α or ρ changes.
    gr.on(None, user_errors(mobilenet), [m_alpha, m_res], [m_summary, m_table], api_visibility="private",
          show_progress="hidden", trigger_mode="always_last", preprocess=False).failure(
        user_errors(mobilenet_failed), None, [m_summary, m_table], api_visibility="private", show_progress="hidden")


# ------------------------------------------------------------------------------------------ EfficientNet handlers


def _box(key: str) -> str:
    """A control's label as the subject of a sentence: "Width multiplier w", "φ (compound coefficient)"."""
    label = say(key)
    return label[0].upper() + label[1:] if label[0].isascii() else label


def _config(width: Any, depth: Any, resolution: Any) -> tuple[float, float, int]:
    """The three sliders' values, checked: a sentence saying what to type, or the values."""
    return (number(width, _box("width"), *S.WIDTH_RANGE), number(depth, _box("depth"), *S.DEPTH_RANGE),
            number(resolution, _box("resolution"), *S.RESOLUTION_RANGE, whole=True))


def _network(mode: str, phi: Any, alpha: Any, beta: Any, gamma: Any, width: Any = None, depth: Any = None,
             resolution: Any = None) -> Network:
    """The tab's validation layer, before any work: the network the controls describe, or a sentence.

    In compound mode φ, α, β, γ give the sliders' values (and compound() says when they leave the ranges);
    in free mode the sliders are read, and φ (hidden) is not. The sliders may be left out in compound mode.
    """
    a, b, g = (number(v, _box(key), *S.COEFF_RANGE) for v, key in ((alpha, "alpha"), (beta, "beta"), (gamma, "gamma")))
    if mode == TEXT["mode_compound"]:
        p = number(phi, _box("phi"), *S.PHI_RANGE)
        return Network(True, p, a, b, g, *S.compound_config(p, a, b, g))
    return Network(False, None, a, b, g, *_config(width, depth, resolution))


def _shown(n: Network) -> Shown:
    """Everything that shows the network: summary, stage table, both charts, the compound note."""
    cost = S.efficientnet_cost(n.width, n.depth, n.resolution)
    return Shown(
        summary=_summary_md(cost), table=_stage_frame(cost),
        flops_plot=_flops_figure(n.alpha, n.beta, n.gamma, cost, n.phi if n.compound else None),
        acc_plot=_accuracy_figure(cost),
        compound_note=_compound_md(n.phi, n.alpha, n.beta, n.gamma, cost) if n.compound else i18n("free_md"),
        verified="",  # the lab.inspect check belongs to the previous network
    )


def refresh(mode: str, phi: float, alpha: float, beta: float, gamma: float, width: float, depth: float,
            resolution: float) -> Shown:
    """The current network, shown."""
    return _shown(_network(mode, phi, alpha, beta, gamma, width, depth, resolution))


def _sliders(n: Network, interactive: bool) -> tuple[Any, Any, Any]:
    """The three sliders set to the network's width, depth (rounded for display) and resolution."""
    return tuple(gr.update(value=v, interactive=interactive) for v in (round(n.width, 4), round(n.depth, 4),
                                                                       n.resolution))


def from_compound(mode: str, phi: float, alpha: float, beta: float, gamma: float, width: Any = None,
                  depth: Any = None, resolution: Any = None) -> tuple[Any, ...]:
    """φ, α, β or γ moved: the network compound() gives (Shown), and its width, depth and resolution for the
    sliders (Controls)."""
    n = _network(mode, phi, alpha, beta, gamma, width, depth, resolution)
    return (*_shown(n), Controls(gr.skip(), gr.skip(), *_sliders(n, interactive=False)))


def switch_mode(mode: str, phi: float, alpha: float, beta: float, gamma: float, width: float, depth: float,
                resolution: float) -> tuple[Any, ...]:
    """Show the compound sliders (and drive width/depth/resolution with them) or free the three sliders:
    Shown, then Controls."""
    n = _network(mode, phi, alpha, beta, gamma, width, depth, resolution)
    sliders = _sliders(n, interactive=False) if n.compound else [gr.update(interactive=True)] * 3
    return (*_shown(n), Controls(gr.skip(), gr.update(visible=n.compound), *sliders))


def preset(name: str) -> Controls:
    """A published B0–B7: free mode, the compound group hidden, and its width, depth and resolution."""
    p = S.PRESETS[name]
    return Controls(TEXT["mode_free"], gr.update(visible=False),
                    *(gr.update(value=v, interactive=True) for v in (p.width, p.depth, p.resolution)))


def _controls(controls: Controls | None) -> Controls | Any:
    """The controls an event set, onto the components (runs only after the network was shown: cannot fail)."""
    return gr.skip() if controls is None else controls


def verify(width: float, depth: float, resolution: float, progress: gr.Progress = gr.Progress()) -> str:
    """Count the built network with lab.inspect and compare with the table's count."""
    width, depth, resolution = _config(width, depth, resolution)
    progress(0.1, desc=say("verify_progress"))
    m = S.inspect_efficientnet(width, depth, resolution)
    cost = S.efficientnet_cost(width, depth, resolution)
    verdict = say("agree") if m.agrees(cost) else say("disagree", params=cost.params, macs=cost.macs)
    return say("verified", w=width, d=depth, r=resolution, params=m.params, macs=m.macs,
                                   peak=m.peak_activation_mb, secs=m.seconds, verdict=verdict)


def scale(width_mult: float, depth_mult: float, resolution: int) -> dict:
    """The ``/scale`` API endpoint: :func:`lab.scaling.efficientnet_cost` as plain JSON.

    Returns params, macs, gmacs, gflops, peak_activation_mb (and where), and the nine ``stages`` rows.
    Ranges are :data:`lab.scaling.WIDTH_RANGE`, ``DEPTH_RANGE`` and ``RESOLUTION_RANGE``; a value outside
    them raises ValueError, which the endpoint returns as an error with that sentence.
    """
    return S.efficientnet_cost(width_mult, depth_mult, resolution).as_dict()


# ------------------------------------------------------------------------------------------ MobileNet handler


def mobilenet(alpha: float, resolution: float) -> tuple[str, pd.DataFrame]:
    """The MobileNet v1 section: summary sentence and the layer-by-layer table."""
    alpha = number(alpha, _box("m_alpha"), *S.MOBILENET_ALPHA_RANGE)
    resolution = number(resolution, _box("m_res"), S.MOBILENET_STEP, S.MOBILENET_BASE, whole=True)
    c = S.mobilenet_v1_costs(alpha, resolution / S.MOBILENET_BASE)
    summary = say("m_summary",
        alpha=alpha, rho=_rho_label(resolution), res=resolution, formula=c.formula_macs, measured=c.measured_macs,
        verdict=say("m_agree") if c.agrees else say("m_disagree"), params=c.params / 1e6,
        rel=c.measured_macs / c.base_macs, base=c.base_macs / 1e6, a2r2=(alpha * c.rho) ** 2,
        ratio=c.separable_ratio, speed=1 / c.separable_ratio,
    )
    rows, kinds = [], say("m_kinds")
    for r in c.layers:
        separable = r.kind == "depthwise separable"
        mark = "\u00a0✓" if r.agrees else "\u00a0✗"  # a no-break space: the mark stays with its number
        rows.append([
            r.layer, kinds[r.kind], r.kernel, r.in_channels, r.out_channels, r.feature, r.stride,
            f"{r.depthwise_macs:,}" if separable else "", f"{r.pointwise_macs:,}" if separable else "",
            f"{r.formula_macs:,}", f"{r.measured_macs:,}{mark}",
            f"{r.standard_macs:,}" if separable else "",
            f"{r.ratio:.4f} = 1/{r.out_channels} + 1/{r.kernel ** 2}" if separable else "",
        ])
    return summary, pd.DataFrame(rows, columns=say("m_cols"))


# ------------------------------------------------------------------------------------------ formatting and charts


def _short(n: float) -> str:
    """1,856 → 1.86 k; 28,390,712 → 28.4 M (keeps the stage table narrow)."""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return str(int(n))


def _stage_frame(cost: S.Cost) -> pd.DataFrame:
    rows = [
        [s.stage, s.operator, f"{s.kernel}×{s.kernel}", s.stride, f"{s.input_resolution}×{s.input_resolution}",
         s.channels, s.layers, _short(s.params), _short(s.macs)]
        for s in cost.stages
    ]
    return pd.DataFrame(rows, columns=say("stage_cols"))


def _summary_md(cost: S.Cost) -> str:
    b0 = S.efficientnet_cost(1.0, 1.0, S.BASE_RESOLUTION)
    return say("summary",
               params=cost.params / 1e6, gmacs=cost.gmacs, gflops=cost.gflops, peak=cost.peak_activation_mb,
               rp=cost.params / b0.params, rm=cost.macs / b0.macs, where=_where(cost.peak_activation_where))


def _where(where: str) -> str:
    """lab.scaling's "stage 3, layer 1 (1×1 expansion)" in the request's language."""
    if current_language() == ZH:
        for pattern, zh in WHERE_ZH:
            where = re.sub(pattern, zh, where)
    return where


def _compound_md(phi: float, alpha: float, beta: float, gamma: float, cost: S.Cost) -> str:
    b0 = S.efficientnet_cost(1.0, 1.0, S.BASE_RESOLUTION)
    return say("compound_md",
        c=alpha * beta**2 * gamma**2, pred=S.flops_factor(phi, alpha, beta, gamma), meas=cost.macs / b0.macs
    )


def _flops_figure(alpha: float, beta: float, gamma: float, cost: S.Cost, phi: float | None) -> go.Figure:
    curves = S.scaling_curves(alpha, beta, gamma)
    fig, label = go.Figure(), say("scalings")
    for name in S.SCALINGS:
        settings = curves.settings[name]
        fig.add_trace(go.Scatter(
            x=curves.phis, y=[None if m is None else m / 1e9 for m in curves.macs[name]], mode="lines",
            name=label[name],
            line=dict(width=3 if name == "compound" else 2),
            customdata=[[w, d, r] for w, d, r in settings],
            hovertemplate="φ=%{x}<br>w=%{customdata[0]:.2f} d=%{customdata[1]:.2f} r=%{customdata[2]}"
            "<br>%{y:.3f} GMACs<extra>" + label[name] + "</extra>",
        ))
    # The prediction is drawn as far as the compound curve goes (beyond, the axis would explode).
    predicted = [None if c is None else p / 1e9 for p, c in zip(curves.predicted, curves.macs["compound"])]
    fig.add_trace(go.Scatter(x=curves.phis, y=predicted, mode="lines",
                             name=say("predicted"), line=dict(dash="dot", color="grey")))
    fig.add_trace(go.Scatter(x=[curves.phis[0], curves.phis[-1]], y=[cost.gmacs] * 2, mode="lines",
                             name=say("yours"), line=dict(dash="dash", color="black", width=1)))
    if phi is not None:
        fig.add_trace(go.Scatter(x=[phi], y=[cost.gmacs], mode="markers", showlegend=False,
                                 marker=dict(size=12, color="black", symbol="star"),
                                 hovertemplate=say("you_hover")))
    fig.update_layout(
        title=say("flops_title", a=alpha, b=beta, g=gamma), height=420,
        margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h", y=-0.2),
    )
    fig.update_xaxes(title=say("flops_x"))
    fig.update_yaxes(title=say("flops_y"), type="log", tickvals=[0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200])
    return fig


def _accuracy_figure(cost: S.Cost) -> go.Figure:
    family = [r for r in S.family_table() if r.plotted]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[r.tv_gmacs for r in family], y=[r.acc1 for r in family], mode="lines+markers+text",
        text=[r.name for r in family], textposition="top left", name=say("acc_family"),
        customdata=[[r.tv_resolution] for r in family],
        hovertemplate=say("acc_hover"),
    ))
    lo = min(r.acc1 for r in family) - 1.5
    hi = max(r.acc1 for r in family) + 1.0
    fig.add_trace(go.Scatter(
        x=[cost.gmacs, cost.gmacs], y=[lo, hi], mode="lines", line=dict(dash="dash", color="black"),
        name=say("acc_yours", gmacs=cost.gmacs), hoverinfo="name",
    ))
    fig.update_layout(title=say("acc_title"), height=420, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(title=say("acc_x"), type="log", tickvals=[0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200])
    fig.update_yaxes(title=say("acc_y"), range=[lo, hi])
    return fig


def _family_frame() -> pd.DataFrame:
    rows = [
        [r.name, r.phi, *r.official, round(r.compound[0], 3), round(r.compound[1], 3), r.compound[2],
         round(r.official_gmacs, 3), round(r.compound_gmacs, 3), r.acc1, f"{r.params / 1e6:.1f}",
         f"{r.paper[0]} % · {r.paper[1]:g} M · {r.paper[2]:g} G"]
        for r in S.family_table()
    ]
    return pd.DataFrame(rows, columns=say("family_cols"))


def _rho_label(resolution: int) -> str:
    frac = Fraction(resolution, S.MOBILENET_BASE)
    return f"{frac.numerator}/{frac.denominator} ≈ {float(frac):.3f}" if frac.denominator != 1 else str(frac.numerator)
