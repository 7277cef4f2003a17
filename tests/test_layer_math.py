"""The single-layer arithmetic of the Layers tab, held against what PyTorch's layers really do."""
import itertools

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from lab import layer_math as L


@pytest.mark.parametrize(
    "size,k,s,p,d", [(224, 7, 2, 3, 1), (32, 5, 1, 0, 1), (13, 3, 2, 1, 2), (7, 7, 1, 0, 1), (10, 3, 3, 2, 1), (1, 1, 1, 0, 1)]
)
def test_output_size_matches_conv2d(size, k, s, p, d):
    conv = nn.Conv2d(1, 1, k, s, p, d)
    assert L.output_size(size, k, s, p, d) == conv(torch.zeros(1, 1, size, size)).shape[-1]


def test_output_size_refuses_kernels_that_do_not_fit():
    with pytest.raises(ValueError, match="spans 11 px"):
        L.output_size(8, 11)
    with pytest.raises(ValueError, match="at least 1"):
        L.output_size(8, 3, stride=0)
    with pytest.raises(ValueError, match="negative"):
        L.output_size(8, 3, padding=-1)


def test_output_size_with_ceil_mode_matches_max_pool2d():
    """ceil_mode rounds up, but the last window must start inside the input or its left padding."""
    for n, k, s, p, d, ceil in itertools.product(range(1, 9), range(1, 4), range(1, 4), range(2), (1, 2),
                                                 (False, True)):
        if p > k // 2:
            continue
        try:
            want = F.max_pool2d(torch.zeros(1, 1, n, n), k, s, p, d, ceil_mode=ceil).shape[-1]
        except RuntimeError:
            want = None
        try:
            got = L.output_size(n, k, s, p, d, ceil_mode=ceil)
        except ValueError:
            got = None
        assert got == want, (n, k, s, p, d, ceil)
    assert L.output_size(112, 3, 2, ceil_mode=True) == 56 and L.output_size(112, 3, 2) == 55  # GoogLeNet's pools


@pytest.mark.parametrize("c_in,c_out,k,s,p,g,bias", [(3, 64, 7, 2, 3, 1, False), (32, 32, 3, 1, 1, 32, False), (16, 24, 1, 1, 0, 1, True), (8, 16, 3, 2, 1, 4, True)])
def test_conv_cost_counts_what_conv2d_holds(c_in, c_out, k, s, p, g, bias):
    conv = nn.Conv2d(c_in, c_out, k, s, p, groups=g, bias=bias)
    out = conv(torch.zeros(1, c_in, 56, 56))
    cost = L.conv_cost(c_in, c_out, 56, 56, k, s, p, 1, g, bias)
    assert (cost.out_h, cost.out_w) == tuple(out.shape[-2:])
    assert cost.params == sum(t.numel() for t in conv.parameters())
    assert cost.macs == out.numel() * (c_in // g) * k * k


def test_resnet_stem_figures():
    # ResNet's 7×7/2 stem on a 224 px image: 64×112×112, 9,408 weights, 118,013,952 MACs.
    cost = L.conv_cost(3, 64, 224, 224, 7, 2, 3, bias=False)
    assert (cost.out_h, cost.params, cost.macs) == (112, 9408, 118_013_952)
    assert "= 112" in cost.size_formula and "9,408" in cost.params_formula


def test_separable_ratio_is_the_mobilenet_formula():
    c = L.conv_cost(256, 256, 14, 14, 3, 1, 1, bias=False)
    assert c.separable_macs / c.macs == pytest.approx(1 / 256 + 1 / 9)


def test_separable_ratio_is_one_over_n_plus_one_over_dk_squared():
    assert L.separable_ratio(512, 3) == pytest.approx(1 / 512 + 1 / 9)
    assert 8 < 1 / L.separable_ratio(512, 3) < 9  # the paper's "8 to 9 times less computation"
    with pytest.raises(ValueError):
        L.separable_ratio(0, 3)


def test_groups_must_divide_channels():
    with pytest.raises(ValueError, match="must divide"):
        L.conv_cost(6, 8, 10, 10, 3, groups=4)


@pytest.mark.parametrize("op,stride,padding", list(itertools.product(L.OPS, [1, 2], [0, 1])))
def test_sliding_window_equals_pytorch(op, stride, padding):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 10, size=(7, 7)).astype(float)
    t = torch.tensor(x)[None, None]
    if op == "convolution":
        w = np.array(L.KERNELS["sobel x (vertical edges)"], dtype=float)
        ref = F.conv2d(t, torch.tensor(w)[None, None], stride=stride, padding=padding)
        kernel = w
    elif op == "max pooling":
        ref = F.max_pool2d(t, 3, stride, padding)
        kernel = 3
    else:
        ref = F.avg_pool2d(t, 3, stride, padding, count_include_pad=True)
        kernel = 3
    xp, out, steps = L.sliding_window(x, op, kernel, stride, padding)
    np.testing.assert_allclose(out, ref[0, 0].numpy(), atol=1e-9)
    assert len(steps) == out.size and xp.shape == (7 + 2 * padding,) * 2
    assert steps[-1].value == pytest.approx(out[-1, -1])


