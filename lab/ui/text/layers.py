"""The Layers tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The static strings go to the browser (gr.I18n); the formulas, the step captions and the plots are formatted by
the handlers in the request's language (``say``, lab/ui/common.py). Choice labels use lab.layer_math's names.
"""
from __future__ import annotations

from lab import batchnorm as B
from lab import blocks as BL
from lab import layer_math as L

# The notes' padding example (notes 000, 卷积层): a [7, 7, 3] input, two 3×3×3 filters, stride 2, zero padding 1
# → [3, 3, 2]. Their 7×7 is the input already padded (5×5 and a border of 1): counted again, 7 px padded by 1 gives 4.
_PAD_TWICE, _PAD_ONCE = L.output_size(7, 3, 2, 1), L.output_size(5, 3, 2, 1)

TEXT = {
    "title": "Layers",
    "intro": "Every network in this lab is built from a handful of layers. Change one setting at a time and watch "
    "the output size, the parameters and the multiply-accumulates (MACs) follow the formula. "
    "One MAC is one multiplication plus one addition: **FLOPs ≈ 2 × MACs**.",
    # Each section's heading and explanation are one string: the browser translates one key per Markdown.
    "arith": "### Convolution arithmetic\n<span class='explain'>A conv layer slides C_out filters of size "
    "C_in/groups × k × k over the input. Padding p adds a border, stride s skips positions, dilation d spreads "
    "the kernel. groups = C_in gives MobileNet's depthwise convolution. A small correction to the notes' example "
f"(a [7, 7, 3] input, 3×3 filters, stride 2, zero padding 1 → [3, 3, 2]): their 7×7 already includes the padding; "
f"by their own formula (W − F + 2P)/S + 1, a 7×7 input padded by 1 gives (7 − 3 + 2)/2 + 1 = {_PAD_TWICE}, "
f"so [3, 3, 2] comes from a 5×5 input: (5 − 3 + 2)/2 + 1 = {_PAD_ONCE}.</span>",
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
    "result_md": "**Output**: {c_out} × {h} × {w}\n\n- size: `{size}`\n- parameters: `{params}`\n- MACs: `{macs}` "
    "(≈ {mflops} MFLOPs)",
    "compare": "**The same C_in → C_out mapping done other ways**\n\n"
    "| layer | parameters | MACs |\n|---|---:|---:|\n"
    "| this convolution | {params:,} | {macs:,} |\n"
    "| depthwise k×k + pointwise 1×1 (MobileNet) | {sep_params:,} | {sep_macs:,} |\n"
    "| fully connected, same input and output volumes (an MLP) | {dense_params:,} | {dense_macs:,} |\n\n"
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
    # The sliding window's figure and caption (the pooling sentences are lab.layer_math's WindowStep.explanation).
    "w_input": "input (padded)",
    "w_kernel": "kernel",
    "w_window": "{k}×{k} window",
    "w_output": "output",
    "step": "Step {i} of {n} — output ({row}, {col}): {explanation}",
    "expl:max pooling": "max of the {k}×{k} window = {value}",
    "expl:average pooling": "mean of the {k}×{k} window (padding counts as 0) = {value}",
    "image": "### Classic kernels on an image\n<span class='explain'>Before networks learned their filters, people "
    "designed them: blur, sharpen, edge detectors. The first layer of a trained CNN learns filters much like these "
    "(see the Inside tab).</span>",
    "upload": "Image (greyscale is used)",
    "before": "input (greyscale)",
    "after": "output (rescaled to 0–255)",
    "activations": "### Activation functions\n<span class='explain'>The non-linearity between layers: without it, a "
    "stack of convolutions is one big linear map.</span>",
    "activations_pick": "Activation functions",
    # ---------------------------------------------------------------- the MLP against a CNN
    "mlp": "### An MLP against a CNN on a 32×32×3 image\n<span class='explain'>A fully connected layer joins every "
    "input to every unit: the notes' CIFAR-10 MLP 3072 → 4096 → 4096 → 10 needs 3072·4096 + 4096·4096 + 4096·10 = "
    "29,401,088 weights. A convolution uses one small filter at every position of the image (weight sharing), so a "
    "whole CNN on the same image needs far fewer. Type other widths, input first.</span>",
    "widths": "MLP widths, input first (commas)",
    "cnn": "CNN on the same 32×32×3 image",
    "mlp_head": "| layer | inputs → units | weights | biases |\n|---|---:|---:|---:|\n",
    "mlp_row": "| {i} | {a:,} → {b:,} | {w:,} | {bias:,} |\n",
    "mlp_total": "\n**{weights:,} weights** + {biases:,} biases = **{params:,} parameters** (what `nn.Linear` holds). "
    "{check}",
    "mlp_notes": "The notes' 3072·4096 + 4096·4096 + 4096·10 = 29,401,088 ✓",
    "cnn_head": "| layer | type | output | parameters |\n|---|---|---|---:|\n",
    "cnn_row": "| `{name}` | {kind} | {shape} | {params:,} |\n",
    "bn_channel": "channel {j}",
    "cnn_fewer": "{ratio}× fewer than the MLP",
    "cnn_more": "more than this small MLP",
    "cnn_total": "\n**{params:,} parameters** in all: {compare}. Its first layer, `{first}`, has "
    "{first_params:,}; the MLP's first layer has {mlp_first:,} weights: one per input and unit, where a filter is "
    "shared by every position.",
    "widths_empty": "Type the MLP's layer widths, input first, separated by commas: for example 3072, 4096, 4096, 10.",
    "widths_bad": "The widths must be whole numbers from 1 to {hi:,}, separated by commas (for example 3072, 4096, "
    "4096, 10); {value} is not one.",
    "widths_count": "An MLP needs 2 to {hi} widths, its input first and its output last (for example 3072, 4096, 4096, "
    "10); you typed {n}.",
    # ---------------------------------------------------------------- Swish and softmax
    "swish": "### Swish and its β; softmax\n<span class='explain'>Swish is x·σ(βx): the sigmoid σ(βx) gates x. At β = "
    "0 the gate is ½ everywhere and Swish is x/2; EfficientNet's SiLU is β = 1; as β grows the gate becomes a step "
    "and Swish becomes ReLU. Softmax turns a classifier's scores (logits) into probabilities that sum to 1: "
    "exp(zᵢ/T) / Σⱼ exp(zⱼ/T). A temperature T above 1 flattens them, below 1 sharpens them.</span>",
    "beta": "β (Swish)",
    "logits": "Logits (scores, commas)",
    "temperature": "Temperature T",
    "swish_swish": "Swish, β = {beta:g}",
    "swish_gate": "gate σ(βx)",
    "swish_relu": "ReLU (β → ∞)",
    "swish_half": "x/2 (β = 0)",
    "swish_caption": "β = {beta:g}: the largest gap between Swish and ReLU on [−6, 6] is {gap:.3f} (about 0.278/β "
    "for β ≥ 1).",
    "softmax_axis": "probability",
    "softmax_class": "class",
    "softmax_caption": "T = {t:g}: the probabilities sum to {total:.6f}; the largest is {top:.3f} (class {k}), the "
    "smallest {low:.3f}.",
    "logits_empty": "Type the logits, separated by commas: for example 2, 1, 0.1.",
    "logits_bad": "The logits must be numbers from −{hi:g} to {hi:g}, separated by commas (for example 2, 1, 0.1); "
    "{value} is not one.",
    "logits_count": "Softmax takes 1 to {hi} logits; you typed {n}.",
    # ---------------------------------------------------------------- batch norm
    "bn": "### Batch normalisation from scratch\n<span class='explain'>One batch-norm layer after a fully "
    "connected layer, one mini-batch at a time, as the notes write it: the batch mean μ_B, the variance σ²_B (divided "
    "by m), x̂ = (x − μ_B)/√(σ²_B + ε), then y = γx̂ + β. Training also keeps moving averages for evaluation, where "
    "the batch is not used. The notes' `momentum=0.9` is the weight of the old value; PyTorch's `momentum=0.1` is "
    "the weight of the new batch: the same average (PyTorch averages the unbiased variance σ²_B·m/(m − 1) from 1, "
    "the notes σ²_B from 0). Computed by lab.batchnorm, which equals nn.BatchNorm1d.</span>",
    "bn_batch": "Batch size N",
    "bn_channels": "Channels C",
    "bn_seed": "Random batches (seed)",
    "bn_step": "Step (mini-batch number)",
    "bn_gamma": "γ (scale)",
    "bn_beta": "β (shift)",
    "bn_mode": "Mode",
    "bn_mode:train": "training: the batch's μ_B, σ²_B",
    "bn_mode:eval": "evaluation: the moving averages",
    "bn_row": "x⁽{i}⁾",
    "bn_mean": "mean over the batch",
    "bn_var": "variance over the batch",
    "bn_used": "\n{mode} Step {t}: normalised with μ = {mean} and σ² = {var}.",
    "bn_used:train": "**Training**: the batch's own statistics, so x̂ has mean 0 and variance 1 and y has mean β and "
    "spread γ.",
    "bn_used:eval": "**Evaluation**: the moving averages, the same for every batch, so x̂ is no longer exactly "
    "mean 0, variance 1.",
    "bn_moving_head": "**Moving averages after step {t}**\n\n| | {channels} |\n|---|{align}\n",
    "bn_torch_mean": "PyTorch running_mean (momentum = 0.1)",
    "bn_notes_mean": "the notes' moving_mean (momentum = 0.9)",
    "bn_torch_var": "PyTorch running_var (unbiased, from 1)",
    "bn_notes_var": "the notes' moving_var (σ²_B, from 0)",
    "bn_true_mean": "the batches' true mean",
    "bn_true_var": "the batches' true variance",
    "bn_moving_note": "\nThe two moving means are equal at every step: 0.9·old + 0.1·new either way.",
    "drift": "#### Through a deep plain network\n<span class='explain'>A stack of 3×3 convolutions + ReLU at its "
    "random start, fed a batch of N(0, 1) inputs: the spread of what enters each ReLU. Without batch norm it "
    "shrinks or grows by the same factor at every layer; with it (the layer above, after each convolution) every "
    "layer starts again from mean 0 and spread 1.</span>",
    "drift_depth": "Layers",
    "drift_init": "Initialisation",
    "drift_std": "spread (std) of each ReLU's input",
    "drift_meanaxis": "mean of each ReLU's input",
    "drift_layer": "layer",
    "drift_without": "without batch norm",
    "drift_with": "with batch norm",
    "drift_caption": "Layer {depth}: spread {without:.3g} without batch norm (layer 1: {first:.3g}), {with_:.3f} with it.",
    # ---------------------------------------------------------------- blocks
    "blocks": "### Blocks side by side\n<span class='explain'>The course's building blocks, each built as a real "
    "module and measured by lab.inspect: output shape, parameters, multiply-accumulates and receptive field. The "
    "last columns are the weights of the convolutions alone, as the notes count them, and the notes' formula: ✓ "
    "where the two agree. Leave channels and side empty for the notes' size.</span>",
    "blocks_pick": "Comparison",
    "blocks_channels": "Input channels (empty: the notes')",
    "blocks_side": "Input side in px (empty: the notes')",
    "blocks_head": "**{title}** on a {c} × {side} × {side} input\n\n| block | output | parameters | MACs | receptive "
    "field | conv weights | the notes |  |\n|---|---|---:|---:|---:|---:|---|:-:|\n",
    "blocks_row": "| {label} | {shape} | {params:,} | {macs:,} | {rf} | {conv:,} | {notes} | {check} |\n",
    "failed": "*— No results for this setting: the red message says which value to change; the results come back "
    "as soon as it works. —*",
    # Choice labels: in English, lab's own names (the values the handlers receive).
    **{f"op:{name}": name for name in L.OPS},
    **{f"kernel:{name}": name for name in L.KERNELS},
    **{f"init:{name}": name for name in B.INITS},
    **{f"cmp:{key}": c.title for key, c in BL.COMPARISONS.items()},
}

