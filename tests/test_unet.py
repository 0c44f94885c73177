"""Tests for diffusion_lite.models.unet."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.models.unet import TINY, UNet, UNetConfig, count_params, sinusoidal_embedding


def perturbed_tiny_unet():
    """The tiny U-Net with its zero output conv replaced, so outputs are not all zero."""
    model = UNet(TINY, rngs=nnx.Rngs(0))
    kernel = model.conv_out.kernel
    kernel[...] = jax.random.normal(jax.random.key(1), kernel[...].shape) * 0.1
    return model


def test_shapes_and_zero_init():
    model = UNet(TINY, rngs=nnx.Rngs(0))
    x_t = jax.random.normal(jax.random.key(0), (3, 28, 28, 1))
    eps_hat = model(x_t, jnp.array([1, 500, 1000], jnp.int32))
    assert eps_hat.shape == x_t.shape and eps_hat.dtype == jnp.float32
    np.testing.assert_array_equal(eps_hat, 0.0)  # zero-initialised output conv


def test_default_size_for_cpu():
    n = count_params(UNet(UNetConfig(), rngs=nnx.Rngs(0)))
    assert 0.8e6 < n < 1.3e6, n


def test_sinusoidal_embedding_matches_numpy():
    t, dim = np.array([1, 7, 1000]), 16
    freqs = np.array([10_000.0 ** (-i / (dim // 2 - 1)) for i in range(dim // 2)])
    expected = np.concatenate([np.sin(np.outer(t, freqs)), np.cos(np.outer(t, freqs))], axis=1)
    np.testing.assert_allclose(sinusoidal_embedding(t, dim), expected, atol=2e-4)


def test_examples_do_not_interact_and_t_matters():
    """GroupNorm (not BatchNorm): each example's ε̂ depends only on its own x_t and t."""
    model = perturbed_tiny_unet()
    x_t = jax.random.normal(jax.random.key(2), (2, 28, 28, 1))
    t = jnp.array([10, 900], jnp.int32)
    both = model(x_t, t)
    for i in range(2):
        np.testing.assert_allclose(both[i], model(x_t[i : i + 1], t[i : i + 1])[0], atol=1e-5)
    assert not np.allclose(both[0], model(x_t[:1], t[1:])[0], atol=1e-3)


def test_jit_equals_eager():
    model = perturbed_tiny_unet()
    x_t = jax.random.normal(jax.random.key(3), (2, 28, 28, 1))
    t = jnp.array([3, 4], jnp.int32)
    np.testing.assert_allclose(
        nnx.jit(lambda m, x, t: m(x, t))(model, x_t, t), model(x_t, t), atol=1e-5
    )


def test_param_count_by_hand_for_one_resblock():
    """count_params agrees with counting the weights of a ResBlock by hand."""
    from diffusion_lite.models.unet import ResBlock

    c_in, c_out, emb = 8, 16, 32
    block = ResBlock(c_in, c_out, emb, 4, rngs=nnx.Rngs(0))
    by_hand = (2 * c_in) + (9 * c_in * c_out + c_out) + (emb * c_out + c_out)
    by_hand += (2 * c_out) + (9 * c_out * c_out + c_out) + (c_in * c_out + c_out)
    assert count_params(block) == by_hand


@pytest.mark.parametrize("kwargs", [dict(num_groups=5), dict(num_res_blocks=0)])
def test_bad_config(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        UNetConfig(**kwargs)


def test_attention_is_a_softmax_average():
    """With zeroed q/k weights, attention weights are uniform: output = x + out(mean of v)."""
    from diffusion_lite.models.unet import Attention

    attn = Attention(8, 4, rngs=nnx.Rngs(0))
    attn.qkv.kernel[..., :16] = 0.0
    attn.qkv.bias[...] = 0.0
    x = jax.random.normal(jax.random.key(4), (1, 3, 3, 8))
    v = attn.qkv(attn.norm(x).reshape(1, 9, 8))[..., 16:]
    expected = x + attn.out(v.mean(axis=1, keepdims=True)).reshape(1, 1, 1, 8)
    np.testing.assert_allclose(attn(x), expected, atol=1e-5)
    assert math.isclose(float(jnp.abs(attn(x) - x).sum()) > 0, True)
