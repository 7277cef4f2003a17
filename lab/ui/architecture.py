"""The Architecture tab: every layer's output shape, parameters, multiply-accumulates and receptive field,
for any course network (or timm architecture) at any input size, with the charts and the paper's card.

All numbers come from :func:`lab.inspect.summarize` (a forward pass on meta tensors: no weights, no
arithmetic, so even EfficientNet-B7 at 600 px takes a fraction of a second); this module only formats
and plots them. The API endpoint ``/summarize(model, resolution)`` returns the layer table.
"""
import pandas as pd
import gradio as gr
import plotly.graph_objects as go

from lab import inspect as li
from lab.models import TIMM_PREFIX, list_models, model_info
from lab.ui.common import model_choices, translator, user_errors

DEFAULT_MODEL = "resnet18"
# EfficientNet paper Fig. 1 / Fig. 5 in miniature: the classic milestones against the scaled family.
DEFAULT_COMPARE = ["alexnet", "vgg16", "googlenet", "inception_v3", "resnet50", "resnet152", "densenet121",
                   "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "efficientnet_b3", "efficientnet_b7"]
# The table's views: the value the handlers read -> the TEXT key of its label.
VIEWS = {"Stages": "view_stages", "Depth 1": "view_depth1", "Depth 2": "view_depth2", "Depth 3": "view_depth3",
         "Every layer": "view_all"}

TEXT = {
    "title": "Architecture",
    "intro": "### What happens to the tensor at each layer?\n"
    "Pick a network and an input size: every layer's output shape (C×H×W, without the batch), its parameters, "
    "its **multiply-accumulates (MACs)** for one image and its **receptive field** appear at once. "
    "Nothing is downloaded or computed on real numbers: CNN Lab propagates shapes only, so even EfficientNet-B7 "
    "at 600 px takes a blink.",
    "model": "Network",
    "model_info": "The course's networks, grouped by family in the order the course teaches them.",
    "timm": "…or any timm architecture",
    "timm_info": "Type a timm model name (e.g. convnext_tiny, vit_tiny_patch16_224) and press Enter. "
    "Clear the box to go back to the list.",
    "timm_placeholder": "timm:convnext_tiny",
    "resolution": "Input resolution (px)",
    "resolution_info": "Height = width of the input image. Each network has a usual size (224 for most, 299 for "
    "Inception-v3, 600 for EfficientNet-B7); try smaller ones and watch where the map runs out of pixels.",
    "channels": "Input channels",
    "channels_info": "3 for colour images. LeNet-5 reads grey digits (1) and can be built for 3; the others need 3.",
    "classes": "Classes",
    "classes_info": "Outputs of the last layer: 1000 for ImageNet, 10 for digits. Only the classifier changes.",
    "units": "**Units.** Params = learned weights and biases. **MACs** = multiply-accumulates, one multiplication "
    "plus one addition: a k×k convolution costs C_in/groups·k·k MACs per output number, a fully connected layer "
    "C_in per output. A FLOP counts the multiplication and the addition apart, so **FLOPs ≈ 2 × MACs** "
    "(torchvision's \"GFLOPS\" and torchinfo's \"mult-adds\" are MACs). Batch norm, activations, pooling and the "
    "residual additions count 0 MACs: one cheap operation per number, not a sum over a window. "
    "**RF** = receptive field, the side of the input square one output position can see; **jump** = how many "
    "input pixels one step on this map moves.",
    "totals": "**{params}** parameters ({params_short}) · **{macs} MACs** for one {c}×{h}×{w} image "
    "(≈ {flops} FLOPs, since FLOPs ≈ 2 × MACs) · output {out} · {rows} layer calls",
    "not_run": "\n\n{modules} ({params} parameters) only run while training (extra gradient signal for the deep "
    "middle of the network): they count in the total above but have no rows, since the table shows the network "
    "as it is used at test time.",
    "table_heading": "### Layer by layer",
    "table_help": "One row per call of a layer, in the order the forward pass runs them (a layer used twice, "
    "such as ResNet's shared ReLU, appears twice). **Stages** groups the blocks a student compares; "
    "**Depth n** folds the names to n parts (layer1, layer1.0, …).",
    "view": "Show",
    "view_stages": "Stages",
    "view_depth1": "Depth 1",
    "view_depth2": "Depth 2",
    "view_depth3": "Depth 3",
    "view_all": "Every layer",
    "search": "Search layers",
    "search_placeholder": "conv, layer3, Bottleneck, pool…",
    "table": "Layers",
    "col_index": "#",
    "col_layer": "Layer",
    "col_stage": "Stage",
    "col_kind": "Type",
    "col_in": "Input C×H×W",
    "col_out": "Output C×H×W",
    "col_layers": "Calls",
    "col_params": "Params",
    "col_macs": "MACs",
    "col_share": "% of MACs",
    "col_rf": "RF (px)",
    "col_jump": "Jump (px)",
    "not_run_cell": "(training only)",
    "charts_heading": "### Charts",
    "pyramid_title": "Feature pyramid: the map shrinks, the channels grow",
    "pyramid_c": "channels C",
    "pyramid_h": "map height H (px)",
    "pyramid_x": "layer (execution order)",
    "rf_title": "Receptive field growth",
    "rf_y": "pixels of the input",
    "rf_trace": "receptive field, main path (px)",
    "rf_layers": "each layer's output",
    "jump_trace": "jump (px)",
    "rf_input": "input size {h} px",
    "params_title": "Parameters per stage (millions)",
    "params_x": "parameters (M)",
    "macs_title": "MACs per stage (millions; FLOPs ≈ 2 × MACs)",
    "macs_x": "multiply-accumulates (M)",
    "code_heading": "View code",
    "code_caption": "The source of `{module}`, which defines **{name}**. The variants are a table at the top; "
    "the classes follow the paper's figures.",
    "code_caption_timm": "timm's source of `{module}`, which defines **{name}** (timm's own code, with more options "
    "than the course files).",
    "compare_heading": "### Compare networks",
    "compare_help": "ImageNet top-1 accuracy against compute, as in the EfficientNet paper (Fig. 5): up and to "
    "the left is better. Bubble area ∝ parameters. Figures are torchvision's published ones for its "
    "pretrained weights (its \"GFLOPS\" are GMACs), measured at its evaluation size.",
    "compare_pick": "Networks to compare",
    "compare_title": "ImageNet top-1 vs. GMACs (bubble area ∝ parameters)",
    "compare_x": "GMACs per image, log scale (FLOPs ≈ 2 × MACs)",
    "compare_y": "ImageNet top-1 accuracy (%)",
    "compare_missing": "No published ImageNet figures for: {names} (they are not plotted).",
    "compare_cols": ["Network", "Family", "Year", "Top-1 (%)", "Top-5 (%)", "GMACs", "Params (M)", "Eval size (px)"],
    "card_published": "| ImageNet, torchvision weights | top-1 | top-5 | GMACs | params |\n|---|---:|---:|---:|---:|\n"
    "| `{weights}` at {px} px | {acc1} % | {acc5} % | {gmacs} | {params} |",
    "card_no_figures": "*No published ImageNet accuracy for this network in torchvision.*",
    "card_paper": "[{title}]({link})",
    "key_idea": "**Key idea.** ",
    "need_name": "Pick a network from the list or type a timm name first.",
    "need_number": "Enter a number for {what}.",
    "whole_pixels": "The resolution must be a whole number of pixels, not {value}.",
    "model_row": "(the model itself)",
}

# The static text in Chinese (the course notes' terms), for browsers whose locale is zh-CN. The table, charts,
# totals and messages are formatted by the handlers and stay English.
TEXT_ZH = {
    "title": "网络结构",
    "intro": "### 张量在每一层发生了什么？\n"
    "选一个网络和输入尺寸，立刻就能看到每一层的输出形状（C×H×W，不含批量维）、参数量、处理一张图像所需的"
    "**乘加运算**（MACs）以及**感受野**。这里既不下载任何东西，也不对真实数据做计算：CNN Lab 只推算形状，"
    "所以即使是 600 px 的 EfficientNet-B7 也只需一眨眼。",
    "model": "网络",
    "model_info": "课程中的网络，按课程讲授的顺序分族排列。",
    "timm": "……或任意 timm 架构",
    "timm_info": "输入 timm 模型名（如 convnext_tiny、vit_tiny_patch16_224）后按回车。清空输入框即回到上面的列表。",
    "resolution": "输入分辨率（px）",
    "resolution_info": "输入图像的高 = 宽。每个网络都有常用尺寸（多数为 224，Inception-v3 为 299，EfficientNet-B7 "
    "为 600）；试试更小的尺寸，看看特征图在哪一层像素不够用。",
    "channels": "输入通道数",
    "channels_info": "彩色图像为 3。LeNet-5 读取灰度数字（1），也可以按 3 通道搭建；其余网络都需要 3。",
    "classes": "类别数",
    "classes_info": "最后一层的输出个数：ImageNet 为 1000，手写数字为 10。只有分类器随之改变。",
    "units": "**单位。** Params = 参数量，即可学习的权重和偏差。**MACs** = 乘加运算，一次乘法加一次加法："
    "k×k 卷积每个输出数值需要 C_in/groups·k·k 次乘加，全连接层每个输出需要 C_in 次。FLOP 把乘法和加法分开计数，"
    "所以 **FLOPs ≈ 2 × MACs**（torchvision 的 \"GFLOPS\" 和 torchinfo 的 \"mult-adds\" 其实都是 MACs）。"
    "批量归一化、激活函数、池化和残差相加都记为 0 MACs：它们对每个数只做一次廉价运算，而不是在窗口上求和。"
    "**RF** = 感受野，即一个输出位置能看到的输入正方形的边长；**jump**（跳距）= 在这张特征图上移动一步，"
    "对应在输入上移动多少像素。",
    "table_heading": "### 逐层查看",
    "table_help": "按前向传播的执行顺序，层每被调用一次就占一行（调用两次的层，比如 ResNet 中共用的 ReLU，"
    "会出现两次）。**阶段**把学生要对比的模块归在一起；**深度 n** 把层名折叠到前 n 段（layer1、layer1.0、……）。",
    "view": "显示",
    "view_stages": "阶段",
    "view_depth1": "深度 1",
    "view_depth2": "深度 2",
    "view_depth3": "深度 3",
    "view_all": "每一层",
    "search": "搜索层",
    "table": "各层",
    "charts_heading": "### 图表",
    "code_heading": "查看代码",
    "compare_heading": "### 对比网络",
    "compare_help": "ImageNet top-1 准确率与计算量的关系，如 EfficientNet 论文图 5：越靠左上越好。气泡面积 ∝ 参数量。"
    "数据取自 torchvision 为其预训练权重公布的数值（它的 \"GFLOPS\" 实为 GMACs），在其评估尺寸下测得。",
    "compare_pick": "要对比的网络",
}
i18n = translator(__name__, TEXT)  # i18n("model"): the label in the browser's language


# ------------------------------------------------------------------------------------------ formatting


def _shape(shape: tuple[int, ...] | None) -> str:
    return "—" if shape is None else "×".join(str(n) for n in shape)


def _si(n: float, digits: int = 2) -> str:
    """1_814_073_344 -> '1.81 G'; 512_000 -> '512 K'."""
    for factor, unit in ((1e9, "G"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= factor:
            return f"{n / factor:.{digits}f} {unit}".replace(".00 ", " ")
    return f"{n:.0f}"


def _px(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "0"


def _layer_table(s: li.Summary, view: str, search: str) -> pd.DataFrame:
    """The rows the table shows: stages, folded rows or every layer, filtered by the search text."""
    t = TEXT
    needle = (search or "").strip().lower()
    if view == "Stages":
        cols = [t["col_stage"], t["col_out"], t["col_layers"], t["col_params"], t["col_macs"], t["col_share"],
                t["col_rf"], t["col_jump"]]
        data = [[st.name + ("" if st.ran else f" {t['not_run_cell']}"), _shape(st.output_shape), st.layers,
                 f"{st.params:,}", _si(st.macs), _pct(st.macs, s.total_macs), _px(st.receptive_field),
                 _px(st.stride)]
                for st in s.stages if needle in st.name.lower()]
        return pd.DataFrame(data, columns=cols)
    rows = s.rows if view == "Every layer" else s.fold(int(view.split()[-1]))
    cols = [t["col_index"], t["col_layer"], t["col_kind"], t["col_in"], t["col_out"], t["col_params"],
            t["col_macs"], t["col_rf"], t["col_jump"]]
    data, index = [], 1
    for r in rows:
        if needle in r.name.lower() or needle in r.kind.lower():
            kind = r.kind if r.layers == 1 else f"{r.kind} ({r.layers} calls)"
            data.append([index, r.name or t["model_row"], kind, _shape(r.input_shape), _shape(r.output_shape),
                         f"{r.params:,}", _si(r.macs), _px(r.receptive_field), _px(r.stride)])
        index += r.layers
    return pd.DataFrame(data, columns=cols)


# Column widths per view: long stage names would otherwise push the receptive field off the screen.
_WIDTHS = {
    "Stages": ["34%", "11%", "6%", "11%", "10%", "8%", "10%", "10%"],
    "layers": ["5%", "23%", "16%", "12%", "12%", "10%", "9%", "7%", "6%"],
}


def _table(s: li.Summary, view: str, search: str) -> gr.Dataframe:
    """The table component's new value, with column widths that fit the view."""
    return gr.Dataframe(value=_layer_table(s, view, search), column_widths=_WIDTHS.get(view, _WIDTHS["layers"]))


def _totals(s: li.Summary) -> str:
    c, h, w = s.input_size
    text = TEXT["totals"].format(
        params=f"{s.total_params:,}", params_short=_si(s.total_params, 1), macs=_si(s.total_macs),
        flops=_si(2 * s.total_macs), c=c, h=h, w=w, out=_shape(s.output_shape), rows=len(s.rows),
    )
    skipped = [st for st in s.stages if not st.ran]
    if skipped:
        text += TEXT["not_run"].format(modules=", ".join(f"`{m}`" for st in skipped for m in st.modules),
                                       params=f"{sum(st.params for st in skipped):,}")
    return text


def _card(name: str) -> str:
    info = model_info(name)
    year = f" ({info.year})" if info.year else ""
    lines = [f"### {info.family} · `{name}`{year}"]
    if info.paper:
        lines.append(TEXT["card_paper"].format(title=info.paper, link=info.arxiv) if info.arxiv else info.paper)
    lines.append(TEXT["key_idea"] + info.key_idea)
    if info.note:
        lines.append(f"*{info.note}*")
    if info.acc1 is not None:
        lines.append(TEXT["card_published"].format(
            weights=info.weights, px=li.published_resolution(name), acc1=info.acc1, acc5=info.acc5,
            gmacs=info.gflops, params=_si(info.num_params or 0, 1)))
    elif not name.startswith(TIMM_PREFIX):
        lines.append(TEXT["card_no_figures"])
    return "\n\n".join(lines)


# ------------------------------------------------------------------------------------------ charts


_AXIS = dict(showgrid=True, gridcolor="#e5e7eb", zeroline=False, linecolor="#94a3b8", showline=True,
             automargin=True)
_COLORWAY = ["#6366f1", "#f59e0b", "#10b981", "#ef4444", "#0ea5e9", "#a855f7", "#84cc16", "#ec4899", "#64748b",
             "#14b8a6"]


def _figure(traces: list, title: str, xaxis: dict, yaxis: dict, height: int = 380, **layout) -> go.Figure:
    """One figure built in one go (plotly validates every update; named templates cost ~0.1 s to copy)."""
    return go.Figure(data=traces, layout=dict(
        title=dict(text=title, x=0.02, y=0.97, yanchor="top"), height=height, margin=dict(l=10, r=10, t=80, b=10),
        template="none", plot_bgcolor="white", paper_bgcolor="white", colorway=_COLORWAY, font=dict(size=12),
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"), hovermode="closest",
        xaxis={**_AXIS, **xaxis}, yaxis={**_AXIS, **yaxis}, **layout))


def _spatial_rows(s: li.Summary) -> list[tuple[int, li.LayerRow]]:
    """(row number, row) of the rows with a C×H×W output on the main path: side branches that squeeze the map
    to 1×1 (SE's gate) are left out, or the charts would zig-zag; the final global pooling stays."""
    rows = [(i + 1, r) for i, r in enumerate(s.rows) if r.output_shape is not None and len(r.output_shape) == 3]
    last_map = max((i for i, r in rows if r.output_shape[1:] != (1, 1)), default=0)
    return [(i, r) for i, r in rows if r.output_shape[1:] != (1, 1) or i > last_map]


def _pyramid_figure(s: li.Summary) -> go.Figure:
    t = TEXT
    rows = _spatial_rows(s)
    x = [i for i, _ in rows]
    hover = [f"#{i} {r.name} ({r.kind})<br>output {_shape(r.output_shape)}" for i, r in rows]
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
    t = TEXT
    rows = [(i, r) for i, r in _spatial_rows(s) if r.receptive_field is not None]
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
    return _figure([bar], TEXT[f"{key}_title"], dict(title=TEXT[f"{key}_x"]),
                   dict(showgrid=False), height=max(320, 110 + 26 * len(stages)),
                   showlegend=False)


def _compare(names: list[str]) -> tuple[go.Figure, pd.DataFrame, str]:
    t = TEXT
    infos = [model_info(n) for n in names or []]
    known = [i for i in infos if i.acc1 is not None and i.gflops]
    biggest = max((i.num_params or 0 for i in known), default=1)
    traces = []
    for family in dict.fromkeys(i.family for i in known):
        group = [i for i in known if i.family == family]
        traces.append(go.Scatter(
            x=[i.gflops for i in group], y=[i.acc1 for i in group], mode="markers+text", name=family,
            text=[i.name for i in group], textposition="top center",
            marker=dict(size=[i.num_params for i in group], sizemode="area", sizeref=2 * biggest / 60 ** 2,
                        sizemin=4, opacity=0.7, line=dict(width=1, color="#334155")),
            customdata=[[i.num_params / 1e6, li.published_resolution(i.name)] for i in group],
            hovertemplate="%{text}<br>top-1 %{y:.2f} %<br>%{x:.3f} GMACs at %{customdata[1]} px"
                          "<br>%{customdata[0]:.1f} M params<extra></extra>"))
    fig = _figure(traces, t["compare_title"], dict(title=t["compare_x"], type="log"), dict(title=t["compare_y"]),
                  height=460)
    table = pd.DataFrame([
        [i.name, i.family, i.year or "—", i.acc1 if i.acc1 is not None else "—", i.acc5 if i.acc5 is not None else "—",
         i.gflops if i.gflops else "—", f"{i.num_params / 1e6:.1f}" if i.num_params else "—",
         li.published_resolution(i.name) or "—"]
        for i in infos], columns=t["compare_cols"])
    missing = [i.name for i in infos if i not in known]
    note = t["compare_missing"].format(names=", ".join(missing)) if missing else ""
    return fig, table, note


# ------------------------------------------------------------------------------------------ handlers


def _name(model: str, timm_name: str) -> str:
    typed = (timm_name or "").strip()
    if typed:
        return typed if typed.startswith(TIMM_PREFIX) else TIMM_PREFIX + typed
    if not model:
        raise ValueError(TEXT["need_name"])
    return model


def _whole(value, what: str) -> int:
    if value is None or value == "":
        raise ValueError(TEXT["need_number"].format(what=what))
    return int(round(float(value)))


def _everything(name: str, resolution, channels, classes, view: str, search: str) -> tuple:
    """Summary, card, totals, table, four charts and the code view for one setting."""
    res = _whole(resolution, TEXT["resolution"])
    s = li.summarize(name, (_whole(channels, TEXT["channels"]), res, res), _whole(classes, TEXT["classes"]))
    module, source = li.family_source(name)
    return (
        s, _card(name), _totals(s), _table(s, view, search), _pyramid_figure(s), _rf_figure(s),
        _stage_figure(s, "params"), _stage_figure(s, "macs"),
        TEXT["code_caption_timm" if name.startswith(TIMM_PREFIX) else "code_caption"].format(module=module, name=name),
        source,
    )


def _defaults(name: str) -> tuple[int, int, int]:
    c, h, _ = li.usual_input_size(name)
    return h, c, li.default_num_classes(name)


@user_errors
def pick_model(model: str, view: str, search: str):
    """A network from the list: its usual input size and classes, and everything for them."""
    res, c, classes = _defaults(model)
    return ("", res, c, classes, *_everything(model, res, c, classes, view, search))


@user_errors
def pick_timm(model: str, timm_name: str, view: str, search: str):
    """A typed timm name (or a cleared box: back to the list)."""
    name = _name(model, timm_name)
    res, c, classes = _defaults(name)
    return (timm_name, res, c, classes, *_everything(name, res, c, classes, view, search))


@user_errors
def change_settings(model: str, timm_name: str, resolution, channels, classes, view: str, search: str):
    """A new resolution, number of channels or classes: everything again (shapes only, instant)."""
    return _everything(_name(model, timm_name), resolution, channels, classes, view, search)


@user_errors
def change_view(s: li.Summary | None, view: str, search: str):
    """Fold or filter the table of the summary already computed."""
    if s is None:
        return gr.skip()
    return _table(s, view, search)


@user_errors
def first_load():
    """What a student sees on opening the tab: the default network at its usual size, and the comparison."""
    res, c, classes = _defaults(DEFAULT_MODEL)
    return (*_everything(DEFAULT_MODEL, res, c, classes, "Stages", ""), *_compare(DEFAULT_COMPARE))


@user_errors
def compare(names: list[str]):
    """Scatter and table of the picked networks' published figures."""
    return _compare(names)


@user_errors
def api_summarize(model: str, resolution: int) -> tuple[dict, dict]:
    """The layer table of ``model`` (a course name or ``timm:<name>``) for a square input of side
    ``resolution`` px, every layer; then the totals. Errors (unknown name, input too small) are sentences."""
    if isinstance(resolution, float) and not resolution.is_integer():
        raise ValueError(TEXT["whole_pixels"].format(value=resolution))
    c = li.usual_input_size(model.strip())[0]
    s = li.summarize(model, (c, int(resolution), int(resolution)))
    table = _layer_table(s, "Every layer", "")
    totals = {"model": s.model, "input_size": list(s.input_size), "total_params": s.total_params,
              "total_macs": s.total_macs, "output_shape": list(s.output_shape or ()),
              "stages": [{"name": st.name, "params": st.params, "macs": st.macs,
                          "output_shape": list(st.output_shape or ())} for st in s.stages]}
    return {"headers": list(table.columns), "data": table.values.tolist()}, totals


# ------------------------------------------------------------------------------------------ layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            model = gr.Dropdown(model_choices(), value=DEFAULT_MODEL, label=i18n("model"), info=i18n("model_info"),
                                elem_id="arch-model")
            timm_name = gr.Textbox(label=i18n("timm"), info=i18n("timm_info"), placeholder=TEXT["timm_placeholder"])
            resolution = gr.Slider(1, li.MAX_SIDE, value=224, step=1, label=i18n("resolution"),
                                   info=i18n("resolution_info"), elem_id="arch-resolution")
            with gr.Row():
                channels = gr.Number(3, precision=0, minimum=1, maximum=li.MAX_CHANNELS, label=i18n("channels"),
                                     info=i18n("channels_info"))
                classes = gr.Number(1000, precision=0, minimum=1, maximum=li.MAX_CLASSES, label=i18n("classes"),
                                    info=i18n("classes_info"))
        with gr.Column(scale=2, min_width=420):
            card = gr.Markdown(elem_id="arch-card")
            totals = gr.Markdown(elem_id="arch-totals")
    gr.Markdown(i18n("units"), elem_classes=["explain"])

    gr.Markdown(i18n("table_heading"))
    gr.Markdown(i18n("table_help"), elem_classes=["explain"])
    with gr.Row():
        view = gr.Radio([(i18n(key), value) for value, key in VIEWS.items()], value="Stages", label=i18n("view"),
                        scale=2)
        search = gr.Textbox(label=i18n("search"), placeholder=TEXT["search_placeholder"], scale=1)
    table = gr.Dataframe(label=i18n("table"), interactive=False, wrap=True, max_height=520, elem_id="arch-table")

    gr.Markdown(i18n("charts_heading"))
    with gr.Row():
        pyramid = gr.Plot(elem_id="arch-pyramid", show_label=False)
        rf = gr.Plot(elem_id="arch-rf", show_label=False)
    with gr.Row():
        params_plot = gr.Plot(elem_id="arch-params", show_label=False)
        macs_plot = gr.Plot(elem_id="arch-macs", show_label=False)

    with gr.Accordion(i18n("code_heading"), open=False):
        code_caption = gr.Markdown()
        code = gr.Code(language="python", interactive=False, max_lines=40, label=i18n("code_heading"))

    gr.Markdown(i18n("compare_heading"))
    gr.Markdown(i18n("compare_help"), elem_classes=["explain"])
    picks = gr.Dropdown([(n, n) for n in list_models()], value=DEFAULT_COMPARE, multiselect=True,
                        label=i18n("compare_pick"))
    compare_plot = gr.Plot(elem_id="arch-compare", show_label=False)
    compare_table = gr.Dataframe(interactive=False, wrap=True, elem_id="arch-compare-table")
    compare_note = gr.Markdown()

    state = gr.State()
    outputs = [state, card, totals, table, pyramid, rf, params_plot, macs_plot, code_caption, code]
    private = dict(api_visibility="private")
    gr.on(None, first_load, None, outputs + [compare_plot, compare_table, compare_note], **private)
    model.input(pick_model, [model, view, search], [timm_name, resolution, channels, classes, *outputs],
                trigger_mode="always_last", **private)
    timm_name.submit(pick_timm, [model, timm_name, view, search], [timm_name, resolution, channels, classes, *outputs],
                     **private)
    gr.on([resolution.input, channels.input, classes.input], change_settings,
          [model, timm_name, resolution, channels, classes, view, search], outputs,
          trigger_mode="always_last", **private)
    gr.on([view.input, search.input], change_view, [state, view, search], [table], trigger_mode="always_last",
          show_progress="hidden", **private)
    picks.input(compare, [picks], [compare_plot, compare_table, compare_note], trigger_mode="always_last",
                **private)
    gr.api(api_summarize, api_name="summarize")
