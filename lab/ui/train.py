"""The Train tab: a short training run with live curves, on Shapes, your own images or a torchvision set.

The run itself is :func:`lab.train.train` in a background thread (:class:`lab.train.BackgroundRun`); this
module only turns its events into a status line, plotly curves (redrawn at most twice a second) and, at
the end, a confusion matrix, per-class accuracy, the misclassified images and the checkpoint.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile

import gradio as gr
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots
from PIL import Image

from lab import train as T
from lab.ui.common import model_choices, translator, user_errors

REFRESH_S = 0.5  # redraw the curves at most twice a second
STOP_WAIT_S = 180  # how long Stop waits for the run's final evaluation

# Choices: (TEXT key of the label, value the handlers receive).
DATASETS = [("ds_shapes", "shapes"), ("ds_zip", "zip"), ("ds_mnist", "mnist"), ("ds_fashion", "fashion-mnist"),
            ("ds_cifar", "cifar10")]
MODES = [("mode_scratch", "scratch"), ("mode_finetune", "finetune"), ("mode_probe", "linear_probe")]
AUGS = [("aug_none", "none"), ("aug_flip", "flip"), ("aug_crop_flip", "crop_flip"), ("aug_strong", "strong")]
_PREVIEW = " Below: three Shapes images, each original followed by two augmented copies, as the trainer makes them."
_PREVIEW_ZH = "下面是三张 Shapes 图像，每张原图后面跟着两张增强后的副本，与训练时生成的完全一样。"

TEXT = {
    "title": "Train",
    "intro": "## Train a network and watch it learn\n"
    "Press **Start** and the loss falls while you watch. The defaults train a ResNet-18 from scratch on the "
    "built-in *Shapes* images (circles, squares, triangles, stars and crosses on cluttered, noisy "
    "backgrounds) and pass 90% validation accuracy in about two minutes on a 2-core laptop CPU, offline. "
    "The course's exercise, fine-tuning ResNet-50 or EfficientNet-B5, is the same run with another model "
    "and *fine-tune*: it needs ImageNet weights (downloaded when online) and is best on a GPU.",
    "model": "Model",
    "model_info": "Any course network. Small images suit ResNet-18 and the MobileNets; LeNet-5 always sees 32×32.",
    "dataset": "Data",
    "dataset_info": "Shapes is drawn on the fly (no download). MNIST, Fashion-MNIST and CIFAR-10 are downloaded "
    "into data/ when online. Or upload your own images.",
    "ds_shapes": "Shapes (built in)",
    "ds_zip": "Your images (zip)",
    "ds_mnist": "MNIST",
    "ds_fashion": "Fashion-MNIST",
    "ds_cifar": "CIFAR-10",
    "zip": "Your images: a .zip of class folders",
    "zip_help": "Layout: `train/<class>/*.jpg` and optionally `val/<class>/*.jpg`, or just `<class>/*.jpg` "
    "(then 20% of each class is held out for validation). At least two classes; up to 20,000 files and "
    "1 GiB unpacked. Links and paths leaving the folder are refused; unreadable files are skipped and listed.",
    "mode": "Mode",
    "mode_info": "From scratch: random weights, everything learns. Fine-tune: start from ImageNet weights, "
    "everything learns with smaller steps. Linear probe: ImageNet features frozen, only the last layer "
    "learns. Choosing a mode sets a learning rate that suits it (0.002, 0.0005, 0.01).",
    "mode_scratch": "from scratch",
    "mode_finetune": "fine-tune",
    "mode_probe": "linear probe",
    "epochs": "Epochs",
    "epochs_info": "Passes over the training images.",
    "batch": "Batch size",
    "batch_info": "Images per step. Larger is faster per image but gives fewer steps; on a GPU try 128–256.",
    "lr": "Learning rate",
    "lr_info": "Peak step size (AdamW). Warm-up over the first 5% of steps, then cosine decay to 0. "
    "Too high and the loss becomes NaN: the run stops and says so.",
    "size": "Image size (px)",
    "size_info": "Side of the square images the network sees. Cost grows with its square.",
    "aug": "Augmentation",
    "aug_info": "Random changes to each training image, so the network learns the object, not the pixels.",
    "aug_none": "none",
    "aug_flip": "flip",
    "aug_crop_flip": "crop + flip (course notes)",
    "aug_strong": "strong: crop, flip, rotate, colour",
    "aug_text_none": "No augmentation: only resize to the image size and normalise." + _PREVIEW,
    "aug_text_flip": "Random horizontal flip: half the images are mirrored." + _PREVIEW,
    "aug_text_crop_flip": "The course notes' recipe: RandomResizedCrop (25–100% of the area, aspect 3/4–4/3), "
    "horizontal flip, normalise." + _PREVIEW,
    "aug_text_strong": "Crop and flip, plus a rotation of up to ±20° and ±30% brightness, contrast and "
    "saturation." + _PREVIEW,
    "preview": "Augmentation preview",
    "more": "More settings",
    "optimizer": "Optimizer",
    "optimizer_info": "AdamW adapts the step per weight; SGD uses momentum 0.9 (try a learning rate of 0.05).",
    "train_size": "Training images",
    "train_size_info": "Shapes: how many to draw. Other sets: a random subset (0 = all).",
    "val_size": "Validation images",
    "val_size_info": "Held-out images scored after every epoch (0 = all).",
    "seed": "Seed",
    "seed_info": "Same seed, same data, same initial weights.",
    "start": "Start",
    "stop": "Stop",
    "idle": "Press **Start** to train.",
    "device": "Device: {device} (the GPU when there is one, else the CPU).",
    "gpu": "a CUDA GPU",
    "preparing": "**Preparing**: loading the data, building the model and timing a few steps to pick the "
    "fastest precision and memory layout…",
    "nothing": "Nothing is running.",
    "curves": "Live curves",
    "results": "### Results",
    "confusion": "Confusion matrix (rows: true class, columns: predicted)",
    "per_class": "Accuracy per class",
    "misclassified": "Misclassified validation images (true → predicted; the most confident mistakes first)",
    "checkpoint": "Checkpoint (state_dict, config, class names; load with lab.checkpoint.load_checkpoint)",
    # Formatted by the handlers with numbers, so they stay English (see lab/ui/common.py).
    "running": "**Training** on {device} · {precision} + {memory_format}{threads} · epoch {epoch}/{epochs} · "
    "step {step}/{total} · {speed:.0f} images/s · ETA {eta}",
    "done": "**Done** in {wall:.0f} s: validation accuracy **{acc:.1%}** (loss {loss:.3f}) after {steps} steps "
    "on {device}.",
    "stopped": "**Stopped** after step {steps} of {total}: validation accuracy **{acc:.1%}** with the weights "
    "reached ({wall:.0f} s).",
    "failed": "**Stopped by a problem:** {error}",
    "probe": "Engine choice: {choice} (the fastest of a few timed steps per option: {probe}).",
    "wrong_caption": "{true} → {pred}",
    "no_zip": "Upload a .zip of class folders first (or choose another data set).",
    "loss_title": "Loss",
    "acc_title": "Accuracy",
    "speed_title": "Throughput",
    "train_loss": "train loss (per step)",
    "train_loss_avg": "train loss (smoothed)",
    "val_loss": "validation loss (per epoch)",
    "val_acc": "validation accuracy",
    "train_acc": "training accuracy",
    "speed": "images/s",
    "step": "step",
    "epoch": "epoch",
    "predicted": "predicted",
    "true": "true",
}

# The static text in Chinese (the course notes' terms), for browsers whose locale is zh-CN. Status lines,
# notes and charts are formatted by the handlers and stay English.
TEXT_ZH = {
    "title": "训练",
    "intro": "## 训练一个网络，看着它学习\n"
    "按下 **开始**，就能看着损失一路下降。默认设置在内置的 *Shapes* 图像（杂乱、带噪声的背景上的圆形、正方形、"
    "三角形、五角星和十字）上从零训练一个 ResNet-18，在双核笔记本 CPU 上离线运行，大约两分钟即可超过 90% 的验证"
    "准确率。课程练习——微调 ResNet-50 或 EfficientNet-B5——就是换一个模型并选择 *微调* 的同一个训练过程："
    "它需要 ImageNet 预训练权重（联网时自动下载），最好在 GPU 上运行。",
    "model": "网络",
    "model_info": "课程中的任意网络。小图像适合 ResNet-18 和 MobileNet；LeNet-5 的输入总是 32×32。",
    "dataset": "数据",
    "dataset_info": "Shapes 即时生成（无需下载）。MNIST、Fashion-MNIST 和 CIFAR-10 在联网时下载到 data/ 目录。"
    "也可以上传你自己的图像。",
    "ds_shapes": "Shapes（内置）",
    "ds_zip": "你的图像（zip）",
    "ds_mnist": "MNIST（手写数字）",
    "ds_fashion": "Fashion-MNIST（服饰）",
    "ds_cifar": "CIFAR-10（彩色小图）",
    "zip": "你的图像：按类别分文件夹的 .zip",
    "zip_help": "目录结构：`train/<class>/*.jpg`，可选 `val/<class>/*.jpg`；或者只有 `<class>/*.jpg`"
    "（此时每个类别留出 20% 作验证集）。至少两个类别；最多 20,000 个文件、解压后 1 GiB。链接和指向文件夹之外的路径"
    "会被拒绝；无法读取的文件会被跳过并列出。",
    "mode": "模式",
    "mode_info": "从零训练：随机权重，所有层都学习。微调：从 ImageNet 权重出发，所有层以较小的步长学习。线性探测："
    "冻结 ImageNet 特征，只有最后一层学习。选择模式时会设置适合它的学习率（0.002、0.0005、0.01）。",
    "mode_scratch": "从零训练",
    "mode_finetune": "微调",
    "mode_probe": "线性探测",
    "epochs": "轮数（epoch）",
    "epochs_info": "遍历训练图像的次数。",
    "batch": "批量大小",
    "batch_info": "每一步的图像数。越大每张图像越快，但步数越少；在 GPU 上可试 128–256。",
    "lr": "学习率",
    "lr_info": "最大步长（AdamW）。前 5% 的步数线性预热，之后余弦衰减到 0。太大时损失会变成 NaN：训练会停止并说明原因。",
    "size": "图像尺寸（px）",
    "size_info": "网络看到的正方形图像的边长。计算量随它的平方增长。",
    "aug": "数据增强",
    "aug_info": "对每张训练图像做随机变化，让网络学到物体本身，而不是记住像素。",
    "aug_none": "无",
    "aug_flip": "翻转",
    "aug_crop_flip": "裁剪 + 翻转（课程笔记）",
    "aug_strong": "强：裁剪、翻转、旋转、颜色",
    "aug_text_none": "不做增强：只缩放到图像尺寸并归一化。" + _PREVIEW_ZH,
    "aug_text_flip": "随机水平翻转：一半图像被镜像。" + _PREVIEW_ZH,
    "aug_text_crop_flip": "课程笔记中的做法：RandomResizedCrop（面积 25–100%，宽高比 3/4–4/3）、水平翻转、归一化。"
    + _PREVIEW_ZH,
    "aug_text_strong": "裁剪和翻转，再加最多 ±20° 的旋转以及 ±30% 的亮度、对比度和饱和度变化。" + _PREVIEW_ZH,
    "preview": "数据增强预览",
    "more": "更多设置",
    "optimizer": "优化器",
    "optimizer_info": "AdamW 为每个权重自适应步长；SGD 使用 0.9 的动量（学习率可试 0.05）。",
    "train_size": "训练图像数",
    "train_size_info": "Shapes：生成多少张。其他数据集：随机取的子集（0 = 全部）。",
    "val_size": "验证图像数",
    "val_size_info": "每轮结束后评估的留出图像（0 = 全部）。",
    "seed": "随机种子",
    "seed_info": "相同的种子，相同的数据，相同的初始权重。",
    "start": "开始",
    "stop": "停止",
    "idle": "按 **开始** 进行训练。",
    "preparing": "**准备中**：加载数据、搭建模型，并计时几步以选出最快的精度和内存布局……",
    "nothing": "当前没有正在运行的训练。",
    "curves": "实时曲线",
    "results": "### 结果",
    "confusion": "混淆矩阵（行：真实类别，列：预测类别）",
    "per_class": "各类别准确率",
    "misclassified": "被分错的验证图像（真实 → 预测；最自信的错误排在前面）",
    "checkpoint": "检查点（state_dict、配置、类别名；用 lab.checkpoint.load_checkpoint 加载）",
}


i18n = translator(__name__, TEXT)  # i18n("model"): the label in the browser's language


def _choices(pairs: list[tuple[str, str]]) -> list:
    """Radio/Dropdown choices with translated labels; handlers still receive the English values."""
    return [(i18n(key), value) for key, value in pairs]


# -------------------------------------------------------------------------------------------- events


def _config(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
            out: str | None) -> T.TrainConfig:
    if dataset == "zip":
        if not zip_file:
            raise ValueError(TEXT["no_zip"])
        dataset = zip_file if isinstance(zip_file, str) else zip_file.name
    pretrained, freeze = T.MODES[mode]
    return T.TrainConfig(
        model=model, dataset=dataset, epochs=int(epochs), batch_size=int(batch), lr=float(lr),
        optimizer=optimizer, image_size=int(size), pretrained=pretrained, freeze_backbone=freeze,
        augmentation=aug, train_size=int(train_size), val_size=int(val_size), seed=int(seed), out=out,
    )


def _eta(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def _status(events: list[dict]) -> str:
    start = next((e for e in events if e["kind"] == "start"), None)
    final = events[-1] if events and events[-1].get("done") else None
    if final:
        key = "failed" if final["error"] else "stopped" if final["stopped"] else "done"
        return TEXT[key].format(
            wall=final["wall_s"], acc=final["val_acc"], loss=final["val_loss"], steps=final["steps"],
            total=final["total_steps"], device=start["device"] if start else "", error=final["error"],
        )
    if start is None:
        return i18n("preparing")
    step = next((e for e in reversed(events) if e["kind"] == "step"), None)
    return TEXT["running"].format(
        device=start["device"], precision=start["precision"], memory_format=start["memory_format"],
        threads=_threads(step["threads"] if step else start["threads"]),
        epoch=step["epoch"] if step else 1, epochs=start["epochs"], step=step["step"] if step else 0,
        total=start["total_steps"], speed=step["images_per_sec"] if step else 0,
        eta=_eta(step["eta_s"]) if step else "…",
    )


def _threads(n: int | None) -> str:
    return f" · {n} thread{'s' if n != 1 else ''}" if n else ""


def _notes(events: list[dict]) -> str:
    lines = [e["message"] for e in events if e["kind"] == "note"]
    start = next((e for e in events if e["kind"] == "start"), None)
    if start and start["probe"]:
        probe = ", ".join(f"{k} {v:.0f} img/s" for k, v in start["probe"].items())
        choice = f"{start['precision']} + {start['memory_format']}"
        if start["threads"]:
            choice += f", {start['threads']} thread{'s' if start['threads'] != 1 else ''}"
        lines.append(TEXT["probe"].format(choice=choice, probe=probe))
    return "\n".join(f"- {line}" for line in lines)


def curves_figure(events: list[dict]) -> go.Figure:
    """Loss per step (and per epoch), accuracy per epoch and throughput per step, side by side."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=(TEXT["loss_title"], TEXT["acc_title"], TEXT["speed_title"]))
    steps = [e for e in events if e["kind"] == "step"]
    epochs = [e for e in events if e["kind"] == "epoch"]
    stride = max(1, len(steps) // 600)  # a long run keeps at most ~600 points per line
    shown = steps[::stride]
    xs = [e["step"] for e in shown]
    fig.add_trace(go.Scatter(x=xs, y=[e["train_loss"] for e in shown], name=TEXT["train_loss"], mode="lines",
                             line=dict(width=1, color="rgba(99,110,250,0.35)")), 1, 1)
    smooth, avg = [], None
    for e in steps:  # exponential moving average, as TensorBoard's smoothing
        avg = e["train_loss"] if avg is None else 0.9 * avg + 0.1 * e["train_loss"]
        smooth.append(avg)
    fig.add_trace(go.Scatter(x=xs, y=smooth[::stride], name=TEXT["train_loss_avg"], mode="lines",
                             line=dict(width=2, color="#636efa")), 1, 1)
    fig.add_trace(go.Scatter(x=[e["step"] for e in epochs], y=[e["val_loss"] for e in epochs], name=TEXT["val_loss"],
                             mode="lines+markers", line=dict(color="#ef553b")), 1, 1)
    fig.add_trace(go.Scatter(x=[e["epoch"] for e in epochs], y=[e["val_acc"] for e in epochs], name=TEXT["val_acc"],
                             mode="lines+markers", line=dict(color="#ef553b")), 1, 2)
    fig.add_trace(go.Scatter(x=[e["epoch"] for e in epochs], y=[e["train_acc"] for e in epochs],
                             name=TEXT["train_acc"], mode="lines+markers", line=dict(color="#636efa", dash="dot")), 1, 2)
    fig.add_trace(go.Scatter(x=xs, y=[e["images_per_sec"] for e in shown], name=TEXT["speed"], mode="lines",
                             line=dict(color="#00a67e")), 1, 3)
    fig.update_xaxes(title_text=TEXT["step"], row=1, col=1)
    fig.update_xaxes(title_text=TEXT["epoch"], row=1, col=2, dtick=1)
    fig.update_xaxes(title_text=TEXT["step"], row=1, col=3)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_yaxes(rangemode="tozero", row=1, col=3)
    fig.update_layout(height=340, margin=dict(l=40, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.25),
                      uirevision="train")  # keep the user's zoom between redraws
    return fig


def confusion_figure(final: dict) -> go.Figure:
    names = final["class_names"]
    fig = go.Figure(go.Heatmap(z=final["confusion"], x=names, y=names, colorscale="Blues", texttemplate="%{z}",
                               hovertemplate=f"{TEXT['true']} %{{y}}<br>{TEXT['predicted']} %{{x}}<br>%{{z}}<extra></extra>"))
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=50, b=10), xaxis_title=TEXT["predicted"],
                      yaxis_title=TEXT["true"], yaxis_autorange="reversed")
    return fig


