"""lab.batchnorm: the notes' batch normalisation written out equals nn.BatchNorm1d/2d, in training (outputs,
gradients, moving averages over several steps) and in evaluation, for several shapes and momenta."""
from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from lab import batchnorm as B


def _pair(shape, momentum):
    torch.manual_seed(0)
    c = shape[1]
    ours = B.BatchNorm(c, momentum=momentum)
    ref = (nn.BatchNorm1d if len(shape) in (2, 3) else nn.BatchNorm2d)(c, momentum=momentum)
    with torch.no_grad():
        ref.weight.copy_(torch.rand(c) + 0.5)
        ref.bias.copy_(torch.randn(c))
    ours.load_state_dict(ref.state_dict())  # the same names: strict loading works both ways
    return ours, ref


@pytest.mark.parametrize("shape", [(8, 3), (4, 5, 7), (2, 3, 5, 5), (16, 8, 4, 6), (2, 1, 1, 3)])
@pytest.mark.parametrize("momentum", [0.1, 0.5, 0.01, 1.0])
def test_training_steps_and_evaluation_equal_pytorch(shape, momentum):
    ours, ref = _pair(shape, momentum)
    for step in range(3):
        x = torch.randn(*shape) * (step + 1) + step
        xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
        ya, yb = ours(xa), ref(xb)
        torch.testing.assert_close(ya, yb, rtol=1e-5, atol=1e-5)
        g = torch.randn_like(ya)
        ya.backward(g)
        yb.backward(g)
        torch.testing.assert_close(xa.grad, xb.grad, rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(ours.weight.grad, ref.weight.grad, rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(ours.running_mean, ref.running_mean)
        torch.testing.assert_close(ours.running_var, ref.running_var)
    assert int(ours.num_batches_tracked) == int(ref.num_batches_tracked) == 3
    ours.eval(), ref.eval()
    x = torch.randn(*shape)
    torch.testing.assert_close(ours(x), ref(x), rtol=1e-5, atol=1e-5)


def test_each_step_is_the_notes_formula():
    x = torch.randn(4, 2, 3, 3)
    s = B.batch_norm(x, torch.ones(2), torch.zeros(2), torch.zeros(2), torch.ones(2), training=True)
    assert s.m == 4 * 3 * 3  # every position of a channel shares its statistics
    torch.testing.assert_close(s.mean, x.transpose(0, 1).reshape(2, -1).mean(1))
    torch.testing.assert_close(s.var, x.transpose(0, 1).reshape(2, -1).var(1, unbiased=False))
    per_channel = s.x_hat.transpose(0, 1).reshape(2, -1)
    torch.testing.assert_close(per_channel.mean(1), torch.zeros(2), atol=1e-6, rtol=0)
    torch.testing.assert_close(per_channel.var(1, unbiased=False), torch.ones(2), atol=1e-4, rtol=0)


def test_the_notes_moving_average_is_pytorchs_with_the_other_momentum_except_the_variances_bias():
    running, batch = torch.tensor([2.0]), torch.tensor([4.0])
    assert B.notes_update(running, batch, momentum=0.9) == (1 - 0.1) * running + 0.1 * batch
    x = torch.randn(3, 1, 2, 2)
    s = B.batch_norm(x, torch.ones(1), torch.zeros(1), torch.zeros(1), torch.zeros(1), training=True, momentum=1.0)
    torch.testing.assert_close(s.running_var, s.var * 12 / 11)  # PyTorch keeps σ²_B · m/(m − 1)


def test_one_value_per_channel_cannot_be_normalised_in_training():
    with pytest.raises(ValueError, match="more than one value per channel"):
        B.BatchNorm(3)(torch.randn(1, 3, 1, 1))
    with pytest.raises(ValueError, match="inputs"):
        B.BatchNorm(3)(torch.randn(3))


def test_the_walk_is_a_real_batchnorm1d_in_training_and_in_evaluation():
    steps, true_mean, true_var = B.walk(batch=4, channels=3, steps=12, seed=1, gamma=2.0, beta=-1.0)
    ref = nn.BatchNorm1d(3).double()
    with torch.no_grad():
        ref.weight.fill_(2.0)
        ref.bias.fill_(-1.0)
    for s in steps:
        ref.train()
        torch.testing.assert_close(s.train.y, ref(s.x))
        torch.testing.assert_close(s.train.running_mean, ref.running_mean)
        torch.testing.assert_close(s.train.running_var, ref.running_var)
        ref.eval()
        torch.testing.assert_close(s.eval.y, ref(s.x))  # evaluation: the moving averages, not the batch
        # Each step: y has mean β and spread γ per channel in training, not in evaluation.
        torch.testing.assert_close(s.train.y.mean(0), torch.full((3,), -1.0, dtype=torch.float64))
        assert not torch.allclose(s.eval.y.mean(0), s.train.y.mean(0))
        # The notes' momentum 0.9 (the old value's weight) is PyTorch's 0.1: the same moving mean from 0 ...
        torch.testing.assert_close(s.notes_mean, s.train.running_mean)
    # ... but not the same moving variance (σ²_B from 0, against PyTorch's unbiased σ²_B from 1).
    assert not torch.allclose(steps[-1].notes_var, steps[-1].train.running_var)
    # After a dozen batches the moving mean has moved most of the way to the distribution's (1 − 0.9¹²: 72 %).
    assert (steps[-1].train.running_mean - true_mean).abs().max() < (true_mean.abs().max() * 0.6 + 1)
    assert all(s.x.shape == (4, 3) for s in steps)
    with pytest.raises(ValueError, match="2 to 8 samples"):
        B.walk(batch=1)


@pytest.mark.parametrize("init", list(B.INITS))
def test_batch_norm_keeps_a_deep_plain_network_at_spread_one(init):
    with_bn = B.drift(20, init, normalised=True)
    assert all(abs(s.std - 1) < 0.01 and abs(s.mean) < 1e-3 for s in with_bn)


def test_without_batch_norm_the_spread_collapses_or_explodes_with_depth():
    default, large = B.drift(20, "PyTorch default"), B.drift(20, "N(0, 1)")
    assert default[-1].std < 1e-6 * default[0].std  # ÷ about √6 per layer: 0.41²⁰ ≈ 2·10⁻⁸
    assert large[-1].std > 1e15 * large[0].std  # × about √(288/2) = 12 per layer
    he = B.drift(20, "He / Kaiming normal")
    assert default[-1].std < he[-1].std < large[-1].std  # He's start keeps it within a few times of 1
    assert 0.05 < he[-1].std < 5
    with pytest.raises(ValueError, match="Unknown initialisation"):
        B.drift(5, "xavier")
