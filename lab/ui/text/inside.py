"""The Inside tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The weights note, the preprocessing steps, the captions and the plot are formatted by the handlers with
numbers, in the request's language (``say``, lab/ui/common.py); the sentences lab writes into them (the
preprocessing steps, the weights' details) are translated by lab/ui/text/errors.py. Class names stay as the
weights name them (ImageNet's English names).
"""
from __future__ import annotations


def _method_table(heading: str, columns: tuple[str, str], methods: dict[str, tuple[str, str]]) -> str:
    """The heading and the table of CAM methods as ONE Markdown value (the browser translates one key per value)."""
    rows = "\n".join(f"| **{title}** | {text} |" for title, text in methods.values())
    return f"{heading}\n\n| {columns[0]} | {columns[1]} |\n|---|---|\n{rows}"


TEXT = {
    "title": "Inside",
    "intro": "### What does the network look at?\n"
    "Feed it an image. **Feature maps** show what each layer responds to; **class activation maps** "
    "(CAMs) show where in the image the evidence for a class lies. Pick an example below or upload, "
    "paste or photograph your own.",
    "image": "Image",
    "examples": "Examples: photos (public domain, from scikit-image) and Shapes images",
    "model": "Network",
    "model_info": "The CAM layer defaults to the network's last convolutional stage.",
    "weights": "Weights",
    "weights_info": "Automatic: ImageNet if cached or downloadable, else the Shapes model shipped with "
    "CNN Lab (for its architecture), else random. Checkpoint: a network CNN Lab trained (below).",
    "w_auto": "Automatic",
    "w_imagenet": "ImageNet",
    "w_shapes": "Shapes (shipped)",
    "w_random": "Random",
    "w_checkpoint": "Checkpoint",
    "ckpt_heading": "Your own weights: a checkpoint, or ImageNet weights by hand",
    "ckpt_file": "Weights file (.pt, .pth)",
    "ckpt_info": "Upload a checkpoint CNN Lab wrote (the Train tab's download, or `python -m lab.train --out`): "
    "its network and classes are used. Offline, upload torchvision's ImageNet file for the chosen network "
    "(e.g. `resnet18-f37072fd.pth`, from a computer with internet access): it is checked and kept in the "
    "weights cache, and the ImageNet weights then work as if downloaded.",
    "latest_run": "Use the Train tab's latest run",
    "no_run": "The Train tab has no finished run yet: train a network there first, or upload a checkpoint.",
    "failed": "**No results for this setting**: the message in the corner says what to change.",
    "run": "Look inside",
    "weights_imagenet": "**Weights:** {detail}. Predictions use the 1000 ImageNet classes.",
    "weights_shapes": "**Weights:** {detail}. It knows only these classes, so a photo is forced into one "
    "of them.",
    "weights_checkpoint": "**Weights:** {detail}. Predictions use its own classes.",
    "weights_random": "<div style='padding:.6em;border-radius:6px;background:#fff3cd;color:#5c4400'>"
    "⚠️ <b>Random weights</b> ({detail}): nothing has been learned, so these predictions, heat maps and "
    "feature maps <b>mean nothing</b>. {reason}</div>",
    "weights_fallback": " ({reason})",
    "seen": "What the network gets",
    "seen_caption": "**Preprocessing, step by step** (the border outside the crop is never seen):",
    "after_norm": "After normalisation each channel has mean ≈ 0 and std ≈ 1 over ImageNet: here "
    "{stats}.",
    "predictions": "Top-5 predictions",
    "cam_heading": "### Class activation maps",
    "cam_intro": "Compare two maps side by side: two methods on one layer, or one method on two layers "
    "(a deeper layer knows more about the class, an earlier one has finer resolution).",
    "method": "Method",
    "method_b": "Method (right)",
    "layer": "Target layer",
    "layer_b": "Target layer (right)",
    "layer_info": "Stage (one per resolution) · map size │ module name · type · output channels. Type to search.",
    "method_info": "Score-CAM needs one forward pass per channel: it scores the strongest channels that fit in "
    "about 6 s, and says how many.",
    "score_plan": "Score-CAM on {layer}: the {k} strongest of {total} channels, about {s:.0f} s.",
    "score_caption": " Score-CAM scored the {k} strongest of {total} channels (by mean activation); the others "
    "weigh 0.",
    "target": "Class",
    "target_info": "Whose evidence to map: the top-1 prediction unless you choose another.",
    "top1": "Top-1 prediction",
    "opacity": "Heat-map opacity",
    "cam_left": "Left map",
    "cam_right": "Right map",
    "cam_caption": "**{method}** on `{layer}` for **{label}** (p = {prob:.1%}). Red: most evidence; blue: none.",
    "methods_heading": "#### What each method computes",
    "methods": {
        "gradcam": ("Grad-CAM", "Weights each channel of the target layer by the average gradient of the "
                    "class score over that channel, sums the weighted maps and keeps the positive part."),
        "gradcam++": ("Grad-CAM++", "Like Grad-CAM, but weights only the positive gradients, by a factor from "
                      "second- and third-order terms, so several instances of a class all light up."),
        "xgradcam": ("XGrad-CAM", "Grad-CAM with each gradient weighted by its normalised activation, chosen "
                     "so the map satisfies two axioms (sensitivity and conservation)."),
        "layercam": ("Layer-CAM", "Multiplies each activation by its own positive gradient, position by "
                     "position, instead of one weight per channel: sharper maps, also on early layers."),
        "hirescam": ("HiResCAM", "Multiplies gradient and activation element by element before summing "
                     "channels: provably shows the locations the score depends on."),
        "scorecam": ("Score-CAM", "No gradients: each channel, upsampled, masks the input; the channel's "
                     "weight is how much class score the masked image keeps. One forward pass per channel, so on "
                     "big layers only the strongest channels that fit in about 6 s."),
        "eigencam": ("Eigen-CAM", "No gradients and no class: the first principal component of the "
                     "layer's activations, the pattern that varies most. The class picker does not change it."),
    },
    "fm_heading": "### Feature maps",
    "fm_intro": "Every channel of a layer is an image: bright where that channel's filter matched. Channels "
    "are sorted by mean activation (strongest first), each scaled to its own range. Click a tile to "
    "enlarge it.",
    "fm_layer": "Layer",
    "fm_layer_info": "Any layer with a spatial output; a shared module (ResNet's relu) shows its last call.",
    "fm_rank": "Channel to enlarge (1 = strongest)",
    "fm_grid": "Channels",
    "fm_enlarged": "Enlarged channel",
    "fm_caption": "`{layer}` ({kind}): {channels} channels of {h}×{w}; showing the {shown} strongest.",
    "fm_channel_title": "{layer}, channel {channel} (rank {rank} of {total})",
    "filters_heading": "### First-layer filters",
    "filters_caption": "`{layer}`: {n} filters of {c}×{k}×{k}, each shown as an RGB tile (grey = 0; a filter "
    "that likes red looks red). Trained filters look like edges, blobs and colour contrasts; random ones "
    "look like noise.",
    "filters": "Filters",
    "no_image": "Pick an example, upload an image, paste one or take a photo first.",
    # Progress, layer labels and the plot's colour bar (formatted by the handlers, as the captions above).
    "p_loading": "Loading the network",
    "p_running": "Running the network",
    "p_method": "{method} on {layer}",
    "p_score": "Score-CAM on {layer}: {done} of {total} channels",
    "layer_label": "stage {stage} · {h}×{w} │ {name} · {kind} · {c} ch{twice}",
    "runs_twice": " · runs {n}×",
    "activation": "activation",
}