def per_class_figure(final: dict) -> go.Figure:
    acc = final["per_class_acc"]
    fig = go.Figure(go.Bar(x=acc, y=final["class_names"], orientation="h", text=[f"{a:.0%}" for a in acc],
                           marker_color="#636efa"))
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=50, b=10), xaxis=dict(range=[0, 1.05], tickformat=".0%"),
                      yaxis_autorange="reversed")
    return fig


def _gallery(final: dict) -> list[tuple[Image.Image, str]]:
    out = []
    for ex in final["misclassified"]:
        img = Image.fromarray(ex["image"]).resize((96, 96), Image.NEAREST if ex["image"].shape[0] < 48 else Image.BILINEAR)
        out.append((img, TEXT["wrong_caption"].format(**ex)))
    return out


def _render(run: T.BackgroundRun, finished: bool) -> tuple:
    """The outputs of Start (each redraw) and Stop: status, notes, curves, then the results block."""
    events = list(run.events)
    final = run.final if finished else None
    head = (_status(events), _notes(events), curves_figure(events))
    if final is None:  # the results of an earlier run hide while this one goes
        return head + (gr.update(visible=False), gr.update(), gr.update(), gr.update(), gr.update())
    return head + (
        gr.update(visible=True),
        confusion_figure(final),
        per_class_figure(final),
        _gallery(final),
        final["checkpoint"],
    )


