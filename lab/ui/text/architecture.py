"""The Architecture tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The table, charts, totals and messages are formatted by the handlers with numbers, so they stay English
(lab/ui/common.py says why); ``TEXT_ZH`` has the static strings.
"""
from __future__ import annotations

TEXT = {
    "title": "Architecture",
    "intro": "### What happens to the tensor at each layer?\n"
    "Pick a network and an input size: every layer's output shape (C×H×W, without the batch), its parameters, "
    "its **multiply-accumulates (MACs)** for one image and its **receptive field** appear at once. "
    "Nothing is downloaded or computed on real numbers: CNN Lab propagates shapes only, so even EfficientNet-B7 "
    "at 600 px takes a blink.",
    "model": "Network",
    "model_info": "The course's networks, grouped by family in the order the course teaches them.",
    "timm": "…or any timm architecture",
    "timm_info": "Type a timm model name (e.g. convnext_tiny, vit_tiny_patch16_224) and press Enter. "
    "Clear the box to go back to the list.",
    "timm_placeholder": "timm:convnext_tiny",
    "resolution": "Input resolution (px)",
    "resolution_info": "Height = width of the input image. Each network has a usual size (224 for most, 299 for "
    "Inception-v3, 600 for EfficientNet-B7); try smaller ones and watch where the map runs out of pixels.",
    "channels": "Input channels",
    "channels_info": "3 for colour images. LeNet-5 reads grey digits (1) and can be built for 3; the others need 3.",
    "classes": "Classes",
    "classes_info": "Outputs of the last layer: 1000 for ImageNet, 10 for digits. Only the classifier changes.",
    "units": "**Units.** Params = learned weights and biases. **MACs** = multiply-accumulates, one multiplication "
    "plus one addition: a k×k convolution costs C_in/groups·k·k MACs per output number, a fully connected layer "
    "C_in per output. A FLOP counts the multiplication and the addition apart, so **FLOPs ≈ 2 × MACs** "
    "(torchvision's \"GFLOPS\" and torchinfo's \"mult-adds\" are MACs). Batch norm, activations, pooling and the "
    "residual additions count 0 MACs: one cheap operation per number, not a sum over a window. "
    "**RF** = receptive field, the side of the input square one output position can see; **jump** = how many "
    "input pixels one step on this map moves.",
    "totals": "**{params}** parameters ({params_short}) · **{macs} MACs** for one {c}×{h}×{w} image "
    "(≈ {flops} FLOPs, since FLOPs ≈ 2 × MACs) · output {out} · {rows} layer calls",
    "not_run": "\n\n{modules} ({params} parameters) only run while training (extra gradient signal for the deep "
    "middle of the network): they count in the total above but have no rows, since the table shows the network "
    "as it is used at test time.",
    "table_heading": "### Layer by layer",
    "table_help": "One row per call of a layer, in the order the forward pass runs them (a layer used twice, "
    "such as ResNet's shared ReLU, appears twice). **Stages** groups the blocks a student compares; "
    "**Depth n** folds the names to n parts (layer1, layer1.0, …).",
    "view": "Show",
    "view_stages": "Stages",
    "view_depth1": "Depth 1",
    "view_depth2": "Depth 2",
    "view_depth3": "Depth 3",
    "view_all": "Every layer",
    "search": "Search layers",
    "search_placeholder": "conv, layer3, Bottleneck, pool…",
    "table": "Layers",
    "col_index": "#",
    "col_layer": "Layer",
    "col_stage": "Stage",
    "col_kind": "Type",
    "col_in": "Input C×H×W",
    "col_out": "Output C×H×W",
    "col_layers": "Calls",
    "col_params": "Params",
    "col_macs": "MACs",
    "col_share": "% of MACs",
    "col_rf": "RF (px)",
    "col_jump": "Jump (px)",
    "not_run_cell": "(training only)",
    "charts_heading": "### Charts",
    "pyramid_title": "Feature pyramid: the map shrinks, the channels grow",
    "pyramid_c": "channels C",
    "pyramid_h": "map height H (px)",
    "pyramid_x": "layer (execution order)",
    "rf_title": "Receptive field growth",
    "rf_y": "pixels of the input",
    "rf_trace": "receptive field, main path (px)",
    "rf_layers": "each layer's output",
    "jump_trace": "jump (px)",
    "rf_input": "input size {h} px",
    "params_title": "Parameters per stage (millions)",
    "params_x": "parameters (M)",
    "macs_title": "MACs per stage (millions; FLOPs ≈ 2 × MACs)",
    "macs_x": "multiply-accumulates (M)",
    "code_heading": "View code",
    "code_caption": "The source of `{module}`, which defines **{name}**. The variants are a table at the top; "
    "the classes follow the paper's figures.",
    "code_caption_timm": "timm's source of `{module}`, which defines **{name}** (timm's own code, with more options "
    "than the course files).",
    "compare_heading": "### Compare networks",
    "compare_help": "ImageNet top-1 accuracy against compute, as in the EfficientNet paper (Fig. 5): up and to "
    "the left is better. Bubble area ∝ parameters. Figures are torchvision's published ones for its "
    "pretrained weights (its \"GFLOPS\" are GMACs), measured at its evaluation size.",
    "compare_pick": "Networks to compare",
    "compare_title": "ImageNet top-1 vs. GMACs (bubble area ∝ parameters)",
    "compare_x": "GMACs per image, log scale (FLOPs ≈ 2 × MACs)",
    "compare_y": "ImageNet top-1 accuracy (%)",
    "compare_missing": "No published ImageNet figures for: {names} (they are not plotted).",
    "compare_cols": ["Network", "Family", "Year", "Top-1 (%)", "Top-5 (%)", "GMACs", "Params (M)", "Eval size (px)"],
    "card_published": "| ImageNet, torchvision weights | top-1 | top-5 | GMACs | params |\n|---|---:|---:|---:|---:|\n"
    "| `{weights}` at {px} px | {acc1} % | {acc5} % | {gmacs} | {params} |",
    "card_no_figures": "*No published ImageNet accuracy for this network in torchvision.*",
    "card_paper": "[{title}]({link})",
    "key_idea": "**Key idea.** ",
    "need_name": "Pick a network from the list or type a timm name first.",
    "failed": "*— No results for this setting: the red message says which value to change; the results come back "
    "as soon as it works. —*",
    "no_match": "No layer matches “{search}”: search by a name (layer3, features.0) or a type (Conv2d, "
    "Bottleneck), or clear the box to see every row.",
    "compare_none": "*Pick networks to compare in the box above: their published accuracy and cost appear here.*",
    "model_row": "(the model itself)",
}