# The Chinese (the course notes' terms), for browsers whose locale is zh-CN: the static text, and the sentences
# the handlers format (say).
TEXT_ZH = {
    "title": "网络内部",
    "intro": "### 网络在看哪里？\n"
    "给它一张图像。**特征图**显示每一层对什么有响应；**类激活图**（CAM）显示图像中支持某个类别的证据位于何处。"
    "从下面选一个示例，或者上传、粘贴、拍摄你自己的图像。",
    "image": "图像",
    "examples": "示例：照片（公有领域，来自 scikit-image）和 Shapes 图像",
    "model": "网络",
    "model_info": "CAM 所用的层默认为网络的最后一个卷积阶段。",
    "weights": "权重",
    "weights_info": "自动：ImageNet 权重已缓存或可下载时用它，否则用 CNN Lab 自带的 Shapes 模型（仅限它的架构），"
    "再否则用随机权重。检查点：CNN Lab 训练出的网络（见下方）。",
    "w_auto": "自动",
    "w_imagenet": "ImageNet",
    "w_shapes": "Shapes（自带）",
    "w_random": "随机",
    "w_checkpoint": "检查点",
    "ckpt_heading": "你自己的权重：检查点，或手动提供的 ImageNet 权重",
    "ckpt_file": "权重文件（.pt、.pth）",
    "ckpt_info": "上传 CNN Lab 写出的检查点（训练页下载的文件，或 `python -m lab.train --out`）：使用其中的网络和类别。"
    "离线时，上传所选网络的 torchvision ImageNet 文件（如 `resnet18-f37072fd.pth`，在能上网的电脑上下载）：检查无误后"
    "存入权重缓存，之后 ImageNet 权重就像下载过一样可用。",
    "latest_run": "使用训练页最近一次的训练",
    "failed": "**此设置没有结果**：角落里的消息说明了要改什么。",
    "run": "看看内部",
    "seen": "网络实际得到的输入",
    "predictions": "Top-5 预测",
    "cam_heading": "### 类激活图",
    "cam_intro": "并排比较两张图：同一层上的两种方法，或同一种方法在两个层上（更深的层对类别了解更多，更浅的层"
    "分辨率更高）。",
    "method": "方法",
    "method_b": "方法（右）",
    "layer": "目标层",
    "layer_b": "目标层（右）",
    "layer_info": "阶段（每种分辨率一个）· 特征图大小 │ 模块名 · 类型 · 输出通道数。可输入文字搜索。",
    "method_info": "Score-CAM 每个通道要做一次前向传播：它只为约 6 秒内来得及的最强通道打分，并说明用了多少个。",
    "target": "类别",
    "target_info": "显示哪个类别的证据：默认是 top-1 预测，也可以另选一个类别。",
    "top1": "Top-1 预测",
    "opacity": "热力图不透明度",
    "cam_left": "左图",
    "cam_right": "右图",
    "fm_heading": "### 特征图",
    "fm_intro": "一层中的每个通道都是一张图像：该通道的卷积核匹配上的地方就亮。通道按平均激活值排序（最强的在前），"
    "每个通道按各自的取值范围缩放。点击一个小图即可放大。",
    "fm_layer": "层",
    "fm_layer_info": "任何输出带空间维度的层；被多次调用的共用模块（如 ResNet 的 relu）显示最后一次调用的结果。",
    "fm_rank": "要放大的通道（1 = 最强）",
    "fm_grid": "各通道",
    "fm_enlarged": "放大的通道",
    "filters_heading": "### 第一层卷积核",
    "filters": "卷积核",
    "no_run": "训练页还没有完成的训练：请先在那里训练一个网络，或上传一个检查点。",
    "weights_imagenet": "**权重：** {detail}。预测使用 ImageNet 的 1000 个类别。",
    "weights_shapes": "**权重：** {detail}。它只认识这几个类别，所以一张照片也会被硬归入其中之一。",
    "weights_checkpoint": "**权重：** {detail}。预测使用它自己的类别。",
    "weights_random": "<div style='padding:.6em;border-radius:6px;background:#fff3cd;color:#5c4400'>"
    "⚠️ <b>随机权重</b>（{detail}）：网络什么都还没学到，所以这些预测、热力图和特征图<b>毫无意义</b>。{reason}</div>",
    "weights_fallback": "（{reason}）",
    "seen_caption": "**逐步预处理**（裁剪框之外的边缘网络永远看不到）：",
    "after_norm": "归一化之后，每个通道在 ImageNet 上的均值 ≈ 0、标准差 ≈ 1：这里是 {stats}。",
    "score_plan": "在 {layer} 上做 Score-CAM：{total} 个通道中最强的 {k} 个，约 {s:.0f} 秒。",
    "score_caption": " Score-CAM 为 {total} 个通道中最强的 {k} 个打了分（按平均激活值）；其余通道的权重为 0。",
    "cam_caption": "**{method}** 作用于 `{layer}`，类别 **{label}**（p = {prob:.1%}）。红色：证据最多；蓝色：没有证据。",
    "fm_caption": "`{layer}`（{kind}）：{channels} 个 {h}×{w} 的通道；显示最强的 {shown} 个。",
    "fm_channel_title": "{layer}，通道 {channel}（{total} 个中排第 {rank}）",
    "filters_caption": "`{layer}`：{n} 个 {c}×{k}×{k} 的卷积核，每个显示为一个 RGB 小图（灰色 = 0；偏好红色的卷积核看起来是"
    "红的）。训练过的卷积核像边缘、斑点和颜色对比；随机的看起来像噪声。",
    "no_image": "请先选一个示例、上传图像、粘贴一张或拍一张照片。",
    "p_loading": "正在加载网络",
    "p_running": "正在运行网络",
    "p_method": "{layer} 上的 {method}",
    "p_score": "{layer} 上的 Score-CAM：已完成 {total} 个通道中的 {done} 个",
    "layer_label": "阶段 {stage} · {h}×{w} │ {name} · {kind} · {c} 通道{twice}",
    "runs_twice": " · 运行 {n} 次",
    "activation": "激活值",
}

