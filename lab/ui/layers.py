"""The Layers tab: one layer at a time — the output-size formula, parameters and MACs of a convolution,
a convolution or pooling computed window by window, classic kernels on an image, the activations, Swish's β and
softmax, and an MLP against a CNN; then layers stacked (lab/ui/layers_deep.py): batch norm and the blocks."""
from __future__ import annotations

import re
from typing import Any, NamedTuple

import gradio as gr
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab import layer_math as L
from lab.images import load_image
from lab.inspect import summarize
from lab.models.zoo import ASSETS
from lab.ui import layers_deep, lesson
from lab.ui.code import code_panel
from lab.ui.common import choice, local_example, number, speaker, text, translator, upload_path, user_errors
from lab.ui.text.layers import TEXT, TEXT_ZH

i18n = translator(__name__, TEXT)  # i18n("stride"): the label in the browser's language
say = speaker(TEXT, TEXT_ZH)  # say("compare", ...): what a handler formats, in the request's language
# Every event: the handler gets the raw values (an emptied box is None) and checks them itself (_checked).
_RAW = dict(show_progress="hidden", preprocess=False)
_QUIET = dict(api_visibility="private", show_progress="hidden")  # the listeners that follow an event


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
    """An image before and after a classic kernel, and a note when there is none."""

    before: Any
    after: Any
    note: Any


# The tab's number boxes: the label that names each in a sentence and its range (None: open). The sliders are
# built with these ranges, and _checked() checks every value against them before any work starts.
BOXES = {
    "size": ("in_size", 1, 512), "c_in": ("c_in", 1, 1024), "c_out": ("c_out", 1, 1024), "k": ("kernel", 1, 11),
    "s": ("stride", 1, 8), "p": ("padding", 0, 10), "d": ("dilation", 1, 6), "g": ("groups", 1, None),
    "side": ("grid", 4, 10), "seed": ("seed", 0, None), "pool_k": ("pool_k", 2, 4), "w_stride": ("stride", 1, 3),
    "w_pad": ("padding", 0, 2), "position": ("position", 0, None), "img_stride": ("stride", 1, 4),
}

# What a failed event leaves on screen: nothing that answered the previous setting, and a note saying why
# (the error itself is the toast).
FAILED_COST = Cost(result=i18n("failed"), compare="")
FAILED_WINDOW = Window(plot=None, caption=i18n("failed"))
FAILED_FILTER = Filtered(before=None, after=None, note=i18n("failed"))
FAILED_PAIR = (None, i18n("failed"))  # a plot and its caption; an MLP and its CNN
CNNS = ("lenet5", "resnet20_cifar")  # CNNs for a 32×32×3 image, 10 classes (the notes' CIFAR-10)
MAX_WIDTH, MAX_WIDTHS = 100_000, 20
MAX_LOGIT, MAX_LOGITS = 100, 20


# ------------------------------------------------------------------------------------------ layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    kernels = [(i18n(f"kernel:{name}"), name) for name in L.KERNELS]  # (label, value): handlers get lab's name
    _arithmetic_section()
    _window_section(kernels)
    _image_section(kernels)
    _activation_section()
    _swish_softmax_section()
    _mlp_section()
    layers_deep.batch_norm_section()
    layers_deep.blocks_section()


def _slider(box: str, value: int, **kwargs: Any) -> gr.Slider:
    """A whole-number slider with the range and label BOXES gives ``box``."""
    key, lo, hi = BOXES[box]
    return gr.Slider(lo, hi, value=value, step=1, label=i18n(key), **kwargs)


def _arithmetic_section() -> None:
    """Convolution arithmetic: the sliders, and the formulas filled in."""
    gr.Markdown(i18n("arith"))
    with gr.Row():
        with gr.Column(scale=1):
            size, c_in, c_out, k = (_slider(b, v) for b, v in (("size", 224), ("c_in", 3), ("c_out", 64), ("k", 7)))
            with gr.Row():
                s, p = _slider("s", 2), _slider("p", 3)
            with gr.Row():
                d = _slider("d", 1)
                g = gr.Number(value=1, precision=0, minimum=BOXES["g"][1], label=i18n("groups"),
                              elem_id="layers-groups")
            bias = gr.Checkbox(value=False, label=i18n("bias"), info=i18n("bias_info"))
        with gr.Column(scale=1):
            cost = Cost(result=gr.Markdown(label=i18n("result"), elem_id="layers-result"),
                        compare=gr.Markdown(elem_id="layers-compare"))
    controls = [c_in, c_out, size, k, s, p, d, g, bias]
    code_panel("conv", dict(c_in=c_in, c_out=c_out, size=size, k=k, s=s, p=p, d=d, g=g, bias=bias))
    # triggers=None: on page load and on any change of the inputs.
    gr.on(None, user_errors(conv_cost), controls, list(cost), **_RAW).failure(
        lambda: FAILED_COST, None, list(cost), **_QUIET)
    linked = dict(zip(("cin", "cout", "size", "k", "s", "p", "d", "g", "bias"), controls))  # a lesson link's, then
    lesson.follow("layers", linked).then(user_errors(conv_cost), controls, list(cost), api_visibility="private",
                                         **_RAW).failure(lambda: FAILED_COST, None, list(cost), **_QUIET)


