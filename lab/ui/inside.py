"""The Inside tab: feed an image to a network; see its predictions, Grad-CAM heat maps, feature maps and
first-layer filters. Every number comes from :mod:`lab.cam` and :mod:`lab.images`; this module only
lays them out.

API endpoints: ``/cam`` (image, model, method, …) and ``/feature_maps`` (image, model, layer, …).
"""
from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import gradio as gr
import plotly.graph_objects as go
import torch
from PIL import Image

from lab import cam as lc
from lab.images import load_image, preprocess
from lab.ui.common import model_choices, translator, user_errors

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _default_model() -> str:
    """The shipped Shapes model's architecture, so the tab opens with trained weights even offline."""
    return lc.shipped_architecture() or "resnet18"


def _method_table(heading: str, columns: tuple[str, str], methods: dict[str, tuple[str, str]]) -> str:
    """The heading and the table of CAM methods as ONE Markdown value (the browser translates one key per value)."""
    rows = "\n".join(f"| **{title}** | {text} |" for title, text in methods.values())
    return f"{heading}\n\n| {columns[0]} | {columns[1]} |\n|---|---|\n{rows}"


# Choices: (TEXT key of the label, value the handlers receive).
WEIGHTS = [("w_auto", "auto"), ("w_imagenet", "imagenet"), ("w_shapes", "shapes"), ("w_random", "random")]

TEXT = {
    "title": "Inside",
    "intro": "### What does the network look at?\n"
    "Feed it an image. **Feature maps** show what each layer responds to; **class activation maps** "
    "(CAMs) show where in the image the evidence for a class lies. Pick an example below or upload, "
    "paste or photograph your own.",
    "image": "Image",
    "examples": "Examples: photos (public domain, from scikit-image) and Shapes images",
    "model": "Network",
    "model_info": "The CAM layer defaults to the network's last convolutional stage.",
    "weights": "Weights",
    "weights_info": "Automatic: ImageNet if cached or downloadable, else the Shapes model shipped with "
    "CNN Lab (for its architecture), else random.",
    "w_auto": "Automatic",
    "w_imagenet": "ImageNet",
    "w_shapes": "Shapes (shipped)",
    "w_random": "Random",
    "run": "Look inside",
    "weights_imagenet": "**Weights:** {detail}. Predictions use the 1000 ImageNet classes.",
    "weights_shapes": "**Weights:** {detail}. It knows only these classes, so a photo is forced into one "
    "of them.",
    "weights_random": "<div style='padding:.6em;border-radius:6px;background:#fff3cd;color:#5c4400'>"
    "⚠️ <b>Random weights</b> ({detail}): nothing has been learned, so these predictions, heat maps and "
    "feature maps <b>mean nothing</b>. {reason}</div>",
    "weights_fallback": " ({reason})",
    "seen": "What the network gets",
    "seen_caption": "**Preprocessing, step by step** (the border outside the crop is never seen):",
    "after_norm": "After normalisation each channel has mean ≈ 0 and std ≈ 1 over ImageNet: here "
    "{stats}.",
    "predictions": "Top-5 predictions",
    "cam_heading": "### Class activation maps",
    "cam_intro": "Compare two maps side by side: two methods on one layer, or one method on two layers "
    "(a deeper layer knows more about the class, an earlier one has finer resolution).",
    "method": "Method",
    "method_b": "Method (right)",
    "layer": "Target layer",
    "layer_b": "Target layer (right)",
    "layer_info": "Module name · type · output channels×height×width.",
    "target": "Class",
    "target_info": "Whose evidence to map: the top-1 prediction unless you choose another.",
    "top1": "Top-1 prediction",
    "opacity": "Heat-map opacity",
    "cam_left": "Left map",
    "cam_right": "Right map",
    "cam_caption": "**{method}** on `{layer}` for **{label}** (p = {prob:.1%}). Red: most evidence; blue: none.",
    "methods_heading": "#### What each method computes",
    "methods": {
        "gradcam": ("Grad-CAM", "Weights each channel of the target layer by the average gradient of the "
                    "class score over that channel, sums the weighted maps and keeps the positive part."),
        "gradcam++": ("Grad-CAM++", "Like Grad-CAM, but weights only the positive gradients, by a factor from "
                      "second- and third-order terms, so several instances of a class all light up."),
        "xgradcam": ("XGrad-CAM", "Grad-CAM with each gradient weighted by its normalised activation, chosen "
                     "so the map satisfies two axioms (sensitivity and conservation)."),
        "layercam": ("Layer-CAM", "Multiplies each activation by its own positive gradient, position by "
                     "position, instead of one weight per channel: sharper maps, also on early layers."),
        "hirescam": ("HiResCAM", "Multiplies gradient and activation element by element before summing "
                     "channels: provably shows the locations the score depends on."),
        "scorecam": ("Score-CAM", "No gradients: each channel, upsampled, masks the input; the channel's "
                     "weight is how much class score the masked image keeps. One forward pass per channel "
                     "(slow on big layers)."),
        "eigencam": ("Eigen-CAM", "No gradients and no class: the first principal component of the "
                     "layer's activations, the pattern that varies most. The class picker does not change it."),
    },
    "fm_heading": "### Feature maps",
    "fm_intro": "Every channel of a layer is an image: bright where that channel's filter matched. Channels "
    "are sorted by mean activation (strongest first), each scaled to its own range. Click a tile to "
    "enlarge it.",
    "fm_layer": "Layer",
    "fm_layer_info": "Any layer with a spatial output; a shared module (ResNet's relu) shows its last call.",
    "fm_rank": "Channel to enlarge (1 = strongest)",
    "fm_grid": "Channels",
    "fm_enlarged": "Enlarged channel",
    "fm_caption": "`{layer}` ({kind}): {channels} channels of {h}×{w}; showing the {shown} strongest.",
    "fm_channel_title": "{layer}, channel {channel} (rank {rank} of {total})",
    "filters_heading": "### First-layer filters",
    "filters_caption": "`{layer}`: {n} filters of {c}×{k}×{k}, each shown as an RGB tile (grey = 0; a filter "
    "that likes red looks red). Trained filters look like edges, blobs and colour contrasts; random ones "
    "look like noise.",
    "filters": "Filters",
    "no_image": "Pick an example, upload an image, paste one or take a photo first.",
}