# What each CAM method computes, in Chinese; the method names stay as they are.
_METHODS_ZH = {
    "gradcam": "把类别得分对目标层每个通道的梯度在该通道上取平均，作为这个通道的权重；将加权后的特征图相加，"
    "只保留正的部分。",
    "gradcam++": "与 Grad-CAM 类似，但只对正梯度加权，权重因子来自二阶和三阶项，这样同一类别的多个实例都会被点亮。",
    "xgradcam": "Grad-CAM 的变体：每个梯度再乘以归一化后的激活值，这样选取权重是为了让图满足两条公理"
    "（敏感性和守恒性）。",
    "layercam": "不是每个通道一个权重，而是逐位置地把每个激活值乘以它自己的正梯度：图更清晰，在浅层上也是如此。",
    "hirescam": "先把梯度与激活值逐元素相乘，再对通道求和：可以证明，它显示的正是类别得分所依赖的位置。",
    "scorecam": "不用梯度：每个通道上采样后作为掩码遮住输入；该通道的权重就是遮挡后的图像还保留多少类别得分。"
    "每个通道做一次前向传播，所以在通道多的层上只取约 6 秒内来得及的最强通道。",
    "eigencam": "既不用梯度，也不看类别：取该层激活值的第一主成分，即变化最大的模式。选择类别不会改变它。",
}
TEXT["methods_md"] = _method_table(TEXT["methods_heading"], ("Method", "What it computes"), TEXT["methods"])
TEXT_ZH["methods_md"] = _method_table(
    "#### 每种方法计算什么", ("方法", "计算内容"), {k: (name, _METHODS_ZH[k]) for k, (name, _) in TEXT["methods"].items()}
)
