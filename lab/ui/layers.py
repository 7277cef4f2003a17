"""The Layers tab: one layer at a time — the output-size formula, parameters and MACs of a convolution,
a convolution or pooling computed window by window, classic kernels on an image, and the activations."""
from __future__ import annotations

import numpy as np
import gradio as gr
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from PIL import Image

from lab import layer_math as L
from lab.ui.common import translator, user_errors

TEXT = {
    "title": "Layers",
    "intro": "Every network in this lab is built from a handful of layers. Change one setting at a time and watch "
    "the output size, the parameters and the multiply-accumulates (MACs) follow the formula. "
    "One MAC is one multiplication plus one addition: **FLOPs ≈ 2 × MACs**.",
    # Each section's heading and explanation are one string: the browser translates one key per Markdown.
    "arith": "### Convolution arithmetic\n<span class='explain'>A conv layer slides C_out filters of size "
    "C_in/groups × k × k over the input. Padding p adds a border, stride s skips positions, dilation d spreads "
    "the kernel. groups = C_in gives MobileNet's depthwise convolution.</span>",
    "in_size": "Input height = width (px)",
    "c_in": "Input channels C_in",
    "c_out": "Output channels C_out",
    "kernel": "Kernel size k",
    "stride": "Stride s",
    "padding": "Padding p",
    "dilation": "Dilation d",
    "groups": "Groups",
    "bias": "Bias",
    "bias_info": "ResNet's convs have none: BatchNorm's shift replaces it.",
    "result": "Result",
    "compare": "**The same C_in → C_out mapping done other ways**\n\n"
    "| layer | parameters | MACs |\n|---|---:|---:|\n"
    "| this convolution | {params:,} | {macs:,} |\n"
    "| depthwise k×k + pointwise 1×1 (MobileNet) | {sep_params:,} | {sep_macs:,} |\n"
    "| fully connected, same input and output volumes (an MLP) | {dense_params:,} | {dense_params:,} |\n\n"
    "Depthwise separable / standard cost = 1/C_out + 1/k² = **{ratio:.3f}** (for groups = 1). "
    "Weight sharing, one small filter used at every position, is why this convolution needs {share:,.0f}× fewer "
    "parameters than the fully connected layer.",
    "window": "### Sliding window\n<span class='explain'>The output cell at (row, col) sees only the k×k window "
    "under the red square: a convolution multiplies the window by the kernel and sums; pooling takes its max or "
    "mean. Move the position slider.</span>",
    "op": "Operation",
    "grid": "Input side",
    "seed": "Random input (seed)",
    "kernel_name": "Kernel (convolution)",
    "pool_k": "Window k (pooling)",
    "position": "Window position (row-major)",
    "image": "### Classic kernels on an image\n<span class='explain'>Before networks learned their filters, people "
    "designed them: blur, sharpen, edge detectors. The first layer of a trained CNN learns filters much like these "
    "(see the Inside tab).</span>",
    "upload": "Image (greyscale is used)",
    "before": "input (greyscale)",
    "after": "output (rescaled to 0–255)",
    "activations": "### Activation functions\n<span class='explain'>The non-linearity between layers: without it, a "
    "stack of convolutions is one big linear map.</span>",
    "activations_pick": "Activation functions",
    # Choice labels: in English, lab's own names (the values the handlers receive).
    **{f"op:{name}": name for name in L.OPS},
    **{f"kernel:{name}": name for name in L.KERNELS},
}

