"""The Architecture tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The static strings go to the browser (gr.I18n); the table, charts, totals and messages are formatted by the
handlers in the request's language (``say``, lab/ui/common.py). ``CARDS_ZH`` has the Chinese of the model
cards' sentences (lab.models' key ideas and notes).
"""
from __future__ import annotations

TEXT = {
    "title": "Architecture",
    "intro": "### What happens to the tensor at each layer?\n"
    "Pick a network and an input size: every layer's output shape (C×H×W, without the batch), its parameters, "
    "its **multiply-accumulates (MACs)** for one image and its **receptive field** appear at once. "
    "Nothing is downloaded or computed on real numbers: CNN Lab propagates shapes only, so even EfficientNet-B7 "
    "at 600 px takes a blink.",
    "lineage_heading": "The course's path: from LeNet-5 to EfficientNet",
    "lineage_help": "Each dot is a network of the course, placed by the year of its paper and its parameters "
    "(log scale); each numbered link is the idea it added to the one before. Hover a dot for its parameters, "
    "MACs and ImageNet top-1 (paper recipe); choose a network below the graph to open it in the picker.",
    "lineage_pick": "Open a network of the path",
    "lineage_title": "The course's path (parameters, log scale)",
    "lineage_x": "year of the paper",
    "lineage_y": "parameters (log scale)",
    "lineage_hover": "{label} ({year}) · {name}<br>{params} parameters<br>{macs} MACs at {px} px<br>"
    "ImageNet top-1: {top1}",
    "lineage_no_top1": "none published",
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
    "the left is better. Bubble area ∝ parameters. Each bubble is the **paper recipe**: torchvision's "
    "IMAGENET1K_V1 weights (its \"GFLOPS\" are GMACs), measured at its evaluation size, or the paper's own "
    "table where torchvision has no weights (MobileNet v1). Six of torchvision's default weights come from a "
    "newer 2021 recipe (ResNet-50: 80.9 % instead of 76.1 %); they are the open diamonds, so the comparison "
    "stays the papers' one.",
    "compare_pick": "Networks to compare",
    "compare_title": "ImageNet top-1 vs. GMACs (bubble area ∝ parameters)",
    "compare_x": "GMACs per image, log scale (FLOPs ≈ 2 × MACs)",
    "compare_y": "ImageNet top-1 accuracy (%)",
    "compare_missing": "No published ImageNet figures for: {names} (they are not plotted).",
    "compare_cols": ["Network", "Family", "Year", "Top-1 (%)", "Top-5 (%)", "GMACs", "Params (M)", "Eval size (px)",
                     "Figures of (paper recipe)", "Top-1, newer recipe (%)"],
    "compare_newer": "newer recipe (default weights)",
    "card_published_head": "| Published ImageNet figures | recipe | top-1 | top-5 | GMACs | params |\n"
    "|---|---|---:|---:|---:|---:|\n",
    "card_published_row": "| `{label}` at {px} px{loaded} | {recipe} | {acc1} % | {acc5} | {gmacs} | {params} |\n",
    "card_loaded": " (loaded by *pretrained*)",
    "card_variant": "**Against torchvision's `{like}`** (both at {px} px): **{params}** parameters against "
    "{like_params}; {macs} MACs against {like_macs}; receptive field of the last feature map **{rf} px** "
    "against {like_rf} px.",
    "card_alexnet_notes": "**About the course notes' figure.** The notes say AlexNet has 6亿, that is "
    "{notes} parameters. The paper says about 60 million, and counting this module's weights gives **{params}**: "
    "the notes' figure is ten times too large (60 million would be 6千万).",
    "recipe_paper": "paper recipe",
    "recipe_newer": "newer recipe (2021)",
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
    "calls": "{kind} ({n} calls)",
    "hover_output": "output {shape}",
    "compare_hover": "%{customdata[4]}<br>top-1 %{y:.2f} %<br>%{x:.3f} GMACs at %{customdata[1]} px"
    "<br>%{customdata[0]:.1f} M params<br>%{customdata[2]} (%{customdata[3]})<extra></extra>",
}

