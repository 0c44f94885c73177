"""Exact 1-D Bayes and KL on a grid: the reverse step p(x_{t-1} | x_t) without approximations.

Lecture: p(x_{t-1} | x_t) = q(x_t | x_{t-1}) q(x_{t-1}) / q(x_t), and the evidence
q(x_t) = ∫ q(x_t | x_{t-1}) q(x_{t-1}) dx_{t-1} is intractable in general.  In one
dimension the integral is a sum over a fine grid, so we can look at the true reverse step
(and measure how far the marginal q(x_t) still is from N(0, 1)) exactly.

Every ``grid`` here is evenly spaced, shape [G]; densities on it are normalised so that
``sum(density) * dx == 1`` with ``dx = (grid[-1] - grid[0]) / (G - 1)`` (the rectangle
rule, which is exact to many digits for smooth densities whose tails vanish inside the
grid).  In float32, ``grid[1] - grid[0]`` would carry a relative rounding error of up to
~1e-4 (two nearby numbers of size |grid| subtracted), and every normalisation with it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def _log_joint(log_prior, grid, x_t, beta_t):
    """log q(x_t | x_{t-1}) + log p(x_{t-1}) + const on the grid, and the spacing dx (checked)."""
    if log_prior.shape != grid.shape or grid.ndim != 1 or grid.shape[0] < 2:
        raise ValueError(
            f"log_prior and grid must be 1-D of one length G >= 2, got {log_prior.shape}, {grid.shape}"
        )
    if not isinstance(beta_t, jax.core.Tracer) and not 0.0 < float(beta_t) < 1.0:
        raise ValueError(f"beta_t must lie in (0, 1), got {beta_t}")
    x_t = jnp.asarray(x_t)[..., None]  # [..., 1] against the grid [G]
    log_likelihood = -0.5 * (x_t - jnp.sqrt(1.0 - beta_t) * grid) ** 2 / beta_t
    log_joint = log_likelihood + log_prior  # log q(x_t | x_{t-1}) + log p(x_{t-1}) + const
    dx = (grid[-1] - grid[0]) / (grid.shape[0] - 1)  # accurate in float32 (module docstring)
    return log_joint, dx


def grid_posterior(log_prior, grid, x_t, beta_t):
    """The reverse step p(x_{t-1} | x_t) on a grid of x_{t-1} values, by Bayes' rule.

    Math (lecture; the forward step is Ho et al. 2020 eq. 2):
        p(x_{t-1} | x_t) = q(x_t | x_{t-1}) p(x_{t-1}) / ∫ q(x_t | x') p(x') dx',
        q(x_t | x_{t-1}) = N(x_t; √(1-β_t) x_{t-1}, β_t).

    Any 1-D prior p(x_{t-1}) works: the diffused data marginal q(x_{t-1}) gives the true
    reverse step; the kernel q(x_{t-1} | x_0) gives the tractable posterior q(x_{t-1} | x_t, x_0).

    Args:
        log_prior: log p(x_{t-1}) at the grid points (an additive constant does not
            matter), shape [G].
        grid: evenly spaced x_{t-1} values, shape [G].
        x_t: the observed x_t, scalar or shape [B].
        beta_t: β_t of the step, scalar in (0, 1).

    Returns:
        The posterior density at the grid points, shape [G] (or [B, G] for x_t of shape [B]),
        normalised so that ``sum(density) * dx = 1``.
    """
    log_joint, dx = _log_joint(log_prior, grid, x_t, beta_t)
    return jax.nn.softmax(log_joint, axis=-1) / dx  # ÷ the evidence, as a sum over the grid


def grid_log_posterior(log_prior, grid, x_t, beta_t):
    """log p(x_{t-1} | x_t) on a grid: ``grid_posterior`` in log space (no underflow in the tails).

    Math:
        log p(x_{t-1} | x_t) = log q(x_t | x_{t-1}) + log p(x_{t-1}) - log ∫ q(x_t | x') p(x') dx'.

    Args and shapes as in ``grid_posterior``.

    Returns:
        The log posterior density at the grid points, shape [G] or [B, G].
    """
    log_joint, dx = _log_joint(log_prior, grid, x_t, beta_t)
    return jax.nn.log_softmax(log_joint, axis=-1) - jnp.log(dx)


def grid_mean_var(grid, density):
    """Mean and variance of a density given on an even grid.

    Math:
        m = ∫ x p(x) dx,   v = ∫ (x - m)² p(x) dx   (rectangle rule).

    Args:
        grid: shape [G]; density: shape [..., G], normalised as in ``grid_posterior``.

    Returns:
        ``(mean, var)``, each of shape [...].
    """
    dx = (grid[-1] - grid[0]) / (grid.shape[0] - 1)  # accurate in float32 (module docstring)
    mean = jnp.sum(grid * density, axis=-1) * dx
    var = jnp.sum((grid - mean[..., None]) ** 2 * density, axis=-1) * dx
    return mean, var


def kl_to_standard_normal(log_q, grid):
    """KL(q ‖ N(0, 1)) for a 1-D density q known at grid points, by quadrature.

    Math:
        KL(q ‖ N(0,1)) = ∫ q(x) [log q(x) - log φ(x)] dx,   log φ(x) = -x²/2 - ½ log 2π.

    Args:
        log_q: log q(x) at the grid points, normalised, shape [..., G] (e.g. one row per t).
        grid: evenly spaced points covering q's mass, shape [G].

    Returns:
        KL in nats, shape [...].  It is 0 exactly when q = N(0, 1).
    """
    if log_q.shape[-1] != grid.shape[0]:
        raise ValueError(f"log_q's last axis must match grid {grid.shape}, got {log_q.shape}")
    dx = (grid[-1] - grid[0]) / (grid.shape[0] - 1)  # accurate in float32 (module docstring)
    log_phi = -0.5 * grid**2 - 0.5 * jnp.log(2.0 * jnp.pi)
    q = jnp.exp(log_q)
    return jnp.sum(q * (log_q - log_phi), axis=-1) * dx


def kl_to_moment_matched_gaussian(grid, log_density):
    """How far a 1-D density is from Gaussian: KL(p ‖ N(m, v)) with m, v the mean and variance of p.

    Math:
        KL(p ‖ N(m, v)) = ∫ p(x) [log p(x) - log N(x; m, v)] dx = H[N(m, v)] - H[p] ≥ 0,
    zero exactly when p is Gaussian (the moment-matched Gaussian is the best Gaussian fit
    in this direction of the KL).  Taking log p (e.g. from ``grid_log_posterior``) keeps the
    integrand's difference of logs accurate: in float32 the result is good to ~1e-7 nats,
    where subtracting the two entropies would leave an error near 1e-4.

    Args:
        grid: evenly spaced points, shape [G].
        log_density: log p at the grid points, shape [..., G], normalised so that
            ``sum(exp(log_density)) * dx = 1``.

    Returns:
        KL in nats, shape [...].
    """
    dx = (grid[-1] - grid[0]) / (grid.shape[0] - 1)  # accurate in float32 (module docstring)
    p = jnp.exp(log_density)
    mean = jnp.sum(grid * p, axis=-1, keepdims=True) * dx
    var = jnp.sum((grid - mean) ** 2 * p, axis=-1, keepdims=True) * dx
    log_gauss = -0.5 * (grid - mean) ** 2 / var - 0.5 * jnp.log(2.0 * jnp.pi * var)
    integrand = jnp.where(p > 0, p * (log_density - log_gauss), 0.0)  # 0 · log 0 = 0
    return jnp.sum(integrand, axis=-1) * dx