def _window_section(kernels: list[tuple[Any, str]]) -> None:
    """A convolution or pooling computed one window at a time, with a slider for the position."""
    gr.Markdown(i18n("window"))
    with gr.Row():
        with gr.Column(scale=1):
            op = gr.Radio([(i18n(f"op:{o}"), o) for o in L.OPS], value="convolution", label=i18n("op"))
            kernel_name = gr.Dropdown(kernels, value="sobel x (vertical edges)", label=i18n("kernel_name"))
            pool_k = _slider("pool_k", 2)
            with gr.Row():
                side = _slider("side", 6)
                seed = gr.Number(value=0, precision=0, minimum=BOXES["seed"][1], label=i18n("seed"),
                                 elem_id="layers-seed")
            with gr.Row():
                w_stride, w_pad = _slider("w_stride", 1), _slider("w_pad", 1)
            position = gr.Slider(0, 35, value=0, step=1, label=i18n("position"), elem_id="layers-position")
        with gr.Column(scale=2):
            window = Window(plot=gr.Plot(show_label=False, elem_id="layers-window"),
                            caption=gr.Markdown(elem_id="layers-window-caption"))
    w_settings = [op, side, seed, kernel_name, pool_k, w_stride, w_pad]
    code_panel("window", dict(op=op, side=side, seed=seed, kernel=kernel_name, pool_k=pool_k, stride=w_stride,
                              padding=w_pad, position=position))
    # New settings restart the walk at position 0 (the slider's new range goes to a State, copied onto the
    # slider once the window is drawn: an error never covers an input); moving the slider only redraws.
    steps = gr.State()
    start = gr.on(None, user_errors(window_start), w_settings, [*window, steps], **_RAW)
    start.success(_position, steps, position, **_QUIET)
    start.failure(lambda: FAILED_WINDOW, None, list(window), **_QUIET)
    position.change(user_errors(window_step), w_settings + [position], list(window), **_RAW).failure(
        lambda: FAILED_WINDOW, None, list(window), **_QUIET)


def _image_section(kernels: list[tuple[Any, str]]) -> None:
    """A classic kernel on the student's image (or a drawn scene)."""
    gr.Markdown(i18n("image"))
    with gr.Row():
        with gr.Column(scale=1):
            image = local_example(gr.Image(label=i18n("upload"), type="filepath", sources=["upload", "clipboard"],
                                           height=260, elem_id="layers-upload"), ASSETS / "cat.jpg")
            img_kernel = gr.Dropdown(kernels, value="sobel x (vertical edges)", label=i18n("kernel_name"))
            img_stride = _slider("img_stride", 1)
        with gr.Column(scale=2):
            with gr.Row():
                before = gr.Image(label=i18n("before"), interactive=False, height=300, elem_id="layers-before")
                after = gr.Image(label=i18n("after"), interactive=False, height=300, elem_id="layers-after")
            filtered = Filtered(before=before, after=after, note=gr.Markdown(elem_id="layers-image-note"))
    code_panel("kernel_image", dict(image=image, kernel=img_kernel, stride=img_stride))
    # preprocess=False (as everywhere here): the handler reads the upload itself (lab.images.load_image, with
    # its pixel limit checked from the header), so a huge or broken file is a sentence, not a failure in
    # Gradio's decoder.
    gr.on(None, user_errors(kernel_images), [image, img_kernel, img_stride], list(filtered), **_RAW).failure(
        lambda: FAILED_FILTER, None, list(filtered), **_QUIET)


