"""The Scaling tab: EfficientNet's compound scaling and MobileNet v1's α and ρ, live.

Every number comes from :mod:`lab.scaling`; this module only lays out controls, tables and plotly charts.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from lab import scaling as S
from lab.ui.common import translator, user_errors

TEXT = {
    "title": "Scaling",
    "intro": "## Scaling a network: wider, deeper, or sharper images?\n"
    "<span class='explain'>A network can grow in three ways: more channels (**width**), more layers "
    "(**depth**) or larger input images (**resolution**). Each helps, but alone each saturates near 80% "
    "ImageNet top-1 (EfficientNet paper, Fig. 3). EfficientNet's *compound scaling* grows all three "
    "together: depth = α^φ, width = β^φ, resolution = 224·γ^φ with α·β²·γ² ≈ 2, so every step of φ "
    "about doubles the FLOPs. Move the sliders and watch the network and its cost change; nothing is "
    "trained or downloaded, everything is counted from the stage table.</span>",
    # EfficientNet controls
    "effnet": "### EfficientNet: compound scaling",
    "mode": "Mode",
    "mode_info": "compound: choose φ (and α, β, γ); free: set width, depth and resolution yourself.",
    "mode_compound": "compound",
    "mode_free": "free",
    "phi": "φ (compound coefficient)",
    "phi_info": "How many times to double the FLOPs budget: B0 is φ = 0, B7 is about φ = 7.",
    "alpha": "α (depth base)",
    "alpha_info": "depth = α^φ; the paper's grid search found 1.2.",
    "beta": "β (width base)",
    "beta_info": "width = β^φ; the paper's 1.1.",
    "gamma": "γ (resolution base)",
    "gamma_info": "resolution = 224·γ^φ; the paper's 1.15.",
    "presets": "Presets: the published B0–B7 (the notes' table; sets *free* mode)",
    "width": "width multiplier w",
    "width_info": "Channels of every stage × w, rounded to a multiple of 8 (never below 90%). "
    f"Range {S.WIDTH_RANGE[0]:g}–{S.WIDTH_RANGE[1]:g}.",
    "depth": "depth multiplier d",
    "depth_info": f"Layers of each MBConv stage × d, rounded up. Range {S.DEPTH_RANGE[0]:g}–{S.DEPTH_RANGE[1]:g}.",
    "resolution": "resolution r (px)",
    "resolution_info": f"Side of the input image. Range {S.RESOLUTION_RANGE[0]}–{S.RESOLUTION_RANGE[1]} px.",
    "compound_md": "α·β²·γ² = **{c:.3f}** (the paper keeps it ≈ 2) · predicted FLOPs factor (α·β²·γ²)^φ = "
    "**×{pred:.2f}** · counted: **×{meas:.2f}** of B0. They differ because channels are rounded to multiples "
    "of 8, layers are rounded up, and the stem and head are never repeated.",
    "free_md": "Free mode: the sliders below set the network directly. Switch to *compound* to drive them with φ.",
    "summary": "**{params:.2f} M parameters** · **{gmacs:.3f} GMACs** per image (≈ {gflops:.2f} GFLOPs, "
    "FLOPs ≈ 2 × MACs) · **peak activation ≈ {peak:.1f} MB**\n\n"
    "<span class='explain'>vs B0: ×{rp:.2f} parameters, ×{rm:.2f} MACs. Peak activation memory is a proxy: "
    "the largest input + output of one layer (here {where}), one image, float32; a runtime also keeps "
    "residual inputs alive, so treat it as an order of magnitude.</span>",
    "table_label": "The network, stage by stage (paper Table 1's columns)",
    "stage_cols": ["Stage", "Operator", "Kernel", "Stride", "Input H×W", "Channels", "Layers", "Params", "MACs"],
    "verify": "Count on the built network (lab.inspect)",
    "verify_info": "Builds the network on PyTorch's meta device (shapes, no weights) and counts every "
    "layer: the check of the table above. About a second at B7 size.",
    "verify_progress": "building on the meta device and counting",
    "verified": "lab.inspect on the built network (w = {w:g}, d = {d:g}, {r} px): **{params:,}** parameters, **{macs:,}** MACs, peak "
    "activation {peak:.2f} MB, in {secs:.2f} s — {verdict}",
    "agree": "identical to the table's count ✓ (which needs no network and takes well under a millisecond).",
    "disagree": "**different** from the table's count ({params:,} parameters, {macs:,} MACs): please report it.",
    # charts
    "flops_title": "Cost of scaling B0 one way or all three ways (α={a:g}, β={b:g}, γ={g:g})",
    "flops_x": "φ",
    "flops_y": "GMACs per image (log; FLOPs ≈ 2 × MACs)",
    "predicted": "predicted: B0 × (α·β²·γ²)^φ",
    "yours": "your network",
    "acc_title": "B0–B7: ImageNet top-1 against cost (torchvision's published weights)",
    "acc_x": "GMACs per image (log; torchvision's 'GFLOPS' metadata counts MACs)",
    "acc_y": "top-1 accuracy (%)",
    "acc_family": "EfficientNet B0–B7",
    "acc_yours": "your network: {gmacs:.2f} GMACs, accuracy unknown",
    "acc_note": "<span class='explain'>The dashed line places your configuration on the cost axis. Its "
    "accuracy is **unknown**: only training it would tell, so none is drawn. torchvision evaluates B2 at "
    "288 px (the paper: 260), so its B2 point costs more than the B2 preset (1.09 against 0.99 GMACs).</span>",
    "family": "Compound φ = 0…7 against the published B0–B7",
    "family_cols": ["Model", "φ", "width (official)", "depth (official)", "px (official)", "width β^φ", "depth α^φ",
                    "px 224·γ^φ", "GMACs (official)", "GMACs (compound φ)", "top-1 % (torchvision)"],
    "family_md": "<span class='explain'>The authors rounded and tuned B1–B7 by hand, so compound(φ) with "
    "α = 1.2, β = 1.1, γ = 1.15 only approximates them: e.g. B1 is width 1.0, depth 1.1, 240 px, while "
    "φ = 1 gives 1.1, 1.2 and 258 px. compound() returns width and depth unrounded (the network rounds "
    "them) and the resolution rounded to the nearest pixel.</span>",
    "api": "The per-stage table, parameters, MACs (FLOPs ≈ 2 × MACs) and peak activation memory of EfficientNet-B0 "
    "scaled by width_mult ({w[0]:g}–{w[1]:g}) and depth_mult ({d[0]:g}–{d[1]:g}) at resolution px ({r[0]}–{r[1]}); "
    "B0 is 1.0, 1.0, 224 and B7 2.0, 3.1, 600. Out-of-range values get an error with a sentence.",
    # MobileNet
    "mobilenet": "### MobileNet v1: width multiplier α and resolution multiplier ρ",
    "mobilenet_md": "<span class='explain'>MobileNet v1 splits each convolution into a depthwise D_K×D_K "
    "filter per channel and a 1×1 pointwise mix. With α thinning every layer and ρ shrinking every feature "
    "map, the notes' cost of one layer is **D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F** multiply-adds "
    "(the notes call it 参数量, but it counts operations), against D_K·D_K·αM·αN·ρD_F·ρD_F for a standard "
    "convolution: a ratio of **1/N + 1/D_K²**. The table evaluates the formula layer by layer next to the "
    "MACs lab.inspect measures on lab's `mobilenet_v1`.</span>",
    "m_alpha": "α (width multiplier)",
    "m_alpha_info": "Every layer's channels × α, rounded to a multiple of 8; the paper uses 1, 0.75, 0.5, 0.25.",
    "m_res": "ρ·224: input side in px (resolution multiplier ρ)",
    "m_res_info": "ρ = side / 224; multiples of 32 keep every ρD_F whole (paper: 224, 192, 160, 128).",
    "m_summary": "α = {alpha:g}, ρ = {rho} ({res} px): formula **{formula:,}** MACs, lab.inspect **{measured:,}** "
    "MACs — {verdict} · **{params:.2f} M** parameters (ρ changes no weight) · **×{rel:.3f}** the cost of α = 1, "
    "ρ = 1 ({base:.0f} M MACs; ≈ α²ρ² = {a2r2:.3f}) · the separable layers cost **{ratio:.3f}** of standard "
    "convolutions (≈ {speed:.1f}× cheaper).",
    "m_agree": "they agree ✓",
    "m_disagree": "they **differ**: please report it",
    "m_table": "MobileNet v1 layer by layer: the formula against lab.inspect",
    "m_cols": ["Layer", "Type", "D_K", "αM", "αN", "ρD_F", "Stride", "depthwise D_K²·αM·ρD_F²",
               "pointwise αM·αN·ρD_F²", "formula (MACs)", "lab.inspect", "standard D_K²·αM·αN·ρD_F²",
               "separable / standard = 1/αN + 1/D_K²"],
    "m_kinds": {"standard conv": "standard 3×3 conv", "depthwise separable": "separable",
                "fully connected": "fully connected"},
}

# The static text in Chinese (the course notes' terms), for browsers whose locale is zh-CN. Tables, charts and
# the sentences with numbers are formatted by the handlers and stay English.
TEXT_ZH = {
    "title": "网络缩放",
    "intro": "## 放大网络：更宽、更深，还是更高的分辨率？\n"
    "<span class='explain'>网络可以沿三个维度变大：更多通道（**宽度**）、更多层（**深度**）或更大的输入图像"
    "（**分辨率**）。每一种都有帮助，但单独放大任何一个，ImageNet top-1 都会在 80% 附近饱和（EfficientNet "
    "论文图 3）。EfficientNet 的*复合缩放*让三者一起增长：深度 = α^φ，宽度 = β^φ，分辨率 = 224·γ^φ，并约束 "
    "α·β²·γ² ≈ 2，于是 φ 每加 1，FLOPs 大约翻一倍。拖动滑块，看网络和计算量怎样变化；这里不训练也不下载"
    "任何东西，一切都由阶段表算出。</span>",
    "effnet": "### EfficientNet：复合缩放",
    "mode": "模式",
    "mode_info": "复合缩放：选择 φ（以及 α、β、γ）；自由设置：自己设定宽度、深度和分辨率。",
    "mode_compound": "复合缩放",
    "mode_free": "自由设置",
    "phi": "φ（复合系数）",
    "phi_info": "FLOPs 预算翻倍的次数：B0 为 φ = 0，B7 约为 φ = 7。",
    "alpha": "α（深度基数）",
    "alpha_info": "深度 = α^φ；论文通过网格搜索得到 1.2。",
    "beta": "β（宽度基数）",
    "beta_info": "宽度 = β^φ；论文取 1.1。",
    "gamma": "γ（分辨率基数）",
    "gamma_info": "分辨率 = 224·γ^φ；论文取 1.15。",
    "presets": "预设：论文发布的 B0–B7（即笔记中的表格；会切换到*自由设置*模式）",
    "width": "宽度因子 w（width multiplier）",
    "width_info": "每个阶段的通道数 × w，取整到 8 的倍数（不低于原值的 90%）。"
    f"范围 {S.WIDTH_RANGE[0]:g}–{S.WIDTH_RANGE[1]:g}。",
    "depth": "深度因子 d（depth multiplier）",
    "depth_info": f"每个 MBConv 阶段的层数 × d，向上取整。范围 {S.DEPTH_RANGE[0]:g}–{S.DEPTH_RANGE[1]:g}。",
    "resolution": "分辨率 r（px）",
    "resolution_info": f"输入图像的边长。范围 {S.RESOLUTION_RANGE[0]}–{S.RESOLUTION_RANGE[1]} px。",
    "free_md": "自由设置模式：下面的滑块直接决定网络。切换到*复合缩放*即可用 φ 来驱动它们。",
    "table_label": "逐阶段查看网络（论文表 1 的各列）",
    "verify": "在搭建好的网络上计数（lab.inspect）",
    "verify_info": "在 PyTorch 的 meta 设备上搭建网络（只有形状，没有权重）并逐层计数，用来核对上表。"
    "B7 大小约需一秒。",
    "acc_note": "<span class='explain'>虚线标出你的配置在计算量轴上的位置。它的准确率**未知**：只有训练过才知道，"
    "所以这里不画。torchvision 在 288 px 下评估 B2（论文为 260），因此它的 B2 点比 B2 预设的计算量更大"
    "（1.09 对 0.99 GMACs）。</span>",
    "family": "复合缩放 φ = 0…7 与发布的 B0–B7 对比",
    "family_md": "<span class='explain'>作者对 B1–B7 做了手工取整和调整，所以 α = 1.2、β = 1.1、γ = 1.15 的 "
    "compound(φ) 只是近似：例如 B1 是宽度 1.0、深度 1.1、240 px，而 φ = 1 给出 1.1、1.2 和 258 px。"
    "compound() 返回未取整的宽度和深度（由网络取整），分辨率则四舍五入到整像素。</span>",
    "mobilenet": "### MobileNet v1：宽度因子 α 与分辨率因子 ρ",
    "mobilenet_md": "<span class='explain'>MobileNet v1 把每个卷积拆成深度可分离卷积：每个通道各用一个 D_K×D_K "
    "的逐通道（depthwise）卷积核，再用 1×1 的逐点（pointwise）卷积混合通道。α 让每一层变窄、ρ 让每张特征图变小，"
    "笔记给出的单层计算量为 **D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F** 次乘加（笔记称之为参数量，但它数的是"
    "运算次数），标准卷积则为 D_K·D_K·αM·αN·ρD_F·ρD_F：两者之比为 **1/N + 1/D_K²**。下表逐层计算这个公式，"
    "并与 lab.inspect 在 lab 的 `mobilenet_v1` 上实测的 MACs 对照。</span>",
    "m_alpha": "α（宽度因子）",
    "m_alpha_info": "每一层的通道数 × α，取整到 8 的倍数；论文使用 1、0.75、0.5、0.25。",
    "m_res": "ρ·224：输入边长，单位 px（分辨率因子 ρ）",
    "m_res_info": "ρ = 边长 / 224；取 32 的倍数可使每个 ρD_F 都是整数（论文：224、192、160、128）。",
    "m_table": "MobileNet v1 逐层查看：公式与 lab.inspect 对照",
}
i18n = translator(__name__, TEXT)  # i18n("phi"): the label in the browser's language

_PRESET_NAMES = list(S.PRESETS)


# ------------------------------------------------------------------------------------------ EfficientNet


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
    return pd.DataFrame(rows, columns=TEXT["stage_cols"])


def _summary_md(cost: S.Cost) -> str:
    b0 = S.efficientnet_cost(1.0, 1.0, S.BASE_RESOLUTION)
    return TEXT["summary"].format(
        params=cost.params / 1e6, gmacs=cost.gmacs, gflops=cost.gflops, peak=cost.peak_activation_mb,
        rp=cost.params / b0.params, rm=cost.macs / b0.macs, where=cost.peak_activation_where,
    )


def _compound_md(phi: float, alpha: float, beta: float, gamma: float, cost: S.Cost) -> str:
    b0 = S.efficientnet_cost(1.0, 1.0, S.BASE_RESOLUTION)
    return TEXT["compound_md"].format(
        c=alpha * beta**2 * gamma**2, pred=S.flops_factor(phi, alpha, beta, gamma), meas=cost.macs / b0.macs
    )


def _flops_figure(alpha: float, beta: float, gamma: float, cost: S.Cost, phi: float | None) -> go.Figure:
    curves = S.scaling_curves(alpha, beta, gamma)
    fig = go.Figure()
    for name in S.SCALINGS:
        settings = curves.settings[name]
        fig.add_trace(go.Scatter(
            x=curves.phis, y=[None if m is None else m / 1e9 for m in curves.macs[name]], mode="lines", name=name,
            line=dict(width=3 if name == "compound" else 2),
            customdata=[[w, d, r] for w, d, r in settings],
            hovertemplate="φ=%{x}<br>w=%{customdata[0]:.2f} d=%{customdata[1]:.2f} r=%{customdata[2]}"
            "<br>%{y:.3f} GMACs<extra>" + name + "</extra>",
        ))
    # The prediction is drawn as far as the compound curve goes (beyond, the axis would explode).
    predicted = [None if c is None else p / 1e9 for p, c in zip(curves.predicted, curves.macs["compound"])]
    fig.add_trace(go.Scatter(x=curves.phis, y=predicted, mode="lines",
                             name=TEXT["predicted"], line=dict(dash="dot", color="grey")))
    fig.add_trace(go.Scatter(x=[curves.phis[0], curves.phis[-1]], y=[cost.gmacs] * 2, mode="lines",
                             name=TEXT["yours"], line=dict(dash="dash", color="black", width=1)))
    if phi is not None:
        fig.add_trace(go.Scatter(x=[phi], y=[cost.gmacs], mode="markers", showlegend=False,
                                 marker=dict(size=12, color="black", symbol="star"),
                                 hovertemplate="you: φ=%{x}, %{y:.3f} GMACs<extra></extra>"))
    fig.update_layout(
        title=TEXT["flops_title"].format(a=alpha, b=beta, g=gamma), height=420,
        margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h", y=-0.2),
    )
    fig.update_xaxes(title=TEXT["flops_x"])
    fig.update_yaxes(title=TEXT["flops_y"], type="log", tickvals=[0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200])
    return fig


def _accuracy_figure(cost: S.Cost) -> go.Figure:
    family = [r for r in S.family_table() if r.acc1 is not None and r.tv_gmacs is not None]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[r.tv_gmacs for r in family], y=[r.acc1 for r in family], mode="lines+markers+text",
        text=[r.name for r in family], textposition="top left", name=TEXT["acc_family"],
        customdata=[[r.tv_resolution] for r in family],
        hovertemplate="%{text}: %{y:.2f}% at %{x:.3f} GMACs (%{customdata[0]} px)<extra></extra>",
    ))
    lo = min(r.acc1 for r in family) - 1.5
    hi = max(r.acc1 for r in family) + 1.0
    fig.add_trace(go.Scatter(
        x=[cost.gmacs, cost.gmacs], y=[lo, hi], mode="lines", line=dict(dash="dash", color="black"),
        name=TEXT["acc_yours"].format(gmacs=cost.gmacs), hoverinfo="name",
    ))
    fig.update_layout(title=TEXT["acc_title"], height=420, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(title=TEXT["acc_x"], type="log", tickvals=[0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200])
    fig.update_yaxes(title=TEXT["acc_y"], range=[lo, hi])
    return fig


def _family_frame() -> pd.DataFrame:
    rows = [
        [r.name, r.phi, *r.official, round(r.compound[0], 3), round(r.compound[1], 3), r.compound[2],
         round(r.official_gmacs, 3), round(r.compound_gmacs, 3), r.acc1]
        for r in S.family_table()
    ]
    return pd.DataFrame(rows, columns=TEXT["family_cols"])


def refresh(mode: str, phi: float, alpha: float, beta: float, gamma: float, width: float, depth: float,
            resolution: float) -> tuple[Any, ...]:
    """Everything that shows the current network: summary, stage table, both charts, the compound note."""
    cost = S.efficientnet_cost(width, depth, int(resolution))
    compound_mode = mode == TEXT["mode_compound"]
    note = _compound_md(phi, alpha, beta, gamma, cost) if compound_mode else i18n("free_md")
    return (
        _summary_md(cost),
        _stage_frame(cost),
        _flops_figure(alpha, beta, gamma, cost, phi if compound_mode else None),
        _accuracy_figure(cost),
        note,
        "",  # the lab.inspect check belongs to the previous network
    )


def from_compound(mode: str, phi: float, alpha: float, beta: float, gamma: float, *_: Any) -> tuple[Any, ...]:
    """φ, α, β or γ moved: set width, depth and resolution from compound(), then refresh."""
    width, depth, resolution = S.compound_config(phi, alpha, beta, gamma)
    return (round(width, 4), round(depth, 4), resolution,
            *refresh(mode, phi, alpha, beta, gamma, width, depth, resolution))


def switch_mode(mode: str, phi: float, alpha: float, beta: float, gamma: float, width: float, depth: float,
                resolution: float) -> tuple[Any, ...]:
    """Show the compound sliders (and drive width/depth/resolution with them) or free the three sliders."""
    compound_mode = mode == TEXT["mode_compound"]
    free = gr.update(interactive=not compound_mode)
    if compound_mode:
        w, d, r, *rest = from_compound(mode, phi, alpha, beta, gamma)
        w, d, r = gr.update(value=w, interactive=False), gr.update(value=d, interactive=False), \
            gr.update(value=r, interactive=False)
    else:
        w, d, r = free, free, free
        rest = list(refresh(mode, phi, alpha, beta, gamma, width, depth, resolution))
    return (gr.update(visible=compound_mode), w, d, r, *rest)


def preset(name: str, phi: float, alpha: float, beta: float, gamma: float) -> tuple[Any, ...]:
    """A published B0–B7: free mode with its width, depth and resolution."""
    p = S.PRESETS[name]
    free = TEXT["mode_free"]
    return (
        free, gr.update(visible=False),
        gr.update(value=p.width, interactive=True), gr.update(value=p.depth, interactive=True),
        gr.update(value=p.resolution, interactive=True),
        *refresh(free, phi, alpha, beta, gamma, p.width, p.depth, p.resolution),
    )


def verify(width: float, depth: float, resolution: float, progress: gr.Progress = gr.Progress()) -> str:
    """Count the built network with lab.inspect and compare with the table's count."""
    progress(0.1, desc=TEXT["verify_progress"])
    m = S.inspect_efficientnet(width, depth, int(resolution))
    cost = S.efficientnet_cost(width, depth, int(resolution))
    same = (m.params, m.macs) == (cost.params, cost.macs)
    verdict = TEXT["agree"] if same else TEXT["disagree"].format(params=cost.params, macs=cost.macs)
    return TEXT["verified"].format(w=width, d=depth, r=int(resolution), params=m.params, macs=m.macs,
                                   peak=m.peak_activation_mb, secs=m.seconds, verdict=verdict)


