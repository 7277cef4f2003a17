"""The Architecture tab: every layer's output shape, parameters, multiply-accumulates and receptive field,
for any course network (or timm architecture) at any input size, with the charts and the paper's card.

All numbers come from :func:`lab.inspect.summarize` (a forward pass on meta tensors: no weights, no
arithmetic, so even EfficientNet-B7 at 600 px takes a fraction of a second); this module only formats
and plots them. The API endpoint ``/summarize(model, resolution)`` returns the layer table.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from lab import inspect as li
from lab import lineage as ll
from lab.models.alexnet import NOTES_PARAMS
from lab.models import TIMM_PREFIX, list_models, model_info
from lab.ui import lesson, lineage as lineage_ui
from lab.ui.code import code_panel
from lab.ui.common import ZH, current_language, model_choices, number, si, speaker, text, translator, user_errors
from lab.ui.serving import cached
from lab.ui.text.architecture import CARDS_ZH, TEXT, TEXT_ZH

DEFAULT_MODEL = "resnet18"
# EfficientNet paper Fig. 1 / Fig. 5 in miniature: the classic milestones against the scaled family.
DEFAULT_COMPARE = ["alexnet", "vgg16", "googlenet", "inception_v3", "resnet50", "resnet152", "densenet121",
                   "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "efficientnet_b3", "efficientnet_b7"]
# The table's views: the value the handlers read -> the TEXT key of its label.
VIEWS = {"Stages": "view_stages", "Depth 1": "view_depth1", "Depth 2": "view_depth2", "Depth 3": "view_depth3",
         "Every layer": "view_all"}
VIEW_LINKS = dict(zip(("stages", "depth1", "depth2", "depth3", "all"), VIEWS))  # a lesson link's view= -> a view

i18n = translator(__name__, TEXT)  # i18n("model"): the label in the browser's language
say = speaker(TEXT, TEXT_ZH)  # say("totals", ...): what a handler formats, in the request's language
# The layer table's columns: in the Stages view, and in the others (one row per layer or folded block).
STAGE_COLS = ("stage", "out", "layers", "params", "macs", "share", "rf", "jump")
LAYER_COLS = ("index", "layer", "kind", "in", "out", "params", "macs", "rf", "jump")


def _columns(keys: tuple[str, ...]) -> list[str]:
    """A table's headers in the request's language."""
    return [say(f"col_{k}") for k in keys]


# The events' outputs, declared once: build() fills them with components, the handlers with values.
class Setting(NamedTuple):
    """What picking a network resets: the timm box, and the network's usual input and classes. Only a
    listener that cannot fail sets them, so an error never covers these inputs."""

    timm_name: Any
    resolution: Any
    channels: Any
    classes: Any


class Shown(NamedTuple):
    """Everything one setting shows: the summary (kept for refolding), card, totals, table, charts, code."""

    state: Any
    card: Any
    totals: Any
    table: Any
    table_note: Any
    pyramid: Any
    rf: Any
    params_plot: Any
    macs_plot: Any
    code_caption: Any
    code: Any


class Compared(NamedTuple):
    """The comparison of published figures: the scatter, the table and a note on what is missing."""

    plot: Any
    table: Any
    note: Any


# What a failed event leaves on screen: nothing that answered the previous setting, and a note saying why
# (the error itself is the toast). An empty table keeps its headers (Gradio's default ones are "1 2 3"), in the
# request's language: the failure listeners are wrapped in user_errors for it.
def failed() -> Shown:
    return Shown(*[None] * len(Shown._fields))._replace(totals=i18n("failed"),
                                                        table=pd.DataFrame(columns=_columns(STAGE_COLS)))


def no_comparison() -> Compared:
    return Compared(plot=None, table=pd.DataFrame(columns=say("compare_cols")), note=i18n("compare_none"))


# ------------------------------------------------------------------------------------------ layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    lineage = lineage_ui.build()
    model, setting, card, totals = _settings_section()
    gr.Markdown(i18n("units"), elem_classes=["explain"])
    view, search, table, table_note = _table_section()
    pyramid, rf, params_plot, macs_plot = _charts_section()
    with gr.Accordion(i18n("code_heading"), open=False):
        code_caption = gr.Markdown()
        code = gr.Code(language="python", interactive=False, max_lines=40, label=i18n("code_heading"))
    code_panel("architecture", dict(model=model, **setting._asdict()), results=(totals,))
    picks, compared = _compare_section()
    code_panel("compare", {"names": picks})
    shown = Shown(state=gr.State(), card=card, totals=totals, table=table, table_note=table_note, pyramid=pyramid,
                  rf=rf, params_plot=params_plot, macs_plot=macs_plot, code_caption=code_caption, code=code)
    _wire(model, setting, shown, view, search, picks, compared, lineage[2])
    gr.on(None, lineage_ui.draw, None, list(lineage[:2]), api_visibility="private", show_progress="hidden")
    gr.api(api_summarize, api_name="summarize")
    gr.api(lineage_ui.api_lineage, api_name="lineage")


def _settings_section() -> tuple[gr.Dropdown, Setting, gr.Markdown, gr.Markdown]:
    """The network and its input on the left; its card and totals on the right."""
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            model = gr.Dropdown(model_choices(), value=DEFAULT_MODEL, label=i18n("model"), info=i18n("model_info"),
                                elem_id="arch-model")
            timm_name = gr.Textbox(label=i18n("timm"), info=i18n("timm_info"), placeholder=TEXT["timm_placeholder"],
                                   elem_id="arch-timm")
            resolution = gr.Slider(1, li.MAX_SIDE, value=224, step=1, label=i18n("resolution"),
                                   info=i18n("resolution_info"), elem_id="arch-resolution")
            with gr.Row():
                channels = gr.Number(3, precision=0, minimum=1, maximum=li.MAX_CHANNELS, label=i18n("channels"),
                                     info=i18n("channels_info"), elem_id="arch-channels")
                classes = gr.Number(1000, precision=0, minimum=1, maximum=li.MAX_CLASSES, label=i18n("classes"),
                                    info=i18n("classes_info"), elem_id="arch-classes")
        with gr.Column(scale=2, min_width=420):
            card = gr.Markdown(elem_id="arch-card")
            totals = gr.Markdown(elem_id="arch-totals")
    return model, Setting(timm_name=timm_name, resolution=resolution, channels=channels, classes=classes), card, totals


def _table_section() -> tuple[gr.Radio, gr.Textbox, gr.Dataframe, gr.Markdown]:
    """The layer table, with its view (stages, depth, every layer), search box and a note when nothing matches."""
    gr.Markdown(i18n("table_heading"))
    gr.Markdown(i18n("table_help"), elem_classes=["explain"])
    with gr.Row():
        view = gr.Radio([(i18n(key), value) for value, key in VIEWS.items()], value="Stages", label=i18n("view"),
                        scale=2)
        search = gr.Textbox(label=i18n("search"), placeholder=TEXT["search_placeholder"], scale=1,
                            elem_id="arch-search")
    note = gr.Markdown(elem_id="arch-table-note")
    table = gr.Dataframe(label=i18n("table"), interactive=False, wrap=True, max_height=520, elem_id="arch-table")
    return view, search, table, note


def _charts_section() -> tuple[gr.Plot, gr.Plot, gr.Plot, gr.Plot]:
    """Feature pyramid and receptive field; parameters and MACs per stage."""
    gr.Markdown(i18n("charts_heading"))
    with gr.Row():
        pyramid = gr.Plot(elem_id="arch-pyramid", show_label=False)
        rf = gr.Plot(elem_id="arch-rf", show_label=False)
    with gr.Row():
        params_plot = gr.Plot(elem_id="arch-params", show_label=False)
        macs_plot = gr.Plot(elem_id="arch-macs", show_label=False)
    return pyramid, rf, params_plot, macs_plot


def _compare_section() -> tuple[gr.Dropdown, Compared]:
    """Published accuracy against compute for the networks picked."""
    gr.Markdown(i18n("compare_heading"))
    gr.Markdown(i18n("compare_help"), elem_classes=["explain"])
    picks = gr.Dropdown([(n, n) for n in list_models()], value=DEFAULT_COMPARE, multiselect=True,
                        label=i18n("compare_pick"), elem_id="arch-compare-pick")
    return picks, Compared(plot=gr.Plot(elem_id="arch-compare", show_label=False),
                           table=gr.Dataframe(interactive=False, wrap=True, elem_id="arch-compare-table"),
                           note=gr.Markdown(elem_id="arch-compare-note"))


def _wire(model: gr.Dropdown, setting: Setting, shown: Shown, view: gr.Radio, search: gr.Textbox,
          picks: gr.Dropdown, compared: Compared, chooser: gr.Radio) -> None:
    """The tab's events: on load, a new network (listed or timm), new settings, the table's view, the comparison.

    Every handler checks its inputs first (preprocess=False: an emptied box reaches it as None, and
    ``_checked`` says what to type). No input is an output of a handler that can fail: a picked network's
    usual setting goes to a State, copied into the inputs by a listener that cannot fail. On an error,
    ``.failure()`` clears what no longer answers the inputs and says so where the totals were.
    """
    private = dict(api_visibility="private", preprocess=False)
    quiet = dict(api_visibility="private", show_progress="hidden")
    settings = [model, setting.timm_name, *setting[1:], view, search]
    linked = dict(model=model, res=setting.resolution, ch=setting.channels, classes=setting.classes, view=(view, VIEW_LINKS))
    load = lesson.follow("architecture", linked).then(first_load, settings, [*shown, *compared], **private)
    load.failure(user_errors(lambda: failed() + no_comparison()), None, [*shown, *compared], **quiet)
    # A picked network: its usual setting (a State: an unknown name covers no input with an "Error" pill),
    # copied into the inputs, then shown for the inputs, as after any new setting.
    usual = gr.State()
    # A node of the lineage graph chosen: copied into the picker (cannot fail), then picked like any network.
    from_lineage = chooser.input(lineage_ui.chosen, chooser, model, **quiet).success(
        pick_model, model, usual, **private)
    for picked in (model.input(pick_model, model, usual, trigger_mode="always_last", **private),
                   setting.timm_name.submit(pick_timm, [model, setting.timm_name], usual, **private),
                   from_lineage):
        picked.failure(user_errors(failed), None, list(shown), **quiet)
        picked.success(_usual_setting, usual, list(setting), **quiet).success(
            change_settings, settings, list(shown), **private).failure(user_errors(failed), None, list(shown),
                                                                        **quiet)
    gr.on([setting.resolution.input, setting.channels.input, setting.classes.input], change_settings, settings,
          list(shown), trigger_mode="always_last", **private).failure(user_errors(failed), None, list(shown),
                                                                      **quiet)
    table = [shown.table, shown.table_note]
    gr.on([view.input, search.input], change_view, [shown.state, view, search], table, trigger_mode="always_last",
          show_progress="hidden", **private).failure(user_errors(lambda: (failed().table, failed().totals)), None,
                                                     table, **quiet)
    # .change, not .input: the dropdown's clear button (×) empties it without an input event.
    picks.change(compare, [picks], list(compared), trigger_mode="always_last",
                 **private).failure(user_errors(no_comparison), None, list(compared), **quiet)


# ------------------------------------------------------------------------------------------ handlers


def _name(model: str, timm_name: str) -> str:
    typed = (timm_name or "").strip()
    if typed:
        return typed if typed.startswith(TIMM_PREFIX) else TIMM_PREFIX + typed
    if not model:
        raise ValueError(say("need_name"))
    return model


def _checked(resolution: Any, channels: Any, classes: Any) -> tuple[int, int, int]:
    """The tab's number boxes, checked before any work starts: a sentence saying what to type, or the values."""
    return (number(resolution, say("resolution"), 1, li.MAX_SIDE, whole=True),
            number(channels, say("channels"), 1, li.MAX_CHANNELS, whole=True),
            number(classes, say("classes"), 1, li.MAX_CLASSES, whole=True))


