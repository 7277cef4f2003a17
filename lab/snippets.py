"""Show me the code: the short Python behind each view of the lab, with the view's settings filled in.

``snippet(view, lang, **settings)`` returns a script of about twenty lines that reproduces what the view shows
(using ``lab`` where that is the point, plain torch where that is clearer) and prints the view's key figures,
one per line, as ``name=value`` with ``value`` a Python literal: ``tests/test_snippets.py`` runs every script in
a subprocess and compares those lines with the numbers the view's own ``lab`` function returns.

Every setting enters the code through :func:`repr` (never pasted as text), so a model name or a file name with
quotes in it stays one string literal; a setting that is missing (None) takes the view's default. Comments are
in ``lang`` ("en" or "zh-CN"); the code itself is the same in both. The Layers tab's views are in
:mod:`lab.snippets_layers`; both register theirs in :data:`VIEWS`.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from lab import snippets_layers  # noqa: F401  (registers the Layers tab's views)
from lab.models import TIMM_PREFIX
from lab.snippet_kit import VIEWS, ZH, file_name, fmt, like, view
from lab.train import TrainConfig


def snippet(view_name: str, lang: str = "en", **settings: Any) -> str:
    """The Python that reproduces view ``view_name`` with ``settings`` (the view's defaults for any left out or
    None), comments in ``lang``.

    Raises:
        ValueError: an unknown view or setting name, or a setting the view cannot use (the sentence says which).
    """
    if not isinstance(view_name, str) or view_name not in VIEWS:
        raise ValueError(f"There is no view named {view_name!r} to show the code of; choose one of "
                         f"{', '.join(VIEWS)}.")
    v = VIEWS[view_name]
    unknown = sorted(set(settings) - set(v.defaults))
    if unknown:
        raise ValueError(f"The view {view_name!r} has no setting named {unknown[0]!r}; its settings are "
                         f"{', '.join(v.defaults)}.")
    values = {k: like(settings.get(k), d) for k, d in v.defaults.items()}
    index = 1 if lang == ZH else 0

    def say(key: str, **fields: Any) -> str:
        return v.comments[key][index].format(**fields)

    try:
        return v.write(say, **values).strip() + "\n"
    except (TypeError, AttributeError, OverflowError):  # a list where a number goes, a number where text goes
        raise ValueError(f"A setting of the view {view_name!r} has the wrong kind of value; send each as its "
                         f"default is: {v.defaults}.") from None


# ------------------------------------------------------------------------------------------ Architecture


@view("architecture", dict(model="resnet18", timm_name="", resolution=224, channels=3, classes=1000), {
    "head": ("The layer table: shapes, parameters and MACs from one forward pass on meta tensors (shapes, no "
             "weights, no arithmetic).", "逐层表：在 meta 张量上做一次前向传播（只有形状，没有权重，也不做运算），"
             "得到形状、参数量和乘加次数。"),
    "stages": ("The table's Stages view: output shape, parameters and MACs per stage.",
               "表格的“阶段”视图：每个阶段的输出形状、参数量和乘加次数。"),
    "flops": ("A FLOP counter that counts the multiply and the add separately reports about 2 × MACs.",
              "把乘法和加法分开计数的 FLOPs 统计约为 2 × MACs。"),
})
def _architecture(say, model, timm_name, resolution, channels, classes) -> str:
    typed = str(timm_name or "").strip()
    name = (typed if typed.startswith(TIMM_PREFIX) else TIMM_PREFIX + typed) if typed else str(model)
    return f"""
# {say("head")}
from lab.inspect import summarize

s = summarize({fmt(name)}, ({fmt(channels)}, {fmt(resolution)}, {fmt(resolution)}), num_classes={fmt(classes)})
# {say("stages")}
for st in s.stages:
    print(f"{{st.name:40}} {{str(st.output_shape):16}} {{st.params:>12,}} {{st.macs:>16,}}")
# {say("flops")}
print(f"params={{s.total_params}}")
print(f"macs={{s.total_macs}}")
print(f"output_shape={{list(s.output_shape or ())}}")
print(f"rows={{len(s.rows)}}")
"""


@view("compare", dict(names=["alexnet", "resnet50", "efficientnet_b0"]), {
    "head": ("Published accuracy against compute: each network's card holds its paper's figures.",
             "公开精度与计算量的对比：每个网络的卡片里存着其论文给出的数字。"),
    "row": ("ImageNet top-1 (%), GFLOPS as torchvision counts them (= GMACs), parameters.",
            "ImageNet top-1（%）、torchvision 统计的 GFLOPS（即 GMACs）、参数量。"),
})
def _compare(say, names) -> str:
    picked = [str(n) for n in (names if isinstance(names, (list, tuple)) else [names])]
    return f"""
# {say("head")}
from lab.models import model_info

for name in {fmt(picked)}:
    info = model_info(name)
    # {say("row")}
    print(f"{{name}}={{[info.acc1, info.gflops, info.num_params]!r}}")
