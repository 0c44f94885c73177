"""The forward (noising) process q: one Markov step, the whole chain, and the one-shot kernel.

Lecture: "노이즈 한번 추가하기" (add noise once) and the 디퓨전 커널 (diffusion kernel).
Time runs t = 1..T; every function takes the ``Schedule`` of ``schedules.make_schedule``.
Where the math has ε we take it as an argument, so identities can be tested exactly.

``t`` may be a Python int, a scalar integer array, or one step per example (shape [B]) when
the data has a leading batch axis [B, ...].  Bad t raises ``ValueError`` (``check_t``;
under ``jit`` only its dtype and shape are checked, not its range).
"""

import jax
import jax.numpy as jnp

from diffusion_lite.core.schedules import Schedule, check_t, extract


def q_step_mean_var(x_prev, t, schedule: "Schedule"):
    """Mean and variance of one forward step q(x_t | x_{t-1}).

    Math (lecture; Ho et al. 2020 eq. 2):
        q(x_t | x_{t-1}) = N( √(1-β_t) x_{t-1},  β_t I ).

    Copy with: ``check_t``, ``extract``.

    Args:
        x_prev: x_{t-1}, shape [B, ...] (or any shape if ``t`` is a scalar).
        t: step index in 1..T, scalar or shape [B].
        schedule: from ``make_schedule``.

    Returns:
        ``(mean, var)``: mean has the shape of ``x_prev``; var broadcasts against it.
    """
    check_t(t, schedule.betas.shape[0] - 1, x_prev)
    return jnp.sqrt(extract(schedule.alphas, t, x_prev)) * x_prev, extract(
        schedule.betas, t, x_prev
    )


def q_step(x_prev, t, eps, schedule: "Schedule"):
    """Draw x_t ~ q(x_t | x_{t-1}) by reparameterisation.

    Math:
        x_t = √(1-β_t) x_{t-1} + √β_t ε,   ε ~ N(0, I).

    Copy with: ``check_t``, ``extract``.

    Args:
        x_prev: x_{t-1}, shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps: standard normal noise, same shape as ``x_prev``.
        schedule: from ``make_schedule``.

    Returns:
        x_t, same shape as ``x_prev``.
    """
    if jnp.shape(eps) != jnp.shape(x_prev):
        raise ValueError(
            f"eps must have the shape of x_prev {jnp.shape(x_prev)}, got {jnp.shape(eps)}"
        )
    check_t(t, schedule.betas.shape[0] - 1, x_prev)
    alpha_t, beta_t = extract(schedule.alphas, t, x_prev), extract(schedule.betas, t, x_prev)
    return jnp.sqrt(alpha_t) * x_prev + jnp.sqrt(beta_t) * eps


def q_chain(key, x0, schedule: "Schedule"):
    """Run the whole forward Markov chain x_0 → x_1 → … → x_T, one step at a time.

    Math:
        q(x_{1:T} | x_0) = ∏_{t=1}^{T} q(x_t | x_{t-1})   (the Bayesian network's factorisation).

    The noise of step t is ``jax.random.normal(jax.random.fold_in(key, t), x0.shape)``, so
    a caller can regenerate any ε_t.  Implemented with ``jax.lax.scan``.

    Copy with: nothing.

    Args:
        key: PRNG key.
        x0: data, any shape.
        schedule: from ``make_schedule``.

    Returns:
        ``xs``, shape [T + 1, *x0.shape], with ``xs[0] = x0`` and ``xs[t] = x_t``.
    """

    def step(x_prev, t):
        eps = jax.random.normal(jax.random.fold_in(key, t), x_prev.shape, x_prev.dtype)
        x_t = jnp.sqrt(schedule.alphas[t]) * x_prev + jnp.sqrt(schedule.betas[t]) * eps
        return x_t, x_t

    ts = jnp.arange(1, schedule.betas.shape[0])
    _, xs = jax.lax.scan(step, x0, ts)
    return jnp.concatenate([x0[None], xs], axis=0)


def q_xt_x0_mean_var(x0, t, schedule: "Schedule"):
    """Mean and variance of the diffusion kernel q(x_t | x_0).

    Math (lecture, proved by induction; Ho et al. 2020 eq. 4):
        q(x_t | x_0) = N( √ᾱ_t x_0,  (1 - ᾱ_t) I ).

    Copy with: ``check_t``, ``extract``.

    Args:
        x0: data, shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        schedule: from ``make_schedule``.

    Returns:
        ``(mean, var)``: mean has the shape of ``x0``; var broadcasts against it.
    """
    check_t(t, schedule.betas.shape[0] - 1, x0)
    mean = extract(schedule.sqrt_alpha_bars, t, x0) * x0
    return mean, extract(schedule.one_minus_alpha_bars, t, x0)


def q_sample(x0, t, eps, schedule: "Schedule"):
    """Jump from x_0 straight to x_t with the diffusion kernel.

    Math:
        x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε,   ε ~ N(0, I).

    Copy with: ``check_t``, ``extract``.

    Args:
        x0: data, shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps: standard normal noise, same shape as ``x0``.
        schedule: from ``make_schedule``.

    Returns:
        x_t, same shape as ``x0``.

    >>> import jax.numpy as jnp
    >>> from diffusion_lite.core.schedules import make_schedule
    >>> q_sample(jnp.ones(2), 1, jnp.zeros(2), make_schedule([0.0, 0.75])).tolist()
    [0.5, 0.5]
    """
    if jnp.shape(eps) != jnp.shape(x0):
        raise ValueError(f"eps must have the shape of x0 {jnp.shape(x0)}, got {jnp.shape(eps)}")
    check_t(t, schedule.betas.shape[0] - 1, x0)
    signal = extract(schedule.sqrt_alpha_bars, t, x0) * x0
    return signal + extract(schedule.sqrt_one_minus_alpha_bars, t, x0) * eps
