"""1-D Gaussian mixtures: the toy data of the series, with exact densities at every noise level.

A mixture p(x) = Σ_k w_k N(x; μ_k, s_k²) stays a mixture when Gaussian noise is added,
so everything the lecture says about "adding noise until the supports overlap" and about
the diffused marginals q(x_t) can be computed exactly, not only sampled.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np


class GaussianMixture(NamedTuple):
    """Parameters of Σ_k w_k N(μ_k, s_k²); each field has shape [K]."""

    weights: jax.Array
    means: jax.Array
    stds: jax.Array


def make_mixture(weights, means, stds) -> GaussianMixture:
    """Build a validated ``GaussianMixture`` (weights > 0 summing to 1, stds > 0)."""
    w, m, s = (np.asarray(a, dtype=np.float64) for a in (weights, means, stds))
    if not (w.ndim == 1 and w.shape == m.shape == s.shape and w.size >= 1):
        raise ValueError(
            f"weights, means, stds must be 1-D of one length K >= 1, got {w.shape}, {m.shape}, {s.shape}"
        )
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(s)) and np.all(np.isfinite(w))):
        raise ValueError("weights, means and stds must be finite")
    if np.any(w <= 0) or abs(w.sum() - 1.0) > 1e-6:
        raise ValueError(f"weights must be > 0 and sum to 1, got {w.tolist()} (sum {w.sum():.6g})")
    if np.any(s <= 0):
        raise ValueError(f"stds must be > 0, got {s.tolist()}")
    return GaussianMixture(*(jnp.asarray(a, dtype=jnp.float32) for a in (w, m, s)))


def evenly_spaced_mixture(n_modes: int = 8, spacing: float = 1.0, std: float = 0.05):
    """K equal-weight modes at spacing · (k - (K-1)/2), centred on 0, each with ``std``."""
    if n_modes < 1:
        raise ValueError(f"n_modes must be >= 1, got {n_modes}")
    if not (spacing > 0 and std > 0):
        raise ValueError(f"spacing and std must be > 0, got spacing={spacing}, std={std}")
    means = spacing * (np.arange(n_modes) - (n_modes - 1) / 2.0)
    return make_mixture(np.full(n_modes, 1.0 / n_modes), means, np.full(n_modes, std))


def mixture_logpdf(x, weights, means, stds):
    """log p(x) for p = Σ_k w_k N(μ_k, s_k²), evaluated elementwise.

    Math:
        log p(x) = logsumexp_k [ log w_k - ½((x-μ_k)/s_k)² - log s_k - ½ log 2π ].

    Args:
        x: points, any shape [...].
        weights, means, stds: shape [K].

    Returns:
        log-density, shape [...].
    """
    z = (x[..., None] - means) / stds
    log_comp = jnp.log(weights) - 0.5 * z**2 - jnp.log(stds) - 0.5 * jnp.log(2.0 * jnp.pi)
    return jax.scipy.special.logsumexp(log_comp, axis=-1)


def mixture_pdf(x, weights, means, stds):
    """p(x) = Σ_k w_k N(x; μ_k, s_k²), elementwise; shape of ``x``."""
    return jnp.exp(mixture_logpdf(x, weights, means, stds))


def mixture_score(x, weights, means, stds):
    """The score ∇_x log p(x) of a 1-D mixture, elementwise (closed form, no autodiff).

    Math:
        ∇ log p(x) = Σ_k r_k(x) · (μ_k - x) / s_k²,   r_k = responsibility of component k.
    """
    z = (x[..., None] - means) / stds
    log_comp = jnp.log(weights) - 0.5 * z**2 - jnp.log(stds)
    resp = jax.nn.softmax(log_comp, axis=-1)
    return jnp.sum(resp * (means - x[..., None]) / stds**2, axis=-1)


def mixture_sample(key, n: int, weights, means, stds):
    """Draw ``n`` samples: pick component k ~ Categorical(w), then x ~ N(μ_k, s_k²).

    Returns:
        ``(x, k)``: samples, shape [n], and their component indices, shape [n].
    """
    key_component, key_noise = jax.random.split(key)
    k = jax.random.categorical(key_component, jnp.log(weights), shape=(n,))
    x = means[k] + stds[k] * jax.random.normal(key_noise, (n,), dtype=means.dtype)
    return x, k


def smooth_mixture(weights, means, stds, sigma):
    """The density of x + σ n, n ~ N(0, 1), with x from the mixture: p * N(0, σ²).

    Math:
        (p * N(0, σ²))(x) = Σ_k w_k N(x; μ_k, s_k² + σ²)   (Gaussians convolve to Gaussians).

    Returns:
        ``(weights, means, stds)`` of the smoothed mixture.
    """
    return weights, means, jnp.sqrt(stds**2 + sigma**2)


def diffuse_mixture(weights, means, stds, alpha_bar_t):
    """The exact marginal q(x_t) = ∫ q(x_t | x_0) p(x_0) dx_0 of a mixture after t steps.

    Math:
        x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε  ⇒  q(x_t) = Σ_k w_k N( √ᾱ_t μ_k,  ᾱ_t s_k² + 1 - ᾱ_t ).

    Returns:
        ``(weights, means, stds)`` of the diffused mixture.
    """
    return (
        weights,
        jnp.sqrt(alpha_bar_t) * means,
        jnp.sqrt(alpha_bar_t * stds**2 + 1.0 - alpha_bar_t),
    )


def mixture_eps_star(x_t, alpha_bar_t, weights, means, stds):
    """The optimal ε-prediction ε*(x_t, t) = E[ε | x_t] for mixture data (exact).

    Math (Tweedie's formula):
        E[ε | x_t] = -√(1-ᾱ_t) ∇_{x_t} log q(x_t),
    with q(x_t) the diffused mixture.  No network can have a lower ε-MSE at step t.

    Args:
        x_t: points, shape [...].
        alpha_bar_t: ᾱ_t, a scalar or one value per point (shape [...]).
        weights, means, stds: shape [K].

    Returns:
        ε*, shape [...].
    """
    ab = jnp.asarray(alpha_bar_t)[..., None]  # [..., 1] against the components [K]
    m = jnp.sqrt(ab) * means
    var = ab * stds**2 + 1.0 - ab
    log_comp = jnp.log(weights) - 0.5 * (x_t[..., None] - m) ** 2 / var - 0.5 * jnp.log(var)
    resp = jax.nn.softmax(log_comp, axis=-1)
    score = jnp.sum(resp * (m - x_t[..., None]) / var, axis=-1)
    return -jnp.sqrt(1.0 - ab[..., 0]) * score
