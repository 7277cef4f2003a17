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
