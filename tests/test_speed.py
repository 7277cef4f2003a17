"""lab.speed: the probe that picks a plan, its caches, and the thread tuner on a simulated shared machine."""
from __future__ import annotations

import pytest
import torch

from lab import speed as S
from lab.train import TrainConfig, probe_step


def _tiny_step(batch: int = 8):
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.Flatten(), torch.nn.LazyLinear(5))
    model(torch.zeros(1, 3, 16, 16))
    return probe_step(model, TrainConfig(batch_size=batch), 3, 16, 5, torch.device("cpu"))


def test_engine_plan_is_explicit_or_probed(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    step = _tiny_step()
    cpu = torch.device("cpu")
    plan = S.choose_plan(step, ("x",), cpu, "bf16", "channels_last", images=8)
    assert (plan.precision, plan.memory_format, plan.probe) == ("bf16", "channels_last", ())
    probed = S.choose_plan(step, ("tiny-conv",), cpu, images=8)
    expected = 4 if S.cpu_has_bf16() else 2
    assert len(probed.probe) == expected and all(v > 0 for _, v in probed.probe)
    assert probed.threads in (1, torch.get_num_threads())
    fastest = max(probed.probe, key=lambda kv: kv[1])[0]
    assert fastest == f"{probed.precision}+{probed.memory_format}"
    assert S.choose_plan(step, ("tiny-conv",), cpu, images=8) is probed  # cached in memory
    # ... and on disk, per machine: a new process (here: an emptied memory cache) skips the timing.
    assert (tmp_path / "engine_plans.json").exists()
    with S.cpu_threads(1):  # one thread: no thread race, so the second call must not time anything
        first = S.choose_plan(step, ("tiny-conv", "1t"), cpu, images=8)
        monkeypatch.setattr(S, "_PLAN_CACHE", {})
        monkeypatch.setattr(S, "_race", lambda *a: pytest.fail("probed again"))
        again = S.choose_plan(step, ("tiny-conv", "1t"), cpu, images=8)
    assert again is not first and again == first


def test_probing_leaves_the_random_stream_alone(tmp_path, monkeypatch):
    """A fresh probe (steps that draw random numbers, as dropout does) and a cached plan leave the run's
    random stream where it was: the same seed trains the same way whether the plan was cached or not."""
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    calls = []

    def noisy_step(precision: str, memory_format: str) -> None:
        calls.append((precision, memory_format))
        torch.rand(1000)  # what dropout in a training step does to the global generator

    torch.manual_seed(0)
    expected = torch.rand(3)
    for _ in range(2):  # probed, then cached
        torch.manual_seed(0)
        S.choose_plan(noisy_step, ("rng-test",), torch.device("cpu"))
        assert torch.equal(torch.rand(3), expected)
    assert calls  # the first call did probe


def test_a_pinned_thread_count_is_kept_by_the_probe(tmp_path, monkeypatch):
    """race_threads=False (a reproducible run): the plan keeps torch's current count, and no race is timed."""
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    monkeypatch.setattr(S, "_race_threads", lambda *a: pytest.fail("raced the thread count"))
    with S.cpu_threads(2):
        plan = S.choose_plan(_tiny_step(), ("pinned",), torch.device("cpu"), "fp32", images=8, race_threads=False)
        assert plan.threads == 2 and torch.get_num_threads() == 2
    monkeypatch.undo()
    with S.cpu_threads(2), pytest.raises(pytest.fail.Exception, match="raced"):  # the test can fail
        monkeypatch.setattr(S, "_race_threads", lambda *a: pytest.fail("raced the thread count"))
        S.choose_plan(_tiny_step(), ("raced",), torch.device("cpu"), "fp32", images=8)


def test_thread_tuner_keeps_the_faster_thread_count():
    """Two threads take 1.0 s a step, one thread 0.3 s (a busy machine): the tuner tries one thread at
    step 25, switches, then finds two threads still slower and tries them less and less often."""
    with S.cpu_threads(2):
        tuner = S.ThreadTuner(2, 1, interval=25)
        for step in range(60):
            tuner.before_step(step)
            tuner.after_step(step, 0.3 if torch.get_num_threads() == 1 else 1.0)
        assert tuner.current == 1 and torch.get_num_threads() == 1
        assert "switched from 2 to 1" in tuner.note
        assert tuner.interval == 50 and tuner.next_try > 100  # the failed try at step 51 doubled the wait


class SharedMachine:
    """Two cores, one training process and maybe another program. ``busy``: the other program takes a
    core; then two threads (waiting for each other) take 1.0 s a step, one thread 0.3 s. Quiet: 0.15 s and
    0.3 s. The counters are what lab.speed._load_sample reads: wall, this process's CPU, idle CPU."""

    def __init__(self) -> None:
        self.busy = False
        self.wall = self.cpu = self.idle = 0.0
        self.threads_seen: list[int] = []

    def sample(self) -> tuple[float, float, float | None]:
        return self.wall, self.cpu, self.idle

    def step(self) -> float:
        n = torch.get_num_threads()
        self.threads_seen.append(n)
        dt = (1.0 if n == 2 else 0.3) if self.busy else (0.15 if n == 2 else 0.3)
        own = dt * (0.5 if self.busy and n == 2 else 1.0) * n  # descheduled threads get half their time
        self.wall += dt
        self.cpu += own
        self.idle += max(0.0, 2 * dt - own - (dt if self.busy else 0.0))
        return dt


def _run(tuner: S.ThreadTuner, machine: SharedMachine, steps: range) -> None:
    for step in steps:
        tuner.before_step(step)
        tuner.after_step(step, machine.step())


def test_thread_tuner_tries_only_when_the_load_says_it_could_win(monkeypatch):
    machine = SharedMachine()
    monkeypatch.setattr(S, "_load_sample", machine.sample)
    with S.cpu_threads(2):
        tuner = S.ThreadTuner(2, 1, interval=25)
        _run(tuner, machine, range(100))  # quiet: two threads got their cores, so one is never tried
        assert set(machine.threads_seen) == {2} and tuner.note is None
        machine.busy = True  # another program takes a core: the steps slow down, one thread is tried and kept
        _run(tuner, machine, range(100, 140))
        assert tuner.current == 1 and "switched from 2 to 1" in tuner.note
        tuner.note = None
        switched_at = len(machine.threads_seen) - machine.threads_seen[::-1].index(2)
        _run(tuner, machine, range(140, 300))  # still busy: no core is free, so two threads are not tried
        assert 2 not in machine.threads_seen[switched_at:]
        machine.busy = False  # the other program ends: a core is idle, two threads come back within a few steps
        _run(tuner, machine, range(300, 310))
        assert tuner.current == 2 and "switched from 1 to 2" in tuner.note
