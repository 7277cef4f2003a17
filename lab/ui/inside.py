"""The Inside tab: feed an image to a network; see its predictions, Grad-CAM heat maps, feature maps and
first-layer filters. Every number comes from :mod:`lab.models.zoo` (the model and how to feed it),
:mod:`lab.cam` and :mod:`lab.features`; this module only lays them out.

API endpoints: ``/cam`` (image, model, method, …) and ``/feature_maps`` (image, model, layer, …).
Handlers return ``{output name: value}``; :data:`CAM_OUTPUTS` and :data:`FM_OUTPUTS` declare, once, what
the two runs update, in the order the API returns it.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Sequence

import gradio as gr
import plotly.graph_objects as go
from PIL import Image

from lab import cam as lc
from lab import features as lf
from lab.features import LayerShape
from lab.models import zoo
from lab.ui.common import model_choices, translator, user_errors
from lab.ui.text.inside import TEXT, TEXT_ZH  # noqa: F401  (TEXT_ZH: common.build_i18n reads it here)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
EXAMPLES = [f"shapes_{c}.png" for c in ("circle", "square", "triangle", "star", "cross")] + [
    "cat.jpg", "coffee.jpg", "astronaut.jpg", "rocket.jpg",
]
# Choices: (TEXT key of the label, value the handlers receive).
WEIGHTS = [("w_auto", "auto"), ("w_imagenet", "imagenet"), ("w_shapes", "shapes"), ("w_random", "random")]

# What each run reads and updates, by name; the order is the API's (the handlers' parameters, /cam's outputs).
CAM_INPUTS = ("image", "model", "method", "layer", "target", "method_b", "layer_b", "weights", "opacity")
CAM_OUTPUTS = (
    "weights_note", "seen", "steps", "predictions", "target", "layer", "layer_b", "cam_a", "cam_b",
    "caption_a", "caption_b", "filters", "filters_caption", "cam_state",
)
FM_INPUTS = ("image", "model", "fm_layer", "weights", "rank")
FM_OUTPUTS = ("fm_layer", "grid", "fm_caption", "rank", "channel_plot", "fm_state")

i18n = translator(__name__, TEXT)  # i18n("image"): the label in the browser's language


# ------------------------------------------------------------------------------------------- layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    examples = _examples()
    ui = {**_input_section(examples), **_cam_section(), **_feature_section(), **_filter_section()}
    ui.update(cam_state=gr.State(), fm_state=gr.State())
    _wire(ui, open_with_example=bool(examples))


def _input_section(examples: list[str]) -> dict[str, Any]:
    """The image, network and weights pickers; the weights note, predictions and preprocessing beside them."""
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            image = gr.Image(label=i18n("image"), type="filepath", sources=["upload", "webcam", "clipboard"],
                             value=examples[0] if examples else None, height=300)
            if examples:
                gr.Examples(examples=[[p] for p in examples], inputs=[image], label=i18n("examples"),
                            examples_per_page=10)
            model = gr.Dropdown(model_choices(), value=zoo.shipped_architecture() or "resnet18", label=i18n("model"),
                                info=i18n("model_info"))  # the shipped model: trained weights even offline
            weights = gr.Radio([(i18n(key), value) for key, value in WEIGHTS], value="auto", label=i18n("weights"),
                               info=i18n("weights_info"))
            run = gr.Button(i18n("run"), variant="primary")
        with gr.Column(scale=1, min_width=300):
            weights_note = gr.Markdown()
            predictions = gr.Label(label=i18n("predictions"), num_top_classes=5)
            with gr.Row():
                seen = gr.Image(label=i18n("seen"), interactive=False, height=224, buttons=[])
                steps = gr.Markdown()
    return dict(image=image, model=model, weights=weights, run=run, weights_note=weights_note,
                predictions=predictions, seen=seen, steps=steps)


def _cam_section() -> dict[str, Any]:
    """Two CAMs side by side, each with its method and layer; the class and the opacity they share."""
    gr.Markdown(i18n("cam_heading"))
    gr.Markdown(i18n("cam_intro"))
    method_choices = [(TEXT["methods"][k][0], k) for k in lc.METHODS]  # names such as Grad-CAM need no translation
    with gr.Row():
        method = gr.Dropdown(method_choices, value="gradcam", label=i18n("method"))
        layer = gr.Dropdown([], value=None, label=i18n("layer"), info=i18n("layer_info"))
        method_b = gr.Dropdown(method_choices, value="layercam", label=i18n("method_b"))
        layer_b = gr.Dropdown([], value=None, label=i18n("layer_b"), info=i18n("layer_info"))
    with gr.Row():
        target = gr.Dropdown([(i18n("top1"), "top1")], value="top1", label=i18n("target"), info=i18n("target_info"))
        opacity = gr.Slider(0, 1, value=0.5, step=0.05, label=i18n("opacity"))
    with gr.Row():
        with gr.Column():
            cam_a = gr.Image(label=i18n("cam_left"), interactive=False, height=320)
            caption_a = gr.Markdown()
        with gr.Column():
            cam_b = gr.Image(label=i18n("cam_right"), interactive=False, height=320)
            caption_b = gr.Markdown()
    gr.Markdown(i18n("methods_md"))
    return dict(method=method, layer=layer, method_b=method_b, layer_b=layer_b, target=target, opacity=opacity,
                cam_a=cam_a, caption_a=caption_a, cam_b=cam_b, caption_b=caption_b)


def _feature_section() -> dict[str, Any]:
    """One layer's channels as a grid, and one channel enlarged."""
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
    return dict(fm_layer=fm_layer, rank=rank, grid=grid, fm_caption=fm_caption, channel_plot=channel_plot)


