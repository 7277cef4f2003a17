"""The Train tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

Status lines, notes and charts are formatted by the handlers with numbers, in the request's language (``say``,
lab/ui/common.py); the sentences lab writes into them (notes, errors, the device) are translated by
lab/ui/text/errors.py. Class names stay as the data names them. The learning rates quoted in ``mode_info``
are :data:`lab.transfer.MODES`' (tests/ui/test_train_tab.py checks they agree).
"""
from __future__ import annotations

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
    "view_original": "original",
    "view_aug": "augmented {k}",
    "aug_text_none": "No augmentation: only resize to the image size and normalise." + _PREVIEW,
    "aug_text_flip": "Random horizontal flip: half the images are mirrored." + _PREVIEW,
    "aug_text_crop_flip": "The course notes' recipe: RandomResizedCrop (8–100% of the area, aspect 3/4–4/3), "
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
    "shared": "What the class shares: one training run at a time on this machine, in the order of pressing "
    "**Start** (the Inside, Architecture and Scaling tabs keep answering meanwhile, a little slower). Closing "
    "the page stops your run; its checkpoint, with the weights reached, stays in this session for the Inside "
    "tab. A run that trained here before with exactly the same settings is replayed in a few seconds.",
    "curves": "Live curves",
    "results": "### Results",
    "confusion": "Confusion matrix (rows: true class, columns: predicted)",
    "per_class": "Accuracy per class",
    "misclassified": "Misclassified validation images (true → predicted; the most confident mistakes first)",
    "checkpoint": "Checkpoint (state_dict, config, class names; load with lab.checkpoint.load_checkpoint)",
    # Formatted by the handlers with numbers, in the request's language (see lab/ui/common.py).
    "running": "**Training** on {device} · {precision} + {memory_format}{threads} · epoch {epoch}/{epochs} · "
    "step {step}/{total} · {speed:.0f} images/s · ETA {eta}",
    "done": "**Done** in {wall:.0f} s: validation accuracy **{acc:.1%}** (loss {loss:.3f}) after {steps} steps "
    "on {device}.",
    "stopped": "**Stopped** after step {steps} of {total}: validation accuracy **{acc:.1%}** with the weights "
    "reached ({wall:.0f} s).",
    "failed": "**Stopped by a problem:** {error}",
    "not_started": "**Not started:** {error} The last run's results were cleared, as they belong to other settings.",
    "bad_mode": "Choose a training mode: one of {modes}.",
    "queued": "**Waiting for your turn:** {ahead} runs ahead of you, about {wait} min. One run trains at a time "
    "on this machine; **Stop** gives up your place.",
    "queued_one": "**Waiting for your turn:** 1 run ahead of you, about {wait} min. One run trains at a time on "
    "this machine; **Stop** gives up your place.",
    "left_queue": "**Not started:** you gave up your place in the queue. Press **Start** to queue again.",
    "lost": "**Your last run was lost:** the app restarted while it trained, so its curves and checkpoint are "
    "gone. Press **Start** to train it again.",
    "replaying": "**This exact run was trained before on this machine: replaying it…** epoch {epoch}/{epochs} · "
    "step {step}/{total}. Change the seed or any setting to train anew.",
    "replayed": "**Done (replayed):** validation accuracy **{acc:.1%}** (loss {loss:.3f}) after {steps} steps, "
    "exactly as when this run trained here ({wall:.0f} s); the checkpoint is the same file too.",
    "crashed": "**Stopped by a problem:** the run broke off at step {step} with an error inside CNN Lab "
    "({kind}), not because of your settings. Press **Start** to try again; if it happens again, please "
    "report it.",
    "probe": "Engine choice: {choice} (the fastest of a few timed steps per option: {probe}).",
    "wrong_caption": "{true} → {pred}",
    "att_title": "### Attention forming",
    "att_intro": "Eight fixed validation images, each with the Grad-CAM of the network's answer laid over it (red: "
    "where the evidence for that class lies), captured before the first step and after every epoch. Move the "
    "slider: at epoch 0 the random network looks anywhere; as it learns, the heat should gather on the object "
    "(on Shapes: inside its white box) while the answers turn right. Under each picture: ✓ or ✗, the true class → the "
    "predicted one and its probability.",
    "att_epoch": "Epoch (0 = before training)",
    "att_line": "**Epoch {epoch}** of {last} captured · CAM layer `{layer}` · {right} of {n} answers right.",
    "att_box": "Heat inside the objects' boxes: **{mass:.0%}** (epoch 0: {first:.0%}; the boxes cover {area:.0%} "
    "of the images, what heat spread evenly would score).",
    "att_none": "No run in this session has attention frames yet: press Start in the Train tab first.",
    "att_n_epoch": "The epoch",
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
    "thread_1": "1 thread",
    "threads": "{n} threads",
    # What a number box is called in number()'s sentence ("{what} is empty: ...").
    "n_epochs": "Epochs",
    "n_batch": "The batch size",
    "n_lr": "The learning rate",
    "n_size": "The image size",
    "n_train": "The number of training images",
    "n_val": "The number of validation images",
    "n_seed": "The seed",
    # The degradation experiment and the comparison of finished runs (lab/ui/train_runs.py).
    "deg_title": "The degradation experiment (ResNet paper, Fig. 1 and 6)",
    "deg_intro": "A deeper *plain* network should fit its training images at least as well as a shallower one "
    "(the extra layers could be identities), yet it trains **worse**; with shortcut connections the deeper "
    "network trains better. Four networks from the same seed, same data, same recipe (SGD 0.1 with warm-up): plain "
    "and residual at 20 and 56 layers, on Shapes at a small size. About two minutes on a quiet 2-core CPU; it "
    "waits its turn in the training queue like any run. The residual branches start at zero (their last "
    "BatchNorm γ = 0), so a short run shows what the paper's long one does.",
    "deg_epochs": "Experiment: epochs per network",
    "deg_size": "Experiment: image size (px)",
    "deg_n": "Experiment: images per network",
    "deg_start": "Run the experiment",
    "deg_idle": "Press **Run the experiment** to train the four networks one after another.",
    "deg_curves": "Training loss of the four networks",
    "cmp_title": "Compare finished runs (the course's exercise)",
    "cmp_intro": "Every run that finishes in this session is listed here (the experiment's four networks too). "
    "Pick two or more to overlay their curves and compare them; then label a folder of test images with one "
    "of them and download a submission file `id,label`.",
    "cmp_runs": "Runs to compare",
    "cmp_curves": "Loss and accuracy per epoch",
    "cmp_table": "The runs side by side",
    "sub_run": "Run whose checkpoint labels the test images",
    "sub_zip": "Test images: a .zip (any folders; id = file name without extension)",
    "sub_hub": "…or a Hugging Face image-classification dataset (e.g. beans)",
    "sub_split": "Split",
    "sub_go": "Make the submission CSV",
    "sub_file": "Submission (id,label)",
    # Formatted by the handlers.
    "cmp_none_yet": "No run has finished in this session yet: train one or two first (or run the experiment), "
    "then compare them.",
    "cmp_none": "Pick at least two finished runs to compare: none is picked.",
    "cmp_one": "Pick one more run: a comparison needs two or more, and only one is picked.",
    "cmp_columns": ["run", "model", "parameters", "best val. accuracy", "final val. accuracy", "time",
                    "images/s"],
    "train": "train",
    "val": "validation",
    "sub_zip_what": "The zip of test images",
    "sub_no_run": "Pick a finished run first: its checkpoint labels the test images.",
    "sub_no_images": "Upload a .zip of test images, or type the name of a Hugging Face dataset (such as beans).",
    "sub_done": "**{n} images labelled** by run {run}: download the submission below.",
    "sub_skipped": "{n} file(s) skipped (first: {first}).",
    "deg_running": "**Training {name}** (network {k} of 4) · epoch {epoch} · step {step}",
    "deg_done": "**Done:** {n} of the 4 networks trained.",
    "deg_stopped": "**Stopped:** {n} of the 4 networks had started; the curves so far are kept.",
    "deg_incomplete": "**No verdict:** the experiment stopped before all four networks finished. Run it again "
    "to the end.",
    "deg_plain_yes": "**Degradation shown:** the deeper plain network trains worse, by more than 5 % (final "
    "training loss {a} at 20 layers, {b} at 56).",
    "deg_plain_no": "**Degradation not shown in this run:** the deeper plain network did not train more than 5 % "
    "worse ({a} at 20 layers, {b} at 56).",
    "deg_res_yes": "**The residual version does not degrade:** ResNet-56 ends at most 5 % behind ResNet-20, or "
    "ahead ({a} and {b}); in the paper's Fig. 6, after 64,000 steps, it is clearly ahead.",
    "deg_res_no": "**The residual half is not shown in this short run:** ResNet-56 ({b}) is still behind "
    "ResNet-20 ({a}); it needs more epochs to overtake (the paper trains for 64,000 steps).",
}

