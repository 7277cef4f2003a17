"""Show me the code: every view's snippet, run as a script in a fresh Python (``sys.executable -c``, in the
repository, offline, Shapes or random weights), prints the figures the view's own ``lab`` function gives for
the same settings; settings with quotes in them stay string literals; comments follow the language.

The scripts of one test run in one subprocess, each in a namespace of its own (importing torch once, not
once per script): the cheap views in a fast test, the views that run a network (Inside, Train) and the
rest of the sweep in one marked slow.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from lab import batchnorm as B
from lab import blocks as BL
from lab import cam as lc
from lab import features as lf
from lab import inspect as li
from lab import layer_math as L
from lab import scaling as S
from lab.images import load_image
from lab.models import model_info, zoo
from lab.snippets import VIEWS, parse_figures, snippet
from lab.snippet_kit import fmt
from lab.train import TrainConfig, train

ROOT = Path(__file__).resolve().parents[1]
# Runs each script of a JSON list in a namespace of its own, with its stdout captured; prints the outputs as JSON.
RUNNER = """
import contextlib, io, json, sys
outputs = []
for code in json.load(sys.stdin):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__"})
    outputs.append(out.getvalue())
print(json.dumps(outputs))
"""
MAX_LINES = 30  # "about twenty lines": a student reads it whole


def run_scripts(codes: list[str]) -> tuple[list[dict[str, object]], float]:
    """Each script's printed ``name=value`` figures (values as Python literals), and the seconds it all took."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TORCH_HOME=str(ROOT / ".no-downloads"), PYTHONPATH="")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(codes), capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    seconds = time.perf_counter() - start
    outputs = json.loads(done.stdout.strip().splitlines()[-1])
    return [{k: ast.literal_eval(v) for k, v in parse_figures(o).items()} for o in outputs], seconds


# ------------------------------------------------------------------------------------------ what each view shows


def arch_figures(model="resnet18", resolution=224, channels=3, classes=1000, **_):
    s = li.summarize(model, (channels, resolution, resolution), classes)
    return dict(params=s.total_params, macs=s.total_macs, output_shape=list(s.output_shape), rows=len(s.rows))


def scaling_figures(phi=None, alpha=S.ALPHA, beta=S.BETA, gamma=S.GAMMA, width=1.0, depth=1.0, resolution=224):
    if phi is not None:
        width, depth, resolution = S.compound_config(phi, alpha, beta, gamma)
    cost = S.efficientnet_cost(width, depth, resolution)
    out = dict(width=round(width, 4), depth=round(depth, 4), resolution=resolution, params=cost.params,
               macs=cost.macs)
    if phi is not None:
        out["flops_factor"] = round(S.flops_factor(phi, alpha, beta, gamma), 4)
    return out


def conv_figures(c_in=3, c_out=64, size=224, k=7, s=2, p=3, d=1, g=1, bias=False):
    c = L.conv_cost(c_in, c_out, size, size, k, s, p, d, g, bias)
    return dict(out_shape=[c_out, c.out_h, c.out_w], h_out=c.out_h, params=c.params, macs=c.macs)


def window_figures(op="convolution", side=6, seed=0, kernel="sobel x (vertical edges)", pool_k=2, stride=1,
                   padding=1, position=0):
    x = np.random.default_rng(seed).integers(0, 10, size=(side, side)).astype(float)
    k = np.array(L.KERNELS[kernel]) if op == "convolution" else pool_k
    _, out, steps = L.sliding_window(x, op, k, stride, padding)
    return dict(out_shape=list(out.shape), out=out.tolist(), value=steps[min(position, len(steps) - 1)].value)


def softmax_figures(logits=(2, 1, 0.1), temperature=1.0):
    p = L.softmax(logits, temperature)
    return dict(p=p, top=int(np.argmax(p)) + 1)


def swish_figures(beta=1.0):
    c = L.swish_curves(beta)
    return dict(gap=round(float(np.abs(c["swish"][1] - c["relu"][1]).max()), 6),
                at_1=round(float(c["swish"][1][140]), 6))


