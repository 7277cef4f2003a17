"""The Architecture tab's lineage: the course's path from LeNet-5 to EfficientNet as a graph (x = year, y =
parameters, log scale), each edge numbered with the idea it added, and a radio under it that opens a network
in the tab's picker. The data (figures from lab.inspect and the weights' metadata) is :func:`lab.lineage.lineage`;
this module only draws it. Its sentences are the Architecture tab's (lab/ui/text/architecture.py).
"""
from __future__ import annotations

import math

import gradio as gr
import plotly.graph_objects as go

from lab import lineage as ll
from lab.ui.common import ZH, current_language, si, speaker, translator, user_errors
from lab.ui.text.architecture import CARDS_ZH, TEXT, TEXT_ZH

i18n = translator("lab.ui.architecture", TEXT)  # the Architecture tab's keys
say = speaker(TEXT, TEXT_ZH)


def _zh(sentence: str) -> str:
    return CARDS_ZH.get(sentence, sentence) if current_language() == ZH else sentence


def build() -> tuple[gr.Plot, gr.Markdown, gr.Radio]:
    """The accordion (open): the graph, the numbered ideas and the radio that picks a node."""
    data = ll.lineage()
    with gr.Accordion(i18n("lineage_heading"), open=True, elem_id="arch-lineage-box"):
        gr.Markdown(i18n("lineage_help"), elem_classes=["explain"])
        plot = gr.Plot(elem_id="arch-lineage", show_label=False)
        ideas = gr.Markdown(elem_id="arch-lineage-ideas")
        chooser = gr.Radio([(f"{n.label} ({n.year})", n.name) for n in data.nodes], value=None,
                           label=i18n("lineage_pick"), elem_id="arch-lineage-pick")
    return plot, ideas, chooser


# Where each name sits around its dot: the 2012–2019 networks crowd each other (MobileNet v3 and EfficientNet-B0
# share 2019 and ~5.4 M parameters).
_SPOT = {"alexnet": "top left", "vgg16": "top center", "nin": "bottom left", "googlenet": "bottom right",
         "inception_v3": "top center", "resnet50": "bottom right", "densenet121": "top right",
         "mobilenet_v1": "bottom left", "mobilenet_v3_large": "bottom right", "efficientnet_b0": "top center"}


@user_errors
def draw() -> tuple[go.Figure, str]:
    """The lineage figure and the numbered list of ideas, in the request's language."""
    data = ll.lineage()
    nodes = {n.name: n for n in data.nodes}
    no_top1 = say("lineage_no_top1")
    hover = [say("lineage_hover", label=n.label, name=n.name, year=n.year, params=f"{n.params:,}",
                 macs=si(n.macs), px=n.input_size[1],
                 top1=f"{n.acc1} % ({n.acc1_source})" if n.acc1 is not None else no_top1) for n in data.nodes]
    traces = []
    for k, e in enumerate(data.edges, 1):
        a, b = nodes[e.source], nodes[e.target]
        mid = ((a.year + b.year) / 2, math.sqrt(a.params * b.params))
        traces.append(go.Scatter(x=[a.year, b.year], y=[a.params, b.params], mode="lines", hoverinfo="skip",
                                 line=dict(color="#94a3b8", width=1.5), showlegend=False))
        traces.append(go.Scatter(x=[mid[0]], y=[mid[1]], mode="markers+text", text=[str(k)],
                                 textfont=dict(size=10, color="white"),
                                 marker=dict(size=16, color="#f59e0b"), showlegend=False,
                                 hovertext=[f"{k}. {a.label} → {b.label}: {_zh(e.idea)}"], hoverinfo="text"))
    traces.append(go.Scatter(
        x=[n.year for n in data.nodes], y=[n.params for n in data.nodes], mode="markers+text",
        text=[n.label for n in data.nodes],
        textposition=[_SPOT.get(n.name, "bottom center") for n in data.nodes],
        marker=dict(size=12, color="#6366f1", line=dict(width=1, color="#334155")), hovertext=hover,
        hoverinfo="text", showlegend=False))
    fig = go.Figure(data=traces, layout=dict(
        title=dict(text=say("lineage_title"), x=0.02), height=460, template="none", plot_bgcolor="white",
        margin=dict(l=10, r=10, t=60, b=10), hovermode="closest",
        xaxis=dict(title=say("lineage_x"), range=[1996.5, 2021.5], dtick=2, gridcolor="#e5e7eb", automargin=True),
        yaxis=dict(title=say("lineage_y"), type="log", gridcolor="#e5e7eb", automargin=True)))
    ideas = "\n".join(f"{k}. **{nodes[e.source].label} → {nodes[e.target].label}**: {_zh(e.idea)}"
                      for k, e in enumerate(data.edges, 1))
    return fig, ideas


def chosen(name: str | None) -> str:
    """The node picked under the graph, into the Architecture picker (a copy: cannot fail)."""
    return name if name else gr.skip()


def api_lineage() -> dict:
    """The course's lineage: ``{"nodes": [{name, family, year, params, macs, input_size, acc1, acc1_source}],
    "edges": [{source, target, idea}]}``. Parameters and MACs are lab.inspect's, on the real modules at their
    usual input; top-1 is the paper-recipe ImageNet figure (None where none is published)."""
    return ll.lineage().as_dict()