# The Chinese (the course notes' terms), for browsers whose locale is zh-CN: the static text, and the status
# lines, notes and charts the handlers format (say).
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
    "view_original": "原图",
    "view_aug": "增强 {k}",
    "aug_text_none": "不做增强：只缩放到图像尺寸并归一化。" + _PREVIEW_ZH,
    "aug_text_flip": "随机水平翻转：一半图像被镜像。" + _PREVIEW_ZH,
    "aug_text_crop_flip": "课程笔记中的做法：RandomResizedCrop（面积 8–100%，宽高比 3/4–4/3）、水平翻转、归一化。"
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
    "shared": "全班共享的是：这台机器一次只进行一个训练，按按下 **开始** 的先后顺序排队（训练期间，网络内部、"
    "网络结构和网络缩放页照常响应，只是稍慢）。关闭页面会停止你的训练；它的检查点（训练到当时的权重）会保留在本次"
    "会话中，供网络内部页使用。设置完全相同、之前在这里训练过的训练会在几秒内回放。",
    "queued": "**正在排队：** 你前面还有 {ahead} 个训练，大约 {wait} 分钟。这台机器一次只训练一个；按 **停止** "
    "可放弃你的位置。",
    "queued_one": "**正在排队：** 你前面还有 1 个训练，大约 {wait} 分钟。这台机器一次只训练一个；按 **停止** "
    "可放弃你的位置。",
    "left_queue": "**未开始：** 你已放弃排队的位置。按 **开始** 重新排队。",
    "lost": "**你上一次的训练已丢失：** 训练进行时应用重启了，它的曲线和检查点都没有了。按 **开始** 重新训练。",
    "replaying": "**这个完全相同的训练之前在这台机器上训练过：正在回放……** 第 {epoch}/{epochs} 轮 · "
    "第 {step}/{total} 步。更改随机种子或任何设置即可重新训练。",
    "replayed": "**完成（回放）：** 经过 {steps} 步，验证准确率 **{acc:.1%}**（损失 {loss:.3f}），与这个训练当初在这里"
    "训练时完全相同（{wall:.0f} 秒）；检查点也是同一个文件。",
    "crashed": "**因问题而停止：** 训练在第 {step} 步因 CNN Lab 内部的错误（{kind}）中断，并非你的设置所致。按 "
    "**开始** 再试一次；如果再次发生，请报告。",
    "curves": "实时曲线",
    "results": "### 结果",
    "confusion": "混淆矩阵（行：真实类别，列：预测类别）",
    "per_class": "各类别准确率",
    "misclassified": "被分错的验证图像（真实 → 预测；最自信的错误排在前面）",
    "checkpoint": "检查点（state_dict、配置、类别名；用 lab.checkpoint.load_checkpoint 加载）",
    "device": "设备：{device}（有 GPU 时用 GPU，否则用 CPU）。",
    "gpu": "CUDA GPU",
    "running": "**训练中**，设备 {device} · {precision} + {memory_format}{threads} · 第 {epoch}/{epochs} 轮 · "
    "第 {step}/{total} 步 · {speed:.0f} 张图像/秒 · 预计还需 {eta}",
    "done": "**完成**，用时 {wall:.0f} 秒：在 {device} 上训练 {steps} 步后，验证准确率 **{acc:.1%}**（损失 {loss:.3f}）。",
    "stopped": "**已停止**，停在第 {steps}/{total} 步：用已达到的权重，验证准确率 **{acc:.1%}**（{wall:.0f} 秒）。",
    "failed": "**因问题而停止：** {error}",
    "not_started": "**未开始：** {error} 上一次训练的结果已清除，因为它们属于别的设置。",
    "bad_mode": "请选择训练模式：{modes} 之一。",
    "probe": "引擎选择：{choice}（每个选项计时几步，取最快的：{probe}）。",
    "no_zip": "请先上传按类别分文件夹的 .zip（或选择别的数据集）。",
    "loss_title": "损失",
    "acc_title": "准确率",
    "speed_title": "吞吐量",
    "train_loss": "训练损失（每步）",
    "train_loss_avg": "训练损失（平滑）",
    "val_loss": "验证损失（每轮）",
    "val_acc": "验证准确率",
    "train_acc": "训练准确率",
    "speed": "图像/秒",
    "step": "步",
    "epoch": "轮",
    "predicted": "预测",
    "true": "真实",
    "thread_1": "1 个线程",
    "threads": "{n} 个线程",
    "n_epochs": "轮数",
    "n_batch": "批量大小",
    "n_lr": "学习率",
    "n_size": "图像尺寸",
    "n_train": "训练图像数",
    "n_val": "验证图像数",
    "n_seed": "随机种子",
    "deg_title": "退化实验（ResNet 论文图 1 和图 6）",
    "deg_intro": "更深的*普通*网络本应至少和较浅的网络一样拟合训练图像（多出的层可以是恒等映射），但它反而训练得**更差**；"
    "加上捷径连接后，更深的网络训练得更好。四个网络使用同一个随机种子、同样的数据和同样的训练方法（SGD 0.1，带预热）："
    "20 层和 56 层的普通网络与残差网络，在小尺寸的 Shapes 上训练。在空闲的双核 CPU 上大约两分钟；它和其他训练一样在训练队列中排队。"
    "残差分支从零开始（最后一个 BatchNorm 的 γ = 0），因此短时间的训练就能显示出论文长时间训练的结果。",
    "deg_epochs": "实验：每个网络的轮数",
    "deg_size": "实验：图像尺寸（px）",
    "deg_n": "实验：每个网络的图像数",
    "deg_start": "运行实验",
    "deg_idle": "按 **运行实验**，依次训练这四个网络。",
    "deg_curves": "四个网络的训练损失",
    "cmp_title": "比较已完成的训练（课程练习）",
    "cmp_intro": "本次会话中完成的每次训练都列在这里（包括实验的四个网络）。选两个或更多，叠加它们的曲线并进行比较；"
    "然后用其中一个为一组测试图像打标签，下载提交文件 `id,label`。",
    "cmp_runs": "要比较的训练",
    "cmp_curves": "每轮的损失和准确率",
    "cmp_table": "训练对照表",
    "sub_run": "用哪次训练的检查点给测试图像打标签",
    "sub_zip": "测试图像：一个 .zip（任意文件夹；编号 = 不带扩展名的文件名）",
    "sub_hub": "……或一个 Hugging Face 图像分类数据集（例如 beans）",
    "sub_split": "数据划分",
    "sub_go": "生成提交 CSV",
    "sub_file": "提交文件（id,label）",
    "cmp_none_yet": "本次会话中还没有完成的训练：请先训练一两次（或运行实验），再来比较。",
    "cmp_none": "请至少选择两次已完成的训练进行比较：目前一个也没有选。",
    "cmp_one": "请再选一次训练：比较需要两个或更多，目前只选了一个。",
    "cmp_columns": ["训练", "模型", "参数量", "最佳验证准确率", "最终验证准确率", "用时", "图像/秒"],
    "train": "训练",
    "val": "验证",
    "sub_zip_what": "测试图像 zip",
    "sub_no_run": "请先选择一次已完成的训练：用它的检查点给测试图像打标签。",
    "sub_no_images": "请上传一个测试图像 .zip，或输入一个 Hugging Face 数据集的名字（例如 beans）。",
    "sub_done": "**已为 {n} 张图像打上标签**（训练 {run}）：请在下方下载提交文件。",
    "sub_skipped": "跳过了 {n} 个文件（第一个：{first}）。",
    "deg_running": "**正在训练 {name}**（第 {k} 个，共 4 个）· 第 {epoch} 轮 · 第 {step} 步",
    "deg_done": "**完成：** 4 个网络中训练了 {n} 个。",
    "deg_stopped": "**已停止：** 4 个网络中有 {n} 个已经开始；保留了到目前为止的曲线。",
    "deg_incomplete": "**没有结论：** 实验在四个网络全部训练完之前就停止了。请重新运行到结束。",
    "deg_plain_yes": "**出现了退化：** 更深的普通网络训练得更差，差了 5% 以上（最终训练损失：20 层 {a}，56 层 {b}）。",
    "deg_plain_no": "**这次没有出现退化：** 更深的普通网络并没有差 5% 以上（20 层 {a}，56 层 {b}）。",
    "deg_res_yes": "**残差版本没有退化：** ResNet-56 的最终损失最多比 ResNet-20 差 5%，或者更好（{a} 和 {b}）；"
    "在论文图 6 中，训练 64,000 步之后它明显更好。",
    "deg_res_no": "**这次短时间的训练没有显示出残差的一半：** ResNet-56（{b}）仍落后于 ResNet-20（{a}）；"
    "它需要更多轮才能超过（论文训练了 64,000 步）。",
    "att_title": "### 注意力的形成",
    "att_intro": "八张固定的验证图像，每张叠加了网络所给答案的 Grad-CAM（红色：该类别证据所在之处），在第一步之前和每个"
    "轮次之后各截取一次。拖动滑块：第 0 轮时随机初始化的网络到处乱看；随着学习，热度应当聚集到物体上（Shapes 中即白框之内），"
    "答案也随之变对。每张图下方：✓ 或 ✗，真实类别 → 预测类别及其概率。",
    "att_epoch": "轮次（0 = 训练之前）",
    "att_line": "已截取到第 {last} 轮，当前 **第 {epoch} 轮** · CAM 层 `{layer}` · {n} 个答案中 {right} 个正确。",
    "att_box": "落在物体框内的热度：**{mass:.0%}**（第 0 轮：{first:.0%}；框占图像面积的 {area:.0%}，即热度均匀分布时的得分）。",
    "att_none": "本会话中还没有带注意力帧的训练：请先在“训练”页按“开始”。",
    "att_n_epoch": "轮次",
}
