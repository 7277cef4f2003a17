"""Show me the code for the Layers tab: each section's computation with its settings filled in (see
:mod:`lab.snippets`). Plain torch where the point is what PyTorch computes (a convolution's size, softmax, batch
norm); ``lab`` where the point is the lab's experiment (the block comparison, the drift through depth)."""
from __future__ import annotations

import re
from typing import Any

import torch

from lab import layer_math as L
from lab.snippet_kit import file_name, fmt, view

_SEPARATORS = r"[\s,，、;；]+"  # what the tab's text boxes accept between numbers (lab/ui/layers.py)


def numbers(typed: Any, whole: bool) -> list:
    """The numbers a text box holds ("2, 1, 0.1"), or a list as it is; ValueError when one is not a number."""
    if isinstance(typed, (list, tuple)):
        return [int(v) if whole else float(v) for v in typed]
    parts = [p for p in re.split(_SEPARATORS + (r"|-+>|→" if whole else ""), str(typed)) if p]
    try:
        return [int(p.replace("_", "")) if whole else float(p.replace("−", "-")) for p in parts]
    except ValueError:
        raise ValueError("Type numbers separated by commas to see the code.") from None


@view("conv", dict(c_in=3, c_out=64, size=224, k=7, s=2, p=3, d=1, g=1, bias=False), {
    "meta": ("On the meta device: shapes only, so even a huge layer costs nothing.",
             "在 meta 设备上：只算形状，再大的层也不花时间。"),
    "size": ("The output size: ⌊(H + 2p − d·(k−1) − 1) / s⌋ + 1.", "输出尺寸：⌊(H + 2p − d·(k−1) − 1) / s⌋ + 1。"),
    "macs": ("Every output value costs C_in/groups · k · k multiply-accumulates (≈ 2 FLOPs each).",
             "每个输出值需要 C_in/groups · k · k 次乘加（每次约 2 FLOPs）。"),
})
def _conv(say, c_in, c_out, size, k, s, p, d, g, bias) -> str:
    return f"""
import torch
import torch.nn as nn

with torch.device("meta"):  # {say("meta")}
    conv = nn.Conv2d({fmt(c_in)}, {fmt(c_out)}, kernel_size={fmt(k)}, stride={fmt(s)}, padding={fmt(p)}, dilation={fmt(d)}, groups={fmt(g)}, bias={fmt(bias)})
    y = conv(torch.empty(1, {fmt(c_in)}, {fmt(size)}, {fmt(size)}))
# {say("size")}
h_out = ({fmt(size)} + 2 * {fmt(p)} - {fmt(d)} * ({fmt(k)} - 1) - 1) // {fmt(s)} + 1
params = sum(t.numel() for t in conv.parameters())
# {say("macs")}
macs = y.numel() * conv.in_channels // conv.groups * {fmt(k)} * {fmt(k)}
print(f"out_shape={{list(y.shape[1:])}}")
print(f"h_out={{h_out}}")
print(f"params={{params}}")
print(f"macs={{macs}}")
"""


@view("window", dict(op="convolution", side=6, seed=0, kernel="sobel x (vertical edges)", pool_k=2, stride=1,
                     padding=1, position=0), {
    "input": ("The tab's input: a side×side grid of whole numbers 0–9, drawn from the seed.",
              "本页的输入：由种子生成的 side×side 网格，元素是 0–9 的整数。"),
    "op": ("PyTorch computes every window at once; the tab walks them one at a time (row by row).",
           "PyTorch 一次算出所有窗口；本页按行逐个走过它们。"),
})
def _window(say, op, side, seed, kernel, pool_k, stride, padding, position) -> str:
    if op == "convolution":
        weights = L.KERNELS.get(kernel)
        if weights is None:
            raise ValueError(f"Unknown kernel {kernel!r}; choose one of {', '.join(L.KERNELS)}.")
        call = (f"w = torch.tensor({fmt([[float(v) for v in row] for row in weights])}, dtype=torch.float64)\n"
                f"out = F.conv2d(x[None, None], w[None, None], stride={fmt(stride)}, padding={fmt(padding)})[0, 0]")
    elif op in ("max pooling", "average pooling"):
        fn = "max_pool2d" if op == "max pooling" else "avg_pool2d"
        call = f"out = F.{fn}(x[None, None], {fmt(pool_k)}, stride={fmt(stride)}, padding={fmt(padding)})[0, 0]"
    else:
        raise ValueError(f"Unknown operation {op!r}; choose one of {', '.join(L.OPS)}.")
    return f"""
import numpy as np
import torch
import torch.nn.functional as F

# {say("input")}
x = torch.tensor(np.random.default_rng({fmt(seed)}).integers(0, 10, size=({fmt(side)}, {fmt(side)})), dtype=torch.float64)
# {say("op")}
{call}
print(f"out_shape={{list(out.shape)}}")
print(f"out={{out.tolist()!r}}")
print(f"value={{out.flatten()[min({fmt(position)}, out.numel() - 1)].item()!r}}")
"""


