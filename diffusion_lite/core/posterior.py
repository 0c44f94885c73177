"""The forward-process posterior q(x_{t-1} | x_t, x_0): tractable once we condition on x_0.

Lecture: p(x_{t-1} | x_t) needs the evidence integral ∫ q(x_t | x_{t-1}) q(x_{t-1}) dx_{t-1}
and is intractable, but conditioning on x_0 as well gives a Gaussian in closed form
(complete the square in Bayes' rule).  Ho et al. 2020, eqs. 6–7.

Schedule arrays have length T + 1 (index 0 unused).  At t = 1, ᾱ_0 = 1 makes the
posterior a point mass at x_0: variance β̃_1 = 0, coef1 = 1, coef2 = 0.  Index 0 of every
array below is set to 0 (there is no step 0).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def posterior_variance(betas):
    """β̃_t, the variance of q(x_{t-1} | x_t, x_0).

    Math (Ho et al. 2020 eq. 7):
        β̃_t = (1 - ᾱ_{t-1}) / (1 - ᾱ_t) · β_t,   so β̃_1 = 0 and 0 ≤ β̃_t ≤ β_t.

    Args:
        betas: shape [T + 1] with ``betas[0] = 0``.

    Returns:
        ``posterior_variance``, shape [T + 1] (index 0 set to 0).
    """
    alpha_bars = jnp.cumprod(1.0 - betas)
    alpha_bars_prev = jnp.concatenate([jnp.ones_like(alpha_bars[:1]), alpha_bars[:-1]])
    denom = jnp.where(jnp.arange(betas.shape[0]) == 0, 1.0, 1.0 - alpha_bars)
    return (1.0 - alpha_bars_prev) / denom * betas


def posterior_mean_coef1(betas):
    """The coefficient of x_0 in μ̃_t(x_t, x_0).

    Math (Ho et al. 2020 eq. 7):
        coef1_t = √ᾱ_{t-1} β_t / (1 - ᾱ_t).

    Returns:
        shape [T + 1] (index 0 set to 0; ``coef1[1] = 1``).
    """
    alpha_bars = jnp.cumprod(1.0 - betas)
    alpha_bars_prev = jnp.concatenate([jnp.ones_like(alpha_bars[:1]), alpha_bars[:-1]])
    denom = jnp.where(jnp.arange(betas.shape[0]) == 0, 1.0, 1.0 - alpha_bars)
    return jnp.sqrt(alpha_bars_prev) * betas / denom


def posterior_mean_coef2(betas):
    """The coefficient of x_t in μ̃_t(x_t, x_0).

    Math (Ho et al. 2020 eq. 7):
        coef2_t = √α_t (1 - ᾱ_{t-1}) / (1 - ᾱ_t).

    Returns:
        shape [T + 1] (index 0 set to 0; ``coef2[1] = 0``).
    """
    alpha_bars = jnp.cumprod(1.0 - betas)
    alpha_bars_prev = jnp.concatenate([jnp.ones_like(alpha_bars[:1]), alpha_bars[:-1]])
    denom = jnp.where(jnp.arange(betas.shape[0]) == 0, 1.0, 1.0 - alpha_bars)
    coef2 = jnp.sqrt(1.0 - betas) * (1.0 - alpha_bars_prev) / denom
    return jnp.where(jnp.arange(betas.shape[0]) == 0, 0.0, coef2)


def q_posterior_mean_var(x0, x_t, t, betas):
    """Mean and variance of the posterior q(x_{t-1} | x_t, x_0).

    Math (Bayes' rule, completing the square; Ho et al. 2020 eqs. 6–7):
        q(x_{t-1} | x_t, x_0) = N( μ̃_t, β̃_t I ),
        μ̃_t = √ᾱ_{t-1} β_t / (1-ᾱ_t) · x_0  +  √α_t (1-ᾱ_{t-1}) / (1-ᾱ_t) · x_t.

    Args:
        x0: x_0, shape [B, ...].
        x_t: x_t, same shape as ``x0``.
        t: step index in 1..T, scalar or shape [B].
        betas: shape [T + 1].

    Returns:
        ``(posterior_mean, posterior_variance)``: the mean has the shape of ``x0``; the
        variance broadcasts against it.
    """
    if x0.shape != x_t.shape:
        raise ValueError(f"x0 and x_t must have one shape, got {x0.shape} and {x_t.shape}")
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < betas.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{betas.shape[0] - 1}, got {t}")
    alpha_bars = jnp.cumprod(1.0 - betas)
    ab_t, ab_prev, beta_t = alpha_bars[t], alpha_bars[t - 1], betas[t]
    ab_t, ab_prev, beta_t = (
        jnp.reshape(a, a.shape + (1,) * (x0.ndim - a.ndim)) for a in (ab_t, ab_prev, beta_t)
    )
    coef1 = jnp.sqrt(ab_prev) * beta_t / (1.0 - ab_t)
    coef2 = jnp.sqrt(1.0 - beta_t) * (1.0 - ab_prev) / (1.0 - ab_t)
    return coef1 * x0 + coef2 * x_t, (1.0 - ab_prev) / (1.0 - ab_t) * beta_t


def predict_x0_from_eps(x_t, t, eps, alpha_bars):
    """Invert the diffusion kernel: the x_0 that, with noise ε, gives x_t.

    Math:
        x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε   ⇔   x_0 = (x_t - √(1-ᾱ_t) ε) / √ᾱ_t.

    Args:
        x_t: shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps: ε (or a prediction ε̂), same shape as ``x_t``.
        alpha_bars: shape [T + 1].

    Returns:
        x_0 (or the prediction x̂_0), same shape as ``x_t``.
    """
    if eps.shape != x_t.shape:
        raise ValueError(f"eps must have the shape of x_t {x_t.shape}, got {eps.shape}")
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < alpha_bars.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{alpha_bars.shape[0] - 1}, got {t}")
    ab = alpha_bars[t]
    ab = jnp.reshape(ab, ab.shape + (1,) * (x_t.ndim - ab.ndim))
    return (x_t - jnp.sqrt(1.0 - ab) * eps) / jnp.sqrt(ab)
