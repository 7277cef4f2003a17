"""The Layers tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The static strings go to the browser (gr.I18n); the formulas, the step captions and the plots are formatted by
the handlers in the request's language (``say``, lab/ui/common.py). Choice labels use lab.layer_math's names.
"""
from __future__ import annotations

from lab import layer_math as L

TEXT = {
    "title": "Layers",
    "intro": "Every network in this lab is built from a handful of layers. Change one setting at a time and watch "
    "the output size, the parameters and the multiply-accumulates (MACs) follow the formula. "
    "One MAC is one multiplication plus one addition: **FLOPs ≈ 2 × MACs**.",
    # Each section's heading and explanation are one string: the browser translates one key per Markdown.
    "arith": "### Convolution arithmetic\n<span class='explain'>A conv layer slides C_out filters of size "
    "C_in/groups × k × k over the input. Padding p adds a border, stride s skips positions, dilation d spreads "
    "the kernel. groups = C_in gives MobileNet's depthwise convolution.</span>",
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
    "failed": "*— No results for this setting: the red message says which value to change; the results come back "
    "as soon as it works. —*",
    # Choice labels: in English, lab's own names (the values the handlers receive).
    **{f"op:{name}": name for name in L.OPS},
    **{f"kernel:{name}": name for name in L.KERNELS},
}

# The Chinese (the course notes' terms), for browsers whose locale is zh-CN: the static text, and what the
# handlers format (the result, the comparison, the sliding window's figure and caption).
TEXT_ZH = {
    "title": "基本层",
    "intro": "这个实验室里的每个网络都由少数几种层搭成。每次只改一个设置，看输出尺寸、参数量和乘加运算（MACs）"
    "怎样随公式变化。一次 MAC 是一次乘法加一次加法：**FLOPs ≈ 2 × MACs**。",
    "arith": "### 卷积的计算\n<span class='explain'>卷积层让 C_out 个大小为 C_in/groups × k × k 的卷积核在输入上"
    "滑动。填充 p 在四周补一圈边，步幅 s 跳过一些位置，空洞率 d 把卷积核撑开。groups = C_in 就是 MobileNet 的"
    "逐通道（depthwise）卷积。</span>",
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