# The static text in Chinese (the course notes' terms), for browsers whose locale is zh-CN. The weights note,
# the preprocessing steps, the captions and the plot are formatted by the handlers and stay English.
TEXT_ZH = {
    "title": "网络内部",
    "intro": "### 网络在看哪里？\n"
    "给它一张图像。**特征图**显示每一层对什么有响应；**类激活图**（CAM）显示图像中支持某个类别的证据位于何处。"
    "从下面选一个示例，或者上传、粘贴、拍摄你自己的图像。",
    "image": "图像",
    "examples": "示例：照片（公有领域，来自 scikit-image）和 Shapes 图像",
    "model": "网络",
    "model_info": "CAM 所用的层默认为网络的最后一个卷积阶段。",
    "weights": "权重",
    "weights_info": "自动：ImageNet 权重已缓存或可下载时用它，否则用 CNN Lab 自带的 Shapes 模型（仅限它的架构），"
    "再否则用随机权重。",
    "w_auto": "自动",
    "w_imagenet": "ImageNet",
    "w_shapes": "Shapes（自带）",
    "w_random": "随机",
    "run": "看看内部",
    "seen": "网络实际得到的输入",
    "predictions": "Top-5 预测",
    "cam_heading": "### 类激活图",
    "cam_intro": "并排比较两张图：同一层上的两种方法，或同一种方法在两个层上（更深的层对类别了解更多，更浅的层"
    "分辨率更高）。",
    "method": "方法",
    "method_b": "方法（右）",
    "layer": "目标层",
    "layer_b": "目标层（右）",
    "layer_info": "模块名 · 类型 · 输出通道数×高×宽。",
    "target": "类别",
    "target_info": "显示哪个类别的证据：默认是 top-1 预测，也可以另选一个类别。",
    "top1": "Top-1 预测",
    "opacity": "热力图不透明度",
    "cam_left": "左图",
    "cam_right": "右图",
    "fm_heading": "### 特征图",
    "fm_intro": "一层中的每个通道都是一张图像：该通道的卷积核匹配上的地方就亮。通道按平均激活值排序（最强的在前），"
    "每个通道按各自的取值范围缩放。点击一个小图即可放大。",
    "fm_layer": "层",
    "fm_layer_info": "任何输出带空间维度的层；被多次调用的共用模块（如 ResNet 的 relu）显示最后一次调用的结果。",
    "fm_rank": "要放大的通道（1 = 最强）",
    "fm_grid": "各通道",
    "fm_enlarged": "放大的通道",
    "filters_heading": "### 第一层卷积核",
    "filters": "卷积核",
}