@view("kernel_image", dict(image="assets/cat.jpg", kernel="sobel x (vertical edges)", stride=1), {
    "grey": ("The picture in grey, 256×256, values 0–1.", "把图片转成灰度、256×256，取值 0–1。"),
    "conv": ("One 3×3 convolution with the classic kernel, padding 1.", "用经典卷积核做一次 3×3 卷积，填充 1。"),
})
def _kernel_image(say, image, kernel, stride) -> str:
    weights = L.KERNELS.get(kernel)
    if weights is None:
        raise ValueError(f"Unknown kernel {kernel!r}; choose one of {', '.join(L.KERNELS)}.")
    return f"""
import numpy as np
import torch
import torch.nn.functional as F
from lab.images import load_image

# {say("grey")}
grey = np.asarray(load_image({fmt(file_name(image) or "assets/cat.jpg")}).convert("L").resize((256, 256))) / 255.0
w = torch.tensor({fmt([[float(v) for v in row] for row in weights])})
# {say("conv")}
out = F.conv2d(torch.tensor(grey, dtype=torch.float32)[None, None], w[None, None], stride={fmt(stride)}, padding=1)[0, 0]
print(f"out_shape={{list(out.shape)}}")
print(f"out_min={{float(out.min()):.5f}}")
print(f"out_max={{float(out.max()):.5f}}")
"""


@view("activations", dict(names=["sigmoid (LeNet)", "ReLU (AlexNet)", "h-swish (MobileNet v3)"]), {
    "head": ("The curves are PyTorch's own functions, here at x = −3 … 3.", "曲线就是 PyTorch 自己的函数，这里取 x = −3 … 3。"),
})
def _activations(say, names) -> str:
    picked = [str(n) for n in (names if isinstance(names, (list, tuple)) else [names])]
    lines = []
    for i, name in enumerate(picked):
        fn = L.ACTIVATIONS.get(name)
        if fn is None:
            raise ValueError(f"Unknown activation {name!r}; choose from {', '.join(L.ACTIVATIONS)}.")
        where = "torch" if getattr(torch, fn.__name__, None) is fn else "F"
        lines.append(f'print(f"f{i}={{{where}.{fn.__name__}(x).tolist()!r}}")  # {fmt(name)}')
    body = "\n".join(lines)
    return f"""
import torch
import torch.nn.functional as F

# {say("head")}
x = torch.linspace(-3, 3, 7)
{body}
"""


@view("swish", dict(beta=1.0), {
    "head": ("Swish x·σ(βx): β = 0 is x/2, β = 1 is SiLU (EfficientNet), a large β approaches ReLU.",
             "Swish x·σ(βx)：β = 0 是 x/2，β = 1 是 SiLU（EfficientNet），β 越大越接近 ReLU。"),
})
def _swish(say, beta) -> str:
    return f"""
import torch

# {say("head")}
beta = {fmt(beta)}
x = torch.linspace(-6, 6, 241, dtype=torch.float64)
swish = x * torch.sigmoid(beta * x)
print(f"gap={{float((swish - torch.relu(x)).abs().max()):.6f}}")
print(f"at_1={{float(swish[140]):.6f}}")  # x = 1
"""


@view("softmax", dict(logits="2, 1, 0.1", temperature=1.0), {
    "head": ("softmax(z / T): exp(zᵢ/T) / Σⱼ exp(zⱼ/T), probabilities that sum to 1.",
             "softmax(z / T)：exp(zᵢ/T) / Σⱼ exp(zⱼ/T)，概率之和为 1。"),
})
def _softmax(say, logits, temperature) -> str:
    return f"""
import torch

# {say("head")}
z = torch.tensor({fmt(numbers(logits, whole=False))}, dtype=torch.float64)
p = torch.softmax(z / {fmt(temperature)}, dim=0)
print(f"p={{p.tolist()!r}}")
print(f"top={{int(p.argmax()) + 1}}")
"""


