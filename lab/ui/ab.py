"""The A/B tab: two networks (or one network at two checkpoints) on one image, side by side. Every figure comes
from :func:`lab.ab.compare`; this module lays the two sides out.

API endpoint: ``/ab`` (image, each side's model, weights, checkpoint and layer, the CAM method). It runs in the
Inside tab's queue ("inside"), on the Inside tab's models and their locks (:func:`lab.models.zoo.load_inside_model`),
and is cached like the Inside tab's maps (:func:`lab.ui.serving.cached`): the same A/B is computed once.

The pickers, the weights note, the layer list and the captions are the Inside tab's (:mod:`lab.ui.inside`), and
so are the rules of its events: no input is an output of a handler that can fail (the layer pickers' new choices
go through a State, copied in on success), and a failed run clears what no longer answers the inputs.
"""
from __future__ import annotations

from typing import Any, Sequence

import gradio as gr
from PIL import Image

from lab import ab as lab_ab
from lab import cam as lc
from lab import features as lf
from lab.models import zoo
from lab.ui import inside, lesson
from lab.ui.common import local_example, model_choices, si, speaker, translator, user_errors
from lab.ui.serving import answered_from, cached
from lab.ui.text.ab import TEXT, TEXT_ZH

INPUTS = ("image", "model_a", "weights_a", "checkpoint_a", "layer_a", "model_b", "weights_b", "checkpoint_b",
          "layer_b", "method")
SIDE_SHOWN = ("note", "predictions", "cam", "caption", "grid", "fm_caption", "figures")
SHOWN = (*(f"{name}_{s}" for s in "ab" for name in SIDE_SHOWN), "verdict")
OUTPUTS = (*SHOWN, "ab_picks")  # the order /ab returns them in
PICKERS = ("layer_a", "layer_b")
# The opening comparison: the shipped (Shapes-trained) network against itself untrained, before and after training.
DEFAULTS = {"a": (zoo.shipped_architecture() or "resnet18", "auto"), "b": (zoo.shipped_architecture() or "resnet18",
                                                                          "random")}
OPACITY = 0.5

i18n = translator(__name__, TEXT)
say = speaker(TEXT, TEXT_ZH)
inside_i18n = inside.i18n  # the pickers' labels: the Inside tab's


# ------------------------------------------------------------------------------------------- layout


def build() -> None:
    """Fill the current gr.Tab."""
    gr.Markdown(i18n("intro"))
    examples = inside._examples()
    ui: dict[str, Any] = {}
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            ui["image"] = gr.Image(label=inside_i18n("image"), type="filepath", height=260, elem_id="ab-image",
                                   sources=["upload", "webcam", "clipboard"], value=examples[0] if examples else None)
            if examples:  # the API's example and default: this example, not Gradio's picture on GitHub
                local_example(ui["image"], examples[0])
            ui["examples"] = gr.Examples([[p] for p in examples], inputs=[ui["image"]], label=inside_i18n("examples"),
                                         examples_per_page=10, elem_id="ab-examples") if examples else None
        with gr.Column(scale=1, min_width=280):
            ui["method"] = gr.Dropdown([(inside.TEXT["methods"][k][0], k) for k in lc.METHODS],
                                       value="gradcam", label=inside_i18n("method"), info=inside_i18n("method_info"),
                                       elem_id="ab-method")
            ui["run"] = gr.Button(i18n("run"), variant="primary", elem_id="ab-run")
            ui["verdict"] = gr.Markdown(elem_id="ab-verdict")
    with gr.Row():
        for s in "ab":
            with gr.Column(min_width=320):
                ui.update(_side(s))
    ui.update({name: gr.State() for name in ("ab_picks", "picks_a", "picks_b")})
    _wire(ui, open_with_example=bool(examples))