# What each CAM method computes, in Chinese; the method names stay as they are.
_METHODS_ZH = {
    "gradcam": "把类别得分对目标层每个通道的梯度在该通道上取平均，作为这个通道的权重；将加权后的特征图相加，"
    "只保留正的部分。",
    "gradcam++": "与 Grad-CAM 类似，但只对正梯度加权，权重因子来自二阶和三阶项，这样同一类别的多个实例都会被点亮。",
    "xgradcam": "Grad-CAM 的变体：每个梯度再乘以归一化后的激活值，这样选取权重是为了让图满足两条公理"
    "（敏感性和守恒性）。",
    "layercam": "不是每个通道一个权重，而是逐位置地把每个激活值乘以它自己的正梯度：图更清晰，在浅层上也是如此。",
    "hirescam": "先把梯度与激活值逐元素相乘，再对通道求和：可以证明，它显示的正是类别得分所依赖的位置。",
    "scorecam": "不用梯度：每个通道上采样后作为掩码遮住输入；该通道的权重就是遮挡后的图像还保留多少类别得分。"
    "每个通道做一次前向传播（在通道多的层上很慢）。",
    "eigencam": "既不用梯度，也不看类别：取该层激活值的第一主成分，即变化最大的模式。选择类别不会改变它。",
}
TEXT["methods_md"] = _method_table(TEXT["methods_heading"], ("Method", "What it computes"), TEXT["methods"])
TEXT_ZH["methods_md"] = _method_table(
    "#### 每种方法计算什么", ("方法", "计算内容"), {k: (name, _METHODS_ZH[k]) for k, (name, _) in TEXT["methods"].items()}
)
i18n = translator(__name__, TEXT)  # i18n("image"): the label in the browser's language


# ---------------------------------------------------------------------------------------- helpers


EXAMPLES = [f"shapes_{c}.png" for c in ("circle", "square", "triangle", "star", "cross")] + [
    "cat.jpg", "coffee.jpg", "astronaut.jpg", "rocket.jpg",
]


def _examples() -> list[str]:
    """The example images that are present in assets/, Shapes first (the shipped model knows them)."""
    return [str(ASSETS / n) for n in EXAMPLES if (ASSETS / n).is_file()]


def _image_path(image: Any) -> Any:
    """What the (unpreprocessed) image input holds: a FileData dict, a path, or None."""
    if image is None:
        raise ValueError(TEXT["no_image"])
    if isinstance(image, dict):
        src = image.get("path") or image.get("url")
        if not src:
            raise ValueError(TEXT["no_image"])
        return src
    return image


_LAYERS: "weakref.WeakKeyDictionary[Any, list[lc.LayerShape]]" = weakref.WeakKeyDictionary()


def _layers(m: lc.InsideModel) -> list[lc.LayerShape]:
    """Modules with a C×H×W output, in forward order (cached per model object)."""
    if m.model not in _LAYERS:
        c = 1 if m.preprocessing.grey else 3
        x = torch.zeros(1, c, m.image_size, m.image_size)
        _LAYERS[m.model] = [r for r in lc.layer_shapes(m.model, x) if len(r.shape) == 4]
    return _LAYERS[m.model]


def _layer_label(r: lc.LayerShape) -> str:
    _, c, h, w = r.shape
    twice = f" · runs {r.calls}×" if r.calls > 1 else ""
    return f"{r.name} · {r.kind} · {c}×{h}×{w}{twice}"


def _cam_layer_choices(m: lc.InsideModel) -> list[tuple[str, str]]:
    return [(_layer_label(r), r.name) for r in _layers(m) if r.calls == 1]


def _fm_layer_choices(m: lc.InsideModel) -> list[tuple[str, str]]:
    return [(_layer_label(r), r.name) for r in _layers(m)]


def _weights_note(m: lc.InsideModel) -> str:
    if m.weights == "random":
        return TEXT["weights_random"].format(detail=m.detail, reason=m.reason)
    note = TEXT[f"weights_{m.weights}"].format(detail=m.detail)
    return note + (TEXT["weights_fallback"].format(reason=m.reason) if m.reason else "")


def _prepare(image: Any, model: str, weights: str):
    m = lc.load_inside_model(model, weights or "auto")
    pre = preprocess(load_image(_image_path(image)), m.preprocessing)
    return m, pre


