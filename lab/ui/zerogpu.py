"""``@gpu(duration)``: a ZeroGPU slice for the call, on a ZeroGPU Space; nothing at all anywhere else.

On ZeroGPU hardware a Space holds no GPU between requests: a function decorated with ``spaces.GPU`` gets one
for at most ``duration`` seconds per call, from ZeroGPU's own queue (shorter durations are served sooner;
the visitor's daily GPU quota pays). The ``spaces`` package is installed on every Gradio Space, and
app.py imports it before torch as ZeroGPU requires. Here, on CI or on CPU hardware the decorator
returns the function itself, so nothing changes where there is no ZeroGPU.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Mapping

try:
    import spaces
except ImportError:  # not on a Space
    spaces = None

# Seconds of GPU a call may hold. ZeroGPU refuses a call that asks for more than the visitor's remaining daily
# quota (2 min without an account, 3.5 min signed in, 25 min PRO), and serves short requests sooner.
TRAIN_S = 90  # a Train-tab run: the default epochs of Shapes take seconds on a GPU slice; a fine-tune more
# The Inside tab's requests stay on the CPU, on ZeroGPU too: a CAM of the shipped Shapes model takes 0.07 s and a
# ResNet-50 CAM at 224 px under a second on two cores, less than ZeroGPU's wait for a slice, and cached results
# cost nothing (lab/ui/serving.py, cached). Nothing but training is worth a visitor's GPU quota.


def zerogpu_on(env: Mapping[str, str] = os.environ) -> bool:
    """Whether this process runs on ZeroGPU hardware (the ``spaces`` package's own test: SPACES_ZERO_GPU)."""
    return spaces is not None and env.get("SPACES_ZERO_GPU", "").strip().lower() in ("1", "t", "true")


def gpu(duration: int | Callable[..., int], env: Mapping[str, str] = os.environ) -> Callable[[Callable], Callable]:
    """A decorator: ``spaces.GPU(duration=duration)`` on ZeroGPU, else the identity (the same function back).
    ``duration`` is seconds, or (as ``spaces.GPU`` allows) a function of the handler's arguments giving them.

    Works for generator handlers too (``spaces.GPU`` streams their yields). On ZeroGPU the decorated call runs
    in a forked worker process: what it leaves in module-level memory is not seen by the next call, so results
    meant to be reused go to disk (the content-addressed cache folders), not to a dict.
    """
    if zerogpu_on(env):
        return spaces.GPU(duration=duration)
    return lambda fn: fn
