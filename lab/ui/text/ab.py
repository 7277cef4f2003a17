"""The A/B tab's sentences: English ``TEXT`` and Chinese ``TEXT_ZH`` (the course notes' terms).

The pickers' labels, the weights note, the CAM and feature-map captions and the layer list are the Inside tab's
(lab/ui/text/inside.py): one sentence, one home. Here: what only A/B says.
"""
from __future__ import annotations

TEXT = {
    "title": "A/B",
    "intro": "### Two networks, one image\n"
    "Pick two networks, or one network with two sets of weights (random, and the run you just trained in the "
    "Train tab), and compare side by side what each predicts, where it looks (the CAM of its top-1 class) and "
    "what the chosen layer computes, with its parameters, MACs and speed.",
    "side_a": "### A",
    "side_b": "### B",
    "layer": "Layer (CAM and feature maps)",
    "layer_info": "Empty: the network's default CAM layer. Stage (one per resolution) · map size │ module name · "
    "type · output channels.",
    "run": "Compare",
    "cam": "CAM of the top-1 class",
    "grid": "Feature maps, strongest channels first",
    "note": "**{side} · `{model}`**\n\n{note}",
    "figures": "**{params}** parameters · **{macs}** MACs at {c}×{h}×{w} · **{ms:.1f} ms** per image on this "
    "machine's CPU (the median of {runs} timed forward passes)",
    "same_top1": "Both put **{label}** first",
    "other_top1": "A puts **{a}** first, B **{b}**",
    "shared_top5": "{n} of their top-5 classes are shared",
    "more_confident": "{side} is the more confident ({pa:.1%} against {pb:.1%})",
    "as_confident": "both are as confident ({pa:.1%})",
    "peaks": "their CAM peaks lie {px:.0f} px apart in the photo ({frac:.0%} of its shorter side)",
    "verdict": "**A against B:** {parts}.",
    "join": "; ",
}

TEXT_ZH = {
    "title": "A/B 对比",
    "intro": "### 两个网络，同一张图像\n"
    "选两个网络，或同一个网络的两套权重（随机权重，和你刚在“训练”页训练出的模型），并排比较：各自预测了什么、"
    "看向哪里（top-1 类别的 CAM）、所选层算出了什么，以及它们的参数量、乘加次数（MACs）和速度。",
    "side_a": "### A",
    "side_b": "### B",
    "layer": "层（CAM 与特征图）",
    "layer_info": "留空：网络默认的 CAM 层。阶段（每种分辨率一个）· 特征图大小 │ 模块名 · 类型 · 输出通道数。",
    "run": "比较",
    "cam": "top-1 类别的 CAM",
    "grid": "特征图，最强的通道在前",
    "note": "**{side} 方 · `{model}`**\n\n{note}",
    "figures": "**{params}** 个参数 · 输入 {c}×{h}×{w} 时 **{macs}** 次乘加（MACs）· 在本机 CPU 上每张图像 "
    "**{ms:.1f} ms**（{runs} 次计时前向传播的中位数）",
    "same_top1": "两者都把 **{label}** 排在第一",
    "other_top1": "A 把 **{a}** 排在第一，B 把 **{b}** 排在第一",
    "shared_top5": "两者的 top-5 类别中有 {n} 个相同",
    "more_confident": "{side} 更有把握（{pa:.1%} 对 {pb:.1%}）",
    "as_confident": "两者同样有把握（{pa:.1%}）",
    "peaks": "两张 CAM 的峰值在照片中相距 {px:.0f} px（其短边的 {frac:.0%}）",
    "verdict": "**A 与 B 对比**：{parts}。",
    "join": "；",
}