def test_pooling_padding_is_at_most_half_the_window_as_in_pytorch():
    for k, p in itertools.product(range(1, 6), range(4)):
        try:
            F.max_pool2d(torch.zeros(1, 1, 9, 9), k, 1, p)
            accepted = True
        except RuntimeError:
            accepted = False
        assert accepted == (p <= L.max_pool_padding(k)), (k, p)
    with pytest.raises(ValueError, match="at most half the window"):
        L.sliding_window(np.zeros((5, 5)), "max pooling", 3, 1, 2)


def test_apply_kernel_detects_a_vertical_edge():
    img = np.zeros((16, 16))
    img[:, 8:] = 1.0
    out = L.apply_kernel(img, "sobel x (vertical edges)", padding=0)
    assert out.shape == (14, 14)
    assert np.abs(out[:, 6:8]).min() > 0 and np.abs(out[:, :5]).max() == 0
    with pytest.raises(ValueError, match="Unknown kernel"):
        L.apply_kernel(img, "nope")


def test_activation_curves_are_pytorchs():
    curves = L.activation_curves(["ReLU6 (MobileNet v2)", "h-swish (MobileNet v3)"])
    x, y = curves["ReLU6 (MobileNet v2)"]
    assert y.max() == 6 and y.min() == 0
    x, y = curves["h-swish (MobileNet v3)"]
    np.testing.assert_allclose(y, x * np.clip(x + 3, 0, 6) / 6, atol=1e-6)  # Howard et al. 2019, eq. for h-swish
    with pytest.raises(ValueError, match="Unknown activation"):
        L.activation_curves(["mish"])


@pytest.mark.parametrize("bias", [True, False])
def test_the_fully_connected_comparison_counts_one_mac_per_weight(bias):
    # The same mapping as one nn.Linear between the flattened volumes: its MACs are its weights, never its biases.
    c = L.conv_cost(3, 16, 8, 8, 3, 1, 1, bias=bias)
    fc = torch.nn.Linear(3 * 8 * 8, 16 * c.out_h * c.out_w, bias=bias)
    assert c.dense_params == sum(p.numel() for p in fc.parameters())
    assert c.dense_macs == fc.weight.numel()


def test_the_notes_mlp_for_cifar10_has_29401088_weights():
    params, formula = L.mlp_params([3072, 4096, 4096, 10], bias=False)
    assert params == 3072 * 4096 + 4096 * 4096 + 4096 * 10 == 29_401_088  # "≈ 三千万" in the notes
    assert formula.endswith("= 29,401,088")
    mlp = nn.Sequential(nn.Linear(3072, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 10))
    assert L.mlp_params([3072, 4096, 4096, 10])[0] == sum(p.numel() for p in mlp.parameters())
    with pytest.raises(ValueError):
        L.mlp_params([3072])


def test_swish_beta_spans_half_identity_silu_and_relu():
    x = torch.linspace(-5, 5, 101)
    torch.testing.assert_close(L.swish(x, 1.0), F.silu(x))
    torch.testing.assert_close(L.swish(x, 0.0), x / 2)
    torch.testing.assert_close(L.swish(x, 50.0), F.relu(x), atol=1e-3, rtol=0)


def test_softmax_sums_to_one_and_temperature_flattens():
    p = L.softmax([2.0, 1.0, 0.1])
    assert sum(p) == pytest.approx(1) and p == pytest.approx(torch.softmax(torch.tensor([2.0, 1.0, 0.1]), 0).tolist())
    hot = L.softmax([2.0, 1.0, 0.1], temperature=100)
    assert max(hot) - min(hot) < 0.02
    with pytest.raises(ValueError):
        L.softmax([1.0], temperature=0)


def test_mlp_layers_are_the_linears_it_holds():
    layers = L.mlp_layers([3072, 4096, 4096, 10])
    assert layers[0] == (3072, 4096, 3072 * 4096, 4096) and len(layers) == 3
    assert sum(w for _, _, w, _ in layers) == 29_401_088
    assert sum(w + b for _, _, w, b in layers) == L.mlp_params([3072, 4096, 4096, 10])[0] == 29_409_290


def test_swish_curves_go_from_half_x_to_relu():
    c = L.swish_curves(0.0)
    np.testing.assert_allclose(c["swish"][1], c["half"][1])
    np.testing.assert_allclose(c["gate"][1], 0.5)
    gap = [np.abs(L.swish_curves(b)["swish"][1] - L.swish_curves(b)["relu"][1]).max() for b in (1, 4, 20)]
    assert gap[0] == pytest.approx(0.2785, abs=1e-3) and gap[1] < gap[0] / 3 and gap[2] < 0.015  # 0.2785/β
    with pytest.raises(ValueError):
        L.swish_curves(-1)


def test_the_notes_padding_example_counts_the_padding_twice():
    # Notes 000, 卷积层: "[7, 7, 3] 输入 … 3×3 filter (步幅为 2) … [3, 3, 2] 的输出 … Zero padding 是 1". Their own
    # N = (W − F + 2P)/S + 1 gives 4 for a 7 px input padded by 1; the 3 is for the 5 px input their figure pads to 7.
    assert L.output_size(7, 3, stride=2, padding=1) == 4
    assert L.output_size(5, 3, stride=2, padding=1) == 3 == L.output_size(7, 3, stride=2, padding=0)
    assert nn.Conv2d(3, 2, 3, 2, 1)(torch.zeros(1, 3, 7, 7)).shape == (1, 2, 4, 4)