# The Chinese (the course notes' terms), for browsers whose locale is zh-CN: the static text, and what the
# handlers format (totals, table, charts, card, messages).
TEXT_ZH = {
    "title": "网络结构",
    "intro": "### 张量在每一层发生了什么？\n"
    "选一个网络和输入尺寸，立刻就能看到每一层的输出形状（C×H×W，不含批量维）、参数量、处理一张图像所需的"
    "**乘加运算**（MACs）以及**感受野**。这里既不下载任何东西，也不对真实数据做计算：CNN Lab 只推算形状，"
    "所以即使是 600 px 的 EfficientNet-B7 也只需一眨眼。",
    "lineage_heading": "课程的路线：从 LeNet-5 到 EfficientNet",
    "lineage_help": "每个点是课程中的一个网络，横坐标是论文发表的年份，纵坐标是参数量（对数坐标）；每条带编号的连线是它"
    "相对前一个网络新增的思想。把鼠标移到点上可以看到参数量、MACs 和 ImageNet top-1（论文训练方案）；在图下方选择一个"
    "网络，即可在上面的网络选择框中打开它。",
    "lineage_pick": "打开路线上的一个网络",
    "lineage_title": "课程的路线（参数量，对数坐标）",
    "lineage_x": "论文发表年份",
    "lineage_y": "参数量（对数坐标）",
    "lineage_hover": "{label}（{year}）· {name}<br>{params} 个参数<br>{px} px 下 {macs} MACs<br>"
    "ImageNet top-1：{top1}",
    "lineage_no_top1": "没有公布的数据",
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
    "每个气泡都是**论文训练方案**的结果：torchvision 的 IMAGENET1K_V1 权重（它的 \"GFLOPS\" 实为 GMACs），在其评估"
    "尺寸下测得；torchvision 没有权重的网络（MobileNet v1）取论文自己的表。torchvision 有六个默认权重来自 2021 年"
    "更新的训练方案（ResNet-50：80.9 %，而不是 76.1 %），它们画成空心菱形，这样对比仍是论文中的对比。",
    "compare_pick": "要对比的网络",
    "failed": "*—— 这组设置没有结果：红色提示说明了要改哪个值；改好后结果会立刻回来。——*",
    "compare_none": "*在上面的框中选择要对比的网络：这里会显示它们公布的准确率和计算量。*",
    # What the handlers format.
    "totals": "**{params}** 个参数（{params_short}）· 处理一张 {c}×{h}×{w} 的图像需 **{macs} MACs**"
    "（≈ {flops} FLOPs，因为 FLOPs ≈ 2 × MACs）· 输出 {out} · 共 {rows} 次层调用",
    "not_run": "\n\n{modules}（{params} 个参数）只在训练时运行（为网络深处的中间部分提供额外的梯度信号）："
    "它们计入上面的总数，但表中没有对应的行，因为表格展示的是网络在测试时的样子。",
    "col_index": "#",
    "col_layer": "层",
    "col_stage": "阶段",
    "col_kind": "类型",
    "col_in": "输入 C×H×W",
    "col_out": "输出 C×H×W",
    "col_layers": "调用次数",
    "col_params": "参数量",
    "col_macs": "MACs",
    "col_share": "占 MACs 的 %",
    "col_rf": "感受野（px）",
    "col_jump": "跳距（px）",
    "not_run_cell": "（仅训练时）",
    "pyramid_title": "特征金字塔：特征图越来越小，通道越来越多",
    "pyramid_c": "通道数 C",
    "pyramid_h": "特征图高度 H（px）",
    "pyramid_x": "层（执行顺序）",
    "rf_title": "感受野的增长",
    "rf_y": "输入上的像素数",
    "rf_trace": "感受野，主路径（px）",
    "rf_layers": "每一层的输出",
    "jump_trace": "跳距（px）",
    "rf_input": "输入尺寸 {h} px",
    "params_title": "各阶段的参数量（百万）",
    "params_x": "参数量（M）",
    "macs_title": "各阶段的 MACs（百万；FLOPs ≈ 2 × MACs）",
    "macs_x": "乘加运算（M）",
    "code_caption": "`{module}` 的源代码，它定义了 **{name}**。各个变体是文件顶部的一张表；各个类按论文中的图来写。",
    "code_caption_timm": "timm 中 `{module}` 的源代码，它定义了 **{name}**（这是 timm 自己的代码，选项比课程文件更多）。",
    "compare_title": "ImageNet top-1 与 GMACs（气泡面积 ∝ 参数量）",
    "compare_x": "每张图像的 GMACs，对数坐标（FLOPs ≈ 2 × MACs）",
    "compare_y": "ImageNet top-1 准确率（%）",
    "compare_missing": "以下网络没有公布的 ImageNet 数据：{names}（图中未画出）。",
    "compare_cols": ["网络", "系列", "年份", "Top-1（%）", "Top-5（%）", "GMACs", "参数量（M）", "评估尺寸（px）",
                     "数据来源（论文训练方案）", "Top-1，新训练方案（%）"],
    "compare_newer": "新训练方案（默认权重）",
    "card_published_head": "| 公布的 ImageNet 数据 | 训练方案 | top-1 | top-5 | GMACs | 参数量 |\n"
    "|---|---|---:|---:|---:|---:|\n",
    "card_published_row": "| `{label}`（{px} px 下）{loaded} | {recipe} | {acc1} % | {acc5} | {gmacs} | {params} |\n",
    "card_loaded": "（*pretrained* 加载的权重）",
    "card_variant": "**与 torchvision 的 `{like}` 对比**（都在 {px} px 下）：参数量 **{params}**，对方 {like_params}；"
    "{macs} MACs，对方 {like_macs}；最后一张特征图的感受野 **{rf} px**，对方 {like_rf} px。",
    "card_alexnet_notes": "**关于课程讲义中的数字。** 讲义说 AlexNet 有 6亿（{notes}）个参数。论文中写的是约 6千万"
    "（60 million），数一数这个模块的权重得到 **{params}** 个：讲义的数字大了十倍，应为 6千万。",
    "recipe_paper": "论文训练方案",
    "recipe_newer": "新训练方案（2021）",
    "card_no_figures": "*torchvision 没有公布这个网络的 ImageNet 准确率。*",
    "key_idea": "**核心思想。** ",
    "need_name": "请先从列表中选一个网络，或输入一个 timm 模型名。",
    "no_match": "没有与“{search}”匹配的层：请按名称（layer3、features.0）或类型（Conv2d、Bottleneck）搜索，"
    "或清空搜索框查看所有行。",
    "model_row": "（模型本身）",
    "calls": "{kind}（{n} 次调用）",
    "hover_output": "输出 {shape}",
    "compare_hover": "%{customdata[4]}<br>top-1 %{y:.2f} %<br>%{customdata[1]} px 下 %{x:.3f} GMACs"
    "<br>%{customdata[0]:.1f} M 参数<br>%{customdata[2]}（%{customdata[3]}）<extra></extra>",
}