def _display(img: Image.Image, size: int = 224) -> Image.Image:
    """Small crops (64 px) shown large without blurring them."""
    if img.width >= size:
        return img
    k = -(-size // img.width)
    return img.resize((img.width * k, img.height * k), Image.Resampling.NEAREST)


# ----------------------------------------------------------------------------------------- handlers


@user_errors
def cam(
    image: Any,
    model: str,
    method: str,
    layer: str | None = None,
    target: str | None = None,
    method_b: str = "layercam",
    layer_b: str | None = None,
    weights: str = "auto",
    opacity: float = 0.5,
    progress: gr.Progress = gr.Progress(),
):
    """Predictions, two CAMs, the preprocessing and the first-layer filters for one image."""
    progress(0.05, desc="Loading the network")
    m, pre = _prepare(image, model, weights)
    preds = lc.predict(m.model, pre.tensor, m.class_names, k=5)
    layer_choices = _cam_layer_choices(m)
    names = [n for _, n in layer_choices]
    layer = layer if layer in names else m.cam_layer if m.cam_layer in names else names[-1]
    if layer_b not in names:
        i = names.index(layer)
        stage = [n for n in names[:i] if n.count(".") == layer.count(".")]  # the stage before, same depth
        layer_b = layer if method_b != method else (stage[-1] if stage else names[max(0, i - 1)])
    index = m.class_names.index(target) if target in m.class_names else preds[0].index
    prob = _probability(m, pre, index, preds)
    maps, captions = [], []
    for k, (meth, lay) in enumerate(((method, layer), (method_b, layer_b))):
        title = TEXT["methods"].get(meth, (meth,))[0]  # an unknown name: compute_cam says so
        progress(0.2 + 0.35 * k, desc=f"{title} on {lay}")
        maps.append(lc.compute_cam(m.model, pre.tensor, meth, lay, index))
        captions.append(TEXT["cam_caption"].format(method=title, layer=lay, label=m.class_names[index], prob=prob))
    shown = _display(pre.shown.convert("RGB"))
    overlays = [lc.overlay(shown, c, opacity) for c in maps]
    conv_name, w = lc.first_conv_filters(m.model)
    tiles = lc.filter_tiles(w, scale=max(4, 48 // w.shape[-1]))
    stats = ", ".join(f"{mu:+.2f} ± {sd:.2f}" for mu, sd in pre.channel_stats)
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(pre.steps, 1))
    class_choices = [(i18n("top1"), "top1")] + [(f"{p.label} ({p.probability:.1%})", p.label) for p in preds]
    if target in m.class_names and target not in [p.label for p in preds]:
        class_choices.append((target, target))
    state = {"shown": shown, "maps": maps}
    return (
        _weights_note(m),
        _display(pre.shown),
        f"{TEXT['seen_caption']}\n\n{steps}\n\n{TEXT['after_norm'].format(stats=stats)}",
        {p.label: p.probability for p in preds},
        gr.Dropdown(choices=class_choices, value=target if target in m.class_names else "top1"),
        gr.Dropdown(choices=layer_choices, value=layer),
        gr.Dropdown(choices=layer_choices, value=layer_b),
        overlays[0],
        overlays[1],
        captions[0],
        captions[1],
        Image.fromarray(tiles),
        TEXT["filters_caption"].format(layer=conv_name, n=w.shape[0], c=w.shape[1], k=w.shape[-1]),
        state,
    )


def _probability(m: lc.InsideModel, pre, index: int, preds: list[lc.Prediction]) -> float:
    """The probability of class ``index``, also when it is not among the top 5."""
    known = {p.index: p.probability for p in preds}
    if index in known:
        return known[index]
    everything = lc.predict(m.model, pre.tensor, m.class_names, k=len(m.class_names))
    return next(p.probability for p in everything if p.index == index)


def cam_if_image(
    image: Any, model: str, method: str, layer: str | None, target: str | None, method_b: str,
    layer_b: str | None, weights: str, opacity: float, progress: gr.Progress = gr.Progress(),
):
    """``cam`` for change events: an emptied image input changes nothing."""
    if image is None:
        return tuple(gr.skip() for _ in range(14))
    return cam(image, model, method, layer, target, method_b, layer_b, weights, opacity, progress)


def feature_maps_if_image(
    image: Any, model: str, layer: str | None, weights: str, rank: float, progress: gr.Progress = gr.Progress()
):
    """``feature_maps`` for change events: an emptied image input changes nothing."""
    if image is None:
        return tuple(gr.skip() for _ in range(6))
    return feature_maps(image, model, layer, weights, rank, progress)


@user_errors
def reblend(opacity: float, state: dict | None):
    """New opacity: blend the stored maps again (no network involved)."""
    if not state:
        return gr.skip(), gr.skip()
    return tuple(lc.overlay(state["shown"], c, opacity) for c in state["maps"])


@user_errors
def feature_maps(
    image: Any,
    model: str,
    layer: str | None = None,
    weights: str = "auto",
    rank: float = 1,
    progress: gr.Progress = gr.Progress(),
):
    """The channels of one layer as a grid, and one channel enlarged."""
    progress(0.1, desc="Running the network")
    m, pre = _prepare(image, model, weights)
    rows = {r.name: r for r in _layers(m)}
    if layer not in rows:
        layer = next(iter(rows))
    act = lc.feature_maps(m.model, pre.tensor, layers=[layer])[-1]  # a shared module: its last call
    grid = lc.feature_grid(act.tensor)
    c, h, w = act.shape
    rank = int(min(max(1, rank or 1), c))
    state = {"layer": layer, "activation": act.tensor, "order": lc.channel_order(act.tensor), "grid": grid}
    caption = TEXT["fm_caption"].format(layer=layer, kind=act.kind, channels=c, h=h, w=w, shown=len(grid.order))
    return (
        gr.Dropdown(choices=_fm_layer_choices(m), value=layer),
        Image.fromarray(grid.image),
        caption,
        gr.Slider(minimum=1, maximum=c, value=rank, step=1),
        _channel_plot(state, rank),
        state,
    )


def _channel_plot(state: dict, rank: int) -> go.Figure:
    order = state["order"]
    rank = int(min(max(1, rank), len(order)))
    channel = order[rank - 1]
    z = state["activation"][channel].float().numpy()
    fig = go.Figure(go.Heatmap(z=z, colorscale="Viridis", colorbar=dict(title="activation")))
    fig.update_layout(
        title=TEXT["fm_channel_title"].format(layer=state["layer"], channel=channel, rank=rank, total=len(order)),
        yaxis=dict(autorange="reversed", scaleanchor="x", constrain="domain"),
        xaxis=dict(constrain="domain"),
        margin=dict(l=10, r=10, t=50, b=10),
        height=380,
    )
    return fig


@user_errors
def enlarge(rank: float, state: dict | None):
    """Another channel of the stored layer (no network involved)."""
    if not state:
        return gr.skip()
    return _channel_plot(state, int(rank))


@user_errors
def pick_tile(state: dict | None, evt: gr.SelectData):
    """A click on the grid: enlarge the channel under the pointer."""
    if not state or evt.index is None:
        return gr.skip(), gr.skip()
    channel = lc.grid_channel_at(state["grid"], int(evt.index[0]), int(evt.index[1]))
    if channel is None:
        return gr.skip(), gr.skip()
    rank = state["order"].index(channel) + 1
    return rank, _channel_plot(state, rank)


@user_errors
def model_changed(model: str, weights: str):
    """A new network: reset the layer pickers to its defaults (its layers have other names)."""
    m = lc.load_inside_model(model, weights or "auto")
    choices = _cam_layer_choices(m)
    return (
        gr.Dropdown(choices=choices, value=m.cam_layer),
        gr.Dropdown(choices=choices, value=None),
        gr.Dropdown(choices=[(i18n("top1"), "top1")], value="top1"),
        gr.Dropdown(choices=_fm_layer_choices(m), value=_fm_layer_choices(m)[0][1]),
        _weights_note(m),
    )


# ------------------------------------------------------------------------------------------- layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    method_choices = [(TEXT["methods"][k][0], k) for k in lc.METHODS]  # names such as Grad-CAM need no translation
    examples = _examples()
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            image = gr.Image(
                label=i18n("image"),
                type="filepath",
                sources=["upload", "webcam", "clipboard"],
                value=examples[0] if examples else None,
                height=300,
            )
            if examples:
                gr.Examples(examples=[[p] for p in examples], inputs=[image], label=i18n("examples"),
                            examples_per_page=10)
            model = gr.Dropdown(model_choices(), value=_default_model(), label=i18n("model"), info=i18n("model_info"))
            weights = gr.Radio([(i18n(key), value) for key, value in WEIGHTS], value="auto", label=i18n("weights"),
                               info=i18n("weights_info"))
            run = gr.Button(i18n("run"), variant="primary")
        with gr.Column(scale=1, min_width=300):
            weights_note = gr.Markdown()
            predictions = gr.Label(label=i18n("predictions"), num_top_classes=5)
            with gr.Row():
                seen = gr.Image(label=i18n("seen"), interactive=False, height=224, buttons=[])
                steps = gr.Markdown()

    gr.Markdown(i18n("cam_heading"))
    gr.Markdown(i18n("cam_intro"))
    with gr.Row():
        method = gr.Dropdown(method_choices, value="gradcam", label=i18n("method"))
        layer = gr.Dropdown([], value=None, label=i18n("layer"), info=i18n("layer_info"))
        method_b = gr.Dropdown(method_choices, value="layercam", label=i18n("method_b"))
        layer_b = gr.Dropdown([], value=None, label=i18n("layer_b"), info=i18n("layer_info"))
    with gr.Row():
        target = gr.Dropdown([(i18n("top1"), "top1")], value="top1", label=i18n("target"),
                             info=i18n("target_info"))
        opacity = gr.Slider(0, 1, value=0.5, step=0.05, label=i18n("opacity"))
    with gr.Row():
        with gr.Column():
            cam_a = gr.Image(label=i18n("cam_left"), interactive=False, height=320)
            caption_a = gr.Markdown()
        with gr.Column():
            cam_b = gr.Image(label=i18n("cam_right"), interactive=False, height=320)
            caption_b = gr.Markdown()
    gr.Markdown(i18n("methods_md"))

    gr.Markdown(i18n("fm_heading"))
    gr.Markdown(i18n("fm_intro"))
    with gr.Row():
        fm_layer = gr.Dropdown([], value=None, label=i18n("fm_layer"), info=i18n("fm_layer_info"))
        rank = gr.Slider(1, 64, value=1, step=1, label=i18n("fm_rank"))
    with gr.Row():
        with gr.Column():
            grid = gr.Image(label=i18n("fm_grid"), interactive=False, height=420)
            fm_caption = gr.Markdown()
        with gr.Column():
            channel_plot = gr.Plot(label=i18n("fm_enlarged"))

    gr.Markdown(i18n("filters_heading"))
    with gr.Row():
        filters = gr.Image(label=i18n("filters"), interactive=False, height=260)
        filters_caption = gr.Markdown()

    cam_state = gr.State()
    fm_state = gr.State()
    gpu = dict(concurrency_id="gpu", concurrency_limit=1)
    cam_inputs = [image, model, method, layer, target, method_b, layer_b, weights, opacity]
    cam_outputs = [
        weights_note, seen, steps, predictions, target, layer, layer_b, cam_a, cam_b, caption_a, caption_b,
        filters, filters_caption, cam_state,
    ]
    fm_inputs = [image, model, fm_layer, weights, rank]
    fm_outputs = [fm_layer, grid, fm_caption, rank, channel_plot, fm_state]

    # preprocess=False: the handlers read the uploaded file themselves (lab.images.load_image), so a
    # broken or huge upload becomes a readable gr.Error instead of a failure inside Gradio's decoder.
    private = dict(api_visibility="private", preprocess=False, **gpu)
    run.click(cam, cam_inputs, cam_outputs, api_name="cam", preprocess=False, **gpu).then(
        feature_maps, fm_inputs, fm_outputs, api_name="feature_maps", preprocess=False, **gpu
    )
    # A new image (upload, webcam, paste, example) or network: everything again.
    image.change(cam_if_image, cam_inputs, cam_outputs, **private).then(
        feature_maps_if_image, fm_inputs, fm_outputs, **private
    )
    gr.on(
        [model.input, weights.input],
        model_changed,
        [model, weights],
        [layer, layer_b, target, fm_layer, weights_note],
        api_visibility="private",
        **gpu,
    ).then(cam_if_image, cam_inputs, cam_outputs, **private).then(feature_maps_if_image, fm_inputs, fm_outputs, **private)
    # A new method, layer or class: only the maps.
    gr.on(
        [method.input, layer.input, target.input, method_b.input, layer_b.input],
        cam_if_image,
        cam_inputs,
        cam_outputs,
        **private,
    )
    fm_layer.input(feature_maps_if_image, fm_inputs, fm_outputs, **private)
    opacity.input(reblend, [opacity, cam_state], [cam_a, cam_b], api_visibility="private")
    rank.input(enlarge, [rank, fm_state], [channel_plot], api_visibility="private")
    grid.select(pick_tile, [fm_state], [rank, channel_plot], api_visibility="private")

    root = gr.context.Context.root_block
    if root is not None and examples:  # show a worked example as soon as the page opens
        root.load(cam_if_image, cam_inputs, cam_outputs, **private).then(
            feature_maps_if_image, fm_inputs, fm_outputs, **private
        )
