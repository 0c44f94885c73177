"""The reverse process p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I): one step and whole samplers.

``eps_fn(x_t, t)`` is any ε-predictor: a trained network, or the exact ε* of a 1-D
mixture.  It receives ``t`` as an int32 array of shape [B] and returns ε̂ with the shape
of ``x_t``.  Samplers run the loop with ``jax.lax.scan`` and draw the noise of step t
from ``jax.random.fold_in(key, t)``.

Lecture claim 9 says the reverse process is "deterministic".  DDPM's ancestral sampler
is stochastic (fresh z at every step); DDIM with η = 0 is the deterministic one.
"""

from __future__ import annotations

import enum

import jax
import jax.numpy as jnp
import numpy as np


class Variance(enum.Enum):
    """The two natural fixed choices of σ_t² (Ho et al. 2020 §3.2)."""

    BETA = "beta"  # σ_t² = β_t: optimal when x_0 ~ N(0, I)
    BETA_TILDE = "beta_tilde"  # σ_t² = β̃_t: optimal when x_0 is a single point


def reverse_variances(betas, variance: Variance = Variance.BETA):
    """σ_t² for t = 0..T (index 0 unused): β_t or β̃_t = (1-ᾱ_{t-1})/(1-ᾱ_t) β_t."""
    if variance is Variance.BETA:
        return betas
    alpha_bars = jnp.cumprod(1.0 - betas)
    alpha_bars_prev = jnp.concatenate([jnp.ones_like(alpha_bars[:1]), alpha_bars[:-1]])
    denom = jnp.where(jnp.arange(betas.shape[0]) == 0, 1.0, 1.0 - alpha_bars)
    return (1.0 - alpha_bars_prev) / denom * betas


def p_mean_from_eps(x_t, t, eps_hat, betas):
    """μ_θ(x_t, t) from an ε-prediction.

    Math (Ho et al. 2020 eq. 11):
        μ_θ(x_t, t) = 1/√α_t · ( x_t - β_t / √(1-ᾱ_t) · ε_θ(x_t, t) ).

    Args:
        x_t: shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps_hat: ε_θ(x_t, t), same shape as ``x_t``.
        betas: shape [T + 1].
    """
    if eps_hat.shape != x_t.shape:
        raise ValueError(f"eps_hat must have the shape of x_t {x_t.shape}, got {eps_hat.shape}")
    alpha_bars = jnp.cumprod(1.0 - betas)
    beta_t, ab_t = betas[t], alpha_bars[t]
    beta_t, ab_t = (jnp.reshape(a, a.shape + (1,) * (x_t.ndim - a.ndim)) for a in (beta_t, ab_t))
    return (x_t - beta_t / jnp.sqrt(1.0 - ab_t) * eps_hat) / jnp.sqrt(1.0 - beta_t)


def p_sample_step(x_t, t, eps_hat, z, betas, variance: Variance = Variance.BETA):
    """One ancestral step x_t → x_{t-1} ~ p_θ(x_{t-1} | x_t) (Ho et al. 2020, Algorithm 2).

    Math:
        x_{t-1} = μ_θ(x_t, t) + σ_t z,   z ~ N(0, I),   and no noise at t = 1.

    Args:
        x_t: shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps_hat: ε_θ(x_t, t), same shape as ``x_t``.
        z: standard normal noise, same shape as ``x_t``.
        betas: shape [T + 1].
        variance: σ_t² = β_t or β̃_t.
    """
    if z.shape != x_t.shape:
        raise ValueError(f"z must have the shape of x_t {x_t.shape}, got {z.shape}")
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < betas.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{betas.shape[0] - 1}, got {t}")
    sigma2 = reverse_variances(betas, variance)[t] * (t > 1)
    sigma2 = jnp.reshape(sigma2, sigma2.shape + (1,) * (x_t.ndim - sigma2.ndim))
    return p_mean_from_eps(x_t, t, eps_hat, betas) + jnp.sqrt(sigma2) * z