def _checkpoint_path(session: dict, model: str) -> str:
    old = session.get("dir")
    if old:  # one checkpoint per browser session: the previous run's goes
        shutil.rmtree(old, ignore_errors=True)
    session["dir"] = tempfile.mkdtemp(prefix="cnnlab-train-")
    return os.path.join(session["dir"], f"{re.sub(r'[^A-Za-z0-9_.-]', '_', model)}.pt")


@user_errors
def start(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
          session: dict):
    """Start a run and stream its status and curves; the last update adds the results."""
    config = _config(model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size,
                     val_size, seed, out=None)
    config.validate()
    previous = session.get("run")
    if previous is not None:
        previous.stop.set()
    config.out = _checkpoint_path(session, model)
    run = T.BackgroundRun(config).start()
    session["run"] = run
    try:
        while True:
            finished = run.finished.wait(REFRESH_S)
            if finished and run.error is not None:  # say it in the status line too, then as an error toast
                message = str(run.error) if isinstance(run.error, ValueError) else type(run.error).__name__
                yield (TEXT["failed"].format(error=message),) + (gr.update(),) * 7
                raise run.error
            yield _render(run, finished)
            if finished:
                return
    finally:
        run.stop.set()  # cancelled (Stop, or the page closed): end the run at its next step


@user_errors
def stop(session: dict):
    """Set the run's stop flag, wait for its final evaluation and show it (Start's event is cancelled)."""
    run = session.get("run")
    if run is None:
        return (i18n("nothing"),) + (gr.update(),) * 7
    run.stop.set()
    run.finished.wait(STOP_WAIT_S)
    if run.error is not None:
        raise run.error
    return _render(run, run.finished.is_set())