def _everything(name: str, res: int, channels: int, classes: int, view: str, search: str) -> Shown:
    """Summary, card, totals, table, four charts and the code view for one checked setting."""
    s = li.summarize(name, (channels, res, res), classes)
    module, source = li.family_source(name)
    caption = "code_caption_timm" if name.startswith(TIMM_PREFIX) else "code_caption"
    table, note = _table(s, view, search)
    return Shown(state=s, card=_card(name), totals=_totals(s), table=table, table_note=note,
                 pyramid=_pyramid_figure(s), rf=_rf_figure(s), params_plot=_stage_figure(s, "params"),
                 macs_plot=_stage_figure(s, "macs"), code_caption=say(caption, module=module, name=name),
                 code=source)


def _usual(name: str, timm_name: Any) -> Setting:
    """A network's usual input and classes, and what goes in the timm box (raises a sentence for an unknown
    name)."""
    c, h, _ = li.usual_input_size(name)
    return Setting(timm_name=timm_name, resolution=h, channels=c, classes=li.default_num_classes(name))


@user_errors
def pick_model(model: str) -> Setting:
    """A network from the list: its usual input size and classes, and an empty timm box."""
    return _usual(model, "")


@user_errors
def pick_timm(model: str, timm_name: str) -> Setting:
    """A typed timm name (or a cleared box: back to the list): its usual input size and classes."""
    return _usual(_name(model, timm_name), gr.skip())  # the timm box keeps what the user typed meanwhile