# The static text in Chinese (the course notes' terms), for browsers whose locale is zh-CN. The formulas, the
# step captions and the plots are formatted by the handlers and stay English.
TEXT_ZH = {
    "title": "基本层",
    "intro": "这个实验室里的每个网络都由少数几种层搭成。每次只改一个设置，看输出尺寸、参数量和乘加运算（MACs）"
    "怎样随公式变化。一次 MAC 是一次乘法加一次加法：**FLOPs ≈ 2 × MACs**。",
    "arith": "### 卷积的计算\n<span class='explain'>卷积层让 C_out 个大小为 C_in/groups × k × k 的卷积核在输入上"
    "滑动。填充 p 在四周补一圈边，步幅 s 跳过一些位置，空洞率 d 把卷积核撑开。groups = C_in 就是 MobileNet 的"
    "逐通道（depthwise）卷积。</span>",
    "in_size": "输入高 = 宽（px）",
    "c_in": "输入通道数 C_in",
    "c_out": "输出通道数 C_out",
    "kernel": "卷积核大小 k",
    "stride": "步幅 s",
    "padding": "填充 p",
    "dilation": "空洞率 d（dilation）",
    "groups": "分组数（groups）",
    "bias": "偏差（bias）",
    "bias_info": "ResNet 的卷积不带偏差：批量归一化的偏移参数取代了它。",
    "result": "结果",
    "window": "### 滑动窗口\n<span class='explain'>位于 (行, 列) 的输出只看到红框下的 k×k 窗口：卷积把窗口与卷积核"
    "逐元素相乘再求和；池化取窗口的最大值或平均值。拖动位置滑块试试。</span>",
    "op": "运算",
    "grid": "输入边长",
    "seed": "随机输入（种子）",
    "kernel_name": "卷积核（卷积）",
    "pool_k": "窗口大小 k（池化）",
    "position": "窗口位置（按行优先顺序）",
    "image": "### 经典卷积核作用于图像\n<span class='explain'>在网络学会自己的卷积核之前，人们手工设计它们：模糊、"
    "锐化、边缘检测。训练好的 CNN 第一层学到的卷积核和这些很像（见“网络内部”标签页）。</span>",
    "upload": "图像（按灰度处理）",
    "before": "输入（灰度）",
    "after": "输出（重新缩放到 0–255）",
    "activations": "### 激活函数\n<span class='explain'>层与层之间的非线性：没有它，一叠卷积层只是一个大的线性映射。"
    "</span>",
    "activations_pick": "激活函数",
    "op:convolution": "卷积",
    "op:max pooling": "最大池化",
    "op:average pooling": "平均池化",
    "kernel:identity": "恒等",
    "kernel:box blur": "均值模糊",
    "kernel:gaussian blur": "高斯模糊",
    "kernel:sharpen": "锐化",
    "kernel:sobel x (vertical edges)": "Sobel x（竖直边缘）",
    "kernel:sobel y (horizontal edges)": "Sobel y（水平边缘）",
    "kernel:laplacian (all edges)": "拉普拉斯（所有边缘）",
    "kernel:emboss": "浮雕",
}
i18n = translator(__name__, TEXT)  # i18n("stride"): the label in the browser's language


def _cost_markdown(c_in, c_out, size, k, s, p, d, g, bias):
    c = L.conv_cost(int(c_in), int(c_out), int(size), int(size), int(k), int(s), int(p), int(d), int(g), bool(bias))
    result = (
        f"**Output**: {int(c_out)} × {c.out_h} × {c.out_w}\n\n"
        f"- size: `{c.size_formula}`\n- parameters: `{c.params_formula}`\n- MACs: `{c.macs_formula}` "
        f"(≈ {2 * c.macs / 1e6:,.2f} MFLOPs)"
    )
    compare = TEXT["compare"].format(
        params=c.params,
        macs=c.macs,
        sep_params=c.separable_params,
        sep_macs=c.separable_macs,
        dense_params=c.dense_params,
        ratio=1 / int(c_out) + 1 / int(k) ** 2,
        share=c.dense_params / max(c.params, 1),
    )
    return result, compare


def _window_input(side: int, seed: int) -> np.ndarray:
    return np.random.default_rng(int(seed)).integers(0, 10, size=(int(side), int(side))).astype(float)


def _window_figure(op, side, seed, kernel_name, pool_k, stride, padding):
    fig, caption, n_steps = _window_step(op, side, seed, kernel_name, pool_k, stride, padding, 0, with_count=True)
    return fig, caption, gr.update(maximum=n_steps - 1, value=0)


