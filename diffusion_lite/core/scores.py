"""2-D Gaussian mixtures with exact scores at every noise level, and Langevin samplers.

A mixture p(x) = Σ_k w_k N(x; μ_k, s_k² I) in the plane (isotropic components) stays a
mixture under the forward process, so the score ∇_x log q_t(x) of every diffused marginal,
and with it the optimal noise prediction ε*(x_t, t), is available in closed form.  The
functions take ``(weights [K], means [K, 2], stds [K])`` like their 1-D cousins in
``mixtures``; ``alpha_bar`` is ᾱ_t (discrete step t) or ᾱ(s) (continuous time, see ``ode``).

Langevin dynamics (Song & Ermon 2019) draws samples from a density knowing only its score.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def ring_mixture(n_modes: int = 8, radius: float = 2.0, std: float = 0.1, weights=None):
    """K isotropic modes evenly spaced on a circle: μ_k = r (cos 2πk/K, sin 2πk/K).

    Args:
        n_modes: K ≥ 1.
        radius: r > 0.
        std: s > 0, the width of every mode.
        weights: w_k > 0 summing to 1, shape [K]; ``None`` for equal weights.

    Returns:
        ``(weights [K], means [K, 2], stds [K])``.

    Copy with: nothing (only ``jax.numpy``).
    """
    if n_modes < 1:
        raise ValueError(f"n_modes must be an integer >= 1, got {n_modes}")
    if not (radius > 0 and std > 0):
        raise ValueError(f"radius and std must be > 0, got radius={radius}, std={std}")
    w = jnp.full((n_modes,), 1.0 / n_modes) if weights is None else jnp.asarray(weights, float)
    if w.shape != (n_modes,) or bool(jnp.any(w <= 0)) or abs(float(w.sum()) - 1.0) > 1e-5:
        raise ValueError(f"weights must be {n_modes} values > 0 summing to 1, got {w}")
    angles = 2.0 * jnp.pi * jnp.arange(n_modes) / n_modes
    means = radius * jnp.stack([jnp.cos(angles), jnp.sin(angles)], axis=-1)  # [K, 2]
    return w, means, jnp.full((n_modes,), float(std))


def diffuse_mixture2d(weights, means, stds, alpha_bar):
    """The exact marginal q_t(x_t) = ∫ N(x_t; √ᾱ x_0, (1-ᾱ) I) p(x_0) dx_0 of a 2-D mixture.

    Math (lecture: the diffusion kernel; Gaussians convolve to Gaussians):
        q_t(x_t) = Σ_k w_k N( x_t;  √ᾱ μ_k,  (ᾱ s_k² + 1 - ᾱ) I ).

    Returns:
        ``(weights [K], means [K, 2], stds [K])`` of the diffused mixture.

    Copy with: nothing (only ``jax.numpy``).
    """
    return weights, jnp.sqrt(alpha_bar) * means, jnp.sqrt(alpha_bar * stds**2 + 1.0 - alpha_bar)


def mixture2d_logpdf(x, weights, means, stds):
    """log p(x) of a 2-D isotropic mixture.

    Math:
        log p(x) = logsumexp_k [ log w_k - ‖x - μ_k‖² / (2 s_k²) - 2 log s_k - log 2π ].

    Args:
        x: points, shape [..., 2].

    Returns:
        shape [...].

    Copy with: nothing (only ``jax.numpy``).
    """
    sq = jnp.sum((x[..., None, :] - means) ** 2, axis=-1)  # ‖x - μ_k‖², [..., K]
    log_comp = jnp.log(weights) - 0.5 * sq / stds**2 - 2.0 * jnp.log(stds) - jnp.log(2.0 * jnp.pi)
    return jax.scipy.special.logsumexp(log_comp, axis=-1)


def mixture2d_score(x, weights, means, stds):
    """The score ∇_x log p(x) in closed form (no autodiff).

    Math:
        ∇ log p(x) = Σ_k r_k(x) (μ_k - x) / s_k²,   r_k(x) = p(component k | x).

    Args:
        x: points, shape [..., 2].

    Returns:
        shape [..., 2].

    Copy with: nothing (only ``jax.numpy``).
    """
    sq = jnp.sum((x[..., None, :] - means) ** 2, axis=-1)  # ‖x - μ_k‖², [..., K]
    r = jax.nn.softmax(jnp.log(weights) - 0.5 * sq / stds**2 - 2.0 * jnp.log(stds), axis=-1)
    return jnp.sum((r / stds**2)[..., None] * (means - x[..., None, :]), axis=-2)


def mixture2d_eps_star(x_t, alpha_bar, weights, means, stds):
    """The optimal noise prediction ε*(x_t) = E[ε | x_t] at noise level ᾱ (exact).

    Math (Tweedie's formula, notebook 07):
        ε*(x_t, t) = -√(1-ᾱ_t) ∇_{x_t} log q_t(x_t),   q_t = ``diffuse_mixture2d``.

    Args:
        x_t: shape [..., 2].
        alpha_bar: ᾱ in (0, 1), a scalar.

    Returns:
        shape [..., 2].

    Copy with: nothing (only ``jax.numpy``).
    """
    m = jnp.sqrt(alpha_bar) * means  # diffused means, [K, 2]
    var = alpha_bar * stds**2 + 1.0 - alpha_bar  # diffused variances, [K]
    sq = jnp.sum((x_t[..., None, :] - m) ** 2, axis=-1)  # [..., K]
    r = jax.nn.softmax(jnp.log(weights) - 0.5 * sq / var - jnp.log(var), axis=-1)
    score = jnp.sum((r / var)[..., None] * (m - x_t[..., None, :]), axis=-2)  # ∇ log q_t
    return -jnp.sqrt(1.0 - alpha_bar) * score


def mixture2d_sample(key, n: int, weights, means, stds):
    """Draw ``n`` points: k ~ Categorical(w), then x ~ N(μ_k, s_k² I).

    Returns:
        ``(x [n, 2], k [n])``.

    Copy with: nothing (only ``jax.numpy``).
    """
    key_component, key_noise = jax.random.split(key)
    k = jax.random.categorical(key_component, jnp.log(weights), shape=(n,))
    x = means[k] + stds[k][:, None] * jax.random.normal(key_noise, (n, 2), means.dtype)
    return x, k


def langevin_step(x, score, z, step_size):
    """One step of (unadjusted) Langevin dynamics towards the density whose score is given.

    Math (Song & Ermon 2019, eq. 4; Welling & Teh 2011):
        x' = x + (δ/2) ∇_x log p(x) + √δ z,   z ~ N(0, I).
    As δ → 0 and the number of steps → ∞, x is distributed as p.

    Args:
        x: current points, shape [B, D].
        score: ∇ log p(x), same shape.
        z: standard normal noise, same shape.
        step_size: δ > 0.

    Returns:
        x', shape [B, D].

    Copy with: nothing (only ``jax.numpy``).
    """
    if not isinstance(step_size, jax.core.Tracer) and not step_size > 0:
        raise ValueError(f"step_size must be > 0, got {step_size}")
    if score.shape != x.shape or z.shape != x.shape:
        raise ValueError(f"score and z must have the shape of x {x.shape}")
    return x + 0.5 * step_size * score + jnp.sqrt(step_size) * z


def annealed_langevin(key, score_fn, x_init, step_sizes, steps_per_level: int):
    """Langevin dynamics through a sequence of noise levels, from the noisiest to the cleanest.

    Math (Song & Ermon 2019, Algorithm 1): for levels i = 0..L-1 (noisiest first), run
    ``steps_per_level`` steps of ``langevin_step`` with score ``score_fn(x, i)`` and step δ_i,
    each level starting where the previous one stopped.  With L = 1 this is plain Langevin.

    Args:
        key: PRNG key; level i, step j draw z from ``fold_in(key, i * steps_per_level + j)``.
        score_fn: ``score_fn(x [B, D], i) -> [B, D]``, the score of level i.
        x_init: starting points, shape [B, D].
        step_sizes: δ_i > 0, shape [L].
        steps_per_level: number of steps at each level, >= 1.

    Returns:
        the final points, shape [B, D].

    Copy with: nothing (only ``jax.numpy``).
    """
    if steps_per_level < 1:
        raise ValueError(f"steps_per_level must be >= 1, got {steps_per_level}")
    step_sizes = jnp.asarray(step_sizes)
    if step_sizes.ndim != 1 or not bool(jnp.all(step_sizes > 0)):
        raise ValueError(f"step_sizes must be a 1-D array of values > 0, got {step_sizes}")

    def step(x, index):
        level = index // steps_per_level
        z = jax.random.normal(jax.random.fold_in(key, index), x.shape, x.dtype)
        delta = step_sizes[level]
        return x + 0.5 * delta * score_fn(x, level) + jnp.sqrt(delta) * z, None  # langevin_step

    indices = jnp.arange(step_sizes.shape[0] * steps_per_level)
    x, _ = jax.lax.scan(step, x_init, indices)
    return x