def scale(width_mult: float, depth_mult: float, resolution: int) -> dict:
    """The ``/scale`` API endpoint: :func:`lab.scaling.efficientnet_cost` as plain JSON.

    Returns params, macs, gmacs, gflops, peak_activation_mb (and where), and the nine ``stages`` rows.
    Ranges are :data:`lab.scaling.WIDTH_RANGE`, ``DEPTH_RANGE`` and ``RESOLUTION_RANGE``; a value outside
    them raises ValueError, which the endpoint returns as an error with that sentence.
    """
    return S.efficientnet_cost(width_mult, depth_mult, resolution).as_dict()


# ------------------------------------------------------------------------------------------ MobileNet


def _rho_label(resolution: int) -> str:
    frac = Fraction(resolution, S.MOBILENET_BASE)
    return f"{frac.numerator}/{frac.denominator} ≈ {float(frac):.3f}" if frac.denominator != 1 else str(frac.numerator)


def mobilenet(alpha: float, resolution: float) -> tuple[str, pd.DataFrame]:
    """The MobileNet v1 section: summary sentence and the layer-by-layer table."""
    resolution = int(resolution)
    c = S.mobilenet_v1_costs(alpha, resolution / S.MOBILENET_BASE)
    same = c.formula_macs == c.measured_macs
    summary = TEXT["m_summary"].format(
        alpha=alpha, rho=_rho_label(resolution), res=resolution, formula=c.formula_macs, measured=c.measured_macs,
        verdict=TEXT["m_agree"] if same else TEXT["m_disagree"], params=c.params / 1e6,
        rel=c.measured_macs / c.base_macs, base=c.base_macs / 1e6, a2r2=(alpha * c.rho) ** 2,
        ratio=c.separable_ratio, speed=1 / c.separable_ratio,
    )
    rows = []
    for r in c.layers:
        separable = r.kind == "depthwise separable"
        mark = "✓" if r.formula_macs == r.measured_macs else "✗"
        rows.append([
            r.layer, TEXT["m_kinds"][r.kind], r.kernel, r.in_channels, r.out_channels, r.feature, r.stride,
            f"{r.depthwise_macs:,}" if separable else "", f"{r.pointwise_macs:,}" if separable else "",
            f"{r.formula_macs:,}", f"{r.measured_macs:,} {mark}", f"{r.standard_macs:,}" if separable else "",
            f"{r.ratio:.4f} = 1/{r.out_channels} + 1/{r.kernel ** 2}" if separable else "",
        ])
    frame = pd.DataFrame(rows, columns=TEXT["m_cols"])
    return summary, frame


