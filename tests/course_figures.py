"""Figures from the course notes (/work/shared/seeds/) and the papers that more than one test file checks.

Plain data, written out as the sources print them, so a test compares lab's numbers with the course's and
not with a number lab computed itself.
"""

# 000_…txt, "EfficientNet(B0-B7)参数": width, depth, resolution, dropout of each preset.
EFFICIENTNET_SETTINGS = {
    "B0": (1.0, 1.0, 224, 0.2),
    "B1": (1.0, 1.1, 240, 0.2),
    "B2": (1.1, 1.2, 260, 0.3),
    "B3": (1.2, 1.4, 300, 0.3),
    "B4": (1.4, 1.8, 380, 0.4),
    "B5": (1.6, 2.2, 456, 0.4),
    "B6": (1.8, 2.6, 528, 0.5),
    "B7": (2.0, 3.1, 600, 0.5),
}

# 003_…txt: paper Table 1, EfficientNet-B0.
EFFICIENTNET_B0_TABLE = [  # stage, operator, input resolution, channels, layers
    (1, "Conv3x3", 224, 32, 1),
    (2, "MBConv1, k3x3", 112, 16, 1),
    (3, "MBConv6, k3x3", 112, 24, 2),
    (4, "MBConv6, k5x5", 56, 40, 2),
    (5, "MBConv6, k3x3", 28, 80, 3),
    (6, "MBConv6, k5x5", 14, 112, 3),
    (7, "MBConv6, k5x5", 14, 192, 4),
    (8, "MBConv6, k3x3", 7, 320, 1),
    (9, "Conv1x1 & Pooling & FC", 7, 1280, 1),
]

# 003_…txt: output channels of stages 1…9 (B1–B7 as the notes tabulate them; B0 is Table 1's column).
# 000_…txt works one out: B6's stem is 32 × 1.8 = 57.6, rounded to the nearest multiple of 8: 56.
EFFICIENTNET_STAGE_CHANNELS = {
    "B0": [row[3] for row in EFFICIENTNET_B0_TABLE],
    "B1": [32, 16, 24, 40, 80, 112, 192, 320, 1280],
    "B2": [32, 16, 24, 48, 88, 120, 208, 352, 1408],
    "B3": [40, 24, 32, 48, 96, 136, 232, 384, 1536],
    "B4": [48, 24, 32, 56, 112, 160, 272, 448, 1792],
    "B5": [48, 24, 40, 64, 128, 176, 304, 512, 2048],
    "B6": [56, 32, 40, 72, 144, 200, 344, 576, 2304],
    "B7": [64, 32, 48, 80, 160, 224, 384, 640, 2560],
}

# MobileNet v1 paper, Tables 6 and 7: (width α, input side) -> (million mult-adds, million parameters).
MOBILENET_V1_PAPER = {
    (1.0, 224): (569, 4.2),
    (0.75, 224): (325, 2.6),
    (0.5, 224): (149, 1.3),
    (0.25, 224): (41, 0.5),
    (1.0, 192): (418, 4.2),
    (1.0, 160): (290, 4.2),
    (1.0, 128): (186, 4.2),
}
