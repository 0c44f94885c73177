"""Tests for diffusion_lite.models.unet (compiled calls only: eager U-Net calls are slow on CPU)."""

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.models.layers import sinusoidal_embedding
from diffusion_lite.models.unet import (
    TINY,
    Attention,
    ResBlock,
    UNet,
    UNetConfig,
    count_params,
    depth_to_space,
    init_unet,
    space_to_depth,
)

apply = nnx.jit(lambda model, x_t, t: model(x_t, t))


def perturbed_tiny_unet():
    """The tiny U-Net with a non-zero output conv (borrowed from another seed's input conv)."""
    model = init_unet(TINY, 0)
    model.conv_out.kernel[...] = jnp.swapaxes(init_unet(TINY, 1).conv_in.kernel[...], 2, 3)
    return model


def test_shapes_and_zero_init():
    x_t = jnp.linspace(-1, 1, 2 * 28 * 28).reshape(2, 28, 28, 1)
    eps_hat = apply(init_unet(TINY, 0), x_t, jnp.array([1, 1000], jnp.int32))
    assert eps_hat.shape == x_t.shape and eps_hat.dtype == jnp.float32
    np.testing.assert_array_equal(eps_hat, 0.0)  # zero-initialised output conv


def test_default_size_for_cpu():
    model = nnx.eval_shape(lambda: UNet(UNetConfig(), rngs=nnx.Rngs(0)))
    assert 0.8e6 < count_params(model) < 1.3e6


def test_sinusoidal_embedding_matches_numpy():
    t, dim = np.array([1, 7, 1000]), 16
    freqs = np.array([10_000.0 ** (-i / (dim // 2 - 1)) for i in range(dim // 2)])
    expected = np.concatenate([np.sin(np.outer(t, freqs)), np.cos(np.outer(t, freqs))], axis=1)
    np.testing.assert_allclose(sinusoidal_embedding(t, dim), expected, atol=2e-4)


def test_examples_do_not_interact_and_t_matters():
    """GroupNorm (not BatchNorm): each example's ε̂ depends only on its own x_t and t."""
    model = perturbed_tiny_unet()
    x_t = jnp.stack([jnp.linspace(-1, 1, 784), jnp.cos(jnp.arange(784.0))]).reshape(2, 28, 28, 1)
    t = jnp.array([10, 900], jnp.int32)
    both = apply(model, x_t, t)
    swapped = apply(model, x_t[::-1], t[::-1])
    np.testing.assert_allclose(both, swapped[::-1], atol=1e-5)
    other_t = apply(model, x_t, t[::-1])
    assert np.abs(both - other_t).max() > 1e-3
    assert np.abs(both).max() > 1e-3


def test_param_count_by_hand_for_one_resblock():
    c_in, c_out, emb = 8, 16, 32
    block = nnx.eval_shape(lambda: ResBlock(c_in, c_out, emb, 4, rngs=nnx.Rngs(0)))
    by_hand = (2 * c_in) + (9 * c_in * c_out + c_out) + (emb * c_out + c_out)  # GN, conv, emb
    by_hand += (2 * c_out) + (9 * c_out * c_out + c_out) + (c_in * c_out + c_out)  # GN, conv, skip
    assert count_params(block) == by_hand


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(num_groups=5),
        dict(num_res_blocks=0),
        dict(patch_size=3),
        dict(patch_size=2, channel_mults=(1, 2, 2)),  # 14 → 7 → 3.5
    ],
)
def test_bad_config(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        UNetConfig(**kwargs)


def test_attention_with_zero_queries_averages_values():
    """q = k = 0 makes every attention weight 1/(HW): the output is x + out(mean of v)."""
    attn = Attention(8, 4, rngs=nnx.Rngs(0))
    attn.qkv.kernel[...] = attn.qkv.kernel[...].at[:, :16].set(0.0)
    attn.qkv.bias[...] = jnp.zeros(24)
    x = jnp.sin(jnp.arange(72.0)).reshape(1, 3, 3, 8)

    @nnx.jit
    def both(attn, x):
        v = attn.qkv(attn.norm(x).reshape(1, 9, 8))[..., 16:]
        return attn(x), x + attn.out(v.mean(axis=1)).reshape(1, 1, 1, 8)

    got, expected = both(attn, x)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_group_norm_equals_nnx_group_norm():
    """The multiply-add GroupNorm computes nnx.GroupNorm (two-pass variance), value and grads."""
    import jax

    from diffusion_lite.models.unet import GroupNorm

    rngs = nnx.Rngs(0)
    ours, ref = GroupNorm(32, num_groups=8, rngs=rngs), nnx.GroupNorm(32, num_groups=8, rngs=rngs)
    for norm in (ours, ref):  # non-trivial γ, β shared by both
        norm.scale[...] = 1.0 + jnp.arange(32) / 32
        norm.bias[...] = jnp.linspace(-1.0, 1.0, 32)
    ref.use_fast_variance = False
    x = 3.0 + 2.0 * jax.random.normal(jax.random.key(0), (4, 7, 7, 32))  # mean far from 0

    def value_and_grad(norm):  # one program per norm (eager ops would compile one by one)
        return jax.jit(lambda x: (norm(x), jax.grad(lambda x: jnp.sum(jnp.sin(norm(x))))(x)))(x)

    (y_ours, g_ours), (y_ref, g_ref) = value_and_grad(ours), value_and_grad(ref)
    np.testing.assert_allclose(y_ours, y_ref, atol=2e-5)
    np.testing.assert_allclose(g_ours, g_ref, atol=2e-5)


def test_space_to_depth_moves_each_patch_into_channels_and_back():
    x = np.arange(2 * 4 * 6 * 3, dtype=np.float32).reshape(2, 4, 6, 3)
    y = np.asarray(space_to_depth(jnp.asarray(x), 2))
    assert y.shape == (2, 2, 3, 12)
    for i, j in [(0, 0), (1, 2), (0, 1)]:  # pixel (i, j) of y holds patch (i, j) of x, row-major
        np.testing.assert_array_equal(
            y[:, i, j], x[:, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2].reshape(2, 12)
        )
    np.testing.assert_array_equal(depth_to_space(jnp.asarray(y), 2), x)
    assert space_to_depth(x, 1) is x


def test_patched_unet_keeps_the_image_shape_and_starts_at_zero():
    """Patch size 2: the net runs on [B, 14, 14, 4] but ε̂ is again [B, 28, 28, 1]."""
    config = UNetConfig(channels=8, channel_mults=(1, 2), num_groups=4, patch_size=2)
    model = init_unet(config, 0)
    assert model.conv_in.kernel.shape == (3, 3, 4, 8) and model.conv_out.kernel.shape == (
        3,
        3,
        8,
        4,
    )
    x_t = jnp.linspace(-1, 1, 2 * 28 * 28).reshape(2, 28, 28, 1)
    eps_hat = apply(model, x_t, jnp.array([1, 1000], jnp.int32))
    assert eps_hat.shape == x_t.shape
    np.testing.assert_array_equal(eps_hat, 0.0)  # zero-initialised output conv, as unpatched
