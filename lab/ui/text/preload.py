"""The header's line about the pretrained weights fetched at start-up (lab/ui/preload_status.py).

The handler fills in the numbers, so it picks the language itself from the request (both dicts, same keys).
"""
from __future__ import annotations

TEXT = {
    "running": "Preparing pretrained weights: {ready} of {total} ready…",
    "partial": "Pretrained weights: {ready} of {total} ready; the others download when first used.",
    "offline": "Offline: pretrained weights unavailable; random and Shapes weights work.",
    "offline_some": "Offline: {ready} of {total} pretrained weights are here, the others are unavailable; "
    "random and Shapes weights work.",
}

TEXT_ZH = {
    "running": "正在准备预训练权重：已就绪 {ready} / {total}…",
    "partial": "预训练权重：已就绪 {ready} / {total}；其余的会在首次使用时下载。",
    "offline": "离线：预训练权重不可用；随机权重和 Shapes 权重可以使用。",
    "offline_some": "离线：已有 {ready} / {total} 个预训练权重，其余的不可用；随机权重和 Shapes 权重可以使用。",
}