FAST = [  # (view, settings, the view's figures)
    ("architecture", {}, arch_figures()),
    ("architecture", dict(model="lenet5", resolution=40, channels=1, classes=7),
     arch_figures("lenet5", 40, 1, 7)),
    ("architecture", dict(model="resnet18", timm_name="resnet10t", resolution=96),
     arch_figures("timm:resnet10t", 96)),
    ("scaling", dict(phi=2.5), scaling_figures(phi=2.5)),
    ("scaling", dict(phi=1.0, alpha=1.3, beta=1.05, gamma=1.1), scaling_figures(1.0, 1.3, 1.05, 1.1)),
    ("scaling", dict(compound=False, width=1.4, depth=1.8, resolution=300), scaling_figures(None, width=1.4, depth=1.8,
                                                                                      resolution=300)),
    ("conv", {}, conv_figures()),
    ("conv", dict(c_in=32, c_out=64, size=57, k=3, s=2, p=2, d=2, g=4, bias=True),
     conv_figures(32, 64, 57, 3, 2, 2, 2, 4, True)),
    ("window", dict(seed=3, side=7, stride=2, position=5), window_figures(seed=3, side=7, stride=2, position=5)),
    ("window", dict(op="max pooling", pool_k=3, stride=2, padding=1, position=99),
     window_figures("max pooling", pool_k=3, stride=2, padding=1, position=99)),
    ("window", dict(op="average pooling", pool_k=2, stride=2, padding=0),
     window_figures("average pooling", pool_k=2, stride=2, padding=0)),
    ("softmax", {}, softmax_figures()),
    ("softmax", dict(logits="3，-1 0.5; 7", temperature=2.5), softmax_figures([3, -1, 0.5, 7], 2.5)),
    ("swish", dict(beta=4.2), swish_figures(4.2)),
    ("swish", dict(beta=0), swish_figures(0.0)),
]


def _floats(value) -> bool:
    """Whether ``value`` is a float or a (nested) list of numbers with a float among them: compared to 1e-4."""
    flat = np.asarray(value, dtype=object).ravel() if not isinstance(value, str) else []
    return all(isinstance(v, (int, float)) for v in flat) and any(isinstance(v, float) for v in flat)


def _check(cases, results) -> None:
    for (view, settings, expected), got in zip(cases, results):
        for name, value in expected.items():
            assert name in got, (view, settings, name, got)
            if _floats(value):
                np.testing.assert_allclose(got[name], value, rtol=1e-4, atol=1e-5, err_msg=f"{view} {settings}")
            else:
                assert got[name] == value, (view, settings, name)


def test_the_cheap_views_print_the_figures_they_show():
    results, seconds = run_scripts([snippet(view, **settings) for view, settings, _ in FAST])
    _check(FAST, results)
    print(f"{len(FAST)} snippets in {seconds:.1f} s")


# ------------------------------------------------------------------------------------------ the full sweep


def cam_figures(image, model, weights, method="gradcam", layer=None, method_b="layercam", layer_b=None,
                target="top1"):
    m = zoo.load_inside_model(model, weights)
    x = m.prepare(ROOT / image).tensor
    probs = lf.class_probabilities(m.model, x)
    top = lf.top_classes(probs, m.class_names, k=5)
    index = m.class_names.index(target) if target in m.class_names else top[0].index
    a, b = lc.compare_layers([r.name for r in m.cam_layers], m.cam_layer, layer, method, layer_b, method_b)
    out = dict(top1=top[0].label, prob=round(top[0].probability, 4))
    for side, meth, lay in (("a", method, a), ("b", method_b, b)):
        heat = lc.compute_cam(m.model, x, meth, lay, index)
        out[f"cam_{side}"] = [lay, list(heat.shape), list(divmod(int(heat.argmax()), heat.shape[1]))]
    return out


