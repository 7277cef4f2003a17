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
    "lab.models.efficientnet", "lab.batchnorm", "lab.blocks",
    "lab.snippets", "lab.snippet_kit", "lab.snippets_layers",  # Show me the code (every tab)

    # ------------------------------------------------------------------
    # The Inside and Train tabs' modules:
    "lab.cam", "lab.cam_score", "lab.features", "lab.images", "lab.data", "lab.augment", "lab.train", "lab.evaluate",
    "lab.transfer", "lab.checkpoint", "lab.runs", "lab.speed", "lab.models.zoo", "lab.models.weights",
    "lab.degradation", "lab.submission", "lab.attention",
    # The A/B tab's:
    "lab.ab",
    # Lesson links (lab.lesson, and the notes a link opens with):
    "lab.lesson",
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
    # Also the other sentences lab writes for these tabs (the same template translation serves them): the
    # preprocessing steps, the weights' details and reasons, the training notes and the device's label.
    # lab.cam
    "This model has no layer with a spatial output, so a CAM cannot be drawn.":
        "这个模型没有输出带空间维度的层，因此无法绘制 CAM。",
    "Unknown CAM method {method}; choose one of {methods}.": "未知的 CAM 方法 {method}；请从 {methods} 中选一个。",
    # lab.ab: a layer that the side's network lacks (typically the other network's).
    "{model} has no layer {layer} to explain (a layer of the other network?): pick one of its own from its list, or "
    "leave it empty for its default, {default}.":
        "{model} 没有可以解释的层 {layer}（是另一个网络的层吗？）：请从它自己的列表中选一层，或留空使用它的默认层 {default}。",
    "Class {index} does not exist: this model has classes 0 to {last}.": "类别 {index} 不存在：这个模型的类别是 0 到 {last}。",
    "This layer runs more than once in a forward pass (one module shared by several steps), so its CAM is "
    "ambiguous. Pick another layer, e.g. a block's output.":
        "这一层在一次前向传播中运行了不止一次（一个模块被多个步骤共用），所以它的 CAM 有歧义。请另选一层，例如某个块的输出。",
    # lab.features (a name without close names first: a dotted layer name must not pass for a hint)
    "This model has no convolutional layer, so there are no filters to show.": "这个模型没有卷积层，因此没有可显示的卷积核。",
    "The target layer is not a part of this model.": "目标层不属于这个模型。",
    "Give the image as a PIL image or a normalised C×H×W tensor.": "请以 PIL 图像或归一化后的 C×H×W 张量给出图像。",
    "Expected one image (C×H×W or 1×C×H×W), got a tensor of shape {shape}.":
        "应为一张图像（C×H×W 或 1×C×H×W），得到的却是形状为 {shape} 的张量。",
    "Only convolutional layers (C×H×W outputs) have channels to show as images.":
        "只有卷积层（输出为 C×H×W）才有可显示为图像的通道。",
    "The opacity must be between 0 and 1, not {opacity}.": "不透明度必须在 0 到 1 之间，而不是 {opacity}。",
    "This model has no layer named {layer}. Pick one from the layer list.": "这个模型没有名为 {layer} 的层。请从层列表中选一个。",
    "This model has no layer named {layer}. Close names: {close}. Pick one from the layer list.":
        "这个模型没有名为 {layer} 的层。相近的名字：{close}。请从层列表中选一个。",
    "This model has no layer named {layer}.{hint} Pick one from the layer list.":
        "这个模型没有名为 {layer} 的层。{hint}请从层列表中选一个。",
    # lab.images
    "Cannot read an image from a {kind}; give a file path or image bytes.": "无法从 {kind} 读取图像；请给出文件路径或图像字节。",
    "No image was given: upload one, take one with the webcam, or pick an example.":
        "没有给出图像：请上传一张、用摄像头拍一张，或选一个示例。",
    "The file is empty (0 bytes). Upload the image again.": "文件是空的（0 字节）。请重新上传图像。",
    "The image has no pixels ({w}×{h}). Upload another image.": "图像没有像素（{w}×{h}）。请上传另一张图像。",
    "An image array must be H×W, H×W×3 or H×W×4, not {shape}.": "图像数组必须是 H×W、H×W×3 或 H×W×4，而不是 {shape}。",
    "There is no image file at {path}. Upload the image again.": "{path} 处没有图像文件。请重新上传图像。",
    "The image data is not valid base64. Upload the image as a file instead.": "图像数据不是有效的 base64。请改为上传图像文件。",
    "This file is not an image that can be read. Upload a {formats} file.":
        "这个文件不是可读取的图像。请上传 PNG、JPEG、WebP、GIF、BMP 或 TIFF 文件。",
    "The image could not be opened ({error}). Upload a {formats} file.":
        "无法打开这张图像（{error}）。请上传 PNG、JPEG、WebP、GIF、BMP 或 TIFF 文件。",
    "The image file is damaged or cut short ({error}). Save or download it again and re-upload it.":
        "图像文件已损坏或不完整（{error}）。请重新保存或下载后再上传。",
    "The image is too large ({w}×{h} = {mp} megapixels; the limit is {limit} megapixels). Shrink it (a network "
    "sees 224×224 anyway) and upload it again.":
        "图像太大（{w}×{h} = {mp} 百万像素；上限是 {limit} 百万像素）。请把它缩小（网络反正只看 224×224）后再上传。",
    "The image is too large (far too many pixels; the limit is {limit} megapixels). Shrink it (a network sees "
    "224×224 anyway) and upload it again.":
        "图像太大（像素远远超出；上限是 {limit} 百万像素）。请把它缩小（网络反正只看 224×224）后再上传。",
    "Loaded {w}×{h} RGB (8 bits per channel).": "读入 {w}×{h} 的 RGB 图像（每通道 8 位）。",
    "Resized to {s}×{s}.": "缩放到 {s}×{s}。",
    "Resized the shorter side to {r}: {rw}×{rh}.": "把短边缩放到 {r}：{rw}×{rh}。",
    "Cut the centre {s}×{s} square: the border outside it is never seen.": "裁出中心 {s}×{s} 的正方形：它之外的边缘网络永远看不到。",
    "Converted to greyscale (one input channel).": "转换为灰度图（一个输入通道）。",
    "Scaled pixel values from 0…255 to 0…1.": "把像素值从 0…255 缩放到 0…1。",
    "Normalised each channel: (x − mean) / std with mean = ({mean}) and std = ({std}).":
        "逐通道归一化：(x − mean) / std，其中 mean = ({mean})，std = ({std})。",
    # lab.data
    "The number of Shapes images must be a whole number >= 0, not {n}.": "Shapes 图像的数量必须是 ≥ 0 的整数，而不是 {n}。",
    "Shapes images can be 16 to 512 pixels wide; {size} is not.": "Shapes 图像的宽度只能是 16 到 512 像素，{size} 不行。",
    "There are too few images to hold any out for validation. Add a few more images per class.":
        "图像太少，无法留出验证图像。请为每个类别再加几张图像。",
    "Unknown dataset {name}; choose one of {names} or a .zip file.": "未知的数据集 {name}；请从 {names} 中选一个，或使用 .zip 文件。",
    "{file} is not a readable zip file ({error}).": "{file} 不是可读取的 zip 文件（{error}）。",
    "The zip has {n} class folder(s) with images; a classifier needs at least two. Put each class's images in its "
    "own folder (train/cat/…, train/dog/…, or cat/…, dog/…).":
        "这个 zip 中只有 {n} 个含图像的类别文件夹；分类器至少需要两个。请把每个类别的图像放进各自的文件夹"
        "（train/cat/…、train/dog/…，或 cat/…、dog/…）。",
    "{count:,} images at {size} px would need {gib} GiB of memory. Choose a smaller image size or use fewer images.":
        "{count} 张 {size} px 的图像需要 {gib} GiB 内存。请选更小的图像尺寸，或使用更少的图像。",
    "The class folder {name} has no readable image. Add images to it or remove the folder.":
        "类别文件夹 {name} 中没有可读取的图像。请往里面加图像，或删除这个文件夹。",
    "{count:,} Shapes images at {size} px would need {gib} GiB of memory. Choose fewer images or a smaller image size.":
        "{count} 张 {size} px 的 Shapes 图像需要 {gib} GiB 内存。请减少图像数量，或选更小的图像尺寸。",
    "{set} is not in the data folder ({folder}) and could not be downloaded ({kind}: {error}). Connect to the "
    "internet once (about {size}), copy the files there, or train on the built-in Shapes data.":
        "{set} 不在数据文件夹（{folder}）中，也无法下载（{kind}: {error}）。请联网一次（约 {size}），或把文件复制到那里，"
        "或者用内置的 Shapes 数据训练。",
    "There is no zip file at {path}. Upload a .zip of class folders.": "{path} 处没有 zip 文件。请上传按类别分文件夹的 .zip。",
    "larger than its header says": "比文件头声明的更大",  # a skipped file's reason (lab.data._read_split)
    "The zip entry {name} points outside its folder. Make the zip again from the folder itself (relative paths only).":
        "zip 中的条目 {name} 指向文件夹之外。请直接从文件夹重新打包（只用相对路径）。",
    "The zip entry {name} is a symbolic link. Zip the image files themselves, not links.":
        "zip 中的条目 {name} 是符号链接。请打包图像文件本身，而不是链接。",
    "The zip holds {n} entries; the limit is {limit}. Use fewer images.": "这个 zip 有 {n} 个条目；上限是 {limit}。请使用更少的图像。",
    "The zip unpacks to {mib} MiB; the limit is {limit} MiB. Use fewer or smaller images.":
        "这个 zip 解压后有 {mib} MiB；上限是 {limit} MiB。请使用更少或更小的图像。",
    "No val/ folder: {n} images ({fraction} of each class) held out for validation.":
        "没有 val/ 文件夹：留出 {n} 张图像（每个类别的 {fraction}）作为验证图像。",
    "Using {n} of {total} training and {n_val} of {total_val} validation images (raise the sizes for a longer, "
    "better run).": "使用 {total} 张训练图像中的 {n} 张、{total_val} 张验证图像中的 {n_val} 张（调大数量可以训练得更久、更好）。",
    # lab.augment
    "Unknown augmentation {aug}; choose one of {augs}.": "未知的数据增强 {aug}；请从 {augs} 中选一个。",
    # lab.train: TrainConfig.validate (each sentence capitalised, with a full stop), the run's errors and notes
    "Epochs must be a whole number from 1 to 1000.": "轮数必须是 1 到 1000 的整数。",
    "Batch size must be from 2 to 4096.": "批量大小必须在 2 到 4096 之间。",
    "The learning rate must be above 0 (e.g. 0.001).": "学习率必须大于 0（例如 0.001）。",
    "The optimizer must be one of {names}.": "优化器必须是 {names} 之一。",
    "The image size must be 16 to 512 px.": "图像尺寸必须在 16 到 512 px 之间。",
    "Augmentation must be one of {names}.": "数据增强必须是 {names} 之一。",
    "Precision must be one of {names}.": "精度必须是 {names} 之一。",
    "Memory format must be one of {names}.": "内存布局必须是 {names} 之一。",
    "The data set sizes cannot be negative.": "数据集的大小不能为负数。",
    "The warm-up fraction must be from 0 to 1.": "预热比例必须在 0 到 1 之间。",
    "The output stride must be 8, 16 or 32.": "输出步幅必须是 8、16 或 32。",
    "An output stride below 32 (atrous convolution) is available for {names} only.":
        "低于 32 的输出步幅（空洞卷积）只适用于 {names}。",
    "The training set needs at least two images.": "训练集至少需要两张图像。",
    "{name} cannot take {size}x{size} images ({error}). Choose a larger image size.":
        "{name} 无法接受 {size}x{size} 的图像（{error}）。请选更大的图像尺寸。",
    "Out of GPU memory at batch size {batch}. Try a smaller batch (e.g. {half}) or a smaller image size.":
        "批量大小为 {batch} 时 GPU 内存不足。请试更小的批量（例如 {half}）或更小的图像尺寸。",
    "Out of memory at batch size {batch}. Try a smaller batch (e.g. {half}) or a smaller image size.":
        "批量大小为 {batch} 时内存不足。请试更小的批量（例如 {half}）或更小的图像尺寸。",
    "Out of memory at batch size {batch}. Try a smaller batch (e.g. {half}) or image size.":
        "批量大小为 {batch} 时内存不足。请试更小的批量（例如 {half}）或更小的图像尺寸。",
    "Out of memory while evaluating at batch size {batch}: try a smaller batch or image size.":
        "以批量大小 {batch} 评估时内存不足：请试更小的批量或图像尺寸。",
    "The loss became {loss} at step {step}: training diverged because the learning rate ({lr}) is too high for "
    "this model. Try one about 10 times smaller.":
        "第 {step} 步时损失变成了 {loss}：训练发散了，因为学习率（{lr}）对这个模型来说太大。请试一个小 10 倍左右的学习率。",
    "LeNet-5 is built for 32x32 inputs (paper §II-B): using 32 px.": "LeNet-5 是为 32x32 的输入设计的（论文 §II-B）：使用 32 px。",
    "No attention frames for this run: {reason}": "这次训练没有注意力帧：{reason}",
    "{n} file(s) of the zip were skipped (first: {name}: not an image file (by its extension)).":
        "zip 中有 {n} 个文件被跳过（第一个：{name}：按扩展名看不是图像文件）。",
    "{n} file(s) of the zip were skipped (first: {name}: not in train/<class>/ or val/<class>/).":
        "zip 中有 {n} 个文件被跳过（第一个：{name}：不在 train/<class>/ 或 val/<class>/ 中）。",
    "{n} file(s) of the zip were skipped (first: {name}: not directly inside a class folder).":
        "zip 中有 {n} 个文件被跳过（第一个：{name}：不直接位于某个类别文件夹中）。",
    "{n} file(s) of the zip were skipped (first: {name}: class {cls} is not in train/).":
        "zip 中有 {n} 个文件被跳过（第一个：{name}：类别 {cls} 不在 train/ 中）。",
    "{n} file(s) of the zip were skipped (first: {name}: unreadable ({kind}: {error})).":
        "zip 中有 {n} 个文件被跳过（第一个：{name}：无法读取（{kind}: {error}））。",
    # lab.transfer
    "Could not find this model's classifier layer, so it cannot be trained as a linear probe.":
        "找不到这个模型的分类层，因此无法把它作为线性探测来训练。",
    "Pretrained weights unavailable offline: training from random weights. ({error})":
        "离线时没有预训练权重：改为从随机权重开始训练。（{error}）",
    "A linear probe of random features learns little: it only shows what frozen features can do.":
        "在随机特征上做线性探测学不到多少：它只能说明冻结的特征能做到什么。",
    # lab.checkpoint
    "A checkpoint's config needs {keys}.": "检查点的配置需要 {keys}。",
    "{name} is not a checkpoint CNN Lab can read ({kind}).": "{name} 不是 CNN Lab 能读取的检查点（{kind}）。",
    "{name} lacks state_dict/config/class_names: not a CNN Lab checkpoint.":
        "{name} 缺少 state_dict/config/class_names：不是 CNN Lab 的检查点。",
    "{name} has no model name or no class names: not a CNN Lab checkpoint.": "{name} 没有模型名或类别名：不是 CNN Lab 的检查点。",
    "The checkpoint's weights do not fit {model}: {error}": "检查点的权重与 {model} 不匹配：{error}",
    # lab.speed
    "No CUDA GPU is available here; choose device 'cpu' or 'auto'.": "这里没有可用的 CUDA GPU；请选择设备 'cpu' 或 'auto'。",
    "Unknown device {name}; choose auto, cpu or cuda.": "未知的设备 {name}；请选择 auto、cpu 或 cuda。",
    "The CPU's load changed: switched from {a} to {b} thread(s) ({before} s -> {after} s per step).":
        "CPU 的负载变了：从 {a} 个线程切换到 {b} 个（每步 {before} s -> {after} s）。",
    "CPU ({n} cores, bf16 unit)": "CPU（{n} 核，有 bf16 单元）",
    "CPU ({n} cores, no bf16 unit)": "CPU（{n} 核，无 bf16 单元）",
    # lab.models.zoo: errors, the weights' details and why better weights were not used
    "The shipped Shapes model is missing ({path}). Rebuild it with the command in assets/README.md.":
        "自带的 Shapes 模型不见了（{path}）。请用 assets/README.md 中的命令重新生成它。",
    "Unknown weights {weights}; choose {choices}.": "未知的权重 {weights}；请选择 {choices}。",
    "Choose a checkpoint first: upload one CNN Lab wrote, or take the Train tab's latest run.":
        "请先选择一个检查点：上传 CNN Lab 写出的检查点，或使用训练页最近一次的训练。",
    "The checkpoint {name} is gone (a run's file lasts as long as its session). Upload it again or train again.":
        "检查点 {name} 已经不在了（训练的文件只保留到它的会话结束）。请重新上传，或重新训练。",
    "{file} holds a {found}, not a {name}: pick {found} as the network, or other weights.":
        "{file} 中是 {found}，不是 {name}：请把网络选为 {found}，或换用别的权重。",
    "{name} has no torchvision ImageNet weights to supply by file.": "{name} 没有可以用文件提供的 torchvision ImageNet 权重。",
    "{file} holds no weights (a dict of tensors): {name}'s ImageNet weights are {want}.":
        "{file} 中没有权重（由张量组成的字典）：{name} 的 ImageNet 权重是 {want}。",
    "{file} is not a PyTorch file CNN Lab can read ({kind}): upload a checkpoint the Train tab saved, or "
    "torchvision's .pth file of the network's weights.":
        "{file} 不是 CNN Lab 能读取的 PyTorch 文件（{kind}）：请上传训练页保存的检查点，或该网络权重的 torchvision .pth 文件。",
    "{file} does not fit {name}: its ImageNet weights are torchvision's {want} ({url}).":
        "{file} 与 {name} 不匹配：它的 ImageNet 权重是 torchvision 的 {want}（{url}）。",
    "{file} is not a PyTorch weights file ({kind}); {name} needs {want}.": "{file} 不是 PyTorch 权重文件（{kind}）；{name} 需要 {want}。",
    "{error} Or upload that file under “Your own weights”.": "{error} 也可以在“你自己的权重”下上传那个文件。",
    "ImageNet weights for {name} are neither cached nor downloadable here.": "这里既没有缓存 {name} 的 ImageNet 权重，也无法下载。",
    "The shipped Shapes model is a {shipped}, not a {name}: pick {shipped} to use it.":
        "自带的 Shapes 模型是 {shipped}，不是 {name}：要使用它，请选择 {shipped}。",
    "The shipped Shapes model is missing.": "自带的 Shapes 模型不见了。",
    "ImageNet weights for {name} are neither cached nor downloadable here. The shipped Shapes model is a "
    "{shipped}, not a {name}: pick {shipped} to use it.":
        "这里既没有缓存 {name} 的 ImageNet 权重，也无法下载。自带的 Shapes 模型是 {shipped}，不是 {name}：要使用它，"
        "请选择 {shipped}。",
    "ImageNet weights for {name} are neither cached nor downloadable here. The shipped Shapes model is missing.":
        "这里既没有缓存 {name} 的 ImageNet 权重，也无法下载。自带的 Shapes 模型不见了。",
    "{name} with random (untrained) weights, {n} classes": "{name}，随机（未训练的）权重，{n} 个类别",
    "{file}: {name} trained by CNN Lab on {data} ({shown}) at {size}×{size} px":
        "{file}：CNN Lab 在 {data}（{shown}）上以 {size}×{size} px 训练的 {name}",
    "{file}: {name} trained by CNN Lab on {data} ({shown}) at {size}×{size} px, output stride {stride}: its last "
    "stages use dilated (atrous) convolutions instead of striding, as in the paper's segmentation network, so its "
    "heat maps are {k}× finer ({cells}×{cells} cells) with the same weights":
        "{file}：CNN Lab 在 {data}（{shown}）上以 {size}×{size} px 训练的 {name}，输出步幅 {stride}：它的最后几个阶段"
        "像论文中的分割网络那样用空洞卷积代替步幅，所以同样的权重下热力图精细 {k} 倍（{cells}×{cells} 个格子）",
    # lab.models.weights (WeightsUnavailable is a ValueError)
    "Pretrained weights for {what} are not in the cache and cannot be downloaded ({kind}). Connect to the internet "
    "once, or copy {member}'s file to {path}.":
        "{what} 的预训练权重不在缓存中，也无法下载（{kind}）。请联网一次，或把 {member} 的文件复制到 {path}。",
    # ... and as the Inside tab quotes it (else {path} would swallow the sentence after it)
    "Pretrained weights for {what} are not in the cache and cannot be downloaded ({kind}). Connect to the internet "
    "once, or copy {member}'s file to {path}. Or upload that file under “Your own weights”.":
        "{what} 的预训练权重不在缓存中，也无法下载（{kind}）。请联网一次，或把 {member} 的文件复制到 {path}；"
        "也可以在“你自己的权重”下上传那个文件。",
    "Pretrained weights for {what} are not in the cache and cannot be downloaded ({kind}). Connect to the internet "
    "once: timm keeps them in the Hugging Face cache.":
        "{what} 的预训练权重不在缓存中，也无法下载（{kind}）。请联网一次：timm 会把它们保存在 Hugging Face 缓存中。",
    "Pretrained weights for timm:{arch} are not in the cache and cannot be downloaded ({kind}). The model runs "
    "with random weights.": "timm:{arch} 的预训练权重不在缓存中，也无法下载（{kind}）。模型将使用随机权重。",
    "There are no published ImageNet weights for {name}; train it in the Train tab instead.":
        "{name} 没有公开的 ImageNet 权重；请改在训练页训练它。",
    "The pretrained weights do not fit lab's {name}: missing {missing}, unexpected {unexpected}. This is a bug in "
    "lab's definition; please report it.":
        "预训练权重与 lab 的 {name} 不匹配：缺少 {missing}，多出 {unexpected}。这是 lab 定义中的错误，请报告给我们。",
    "The pretrained weights left {keys} of lab's {name} unset; please report it.":
        "预训练权重没有设置 lab 的 {name} 中的 {keys}；请报告给我们。",
    "timm weights {name} have no torchvision enum.": "timm 权重 {name} 没有对应的 torchvision 枚举。",
    # lab.batchnorm and lab.blocks: the Layers tab's batch-norm walk, drift through depth and blocks side by side.
    "Batch norm takes (N, C), (N, C, L), (N, C, H, W) or (N, C, D, H, W) inputs, not {dim}-D.":
        "批量归一化接受 (N, C)、(N, C, L)、(N, C, H, W) 或 (N, C, D, H, W) 形状的输入，而不是 {dim} 维。",
    "Batch norm in training needs more than one value per channel (a batch of 1 at 1×1).":
        "训练时的批量归一化每个通道需要不止一个值（批量为 1、尺寸 1×1 时不行）。",
    "The walk takes 2 to {batch_max} samples, 1 to {channels_max} channels and 1 to {steps_max} steps, not {batch}, "
    "{channels} and {steps}.":
        "这里的演示接受 2 到 {batch_max} 个样本、1 到 {channels_max} 个通道和 1 到 {steps_max} 步，而不是 {batch}、"
        "{channels} 和 {steps}。",
    "Unknown initialisation {init}; choose one of {inits}.": "未知的初始化方式 {init}；请从 {inits} 中选择。",
    "The plain network has 1 to {depth_max} layers here, not {depth}.":
        "这里的普通网络有 1 到 {depth_max} 层，而不是 {depth}。",
    "Unknown block comparison {name}; choose one of {names}.": "未知的模块对比 {name}；请从 {names} 中选择。",
    "Blocks are built with 4 to {c_max} channels (a multiple of 4) and 8 to {side_max} px inputs, not {c} "
    "channels at {side} px.":
        "模块按 4 到 {c_max} 个通道（4 的倍数）、8 到 {side_max} px 的输入搭建，而不是 {c} 个通道、{side} px。",
    "Swish's β is shown from 0 to 100 here, not {beta}.": "这里 Swish 的 β 取 0 到 100，而不是 {beta}。",
    # ------------------------------------------------ added with the course sections (lead)
    "An MLP needs at least two layer widths, each a whole number of at least 1.":
        "一个 MLP 至少需要两个层宽度，每个都是不小于 1 的整数。",
    "The softmax temperature must be above 0, not {temperature}.": "softmax 的温度必须大于 0，而不是 {temperature}。",
    "A CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110), not {depth}.":
        "CIFAR 上的 ResNet 深度为 6n + 2（20、32、44、56、110），而不是 {depth}。",
    "{set} is not in the data folder ({folder}) and could not be downloaded ({error}). Connect to the internet "
    "once (about {size}), copy the files there, or train on the built-in Shapes data.":
        "{set} 不在数据文件夹（{folder}）中，也无法下载（{error}）。请联网一次（约 {size}），或把文件复制到那里，"
        "或者用内置的 Shapes 数据训练。",
    # lab.data: a zip of test images and a Hugging Face Hub set, for a submission (the Train tab's comparison).
    "The zip has no images ({exts}, …). Put the test images in it, in any folder.":
        "这个 zip 中没有图像（{exts} 等）。请把测试图像放进去，放在哪个文件夹都可以。",
    "Two images in the zip are called {id}: an id must be unique. Rename one.":
        "zip 中有两张图像都叫 {id}：编号必须唯一。请重命名其中一张。",
    "{name} is not a Hugging Face dataset name: type one such as {example} or 'owner/name', and a split such as "
    "'test'.": "{name} 不是 Hugging Face 数据集的名字：请输入例如 {example} 或 'owner/name' 这样的名字，以及 'test' 这样的划分。",
    "Loading a Hugging Face dataset needs the datasets library, which is not installed here: install `datasets` "
    "(pip install datasets), or upload a zip of images.":
        "加载 Hugging Face 数据集需要 datasets 库，但这里没有安装：请安装 `datasets`（pip install datasets），"
        "或者上传一个图像 zip。",
    "{name} ({split}) is not in the data folder ({folder}) and could not be downloaded ({error}). Connect to the "
    "internet once, check the name and split on huggingface.co/datasets, or upload a zip of images.":
        "{name}（{split}）不在数据文件夹（{folder}）中，也无法下载（{error}）。请联网一次，在 huggingface.co/datasets "
        "上核对名字和划分，或者上传一个图像 zip。",
    "{name} has no image column ({columns}): choose an image-classification set such as {example}.":
        "{name} 没有图像列（{columns}）：请选择一个图像分类数据集，例如 {example}。",
    # lab.evaluate: predictions for a submission.
    "There are no images to label. Upload a zip of test images.": "没有要标注的图像。请上传一个测试图像 zip。",
    "None of the {n} images could be read (first: {id}: {error}).": "{n} 张图像都无法读取（第一张：{id}：{error}）。",
    # lab.snippets: Show me the code, and the /code endpoint.
    "There is no view named {view_name!r} to show the code of; choose one of {views}.":
        "没有名为 {view_name!r} 的视图可显示代码；请从以下视图中选择：{views}。",
    "The view {view_name!r} has no setting named {name!r}; its settings are {names}.":
        "视图 {view_name!r} 没有名为 {name!r} 的设置；它的设置是 {names}。",
    "{value!r} is not a number.": "{value!r} 不是数字。",
    "A setting of the view {view_name!r} has the wrong kind of value; send each as its default is: {defaults}.":
        "视图 {view_name!r} 的某个设置值的类型不对；请按默认值的类型发送每个设置：{defaults}。",
    "Type numbers separated by commas to see the code.": "请输入用逗号分隔的数字，即可看到代码。",
    # ------------------------------------------------ Lesson links (lab.lesson): notes on a link, /lesson_link errors
    "{key}={value} in the link is not {expected}; {default} is used instead.":
        "链接中的 {key}={value} 不是{expected}；改用 {default}。",
    "The link's tab={value} is not a tab of CNN Lab ({choices}); the {default} tab opens.":
        "链接中的 tab={value} 不是 CNN Lab 的标签页（{choices}）；改为打开 {default} 标签页。",
    "The link hides {value}, which the {tab} tab does not have: ignored.":
        "链接要隐藏 {value}，但 {tab} 标签页没有这个控件：已忽略。",
    "The lesson link's {key} must be {expected}, not {value}.": "课堂链接的 {key} 必须是{expected}，而不是 {value}。",
    "The {tab} tab has no control {name} to hide; its controls are: {keys}.":
        "{tab} 标签页没有可隐藏的控件 {name}；它的控件有：{keys}。",
    "CNN Lab has no tab {value}; send one of: {choices}.": "CNN Lab 没有标签页 {value}；请发送以下之一：{choices}。",
    "The lesson link's state must be a JSON object such as {example}, not {value}.":
        "课堂链接的状态必须是 JSON 对象，例如 {example}，而不是 {value}。",
    "a whole number from {lo} to {hi}": "{lo} 到 {hi} 之间的整数",
    "a number from {lo} to {hi}": "{lo} 到 {hi} 之间的数",
    "one of: {choices}": "以下之一：{choices}",
    "true or false": "true 或 false",
    "a layer name (letters, digits, dots and underscores)": "层的名字（字母、数字、点和下划线）",
    "the default": "默认值",
}