def ddim_step(x_t, t, t_prev, eps_hat, z, alpha_bars, eta: float = 0.0):
    """One DDIM step x_t → x_{t_prev}, t_prev < t, possibly skipping steps (Song et al. 2021).

    Math (DDIM eq. 12, 16):
        x̂_0 = (x_t - √(1-ᾱ_t) ε̂) / √ᾱ_t,
        σ = η √((1-ᾱ_prev)/(1-ᾱ_t)) √(1 - ᾱ_t/ᾱ_prev),
        x_prev = √ᾱ_prev x̂_0 + √(1-ᾱ_prev-σ²) ε̂ + σ z.
    η = 0 is deterministic; η = 1 with t_prev = t-1 is ancestral sampling with σ_t² = β̃_t.

    Args:
        x_t: shape [B, ...].
        t, t_prev: step indices, 1 ≤ t ≤ T and 0 ≤ t_prev < t (ᾱ_0 = 1 returns x̂_0);
            scalars or shape [B].
        eps_hat: ε_θ(x_t, t), same shape as ``x_t``.
        z: standard normal noise, same shape as ``x_t`` (unused when η = 0).
        alpha_bars: shape [T + 1].
        eta: η ≥ 0, the amount of fresh noise.
    """
    if eps_hat.shape != x_t.shape or z.shape != x_t.shape:
        raise ValueError(f"eps_hat and z must have the shape of x_t {x_t.shape}")
    ab_t, ab_prev = alpha_bars[t], alpha_bars[t_prev]
    ab_t, ab_prev = (jnp.reshape(a, a.shape + (1,) * (x_t.ndim - a.ndim)) for a in (ab_t, ab_prev))
    x0_hat = (x_t - jnp.sqrt(1.0 - ab_t) * eps_hat) / jnp.sqrt(ab_t)
    sigma = eta * jnp.sqrt((1.0 - ab_prev) / (1.0 - ab_t) * (1.0 - ab_t / ab_prev))
    direction = jnp.sqrt(jnp.maximum(1.0 - ab_prev - sigma**2, 0.0)) * eps_hat
    return jnp.sqrt(ab_prev) * x0_hat + direction + sigma * z


def ancestral_sample(
    key, eps_fn, shape, betas, variance: Variance = Variance.BETA, return_trajectory=False
):
    """Sample x_0 by running p_θ from x_T ~ N(0, I) down to t = 1 (Algorithm 2), with lax.scan.

    Args:
        key: PRNG key.
        eps_fn: ``eps_fn(x_t, t) -> eps_hat``, ``t`` an int32 array of shape [B].
        shape: sample shape, leading batch axis [B, ...].
        betas: shape [T + 1].
        variance: σ_t² = β_t or β̃_t.
        return_trajectory: also return every x_t.

    Returns:
        x_0 of ``shape``; with ``return_trajectory``, ``(x_0, xs)`` where xs[i] = x_{T-i},
        shape [T + 1, *shape].
    """
    T = betas.shape[0] - 1
    key_init, key_steps = jax.random.split(key)
    x_T = jax.random.normal(key_init, shape)

    def step(x_t, t):
        z = jax.random.normal(jax.random.fold_in(key_steps, t), shape)
        eps_hat = eps_fn(x_t, jnp.full((shape[0],), t, dtype=jnp.int32))
        x_prev = p_sample_step(x_t, t, eps_hat, z, betas, variance)
        return x_prev, x_prev

    x0, xs = jax.lax.scan(step, x_T, jnp.arange(T, 0, -1))
    if return_trajectory:
        return x0, jnp.concatenate([x_T[None], xs], axis=0)
    return x0


def ddim_timesteps(T: int, num_steps: int) -> np.ndarray:
    """The visited steps T = τ_S > … > τ_1 > τ_0 = 0, evenly spaced; shape [num_steps + 1]."""
    if not 1 <= num_steps <= T:
        raise ValueError(f"num_steps must lie in 1..T = 1..{T}, got {num_steps}")
    return np.round(np.linspace(T, 0, num_steps + 1)).astype(np.int32)


def ddim_sample(
    key, eps_fn, shape, alpha_bars, num_steps: int, eta: float = 0.0, return_trajectory=False
):
    """Sample with DDIM over ``num_steps`` evenly spaced steps (η = 0: deterministic).

    Args:
        key: PRNG key (x_T and, for η > 0, the per-step noise).
        eps_fn: ``eps_fn(x_t, t) -> eps_hat``, ``t`` an int32 array of shape [B].
        shape: sample shape [B, ...].
        alpha_bars: shape [T + 1].
        num_steps: number of network evaluations, 1..T.
        eta: η ≥ 0.
        return_trajectory: also return the visited x_τ.

    Returns:
        x_0; with ``return_trajectory``, ``(x_0, xs)`` with xs of shape [num_steps + 1, *shape].
    """
    if eta < 0:
        raise ValueError(f"eta must be >= 0, got {eta}")
    taus = ddim_timesteps(alpha_bars.shape[0] - 1, num_steps)
    key_init, key_steps = jax.random.split(key)
    x_T = jax.random.normal(key_init, shape)

    def step(x_t, pair):
        t, t_prev = pair[0], pair[1]
        z = jax.random.normal(jax.random.fold_in(key_steps, t), shape)
        eps_hat = eps_fn(x_t, jnp.full((shape[0],), t, dtype=jnp.int32))
        x_prev = ddim_step(x_t, t, t_prev, eps_hat, z, alpha_bars, eta)
        return x_prev, x_prev

    pairs = jnp.stack([jnp.asarray(taus[:-1]), jnp.asarray(taus[1:])], axis=1)
    x0, xs = jax.lax.scan(step, x_T, pairs)
    if return_trajectory:
        return x0, jnp.concatenate([x_T[None], xs], axis=0)
    return x0