# The Chinese (the course notes' terms), for browsers whose locale is zh-CN: the static text, and what the
# handlers format (the result, the comparison, the sliding window's figure and caption).
TEXT_ZH = {
    "title": "基本层",
    "intro": "这个实验室里的每个网络都由少数几种层搭成。每次只改一个设置，看输出尺寸、参数量和乘加运算（MACs）"
    "怎样随公式变化。一次 MAC 是一次乘法加一次加法：**FLOPs ≈ 2 × MACs**。",
    "arith": "### 卷积的计算\n<span class='explain'>卷积层让 C_out 个大小为 C_in/groups × k × k 的卷积核在输入上"
    "滑动。填充 p 在四周补一圈边，步幅 s 跳过一些位置，空洞率 d 把卷积核撑开。groups = C_in 就是 MobileNet 的"
    "逐通道（depthwise）卷积。对笔记中的例子（[7, 7, 3] 的输入、3×3 卷积核、步幅 2、零填充 1 → [3, 3, 2]）稍作更正："
    f"图中的 7×7 已经包含了填充；按笔记自己的公式 (W − F + 2P)/S + 1，7×7 的输入再填充 1 得到 (7 − 3 + 2)/2 + 1 = "
    f"{_PAD_TWICE}，所以 [3, 3, 2] 来自 5×5 的输入：(5 − 3 + 2)/2 + 1 = {_PAD_ONCE}。</span>",
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
    "failed": "*—— 这组设置没有结果：红色提示说明了要改哪个值；改好后结果会立刻回来。——*",
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
    # ---------------------------------------------------------------- MLP 与 CNN
    "mlp": "### 32×32×3 图像上的 MLP 与 CNN\n<span class='explain'>全连接层把每个输入连到每个单元：笔记中 CIFAR-10 的 "
    "MLP 3072 → 4096 → 4096 → 10 需要 3072·4096 + 4096·4096 + 4096·10 = 29,401,088 个权重。卷积在图像的每个位置"
    "都用同一个小卷积核（权重共享），所以同一张图上的整个 CNN 需要的参数少得多。可以输入别的层宽度，输入层在前。</span>",
    "widths": "MLP 各层宽度，输入层在前（用逗号分隔）",
    "cnn": "同一张 32×32×3 图像上的 CNN",
    "mlp_head": "| 层 | 输入 → 单元 | 权重 | 偏差 |\n|---|---:|---:|---:|\n",
    "mlp_total": "\n**{weights:,} 个权重** + {biases:,} 个偏差 = **{params:,} 个参数**（`nn.Linear` 所含）。{check}",
    "mlp_notes": "与笔记的 3072·4096 + 4096·4096 + 4096·10 = 29,401,088 一致 ✓",
    "cnn_head": "| 层 | 类型 | 输出 | 参数量 |\n|---|---|---|---:|\n",
    "bn_channel": "通道 {j}",
    "cnn_fewer": "比 MLP 少 {ratio} 倍",
    "cnn_more": "比这个小 MLP 还多",
    "cnn_total": "\n一共 **{params:,} 个参数**：{compare}。它的第一层 `{first}` 有 {first_params:,} 个参数；"
    "MLP 的第一层有 {mlp_first:,} 个权重：每个输入和单元之间一个，而一个卷积核被所有位置共用。",
    "widths_empty": "请输入 MLP 各层的宽度，输入层在前，用逗号分隔：例如 3072, 4096, 4096, 10。",
    "widths_bad": "层宽度必须是 1 到 {hi:,} 之间的整数，用逗号分隔（例如 3072, 4096, 4096, 10）；{value} 不是。",
    "widths_count": "一个 MLP 需要 2 到 {hi} 个宽度，输入层在前、输出层在后（例如 3072, 4096, 4096, 10）；你输入了 {n} 个。",
    # ---------------------------------------------------------------- Swish 与 softmax
    "swish": "### Swish 与它的 β；softmax\n<span class='explain'>Swish 是 x·σ(βx)：sigmoid σ(βx) 像一道门控制 x。"
    "β = 0 时门处处为 ½，Swish 就是 x/2；EfficientNet 的 SiLU 是 β = 1；β 越大，门越像阶跃函数，Swish 就越接近 "
    "ReLU。Softmax 把分类器的得分（logits）变成和为 1 的概率：exp(zᵢ/T) / Σⱼ exp(zⱼ/T)。温度 T 大于 1 使概率更平坦，"
    "小于 1 使它更尖锐。</span>",
    "beta": "β（Swish）",
    "logits": "Logits（得分，用逗号分隔）",
    "temperature": "温度 T",
    "swish_swish": "Swish，β = {beta:g}",
    "swish_gate": "门 σ(βx)",
    "swish_relu": "ReLU（β → ∞）",
    "swish_half": "x/2（β = 0）",
    "swish_caption": "β = {beta:g}：在 [−6, 6] 上 Swish 与 ReLU 的最大差距为 {gap:.3f}（β ≥ 1 时约为 0.278/β）。",
    "softmax_axis": "概率",
    "softmax_class": "类别",
    "softmax_caption": "T = {t:g}：概率之和为 {total:.6f}；最大的是 {top:.3f}（类别 {k}），最小的是 {low:.3f}。",
    "logits_empty": "请输入 logits，用逗号分隔：例如 2, 1, 0.1。",
    "logits_bad": "logits 必须是 −{hi:g} 到 {hi:g} 之间的数，用逗号分隔（例如 2, 1, 0.1）；{value} 不是。",
    "logits_count": "Softmax 接受 1 到 {hi} 个 logits；你输入了 {n} 个。",
    # ---------------------------------------------------------------- 批量归一化
    "bn": "### 从零实现批量归一化\n<span class='explain'>全连接层之后的一个批量归一化层，按笔记的写法一次处理一个"
    "小批量：批量均值 μ_B、方差 σ²_B（除以 m），x̂ = (x − μ_B)/√(σ²_B + ε)，再 y = γx̂ + β。训练时还维护移动平均，"
    "供预测时使用，预测时不再用批量的统计量。笔记中的 `momentum=0.9` 是旧值的权重；PyTorch 的 `momentum=0.1` 是新批量"
    "的权重：两者是同一个平均（PyTorch 对无偏方差 σ²_B·m/(m − 1) 取平均、从 1 开始，笔记对 σ²_B 取平均、从 0 开始）。"
    "由 lab.batchnorm 计算，结果与 nn.BatchNorm1d 相同。</span>",
    "bn_batch": "批量大小 N",
    "bn_channels": "通道数 C",
    "bn_seed": "随机批量（种子）",
    "bn_step": "第几步（第几个小批量）",
    "bn_gamma": "γ（拉伸）",
    "bn_beta": "β（偏移）",
    "bn_mode": "模式",
    "bn_mode:train": "训练：用批量的 μ_B、σ²_B",
    "bn_mode:eval": "预测：用移动平均",
    "bn_row": "x⁽{i}⁾",
    "bn_mean": "批量均值",
    "bn_var": "批量方差",
    "bn_used": "\n{mode} 第 {t} 步：用 μ = {mean}、σ² = {var} 做标准化。",
    "bn_used:train": "**训练模式**：用批量自己的统计量，所以 x̂ 的均值为 0、方差为 1，y 的均值为 β、标准差为 γ。",
    "bn_used:eval": "**预测模式**：用移动平均，对每个批量都一样，所以 x̂ 的均值和方差不再恰好是 0 和 1。",
    "bn_moving_head": "**第 {t} 步之后的移动平均**\n\n| | {channels} |\n|---|{align}\n",
    "bn_torch_mean": "PyTorch 的 running_mean（momentum = 0.1）",
    "bn_notes_mean": "笔记的 moving_mean（momentum = 0.9）",
    "bn_torch_var": "PyTorch 的 running_var（无偏，从 1 开始）",
    "bn_notes_var": "笔记的 moving_var（σ²_B，从 0 开始）",
    "bn_true_mean": "批量所来自分布的真实均值",
    "bn_true_var": "批量所来自分布的真实方差",
    "bn_moving_note": "\n两个移动均值每一步都相等：都是 0.9·旧值 + 0.1·新值。",
    "drift": "#### 穿过一个很深的普通网络\n<span class='explain'>一叠刚随机初始化的 3×3 卷积 + ReLU，输入一批 N(0, 1) "
    "的数据：看进入每个 ReLU 的值的离散程度。没有批量归一化时，它每过一层都按同一个倍数缩小或放大；有了它（上面的层，"
    "放在每个卷积之后），每一层都重新从均值 0、标准差 1 开始。</span>",
    "drift_depth": "层数",
    "drift_init": "初始化方式",
    "drift_std": "每个 ReLU 输入的标准差",
    "drift_meanaxis": "每个 ReLU 输入的均值",
    "drift_layer": "层",
    "drift_without": "没有批量归一化",
    "drift_with": "有批量归一化",
    "drift_caption": "第 {depth} 层：没有批量归一化时标准差为 {without:.3g}（第 1 层：{first:.3g}），有批量归一化时为 {with_:.3f}。",
    "init:PyTorch default": "PyTorch 默认",
    "init:He / Kaiming normal": "He / Kaiming 正态",
    "init:N(0, 1)": "N(0, 1)",
    # ---------------------------------------------------------------- 模块对比
    "blocks": "### 模块并排对比\n<span class='explain'>课程中的各种模块，每个都搭成真实的模块并由 lab.inspect 测量："
    "输出形状、参数量、乘加运算和感受野。最后几列是只算卷积的权重（笔记的算法）和笔记的公式：两者一致处打 ✓。"
    "通道数和边长留空即为笔记中的尺寸。</span>",
    "blocks_pick": "对比",
    "blocks_channels": "输入通道数（留空：笔记的）",
    "blocks_side": "输入边长 px（留空：笔记的）",
    "blocks_head": "**{title}**，输入 {c} × {side} × {side}\n\n| 模块 | 输出 | 参数量 | MACs | 感受野 | 卷积权重 | 笔记 |  |"
    "\n|---|---|---:|---:|---:|---:|---|:-:|\n",
    "cmp:vgg_stack": "三个 3×3 对一个 7×7（VGG）",
    "cmp:bottleneck": "基本块对瓶颈块（ResNet）",
    "cmp:inception": "有无 1×1 降维的 Inception（GoogLeNet）",
    "cmp:dense": "稠密块的通道增长（DenseNet）",
    "cmp:separable": "标准卷积对深度可分离卷积（MobileNet）",
    "cmp:se": "挤压-激励，单独使用与放进 MBConv（SENet、EfficientNet）",
    # What the handlers format.
    "result_md": "**输出**：{c_out} × {h} × {w}\n\n- 尺寸：`{size}`\n- 参数量：`{params}`\n- MACs：`{macs}`"
    "（≈ {mflops} MFLOPs）",
    "compare": "**同样的 C_in → C_out 映射，换几种做法**\n\n"
    "| 层 | 参数量 | MACs |\n|---|---:|---:|\n"
    "| 这个卷积 | {params:,} | {macs:,} |\n"
    "| 逐通道 k×k + 逐点 1×1（MobileNet） | {sep_params:,} | {sep_macs:,} |\n"
    "| 全连接层，输入和输出的体积相同（MLP） | {dense_params:,} | {dense_macs:,} |\n\n"
    "深度可分离卷积 / 标准卷积的计算量 = 1/C_out + 1/k² = **{ratio:.3f}**（groups = 1 时）。"
    "权重共享，即同一个小卷积核用在每个位置上，正是这个卷积比全连接层少用 {share:,.0f} 倍参数的原因。",
    "w_input": "输入（已填充）",
    "w_kernel": "卷积核",
    "w_window": "{k}×{k} 窗口",
    "w_output": "输出",
    "step": "第 {i} 步，共 {n} 步 —— 输出 ({row}, {col})：{explanation}",
    "expl:max pooling": "{k}×{k} 窗口的最大值 = {value}",
    "expl:average pooling": "{k}×{k} 窗口的平均值（填充按 0 计）= {value}",
}

