"""Shared network pieces: the one sinusoidal embedding keeps the shipped U-Net's outputs exactly.

GroupNorm, ResBlock, Attention and Upsample are tested through the U-Net (test_unet.py).
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.mnist.pretrained import load_denoiser
from diffusion_lite.models import unet
from diffusion_lite.models.layers import sinusoidal_embedding


def _unet_embedding_before_issue_16(t, dim: int):
    """The U-Net's own copy as it was when the shipped checkpoint was trained (verbatim)."""
    half = dim // 2
    freqs = jnp.exp(-math.log(10_000.0) * jnp.arange(half) / max(half - 1, 1))
    angles = jnp.asarray(t, jnp.float32)[:, None] * freqs[None, :]
    return jnp.concatenate([jnp.sin(angles), jnp.cos(angles)], axis=-1)


def test_embedding_is_the_u_nets_bit_for_bit():
    t = jnp.array([1, 2, 17, 500, 1000])
    for dim in (2, 8, 48, 56):
        np.testing.assert_array_equal(
            sinusoidal_embedding(t, dim), _unet_embedding_before_issue_16(t, dim)
        )


@pytest.mark.e2e
def test_shipped_denoiser_gives_the_same_outputs(monkeypatch):
    model, _ = load_denoiser()
    x = jax.random.normal(jax.random.key(0), (2, 28, 28, 1))
    t = jnp.array([3, 900], jnp.int32)
    now = model(x, t)
    monkeypatch.setattr(unet, "sinusoidal_embedding", _unet_embedding_before_issue_16)
    np.testing.assert_array_equal(now, model(x, t))


def test_embedding_frequencies_run_from_1_to_1_over_max_period():
    emb = sinusoidal_embedding(jnp.array([1.0]), 8, max_period=100.0)  # angles = ω_k
    np.testing.assert_allclose(
        np.arcsin(emb[0, :4]), [1.0, 100 ** (-1 / 3), 100 ** (-2 / 3), 0.01], rtol=1e-5
    )
    for bad in (0, 3, 4.0):
        with pytest.raises(ValueError, match="dim must be an even integer >= 2"):
            sinusoidal_embedding(jnp.ones(2), bad)