def _side(s: str) -> dict[str, Any]:
    """One side's pickers and results; keys end in ``_a`` or ``_b``."""
    model, weights = DEFAULTS[s]
    gr.Markdown(i18n(f"side_{s}"))
    out = {
        "model": gr.Dropdown(model_choices(), value=model, label=inside_i18n("model"), elem_id=f"ab-model-{s}"),
        "weights": gr.Radio([(inside_i18n(k), v) for k, v in inside.WEIGHTS], value=weights, elem_id=f"ab-weights-{s}",
                            label=inside_i18n("weights"), info=inside_i18n("weights_info")),
    }
    with gr.Accordion(inside_i18n("ckpt_heading"), open=False):
        out["checkpoint"] = gr.File(label=inside_i18n("ckpt_file"), file_types=[".pt", ".pth"],
                                    elem_id=f"ab-checkpoint-{s}")
        gr.Markdown(inside_i18n("ckpt_info"), elem_classes=["explain"])
        out["latest_run"] = gr.Button(inside_i18n("latest_run"), size="sm", elem_id=f"ab-latest-run-{s}")
    out["layer"] = gr.Dropdown([], value=None, label=i18n("layer"), info=i18n("layer_info"), elem_id=f"ab-layer-{s}",
                               num_choices_shown=inside.EVERY_CHOICE)
    out["note"] = gr.Markdown(elem_id=f"ab-note-{s}")
    out["predictions"] = gr.Label(label=inside_i18n("predictions"), num_top_classes=5, elem_id=f"ab-predictions-{s}")
    out["cam"] = gr.Image(label=i18n("cam"), interactive=False, height=300, elem_id=f"ab-cam-{s}", buttons=[])
    out["caption"] = gr.Markdown(elem_id=f"ab-caption-{s}")
    out["grid"] = gr.Image(label=i18n("grid"), interactive=False, height=300, elem_id=f"ab-grid-{s}", buttons=[])
    out["fm_caption"] = gr.Markdown(elem_id=f"ab-fm-caption-{s}")
    out["figures"] = gr.Markdown(elem_id=f"ab-figures-{s}")
    return {f"{k}_{s}": v for k, v in out.items()}


def _wire(ui: dict[str, Any], open_with_example: bool) -> None:
    """The events, in the Inside tab's queue; each run's picks copied in on success, its results cleared on failure."""
    queue = dict(concurrency_id="inside", concurrency_limit=inside.CONCURRENCY)
    private = dict(api_visibility="private", preprocess=False, **queue)
    quiet = dict(api_visibility="private", show_progress="hidden", queue=False)

    def at(names: Sequence[str]) -> list:
        return [ui[n] for n in names]

    def settle(event: Any) -> None:
        event.failure(inside._by_component(lambda: inside._cleared(SHOWN, "verdict"), ui), None, at(SHOWN), **quiet)
        event.success(inside._by_component(inside._apply, ui), [ui["ab_picks"]], at(PICKERS), **quiet)

    def again(event: Any) -> None:
        settle(event.success(inside._by_component(ab_if_image, ui), at(INPUTS), at(OUTPUTS), **private))

    settle(ui["run"].click(inside._by_component(ab, ui), at(INPUTS), at(OUTPUTS), api_name="ab", preprocess=False,
                           **queue))
    settle(gr.on([ui[n].input for n in ("image", "method", "layer_a", "layer_b")],
                 inside._by_component(ab_if_image, ui), at(INPUTS), at(OUTPUTS), **private))
    if ui["examples"] is not None:
        again(ui["examples"].load_input_event)
    root = gr.context.Context.root_block
    if root is not None and open_with_example:  # the opening comparison, computed once for everyone (cached)
        linked = dict(a=ui["model_a"], wa=ui["weights_a"], b=ui["model_b"], wb=ui["weights_b"], image=ui["image"],
                      method=ui["method"])  # a lesson link's settings are set before the first comparison
        settle(lesson.follow("ab", linked).then(inside._by_component(ab_if_image, ui), at(INPUTS), at(OUTPUTS),
                                                **private))
    for s in "ab":
        side = {name: ui[f"{name}_{s}"] for name in ("model", "weights", "checkpoint", "layer", "latest_run")}
        side["picks"] = ui[f"picks_{s}"]
        pickers = [side[n] for n in ("model", "weights", "checkpoint", "layer")]
        # A new network or weights: its own default layer (the old one may not exist in it), then both sides.
        again(gr.on([side["model"].input, side["weights"].input], lambda: None, None, [side["layer"]], **quiet))
        # A weights file, or the Train tab's latest run: its network and weights (lab.ui.inside's handlers) picked.
        for trigger, fn in ((side["checkpoint"].upload, inside.weights_file),
                            (side["latest_run"].click, inside.latest_run)):
            picked = trigger(inside._by_component(fn, side), [side["checkpoint"], side["model"]], [side["picks"]],
                             **private)
            again(picked.success(inside._by_component(_picked, side), [side["picks"]], pickers, **quiet))


def _picked(picks: dict[str, Any] | None) -> dict[str, Any]:
    """A side's new network, weights or checkpoint into its pickers; its layer back to the network's default."""
    return {**(picks or {}), "layer": None}


# ----------------------------------------------------------------------------------------- handlers


def _weights_now(kwargs: dict) -> tuple[str, str]:
    """What the cache keys on besides the inputs: the weights each side's "auto" means now."""
    return tuple(zoo.weights_source(kwargs.get(f"model_{s}"), kwargs.get(f"weights_{s}")) for s in "ab")