def fm_figures(image, model, weights, layer=None, rank=1):
    m = zoo.load_inside_model(model, weights)
    layer = layer or m.layers[0].name
    act = lf.feature_maps(m.model, m.prepare(ROOT / image).tensor, layers=[layer])[-1]
    channel = lf.channel_order(act.tensor)[rank - 1]
    return dict(layer=layer, shape=list(act.shape), channel=channel,
                channel_max=round(float(act.tensor[channel].max()), 5))


def train_figures(**config):
    events = list(train(TrainConfig(**config)))
    return dict(total_steps=next(e for e in events if e["kind"] == "start")["total_steps"],
                val_acc=events[-1]["val_acc"], steps=events[-1]["steps"])


def walk_figures(batch=4, channels=3, step=1, gamma=1.5, beta=0.5, seed=0, mode="train"):
    last = B.walk(batch, channels, step, seed, gamma, beta)[0][-1]
    shown = last.train if mode == "train" else last.eval
    return dict(y=shown.y.tolist(), running_mean=last.train.running_mean.tolist(),
                running_var=last.train.running_var.tolist())


def kernel_figures(image, kernel, stride):
    grey = np.asarray(load_image(ROOT / image).convert("L").resize((256, 256))) / 255.0
    out = L.apply_kernel(grey, kernel, stride, padding=1)
    return dict(out_shape=list(out.shape), out_min=round(float(out.min()), 5), out_max=round(float(out.max()), 5))


def blocks_figures(name, channels=None, side=None):
    rows = BL.compare(name, channels, side)
    return dict(params=[r.params for r in rows], macs=[r.macs for r in rows])


def activation_figures(names):
    x = np.linspace(-3, 3, 7)
    curves = L.activation_curves(names)
    return {f"f{i}": np.interp(x, *curves[n]).tolist() for i, n in enumerate(names)}


TINY_RUN = dict(model="lenet5", epochs=2, train_size=96, val_size=48, image_size=32, batch_size=32, threads=1,
                precision="fp32", memory_format="contiguous", seed=3, lr=0.003, augmentation="none")
def slow_cases() -> list:
    """The rest of the sweep (its figures computed when the slow test runs, not when the file is collected)."""
    return [
        ("cam", dict(image="assets/shapes_star.png", model="mobilenet_v2", weights="shapes"),
         cam_figures("assets/shapes_star.png", "mobilenet_v2", "shapes")),
        ("cam", dict(image="assets/shapes_circle.png", model="mobilenet_v2", weights="shapes", method="gradcam++",
                     layer="features.14", method_b="xgradcam", target="square"),
         cam_figures("assets/shapes_circle.png", "mobilenet_v2", "shapes", "gradcam++", "features.14", "xgradcam",
                     target="square")),
        ("cam", dict(image="assets/cat.jpg", model="resnet18", weights="random"),
         cam_figures("assets/cat.jpg", "resnet18", "random")),
        ("feature_maps", dict(image="assets/shapes_cross.png", model="mobilenet_v2", weights="shapes",
                              layer="features.3", rank=5),
         fm_figures("assets/shapes_cross.png", "mobilenet_v2", "shapes", "features.3", 5)),
        ("feature_maps", dict(image="assets/coffee.jpg", model="lenet5", weights="random"),
         fm_figures("assets/coffee.jpg", "lenet5", "random")),
        ("compare", dict(names=["vgg16", "mobilenet_v3_large"]),
         {n: [model_info(n).acc1, model_info(n).gflops, model_info(n).num_params] for n in ("vgg16", "mobilenet_v3_large")}),
        ("mobilenet", dict(alpha=0.5, resolution=160),
         dict(formula_macs=S.mobilenet_v1_costs(0.5, 160 / 224).formula_macs,
              measured_macs=S.mobilenet_v1_costs(0.5, 160 / 224).measured_macs,
              params=S.mobilenet_v1_costs(0.5, 160 / 224).params)),
        ("train", TINY_RUN, train_figures(**TINY_RUN)),
        ("mlp", dict(widths="3072 -> 512, 10", cnn="resnet20_cifar"),
         dict(mlp_params=L.mlp_params([3072, 512, 10])[0], cnn_params=li.summarize("resnet20_cifar", (3, 32, 32), 10)
              .total_params)),
        ("batch_norm_walk", {}, walk_figures()),
        ("batch_norm_walk", dict(batch=6, channels=2, step=7, gamma=0.3, beta=-1.2, seed=5, mode="eval"),
         walk_figures(6, 2, 7, 0.3, -1.2, 5, "eval")),
        ("batch_norm_drift", dict(depth=12, init="He / Kaiming normal"),
         dict(std_without=float(f"{B.drift(12, 'He / Kaiming normal')[-1].std:.6g}"),
              std_with=float(f"{B.drift(12, 'He / Kaiming normal', normalised=True)[-1].std:.6g}"))),
        ("blocks", dict(name="separable", channels="64", side="28"), blocks_figures("separable", 64, 28)),
        ("kernel_image", dict(image="assets/astronaut.jpg", kernel="identity", stride=2),
         kernel_figures("assets/astronaut.jpg", "identity", 2)),
        ("activations", dict(names=["tanh", "GELU", "ReLU6 (MobileNet v2)"]),
         activation_figures(["tanh", "GELU", "ReLU6 (MobileNet v2)"])),
    ]