def _activation_section() -> None:
    """The course's non-linearities, plotted from PyTorch itself."""
    gr.Markdown(i18n("activations"))
    acts = gr.CheckboxGroup(list(L.ACTIVATIONS), value=["sigmoid (LeNet)", "ReLU (AlexNet)", "h-swish (MobileNet v3)"],
                            label=i18n("activations_pick"))
    act_plot = gr.Plot(show_label=False)
    code_panel("activations", dict(names=acts))
    gr.on(None, user_errors(_activation_figure), [acts], act_plot, api_name="activations", **_RAW).failure(
        lambda: None, None, act_plot, **_QUIET)


def _swish_softmax_section() -> None:
    """Swish's β between x/2 and ReLU; softmax's probabilities and its temperature."""
    gr.Markdown(i18n("swish"))
    with gr.Row():
        with gr.Column():
            beta = gr.Slider(0, 10, value=1, step=0.1, label=i18n("beta"), elem_id="swish-beta")
            swish_plot, swish_caption = gr.Plot(show_label=False, elem_id="swish-plot"), gr.Markdown(
                elem_id="swish-caption")
        with gr.Column():
            with gr.Row():
                logits = gr.Textbox(value="2, 1, 0.1", label=i18n("logits"), elem_id="softmax-logits")
                temperature = gr.Slider(0.1, 10, value=1, step=0.1, label=i18n("temperature"),
                                        elem_id="softmax-t")
            soft_plot, soft_caption = gr.Plot(show_label=False, elem_id="softmax-plot"), gr.Markdown(
                elem_id="softmax-caption")
    with gr.Row():
        code_panel("swish", dict(beta=beta))
        code_panel("softmax", dict(logits=logits, temperature=temperature))
    gr.on(None, user_errors(swish_figure), [beta], [swish_plot, swish_caption], api_name="swish", **_RAW).failure(
        lambda: FAILED_PAIR, None, [swish_plot, swish_caption], **_QUIET)
    lesson.follow("layers", dict(beta=beta, t=temperature)).then(  # a lesson link's β (its T: softmax's change)
        user_errors(swish_figure), [beta], [swish_plot, swish_caption], api_visibility="private", **_RAW)
    # A text box answers when it is submitted or left (not at every keystroke: "2, 1, -" is not a mistake yet);
    # always_last: a change that comes while the box's blur is being answered is answered after it, not dropped.
    gr.on([logits.submit, logits.blur, temperature.change, layers_deep.loaded()], user_errors(softmax_figure),
          [logits, temperature], [soft_plot, soft_caption], api_name="softmax", trigger_mode="always_last", **_RAW).failure(
        lambda: FAILED_PAIR, None, [soft_plot, soft_caption], **_QUIET)


def _mlp_section() -> None:
    """The notes' CIFAR-10 MLP (or the student's widths) against a CNN on the same image."""
    gr.Markdown(i18n("mlp"))
    with gr.Row():
        widths = gr.Textbox(value="3072, 4096, 4096, 10", label=i18n("widths"), scale=2, elem_id="mlp-widths")
        cnn = gr.Dropdown(list(CNNS), value="lenet5", label=i18n("cnn"), scale=1, elem_id="mlp-cnn")
    with gr.Row():
        mlp_md, cnn_md = gr.Markdown(elem_id="mlp-table"), gr.Markdown(elem_id="mlp-cnn-table")
    code_panel("mlp", dict(widths=widths, cnn=cnn))
    gr.on([widths.submit, widths.blur, cnn.change, layers_deep.loaded()], user_errors(mlp_vs_cnn), [widths, cnn],
          [mlp_md, cnn_md], api_name="mlp_vs_cnn", trigger_mode="always_last", **_RAW).failure(lambda: FAILED_PAIR[::-1], None, [mlp_md, cnn_md], **_QUIET)


# ------------------------------------------------------------------------------------------ handlers


def _checked(**values: Any) -> list[int]:
    """The tab's validation layer, before any work: each named box's whole number in its BOXES range, or a
    sentence saying what to type (an emptied box arrives as None)."""
    out = []
    for box, value in values.items():
        key, lo, hi = BOXES[box]
        out.append(number(value, say(key), lo, hi, whole=True))
    return out


def conv_cost(c_in, c_out, size, k, s, p, d, g, bias) -> Cost:
    """The formulas of ``nn.Conv2d(c_in, c_out, k, s, p, d, groups=g, bias=bias)`` on a size×size input."""
    c_in, c_out, size, k, s, p, d, g = _checked(c_in=c_in, c_out=c_out, size=size, k=k, s=s, p=p, d=d, g=g)
    c = L.conv_cost(c_in, c_out, size, size, k, s, p, d, g, bool(bias))
    result = say("result_md", c_out=c_out, h=c.out_h, w=c.out_w, size=c.size_formula, params=c.params_formula,
                 macs=c.macs_formula, mflops=f"{2 * c.macs / 1e6:,.2f}")
    compare = say("compare",
        params=c.params, macs=c.macs, sep_params=c.separable_params, sep_macs=c.separable_macs,
        dense_params=c.dense_params, dense_macs=c.dense_macs, ratio=L.separable_ratio(c_out, k), share=c.dense_params / max(c.params, 1),
    )
    return Cost(result=result, compare=compare)