def _window_step(op, side, seed, kernel_name, pool_k, stride, padding, position, with_count=False):
    x = _window_input(side, seed)
    kernel = np.array(L.KERNELS[kernel_name]) if op == "convolution" else int(pool_k)
    xp, out, steps = L.sliding_window(x, op, kernel, int(stride), int(padding))
    i = min(int(position), len(steps) - 1)
    step = steps[i]
    k = step.patch.shape[0]
    shown = np.full(out.shape, np.nan)
    for s in steps[: i + 1]:
        shown[s.row, s.col] = s.value
    titles = ("input (padded)", "kernel" if op == "convolution" else f"{k}×{k} window", "output")
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.06,
                        column_widths=[xp.shape[1], max(k, 3), out.shape[1]])
    shown_xp = np.where(np.isfinite(xp), xp, np.nan)
    fig.add_trace(go.Heatmap(z=shown_xp, text=np.where(np.isfinite(xp), xp, 0).round(1), texttemplate="%{text}",
                             colorscale="Blues", showscale=False), 1, 1)
    kz = np.asarray(kernel, dtype=float) if op == "convolution" else np.ones((k, k))
    fig.add_trace(go.Heatmap(z=kz, text=kz.round(2), texttemplate="%{text}", colorscale="RdBu", zmid=0,
                             showscale=False), 1, 2)
    out_text = np.where(np.isnan(shown), "", np.vectorize(lambda v: f"{v:.3g}")(np.nan_to_num(shown)))
    fig.add_trace(go.Heatmap(z=shown, text=out_text, texttemplate="%{text}",
                             colorscale="Oranges", showscale=False), 1, 3)
    fig.add_shape(type="rect", x0=step.left - 0.5, x1=step.left + k - 0.5, y0=step.top - 0.5, y1=step.top + k - 0.5,
                  line=dict(color="red", width=3), row=1, col=1)
    fig.add_shape(type="rect", x0=step.col - 0.5, x1=step.col + 0.5, y0=step.row - 0.5, y1=step.row + 0.5,
                  line=dict(color="red", width=3), row=1, col=3)
    for col in (1, 2, 3):
        fig.update_yaxes(autorange="reversed", showticklabels=False, scaleanchor=f"x{'' if col == 1 else col}",
                         row=1, col=col)
        fig.update_xaxes(showticklabels=False, row=1, col=col)
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10))
    caption = f"Step {i + 1} of {len(steps)} — output ({step.row}, {step.col}): {step.explanation}"
    return (fig, caption, len(steps)) if with_count else (fig, caption)


