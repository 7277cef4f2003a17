"""The Layers tab: one layer at a time — the output-size formula, parameters and MACs of a convolution,
a convolution or pooling computed window by window, classic kernels on an image, and the activations."""
from __future__ import annotations

from typing import Any, NamedTuple

import gradio as gr
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab import layer_math as L
from lab.images import load_image
from lab.ui.common import translator, user_errors
from lab.ui.text.layers import TEXT, TEXT_ZH  # noqa: F401  (lab.ui.common reads both from this module)

i18n = translator(__name__, TEXT)  # i18n("stride"): the label in the browser's language


# The events' outputs, declared once: the sections fill them with components, the handlers with values.
class Cost(NamedTuple):
    """A convolution's output size, parameters and MACs, and the same mapping done other ways."""

    result: Any
    compare: Any


class Window(NamedTuple):
    """One position of the sliding window: the three heatmaps and the step's sentence."""

    plot: Any
    caption: Any


class Filtered(NamedTuple):
    """An image before and after a classic kernel."""

    before: Any
    after: Any


# ------------------------------------------------------------------------------------------ layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    kernels = [(i18n(f"kernel:{name}"), name) for name in L.KERNELS]  # (label, value): handlers get lab's name
    _arithmetic_section()
    _window_section(kernels)
    _image_section(kernels)
    _activation_section()


def _arithmetic_section() -> None:
    """Convolution arithmetic: the sliders, and the formulas filled in."""
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
            cost = Cost(result=gr.Markdown(label=i18n("result")), compare=gr.Markdown())
    controls = [c_in, c_out, size, k, s, p, d, g, bias]
    # triggers=None: on page load and on any change of the inputs.
    gr.on(None, user_errors(conv_cost), controls, list(cost), show_progress="hidden")


def _window_section(kernels: list[tuple[Any, str]]) -> None:
    """A convolution or pooling computed one window at a time, with a slider for the position."""
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
            window = Window(plot=gr.Plot(show_label=False), caption=gr.Markdown())
    w_settings = [op, side, seed, kernel_name, pool_k, w_stride, w_pad]
    # New settings restart the walk at position 0; moving the slider only redraws.
    gr.on(None, user_errors(window_start), w_settings, [*window, position], show_progress="hidden")
    position.change(user_errors(window_step), w_settings + [position], list(window), show_progress="hidden")


def _image_section(kernels: list[tuple[Any, str]]) -> None:
    """A classic kernel on the student's image (or a drawn scene)."""
    gr.Markdown(i18n("image"))
    with gr.Row():
        with gr.Column(scale=1):
            image = gr.Image(label=i18n("upload"), type="filepath", sources=["upload", "clipboard"], height=260)
            img_kernel = gr.Dropdown(kernels, value="sobel x (vertical edges)", label=i18n("kernel_name"))
            img_stride = gr.Slider(1, 4, value=1, step=1, label=i18n("stride"))
        filtered = Filtered(before=gr.Image(label=i18n("before"), interactive=False, height=300),
                            after=gr.Image(label=i18n("after"), interactive=False, height=300))
    # preprocess=False: the handler reads the upload itself (lab.images.load_image, with its pixel limit
    # checked from the header), so a huge or broken file is a sentence, not a failure in Gradio's decoder.
    gr.on(None, user_errors(kernel_images), [image, img_kernel, img_stride], list(filtered), preprocess=False)


def _activation_section() -> None:
    """The course's non-linearities, plotted from PyTorch itself."""
    gr.Markdown(i18n("activations"))
    acts = gr.CheckboxGroup(list(L.ACTIVATIONS), value=["sigmoid (LeNet)", "ReLU (AlexNet)", "h-swish (MobileNet v3)"],
                            label=i18n("activations_pick"))
    act_plot = gr.Plot(show_label=False)
    gr.on(None, user_errors(_activation_figure), [acts], act_plot, show_progress="hidden")


# ------------------------------------------------------------------------------------------ handlers


def conv_cost(c_in, c_out, size, k, s, p, d, g, bias) -> Cost:
    """The formulas of ``nn.Conv2d(c_in, c_out, k, s, p, d, groups=g, bias=bias)`` on a size×size input."""
    c = L.conv_cost(int(c_in), int(c_out), int(size), int(size), int(k), int(s), int(p), int(d), int(g), bool(bias))
    result = (
        f"**Output**: {int(c_out)} × {c.out_h} × {c.out_w}\n\n"
        f"- size: `{c.size_formula}`\n- parameters: `{c.params_formula}`\n- MACs: `{c.macs_formula}` "
        f"(≈ {2 * c.macs / 1e6:,.2f} MFLOPs)"
    )
    compare = TEXT["compare"].format(
        params=c.params, macs=c.macs, sep_params=c.separable_params, sep_macs=c.separable_macs,
        dense_params=c.dense_params, ratio=L.separable_ratio(int(c_out), int(k)),
        share=c.dense_params / max(c.params, 1),
    )
    return Cost(result=result, compare=compare)


def window_start(op, side, seed, kernel_name, pool_k, stride, padding) -> tuple:
    """New window settings: the first position, and the position slider's new range (Window + slider)."""
    fig, caption, n_steps = _walk(op, side, seed, kernel_name, pool_k, stride, padding, 0)
    return Window(plot=fig, caption=caption) + (gr.update(maximum=n_steps - 1, value=0),)


def window_step(op, side, seed, kernel_name, pool_k, stride, padding, position) -> Window:
    """The window at ``position`` (row-major)."""
    fig, caption, _ = _walk(op, side, seed, kernel_name, pool_k, stride, padding, position)
    return Window(plot=fig, caption=caption)


def kernel_images(image: Any, kernel_name: str, stride) -> Filtered:
    """The image (the upload's raw value: a file record, or None for the drawn scene) in grey, 256×256,
    before and after the kernel; the output rescaled to 0–255."""
    if image is None:
        grey = _demo_image()
    else:
        source = (image.get("path") or image.get("url")) if isinstance(image, dict) else image
        grey = np.asarray(load_image(source).convert("L").resize((256, 256))) / 255.0
    out = L.apply_kernel(grey, kernel_name, int(stride), padding=1)
    lo, hi = float(out.min()), float(out.max())
    norm = (out - lo) / (hi - lo) if hi > lo else np.zeros_like(out)
    return Filtered(before=(grey * 255).astype(np.uint8), after=(norm * 255).astype(np.uint8))


# ------------------------------------------------------------------------------------------ figures


def _window_input(side: int, seed: int) -> np.ndarray:
    return np.random.default_rng(int(seed)).integers(0, 10, size=(int(side), int(side))).astype(float)


def _walk(op, side, seed, kernel_name, pool_k, stride, padding, position) -> tuple[go.Figure, str, int]:
    """The figure and caption of one window position, and how many positions there are."""
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
    return fig, caption, len(steps)


def _demo_image() -> np.ndarray:
    """A procedural greyscale scene (circle, square, stripes) so the tab works with no upload."""
    yy, xx = np.mgrid[0:128, 0:128]
    img = np.full((128, 128), 0.2)
    img[(yy - 45) ** 2 + (xx - 40) ** 2 < 22**2] = 0.9
    img[70:110, 70:110] = 0.6
    img[10:40, 80:120] = 0.5 + 0.4 * ((xx[10:40, 80:120] // 4) % 2)
    return img


def _activation_figure(names):
    fig = go.Figure()
    for name, (x, y) in L.activation_curves(list(names)).items():
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name))
    fig.update_layout(height=360, xaxis_title="x", yaxis_title="f(x)", margin=dict(l=10, r=10, t=20, b=10))
    return fig