@view("mlp", dict(widths="3072, 4096, 4096, 10", cnn="lenet5"), {
    "mlp": ("The MLP: one nn.Linear between each pair of widths (meta: counted, not allocated).",
            "多层感知机：每对相邻宽度之间一个 nn.Linear（meta：只计数，不分配内存）。"),
    "cnn": ("The CNN on the same 32×32×3 image with 10 classes, measured by lab.inspect.",
            "同一张 32×32×3、10 类图像上的卷积网络，由 lab.inspect 测量。"),
})
def _mlp(say, widths, cnn) -> str:
    return f"""
import torch
import torch.nn as nn
from lab.inspect import summarize

# {say("mlp")}
widths = {fmt(numbers(widths, whole=True))}
with torch.device("meta"):
    mlp = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(widths, widths[1:])])
# {say("cnn")}
s = summarize({fmt(cnn)}, (3, 32, 32), 10)
print(f"mlp_params={{sum(t.numel() for t in mlp.parameters())}}")
print(f"cnn_params={{s.total_params}}")
"""


@view("batch_norm_walk", dict(batch=4, channels=3, step=1, gamma=1.5, beta=0.5, seed=0, mode="train"), {
    "data": ("The tab's seeded mini-batches (each channel from its own normal distribution).",
             "本页带种子的小批量（每个通道来自各自的正态分布）。"),
    "bn": ("PyTorch's layer: in training it normalises by the batch's own mean and variance and updates its "
           "moving averages (momentum 0.1).", "PyTorch 的层：训练时用本批的均值和方差归一化，并更新滑动平均（动量 0.1）。"),
    "eval": ("Evaluation: the moving averages instead of the batch's statistics.", "评估：用滑动平均代替本批的统计量。"),
})
def _bn_walk(say, batch, channels, step, gamma, beta, seed, mode) -> str:
    return f"""
import torch
import torch.nn as nn
from lab.batchnorm import walk

# {say("data")}
steps, _, _ = walk({fmt(batch)}, {fmt(channels)}, {fmt(step)}, {fmt(seed)})
# {say("bn")}
bn = nn.BatchNorm1d({fmt(channels)}, dtype=torch.float64)
nn.init.constant_(bn.weight, {fmt(gamma)})
nn.init.constant_(bn.bias, {fmt(beta)})
for s in steps:
    y = bn(s.x)
if {fmt(mode)} == "eval":  # {say("eval")}
    y = bn.eval()(steps[-1].x)
print(f"y={{[[round(v, 6) for v in row] for row in y.tolist()]!r}}")
print(f"running_mean={{[round(v, 6) for v in bn.running_mean.tolist()]!r}}")
print(f"running_var={{[round(v, 6) for v in bn.running_var.tolist()]!r}}")
"""


@view("batch_norm_drift", dict(depth=20, init="PyTorch default"), {
    "head": ("A plain network of depth × (3×3 convolution + ReLU) at its random start, with and without batch "
             "norm: the spread of what enters each ReLU.", "一个 depth ×（3×3 卷积 + ReLU）的普通网络在随机初始化时，"
             "有无批归一化：进入每个 ReLU 的数值的离散程度。"),
})
def _bn_drift(say, depth, init) -> str:
    return f"""
from lab.batchnorm import drift

# {say("head")}
without = drift({fmt(depth)}, {fmt(init)}, normalised=False)
with_bn = drift({fmt(depth)}, {fmt(init)}, normalised=True)
for a, b in zip(without, with_bn):
    print(a.layer, f"{{a.std:.3g}}", f"{{b.std:.3g}}")
print(f"std_without={{without[-1].std:.6g}}")
print(f"std_with={{with_bn[-1].std:.6g}}")
"""


@view("blocks", dict(name="bottleneck", channels=None, side=None), {
    "head": ("The course's blocks built for one input and measured by lab.inspect (empty size: the notes').",
             "课程中的模块按同一输入搭建，由 lab.inspect 测量（尺寸留空：按笔记的尺寸）。"),
})
def _blocks(say, name, channels, side) -> str:
    c = None if channels in (None, "") else int(numbers(channels, whole=True)[0])
    s = None if side in (None, "") else int(numbers(side, whole=True)[0])
    return f"""
from lab.blocks import compare

# {say("head")}
rows = compare({fmt(name)}, {fmt(c)}, {fmt(s)})
for r in rows:
    print(r.label, r.output_shape, f"{{r.params:,}}", f"{{r.macs:,}}", r.receptive_field)
print(f"params={{[r.params for r in rows]!r}}")
print(f"macs={{[r.macs for r in rows]!r}}")
"""