# The blocks' labels (lab.blocks' templates, the same {fields}) in Chinese: what the comparison table shows.
BLOCKS_ZH = {
    "three 3×3 convolutions": "三个 3×3 卷积",
    "one 7×7 convolution": "一个 7×7 卷积",
    "one 3×3 convolution": "一个 3×3 卷积",
    "basic block (two 3×3)": "基本块（两个 3×3）",
    "bottleneck {c}→{b}→{b}→{c}": "瓶颈块 {c}→{b}→{b}→{c}",
    "naive: 1×1, 3×3, 5×5 and pool on the whole input": "朴素版：1×1、3×3、5×5 和池化都作用于整个输入",
    "with 1×1 reductions (Fig. 2b)": "带 1×1 降维（图 2b）",
    "dense block, {n} layers, k = 32": "稠密块，{n} 层，k = 32",
    "standard 3×3 convolution": "标准 3×3 卷积",
    "depthwise 3×3 + pointwise 1×1": "逐通道 3×3 + 逐点 1×1",
    "3×3 convolution": "3×3 卷积",
    "3×3 convolution + SE (r = 16)": "3×3 卷积 + SE（r = 16）",
    "MBConv6 k3 without SE": "不带 SE 的 MBConv6 k3",
    "MBConv6 k3 with SE": "带 SE 的 MBConv6 k3",
}
