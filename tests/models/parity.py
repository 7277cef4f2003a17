"""Helpers the model tests share: counting, building on the meta device, and comparing lab's networks
with their torchvision / timm twins."""
from __future__ import annotations

import torch
import torch.nn as nn

from lab.models import create_model


def num_params(model: nn.Module) -> int:
    """Every parameter of ``model``, the number torchvision and timm publish with their weights."""
    return sum(p.numel() for p in model.parameters())


def meta_model(name: str, **kwargs) -> nn.Module:
    """``create_model(name, **kwargs)`` on the meta device: shapes only, no memory, no initialisation cost."""
    with torch.device("meta"):
        return create_model(name, **kwargs)


def randomize_batchnorm(model: nn.Module, seed: int = 1, gamma: tuple[float, float] = (0.5, 1.5)) -> None:
    """Give every BatchNorm2d non-trivial statistics and affine weights, so eval outputs depend on each of
    them (and on eps): a misplaced buffer then shows in the outputs.

    Args:
        model: changed in place.
        seed: seeds a generator of its own; the global RNG is not touched.
        gamma: the range of the uniform BN weights γ. Below 1 for 100+ layer networks (ResNet-152,
            DenseNet-201), so the logits stay O(1) and an absolute tolerance means something.
    """
    g = torch.Generator().manual_seed(seed)
    low, high = gamma
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(0.1 * torch.randn(c, generator=g))
            m.running_var.copy_(0.5 + torch.rand(c, generator=g))
            m.weight.data.copy_(low + (high - low) * torch.rand(c, generator=g))
            m.bias.data.copy_(0.1 * torch.randn(c, generator=g))


def leaf_layers(model: nn.Module, skip: tuple[type[nn.Module], ...] = ()) -> list[tuple]:
    """Every leaf module in order, except those of the ``skip`` types, with the settings a state_dict does
    not carry: (class name, stride, padding, groups, eps, momentum, p), None where a module has no such
    attribute."""
    settings = ("stride", "padding", "groups", "eps", "momentum", "p")
    leaves = [m for m in model.modules() if not list(m.children()) and not isinstance(m, skip)]
    return [(type(m).__name__, *(getattr(m, s, None) for s in settings)) for m in leaves]


def max_output_diff(ours: nn.Module, theirs: nn.Module, x: torch.Tensor) -> float:
    """The largest absolute difference between the two models' outputs on ``x``, both put in eval mode
    (and left there), without gradients."""
    with torch.no_grad():
        return (ours.eval()(x) - theirs.eval()(x)).abs().max().item()


def macs_per_module(model: nn.Module, size: int = 224) -> dict[nn.Module, int]:
    """Multiply-accumulates of every Conv2d and Linear layer of a meta-device ``model`` for one
    3 x ``size`` x ``size`` image, from one forward pass with hooks (removed afterwards).

    This counter is independent of lab.inspect on purpose: the tests that hold lab's networks to
    torchvision's published GFLOPS use it, so that lab's own inspector is not what they check with.
    """
    macs: dict[nn.Module, int] = {}

    def count(m: nn.Module, inputs, out: torch.Tensor) -> None:
        if isinstance(m, nn.Conv2d):
            n = out.numel() * m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
        else:
            n = out.numel() * m.in_features
        macs[m] = macs.get(m, 0) + n  # a layer called twice costs twice

    hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        model(torch.empty(1, 3, size, size, device="meta"))
    finally:
        for h in hooks:
            h.remove()
    return macs


def count_macs(model: nn.Module, size: int = 224) -> int:
    """The total of :func:`macs_per_module`: the network's multiply-accumulates for one image."""
    return sum(macs_per_module(model, size).values())
