"""Sample-quality metrics for 2-D toy generators: per-mode shares and the sliced Wasserstein distance.

Both take plain samples, so they score Langevin, ancestral, DDIM and ODE samplers alike
(notebook 09).  Pure ``jax.numpy``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def mode_shares(samples, means, stds, n_std: float = 3.0):
    """The fraction of samples that land within n_std · s_k of each mode centre μ_k.

    Math:
        f_k = #{i : ‖x_i - μ_k‖ ≤ n_std · s_k} / N.
    Compare f_k with the weight w_k: f_k ≈ w_k for every k means the right modes *and* the
    right masses; Σ_k f_k is the share of "high-quality" samples (windows must not overlap).

    Args:
        samples: shape [N, 2].
        means: μ_k, shape [K, 2];  stds: s_k, shape [K].
        n_std: window radius in units of s_k, > 0.

    Returns:
        f, shape [K].
    """
    if not n_std > 0:
        raise ValueError(f"n_std must be > 0, got {n_std}")
    dist = jnp.linalg.norm(samples[:, None, :] - means, axis=-1)  # [N, K]
    return jnp.mean(dist <= n_std * stds, axis=0)


def sliced_wasserstein(key, samples, reference, num_projections: int = 256):
    """Sliced Wasserstein-1 distance between two equal-size 2-D sample sets.

    Math (Rabin et al. 2011; Bonneel et al. 2015):
        SW₁(P, Q) = E_θ [ W₁(θᵀP, θᵀQ) ],   θ uniform on the unit circle,
    each 1-D W₁ being the mean gap of the sorted projections.  Random directions from ``key``.

    Args:
        key: PRNG key for the directions.
        samples, reference: shape [N, 2] each.
        num_projections: number of directions, >= 1.

    Returns:
        scalar SW₁ ≥ 0, in the units of x.
    """
    if samples.shape != reference.shape:
        raise ValueError(
            f"samples and reference must have one shape, got {samples.shape}, {reference.shape}"
        )
    if num_projections < 1:
        raise ValueError(f"num_projections must be >= 1, got {num_projections}")
    angles = jax.random.uniform(key, (num_projections,), maxval=2.0 * jnp.pi)
    directions = jnp.stack([jnp.cos(angles), jnp.sin(angles)])  # [2, P]
    proj_x = jnp.sort(samples @ directions, axis=0)  # [N, P]
    proj_y = jnp.sort(reference @ directions, axis=0)
    return jnp.mean(jnp.abs(proj_x - proj_y))


def mmd2_to_mixture(samples, weights, means, stds, bandwidth: float = 0.2):
    """Squared maximum mean discrepancy between samples and a 2-D isotropic mixture, exactly.

    Math (Gretton et al. 2012, unbiased estimator), with k(x, y) = exp(-‖x-y‖² / 2ℓ²):
        MMD² = E k(x, x') - 2 E k(x, y) + E k(y, y'),   x, x' ~ samples,  y, y' ~ p.
    Gaussian kernels integrate against Gaussian modes in closed form,
        E_{y ~ N(μ, s² I)} k(x, y) = ℓ² / (ℓ² + s²) · exp(-‖x-μ‖² / 2(ℓ² + s²)),
    so only the first term is estimated (a U-statistic over sample pairs): for exact samples
    the estimate has mean 0 and a much smaller spread than any two-sample distance.

    Args:
        samples: shape [N, 2], N >= 2.
        weights, means, stds: the mixture, shapes [K], [K, 2], [K].
        bandwidth: ℓ > 0.

    Returns:
        scalar MMD² estimate (may be slightly negative for near-exact samples).
    """
    if not bandwidth > 0:
        raise ValueError(f"bandwidth must be > 0, got {bandwidth}")
    if samples.ndim != 2 or samples.shape[0] < 2:
        raise ValueError(f"samples must have shape [N >= 2, 2], got {samples.shape}")
    n, ell2 = samples.shape[0], bandwidth**2
    gram = jnp.exp(-jnp.sum((samples[:, None] - samples[None]) ** 2, -1) / (2 * ell2))
    xx = (jnp.sum(gram) - n) / (n * (n - 1))  # pairs i ≠ j, k(x, x) = 1
    v = ell2 + stds**2  # [K]
    xy = jnp.sum(
        weights * ell2 / v * jnp.exp(-jnp.sum((samples[:, None] - means) ** 2, -1) / (2 * v)), -1
    )
    vv = ell2 + stds[:, None] ** 2 + stds[None] ** 2  # [K, K]
    d2 = jnp.sum((means[:, None] - means[None]) ** 2, -1)
    yy = jnp.sum(weights[:, None] * weights[None] * ell2 / vv * jnp.exp(-d2 / (2 * vv)))
    return xx - 2 * jnp.mean(xy) + yy
