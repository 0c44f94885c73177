"""Draw images from a trained ε-model with the samplers of ``sampling`` (jit-compiled)."""

from __future__ import annotations

import enum
from functools import partial

import jax
import jax.numpy as jnp
from flax import nnx

from diffusion_lite.core.guidance import cfg_eps
from diffusion_lite.core.sampling import Variance, ancestral_sample, ddim_sample
from diffusion_lite.core.schedules import Schedule


class Sampler(enum.Enum):
    """Which reverse process to run."""

    ANCESTRAL = "ancestral"  # p_θ(x_{t-1} | x_t) for every t = T..1 (Ho et al. 2020, Algorithm 2)
    DDIM = "ddim"  # DDIM over a few evenly spaced steps (Song et al. 2021); η = 0: deterministic


class ClipX0(nnx.Module):
    """ε_θ re-expressed so that the implied x̂_0 lies in the data range [-1, 1].

    Math (the ``clip_denoised`` of Ho et al.'s code):
        x̂_0 = clip((x_t − √(1-ᾱ_t) ε̂) / √ᾱ_t, −1, 1),   ε̂' = (x_t − √ᾱ_t x̂_0) / √(1-ᾱ_t).
    With the linear schedule √ᾱ_T ≈ 0.006, so an ε̂-error of 0.05 at t = T becomes an x̂_0
    error of ≈ 8: DDIM, which jumps through x̂_0, diverges without the clip while the
    network is young.  Ancestral steps with ε̂' equal Ho et al.'s clipped sampler.
    Called with labels y and a guidance scale w, ε̂ is first guided (``guided``), then clipped.
    """

    def __init__(self, model: nnx.Module, config):  # config: a TrainConfig (its betas())
        self.model, self.config, self.train_config = model, model.config, config
        schedule = config.noise_schedule()  # here, outside jit: computed once in float64
        # static tuples of floats (NNX keeps them in the graph, not as array state)
        self.sqrt_alpha_bars = tuple(schedule.sqrt_alpha_bars.tolist())
        self.sqrt_one_minus_alpha_bars = tuple(schedule.sqrt_one_minus_alpha_bars.tolist())

    def __call__(self, x_t, t, y=None, w=0.0):
        sqrt_ab = jnp.asarray(self.sqrt_alpha_bars)[t][:, None, None, None]  # √ᾱ_t [B, 1, 1, 1]
        sqrt_om = jnp.asarray(self.sqrt_one_minus_alpha_bars)[t][:, None, None, None]
        eps_hat = guided(self.model, x_t, t, y, w)
        x0_hat = jnp.clip((x_t - sqrt_om * eps_hat) / sqrt_ab, -1.0, 1.0)
        return (x_t - sqrt_ab * x0_hat) / sqrt_om


def guided(model: nnx.Module, x_t, t, y=None, w=0.0):
    """ε̂ of a U-Net: ``model(x_t, t)`` without labels y, else classifier-free guided.

    Math (``core.guidance.cfg_eps``): ε̃ = (1 + w) ε_θ(x_t, t, y) - w ε_θ(x_t, t, ∅), with
    ∅ = ``model.config.num_classes``; one network call on the doubled batch.
    """
    if y is None:
        return model(x_t, t)
    if not model.config.num_classes:
        raise ValueError("labels given, but the model is unconditional (num_classes = 0)")
    return cfg_eps(model, x_t, t, y, w, model.config.num_classes)


@partial(
    nnx.jit, static_argnames=("sampler", "num_images", "num_steps", "return_trajectory", "eta")
)
def generate(
    model: nnx.Module,
    key: jax.Array,
    schedule: Schedule,
    sampler: Sampler = Sampler.DDIM,
    num_images: int = 64,
    num_steps: int = 50,
    return_trajectory: bool = False,
    eta: float = 0.0,
    labels: jax.Array | None = None,
    guidance: float = 0.0,
):
    """Sample ``num_images`` images x_0 ~ p_θ with ``model`` as ε_θ(x_t, t) (or ε̃(x_t, t, y)).

    Args:
        model: the ε-model, called as ``model(x_t, t)``.
        key: PRNG key.
        schedule: the schedule the model was trained with (``config.noise_schedule()``).
        sampler: ``Sampler.ANCESTRAL`` (T network calls) or ``Sampler.DDIM``.
        num_images: batch size B.
        num_steps: DDIM steps, 1..T (ignored by the ancestral sampler).
        return_trajectory: also return the visited x_t, shape [S + 1, B, 28, 28, 1].
        eta: DDIM's η: 0 deterministic, 1 as much fresh noise per step as the ancestral
            sampler (a strided DDPM); ignored by the ancestral sampler.
        labels: int [num_images] in 0..K-1, the requested classes (conditional models only;
            None: a conditional model samples p(x) through its "no label" class ∅).
        guidance: w ≥ 0 in ε̃ = (1 + w) ε(x_t, t, y) - w ε(x_t, t, ∅) (traced: every w shares
            one compilation).  Not checked here (jit): ``cli`` checks w and the labels' range.

    Returns:
        x_0 [B, 28, 28, 1]; with ``return_trajectory``, ``(x_0, xs)``.
    """
    shape = (num_images, 28, 28, model.config.image_channels)
    if labels is not None and labels.shape != (num_images,):
        raise ValueError(f"labels must have shape ({num_images},), got {labels.shape}")
    if labels is None:
        eps_fn = model
    elif isinstance(model, ClipX0):  # it guides, then clips (guiding it again would nest)
        eps_fn = partial(model, y=labels, w=guidance)
    else:
        eps_fn = partial(guided, model, y=labels, w=guidance)
    if sampler == Sampler.ANCESTRAL:
        return ancestral_sample(key, eps_fn, shape, schedule, Variance.BETA, return_trajectory)
    return ddim_sample(key, eps_fn, shape, schedule, num_steps, eta, return_trajectory)
