"""What the Train tab's runs share, whichever panel starts them (lab/ui/train.py, lab/ui/train_runs.py): the
queue of runs on this machine, the thread count they are pinned to, and how often their views redraw."""
from __future__ import annotations

import torch

from lab import runs

REFRESH_S = 0.5  # redraw the curves at most twice a second
# The tab's runs are pinned to half the cores: the other half keeps answering the class's requests in the
# other tabs, and a pinned count makes a seeded run bit-reproducible, hence replayable (lab.runs).
THREADS = max(1, torch.get_num_threads() // 2)
QUEUE = runs.TrainQueue()  # the runs waiting or training here: each student's place and wait