# The static text in Chinese (the course notes' terms), for browsers whose locale is zh-CN. The table, charts,
# totals and messages are formatted by the handlers and stay English.
TEXT_ZH = {
    "title": "网络结构",
    "intro": "### 张量在每一层发生了什么？\n"
    "选一个网络和输入尺寸，立刻就能看到每一层的输出形状（C×H×W，不含批量维）、参数量、处理一张图像所需的"
    "**乘加运算**（MACs）以及**感受野**。这里既不下载任何东西，也不对真实数据做计算：CNN Lab 只推算形状，"
    "所以即使是 600 px 的 EfficientNet-B7 也只需一眨眼。",
    "model": "网络",
    "model_info": "课程中的网络，按课程讲授的顺序分族排列。",
    "timm": "……或任意 timm 架构",
    "timm_info": "输入 timm 模型名（如 convnext_tiny、vit_tiny_patch16_224）后按回车。清空输入框即回到上面的列表。",
    "resolution": "输入分辨率（px）",
    "resolution_info": "输入图像的高 = 宽。每个网络都有常用尺寸（多数为 224，Inception-v3 为 299，EfficientNet-B7 "
    "为 600）；试试更小的尺寸，看看特征图在哪一层像素不够用。",
    "channels": "输入通道数",
    "channels_info": "彩色图像为 3。LeNet-5 读取灰度数字（1），也可以按 3 通道搭建；其余网络都需要 3。",
    "classes": "类别数",
    "classes_info": "最后一层的输出个数：ImageNet 为 1000，手写数字为 10。只有分类器随之改变。",
    "units": "**单位。** Params = 参数量，即可学习的权重和偏差。**MACs** = 乘加运算，一次乘法加一次加法："
    "k×k 卷积每个输出数值需要 C_in/groups·k·k 次乘加，全连接层每个输出需要 C_in 次。FLOP 把乘法和加法分开计数，"
    "所以 **FLOPs ≈ 2 × MACs**（torchvision 的 \"GFLOPS\" 和 torchinfo 的 \"mult-adds\" 其实都是 MACs）。"
    "批量归一化、激活函数、池化和残差相加都记为 0 MACs：它们对每个数只做一次廉价运算，而不是在窗口上求和。"
    "**RF** = 感受野，即一个输出位置能看到的输入正方形的边长；**jump**（跳距）= 在这张特征图上移动一步，"
    "对应在输入上移动多少像素。",
    "table_heading": "### 逐层查看",
    "table_help": "按前向传播的执行顺序，层每被调用一次就占一行（调用两次的层，比如 ResNet 中共用的 ReLU，"
    "会出现两次）。**阶段**把学生要对比的模块归在一起；**深度 n** 把层名折叠到前 n 段（layer1、layer1.0、……）。",
    "view": "显示",
    "view_stages": "阶段",
    "view_depth1": "深度 1",
    "view_depth2": "深度 2",
    "view_depth3": "深度 3",
    "view_all": "每一层",
    "search": "搜索层",
    "table": "各层",
    "charts_heading": "### 图表",
    "code_heading": "查看代码",
    "compare_heading": "### 对比网络",
    "compare_help": "ImageNet top-1 准确率与计算量的关系，如 EfficientNet 论文图 5：越靠左上越好。气泡面积 ∝ 参数量。"
    "数据取自 torchvision 为其预训练权重公布的数值（它的 \"GFLOPS\" 实为 GMACs），在其评估尺寸下测得。",
    "compare_pick": "要对比的网络",
    "failed": "*—— 这组设置没有结果：红色提示说明了要改哪个值；改好后结果会立刻回来。——*",
    "compare_none": "*在上面的框中选择要对比的网络：这里会显示它们公布的准确率和计算量。*",
}