@cached(also=_weights_now)
@user_errors
def ab(
    image: Any,
    model_a: str = "mobilenet_v2",
    weights_a: str = "auto",
    checkpoint_a: Any = None,
    layer_a: str | None = None,
    model_b: str = "resnet18",
    weights_b: str = "random",
    checkpoint_b: Any = None,
    layer_b: str | None = None,
    method: str = "gradcam",
) -> dict[str, Any]:
    """Two networks on one image, side by side: for each side (A and B), its top-5 predictions, the CAM of its
    top-1 class on a layer, that layer's strongest feature maps, its parameters, its MACs at its input size and
    its latency on this machine's CPU; and one line comparing the two.

    Each side is a course model (e.g. "resnet18", "mobilenet_v2") with weights "auto" (ImageNet if available,
    else the shipped Shapes model for its network, else random), "imagenet", "shapes", "random" or "checkpoint"
    (a file CNN Lab wrote, sent as checkpoint_a / checkpoint_b). layer_a / layer_b name a layer of that side's
    network (empty: its default CAM layer). method is a CAM method: gradcam, gradcam++, xgradcam, layercam,
    hirescam, scorecam or eigencam.
    """
    path = inside._file_path(image, "image")
    if path is None:
        raise ValueError(inside.say("no_image"))
    picks = [lab_ab.Pick(model, weights or "auto", inside._file_path(checkpoint), layer or None)
             for model, weights, checkpoint, layer in ((model_a, weights_a, checkpoint_a, layer_a),
                                                        (model_b, weights_b, checkpoint_b, layer_b))]
    c = lab_ab.compare(path, *picks, method=method)
    out: dict[str, Any] = {"verdict": verdict(c), "ab_picks": {}}
    for s, side in (("a", c.a), ("b", c.b)):
        out.update({f"{name}_{s}": value for name, value in _side_outputs(s, side, c.method).items()})
        out["ab_picks"][f"layer_{s}"] = gr.update(choices=inside._layer_choices(side.layers), value=side.layer)
    return out


@answered_from(ab)  # a repeated A/B is answered from ab's cache, without queueing
@user_errors
def ab_if_image(
    image: Any, model_a: str, weights_a: str, checkpoint_a: Any, layer_a: str | None, model_b: str, weights_b: str,
    checkpoint_b: Any, layer_b: str | None, method: str,
) -> dict[str, Any]:
    """``ab`` for change events: an emptied image input changes nothing."""
    if image is None:
        return {}
    return ab(image, model_a, weights_a, checkpoint_a, layer_a, model_b, weights_b, checkpoint_b, layer_b, method)


def _side_outputs(s: str, side: lab_ab.Side, method: str) -> dict[str, Any]:
    """One side's results, by the name of their component (without the side's suffix)."""
    c, h, w = side.activation.shape
    top = side.top1
    return {
        "note": say("note", side=s.upper(), model=side.model, note=inside._weights_note(side)),
        "predictions": {p.label: p.probability for p in side.predictions},
        "cam": lf.overlay(inside._display(side.shown.convert("RGB")), side.cam, OPACITY),
        "caption": inside.say("cam_caption", method=inside.TEXT["methods"][method][0], layer=side.layer,
                              label=top.label, prob=top.probability),
        "grid": Image.fromarray(side.grid.image),
        "fm_caption": inside.say("fm_caption", layer=side.layer, kind=side.activation.kind, channels=c, h=h, w=w,
                                 shown=len(side.grid.order)),
        "figures": say("figures", params=si(side.params), macs=si(side.macs), c=side.input_size[0],
                       h=side.input_size[1], w=side.input_size[2], ms=side.latency_s * 1e3, runs=lab_ab.TIMED_RUNS),
    }


def verdict(c: lab_ab.Comparison) -> str:
    """The line comparing the two sides: their top-1, shared top-5, confidence and CAM peaks (all computed)."""
    pa, pb = c.a.top1.probability, c.b.top1.probability
    parts = [
        say("same_top1", label=c.a.top1.label) if c.same_top1 else say("other_top1", a=c.a.top1.label, b=c.b.top1.label),
        say("shared_top5", n=c.shared_top5),
        say("as_confident", pa=pa) if c.more_confident is None else
        say("more_confident", side=c.more_confident.upper(), pa=max(pa, pb), pb=min(pa, pb)),
        say("peaks", px=c.peak_distance, frac=c.peak_fraction),
    ]
    return say("verdict", parts=say("join").join(parts))