@pytest.mark.slow
def test_every_view_prints_the_figures_it_shows():
    cases = FAST + slow_cases()
    assert {view for view, *_ in cases} == set(VIEWS)  # every view is run
    codes = [snippet(view, **settings) for view, settings, _ in cases]
    results, seconds = run_scripts(codes)
    _check(cases, results)
    print(f"all {len(codes)} snippets of {len(VIEWS)} views in {seconds:.1f} s")


# ------------------------------------------------------------------------------------------ the code itself


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_each_snippet_is_short_python_with_comments_in_both_languages(view):
    en, zh = snippet(view), snippet(view, "zh-CN")
    ast.parse(en), ast.parse(zh)
    assert len(en.splitlines()) <= MAX_LINES
    code = [line.split("  # ")[0] for line in en.splitlines() if not line.lstrip().startswith("#")]
    assert code == [line.split("  # ")[0] for line in zh.splitlines() if not line.lstrip().startswith("#")]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and not any("\u4e00" <= ch <= "\u9fff" for ch in en)


def _literals(code: str) -> list:
    return [n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant)]


@pytest.mark.parametrize("view,setting", [("architecture", "model"), ("architecture", "timm_name"),
                                          ("cam", "image"), ("cam", "layer"), ("cam", "target"),
                                          ("feature_maps", "layer"), ("train", "model"), ("train", "dataset"),
                                          ("blocks", "name"), ("mlp", "cnn"), ("batch_norm_drift", "init")])
def test_a_setting_with_quotes_stays_one_string_literal(view, setting):
    nasty = "x'); import os; os.system('echo pwned') #\"\nprint('hi')"
    value = nasty + (".zip" if setting == "dataset" else "")
    code = snippet(view, **{setting: value})
    tree = ast.parse(code)  # still Python
    assert not any(isinstance(n, ast.Import) and any(a.name == "os" for a in n.names) for n in ast.walk(tree))
    assert any(isinstance(c, str) and "os.system('echo pwned')" in c for c in _literals(code)), code


def test_a_float_setting_is_written_without_float_noise():
    assert fmt(0.1 + 0.2) == "0.3" and fmt(224.0) == "224.0" and fmt("a'b") == '"a\'b"'
    assert "phi, alpha, beta, gamma = 1.3, 1.2, 1.1, 1.15" in snippet("scaling", phi=1.3000000000000003)
    assert "(3, 160, 160)" in snippet("architecture", resolution=160.0)  # a slider's float is a whole number


def test_unknown_views_and_settings_are_sentences():
    with pytest.raises(ValueError, match="no view named 'nope'.*architecture"):
        snippet("nope")
    with pytest.raises(ValueError, match="no setting named 'resolutoin'.*resolution"):
        snippet("architecture", resolutoin=3)
    with pytest.raises(ValueError, match="Type numbers"):
        snippet("softmax", logits="2, 1, x")