"""


# ------------------------------------------------------------------------------------------ Inside


_LOAD = {
    "load": ("The network with the weights the tab uses, and how those weights expect to be fed.",
             "加载网络及本页所用的权重，以及这些权重要求的输入预处理。"),
    "prepare": ("Resized, cropped and normalised as the weights' own record says.",
                "按权重自带的记录缩放、裁剪并归一化。"),
}


def _load_lines(model: str, weights: str, checkpoint: Any, image: Any) -> str:
    """The lines every Inside snippet starts with: the model, its weights, the image as a batch tensor."""
    ckpt = file_name(checkpoint)
    args = f"{fmt(model)}, {fmt(weights)}" + (f", {fmt(ckpt)}" if ckpt and weights == "checkpoint" else "")
    return f"m = zoo.load_inside_model({args})\nx = m.prepare({fmt(file_name(image) or 'assets/cat.jpg')}).tensor"


@view("cam", dict(image="assets/shapes_circle.png", model="mobilenet_v2", weights="shapes", checkpoint=None,
                  method="gradcam", layer=None, target="top1", method_b="layercam", layer_b=None), {
    **_LOAD,
    "target": ("The class to explain: the top prediction, or the one picked.", "要解释的类别：最高的预测，或所选的类别。"),
    "layers": ("The two maps' layers (a layer left unpicked: the tab's choice).", "两张热力图所用的层（未选的层按本页的规则选）。"),
    "cam": ("A heat map in [0, 1], as large as the input: where the evidence for the class lies.",
            "一张取值在 [0, 1] 的热力图，与输入同大：该类别的证据在图中的位置。"),
})
def _cam(say, image, model, weights, checkpoint, method, layer, target, method_b, layer_b) -> str:
    picked = fmt(str(target))
    target_line = ("target = top[0].index" if target in (None, "", "top1")
                   else f"target = m.class_names.index({picked}) if {picked} in m.class_names else top[0].index")
    return f"""
# {say("load")}
from lab import cam, features
from lab.models import zoo

{_load_lines(model, weights, checkpoint, image)}  # {say("prepare")}
probs = features.class_probabilities(m.model, x)
top = features.top_classes(probs, m.class_names, k=5)
# {say("target")}
{target_line}
# {say("layers")}
names = [r.name for r in m.cam_layers]
layer_a, layer_b = cam.compare_layers(names, m.cam_layer, {fmt(layer)}, {fmt(method)}, {fmt(layer_b)}, {fmt(method_b)})
print(f"top1={{top[0].label!r}}")
print(f"prob={{top[0].probability:.4f}}")
for side, method, layer in (("a", {fmt(method)}, layer_a), ("b", {fmt(method_b)}, layer_b)):
    heat = cam.compute_cam(m.model, x, method, layer, target)  # {say("cam")}
    peak = divmod(int(heat.argmax()), heat.shape[1])
    print(f"cam_{{side}}={{[layer, list(heat.shape), list(peak)]!r}}")
"""


@view("feature_maps", dict(image="assets/shapes_circle.png", model="mobilenet_v2", weights="shapes",
                           checkpoint=None, layer=None, rank=1), {
    **_LOAD,
    "maps": ("One layer's output for this image: C maps of H×W, copied in one real forward pass.",
             "这一层对该图像的输出：C 张 H×W 的特征图，在一次真实的前向传播中复制下来。"),
    "order": ("The channels, strongest first (the grid's order); the slider's rank picks one.",
              "各通道按强度从大到小排列（网格的顺序）；滑块的名次选出其中一个。"),
})
def _feature_maps(say, image, model, weights, checkpoint, layer, rank) -> str:
    layer_expr = fmt(str(layer)) if layer else "m.layers[0].name"
    return f"""
# {say("load")}
from lab import features
from lab.models import zoo

