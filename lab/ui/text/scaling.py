"""The Scaling tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The static strings go to the browser (gr.I18n); tables, charts and the sentences with numbers are formatted by
the handlers in the request's language (``say``, lab/ui/common.py). The slider ranges come from lab.scaling.
"""
from __future__ import annotations

from lab import scaling as S

TEXT = {
    "title": "Scaling",
    "intro": "## Scaling a network: wider, deeper, or sharper images?\n"
    "<span class='explain'>A network can grow in three ways: more channels (**width**), more layers "
    "(**depth**) or larger input images (**resolution**). Each helps, but alone each saturates near 80% "
    "ImageNet top-1 (EfficientNet paper, Fig. 3). EfficientNet's *compound scaling* grows all three "
    "together: depth = α^φ, width = β^φ, resolution = 224·γ^φ with α·β²·γ² ≈ 2, so every step of φ "
    "about doubles the FLOPs. Move the sliders and watch the network and its cost change; nothing is "
    "trained or downloaded, everything is counted from the stage table.</span>",
    # EfficientNet controls
    "effnet": "### EfficientNet: compound scaling",
    "mode": "Mode",
    "mode_info": "compound: choose φ (and α, β, γ); free: set width, depth and resolution yourself.",
    "mode_compound": "compound",
    "mode_free": "free",
    "phi": "φ (compound coefficient)",
    "phi_info": "How many times to double the FLOPs budget: B0 is φ = 0, B7 is about φ = 7.",
    "alpha": "α (depth base)",
    "alpha_info": "depth = α^φ; the paper's grid search found 1.2.",
    "beta": "β (width base)",
    "beta_info": "width = β^φ; the paper's 1.1.",
    "gamma": "γ (resolution base)",
    "gamma_info": "resolution = 224·γ^φ; the paper's 1.15.",
    "presets": "Presets: the published B0–B7 (the notes' table; sets *free* mode)",
    "width": "width multiplier w",
    "width_info": "Channels of every stage × w, rounded to a multiple of 8 (never below 90%). "
    f"Range {S.WIDTH_RANGE[0]:g}–{S.WIDTH_RANGE[1]:g}.",
    "depth": "depth multiplier d",
    "depth_info": f"Layers of each MBConv stage × d, rounded up. Range {S.DEPTH_RANGE[0]:g}–{S.DEPTH_RANGE[1]:g}.",
    "resolution": "resolution r (px)",
    "resolution_info": f"Side of the input image. Range {S.RESOLUTION_RANGE[0]}–{S.RESOLUTION_RANGE[1]} px.",
    "compound_md": "α·β²·γ² = **{c:.3f}** (the paper keeps it ≈ 2) · predicted FLOPs factor (α·β²·γ²)^φ = "
    "**×{pred:.2f}** · counted: **×{meas:.2f}** of B0. They differ because channels are rounded to multiples "
    "of 8, layers are rounded up, and the stem and head are never repeated.",
    "free_md": "Free mode: the sliders below set the network directly. Switch to *compound* to drive them with φ.",
    "summary": "**{params:.2f} M parameters** · **{gmacs:.3f} GMACs** per image (≈ {gflops:.2f} GFLOPs, "
    "FLOPs ≈ 2 × MACs) · **peak activation ≈ {peak:.1f} MB**\n\n"
    "<span class='explain'>vs B0: ×{rp:.2f} parameters, ×{rm:.2f} MACs. Peak activation memory is a proxy: "
    "the largest input + output of one layer (here {where}), one image, float32; a runtime also keeps "
    "residual inputs alive, so treat it as an order of magnitude.</span>",
    "table_label": "The network, stage by stage (paper Table 1's columns)",
    "stage_cols": ["Stage", "Operator", "Kernel", "Stride", "Input H×W", "Channels", "Layers", "Params", "MACs"],
    "verify": "Count on the built network (lab.inspect)",
    "verify_info": "Builds the network on PyTorch's meta device (shapes, no weights) and counts every "
    "layer: the check of the table above. About a second at B7 size.",
    "verify_progress": "building on the meta device and counting",
    "verified": "lab.inspect on the built network (w = {w:g}, d = {d:g}, {r} px): **{params:,}** parameters, **{macs:,}** MACs, peak "
    "activation {peak:.2f} MB, in {secs:.2f} s — {verdict}",
    "agree": "identical to the table's count ✓ (which needs no network and takes well under a millisecond).",
    "disagree": "**different** from the table's count ({params:,} parameters, {macs:,} MACs): please report it.",
    # charts
    "flops_title": "Cost of scaling B0 one way or all three ways (α={a:g}, β={b:g}, γ={g:g})",
    "flops_x": "φ",
    "flops_y": "GMACs per image (log; FLOPs ≈ 2 × MACs)",
    "predicted": "predicted: B0 × (α·β²·γ²)^φ",
    "yours": "your network",
    "acc_title": "B0–B7: ImageNet top-1 against cost (torchvision's published weights)",
    "acc_x": "GMACs per image (log; torchvision's 'GFLOPS' metadata counts MACs)",
    "acc_y": "top-1 accuracy (%)",
    "acc_family": "EfficientNet B0–B7",
    "acc_yours": "your network: {gmacs:.2f} GMACs, accuracy unknown",
    "acc_note": "<span class='explain'>The dashed line places your configuration on the cost axis. Its "
    "accuracy is **unknown**: only training it would tell, so none is drawn. torchvision evaluates B2 at "
    "288 px (the paper: 260), so its B2 point costs more than the B2 preset (1.09 against 0.99 GMACs).</span>",
    "family": "Compound φ = 0…7 against the published B0–B7",
    "family_cols": ["Model", "φ", "width (official)", "depth (official)", "px (official)", "width β^φ", "depth α^φ",
                    "px 224·γ^φ", "GMACs (official)", "GMACs (compound φ)", "top-1 % (torchvision)", "params (M)",
                    "paper: top-1 · params · FLOPS (= multiply-adds)"],
    "family_md": "<span class='explain'>The authors rounded and tuned B1–B7 by hand, so compound(φ) with "
    "α = 1.2, β = 1.1, γ = 1.15 only approximates them: e.g. B1 is width 1.0, depth 1.1, 240 px, while "
    "φ = 1 gives 1.1, 1.2 and 258 px. compound() returns width and depth unrounded (the network rounds "
    "them) and the resolution rounded to the nearest pixel. The **paper** column is the EfficientNet paper's "
    "Table 2; its \"FLOPS\" count multiply-adds, so compare them with the GMACs columns as they are, not "
    "doubled.</span>",
    "api": "The per-stage table, parameters, MACs (FLOPs ≈ 2 × MACs) and peak activation memory of EfficientNet-B0 "
    "scaled by width_mult ({w[0]:g}–{w[1]:g}) and depth_mult ({d[0]:g}–{d[1]:g}) at resolution px ({r[0]}–{r[1]}); "
    "B0 is 1.0, 1.0, 224 and B7 2.0, 3.1, 600. Out-of-range values get an error with a sentence.",
    # MobileNet
    "mobilenet": "### MobileNet v1: width multiplier α and resolution multiplier ρ",
    "mobilenet_md": "<span class='explain'>MobileNet v1 splits each convolution into a depthwise D_K×D_K "
    "filter per channel and a 1×1 pointwise mix. With α thinning every layer and ρ shrinking every feature "
    "map, the notes' cost of one layer is **D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F** multiply-adds "
    "(the notes call it 参数量, but it counts operations), against D_K·D_K·αM·αN·ρD_F·ρD_F for a standard "
    "convolution: a ratio of **1/N + 1/D_K²**. The table evaluates the formula layer by layer next to the "
    "MACs lab.inspect measures on lab's `mobilenet_v1`.</span>",
    "m_alpha": "α (width multiplier)",
    "m_alpha_info": "Every layer's channels × α, rounded to a multiple of 8; the paper uses 1, 0.75, 0.5, 0.25.",
    "m_res": "ρ·224: input side in px (resolution multiplier ρ)",
    "m_res_info": "ρ = side / 224; multiples of 32 keep every ρD_F whole (paper: 224, 192, 160, 128).",
    "m_summary": "α = {alpha:g}, ρ = {rho} ({res} px): formula **{formula:,}** MACs, lab.inspect **{measured:,}** "
    "MACs — {verdict} · **{params:.2f} M** parameters (ρ changes no weight) · **×{rel:.3f}** the cost of α = 1, "
    "ρ = 1 ({base:.0f} M MACs; ≈ α²ρ² = {a2r2:.3f}) · the separable layers cost **{ratio:.3f}** of standard "
    "convolutions (≈ {speed:.1f}× cheaper).",
    "m_agree": "they agree ✓",
    "m_disagree": "they **differ**: please report it",
    "m_table": "MobileNet v1 layer by layer: the formula against lab.inspect",
    # The formulas are spaced around "·" so that a narrow column wraps them between factors, not inside one.
    "m_cols": ["Layer", "Type", "D_K", "αM", "αN", "ρD_F", "Stride", "depthwise D_K² · αM · ρD_F²",
               "pointwise αM · αN · ρD_F²", "formula (MACs)", "lab.inspect", "standard D_K² · αM · αN · ρD_F²",
               "separable / standard = 1/αN + 1/D_K²"],
    "failed": "*— No results for this setting: the red message says which value to change; the results come back "
    "as soon as it works. —*",
    "m_kinds": {"standard conv": "standard 3×3 conv", "depthwise separable": "separable",
                "fully connected": "fully connected"},
    # The cost chart's curves (lab.scaling.SCALINGS -> label) and hover texts.
    "scalings": {name: name for name in S.SCALINGS},
    "you_hover": "you: φ=%{x}, %{y:.3f} GMACs<extra></extra>",
    "acc_hover": "%{text}: %{y:.2f}% at %{x:.3f} GMACs (%{customdata[0]} px)<extra></extra>",
}

