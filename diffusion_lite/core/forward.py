"""The forward (noising) process q: one Markov step, the whole chain, and the one-shot kernel.

Lecture: "노이즈 한번 추가하기" (add noise once) and the 디퓨전 커널 (diffusion kernel).
Time runs t = 1..T; schedule arrays have length T + 1 (see ``schedules``).  Where the
math has ε we take it as an argument, so identities can be tested exactly.

``t`` may be a Python int, a scalar array, or one step per example (shape [B]) when the
data has a leading batch axis [B, ...].
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def q_step_mean_var(x_prev, t, betas):
    """Mean and variance of one forward step q(x_t | x_{t-1}).

    Math (lecture; Ho et al. 2020 eq. 2):
        q(x_t | x_{t-1}) = N( √(1-β_t) x_{t-1},  β_t I ).

    Args:
        x_prev: x_{t-1}, shape [B, ...] (or any shape if ``t`` is a scalar).
        t: step index in 1..T, scalar or shape [B].
        betas: schedule, shape [T + 1].

    Returns:
        ``(mean, var)``: mean has the shape of ``x_prev``; var broadcasts against it.
    """
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < betas.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{betas.shape[0] - 1}, got {t}")
    beta_t = betas[t]
    beta_t = jnp.reshape(beta_t, beta_t.shape + (1,) * (x_prev.ndim - beta_t.ndim))
    return jnp.sqrt(1.0 - beta_t) * x_prev, beta_t


def q_step(x_prev, t, eps, betas):
    """Draw x_t ~ q(x_t | x_{t-1}) by reparameterisation.

    Math:
        x_t = √(1-β_t) x_{t-1} + √β_t ε,   ε ~ N(0, I).

    Args:
        x_prev: x_{t-1}, shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps: standard normal noise, same shape as ``x_prev``.
        betas: schedule, shape [T + 1].

    Returns:
        x_t, same shape as ``x_prev``.
    """
    if eps.shape != x_prev.shape:
        raise ValueError(f"eps must have the shape of x_prev {x_prev.shape}, got {eps.shape}")
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < betas.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{betas.shape[0] - 1}, got {t}")
    beta_t = betas[t]
    beta_t = jnp.reshape(beta_t, beta_t.shape + (1,) * (x_prev.ndim - beta_t.ndim))
    return jnp.sqrt(1.0 - beta_t) * x_prev + jnp.sqrt(beta_t) * eps


def q_chain(key, x0, betas):
    """Run the whole forward Markov chain x_0 → x_1 → … → x_T, one step at a time.

    Math:
        q(x_{1:T} | x_0) = ∏_{t=1}^{T} q(x_t | x_{t-1})   (the Bayesian network's factorisation).

    The noise of step t is ``jax.random.normal(jax.random.fold_in(key, t), x0.shape)``, so
    a caller can regenerate any ε_t.  Implemented with ``jax.lax.scan``.

    Args:
        key: PRNG key.
        x0: data, any shape.
        betas: schedule, shape [T + 1].

    Returns:
        ``xs``, shape [T + 1, *x0.shape], with ``xs[0] = x0`` and ``xs[t] = x_t``.
    """

    def step(x_prev, t):
        eps = jax.random.normal(jax.random.fold_in(key, t), x_prev.shape, x_prev.dtype)
        x_t = jnp.sqrt(1.0 - betas[t]) * x_prev + jnp.sqrt(betas[t]) * eps
        return x_t, x_t

    ts = jnp.arange(1, betas.shape[0])
    _, xs = jax.lax.scan(step, x0, ts)
    return jnp.concatenate([x0[None], xs], axis=0)


def q_xt_x0_mean_var(x0, t, alpha_bars):
    """Mean and variance of the diffusion kernel q(x_t | x_0).

    Math (lecture, proved by induction; Ho et al. 2020 eq. 4):
        q(x_t | x_0) = N( √ᾱ_t x_0,  (1 - ᾱ_t) I ).

    Args:
        x0: data, shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        alpha_bars: ᾱ, shape [T + 1].

    Returns:
        ``(mean, var)``: mean has the shape of ``x0``; var broadcasts against it.
    """
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < alpha_bars.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{alpha_bars.shape[0] - 1}, got {t}")
    ab = alpha_bars[t]
    ab = jnp.reshape(ab, ab.shape + (1,) * (x0.ndim - ab.ndim))
    return jnp.sqrt(ab) * x0, 1.0 - ab


def q_sample(x0, t, eps, alpha_bars):
    """Jump from x_0 straight to x_t with the diffusion kernel.

    Math:
        x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε,   ε ~ N(0, I).

    Args:
        x0: data, shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps: standard normal noise, same shape as ``x0``.
        alpha_bars: ᾱ, shape [T + 1].

    Returns:
        x_t, same shape as ``x0``.

    >>> import jax.numpy as jnp
    >>> q_sample(jnp.ones(2), 1, jnp.zeros(2), jnp.array([1.0, 0.25])).tolist()
    [0.5, 0.5]
    """
    if eps.shape != x0.shape:
        raise ValueError(f"eps must have the shape of x0 {x0.shape}, got {eps.shape}")
    if not isinstance(t, jax.core.Tracer) and not jnp.all((t >= 1) & (t < alpha_bars.shape[0])):
        raise ValueError(f"t must lie in 1..T = 1..{alpha_bars.shape[0] - 1}, got {t}")
    ab = alpha_bars[t]
    ab = jnp.reshape(ab, ab.shape + (1,) * (x0.ndim - ab.ndim))
    return jnp.sqrt(ab) * x0 + jnp.sqrt(1.0 - ab) * eps