@user_errors
def preview(aug: str) -> list[tuple[Image.Image, str]]:
    """Original Shapes images and augmented copies, as the trainer would make them."""
    return T.preview_augmentation(aug, views=3, image_size=96)


# A learning rate that suits each mode (AdamW): new weights need large steps, pretrained ones small steps,
# and a lone linear layer on frozen features can take larger ones still.
MODE_LR = {"scratch": 2e-3, "finetune": 5e-4, "linear_probe": 1e-2}


def _aug_text(aug: str):
    return i18n(f"aug_text_{aug}")


def _dataset_changed(dataset: str):
    return gr.update(visible=dataset == "zip"), gr.update(visible=dataset == "zip")


# --------------------------------------------------------------------------------------------- layout


def build() -> None:
    """Fill the current gr.Tab."""
    defaults = T.TrainConfig()
    session = gr.State({})  # per browser session: the current run (its stop flag) and checkpoint folder
    gr.Markdown(i18n("intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=360):
            model = gr.Dropdown(model_choices(), value=defaults.model, label=i18n("model"), info=i18n("model_info"))
            dataset = gr.Radio(_choices(DATASETS), value="shapes", label=i18n("dataset"), info=i18n("dataset_info"))
            zip_file = gr.File(label=i18n("zip"), file_types=[".zip"], type="filepath", visible=False)
            zip_help = gr.Markdown(i18n("zip_help"), visible=False, elem_classes=["explain"])
            mode = gr.Radio(_choices(MODES), value="scratch", label=i18n("mode"), info=i18n("mode_info"))
            epochs = gr.Slider(1, 50, value=defaults.epochs, step=1, label=i18n("epochs"), info=i18n("epochs_info"))
            size = gr.Slider(32, 320, value=defaults.image_size, step=16, label=i18n("size"), info=i18n("size_info"))
            with gr.Row():
                batch = gr.Dropdown([8, 16, 32, 64, 128, 256], value=defaults.batch_size, label=i18n("batch"),
                                    info=i18n("batch_info"))
                lr = gr.Number(value=defaults.lr, label=i18n("lr"), info=i18n("lr_info"), minimum=1e-6, maximum=10)
            aug = gr.Dropdown(_choices(AUGS), value=defaults.augmentation, label=i18n("aug"), info=i18n("aug_info"))
            aug_text = gr.Markdown(_aug_text(defaults.augmentation), elem_classes=["explain"])
            gallery = gr.Gallery(T.preview_augmentation(defaults.augmentation, views=3, image_size=96),
                                 label=i18n("preview"), show_label=False, columns=3, height="auto",
                                 object_fit="contain", allow_preview=False, elem_id="train-aug-preview")
            with gr.Accordion(i18n("more"), open=False):
                optimizer = gr.Radio(list(T.OPTIMIZERS), value=defaults.optimizer, label=i18n("optimizer"),
                                     info=i18n("optimizer_info"))
                train_size = gr.Number(value=defaults.train_size, precision=0, minimum=0, label=i18n("train_size"),
                                       info=i18n("train_size_info"))
                val_size = gr.Number(value=defaults.val_size, precision=0, minimum=0, label=i18n("val_size"),
                                     info=i18n("val_size_info"))
                seed = gr.Number(value=defaults.seed, precision=0, label=i18n("seed"), info=i18n("seed_info"))
        with gr.Column(scale=2):
            with gr.Row():
                start_btn = gr.Button(i18n("start"), variant="primary", elem_id="train-start")
                stop_btn = gr.Button(i18n("stop"), variant="stop", elem_id="train-stop")
            device = TEXT["gpu"] if torch.cuda.is_available() else T.device_label(torch.device("cpu"))
            status = gr.Markdown(i18n("idle"), elem_id="train-status")
            notes = gr.Markdown(f"- {TEXT['device'].format(device=device)}", elem_id="train-notes")
            curves = gr.Plot(label=i18n("curves"), elem_id="train-curves")
            with gr.Column(visible=False, elem_id="train-results") as results:
                gr.Markdown(i18n("results"))
                with gr.Row():
                    confusion = gr.Plot(label=i18n("confusion"))
                    per_class = gr.Plot(label=i18n("per_class"))
                wrong = gr.Gallery(label=i18n("misclassified"), columns=4, height="auto", object_fit="contain",
                                   allow_preview=True, elem_id="train-wrong")
                checkpoint = gr.File(label=i18n("checkpoint"), interactive=False, elem_id="train-checkpoint")

    inputs = [model, dataset, zip_file, mode, epochs, batch, lr, size, aug, optimizer, train_size, val_size, seed,
              session]
    outputs = [status, notes, curves, results, confusion, per_class, wrong, checkpoint]
    run_event = start_btn.click(
        start, inputs, outputs, api_name="train", concurrency_id="gpu", concurrency_limit=1,
        show_progress="minimal",
    )
    stop_btn.click(stop, [session], outputs, cancels=[run_event], api_visibility="private")
    dataset.change(_dataset_changed, dataset, [zip_file, zip_help], api_visibility="private", queue=False)
    aug.change(preview, aug, gallery, api_visibility="private")
    aug.change(_aug_text, aug, aug_text, api_visibility="private", queue=False)
    mode.change(lambda m: MODE_LR[m], mode, lr, api_visibility="private", queue=False)