# ------------------------------------------------------------------------------------------ layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    gr.Markdown(i18n("effnet"))
    start_phi = 1.0
    w0, d0, r0 = S.compound(start_phi)
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            # Choices (label, value): handlers compare the English value, whatever the label's language.
            mode = gr.Radio([(i18n(key), TEXT[key]) for key in ("mode_compound", "mode_free")],
                            value=TEXT["mode_compound"], label=i18n("mode"), info=i18n("mode_info"),
                            elem_id="scaling-mode")
            with gr.Group(visible=True) as compound_group:
                phi = gr.Slider(*S.PHI_RANGE, value=start_phi, step=0.1, label=i18n("phi"), info=i18n("phi_info"),
                                elem_id="scaling-phi")
                alpha = gr.Slider(*S.COEFF_RANGE, value=S.ALPHA, step=0.01, label=i18n("alpha"), info=i18n("alpha_info"))
                beta = gr.Slider(*S.COEFF_RANGE, value=S.BETA, step=0.01, label=i18n("beta"), info=i18n("beta_info"))
                gamma = gr.Slider(*S.COEFF_RANGE, value=S.GAMMA, step=0.01, label=i18n("gamma"), info=i18n("gamma_info"))
            compound_note = gr.Markdown(elem_id="scaling-compound-note")
            gr.Markdown(i18n("presets"))
            with gr.Row():
                preset_buttons = [gr.Button(name, size="sm", min_width=0, scale=1) for name in _PRESET_NAMES]
            width = gr.Slider(*S.WIDTH_RANGE, value=round(w0, 4), step=0.01, label=i18n("width"), interactive=False,
                              info=i18n("width_info"), elem_id="scaling-width")
            depth = gr.Slider(*S.DEPTH_RANGE, value=round(d0, 4), step=0.01, label=i18n("depth"), interactive=False,
                              info=i18n("depth_info"), elem_id="scaling-depth")
            resolution = gr.Slider(*S.RESOLUTION_RANGE, value=r0, step=1, label=i18n("resolution"), interactive=False,
                                   info=i18n("resolution_info"), elem_id="scaling-resolution")
        with gr.Column(scale=2):
            summary = gr.Markdown(elem_id="scaling-summary")
            table = gr.Dataframe(label=i18n("table_label"), interactive=False, elem_id="scaling-stages", wrap=True,
                                 max_height=640,
                                 column_widths=["8%", "22%", "9%", "9%", "12%", "11%", "9%", "10%", "10%"])
            verify_button = gr.Button(i18n("verify"), size="sm")
            gr.Markdown(f"<span class='explain'>{i18n('verify_info')}</span>")
            verified = gr.Markdown(elem_id="scaling-verified")
    with gr.Row():
        flops_plot = gr.Plot(show_label=False, elem_id="scaling-flops-plot")
        with gr.Column():
            acc_plot = gr.Plot(show_label=False, elem_id="scaling-accuracy-plot")
            gr.Markdown(i18n("acc_note"))
    with gr.Accordion(i18n("family"), open=False):
        gr.Markdown(i18n("family_md"))
        family = gr.Dataframe(interactive=False, wrap=True)

    coeffs = [mode, phi, alpha, beta, gamma]
    config = [width, depth, resolution]
    shown = [summary, table, flops_plot, acc_plot, compound_note, verified]
    # always_last: a drag sends many events; the one after the last must not be dropped ("once" would).
    # One queue, one at a time: updates land in the order they were asked for (a preset clicked while
    # the page-load update still runs must not be overwritten by it). Each takes tens of milliseconds.
    private = dict(api_visibility="private", show_progress="hidden", trigger_mode="always_last",
                   concurrency_id="scaling", concurrency_limit=1)
    # The user moves φ, α, β or γ: compound() sets the three sliders, then everything is redrawn.
    gr.on([s.input for s in (phi, alpha, beta, gamma)], user_errors(from_compound), coeffs + config,
          config + shown, **private)
    # The user moves width, depth or resolution (free mode): redraw.
    gr.on([s.input for s in config], user_errors(refresh), coeffs + config, shown, **private)
    mode.input(user_errors(switch_mode), coeffs + config, [compound_group, *config, *shown], **private)
    for button in preset_buttons:
        button.click(user_errors(preset), [button, phi, alpha, beta, gamma],
                     [mode, compound_group, *config, *shown], **private)
    verify_button.click(user_errors(verify), config, verified, api_visibility="private")
    gr.api(user_errors(scale), api_name="scale", api_description=TEXT["api"].format(
        w=S.WIDTH_RANGE, d=S.DEPTH_RANGE, r=S.RESOLUTION_RANGE))

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
                           max_height=720, column_widths=["8%", "10%", "4%", "5%", "5%", "5%", "5%", "9%", "9%", "9%",
                                                          "10%", "10%", "11%"])

    # On page load: the starting network, the B0–B7 table and MobileNet at α = 1, ρ = 1.
    root = gr.context.Context.root_block
    if root is not None:
        root.load(user_errors(refresh), coeffs + config, shown, **private)
        root.load(user_errors(_family_frame), None, family, api_visibility="private", show_progress="hidden")
    # triggers=None: on page load and whenever α or ρ changes.
    gr.on(None, user_errors(mobilenet), [m_alpha, m_res], [m_summary, m_table], api_visibility="private",
          show_progress="hidden", trigger_mode="always_last")