def window_start(op, side, seed, kernel_name, pool_k, stride, padding) -> tuple:
    """New window settings: the first position (Window), and the number of positions (for the slider)."""
    fig, caption, n_steps = _walk(op, side, seed, kernel_name, pool_k, stride, padding, 0)
    return (*Window(plot=fig, caption=caption), n_steps)


def _position(n_steps: int | None) -> Any:
    """The position slider back at 0, over the new walk's range (after it was drawn: cannot fail)."""
    return gr.skip() if n_steps is None else gr.update(maximum=n_steps - 1, value=0)


def window_step(op, side, seed, kernel_name, pool_k, stride, padding, position) -> Window:
    """The window at ``position`` (row-major)."""
    fig, caption, _ = _walk(op, side, seed, kernel_name, pool_k, stride, padding, position)
    return Window(plot=fig, caption=caption)


def kernel_images(image: Any, kernel_name: str, stride) -> Filtered:
    """The image (the upload's raw value: a file record, or None for the drawn scene) in grey, 256×256,
    before and after the kernel; the output rescaled to 0–255."""
    (stride,) = _checked(img_stride=stride)
    source = upload_path(image, "image")  # only a file Gradio received: no path of the caller's choosing
    if source is None:
        grey = _demo_image()
    else:
        grey = np.asarray(load_image(source).convert("L").resize((256, 256))) / 255.0
    out = L.apply_kernel(grey, choice(kernel_name, L.KERNELS, "The kernel"), stride, padding=1)
    lo, hi = float(out.min()), float(out.max())
    norm = (out - lo) / (hi - lo) if hi > lo else np.zeros_like(out)
    return Filtered(before=(grey * 255).astype(np.uint8), after=(norm * 255).astype(np.uint8), note="")


def _numbers(value: Any, key: str, hi: float, most: int, whole: bool) -> list:
    """The numbers typed in a text box (commas, spaces, arrows between them), or ValueError with the sentence
    ``<key>_empty``, ``<key>_bad`` or ``<key>_count`` saying what to type."""
    typed = text(value, say(key)).strip()
    if not typed:
        raise ValueError(say(f"{key}_empty"))
    parts = [p for p in re.split(r"[\s,，、;；]+|-+>|→" if whole else r"[\s,，、;；]+", typed) if p]
    out = []
    for p in parts:
        try:
            x = int(p.replace("_", "")) if whole else float(p.replace("−", "-"))
        except ValueError:
            raise ValueError(say(f"{key}_bad", hi=hi, value=repr(p[:20]))) from None
        if not (1 <= x <= hi if whole else -hi <= x <= hi):  # also NaN and infinity
            raise ValueError(say(f"{key}_bad", hi=hi, value=repr(p[:20])))
        out.append(x)
    if not (2 if whole else 1) <= len(out) <= most:
        raise ValueError(say(f"{key}_count", hi=most, n=len(out)))
    return out


def mlp_vs_cnn(widths: str, cnn: str) -> tuple[str, str]:
    """An MLP with these widths (text, input first: "3072, 4096, 4096, 10") layer by layer, against a CNN from the
    lab's registry (``lenet5`` or ``resnet20_cifar``) on a 32×32×3 image with 10 classes, measured by lab.inspect."""
    sizes = _numbers(widths, "widths", MAX_WIDTH, MAX_WIDTHS, whole=True)
    cnn = choice(cnn, CNNS, "The CNN")
    layers = L.mlp_layers(sizes)
    mlp = say("mlp_head") + "".join(say("mlp_row", i=i + 1, a=a, b=b, w=w, bias=bias)
                                    for i, (a, b, w, bias) in enumerate(layers))
    weights, biases = sum(w for _, _, w, _ in layers), sum(b for *_, b in layers)
    check = say("mlp_notes") if sizes == [3072, 4096, 4096, 10] else ""
    mlp += say("mlp_total", weights=weights, biases=biases, params=L.mlp_params(sizes)[0], check=check)
    s = summarize(cnn, (3, 32, 32), 10)
    rows = [r for r in s.fold(2) if r.params]
    table = say("cnn_head") + "".join(say("cnn_row", name=r.name, kind=r.kind, params=r.params,
                                          shape=" × ".join(map(str, r.output_shape or ()))) for r in rows)
    ratio = (weights + biases) / s.total_params
    compare = say("cnn_fewer", ratio=f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}") if ratio > 1 else say("cnn_more")
    table += say("cnn_total", params=s.total_params, compare=compare, first=rows[0].name,
                 first_params=rows[0].params, mlp_first=layers[0][2])
    return mlp, table