def _usual_setting(usual: Setting | None) -> Setting | Any:
    """The picked network's usual setting, into the inputs (a copy of what pick_* found: cannot fail)."""
    return gr.skip() if usual is None else usual


@cached
@user_errors
def change_settings(model: str, timm_name: str, resolution, channels, classes, view: str, search: str) -> Shown:
    """A new resolution, number of channels or classes: everything again (shapes only, instant)."""
    res, c, k = _checked(resolution, channels, classes)
    return _everything(_name(model, timm_name), res, c, k, view, search)


@user_errors
def change_view(s: li.Summary | None, view: str, search: str):
    """Fold or filter the table of the summary already computed (the table, and a note if nothing matches)."""
    if s is None:
        return gr.skip(), gr.skip()
    return _table(s, view, search)


@cached
@user_errors
def first_load(model: str = DEFAULT_MODEL, timm_name: str = "", resolution: Any = None, channels: Any = None,
               classes: Any = None, view: str = "Stages", search: str = "") -> tuple:
    """What a student sees on opening the tab (Shown + Compared): the setting on screen (a lesson link's), by
    default the default network at its usual size; and the comparison."""
    usual = _usual(_name(model, timm_name), "")
    shown = change_settings(model, timm_name, *(usual[i] if v is None else v for i, v in
                                                ((1, resolution), (2, channels), (3, classes))), view, search)
    return shown + _compare(DEFAULT_COMPARE)


