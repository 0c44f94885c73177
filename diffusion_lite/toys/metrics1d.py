"""Sample-quality metrics for 1-D generators: mode coverage and the Wasserstein-1 distance.

Both take plain samples, so they score a GAN (notebooks 01–02) and a diffusion sampler
(notebook 07) the same way.  Pure ``jax.numpy``: they work under ``jit`` and ``vmap``.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp


class ModeCoverage(NamedTuple):
    """Result of ``mode_coverage``; ``n_covered`` is the headline number."""

    n_covered: jax.Array  # int, number of modes that got a fair share of samples
    covered: jax.Array  # [K] bool, which modes
    fractions: jax.Array  # [K] fraction of all samples within n_std · s_k of μ_k
    high_quality: jax.Array  # fraction of samples within n_std · s_k of *some* mode


def mode_coverage(
    samples, means, stds, weights=None, n_std: float = 3.0, min_share: float = 0.25
) -> ModeCoverage:
    """How many modes of a mixture receive a fair share of the generated samples.

    Math (the usual GAN mode-coverage count, e.g. Metz et al. 2017, unrolled GANs):
        f_k = #{i : |x_i - μ_k| ≤ n_std · s_k} / N,     mode k is covered  ⇔  f_k ≥ min_share · w_k,
    so with the defaults a mode of weight w_k is covered when it gets at least a quarter of
    the samples it deserves.  ``high_quality`` = fraction of samples within n_std · s_k of
    any mode (samples between modes are "low quality").

    Args:
        samples: generated points, shape [N].
        means, stds: mode centres μ_k and widths s_k, shape [K]; windows should not overlap.
        weights: mode weights w_k, shape [K]; ``None`` means equal weights 1/K.
        n_std: half-width of each mode's window, in units of s_k.
        min_share: fraction of its weight a mode must receive to count as covered.

    Returns:
        ``ModeCoverage(n_covered, covered, fractions, high_quality)``.
    """
    if n_std <= 0:
        raise ValueError(f"n_std must be > 0, got {n_std}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must lie in (0, 1], got {min_share}")
    weights = jnp.full(means.shape, 1.0 / means.shape[0]) if weights is None else weights
    inside = jnp.abs(samples[:, None] - means) <= n_std * stds  # [N, K]
    fractions = jnp.mean(inside, axis=0)  # [K]
    covered = fractions >= min_share * weights
    high_quality = jnp.mean(jnp.any(inside, axis=1))
    return ModeCoverage(jnp.sum(covered), covered, fractions, high_quality)


def wasserstein1(samples, reference_samples) -> jax.Array:
    """W₁ between the empirical distributions of two 1-D sample sets (any sizes).

    Math (in 1-D the optimal transport plan is monotone):
        W₁(P, Q) = ∫ |F_P(x) - F_Q(x)| dx,
    with F the empirical CDFs; integrated exactly between consecutive pooled sample points.
    For equal sizes this equals mean_i |x_(i) - y_(i)| of the sorted samples.

    Args:
        samples: shape [N].
        reference_samples: shape [M], e.g. a large draw from the data distribution.

    Returns:
        scalar W₁ ≥ 0, in the units of x.
    """
    x, y = jnp.sort(samples), jnp.sort(reference_samples)
    pooled = jnp.sort(jnp.concatenate([x, y]))  # [N + M]
    cdf_x = jnp.searchsorted(x, pooled[:-1], side="right") / x.shape[0]
    cdf_y = jnp.searchsorted(y, pooled[:-1], side="right") / y.shape[0]
    return jnp.sum(jnp.abs(cdf_x - cdf_y) * jnp.diff(pooled))