def _filter_section() -> dict[str, Any]:
    gr.Markdown(i18n("filters_heading"))
    with gr.Row():
        filters = gr.Image(label=i18n("filters"), interactive=False, height=260)
        filters_caption = gr.Markdown()
    return dict(filters=filters, filters_caption=filters_caption)


def _wire(ui: dict[str, Any], open_with_example: bool) -> None:
    """The events. Heavy ones share the "gpu" queue, one at a time; re-blending and enlarging need no network."""
    def run(fn: Callable) -> Callable:
        return _by_component(fn, ui)

    def at(names: Sequence[str]) -> list:
        return [ui[n] for n in names]

    gpu = dict(concurrency_id="gpu", concurrency_limit=1)
    cams = (at(CAM_INPUTS), at(CAM_OUTPUTS))
    fms = (at(FM_INPUTS), at(FM_OUTPUTS))
    # preprocess=False: the handlers read the uploaded file themselves (lab.images.load_image), so a
    # broken or huge upload becomes a readable gr.Error instead of a failure inside Gradio's decoder.
    private = dict(api_visibility="private", preprocess=False, **gpu)
    ui["run"].click(run(cam), *cams, api_name="cam", preprocess=False, **gpu).then(
        run(feature_maps), *fms, api_name="feature_maps", preprocess=False, **gpu
    )
    # A new image (upload, webcam, paste, example) or network: everything again.
    ui["image"].change(run(cam_if_image), *cams, **private).then(run(feature_maps_if_image), *fms, **private)
    gr.on(
        [ui["model"].input, ui["weights"].input],
        run(model_changed),
        at(("model", "weights")),
        at(("layer", "layer_b", "target", "fm_layer", "weights_note")),
        api_visibility="private",
        **gpu,
    ).then(run(cam_if_image), *cams, **private).then(run(feature_maps_if_image), *fms, **private)
    # A new method, layer or class: only the maps.
    gr.on([ui[n].input for n in ("method", "layer", "target", "method_b", "layer_b")], run(cam_if_image), *cams,
          **private)
    ui["fm_layer"].input(run(feature_maps_if_image), *fms, **private)
    ui["opacity"].input(run(reblend), at(("opacity", "cam_state")), at(("cam_a", "cam_b")), api_visibility="private")
    ui["rank"].input(run(enlarge), at(("rank", "fm_state")), at(("channel_plot",)), api_visibility="private")
    ui["grid"].select(run(pick_tile), at(("fm_state",)), at(("rank", "channel_plot")), api_visibility="private")

    root = gr.context.Context.root_block
    if root is not None and open_with_example:  # show a worked example as soon as the page opens
        root.load(run(cam_if_image), *cams, **private).then(run(feature_maps_if_image), *fms, **private)


