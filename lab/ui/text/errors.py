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

    # ------------------------------------------------------------------
    # The Inside and Train tabs' modules:
    "lab.cam", "lab.cam_score", "lab.features", "lab.images", "lab.data", "lab.augment", "lab.train", "lab.evaluate",
    "lab.transfer", "lab.checkpoint", "lab.runs", "lab.speed", "lab.models.zoo", "lab.models.weights",
}

ERRORS_ZH: dict[str, str] = {
    # ------------------------------------------------ Architecture, Scaling, Layers (lab.inspect, scaling, ...)

    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # ------------------------------------------------ Inside, Train (lab.cam, images, data, train, ...)
    # Also the other sentences lab writes for these tabs (the same template translation serves them): the
    # preprocessing steps, the weights' details and reasons, the training notes and the device's label.
    # lab.cam
    "This model has no layer with a spatial output, so a CAM cannot be drawn.":
        "这个模型没有输出带空间维度的层，因此无法绘制 CAM。",
    "Unknown CAM method {method}; choose one of {methods}.": "未知的 CAM 方法 {method}；请从 {methods} 中选一个。",
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
}
