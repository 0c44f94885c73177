"""Draw images from a trained ε-model with the samplers of ``sampling`` (jit-compiled)."""

from __future__ import annotations

import enum
from functools import partial

import jax
from flax import nnx

from diffusion_lite.sampling import Variance, ancestral_sample, ddim_sample
from diffusion_lite.schedules import alpha_bars_from_betas


class Sampler(enum.Enum):
    """Which reverse process to run."""

    ANCESTRAL = "ancestral"  # p_θ(x_{t-1} | x_t) for every t = T..1 (Ho et al. 2020, Algorithm 2)
    DDIM = "ddim"  # deterministic DDIM over a few evenly spaced steps (Song et al. 2021)


@partial(nnx.jit, static_argnames=("sampler", "num_images", "num_steps", "return_trajectory"))
def generate(
    model: nnx.Module,
    key: jax.Array,
    betas: jax.Array,
    sampler: Sampler = Sampler.DDIM,
    num_images: int = 64,
    num_steps: int = 50,
    return_trajectory: bool = False,
):
    """Sample ``num_images`` images x_0 ~ p_θ with ``model`` as ε_θ(x_t, t).

    Args:
        model: the ε-model, called as ``model(x_t, t)``.
        key: PRNG key.
        betas: schedule the model was trained with, shape [T + 1].
        sampler: ``Sampler.ANCESTRAL`` (T network calls) or ``Sampler.DDIM``.
        num_images: batch size B.
        num_steps: DDIM steps, 1..T (ignored by the ancestral sampler).
        return_trajectory: also return the visited x_t, shape [S + 1, B, 28, 28, 1].

    Returns:
        x_0 [B, 28, 28, 1]; with ``return_trajectory``, ``(x_0, xs)``.
    """
    shape = (num_images, 28, 28, model.config.image_channels)
    if sampler == Sampler.ANCESTRAL:
        return ancestral_sample(key, model, shape, betas, Variance.BETA, return_trajectory)
    alpha_bars = alpha_bars_from_betas(betas)
    return ddim_sample(key, model, shape, alpha_bars, num_steps, 0.0, return_trajectory)
