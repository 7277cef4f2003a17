"""The Inside tab: feed an image to a network; see its predictions, Grad-CAM heat maps, feature maps and
first-layer filters. Every number comes from :mod:`lab.models.zoo` (the model and how to feed it),
:mod:`lab.cam` and :mod:`lab.features`; this module only lays them out.

API endpoints: ``/cam`` (image, model, method, …) and ``/feature_maps`` (image, model, layer, …).
Handlers return ``{output name: value}``; :data:`CAM_OUTPUTS` and :data:`FM_OUTPUTS` declare, once, what
the two runs update, in the order the API returns it.

No input is an output of a handler that can fail (an error would cover it with Gradio's "Error" pill): a
handler puts the pickers' new choices in a State ("picks"), and a ``.success()`` listener copies them into
the pickers (:data:`PICKERS`). A ``.failure()`` listener clears what no longer answers the inputs and says
so. Each step of a chain runs only if the one before succeeded, so one mistake gives one message.

The tab has its own queue ("inside", one request per CPU core), apart from training's: a training run never
holds up a student's maps. Requests on one model take turns on its lock (:attr:`zoo.InsideModel.lock`).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Callable, Sequence

import gradio as gr
import plotly.graph_objects as go
from PIL import Image

from lab import cam as lc
from lab import cam_score as cs
from lab import features as lf
from lab import runs
from lab.features import LayerShape
from lab.models import zoo
from lab.ui.code import code_panel
from lab.ui.common import choice, local_example, model_choices, number, translator, upload_path, user_errors
from lab.ui import lesson
from lab.ui.serving import answered_from, cached, image_file
from lab.ui.text.inside import TEXT, TEXT_ZH  # noqa: F401  (TEXT_ZH: common.build_i18n reads it here)
from lab.ui.common import speaker, translate_error

ASSETS = Path(__file__).resolve().parents[2] / "assets"
EXAMPLES = [f"shapes_{c}.png" for c in ("circle", "square", "triangle", "star", "cross")] + [
    "cat.jpg", "coffee.jpg", "astronaut.jpg", "rocket.jpg",
]
# Choices: (TEXT key of the label, value the handlers receive).
WEIGHTS = [("w_auto", "auto"), ("w_imagenet", "imagenet"), ("w_shapes", "shapes"), ("w_random", "random"),
           ("w_checkpoint", "checkpoint")]
# Gradio lists a dropdown's first 100 choices (num_choices_shown=None reaches the browser as "not set", i.e. 100
# again); MobileNet-v2 has 210 layers, and its default CAM layer is the last: so, a bound no network reaches.
EVERY_CHOICE = 10_000
CONCURRENCY = max(1, os.cpu_count() or 1)  # Inside requests at once (queue "inside"; training has its own)

# What each run reads and updates, by name; the order is the API's (the handlers' parameters, /cam's outputs).
CAM_INPUTS = ("image", "model", "method", "layer", "target", "method_b", "layer_b", "weights", "opacity", "checkpoint")
CAM_SHOWN = ("weights_note", "seen", "steps", "predictions", "cam_a", "cam_b", "caption_a", "caption_b", "filters",
             "filters_caption", "cam_state")
CAM_OUTPUTS = (*CAM_SHOWN, "cam_picks")
FM_INPUTS = ("image", "model", "fm_layer", "weights", "rank", "checkpoint")
FM_SHOWN = ("grid", "fm_caption", "channel_plot", "fm_state")
FM_OUTPUTS = (*FM_SHOWN, "fm_picks")
# The inputs a handler may reset (through its picks State, once it succeeded).
PICKERS = ("model", "weights", "checkpoint", "layer", "layer_b", "target", "fm_layer", "rank")

i18n = translator(__name__, TEXT)  # i18n("image"): the label in the browser's language
say = speaker(TEXT, TEXT_ZH)  # say("cam_caption", ...): a sentence a handler formats, in the request's language


# ------------------------------------------------------------------------------------------- layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    examples = _examples()
    ui = {**_input_section(examples), **_cam_section(), **_feature_section(), **_filter_section()}
    ui.update({name: gr.State() for name in ("cam_state", "fm_state", "cam_picks", "fm_picks", "picks")})
    code_panel("cam", {n: ui[n] for n in ("image", "model", "weights", "checkpoint", "method", "layer", "target",
                                          "method_b", "layer_b")}, results=(ui["caption_a"],))
    code_panel("feature_maps", {n: ui[n] for n in ("image", "model", "weights", "checkpoint")} | {
        "layer": ui["fm_layer"], "rank": ui["rank"]}, results=(ui["fm_caption"],))
    _wire(ui, open_with_example=bool(examples))


def _input_section(examples: list[str]) -> dict[str, Any]:
    """The image, network and weights pickers; the weights note, predictions and preprocessing beside them."""
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            image = gr.Image(label=i18n("image"), type="filepath", sources=["upload", "webcam", "clipboard"],
                             value=examples[0] if examples else None, height=300, elem_id="inside-image")
            if examples:  # the API's example and default: this example, not Gradio's picture on GitHub
                local_example(image, examples[0])
            shown = gr.Examples(examples=[[p] for p in examples], inputs=[image], label=i18n("examples"),
                                examples_per_page=10, elem_id="inside-examples") if examples else None
            model = gr.Dropdown(model_choices(), value=zoo.shipped_architecture() or "resnet18", label=i18n("model"),
                                info=i18n("model_info"), elem_id="inside-model")  # the shipped model: trained weights even offline
            weights = gr.Radio([(i18n(key), value) for key, value in WEIGHTS], value="auto", label=i18n("weights"),
                               info=i18n("weights_info"), elem_id="inside-weights")
            with gr.Accordion(i18n("ckpt_heading"), open=False):
                checkpoint = gr.File(label=i18n("ckpt_file"), file_types=[".pt", ".pth"], elem_id="inside-checkpoint")
                gr.Markdown(i18n("ckpt_info"), elem_classes=["explain"])
                latest_run = gr.Button(i18n("latest_run"), size="sm", elem_id="inside-latest-run")
            run = gr.Button(i18n("run"), variant="primary", elem_id="inside-run")
        with gr.Column(scale=1, min_width=300):
            weights_note = gr.Markdown(elem_id="inside-note")
            predictions = gr.Label(label=i18n("predictions"), num_top_classes=5, elem_id="inside-predictions")
            with gr.Row():
                seen = gr.Image(label=i18n("seen"), interactive=False, height=224, buttons=[])
                steps = gr.Markdown(elem_id="inside-steps")
    return dict(image=image, examples=shown, model=model, weights=weights, checkpoint=checkpoint, latest_run=latest_run, run=run,
                weights_note=weights_note, predictions=predictions, seen=seen, steps=steps)


def _cam_section() -> dict[str, Any]:
    """Two CAMs side by side, each with its method and layer; the class and the opacity they share."""
    gr.Markdown(i18n("cam_heading"))
    gr.Markdown(i18n("cam_intro"))
    method_choices = [(TEXT["methods"][k][0], k) for k in lc.METHODS]  # names such as Grad-CAM need no translation
    layers = dict(value=None, info=i18n("layer_info"), num_choices_shown=EVERY_CHOICE)
    with gr.Row():
        method = gr.Dropdown(method_choices, value="gradcam", label=i18n("method"), info=i18n("method_info"))
        layer = gr.Dropdown([], label=i18n("layer"), elem_id="inside-layer", **layers)
        method_b = gr.Dropdown(method_choices, value="layercam", label=i18n("method_b"), info=i18n("method_info"))
        layer_b = gr.Dropdown([], label=i18n("layer_b"), elem_id="inside-layer-b", **layers)
    with gr.Row():
        target = gr.Dropdown([(i18n("top1"), "top1")], value="top1", label=i18n("target"), info=i18n("target_info"),
                             elem_id="inside-target")
        opacity = gr.Slider(0, 1, value=0.5, step=0.05, label=i18n("opacity"))
    with gr.Row():
        with gr.Column():
            cam_a = gr.Image(label=i18n("cam_left"), interactive=False, height=320, elem_id="inside-cam-a")
            caption_a = gr.Markdown(elem_id="inside-caption-a")
        with gr.Column():
            cam_b = gr.Image(label=i18n("cam_right"), interactive=False, height=320, elem_id="inside-cam-b")
            caption_b = gr.Markdown(elem_id="inside-caption-b")
    gr.Markdown(i18n("methods_md"))
    return dict(method=method, layer=layer, method_b=method_b, layer_b=layer_b, target=target, opacity=opacity,
                cam_a=cam_a, caption_a=caption_a, cam_b=cam_b, caption_b=caption_b)


def _feature_section() -> dict[str, Any]:
    """One layer's channels as a grid, and one channel enlarged."""
    gr.Markdown(i18n("fm_heading"))
    gr.Markdown(i18n("fm_intro"))
    with gr.Row():
        fm_layer = gr.Dropdown([], value=None, label=i18n("fm_layer"), info=i18n("fm_layer_info"),
                               num_choices_shown=EVERY_CHOICE, elem_id="inside-fm-layer")
        rank = gr.Slider(1, 64, value=1, step=1, label=i18n("fm_rank"))
    with gr.Row():
        with gr.Column():
            grid = gr.Image(label=i18n("fm_grid"), interactive=False, height=420)
            fm_caption = gr.Markdown(elem_id="inside-fm-caption")
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
    """The events. Heavy ones share the "inside" queue; re-blending and enlarging need no network."""
    def run(fn: Callable) -> Callable:
        return _by_component(fn, ui)

    def at(names: Sequence[str]) -> list:
        return [ui[n] for n in names]

    queue = dict(concurrency_id="inside", concurrency_limit=CONCURRENCY)
    # preprocess=False: the handlers read the uploaded file themselves (lab.images.load_image), so a
    # broken or huge upload becomes a readable gr.Error instead of a failure inside Gradio's decoder.
    private = dict(api_visibility="private", preprocess=False, **queue)
    quiet = dict(api_visibility="private", show_progress="hidden", queue=False)
    cams, fms = (at(CAM_INPUTS), at(CAM_OUTPUTS)), (at(FM_INPUTS), at(FM_OUTPUTS))

    def settle(event: Any, picks: str, shown: Sequence[str], note: str) -> Any:
        """``event``'s picks into the pickers once it succeeded; its results cleared (``note`` says so) if it failed."""
        event.failure(run(functools.partial(_cleared, shown, note)), None, at(shown), **quiet)
        return event.success(run(_apply), [ui[picks]], at(PICKERS), **quiet)

    def maps(event: Any, fm_fn: Callable = feature_maps_if_image, **fm_kw: Any) -> None:
        """After the CAMs of ``event``: its picks, then the feature maps and theirs (each only on success);
        private, in the "inside" queue, unless ``fm_kw`` says otherwise (Run's, the /feature_maps endpoint)."""
        fm = settle(event, "cam_picks", CAM_SHOWN + FM_SHOWN, "weights_note").success(run(fm_fn), *fms,
                                                                                     **(fm_kw or private))
        settle(fm, "fm_picks", FM_SHOWN, "fm_caption")

    def reloaded(changed: Any) -> None:
        """After ``changed`` (:func:`model_changed`): the pickers' defaults for the network, then every map."""
        maps(settle(changed, "picks", CAM_SHOWN + FM_SHOWN, "weights_note").success(run(cam_if_image), *cams, **private))

    maps(ui["run"].click(run(cam), *cams, api_name="cam", preprocess=False, **queue), feature_maps,
         api_name="feature_maps", preprocess=False, **queue)
    # A new image (upload, webcam, paste; an example): everything again. Not image.change: Gradio fires it
    # twice when an upload replaces an image (the same file both times), so every error was said twice.
    maps(ui["image"].input(run(cam_if_image), *cams, **private))
    if ui["examples"] is not None:
        maps(ui["examples"].load_input_event.success(run(cam_if_image), *cams, **private))
    changed = (at(("model", "weights", "checkpoint")), at(("weights_note", "picks")))
    reloaded(gr.on([ui["model"].input, ui["weights"].input], run(model_changed), *changed, **private))
    # A weights file (a checkpoint, or ImageNet weights supplied by hand), or the Train tab's latest run.
    for trigger, fn in ((ui["checkpoint"].upload, weights_file), (ui["latest_run"].click, latest_run)):
        picked = trigger(run(fn), at(("checkpoint", "model")), at(("picks",)), **private)
        reloaded(picked.success(run(_apply), [ui["picks"]], at(PICKERS), **quiet)
                 .success(run(model_changed), *changed, **private))
    # A new method, layer or class: only the maps.
    settle(gr.on([ui[n].input for n in ("method", "layer", "target", "method_b", "layer_b")], run(cam_if_image),
                 *cams, **private), "cam_picks", CAM_SHOWN, "weights_note")
    settle(ui["fm_layer"].input(run(feature_maps_if_image), *fms, **private), "fm_picks", FM_SHOWN, "fm_caption")
    ui["opacity"].input(run(reblend), at(("opacity", "cam_state")), at(("cam_a", "cam_b")), api_visibility="private")
    ui["rank"].input(run(enlarge), at(("rank", "fm_state")), at(("channel_plot",)), api_visibility="private")
    ui["grid"].select(run(pick_tile), at(("fm_state",)), at(("rank", "channel_plot")), api_visibility="private")

    root = gr.context.Context.root_block
    if root is not None and open_with_example:  # a worked example as soon as the page opens (a lesson link's)
        maps(lesson.follow("inside", ui).then(run(cam_if_image), *cams, **private))