def _demo_image() -> np.ndarray:
    """A procedural greyscale scene (circle, square, stripes) so the tab works with no upload."""
    yy, xx = np.mgrid[0:128, 0:128]
    img = np.full((128, 128), 0.2)
    img[(yy - 45) ** 2 + (xx - 40) ** 2 < 22**2] = 0.9
    img[70:110, 70:110] = 0.6
    img[10:40, 80:120] = 0.5 + 0.4 * ((xx[10:40, 80:120] // 4) % 2)
    return img


def _kernel_images(image, kernel_name, stride):
    grey = _demo_image() if image is None else np.asarray(Image.fromarray(image).convert("L").resize((256, 256))) / 255.0
    out = L.apply_kernel(grey, kernel_name, int(stride), padding=1)
    lo, hi = float(out.min()), float(out.max())
    norm = (out - lo) / (hi - lo) if hi > lo else np.zeros_like(out)
    return (grey * 255).astype(np.uint8), (norm * 255).astype(np.uint8)


def _activation_figure(names):
    fig = go.Figure()
    for name, (x, y) in L.activation_curves(list(names)).items():
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name))
    fig.update_layout(height=360, xaxis_title="x", yaxis_title="f(x)", margin=dict(l=10, r=10, t=20, b=10))
    return fig


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    kernels = [(i18n(f"kernel:{name}"), name) for name in L.KERNELS]  # (label, value): handlers get lab's name

    gr.Markdown(i18n("arith"))
    with gr.Row():
        with gr.Column(scale=1):
            size = gr.Slider(1, 512, value=224, step=1, label=i18n("in_size"))
            c_in = gr.Slider(1, 1024, value=3, step=1, label=i18n("c_in"))
            c_out = gr.Slider(1, 1024, value=64, step=1, label=i18n("c_out"))
            k = gr.Slider(1, 11, value=7, step=1, label=i18n("kernel"))
            with gr.Row():
                s = gr.Slider(1, 8, value=2, step=1, label=i18n("stride"))
                p = gr.Slider(0, 10, value=3, step=1, label=i18n("padding"))
            with gr.Row():
                d = gr.Slider(1, 6, value=1, step=1, label=i18n("dilation"))
                g = gr.Number(value=1, precision=0, minimum=1, label=i18n("groups"))
            bias = gr.Checkbox(value=False, label=i18n("bias"), info=i18n("bias_info"))
        with gr.Column(scale=1):
            result = gr.Markdown(label=i18n("result"))
            compare = gr.Markdown()
    controls = [c_in, c_out, size, k, s, p, d, g, bias]
    # triggers=None: on page load and on any change of the inputs.
    gr.on(None, user_errors(_cost_markdown), controls, [result, compare], show_progress="hidden")

    gr.Markdown(i18n("window"))
    with gr.Row():
        with gr.Column(scale=1):
            op = gr.Radio([(i18n(f"op:{o}"), o) for o in L.OPS], value="convolution", label=i18n("op"))
            kernel_name = gr.Dropdown(kernels, value="sobel x (vertical edges)", label=i18n("kernel_name"))
            pool_k = gr.Slider(2, 4, value=2, step=1, label=i18n("pool_k"))
            with gr.Row():
                side = gr.Slider(4, 10, value=6, step=1, label=i18n("grid"))
                seed = gr.Number(value=0, precision=0, label=i18n("seed"))
            with gr.Row():
                w_stride = gr.Slider(1, 3, value=1, step=1, label=i18n("stride"))
                w_pad = gr.Slider(0, 2, value=1, step=1, label=i18n("padding"))
            position = gr.Slider(0, 35, value=0, step=1, label=i18n("position"))
        with gr.Column(scale=2):
            window_plot = gr.Plot(show_label=False)
            caption = gr.Markdown()
    w_settings = [op, side, seed, kernel_name, pool_k, w_stride, w_pad]
    # New settings restart the walk at position 0; moving the slider only redraws.
    gr.on(None, user_errors(_window_figure), w_settings, [window_plot, caption, position], show_progress="hidden")
    position.change(user_errors(_window_step), w_settings + [position], [window_plot, caption], show_progress="hidden")

    gr.Markdown(i18n("image"))
    with gr.Row():
        with gr.Column(scale=1):
            image = gr.Image(label=i18n("upload"), type="numpy", sources=["upload", "clipboard"], height=260)
            img_kernel = gr.Dropdown(kernels, value="sobel x (vertical edges)", label=i18n("kernel_name"))
            img_stride = gr.Slider(1, 4, value=1, step=1, label=i18n("stride"))
        before = gr.Image(label=i18n("before"), interactive=False, height=300)
        after = gr.Image(label=i18n("after"), interactive=False, height=300)
    img_inputs = [image, img_kernel, img_stride]
    gr.on(None, user_errors(_kernel_images), img_inputs, [before, after])

    gr.Markdown(i18n("activations"))
    acts = gr.CheckboxGroup(list(L.ACTIVATIONS), value=["sigmoid (LeNet)", "ReLU (AlexNet)", "h-swish (MobileNet v3)"],
                            label=i18n("activations_pick"))
    act_plot = gr.Plot(show_label=False)
    gr.on(None, user_errors(_activation_figure), [acts], act_plot, show_progress="hidden")