{_load_lines(model, weights, checkpoint, image)}  # {say("prepare")}
layer = {layer_expr}
# {say("maps")}
act = features.feature_maps(m.model, x, layers=[layer])[-1]
# {say("order")}
order = features.channel_order(act.tensor)
channel = order[min({fmt(int(rank))}, len(order)) - 1]
print(f"layer={{layer!r}}")
print(f"shape={{list(act.shape)}}")
print(f"channel={{channel}}")
print(f"channel_max={{float(act.tensor[channel].max()):.5f}}")
"""


# ------------------------------------------------------------------------------------------ Scaling


@view("scaling", dict(compound=True, phi=1.0, alpha=1.2, beta=1.1, gamma=1.15, width=1.0, depth=1.0, resolution=224), {
    "compound": ("Compound scaling (EfficientNet §3.3): depth α^φ, width β^φ, resolution 224·γ^φ.",
                 "复合缩放（EfficientNet §3.3）：深度 α^φ、宽度 β^φ、分辨率 224·γ^φ。"),
    "free": ("Free mode: width, depth and resolution as set by hand.", "自由模式：手动设定的宽度、深度和分辨率。"),
    "cost": ("Counted block by block from B0's stage table (channels rounded to multiples of 8, layers up).",
             "按 B0 的阶段表逐块计数（通道数取 8 的倍数，层数向上取整）。"),
    "check": ("The built network gives the same count: lab.inspect.summarize(S.efficientnet(w, d), (3, r, r)).",
              "真正搭出的网络也得到相同的数：lab.inspect.summarize(S.efficientnet(w, d), (3, r, r))。"),
})
def _scaling(say, compound, phi, alpha, beta, gamma, width, depth, resolution) -> str:
    if not compound:
        head = f"# {say('free')}\nw, d, r = {fmt(width)}, {fmt(depth)}, {fmt(resolution)}"
        factor = ""
    else:
        head = (f"# {say('compound')}\nphi, alpha, beta, gamma = {fmt(phi)}, {fmt(alpha)}, {fmt(beta)}, {fmt(gamma)}\n"
                "w, d, r = beta ** phi, alpha ** phi, round(224 * gamma ** phi)")
        factor = 'print(f"flops_factor={(alpha * beta ** 2 * gamma ** 2) ** phi:.4f}")  # (α·β²·γ²)^φ\n'
    return f"""
from lab import scaling as S

{head}
# {say("cost")}
cost = S.efficientnet_cost(w, d, r)
for st in cost.stages:
    print(st.stage, st.operator, st.channels, st.layers, st.input_resolution)
print(f"width={{w:.4f}}")
print(f"depth={{d:.4f}}")
print(f"resolution={{r}}")
print(f"params={{cost.params}}")
print(f"macs={{cost.macs}}")
{factor}# {say("check")}
"""


@view("mobilenet", dict(alpha=1.0, resolution=224), {
    "head": ("MobileNet v1 (§3.3–3.4): width multiplier α and resolution multiplier ρ = resolution / 224.",
             "MobileNet v1（§3.3–3.4）：宽度乘子 α 和分辨率乘子 ρ = 分辨率 / 224。"),
    "cost": ("The paper's formula D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F per layer, and lab.inspect's count.",
             "论文公式 D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F 逐层计算，以及 lab.inspect 的实测。"),
})
def _mobilenet(say, alpha, resolution) -> str:
    return f"""
# {say("head")}
from lab import scaling as S

cost = S.mobilenet_v1_costs({fmt(alpha)}, {fmt(resolution)} / 224)
# {say("cost")}
for layer in cost.layers:
    print(layer.layer, layer.kind, layer.formula_macs, layer.measured_macs)
print(f"formula_macs={{cost.formula_macs}}")
print(f"measured_macs={{cost.measured_macs}}")
print(f"params={{cost.params}}")
"""


# ------------------------------------------------------------------------------------------ Train

# The Train tab's settings, shown in every snippet (the rest only where they differ from TrainConfig's).
TRAIN_SHOWN = ("model", "dataset", "epochs", "batch_size", "lr", "optimizer", "image_size", "pretrained",
               "freeze_backbone", "augmentation", "train_size", "val_size", "seed")
_TRAIN_DEFAULTS = {f.name: f.default for f in dataclasses.fields(TrainConfig)}


@view("train", _TRAIN_DEFAULTS, {
    "head": ("The Train tab's run: the same settings, the same engine (python -m lab.train takes them as flags).",
             "训练页的这次训练：同样的设置、同样的引擎（python -m lab.train 也接受这些参数）。"),
    "events": ("train() yields small events: a start, a step after every batch, an epoch, and done at the end.",
               "train() 逐个产出小事件：开始、每批一步、每轮一次，最后是 done。"),
})
def _train(say, **config: Any) -> str:
    if isinstance(config["dataset"], str) and config["dataset"].lower().endswith(".zip"):
        config["dataset"] = file_name(config["dataset"])
    keys = [k for k in _TRAIN_DEFAULTS if k in TRAIN_SHOWN or (config[k] != _TRAIN_DEFAULTS[k] and k != "out")]
    args = "".join(f"    {k}={fmt(config[k])},\n" for k in keys)
    return f"""
# {say("head")}
from lab.train import TrainConfig, train

config = TrainConfig(
{args})
# {say("events")}
for event in train(config):
    if event["kind"] == "start":
        print(f"total_steps={{event['total_steps']}}")
    elif event["kind"] == "epoch":
        print(f"epoch {{event['epoch']}}: val_acc {{event['val_acc']:.3f}}, val_loss {{event['val_loss']:.3f}}")
    elif event["kind"] == "done":
        print(f"val_acc={{event['val_acc']!r}}")
        print(f"steps={{event['steps']}}")
"""


def parse_figures(output: str) -> dict[str, str]:
    """The ``name=value`` lines a snippet printed (its figures), by name; other lines are for the reader."""
    out = {}
    for line in output.splitlines():
        name, sep, value = line.partition("=")
        if sep and name.isidentifier():
            out[name] = value
    return out


