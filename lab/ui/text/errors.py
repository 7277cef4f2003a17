"""lab's error sentences in Chinese. lab (no Gradio, no languages) raises ValueError with an English sentence
for every mistake a user can make; on its way to a zh-CN browser's toast, lab/ui/common.py
(:func:`~lab.ui.common.translate_error`) finds the English template here that the sentence fills in and
formats the Chinese with the same values.

Keys are the English templates exactly as lab formats them, ``{name}`` where lab puts a value (a format
spec such as ``{x:,}`` may stay: only the text between the fields is matched); the Chinese uses the same
names. tests/ui/test_zh_errors.py checks that every sentence written out in a ``ValueError(...)`` of a
module in ``CHECKED`` has an entry (sentences assembled elsewhere are held by the tabs' Chinese tests).
"""
from __future__ import annotations

# The lab modules whose every ValueError sentence has its Chinese here.
CHECKED: set[str] = {
    # The Architecture, Scaling and Layers tabs' modules:
    "lab.inspect", "lab.scaling", "lab.layer_math", "lab.stages", "lab.meta_shapes", "lab.models.registry",
    "lab.models.lenet", "lab.models.alexnet", "lab.models.vgg", "lab.models.nin", "lab.models.googlenet",
    "lab.models.inception", "lab.models.resnet", "lab.models.densenet", "lab.models.mobilenet",
    "lab.models.efficientnet",

    # ------------------------------------------------------------------
    # The Inside and Train tabs' modules:

}

