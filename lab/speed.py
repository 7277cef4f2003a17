"""How the trainer runs fast: the device, the plan (precision, memory layout, threads) and the probe that picks it.

The training loop (:mod:`lab.train`) asks two things of this module above all::

    plan = choose_plan(step, key, device)    # step(precision, memory_format) runs one training step
    with autocast(plan):
        out = model(x)

The best choice differs per model and machine: on an AVX-512-bf16 CPU ResNet-18 gains most from bf16,
MobileNet-v2 from channels_last alone; so a CPU plan comes from timing a few real steps of each option
(:func:`choose_plan`), cached in memory and on disk. On a CPU shared with other programs the best number
of threads changes while a run goes: :class:`ThreadTuner` keeps it right, and switches only when the
machine's load says another count could win.
"""
from __future__ import annotations

import json
import math
import os
import platform
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Callable, Iterator

import torch

StepFn = Callable[[str, str], None]  # step(precision, memory_format): run one training step
MIN_LOAD_WINDOW_S = 0.1  # the shortest time over which the machine's idle time says something


@dataclass(frozen=True)
class Plan:
    """How the engine runs a model on a device: precision, memory layout, CPU threads, and the probe's figures."""

    precision: str  # "fp32" or "bf16"
    memory_format: str  # "contiguous" or "channels_last"
    threads: int = 0  # CPU threads for the run (0: leave torch's setting alone)
    probe: tuple[tuple[str, float], ...] = ()  # ("bf16+channels_last", img/s), …
    device_type: str = "cpu"  # "cpu" or "cuda": where autocast applies

    @property
    def torch_memory_format(self) -> torch.memory_format:
        return torch.channels_last if self.memory_format == "channels_last" else torch.contiguous_format


def cpu_has_bf16() -> bool:
    """Whether this CPU has a bf16 unit (AVX-512 BF16 or AMX) that oneDNN uses for bf16 convolutions."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # an old or unusual build: look at the CPU flags instead
        try:
            with open("/proc/cpuinfo") as f:
                flags = f.read()
            return "avx512_bf16" in flags or "amx_bf16" in flags
        except OSError:
            return False


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA when present, else the CPU; asking for CUDA without one is a ValueError."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("No CUDA GPU is available here; choose device 'cpu' or 'auto'.")
    if name not in ("cpu",) and not name.startswith("cuda"):
        raise ValueError(f"Unknown device {name!r}; choose auto, cpu or cuda.")
    return torch.device(name)


def device_label(device: torch.device) -> str:
    """A short human description: 'NVIDIA H100 (CUDA)' or 'CPU (2 cores, bf16 unit)'."""
    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(device)} (CUDA)"
    bf16 = "bf16 unit" if cpu_has_bf16() else "no bf16 unit"
    return f"CPU ({os.cpu_count()} cores, {bf16})"


def autocast(plan: Plan):
    """bf16 autocast on the plan's device, or nothing for fp32."""
    if plan.precision == "bf16":
        return torch.autocast(plan.device_type, dtype=torch.bfloat16)
    return nullcontext()


@contextmanager
def cpu_threads(n: int) -> Iterator[None]:
    """Use ``n`` intra-op threads inside the block (0: unchanged); the old setting always comes back."""
    old = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


# ------------------------------------------------------------------------------------------ plan cache

_PLAN_CACHE: dict[tuple, Plan] = {}