# The Chinese (the course notes' terms), for browsers whose locale is zh-CN: the static text, and what the
# handlers format (summaries, tables, charts).
TEXT_ZH = {
    "title": "网络缩放",
    "intro": "## 放大网络：更宽、更深，还是更高的分辨率？\n"
    "<span class='explain'>网络可以沿三个维度变大：更多通道（**宽度**）、更多层（**深度**）或更大的输入图像"
    "（**分辨率**）。每一种都有帮助，但单独放大任何一个，ImageNet top-1 都会在 80% 附近饱和（EfficientNet "
    "论文图 3）。EfficientNet 的*复合缩放*让三者一起增长：深度 = α^φ，宽度 = β^φ，分辨率 = 224·γ^φ，并约束 "
    "α·β²·γ² ≈ 2，于是 φ 每加 1，FLOPs 大约翻一倍。拖动滑块，看网络和计算量怎样变化；这里不训练也不下载"
    "任何东西，一切都由阶段表算出。</span>",
    "effnet": "### EfficientNet：复合缩放",
    "mode": "模式",
    "mode_info": "复合缩放：选择 φ（以及 α、β、γ）；自由设置：自己设定宽度、深度和分辨率。",
    "mode_compound": "复合缩放",
    "mode_free": "自由设置",
    "phi": "φ（复合系数）",
    "phi_info": "FLOPs 预算翻倍的次数：B0 为 φ = 0，B7 约为 φ = 7。",
    "alpha": "α（深度基数）",
    "alpha_info": "深度 = α^φ；论文通过网格搜索得到 1.2。",
    "beta": "β（宽度基数）",
    "beta_info": "宽度 = β^φ；论文取 1.1。",
    "gamma": "γ（分辨率基数）",
    "gamma_info": "分辨率 = 224·γ^φ；论文取 1.15。",
    "presets": "预设：论文发布的 B0–B7（即笔记中的表格；会切换到*自由设置*模式）",
    "width": "宽度因子 w（width multiplier）",
    "width_info": "每个阶段的通道数 × w，取整到 8 的倍数（不低于原值的 90%）。"
    f"范围 {S.WIDTH_RANGE[0]:g}–{S.WIDTH_RANGE[1]:g}。",
    "depth": "深度因子 d（depth multiplier）",
    "depth_info": f"每个 MBConv 阶段的层数 × d，向上取整。范围 {S.DEPTH_RANGE[0]:g}–{S.DEPTH_RANGE[1]:g}。",
    "resolution": "分辨率 r（px）",
    "resolution_info": f"输入图像的边长。范围 {S.RESOLUTION_RANGE[0]}–{S.RESOLUTION_RANGE[1]} px。",
    "free_md": "自由设置模式：下面的滑块直接决定网络。切换到*复合缩放*即可用 φ 来驱动它们。",
    "table_label": "逐阶段查看网络（论文表 1 的各列）",
    "verify": "在搭建好的网络上计数（lab.inspect）",
    "verify_info": "在 PyTorch 的 meta 设备上搭建网络（只有形状，没有权重）并逐层计数，用来核对上表。"
    "B7 大小约需一秒。",
    "acc_note": "<span class='explain'>虚线标出你的配置在计算量轴上的位置。它的准确率**未知**：只有训练过才知道，"
    "所以这里不画。torchvision 在 288 px 下评估 B2（论文为 260），因此它的 B2 点比 B2 预设的计算量更大"
    "（1.09 对 0.99 GMACs）。</span>",
    "family": "复合缩放 φ = 0…7 与发布的 B0–B7 对比",
    "family_md": "<span class='explain'>作者对 B1–B7 做了手工取整和调整，所以 α = 1.2、β = 1.1、γ = 1.15 的 "
    "compound(φ) 只是近似：例如 B1 是宽度 1.0、深度 1.1、240 px，而 φ = 1 给出 1.1、1.2 和 258 px。"
    "compound() 返回未取整的宽度和深度（由网络取整），分辨率则四舍五入到整像素。**论文**一列取自 EfficientNet "
    "论文的表 2；其中的 \"FLOPS\" 数的是乘加次数，所以直接与 GMACs 列比较，不要乘以 2。</span>",
    "mobilenet": "### MobileNet v1：宽度因子 α 与分辨率因子 ρ",
    "mobilenet_md": "<span class='explain'>MobileNet v1 把每个卷积拆成深度可分离卷积：每个通道各用一个 D_K×D_K "
    "的逐通道（depthwise）卷积核，再用 1×1 的逐点（pointwise）卷积混合通道。α 让每一层变窄、ρ 让每张特征图变小，"
    "笔记给出的单层计算量为 **D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F** 次乘加（笔记称之为参数量，但它数的是"
    "运算次数），标准卷积则为 D_K·D_K·αM·αN·ρD_F·ρD_F：两者之比为 **1/N + 1/D_K²**。下表逐层计算这个公式，"
    "并与 lab.inspect 在 lab 的 `mobilenet_v1` 上实测的 MACs 对照。</span>",
    "m_alpha": "α（宽度因子）",
    "m_alpha_info": "每一层的通道数 × α，取整到 8 的倍数；论文使用 1、0.75、0.5、0.25。",
    "m_res": "ρ·224：输入边长，单位 px（分辨率因子 ρ）",
    "m_res_info": "ρ = 边长 / 224；取 32 的倍数可使每个 ρD_F 都是整数（论文：224、192、160、128）。",
    "m_table": "MobileNet v1 逐层查看：公式与 lab.inspect 对照",
    "failed": "*—— 这组设置没有结果：红色提示说明了要改哪个值；改好后结果会立刻回来。——*",
    # What the handlers format.
    "compound_md": "α·β²·γ² = **{c:.3f}**（论文让它 ≈ 2）· 预测的 FLOPs 倍数 (α·β²·γ²)^φ = **×{pred:.2f}** · "
    "实际计数：B0 的 **×{meas:.2f}**。两者不同，是因为通道数取整到 8 的倍数、层数向上取整，而且 stem 和 head "
    "从不重复。",
    "summary": "**{params:.2f} M 个参数** · 每张图像 **{gmacs:.3f} GMACs**（≈ {gflops:.2f} GFLOPs，"
    "FLOPs ≈ 2 × MACs）· **峰值激活 ≈ {peak:.1f} MB**\n\n"
    "<span class='explain'>相对 B0：参数量 ×{rp:.2f}，MACs ×{rm:.2f}。峰值激活内存只是一个近似：取单层输入 + 输出的"
    "最大值（这里是{where}），一张图像，float32；实际运行时还要保留残差分支的输入，所以只能当作数量级来看。</span>",
    "stage_cols": ["阶段", "算子", "卷积核", "步幅", "输入 H×W", "通道数", "层数", "参数量", "MACs"],
    "verify_progress": "正在 meta 设备上搭建网络并计数",
    "verified": "lab.inspect 在搭建好的网络上（w = {w:g}，d = {d:g}，{r} px）：**{params:,}** 个参数，**{macs:,}** "
    "MACs，峰值激活 {peak:.2f} MB，用时 {secs:.2f} s —— {verdict}",
    "agree": "与表格的计数完全一致 ✓（表格的计数不需要搭建网络，用时远不到一毫秒）。",
    "disagree": "与表格的计数（{params:,} 个参数，{macs:,} MACs）**不同**：请报告这个问题。",
    "flops_title": "把 B0 沿一个维度或同时沿三个维度放大的计算量（α={a:g}，β={b:g}，γ={g:g}）",
    "flops_y": "每张图像的 GMACs（对数坐标；FLOPs ≈ 2 × MACs）",
    "predicted": "预测：B0 × (α·β²·γ²)^φ",
    "yours": "你的网络",
    "acc_title": "B0–B7：ImageNet top-1 与计算量（torchvision 公布的权重）",
    "acc_x": "每张图像的 GMACs（对数坐标；torchvision 元数据里的 'GFLOPS' 数的其实是 MACs）",
    "acc_y": "top-1 准确率（%）",
    "acc_yours": "你的网络：{gmacs:.2f} GMACs，准确率未知",
    "family_cols": ["模型", "φ", "宽度（官方）", "深度（官方）", "px（官方）", "宽度 β^φ", "深度 α^φ", "px 224·γ^φ",
                    "GMACs（官方）", "GMACs（复合 φ）", "top-1 %（torchvision）", "参数量（M）",
                    "论文：top-1 · 参数量 · FLOPS（= 乘加次数）"],
    "m_summary": "α = {alpha:g}，ρ = {rho}（{res} px）：公式 **{formula:,}** MACs，lab.inspect **{measured:,}** "
    "MACs —— {verdict} · **{params:.2f} M** 个参数（ρ 不改变任何权重）· 是 α = 1、ρ = 1 时计算量的 "
    "**×{rel:.3f}**（{base:.0f} M MACs；≈ α²ρ² = {a2r2:.3f}）· 可分离层的计算量是标准卷积的 **{ratio:.3f}**"
    "（约便宜 {speed:.1f} 倍）。",
    "m_agree": "两者一致 ✓",
    "m_disagree": "两者**不同**：请报告这个问题",
    "m_cols": ["层", "类型", "D_K", "αM", "αN", "ρD_F", "步幅", "逐通道 D_K² · αM · ρD_F²", "逐点 αM · αN · ρD_F²",
               "公式（MACs）", "lab.inspect", "标准卷积 D_K² · αM · αN · ρD_F²", "可分离 / 标准 = 1/αN + 1/D_K²"],
    "m_kinds": {"standard conv": "标准 3×3 卷积", "depthwise separable": "深度可分离卷积", "fully connected": "全连接"},
    "scalings": {"depth only": "只放大深度", "width only": "只放大宽度", "resolution only": "只放大分辨率",
                 "compound": "复合缩放"},
    "you_hover": "你：φ=%{x}，%{y:.3f} GMACs<extra></extra>",
    "acc_hover": "%{text}：准确率 %{y:.2f}%，%{x:.3f} GMACs（%{customdata[0]} px）<extra></extra>",
}

# Where the peak activation is (lab.scaling's "stage 3, layer 1 (1×1 expansion)"), in Chinese: each English
# pattern (a regular expression) and its replacement, applied in order.
WHERE_ZH = [
    (r"stage (\d+), layer (\d+)", r"第 \1 阶段第 \2 层"),
    (r"stage (\d+)", r"第 \1 阶段"),
    (r" ?\((1×1) expansion\)", r"的 \1 扩展卷积"),
    (r" ?\((1×1) projection\)", r"的 \1 投影卷积"),
    (r" ?\(depthwise (\d+×\d+)\)", r"的 \1 逐通道卷积"),
    (r" ?\((Conv\S+)\)", r"的 \1"),
]
