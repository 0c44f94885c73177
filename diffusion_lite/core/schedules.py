"""Noise schedules: β_t, α_t = 1 - β_t, ᾱ_t = ∏_{s≤t} α_s and the signal-to-noise ratio.

One time convention everywhere in diffusion_lite: t = 1..T and every schedule array has
length T + 1 with a dummy entry at index 0, so that ``betas[t]`` *is* β_t and
``alpha_bars[t]`` *is* ᾱ_t.  Index 0 holds β_0 = 0, α_0 = 1, ᾱ_0 = 1 (no noise: x_0 is
the data), which makes formulas such as ᾱ_{t-1} valid at t = 1 without special cases.

Schedules are built once, in float64 with NumPy on the host (as in Ho et al.'s code),
and handed to JAX as float32 unless you ask for another dtype.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np


def validate_betas(betas) -> np.ndarray:
    """Check a schedule array of length T + 1: ``betas[0] == 0`` and 0 < β_t < 1 for t ≥ 1.

    Returns the betas as a float64 NumPy array.  Raises ``ValueError`` naming the
    offending entry and the allowed range.
    """
    b = np.asarray(betas, dtype=np.float64)
    if b.ndim != 1 or b.shape[0] < 2:
        raise ValueError(
            f"betas must be a 1-D array of length T + 1 >= 2 (index 0 unused), got shape {b.shape}"
        )
    if b[0] != 0.0:
        raise ValueError(f"betas[0] must be 0 (t = 0 is the data, no noise), got {float(b[0])!r}")
    inner = b[1:]
    bad = np.flatnonzero(~((inner > 0.0) & (inner < 1.0)))
    if bad.size:
        t = int(bad[0]) + 1
        raise ValueError(
            f"betas[{t}] = {float(b[t])!r} is outside the allowed range 0 < beta_t < 1"
        )
    return b


def linear_betas(T: int, beta_1: float = 1e-4, beta_T: float = 0.02, dtype=jnp.float32):
    """β_t rising linearly from ``beta_1`` to ``beta_T`` (Ho et al. 2020, §4).

    Math:
        β_t = β_1 + (t - 1) / (T - 1) · (β_T - β_1),   t = 1..T;   β_0 = 0.

    Args:
        T: number of diffusion steps, T ≥ 1.
        beta_1, beta_T: first and last β, each in (0, 1).

    Returns:
        ``betas``, shape [T + 1], with ``betas[0] = 0``.

    >>> linear_betas(3, 0.1, 0.3).tolist()  # doctest: +ELLIPSIS
    [0.0, 0.1..., 0.2..., 0.3...]
    """
    if not isinstance(T, int | np.integer) or T < 1:
        raise ValueError(f"T must be an integer >= 1, got {T!r}")
    for name, value in (("beta_1", beta_1), ("beta_T", beta_T)):
        if not 0.0 < float(value) < 1.0:
            raise ValueError(f"{name} = {value!r} is outside the allowed range 0 < beta < 1")
    inner = np.linspace(beta_1, beta_T, T, dtype=np.float64) if T > 1 else np.array([beta_1])
    betas = np.concatenate([[0.0], inner])
    return jnp.asarray(validate_betas(betas), dtype=dtype)


def cosine_betas(T: int, s: float = 0.008, max_beta: float = 0.999, dtype=jnp.float32):
    """β_t from the cosine schedule of Nichol & Dhariwal (2021), eq. 17.

    Math:
        f(t) = cos²( (t/T + s) / (1 + s) · π/2 ),   ᾱ_t = f(t) / f(0),
        β_t = min(1 - ᾱ_t / ᾱ_{t-1}, max_beta).

    Args:
        T: number of diffusion steps, T ≥ 1.
        s: small offset so that β_1 is not vanishingly small, s ≥ 0.
        max_beta: clip for the last steps (where ᾱ_t → 0), in (0, 1).

    Returns:
        ``betas``, shape [T + 1], with ``betas[0] = 0``.
    """
    if not isinstance(T, int | np.integer) or T < 1:
        raise ValueError(f"T must be an integer >= 1, got {T!r}")
    if not s >= 0.0:
        raise ValueError(f"s = {s!r} is outside the allowed range s >= 0")
    if not 0.0 < max_beta < 1.0:
        raise ValueError(f"max_beta = {max_beta!r} is outside the allowed range 0 < max_beta < 1")
    t = np.arange(T + 1, dtype=np.float64)
    f = np.cos((t / T + s) / (1.0 + s) * math.pi / 2.0) ** 2
    alpha_bars = f / f[0]
    betas = np.concatenate([[0.0], np.minimum(1.0 - alpha_bars[1:] / alpha_bars[:-1], max_beta)])
    return jnp.asarray(validate_betas(betas), dtype=dtype)


def alphas_from_betas(betas):
    """α_t = 1 - β_t (so ``alphas[0] = 1``).  Shape [T + 1]."""
    return 1.0 - betas


def alpha_bars_from_betas(betas):
    """ᾱ_t = ∏_{s=1}^{t} (1 - β_s), with ᾱ_0 = 1 (the empty product).

    Math:
        ᾱ_t = ᾱ_{t-1} · α_t   (lecture: the diffusion kernel's signal coefficient).

    Args:
        betas: shape [T + 1] with ``betas[0] = 0``.

    Returns:
        ``alpha_bars``, shape [T + 1], decreasing from 1 towards 0.
    """
    return jnp.cumprod(1.0 - betas)


def snr(alpha_bars):
    """Signal-to-noise ratio of q(x_t | x_0):  SNR(t) = ᾱ_t / (1 - ᾱ_t).

    SNR(0) = +inf (pure signal).  Where SNR crosses 1, noise starts to outweigh signal.
    """
    return alpha_bars / (1.0 - alpha_bars)