def cache_dir() -> str:
    """CNN Lab's cache folder on this machine: $CNNLAB_CACHE, else ~/.cache/cnnlab."""
    return os.environ.get("CNNLAB_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "cnnlab")


def _plan_file() -> str:
    """Where probe results persist between runs: engine_plans.json in :func:`cache_dir`."""
    return os.path.join(cache_dir(), "engine_plans.json")


def machine_id() -> str:
    """The CPU model and torch version: a probe's result holds for this pair only."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            name = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), name)
    except OSError:
        pass
    return f"{name} | {os.cpu_count()} cpus | bf16 {cpu_has_bf16()} | torch {torch.__version__}"


def _stored_plans() -> dict:
    try:
        with open(_plan_file()) as f:
            plans = json.load(f)
        return plans if isinstance(plans, dict) else {}
    except (OSError, ValueError):  # no file yet, or a damaged one: probe again
        return {}


def _store_plan(key: str, winner: tuple[str, str], probe: tuple[tuple[str, float], ...]) -> None:
    plans = _stored_plans()
    plans[key] = {"precision": winner[0], "memory_format": winner[1], "probe": [list(p) for p in probe]}
    path = _plan_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            json.dump(plans, f, indent=1)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:  # a read-only home: the plan still holds for this process (in memory)
        pass


# ------------------------------------------------------------------------------------ the machine's load


def _idle_cpu_seconds() -> float | None:
    """Seconds all CPUs of the machine have been idle since boot (Linux /proc/stat), or None elsewhere."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return (int(fields[4]) + int(fields[5])) / os.sysconf("SC_CLK_TCK")  # idle + iowait
    except (OSError, ValueError, IndexError):
        return None


def _load_sample() -> tuple[float, float, float | None]:
    """(wall clock, this process's CPU time over all its threads, the machine's idle CPU time), in seconds."""
    return time.perf_counter(), time.process_time(), _idle_cpu_seconds()


def _free_cores(wall: float, idle: float | None) -> float | None:
    """How many cores sat idle on average over ``wall`` seconds (None: unknown, or too short to tell: the
    kernel counts idle time in 10 ms ticks)."""
    return idle / wall if idle is not None and wall >= MIN_LOAD_WINDOW_S else None


# ------------------------------------------------------------------------------------------ the probe


def _race(options: list, run: Callable, rounds: int) -> dict:
    """Best time of each option over ``rounds`` interleaved runs, after one warm-up run each."""
    best = {o: math.inf for o in options}
    for r in range(rounds + 1):
        for o in options:
            dt = run(o)
            if r > 0:  # round 0 warms up (oneDNN builds its kernels on first use)
                best[o] = min(best[o], dt)
    return best


def _timed(step: StepFn, option: tuple[str, str], threads: int, clock: Callable[[], float]) -> float:
    with cpu_threads(threads):
        t = clock()
        step(*option)
        return clock() - t


def choose_plan(
    step: StepFn,
    key: tuple,
    device: torch.device,
    precision: str = "auto",
    memory_format: str = "auto",
    images: int = 1,
    rounds: int = 2,
    race_threads: bool = True,
) -> Plan:
    """Pick precision, memory format and (on a CPU) the number of threads for one model on ``device``.

    ``step(precision, memory_format)`` runs one training step of (a copy of) the model on ``images``
    images; ``key`` names what the timing holds for (model, image size, batch…). Explicit choices are
    kept. On CUDA ``auto`` means bf16 (when supported) + channels_last. On a CPU, real steps are timed,
    because the best choice depends on model and machine:
    1. threads: all of torch's threads or one (:func:`_race_threads`); on a CPU that other programs keep
       busy, threads that wait for each other at every layer were measured 3-5x slower than one thread
       (``race_threads=False`` keeps torch's current count: a run pinned to it for reproducibility);
    2. precision x layout: fp32/bf16 (bf16 only with a bf16 unit) x contiguous/channels_last, with the
       chosen threads, interleaved: a warm-up each, then the best of ``rounds`` (one thread: one step
       each, timed by its CPU time, which counts the work itself whatever other programs do).
    The probe runs under ``torch.random.fork_rng``: probing or not leaves the random stream unchanged.
    The plan is cached per ``key`` for the process; the precision x layout choice also on disk
    (:func:`_plan_file`) per machine, torch version, ``key`` and thread count, so the next run (the CLI,
    a restarted app) only redoes the quick thread choice. :attr:`Plan.probe` holds each option's
    ``images`` per second of its best step.
    """
    if device.type == "cuda":
        p = precision if precision != "auto" else ("bf16" if torch.cuda.is_bf16_supported() else "fp32")
        m = memory_format if memory_format != "auto" else "channels_last"
        return Plan(p, m, device_type="cuda")
    precisions = [precision] if precision != "auto" else (["fp32", "bf16"] if cpu_has_bf16() else ["fp32"])
    formats = [memory_format] if memory_format != "auto" else ["contiguous", "channels_last"]
    options = [(p, m) for p in precisions for m in formats]
    full_key = (*key, tuple(options), torch.get_num_threads(), race_threads)
    if full_key not in _PLAN_CACHE:
        with torch.random.fork_rng(devices=[]):
            _PLAN_CACHE[full_key] = _probe(step, key, options, images, rounds, race_threads)
    return _PLAN_CACHE[full_key]


def _race_threads(step: StepFn, option: tuple[str, str], threads: int) -> int:
    """All ``threads`` or one, for ``option``. A first step on one thread warms up and measures the load:
    when other programs keep the other cores busy, one thread it is (many would wait for each other, and
    even timing them takes seconds); otherwise the faster of a timed step each."""
    (wall0, _, idle0) = _load_sample()
    _timed(step, option, 1, time.perf_counter)
    (wall, _, idle) = _load_sample()
    free = _free_cores(wall - wall0, idle - idle0 if idle is not None and idle0 is not None else None)
    if free is not None and free < 0.5 * (threads - 1):
        return 1
    t = _race([threads, 1], lambda n: _timed(step, option, n, time.perf_counter), rounds=1)
    return min(t, key=t.get)


def _probe(step: StepFn, key: tuple, options: list[tuple[str, str]], images: int, rounds: int,
           race_threads: bool = True) -> Plan:
    threads = torch.get_num_threads()
    if threads > 1 and race_threads:
        threads = _race_threads(step, options[0], threads)
    # Precision x layout are timed with the thread count chosen, because the ranking can change with it
    # (fp32 ResNet-18: contiguous wins on one thread, channels_last on two). One thread is timed by its
    # CPU time, so one timed step per option suffices; several threads won the race above only if the
    # machine is quiet: wall time, best of ``rounds``.
    clock, option_rounds = (time.thread_time, 1) if threads == 1 else (time.perf_counter, rounds)
    if len(options) == 1:
        return Plan(*options[0], threads=threads)
    disk_key = " | ".join(map(str, (machine_id(), *key, options, f"{threads} threads")))
    stored = _stored_plans().get(disk_key)
    if stored:  # probed before on this machine: no need to time it again
        probe = tuple((str(k), float(v)) for k, v in stored["probe"])
        return Plan(stored["precision"], stored["memory_format"], threads=threads, probe=probe)
    best = _race(options, lambda o: _timed(step, o, threads, clock), option_rounds)
    winner = min(options, key=lambda o: best[o])
    plan = Plan(*winner, threads=threads, probe=tuple((f"{p}+{m}", images / best[(p, m)]) for p, m in options))
    _store_plan(disk_key, winner, plan.probe)
    return plan


# ------------------------------------------------------------------------------------- the thread tuner


class ThreadTuner:
    """Keeps the CPU thread count right while a run goes, on a machine other programs share.

    The probe's choice can turn bad: when another program takes a core, threads that meet at every layer
    wait for the one that was descheduled and a step gets several times slower (measured here: 2 threads
    at 14-25 img/s where 1 thread gave 50-100). So every ``interval`` steps (doubling after each failed
    try), or at once when the step time grows 1.5x over its best, up to two real training steps run with
    the other thread count, and the other count is kept when both were 20% faster.

    A try costs steps at the slower count, so it is made only when the machine's load says it could win
    (measured over the last few steps): on more threads, when this process got less than 80% of the CPU
    time its threads asked for (others took cores); on fewer, when at least half a core sat idle. Then it
    need not wait for the schedule, unless the last try failed. Where the load cannot be read (not Linux,
    or steps too short to measure), the tries follow the schedule alone. A try ends after one step when
    that step is already clearly slower.
    """

    WINDOW = 3  # steps over which the load is measured
    FIRST_TRY = 4  # the earliest step to try: one warm-up step (new kernels), then a window

    def __init__(self, current: int, alternative: int, interval: int = 25) -> None:
        self.current, self.alternative = current, alternative
        self.interval = self.first_interval = interval
        self.next_try = interval
        self.ema = self.best = None
        self.trial: list[float] | None = None
        self.note: str | None = None  # set once when the count changes, for the caller to report
        self._window: list[tuple[float, float, float | None]] = []  # (wall s, own CPU s, idle CPU s) per step
        self._mark = _load_sample()
        self._steps = 0  # steps measured (not counting tries)

    def before_step(self, step: int) -> None:
        slowed = self.ema is not None and self.ema > 1.5 * self.best
        worth = self.worth_trying()
        # The load saying "try" brings a try forward, unless the last one failed (then the schedule rules).
        eager = worth is True and self.interval == self.first_interval
        due = step >= self.next_try or slowed or eager
        if self.trial is None and step >= self.FIRST_TRY and due and worth is not False:
            self.trial = []
            torch.set_num_threads(self.alternative)
        self._mark = _load_sample()

    def worth_trying(self) -> bool | None:
        """Whether the machine's load says the other thread count could be faster (None: unknown)."""
        if self.trial is not None or len(self._window) < self.WINDOW:
            return None
        wall = sum(w for w, _, _ in self._window)
        if wall < MIN_LOAD_WINDOW_S:
            return None
        if self.alternative < self.current:  # did our threads get their cores?
            return sum(c for _, c, _ in self._window) < 0.8 * wall * self.current
        idle = None if any(i is None for _, _, i in self._window) else sum(i for _, _, i in self._window)
        free = _free_cores(wall, idle)
        return None if free is None else free >= 0.5 * (self.alternative - self.current)  # room for more threads

    def _measure(self) -> None:
        (wall0, cpu0, idle0), (wall, cpu, idle) = self._mark, _load_sample()
        sample = (wall - wall0, cpu - cpu0, idle - idle0 if idle is not None and idle0 is not None else None)
        self._window = (self._window + [sample])[-self.WINDOW:]

    def after_step(self, step: int, dt: float) -> None:
        if self.trial is None:
            self._measure()
            self._steps += 1
            if self._steps == 1:  # the first step builds kernels: its time says nothing about the load
                return
            self.ema = dt if self.ema is None else 0.8 * self.ema + 0.2 * dt
            self.best = self.ema if self.best is None else min(self.best, self.ema)
            return
        self.trial.append(dt)
        if len(self.trial) < 2 and dt < 1.25 * self.ema:  # a clearly slower first step ends the try
            return
        tried = max(self.trial)  # both steps must be faster: one lucky step under a changing load is not enough
        if len(self.trial) == 2 and tried < 0.8 * self.ema:
            self.note = (f"The CPU's load changed: switched from {self.current} to {self.alternative} thread(s) "
                         f"({self.ema:.2f} s -> {tried:.2f} s per step).")
            self.current, self.alternative = self.alternative, self.current
            self.ema, self.interval = tried, self.first_interval
            self._window = []  # the load measured on the old count says nothing about the new one
        else:
            self.interval *= 2
        self.best = self.ema
        self.next_try = step + self.interval
        self.trial = None
        torch.set_num_threads(self.current)