ERRORS_ZH: dict[str, str] = {
    # ------------------------------------------------ Architecture, Scaling, Layers (lab.inspect, scaling, ...)
    # lab.inspect: the input size, channels and classes (summarize), folding, timm names.
    "summarize() takes a model name or an nn.Module, not {kind}.": "summarize() 需要一个模型名或 nn.Module，而不是 {kind}。",
    "The input size is (channels, height, width), e.g. (3, {n}, {n}); got the single number {n}.":
        "输入尺寸是（通道, 高, 宽）三个数，例如 (3, {n}, {n})；而这里只有一个数 {n}。",
    "The input size must be three whole numbers (channels, height, width), e.g. (3, 224, 224); got {size}.":
        "输入尺寸必须是三个整数（通道, 高, 宽），例如 (3, 224, 224)；而这里是 {size}。",
    "The input must be at least 1×1 pixel; {h}×{w} is not an image. Pick a resolution such as 224.":
        "输入至少要有 1×1 个像素；{h}×{w} 不是图像。请选一个分辨率，例如 224。",
    "{h}×{w} px is above CNN Lab's limit of {limit} px per side (the largest course model, EfficientNet-B7, uses "
    "600 px). Pick a smaller resolution.":
        "{h}×{w} px 超过了 CNN Lab 每边 {limit} px 的上限（课程中最大的模型 EfficientNet-B7 用 600 px）。"
        "请选一个更小的分辨率。",
    "The number of channels must be between 1 and {most} (3 for colour images, 1 for grey), not {c}.":
        "通道数必须在 1 到 {most} 之间（彩色图像为 3，灰度图像为 1），而不是 {c}。",
    "The number of classes must be a whole number from 1 to {most}, not {k}.":
        "类别数必须是 1 到 {most} 之间的整数，而不是 {k}。",
    "{name} takes {want}-channel images (its first layer, {layer}, expects {want} channels), not {c}. "
    "Set channels to {want}.":
        "{name} 接受 {want} 通道的图像（它的第一层 {layer} 需要 {want} 个通道），而不是 {c}。请把通道数设为 {want}。",
    "This {name} takes {want}-channel inputs (its first layer, {layer}, expects {want}), not {c}.":
        "这个 {name} 接受 {want} 通道的输入（它的第一层 {layer} 需要 {want} 个通道），而不是 {c}。",
    "The depth to fold to must be at least 1, not {depth}.": "折叠深度至少为 1，而不是 {depth}。",
    "timm has no architecture named {arch}.": "timm 中没有名为 {arch} 的架构。",
    # lab.inspect._explain_failure: where a too small input collapses (with and without the layer's input
    # shape), the model's own sentence with the smallest side that works, and any other failure.
    "The input ({h}×{w} px) is too small for {name}: the feature map collapses at {layer}, whose input is only "
    "{hh}×{ww} px ({shape}). The smallest input that works is {side}×{side} px.":
        "输入（{h}×{w} px）对 {name} 来说太小了：特征图在 {layer} 处消失，它的输入只有 {hh}×{ww} px（{shape}）。"
        "能运行的最小输入是 {side}×{side} px。",
    "The input ({h}×{w} px) is too small for {name}: the feature map collapses at {layer}. The smallest input "
    "that works is {side}×{side} px.":
        "输入（{h}×{w} px）对 {name} 来说太小了：特征图在 {layer} 处消失。能运行的最小输入是 {side}×{side} px。",
    "The input ({h}×{w} px) is too small for {name}: the feature map collapses at {layer}{seen}. {works}":
        "输入（{h}×{w} px）对 {name} 来说太小了：特征图在 {layer}{seen} 处消失。{works}",
    "{name} cannot run on a {c}×{h}×{w} input: {layer} failed ({detail}).":
        "{name} 无法在 {c}×{h}×{w} 的输入上运行：{layer} 出错（{detail}）。",
    "GoogLeNet needs images of at least 15x15 pixels, got {size}. The smallest input that works is "
    "{side}×{side} px.":
        "GoogLeNet 需要至少 15x15 像素的图像，而输入是 {size}。能运行的最小输入是 {side}×{side} px。",
    "Inception-v3 needs images of at least {m}x{m} pixels here, got {size}. The smallest input that works is "
    "{side}×{side} px.":
        "这里的 Inception-v3 需要至少 {m}x{m} 像素的图像，而输入是 {size}。能运行的最小输入是 {side}×{side} px。",
    # lab.models.registry: names, classes, options.
    "Unknown model {name}. Did you mean {close}? Call list_models() for the course models, or write "
    "'timm:<name>' for any timm architecture.":
        "未知的模型 {name}。你是不是想找 {close}？课程中的模型见 list_models()；任意 timm 架构请写成 'timm:<name>'。",
    "Unknown model {name}. Call list_models() for the course models, or write 'timm:<name>' for any timm "
    "architecture.":
        "未知的模型 {name}。课程中的模型见 list_models()；任意 timm 架构请写成 'timm:<name>'。",
    "timm has no architecture named {arch}. Did you mean {close}?": "timm 中没有名为 {arch} 的架构。你是不是想找 {close}？",
    "timm has no architecture named {arch}.{hint}": "timm 中没有名为 {arch} 的架构。{hint}",
    "num_classes must be a positive integer, not {n}.": "num_classes 必须是正整数，而不是 {n}。",
    "{name} does not accept those options ({why}).": "{name} 不接受这些选项（{why}）。",
    # lab.models.*: the families' own checks.
    "in_channels must be a positive integer (1 for grey images, 3 for RGB), not {n}.":
        "in_channels 必须是正整数（灰度图像为 1，RGB 为 3），而不是 {n}。",
    "dropout is a probability in [0, 1), not {p}.": "dropout 是一个概率，取值在 [0, 1) 内，而不是 {p}。",
    "{name} is the probability of dropping a unit, so it must lie in [0, 1], not {p}.":
        "{name} 是丢弃一个单元的概率，所以必须在 [0, 1] 内，而不是 {p}。",
    "GoogLeNet needs images of at least 15x15 pixels, got {size}.": "GoogLeNet 需要至少 15x15 像素的图像，而输入是 {size}。",
    "Inception-v3 needs images of at least {m}x{m} pixels here, got {size}.":
        "这里的 Inception-v3 需要至少 {m}x{m} 像素的图像，而输入是 {size}。",
    "Inception-v3 needs images of at least {m}x{m} pixels here, got {size}. Resize the images, or build the "
    "model with aux_logits=False.":
        "这里的 Inception-v3 需要至少 {m}x{m} 像素的图像，而输入是 {size}。请调整图像大小，或用 aux_logits=False 搭建模型。",
    "Inception-v3 needs images of at least {m}x{m} pixels here, got {size}.{way_out}":
        "这里的 Inception-v3 需要至少 {m}x{m} 像素的图像，而输入是 {size}。{way_out}",
    "A ResNet has four stages of at least one block each; got {layers}.":
        "ResNet 有四个阶段，每个阶段至少一个块；而这里是 {layers}。",
    "Each dense block needs at least one layer; got block_config={config}.":
        "每个稠密块至少需要一层；而这里 block_config={config}。",
    "drop_rate is a probability in [0, 1), not {p}.": "drop_rate 是一个概率，取值在 [0, 1) 内，而不是 {p}。",
    "DenseNet's {name} must be a positive integer, not {value}.": "DenseNet 的 {name} 必须是正整数，而不是 {value}。",
    "width_mult must be a positive number (the papers use 0.25 to 1.4), not {w}.":
        "width_mult 必须是正数（论文中用 0.25 到 1.4），而不是 {w}。",
    "The resolution multiplier rho must be positive (the paper uses 4/7 to 1), not {rho}.":
        "分辨率因子 rho 必须为正（论文中用 4/7 到 1），而不是 {rho}。",
    "output_stride must be 8, 16 or 32, not {s}.": "output_stride 必须是 8、16 或 32，而不是 {s}。",
    "efficientnet_{variant} accepts only width_mult, depth_mult, dropout and stochastic_depth_prob, not {options}.":
        "efficientnet_{variant} 只接受 width_mult、depth_mult、dropout 和 stochastic_depth_prob，不接受 {options}。",
    "width_mult and depth_mult must be positive (B0 is 1.0 and 1.0), not {w} and {d}.":
        "width_mult 和 depth_mult 必须为正（B0 均为 1.0），而不是 {w} 和 {d}。",
    "stochastic_depth_prob must be between 0 and 1, not {p}.": "stochastic_depth_prob 必须在 0 到 1 之间，而不是 {p}。",
    # lab.scaling: EfficientNet's multipliers and φ, MobileNet v1's ρ. The hints in brackets are filled in by
    # lab (B0's and B7's values); the last templates of each kind catch any other hint.
    "dropout must be between 0 and 1 (B0 uses 0.2), not {p}.": "dropout 必须在 0 到 1 之间（B0 用 0.2），而不是 {p}。",
    "resolution must be a whole number of pixels (B0 uses 224), not {r}.":
        "resolution 必须是整数个像素（B0 用 224），而不是 {r}。",
    "ρ = {rho} gives a {side} px input. Choose ρ = k/7 (k = 1…7) so that ρ·224 is a multiple of 32 and every "
    "feature map is a whole ρ·D_F; the paper uses {sizes}.":
        "ρ = {rho} 得到 {side} px 的输入。请选 ρ = k/7（k = 1…7），使 ρ·224 是 32 的倍数、每张特征图的边长 ρ·D_F "
        "都是整数；论文使用 {sizes}。",
    "{label} must be a number between {lo} and {hi} (B0 is {b0} and B7 {b7}), not {value}.":
        "{label} 必须是 {lo} 到 {hi} 之间的数（B0 为 {b0}，B7 为 {b7}），而不是 {value}。",
    "{label} must be a number between {lo} and {hi} (B0 uses {b0} px and B7 {b7} px), not {value}.":
        "{label} 必须是 {lo} 到 {hi} 之间的数（B0 用 {b0} px，B7 用 {b7} px），而不是 {value}。",
    "{label} must be a number between {lo} and {hi} ({hint}), not {value}.":
        "{label} 必须是 {lo} 到 {hi} 之间的数（{hint}），而不是 {value}。",
    "{label} = {value} is outside the range this lab accepts, {lo} to {hi} (B0 is {b0} and B7 {b7}).":
        "{label} = {value} 超出了本实验室接受的范围 {lo} 到 {hi}（B0 为 {b0}，B7 为 {b7}）。",
    "{label} = {value} is outside the range this lab accepts, {lo} to {hi} (B0 uses {b0} px and B7 {b7} px).":
        "{label} = {value} 超出了本实验室接受的范围 {lo} 到 {hi}（B0 用 {b0} px，B7 用 {b7} px）。",
    "{label} = {value} is outside the range this lab accepts, {lo} to {hi} ({hint}).":
        "{label} = {value} 超出了本实验室接受的范围 {lo} 到 {hi}（{hint}）。",
    "φ = {phi} with {base} asks for width β^φ = {value}, beyond the {lo}–{hi} this lab builds; lower φ or {letter}.":
        "φ = {phi}、{base} 时，宽度 β^φ = {value}，超出了本实验室能搭建的 {lo}–{hi}；请降低 φ 或 {letter}。",
    "φ = {phi} with {base} asks for depth α^φ = {value}, beyond the {lo}–{hi} this lab builds; lower φ or {letter}.":
        "φ = {phi}、{base} 时，深度 α^φ = {value}，超出了本实验室能搭建的 {lo}–{hi}；请降低 φ 或 {letter}。",
    "φ = {phi} with {base} asks for resolution 224·γ^φ = {value}, beyond the {lo}–{hi} this lab builds; lower φ "
    "or {letter}.":
        "φ = {phi}、{base} 时，分辨率 224·γ^φ = {value}，超出了本实验室能搭建的 {lo}–{hi}；请降低 φ 或 {letter}。",
    "φ = {phi} with {base} asks for {label} = {value}, beyond the {lo}–{hi} this lab builds; lower φ or {letter}.":
        "φ = {phi}、{base} 时，{label} = {value}，超出了本实验室能搭建的 {lo}–{hi}；请降低 φ 或 {letter}。",
    # lab.layer_math: one layer's arithmetic, the sliding window, kernels and activations.
    "The input size must be at least {lo}, not {v}.": "输入尺寸至少为 {lo}，而不是 {v}。",
    "The kernel must be at least {lo}, not {v}.": "卷积核大小至少为 {lo}，而不是 {v}。",
    "The stride must be at least {lo}, not {v}.": "步幅至少为 {lo}，而不是 {v}。",
    "The dilation must be at least {lo}, not {v}.": "空洞率至少为 {lo}，而不是 {v}。",
    "The {label} must be at least {lo}, not {v}.": "{label} 至少为 {lo}，而不是 {v}。",
    "Padding cannot be negative ({p}).": "填充不能为负（{p}）。",
    "Inputs larger than {most} px are not supported here; try a smaller size.":
        "这里不支持大于 {most} px 的输入；请换一个更小的尺寸。",
    "The kernel spans {span} px (k={k}, dilation={d}) but the padded input is only {n} px: use a smaller kernel, "
    "more padding or a larger input.":
        "卷积核覆盖 {span} px（k={k}，dilation={d}），但填充后的输入只有 {n} px：请用更小的卷积核、更多的填充或更大的输入。",
    "Channels must be at least 1.": "通道数至少为 1。",
    "Groups ({g}) must divide both C_in ({c_in}) and C_out ({c_out}); groups = C_in is a depthwise convolution.":
        "分组数（{g}）必须同时整除 C_in（{c_in}）和 C_out（{c_out}）；groups = C_in 就是逐通道（depthwise）卷积。",
    "N and D_K must be positive, not N = {n}, D_K = {k}.": "N 和 D_K 必须为正，而不是 N = {n}，D_K = {k}。",
    "Unknown operation {op}; choose one of {ops}.": "未知的运算 {op}；请从 {ops} 中选择。",
    "Pooling padding can be at most half the window ({most}); PyTorch refuses more.":
        "池化的填充最多为窗口的一半（{most}）；再多 PyTorch 会拒绝。",
    "Unknown kernel {kernel}; choose one of {kernels}.": "未知的卷积核 {kernel}；请从 {kernels} 中选择。",
    "Unknown activation {name}; choose from {names}.": "未知的激活函数 {name}；请从 {names} 中选择。",

    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # ------------------------------------------------ Inside, Train (lab.cam, images, data, train, ...)

}