@user_errors
def compare(names: list[str]) -> Compared:
    """Scatter and table of the picked networks' published figures."""
    return _compare(names)


@cached
@user_errors
def api_summarize(model: str, resolution: int) -> tuple[dict, dict]:
    """The layer table of ``model`` (a course name or ``timm:<name>``) for a square input of side
    ``resolution`` px, every layer; then the totals. Errors (unknown name, input too small) are sentences."""
    side = number(resolution, say("resolution"), whole=True)  # lab.inspect says which sides work
    c = li.usual_input_size(text(model, "The model").strip())[0]
    s = li.summarize(model, (c, side, side))
    table = _layer_table(s, "Every layer", "")
    return {"headers": list(table.columns), "data": table.values.tolist()}, s.as_dict()


# ------------------------------------------------------------------------------------------ formatting


def _shape(shape: tuple[int, ...] | None) -> str:
    return "—" if shape is None else "×".join(str(n) for n in shape)


def _px(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "0"


def _layer_table(s: li.Summary, view: str, search: str) -> pd.DataFrame:
    """The rows the table shows: stages, folded rows or every layer, filtered by the search text."""
    needle = (search or "").strip().lower()
    if view == "Stages":
        data = [[st.name + ("" if st.ran else f" {say('not_run_cell')}"), _shape(st.output_shape), st.layers,
                 f"{st.params:,}", si(st.macs), _pct(st.macs, s.total_macs), _px(st.receptive_field),
                 _px(st.stride)]
                for st in s.stages if needle in st.name.lower()]
        return pd.DataFrame(data, columns=_columns(STAGE_COLS))
    rows = s.rows if view == "Every layer" else s.fold(int(view.split()[-1]))
    data, index = [], 1
    for r in rows:
        if needle in r.name.lower() or needle in r.kind.lower():
            kind = r.kind if r.layers == 1 else say("calls", kind=r.kind, n=r.layers)
            data.append([index, r.name or say("model_row"), kind, _shape(r.input_shape), _shape(r.output_shape),
                         f"{r.params:,}", si(r.macs), _px(r.receptive_field), _px(r.stride)])
        index += r.layers
    return pd.DataFrame(data, columns=_columns(LAYER_COLS))


def _table(s: li.Summary, view: str, search: str) -> tuple[pd.DataFrame, str]:
    """The table's rows, and a sentence when the search matches none (an empty table shows bare headers)."""
    frame = _layer_table(s, view, search)
    note = "" if len(frame) else say("no_match", search=(search or "").strip())
    return frame, note


def _totals(s: li.Summary) -> str:
    c, h, w = s.input_size
    text = say("totals",
        params=f"{s.total_params:,}", params_short=si(s.total_params, 1), macs=si(s.total_macs),
        flops=si(2 * s.total_macs), c=c, h=h, w=w, out=_shape(s.output_shape), rows=len(s.rows),
    )
    skipped = [st for st in s.stages if not st.ran]
    if skipped:
        text += say("not_run", modules=", ".join(f"`{m}`" for st in skipped for m in st.modules),
                                       params=f"{sum(st.params for st in skipped):,}")
    return text


def _card(name: str) -> str:
    info = model_info(name)
    year = f" ({info.year})" if info.year else ""
    lines = [f"### {info.family} · `{name}`{year}"]
    if info.paper:
        lines.append(say("card_paper", title=info.paper, link=info.arxiv) if info.arxiv else info.paper)
    lines.append(say("key_idea") + _card_text(info.key_idea))
    if info.note:
        lines.append(f"*{_card_text(info.note)}*")
    variant = None if name.startswith(TIMM_PREFIX) else ll.variant_figures(name)
    if variant is not None:
        (p, lp), (m, lm), (r, lr) = variant.params, variant.macs, variant.receptive_field
        lines.append(say("card_variant", like=variant.like, px=variant.input_size[1], params=f"{p:,}",
                         like_params=f"{lp:,}", macs=si(m), like_macs=si(lm), rf=r, like_rf=lr))
    if info.family == "AlexNet":
        lines.append(say("card_alexnet_notes", notes=f"{NOTES_PARAMS:,}", params=f"{li.summarize(name).total_params:,}"))
    if info.figures:
        lines.append(say("card_published_head") + "".join(
            say("card_published_row", label=f.label, px=f.resolution, recipe=_recipe(f), acc1=f.acc1,
                acc5=f"{f.acc5} %" if f.acc5 is not None else "—", gmacs=f.gmacs, params=si(f.num_params, 1),
                loaded=say("card_loaded") if f.label == info.weights else "")
            for f in info.figures))
    elif not name.startswith(TIMM_PREFIX):
        lines.append(say("card_no_figures"))
    return "\n\n".join(lines)


def _recipe(f: Any) -> str:
    """'paper recipe' or 'newer recipe', in the request's language."""
    return say("recipe_paper" if f.paper_recipe else "recipe_newer")


def _card_text(sentence: str) -> str:
    """A model card's sentence (lab.models' key idea or note) in the request's language."""
    return CARDS_ZH.get(sentence, sentence) if current_language() == ZH else sentence


# ------------------------------------------------------------------------------------------ charts


_AXIS = dict(showgrid=True, gridcolor="#e5e7eb", zeroline=False, linecolor="#94a3b8", showline=True,
             automargin=True)
_COLORWAY = ["#6366f1", "#f59e0b", "#10b981", "#ef4444", "#0ea5e9", "#a855f7", "#84cc16", "#ec4899", "#64748b",
             "#14b8a6"]


def _figure(traces: list, title: str, xaxis: dict, yaxis: dict, height: int = 380, **layout) -> go.Figure:
    """One figure built in one go (plotly validates every update; named templates cost ~0.1 s to copy)."""
    base = dict(
        title=dict(text=title, x=0.02, y=0.97, yanchor="top"), height=height, margin=dict(l=10, r=10, t=80, b=10),
        template="none", plot_bgcolor="white", paper_bgcolor="white", colorway=_COLORWAY, font=dict(size=12),
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"), hovermode="closest",
        xaxis={**_AXIS, **xaxis}, yaxis={**_AXIS, **yaxis})
    return go.Figure(data=traces, layout={**base, **layout})  # layout may replace the margin


def _pyramid_figure(s: li.Summary) -> go.Figure:
    t = {k: say(k) for k in ("pyramid_c", "pyramid_h", "pyramid_title", "pyramid_x")}
    rows = s.spatial_rows()
    x = [i for i, _ in rows]
    hover = [f"#{i} {r.name} ({r.kind})<br>{say('hover_output', shape=_shape(r.output_shape))}" for i, r in rows]
    traces = [
        go.Bar(x=x, y=[r.output_shape[0] for _, r in rows], name=t["pyramid_c"], hovertext=hover,
               hoverinfo="text+y", marker_color="#6366f1"),
        go.Scatter(x=x, y=[r.output_shape[1] for _, r in rows], name=t["pyramid_h"], hovertext=hover,
                   hoverinfo="text+y", mode="lines", line=dict(color="#f59e0b", width=3, shape="hv"), yaxis="y2"),
    ]
    return _figure(traces, t["pyramid_title"], dict(title=t["pyramid_x"]), dict(title=t["pyramid_c"]),
                   yaxis2=dict(title=t["pyramid_h"], overlaying="y", side="right", rangemode="tozero",
                               showgrid=False, zeroline=False, automargin=True))


def _running_max(values: list[float]) -> list[float]:
    out, best = [], float("-inf")
    for v in values:
        best = max(best, v)
        out.append(best)
    return out


def _rf_figure(s: li.Summary) -> go.Figure:
    """The main path's field is the running maximum: side branches (a ResNet shortcut's 1×1 projection)
    see less, and are shown as dots below the line."""
    t = {k: say(k) for k in ("rf_trace", "rf_layers", "jump_trace", "rf_input", "rf_title", "pyramid_x", "rf_y")}
    rows = [(i, r) for i, r in s.spatial_rows() if r.receptive_field is not None]
    x = [i for i, _ in rows]
    hover = [f"#{i} {r.name} ({r.kind})" for i, r in rows]
    h = s.input_size[1]
    traces = [
        go.Scatter(x=x, y=_running_max([r.receptive_field for _, r in rows]), name=t["rf_trace"], mode="lines",
                   hoverinfo="skip", line=dict(color="#6366f1", width=3)),
        go.Scatter(x=x, y=[r.receptive_field for _, r in rows], name=t["rf_layers"], mode="markers",
                   hovertext=hover, hoverinfo="text+y", marker=dict(color="#94a3b8", size=5)),
        go.Scatter(x=x, y=_running_max([r.stride for _, r in rows]), name=t["jump_trace"], mode="lines",
                   hovertext=hover, hoverinfo="text+y", line=dict(color="#10b981", dash="dot")),
        go.Scatter(x=[x[0], x[-1]] if x else [], y=[h, h] if x else [], name=t["rf_input"].format(h=h),
                   mode="lines", hoverinfo="skip", line=dict(color="#ef4444", dash="dash")),
    ]
    return _figure(traces, t["rf_title"], dict(title=t["pyramid_x"]), dict(title=t["rf_y"], rangemode="tozero"))


def _stage_figure(s: li.Summary, key: str) -> go.Figure:
    stages = s.stages[::-1]  # the first stage on top
    values = [getattr(st, key) / 1e6 for st in stages]
    bar = go.Bar(x=values, y=[st.name.split(" (")[0] for st in stages], orientation="h",
                 hovertext=[st.name for st in stages],
                 marker_color=["#6366f1" if st.ran else "#cbd5e1" for st in stages],
                 text=[f"{v:,.2f}" for v in values], textposition="auto",
                 hovertemplate="%{hovertext}<br>%{x:,.3f} M<extra></extra>")
    return _figure([bar], say(f"{key}_title"), dict(title=say(f"{key}_x")),
                   dict(showgrid=False), height=max(320, 110 + 26 * len(stages)),
                   showlegend=False)


# The comparison's labels are placed here: plotly would put every name "top center", and two networks of
# similar cost and accuracy (googlenet, resnet18) would print their names over each other. The plot is at
# least _PLOT_PX wide and high; a wider screen only moves the points further apart.
_PLOT_PX = (600, 300)
_BUBBLE_PX = 60  # the largest bubble's diameter
_CHAR_PX, _LINE_PX = 7.0, 15.0  # a label's size at font size 12, generously
_SPOTS = {  # where plotly may print a label around its bubble: the spot's name -> (right, down) in {-1, 0, 1}
    "top center": (0, -1), "bottom center": (0, 1), "middle right": (1, 0), "middle left": (-1, 0),
    "top right": (1, -1), "top left": (-1, -1), "bottom right": (1, 1), "bottom left": (-1, 1),
}
_Box = tuple[float, float, float, float]  # left, top, right, bottom in px
_NO_BREAK_HYPHEN = "\u2011"  # "Inception-v3" must not wrap as "Inception-" / "v3" in a narrow column


def _overlap(a: _Box, b: _Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _label_positions(points: list[tuple[float, float, str, float]]) -> tuple[list[str], list[float], list[float]]:
    """Text positions for bubbles ``(GMACs, top-1, name, diameter px)``, each the first spot around its bubble
    that covers no other bubble, no label placed before and stays in the plot (else the least covering one);
    and the axis ranges (log x) they were placed for."""
    if not points:
        return [], [-1, 2], [50, 90]
    lx, ys = [math.log10(p[0]) for p in points], [p[1] for p in points]
    x_pad, y_pad = 0.1 * (max(lx) - min(lx)) + 0.15, 0.1 * (max(ys) - min(ys)) + 1.5
    x_range, y_range = [min(lx) - x_pad, max(lx) + x_pad], [min(ys) - y_pad, max(ys) + 1.5 * y_pad]
    w, h = _PLOT_PX
    centres = [((x - x_range[0]) / (x_range[1] - x_range[0]) * w, (y_range[1] - y) / (y_range[1] - y_range[0]) * h)
               for x, y in zip(lx, ys)]
    bubbles = [(cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2) for (cx, cy), (*_, d) in zip(centres, points)]
    taken: list[_Box] = []
    positions = []
    for k, ((cx, cy), (_, _, name, d)) in enumerate(zip(centres, points)):
        half_w, half_h, r = len(name) * _CHAR_PX / 2, _LINE_PX / 2, d / 2 + 2

        def label(spot: str) -> _Box:
            sx, sy = _SPOTS[spot]
            near = 0.7 if sx and sy else 1.0  # a corner spot sits on the bubble's diagonal
            x, y = cx + sx * (near * r + half_w), cy + sy * (near * r + half_h)
            return x - half_w, y - half_h, x + half_w, y + half_h

        def covered(spot: str) -> float:
            b = label(spot)
            outside = 4 * half_w * half_h - _overlap(b, (0, 0, w, h))
            return sum(_overlap(b, o) for o in taken + bubbles[:k] + bubbles[k + 1:]) + 100 * outside

        best = min(_SPOTS, key=covered)  # on a tie the first spot: "top center"
        positions.append(best)
        taken.append(label(best))
    return positions, x_range, y_range


def _hover_data(info: Any, f: Any) -> list:
    """What a comparison point's hover shows beside its x and y: params (M), eval size, whose figures, recipe,
    network."""
    return [f.num_params / 1e6, f.resolution, f.label, _recipe(f), info.name]


def _compare(names: list[str]) -> Compared:
    t = {k: say(k) for k in ("compare_title", "compare_x", "compare_y", "compare_cols", "compare_missing",
                             "compare_newer")}
    if not names:  # the dropdown cleared: nothing to plot, and a sentence saying what to do
        return no_comparison()
    infos = [model_info(n) for n in names]
    known = [i for i in infos if li.has_published_figures(i)]
    biggest = max((i.num_params or 0 for i in known), default=1)
    positions, x_range, y_range = _label_positions(
        [(i.gflops, i.acc1, i.name, _BUBBLE_PX * math.sqrt((i.num_params or 0) / biggest)) for i in known])
    traces = []
    for family in dict.fromkeys(i.family for i in known):
        group = [(i, positions[k]) for k, i in enumerate(known) if i.family == family]
        traces.append(go.Scatter(
            x=[i.gflops for i, _ in group], y=[i.acc1 for i, _ in group], mode="markers+text", name=family,
            text=[i.name for i, _ in group], textposition=[p for _, p in group],
            marker=dict(size=[i.num_params for i, _ in group], sizemode="area", sizeref=2 * biggest / _BUBBLE_PX ** 2,
                        sizemin=4, opacity=0.7, line=dict(width=1, color="#334155")),
            customdata=[_hover_data(i, i.figures[0]) for i, _ in group], hovertemplate=say("compare_hover")))
    # Where torchvision's default weights use a newer recipe, that figure too: an open diamond above the bubble.
    newer = [(i, f) for i in known for f in i.figures[1:]]
    if newer:  # a dotted stalk from each bubble up to its newer recipe's diamond
        stalks = [(i.figures[0], f) for i, f in newer]
        traces.append(go.Scatter(x=[v for a, b in stalks for v in (a.gmacs, b.gmacs, None)],
                                 y=[v for a, b in stalks for v in (a.acc1, b.acc1, None)], mode="lines",
                                 line=dict(color="#334155", dash="dot", width=1), hoverinfo="skip", showlegend=False))
        traces.append(go.Scatter(
            x=[f.gmacs for _, f in newer], y=[f.acc1 for _, f in newer], mode="markers", name=t["compare_newer"],
            marker=dict(symbol="diamond-open", size=10, color="#334155", line=dict(width=1.5)),
            customdata=[_hover_data(i, f) for i, f in newer], hovertemplate=say("compare_hover")))
        y_range = [y_range[0], max(y_range[1], max(f.acc1 for _, f in newer) + 1.5)]
    fig = _figure(traces, t["compare_title"], dict(title=t["compare_x"], type="log", range=x_range),
                  dict(title=t["compare_y"], range=y_range), height=500,
                  margin=dict(l=10, r=10, t=110, b=10))  # room for a three-row legend under the title
    table = pd.DataFrame([
        [i.name, i.family.replace("-", _NO_BREAK_HYPHEN), i.year or "—", i.acc1 if i.acc1 is not None else "—",
         i.acc5 if i.acc5 is not None else "—",
         i.gflops if i.gflops else "—", f"{i.num_params / 1e6:.1f}" if i.num_params else "—",
         li.published_resolution(i.name) or "—", i.figures[0].label if i.figures else "—",
         " · ".join(f"{f.acc1} ({f.label})" for f in i.figures[1:]) or "—"]
        for i in infos], columns=t["compare_cols"])
    missing = [i.name for i in infos if i not in known]
    note = t["compare_missing"].format(names=", ".join(missing)) if missing else ""
    return Compared(plot=fig, table=table, note=note)