def _by_component(fn: Callable[..., dict[str, Any]], ui: dict[str, Any]) -> Callable[..., Any]:
    """``fn`` (returning ``{output name: value}``) as Gradio takes it: ``{component: value}``, images as files
    (:func:`lab.ui.serving.image_file`: a cached picture is not rewritten while a browser reads it); an output
    left out keeps its value, and ``{}`` changes nothing. The signature stays ``fn``'s (the API's names)."""

    @functools.wraps(fn)
    def by_component(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        return {ui[name]: image_file(value) for name, value in out.items()} if out else gr.skip()

    return by_component


def _apply(picks: dict[str, Any] | None) -> dict[str, Any]:
    """A handler's picks (new choices and values of :data:`PICKERS`), into the pickers."""
    return dict(picks or {})


def _cleared(shown: Sequence[str], note: str) -> dict[str, Any]:
    """After an error: the results emptied, and ``note`` saying why (the error itself is the toast)."""
    return {name: i18n("failed") if name == note else None for name in shown}


# ----------------------------------------------------------------------------------------- handlers


def _weights_now(kwargs: dict) -> str:
    """What the cache of :func:`cam` and :func:`feature_maps` keys on besides the inputs: the weights that
    "auto" means now (random until the ImageNet file arrives, ImageNet after)."""
    return zoo.weights_source(kwargs.get("model"), kwargs.get("weights"))


@cached(also=_weights_now)
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
    checkpoint: Any = None,
    progress: gr.Progress = gr.Progress(),
) -> dict[str, Any]:
    """Predictions, two CAMs, the preprocessing and the first-layer filters for one image."""
    progress(0.05, desc=say("p_loading"))
    opacity = number(opacity, "The opacity", 0, 1)
    method, method_b = (choice(x, lc.METHODS, "The CAM method") for x in (method, method_b))
    m, pre = _prepare(image, model, weights, checkpoint)
    with m.lock:  # hooks and requires_grad flags on the shared module: one request at a time
        probs = lf.class_probabilities(m.model, pre.tensor)
        preds = lf.top_classes(probs, m.class_names, k=5)
        layer_choices = _layer_choices(m.cam_layers)
        layer, layer_b = lc.compare_layers([n for _, n in layer_choices], m.cam_layer, layer, method, layer_b, method_b)
        index = m.class_names.index(target) if target in m.class_names else preds[0].index
        maps, captions = [], []
        for k, (meth, lay) in enumerate(((method, layer), (method_b, layer_b))):
            cam_map, how = _one_map(m, pre.tensor, meth, lay, index, progress, 0.2 + 0.4 * k, 0.4)
            maps.append(cam_map)
            captions.append(say("cam_caption", method=TEXT["methods"][meth][0], layer=lay,
                                label=m.class_names[index], prob=float(probs[index])) + how)
        conv_name, w = lf.first_conv_filters(m.model)
    shown = _display(pre.shown.convert("RGB"))
    stats = ", ".join(f"{mu:+.2f} ± {sd:.2f}" for mu, sd in pre.channel_stats)
    steps = "\n".join(f"{i}. {translate_error(s)}" for i, s in enumerate(pre.steps, 1))  # lab's sentences
    class_choices = [(i18n("top1"), "top1")] + [(f"{p.label} ({p.probability:.1%})", p.label) for p in preds]
    if target in m.class_names and target not in [p.label for p in preds]:
        class_choices.append((target, target))
    return {
        "weights_note": _weights_note(m),
        "seen": _display(pre.shown),
        "steps": f"{say('seen_caption')}\n\n{steps}\n\n{say('after_norm', stats=stats)}",
        "predictions": {p.label: p.probability for p in preds},
        "cam_a": lf.overlay(shown, maps[0], opacity),
        "cam_b": lf.overlay(shown, maps[1], opacity),
        "caption_a": captions[0],
        "caption_b": captions[1],
        "filters": Image.fromarray(lf.filter_tiles(w, scale=max(4, 48 // w.shape[-1]))),
        "filters_caption": say("filters_caption", layer=conv_name, n=w.shape[0], c=w.shape[1], k=w.shape[-1]),
        "cam_state": {"shown": shown, "maps": maps},
        "cam_picks": {"target": gr.update(choices=class_choices, value=target if target in m.class_names else "top1"),
                      "layer": gr.update(choices=layer_choices, value=layer),
                      "layer_b": gr.update(choices=layer_choices, value=layer_b)},
    }


def _one_map(m: zoo.InsideModel, x: Any, method: str, layer: str, index: int, progress: gr.Progress, start: float,
             span: float) -> tuple[Any, str]:
    """One CAM and what its caption adds: Score-CAM scores the strongest channels that fit its time budget,
    says so before it starts (a toast) and moves the progress bar after each batch of masked images."""
    if method not in TEXT["methods"]:
        raise ValueError(f"Unknown CAM method {method!r}; choose one of {', '.join(lc.METHODS)}.")
    title = TEXT["methods"][method][0]
    progress(start, desc=say("p_method", method=title, layer=layer))
    if method != "scorecam":
        return lc.compute_cam(m.model, x, method, layer, index), ""
    _, module = lf.resolve_layer(m.model, layer)
    plan = cs.plan_score_cam(m.model, lf.image_batch(x, m.model), module)
    gr.Info(say("score_plan", layer=layer, k=plan.channels, total=plan.total, s=plan.seconds))

    def batch_done(done: int, total: int) -> None:
        progress(start + span * done / total, desc=say("p_score", layer=layer, done=done, total=total))

    cam_map = lc.compute_cam(m.model, x, method, layer, index, channels=plan.channels, on_batch=batch_done)
    return cam_map, say("score_caption", k=plan.channels, total=plan.total)


@answered_from(cam)  # a repeated image is answered from cam's cache, without queueing
@user_errors  # the language of the request (cam, called without one, reads it)
def cam_if_image(
    image: Any, model: str, method: str, layer: str | None, target: str | None, method_b: str,
    layer_b: str | None, weights: str, opacity: float, checkpoint: Any = None, progress: gr.Progress = gr.Progress(),
) -> dict[str, Any]:
    """``cam`` for change events: an emptied image input changes nothing."""
    if image is None:
        return {}
    return cam(image, model, method, layer, target, method_b, layer_b, weights, opacity, checkpoint, progress)


@user_errors
def reblend(opacity: float, state: dict | None) -> dict[str, Any]:
    """New opacity: blend the stored maps again (no network involved)."""
    if not state:
        return {}
    return {"cam_a": lf.overlay(state["shown"], state["maps"][0], opacity),
            "cam_b": lf.overlay(state["shown"], state["maps"][1], opacity)}


@cached(also=_weights_now)
@user_errors
def feature_maps(
    image: Any,
    model: str,
    layer: str | None = None,
    weights: str = "auto",
    rank: float = 1,
    checkpoint: Any = None,
    progress: gr.Progress = gr.Progress(),
) -> dict[str, Any]:
    """The channels of one layer as a grid, and one channel enlarged."""
    progress(0.1, desc=say("p_running"))
    m, pre = _prepare(image, model, weights, checkpoint)
    with m.lock:
        if not isinstance(layer, str) or layer not in {r.name for r in m.layers}:
            layer = m.layers[0].name
        act = lf.feature_maps(m.model, pre.tensor, layers=[layer])[-1]  # a shared module: its last call
        choices = _layer_choices(m.layers)
    grid = lf.feature_grid(act.tensor)
    c, h, w = act.shape
    rank = int(min(number(rank or 1, "The channel's rank", 1), c))
    state = {"layer": layer, "activation": act.tensor, "order": lf.channel_order(act.tensor), "grid": grid}
    return {
        "grid": Image.fromarray(grid.image),
        "fm_caption": say("fm_caption", layer=layer, kind=act.kind, channels=c, h=h, w=w, shown=len(grid.order)),
        "channel_plot": _channel_plot(state, rank),
        "fm_state": state,
        "fm_picks": {"fm_layer": gr.update(choices=choices, value=layer),
                     "rank": gr.update(minimum=1, maximum=c, value=rank)},
    }


@answered_from(feature_maps)
@user_errors
def feature_maps_if_image(
    image: Any, model: str, layer: str | None, weights: str, rank: float, checkpoint: Any = None,
    progress: gr.Progress = gr.Progress(),
) -> dict[str, Any]:
    """``feature_maps`` for change events: an emptied image input changes nothing."""
    if image is None:
        return {}
    return feature_maps(image, model, layer, weights, rank, checkpoint, progress)


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
def model_changed(model: str, weights: str, checkpoint: Any = None) -> dict[str, Any]:
    """A new network or weights: reset the layer pickers to its defaults (its layers have other names)."""
    m = zoo.load_inside_model(model, weights or "auto", _file_path(checkpoint))
    with m.lock:
        choices, fm_choices = _layer_choices(m.cam_layers), _layer_choices(m.layers)
    return {
        "weights_note": _weights_note(m),
        "picks": {"layer": gr.update(choices=choices, value=m.cam_layer),
                  "layer_b": gr.update(choices=choices, value=None),
                  "target": gr.update(choices=[(i18n("top1"), "top1")], value="top1"),
                  "fm_layer": gr.update(choices=fm_choices, value=m.layers[0].name)},
    }


@user_errors
def weights_file(checkpoint: Any, model: str) -> dict[str, Any]:
    """An uploaded weights file: a checkpoint CNN Lab wrote (its network is picked) or, where the download is
    impossible, torchvision's ImageNet weights for the chosen network (installed in the torch hub cache)."""
    path = _file_path(checkpoint)
    if path is None:
        return {}
    kind, name = zoo.use_weights_file(path, model)
    return {"picks": {"weights": kind, "model": name}}


@user_errors
def latest_run(checkpoint: Any, model: str, request: gr.Request = None) -> dict[str, Any]:
    """This browser session's newest Train-tab checkpoint as the weights (its network is picked)."""
    found = runs.latest_checkpoints(limit=1, session=getattr(request, "session_hash", None) or "")
    if not found:
        raise ValueError(say("no_run"))
    kind, name = zoo.use_weights_file(found[0], model)
    return {"picks": {"checkpoint": str(found[0]), "weights": kind, "model": name}}


def _examples() -> list[str]:
    """The example images that are present in assets/, Shapes first (the shipped model knows them)."""
    return [str(ASSETS / n) for n in EXAMPLES if (ASSETS / n).is_file()]


def _file_path(value: Any, what: str = "checkpoint") -> str | None:
    """The uploaded file an (unpreprocessed) file or image input holds; None when empty (lab.ui.common.upload_path:
    a path anywhere else on the server is a sentence)."""
    return upload_path(value, what)


def _prepare(image: Any, model: str, weights: str, checkpoint: Any = None):
    path = _file_path(image, "image")
    if path is None:
        raise ValueError(say("no_image"))
    m = zoo.load_inside_model(model, weights or "auto", _file_path(checkpoint))
    return m, m.prepare(path)


def _layer_choices(rows: list[LayerShape]) -> list[tuple[str, str]]:
    """Every layer, in forward order, its label starting with its stage (resolution) so the list reads grouped
    and typing "stage 4" or a name filters it."""
    return [(_layer_label(r, stage), r.name) for r, stage in zip(rows, lf.layer_stages(rows))]


def _layer_label(r: LayerShape, stage: int) -> str:
    _, c, h, w = r.shape
    twice = say("runs_twice", n=r.calls) if r.calls > 1 else ""
    return say("layer_label", stage=stage, h=h, w=w, name=r.name, kind=r.kind, c=c, twice=twice)


def _weights_note(m: zoo.InsideModel) -> str:
    if m.weights == "random":
        return say("weights_random", detail=translate_error(m.detail), reason=translate_error(m.reason))
    note = say(f"weights_{m.weights}", detail=translate_error(m.detail))
    return note + (say("weights_fallback", reason=translate_error(m.reason)) if m.reason else "")


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
    fig = go.Figure(go.Heatmap(z=z, colorscale="Viridis", colorbar=dict(title=say("activation"))))
    fig.update_layout(
        title=say("fm_channel_title", layer=state["layer"], channel=channel, rank=rank, total=len(order)),
        yaxis=dict(autorange="reversed", scaleanchor="x", constrain="domain"),
        xaxis=dict(constrain="domain"),
        margin=dict(l=10, r=10, t=50, b=10),
        height=380,
    )
    return fig
