"""Tests for diffusion_lite.pretrained.ClipX0 (the x̂_0-clipped ε-model)."""

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from diffusion_lite.models.unet import TINY, UNet
from diffusion_lite.posterior import predict_x0_from_eps
from diffusion_lite.pretrained import ClipX0
from diffusion_lite.schedules import alpha_bars_from_betas
from diffusion_lite.train_config import TrainConfig


def test_clip_x0_keeps_x0_in_range_and_changes_nothing_inside():
    model = UNet(TINY, rngs=nnx.Rngs(0))
    kernel = model.conv_out.kernel
    kernel[...] = jax.random.normal(jax.random.key(1), kernel[...].shape)
    config = TrainConfig(model=TINY, T=100)
    alpha_bars = alpha_bars_from_betas(config.betas())
    x_t = 3.0 * jax.random.normal(jax.random.key(2), (3, 28, 28, 1))
    t = jnp.array([1, 50, 100], jnp.int32)
    eps_raw, eps_clipped = model(x_t, t), ClipX0(model, config)(x_t, t)
    x0_raw = predict_x0_from_eps(x_t, t, eps_raw, alpha_bars)
    x0_clipped = predict_x0_from_eps(x_t, t, eps_clipped, alpha_bars)
    np.testing.assert_allclose(x0_clipped, jnp.clip(x0_raw, -1, 1), atol=1e-4)
    inside = np.abs(np.asarray(x0_raw)) <= 1
    assert inside.any() and (~inside).any()
    np.testing.assert_allclose(
        np.asarray(eps_clipped)[inside], np.asarray(eps_raw)[inside], atol=1e-4
    )
