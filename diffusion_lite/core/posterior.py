"""The forward-process posterior q(x_{t-1} | x_t, x_0): tractable once we condition on x_0.

Lecture: p(x_{t-1} | x_t) needs the evidence integral ∫ q(x_t | x_{t-1}) q(x_{t-1}) dx_{t-1}
and is intractable, but conditioning on x_0 as well gives a Gaussian in closed form
(complete the square in Bayes' rule).  Ho et al. 2020, eqs. 6–7.

Its constants β̃_t, ``posterior_mean_coef1`` and ``posterior_mean_coef2`` are fields of the
``Schedule`` (computed once in float64 by ``make_schedule``).  At t = 1, ᾱ_0 = 1 makes the
posterior a point mass at x_0: variance β̃_1 = 0, coef1 = 1, coef2 = 0, exactly.
"""

import jax.numpy as jnp

from diffusion_lite.core.schedules import Schedule, check_t, extract


def q_posterior_mean_var(x0, x_t, t, schedule: "Schedule"):
    """Mean and variance of the posterior q(x_{t-1} | x_t, x_0).

    Math (Bayes' rule, completing the square; Ho et al. 2020 eqs. 6–7):
        q(x_{t-1} | x_t, x_0) = N( μ̃_t, β̃_t I ),
        μ̃_t = √ᾱ_{t-1} β_t / (1-ᾱ_t) · x_0  +  √α_t (1-ᾱ_{t-1}) / (1-ᾱ_t) · x_t,
        β̃_t = (1-ᾱ_{t-1}) / (1-ᾱ_t) · β_t.

    Copy with: ``check_t``, ``extract``.

    Args:
        x0: x_0, shape [B, ...].
        x_t: x_t, same shape as ``x0``.
        t: step index in 1..T, scalar or shape [B].
        schedule: from ``make_schedule``.

    Returns:
        ``(posterior_mean, posterior_variance)``: the mean has the shape of ``x0``; the
        variance broadcasts against it.
    """
    if jnp.shape(x0) != jnp.shape(x_t):
        raise ValueError(
            f"x0 and x_t must have one shape, got {jnp.shape(x0)} and {jnp.shape(x_t)}"
        )
    check_t(t, schedule.betas.shape[0] - 1, x0)
    coef1 = extract(schedule.posterior_mean_coef1, t, x0)
    coef2 = extract(schedule.posterior_mean_coef2, t, x0)
    return coef1 * x0 + coef2 * x_t, extract(schedule.posterior_variance, t, x0)


def predict_x0_from_eps(x_t, t, eps, schedule: "Schedule"):
    """Invert the diffusion kernel: the x_0 that, with noise ε, gives x_t.

    Math:
        x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε   ⇔   x_0 = (x_t - √(1-ᾱ_t) ε) / √ᾱ_t.

    Copy with: ``check_t``, ``extract``.

    Args:
        x_t: shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps: ε (or a prediction ε̂), same shape as ``x_t``.
        schedule: from ``make_schedule``.

    Returns:
        x_0 (or the prediction x̂_0), same shape as ``x_t``.
    """
    if jnp.shape(eps) != jnp.shape(x_t):
        raise ValueError(f"eps must have the shape of x_t {jnp.shape(x_t)}, got {jnp.shape(eps)}")
    check_t(t, schedule.betas.shape[0] - 1, x_t)
    noise = extract(schedule.sqrt_one_minus_alpha_bars, t, x_t) * eps
    return (x_t - noise) / extract(schedule.sqrt_alpha_bars, t, x_t)