# The model cards' sentences in Chinese: lab.models' English key idea or note -> its Chinese
# (tests/ui/test_zh_architecture.py checks every course model's card has it).
CARDS_ZH = {
    # key ideas
    "Convolutions share a few weights across the image and pooling shrinks it, so two conv-pool stages turn "
    "pixels into features that a small fully connected classifier can read.":
        "卷积在整张图像上共享少量权重，池化把图像缩小，于是两个“卷积-池化”阶段就把像素变成了一个小型全连接分类器"
        "能读懂的特征。",
    "A LeNet-shaped network made deep and wide enough for ImageNet, trainable thanks to ReLU, dropout, data "
    "augmentation and GPUs.":
        "一个形似 LeNet、但深度和宽度足以应对 ImageNet 的网络，靠 ReLU、dropout、数据增广和 GPU 才得以训练。",
    "Build depth by repeating one block of 3x3 convolutions and a 2x2 max-pool: stacked small kernels see as "
    "far as a big one with fewer parameters.":
        "重复同一个块（若干 3x3 卷积加一个 2x2 最大池化）来加深网络：堆叠的小卷积核与一个大卷积核看得一样远，参数却更少。",
    "Put a tiny MLP (1x1 convolutions) after every convolution and replace the fully connected classifier by "
    "one feature map per class, averaged over the image.":
        "在每个卷积之后接一个微型 MLP（1x1 卷积），并用“每个类别一张特征图、在整张图像上取平均”取代全连接分类器。",
    "Inception modules run 1x1, 3x3 and 5x5 convolutions and pooling in parallel and concatenate them, with 1x1 "
    "convolutions shrinking the channels first to keep the cost low.":
        "Inception 块并行地做 1x1、3x3、5x5 卷积和池化，再把结果拼接起来；先用 1x1 卷积减少通道数，以压低计算量。",
    "Factorise big convolutions into small ones (5x5 into two 3x3, 7x7 into 1x7 then 7x1) and shrink the grid "
    "with parallel stride-2 conv and pool branches, for more depth at the same cost.":
        "把大卷积分解成小卷积（5x5 拆成两个 3x3，7x7 拆成 1x7 再接 7x1），并用并行的步幅为 2 的卷积分支和池化分支"
        "缩小网格，在同样的计算量下换来更大的深度。",
    "Each block learns a residual F(x) and adds its input back (y = F(x) + x), so very deep networks train as "
    "easily as shallow ones.":
        "每个块学习一个残差 F(x)，再把输入加回去（y = F(x) + x），于是很深的网络也和浅层网络一样容易训练。",
    "Every layer in a dense block receives the concatenated feature maps of all layers before it and adds only "
    "k new ones, so features are reused rather than relearned.":
        "稠密块中的每一层都接收它之前所有层的特征图（拼接在一起），自己只新增 k 张，于是特征被重复利用，而不必重新学习。",
    "Split each convolution into a per-channel (depthwise) 3×3 filter and a 1×1 channel mixer: 8–9× fewer "
    "operations for a small loss in accuracy.":
        "把每个卷积拆成逐通道（depthwise）的 3×3 卷积核和一个混合通道的 1×1 卷积：运算量少 8–9 倍，准确率只损失一点。",
    "Expand thin features, filter them depthwise, project back to a linear bottleneck, and put the shortcut "
    "between the thin ends (the inverted residual).":
        "先把窄的特征扩展开，做逐通道卷积，再投影回线性瓶颈，并把捷径连接放在两端窄的地方（倒残差）。",
    "A searched stack of v2 blocks with squeeze-and-excitation and the cheap h-swish activation.":
        "搜索得到的一叠 v2 块，加上挤压-激励（SE）模块和计算廉价的 h-swish 激活函数。",
    "Scale depth, width and input resolution together by fixed ratios (compound scaling) from a small searched "
    "baseline.":
        "从一个搜索得到的小基线网络出发，按固定比例同时放大深度、宽度和输入分辨率（复合缩放）。",
    "A timm architecture outside the course list: see its paper for the idea.":
        "课程列表之外的 timm 架构：它的思想请看对应的论文。",
    # the lineage's ideas (lab.lineage.PATH)
    "ReLU + dropout + GPUs": "ReLU + dropout + GPU",
    "stacks of 3×3 convolutions": "堆叠 3×3 卷积",
    "1×1 convolutions + global average pooling": "1×1 卷积 + 全局平均池化",
    "Inception branches": "Inception 并行分支",
    "BatchNorm (Inception-v2/v3) and factorised convolutions": "批量归一化（Inception-v2/v3）和分解卷积",
    "residual connections": "残差连接",
    "dense connections": "稠密连接",
    "depthwise-separable convolutions": "深度可分离卷积",
    "inverted residuals with linear bottlenecks": "倒残差与线性瓶颈",
    "squeeze-and-excitation + h-swish": "挤压-激励（SE）+ h-swish",
    "compound scaling": "复合缩放",
    # notes
    "Modern LeNet-5: ReLU, max-pooling, full C3 and a Linear output instead of the paper's tanh, trainable "
    "subsampling, sparse C3 table and RBF output. Needs inputs of at least 16x16.":
        "现代版 LeNet-5：用 ReLU、最大池化、全连接的 C3 和 Linear 输出层，取代论文中的 tanh、可训练的下采样、稀疏的 "
        "C3 连接表和 RBF 输出。输入至少需要 16x16。",
    "torchvision's single-column AlexNet (after 'One weird trick', arXiv 1404.5997): one tower, no local "
    "response normalisation, 64-192-384-256-256 kernels.":
        "torchvision 的单列 AlexNet（依据论文 'One weird trick'，arXiv 1404.5997）：只有一个塔，没有局部响应归一化，"
        "各层卷积核个数为 64-192-384-256-256。",
    "Batch normalisation after every convolution (torchvision's addition, not in the paper).":
        "每个卷积之后都加批量归一化（这是 torchvision 加的，论文中没有）。",
    "The ImageNet NiN of d2l (AlexNet's kernel sizes with mlpconv blocks); no published weights. Its scores pass "
    "through the last block's ReLU, so they are never negative.":
        "d2l 中的 ImageNet 版 NiN（沿用 AlexNet 的卷积核尺寸，配上 mlpconv 块）；没有公布的权重。它的得分要经过最后"
        "一个块的 ReLU，所以从不为负。",
    "Two auxiliary classifiers (aux1 on inception4a, aux2 on inception4d) add extra gradient signal to the middle "
    "of the network during training (their losses weighted by 0.3 in the paper); at inference they are dropped "
    "and the model returns plain logits. Build with aux_logits=False to leave them out (6.6 M instead of 13.0 M "
    "parameters). As in torchvision, the '5x5' branch uses a 3x3 convolution.":
        "两个辅助分类器（aux1 接在 inception4a 上，aux2 接在 inception4d 上）在训练时为网络中部提供额外的梯度信号"
        "（论文中它们的损失权重为 0.3）；推理时去掉它们，模型只返回普通的 logits。用 aux_logits=False 搭建即可不要"
        "它们（参数量 6.6 M，而不是 13.0 M）。与 torchvision 一样，“5x5”分支实际用的是 3x3 卷积。",
    "Expects 299x299 images. The auxiliary classifier (AuxLogits, on Mixed_6e) regularises training and runs "
    "only then, which needs 299x299 inputs; at inference it is skipped and the model returns plain logits. Build "
    "with aux_logits=False to leave it out (23.8 M instead of 27.2 M parameters).":
        "需要 299x299 的图像。辅助分类器（AuxLogits，接在 Mixed_6e 上）在训练时起正则化作用，也只在训练时运行，"
        "这时输入必须是 299x299；推理时跳过它，模型只返回普通的 logits。用 aux_logits=False 搭建即可不要它"
        "（参数量 23.8 M，而不是 27.2 M）。",
    "Pretrained: torchvision's default weights (IMAGENET1K_V2) come from a 2021 training recipe, more accurate "
    "than the paper's.":
        "预训练：torchvision 的默认权重（IMAGENET1K_V2）来自 2021 年的训练方案，比论文中的更准确。",
    "Not in the paper's Table 1: the authors' wider ImageNet model, k = 48 and 96 stem channels.":
        "不在论文的表 1 中：这是作者更宽的 ImageNet 模型，k = 48，stem 有 96 个通道。",
    "Pretrained weights are timm's mobilenetv1_100 (ReLU6; trained on inputs normalised with mean = std = 0.5). "
    "The resolution multiplier ρ is the input size: input_size_for(rho).":
        "预训练权重是 timm 的 mobilenetv1_100（ReLU6；训练时输入按 mean = std = 0.5 归一化）。分辨率因子 ρ 体现在"
        "输入尺寸上：input_size_for(rho)。",
    "torchvision evaluates its pretrained B2 at 288 px rather than the paper's 260.":
        "torchvision 在 288 px 下评估它预训练的 B2，而不是论文中的 260。",
    # the course variants (lab/models: alexnet_2012, resnet50_v1, densenet264, the CIFAR networks)
    "The 2012 paper's two-tower network on one device (groups = 2 where the towers do not talk), with local "
    "response normalisation, 96-256-384-384-256 kernels, 227 px inputs. No published weights.":
        "2012 年论文中的双塔网络，放在一个设备上（两塔互不相连之处 groups = 2），带局部响应归一化，"
        "96-256-384-384-256 个卷积核，输入 227 px。没有公开的预训练权重。",
    "The paper's ResNet-50 (v1): the stride of each downsampling block on its first 1x1 conv, not on the 3x3 as "
    "in torchvision's v1.5 (resnet50). No weights are loaded for it here.":
        "论文原版的 ResNet-50（v1）：每个下采样块的步幅放在第一个 1x1 卷积上，而不是像 torchvision 的 v1.5"
        "（resnet50）那样放在 3x3 卷积上。这里不为它加载权重。",
    "The deepest network of Table 1; neither torchvision nor timm publishes its ImageNet weights (timm's "
    "densenet264d has a deeper stem).":
        "表 1 中最深的网络；torchvision 和 timm 都没有公开它的 ImageNet 权重（timm 的 densenet264d 的主干起始部分更深）。",
    "The paper's CIFAR-10 ResNet of depth 20 (§4.2), for the degradation experiment: plain and residual at "
    "two depths, trained from the same seed.":
        "论文中深度为 20 的 CIFAR-10 ResNet（§4.2），用于退化实验：普通网络和残差网络各取两种深度，从同一随机种子开始训练。",
    "The paper's CIFAR-10 plain network of depth 20 (§4.2), for the degradation experiment: plain and residual at "
    "two depths, trained from the same seed.":
        "论文中深度为 20 的 CIFAR-10 普通网络（无捷径连接）（§4.2），用于退化实验：普通网络和残差网络各取两种深度，从同一随机种子开始训练。",
    "The paper's CIFAR-10 ResNet of depth 56 (§4.2), for the degradation experiment: plain and residual at "
    "two depths, trained from the same seed.":
        "论文中深度为 56 的 CIFAR-10 ResNet（§4.2），用于退化实验：普通网络和残差网络各取两种深度，从同一随机种子开始训练。",
    "The paper's CIFAR-10 plain network of depth 56 (§4.2), for the degradation experiment: plain and residual at "
    "two depths, trained from the same seed.":
        "论文中深度为 56 的 CIFAR-10 普通网络（无捷径连接）（§4.2），用于退化实验：普通网络和残差网络各取两种深度，从同一随机种子开始训练。",
}
