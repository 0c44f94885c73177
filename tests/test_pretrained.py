"""Tests for diffusion_lite.mnist.pretrained: ClipX0 (the x̂_0-clipped ε-model), sampling for eval."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.core.posterior import predict_x0_from_eps
from diffusion_lite.mnist import pretrained
from diffusion_lite.mnist.config import PRESETS, TrainConfig
from diffusion_lite.mnist.pretrained import ClipX0, Sampler
from diffusion_lite.mnist.train import fit
from diffusion_lite.models.unet import TINY, init_unet


def test_clip_x0_keeps_x0_in_range_and_changes_nothing_inside():
    model = init_unet(TINY, 0)
    kernel = model.conv_out.kernel
    kernel[...] = jax.random.normal(jax.random.key(1), kernel[...].shape)
    config = TrainConfig(model=TINY, T=100)
    schedule = config.noise_schedule()
    x_t = 3.0 * jax.random.normal(jax.random.key(2), (3, 28, 28, 1))
    t = jnp.array([1, 50, 100], jnp.int32)
    both = nnx.jit(lambda clipped, x_t, t: (clipped.model(x_t, t), clipped(x_t, t)))
    eps_raw, eps_clipped = both(ClipX0(model, config), x_t, t)  # eager U-Net calls are slow
    x0_raw = predict_x0_from_eps(x_t, t, eps_raw, schedule)
    x0_clipped = predict_x0_from_eps(x_t, t, eps_clipped, schedule)
    np.testing.assert_allclose(x0_clipped, jnp.clip(x0_raw, -1, 1), atol=1e-4)
    inside = np.abs(np.asarray(x0_raw)) <= 1
    assert inside.any() and (~inside).any()
    np.testing.assert_allclose(
        np.asarray(eps_clipped)[inside], np.asarray(eps_raw)[inside], atol=1e-4
    )


@pytest.mark.e2e
def test_sample_checkpoint_draws_exactly_what_evaluate_checkpoint_scores(tmp_path, monkeypatch):
    images = np.tanh(np.linspace(-2, 2, 16 * 28 * 28, dtype=np.float32)).reshape(16, 28, 28, 1)
    fit(dataclasses.replace(PRESETS["tiny"], steps=2), images, tmp_path, progress=False)
    scored = {}
    monkeypatch.setattr(pretrained, "load_mnist", lambda *_: (images, None))
    monkeypatch.setattr(pretrained, "load_classifier", lambda *_: None)
    monkeypatch.setattr(pretrained, "evaluate", lambda key, clf, x, *_: scored.setdefault("x", x))
    args = (tmp_path / "checkpoint.msgpack", 6, Sampler.DDIM, 3)
    pretrained.evaluate_checkpoint(jax.random.key(4), *args, eta=1.0)
    x = pretrained.sample_checkpoint(jax.random.key(4), *args, eta=1.0)
    assert x.shape == (6, 28, 28, 1)
    np.testing.assert_array_equal(x, scored["x"])