def swish_figure(beta) -> tuple[go.Figure, str]:
    """Swish x·σ(βx) for this β, beside ReLU (β → ∞), x/2 (β = 0) and its gate σ(βx), on [−6, 6]."""
    beta = number(beta, say("beta"), 0, 10)
    curves = L.swish_curves(beta)
    fig = go.Figure()
    for key, dash, width in (("swish", None, 3), ("relu", "dash", 1.5), ("half", "dot", 1.5), ("gate", None, 1)):
        x, y = curves[key]
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=say(f"swish_{key}", beta=beta),
                                 line=dict(dash=dash, width=width)))
    fig.update_layout(height=330, xaxis_title="x", yaxis_title="f(x)", margin=dict(l=10, r=10, t=20, b=10),
                      legend=dict(x=0.01, y=0.99))
    gap = float(np.abs(curves["swish"][1] - curves["relu"][1]).max())
    return fig, say("swish_caption", beta=beta, gap=gap)


def softmax_figure(logits: str, temperature) -> tuple[go.Figure, str]:
    """softmax(logits / T) (logits as text: "2, 1, 0.1"): a bar per class, summing to 1."""
    z = _numbers(logits, "logits", MAX_LOGIT, MAX_LOGITS, whole=False)
    t = number(temperature, say("temperature"), 0.1, 10)
    p = L.softmax(z, t)
    classes = [str(i + 1) for i in range(len(p))]
    fig = go.Figure(go.Bar(x=classes, y=p, text=[f"{v:.3f}" for v in p], textposition="outside",
                           hovertemplate=f"{say('softmax_class')} %{{x}}: %{{y:.4f}}<extra></extra>"))
    fig.update_layout(height=330, xaxis_title=say("softmax_class"), yaxis_title=say("softmax_axis"),
                      yaxis_range=[0, 1.1], margin=dict(l=10, r=10, t=20, b=10))
    k = int(np.argmax(p))
    return fig, say("softmax_caption", t=t, total=sum(p), top=p[k], k=k + 1, low=min(p))


# ------------------------------------------------------------------------------------------ figures


def _walk(op, side, seed, kernel_name, pool_k, stride, padding, position) -> tuple[go.Figure, str, int]:
    """The figure and caption of one window position, and how many positions there are."""
    side, seed, pool_k, stride, padding, position = _checked(side=side, seed=seed, pool_k=pool_k, w_stride=stride,
                                                             w_pad=padding, position=position)
    op = choice(op, L.OPS, "The operation")
    x = np.random.default_rng(seed).integers(0, 10, size=(side, side)).astype(float)
    kernel = np.array(L.KERNELS[choice(kernel_name, L.KERNELS, "The kernel")]) if op == "convolution" else pool_k
    xp, out, steps = L.sliding_window(x, op, kernel, stride, padding)
    i = min(position, len(steps) - 1)
    step = steps[i]
    k = step.patch.shape[0]
    shown = np.full(out.shape, np.nan)
    for s in steps[: i + 1]:
        shown[s.row, s.col] = s.value
    titles = (say("w_input"), say("w_kernel") if op == "convolution" else say("w_window", k=k), say("w_output"))
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
    # A convolution's explanation is arithmetic; pooling's is a sentence (lab's, in English).
    explanation = (step.explanation if op == "convolution"
                   else say(f"expl:{op}", k=k, value=f"{step.value:.3g}"))
    caption = say("step", i=i + 1, n=len(steps), row=step.row, col=step.col, explanation=explanation)
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
    """The curves of the chosen activations (names from lab.layer_math.ACTIVATIONS, e.g. "ReLU (AlexNet)") on
    one plot, x from −6 to 6."""
    fig = go.Figure()
    picked = [text(n, "An activation") for n in (names if isinstance(names, list) else [names])]
    for name, (x, y) in L.activation_curves(picked).items():
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name))
    fig.update_layout(height=360, xaxis_title="x", yaxis_title="f(x)", margin=dict(l=10, r=10, t=20, b=10))
    return fig