def _by_component(fn: Callable[..., dict[str, Any]], ui: dict[str, Any]) -> Callable[..., Any]:
    """``fn`` (returning ``{output name: value}``) as Gradio takes it: ``{component: value}``; an output
    left out keeps its value, and ``{}`` changes nothing. The signature stays ``fn``'s (the API's names)."""

    @functools.wraps(fn)
    def by_component(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        return {ui[name]: value for name, value in out.items()} if out else gr.skip()

    return by_component


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
) -> dict[str, Any]:
    """Predictions, two CAMs, the preprocessing and the first-layer filters for one image."""
    progress(0.05, desc="Loading the network")
    m, pre = _prepare(image, model, weights)
    probs = lf.class_probabilities(m.model, pre.tensor)
    preds = lf.top_classes(probs, m.class_names, k=5)
    layer_choices = _layer_choices(m.cam_layers)
    layer, layer_b = lc.compare_layers([n for _, n in layer_choices], m.cam_layer, layer, method, layer_b, method_b)
    index = m.class_names.index(target) if target in m.class_names else preds[0].index
    maps, captions = [], []
    for k, (meth, lay) in enumerate(((method, layer), (method_b, layer_b))):
        title = TEXT["methods"].get(meth, (meth,))[0]  # an unknown name: compute_cam says so
        progress(0.2 + 0.35 * k, desc=f"{title} on {lay}")
        maps.append(lc.compute_cam(m.model, pre.tensor, meth, lay, index))
        captions.append(TEXT["cam_caption"].format(method=title, layer=lay, label=m.class_names[index],
                                                   prob=float(probs[index])))
    shown = _display(pre.shown.convert("RGB"))
    conv_name, w = lf.first_conv_filters(m.model)
    stats = ", ".join(f"{mu:+.2f} ± {sd:.2f}" for mu, sd in pre.channel_stats)
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(pre.steps, 1))
    class_choices = [(i18n("top1"), "top1")] + [(f"{p.label} ({p.probability:.1%})", p.label) for p in preds]
    if target in m.class_names and target not in [p.label for p in preds]:
        class_choices.append((target, target))
    return {
        "weights_note": _weights_note(m),
        "seen": _display(pre.shown),
        "steps": f"{TEXT['seen_caption']}\n\n{steps}\n\n{TEXT['after_norm'].format(stats=stats)}",
        "predictions": {p.label: p.probability for p in preds},
        "target": gr.Dropdown(choices=class_choices, value=target if target in m.class_names else "top1"),
        "layer": gr.Dropdown(choices=layer_choices, value=layer),
        "layer_b": gr.Dropdown(choices=layer_choices, value=layer_b),
        "cam_a": lf.overlay(shown, maps[0], opacity),
        "cam_b": lf.overlay(shown, maps[1], opacity),
        "caption_a": captions[0],
        "caption_b": captions[1],
        "filters": Image.fromarray(lf.filter_tiles(w, scale=max(4, 48 // w.shape[-1]))),
        "filters_caption": TEXT["filters_caption"].format(layer=conv_name, n=w.shape[0], c=w.shape[1], k=w.shape[-1]),
        "cam_state": {"shown": shown, "maps": maps},
    }


def cam_if_image(
    image: Any, model: str, method: str, layer: str | None, target: str | None, method_b: str,
    layer_b: str | None, weights: str, opacity: float, progress: gr.Progress = gr.Progress(),
) -> dict[str, Any]:
    """``cam`` for change events: an emptied image input changes nothing."""
    if image is None:
        return {}
    return cam(image, model, method, layer, target, method_b, layer_b, weights, opacity, progress)


@user_errors
def reblend(opacity: float, state: dict | None) -> dict[str, Any]:
    """New opacity: blend the stored maps again (no network involved)."""
    if not state:
        return {}
    return {"cam_a": lf.overlay(state["shown"], state["maps"][0], opacity),
            "cam_b": lf.overlay(state["shown"], state["maps"][1], opacity)}


@user_errors
def feature_maps(
    image: Any,
    model: str,
    layer: str | None = None,
    weights: str = "auto",
    rank: float = 1,
    progress: gr.Progress = gr.Progress(),
) -> dict[str, Any]:
    """The channels of one layer as a grid, and one channel enlarged."""
    progress(0.1, desc="Running the network")
    m, pre = _prepare(image, model, weights)
    if layer not in {r.name for r in m.layers}:
        layer = m.layers[0].name
    act = lf.feature_maps(m.model, pre.tensor, layers=[layer])[-1]  # a shared module: its last call
    grid = lf.feature_grid(act.tensor)
    c, h, w = act.shape
    rank = int(min(max(1, rank or 1), c))
    state = {"layer": layer, "activation": act.tensor, "order": lf.channel_order(act.tensor), "grid": grid}
    return {
        "fm_layer": gr.Dropdown(choices=_layer_choices(m.layers), value=layer),
        "grid": Image.fromarray(grid.image),
        "fm_caption": TEXT["fm_caption"].format(layer=layer, kind=act.kind, channels=c, h=h, w=w,
                                                shown=len(grid.order)),
        "rank": gr.Slider(minimum=1, maximum=c, value=rank, step=1),
        "channel_plot": _channel_plot(state, rank),
        "fm_state": state,
    }


def feature_maps_if_image(
    image: Any, model: str, layer: str | None, weights: str, rank: float, progress: gr.Progress = gr.Progress()
) -> dict[str, Any]:
    """``feature_maps`` for change events: an emptied image input changes nothing."""
    if image is None:
        return {}
    return feature_maps(image, model, layer, weights, rank, progress)


@user_errors
def enlarge(rank: float, state: dict | None) -> dict[str, Any]:
    """Another channel of the stored layer (no network involved)."""
    if not state:
        return {}
    return {"channel_plot": _channel_plot(state, int(rank))}


@user_errors
def pick_tile(state: dict | None, evt: gr.SelectData) -> dict[str, Any]:
    """A click on the grid: enlarge the channel under the pointer."""
    if not state or evt.index is None:
        return {}
    channel = lf.grid_channel_at(state["grid"], int(evt.index[0]), int(evt.index[1]))
    if channel is None:
        return {}
    rank = state["order"].index(channel) + 1
    return {"rank": rank, "channel_plot": _channel_plot(state, rank)}


@user_errors
def model_changed(model: str, weights: str) -> dict[str, Any]:
    """A new network: reset the layer pickers to its defaults (its layers have other names)."""
    m = zoo.load_inside_model(model, weights or "auto")
    choices = _layer_choices(m.cam_layers)
    return {
        "layer": gr.Dropdown(choices=choices, value=m.cam_layer),
        "layer_b": gr.Dropdown(choices=choices, value=None),
        "target": gr.Dropdown(choices=[(i18n("top1"), "top1")], value="top1"),
        "fm_layer": gr.Dropdown(choices=_layer_choices(m.layers), value=m.layers[0].name),
        "weights_note": _weights_note(m),
    }


# ---------------------------------------------------------------------------------------- helpers


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


def _prepare(image: Any, model: str, weights: str):
    m = zoo.load_inside_model(model, weights or "auto")
    return m, m.prepare(_image_path(image))


def _layer_choices(rows: list[LayerShape]) -> list[tuple[str, str]]:
    return [(_layer_label(r), r.name) for r in rows]


def _layer_label(r: LayerShape) -> str:
    _, c, h, w = r.shape
    twice = f" · runs {r.calls}×" if r.calls > 1 else ""
    return f"{r.name} · {r.kind} · {c}×{h}×{w}{twice}"


def _weights_note(m: zoo.InsideModel) -> str:
    if m.weights == "random":
        return TEXT["weights_random"].format(detail=m.detail, reason=m.reason)
    note = TEXT[f"weights_{m.weights}"].format(detail=m.detail)
    return note + (TEXT["weights_fallback"].format(reason=m.reason) if m.reason else "")


def _display(img: Image.Image, size: int = 224) -> Image.Image:
    """Small crops (64 px) shown large without blurring them."""
    if img.width >= size:
        return img
    k = -(-size // img.width)
    return img.resize((img.width * k, img.height * k), Image.Resampling.NEAREST)


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
