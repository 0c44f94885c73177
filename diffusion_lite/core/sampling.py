"""The reverse process p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I): one step and whole samplers.

``eps_fn(x_t, t)`` is any ε-predictor: a trained network, or the exact ε* of a 1-D
mixture.  It receives ``t`` as an int32 array of shape [B] and returns ε̂ with the shape
of ``x_t``.  Samplers run the loop with ``jax.lax.scan`` and draw the noise of step t
from ``jax.random.fold_in(key, t)``.

Lecture claim 9 says the reverse process is "deterministic".  DDPM's ancestral sampler
is stochastic (fresh z at every step); DDIM with η = 0 is the deterministic one.
"""

import enum

import jax
import jax.numpy as jnp

from diffusion_lite.core.schedules import Schedule, check_t, extract


class Variance(enum.Enum):
    """The two natural fixed choices of σ_t² (Ho et al. 2020 §3.2).  Copy with: ``import enum``."""

    BETA = "beta"  # σ_t² = β_t: optimal when x_0 ~ N(0, I)
    BETA_TILDE = "beta_tilde"  # σ_t² = β̃_t: optimal when x_0 is a single point


def reverse_variances(schedule: "Schedule", variance: Variance = Variance.BETA):
    """σ_t² for t = 0..T (index 0 unused): β_t, or β̃_t = (1-ᾱ_{t-1})/(1-ᾱ_t) β_t.

    Both are fields of the schedule; this only picks one by name.

    Copy with: ``Variance``, ``import enum``.
    """
    if not isinstance(variance, Variance):
        raise ValueError(f"variance must be Variance.BETA or Variance.BETA_TILDE, got {variance!r}")
    return schedule.betas if variance is Variance.BETA else schedule.posterior_variance


def p_mean_from_eps(x_t, t, eps_hat, schedule: "Schedule"):
    """μ_θ(x_t, t) from an ε-prediction.

    Math (Ho et al. 2020 eq. 11):
        μ_θ(x_t, t) = 1/√α_t · ( x_t - β_t / √(1-ᾱ_t) · ε_θ(x_t, t) ).

    Copy with: ``check_t``, ``extract``.

    Args:
        x_t: shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps_hat: ε_θ(x_t, t), same shape as ``x_t``.
        schedule: from ``make_schedule``.
    """
    if jnp.shape(eps_hat) != jnp.shape(x_t):
        raise ValueError(
            f"eps_hat must have the shape of x_t {jnp.shape(x_t)}, got {jnp.shape(eps_hat)}"
        )
    check_t(t, schedule.betas.shape[0] - 1, x_t)
    beta_t, alpha_t = extract(schedule.betas, t, x_t), extract(schedule.alphas, t, x_t)
    eps_coef = beta_t / extract(schedule.sqrt_one_minus_alpha_bars, t, x_t)
    return (x_t - eps_coef * eps_hat) / jnp.sqrt(alpha_t)


def p_sample_step(x_t, t, eps_hat, z, schedule: "Schedule", variance: Variance = Variance.BETA):
    """One ancestral step x_t → x_{t-1} ~ p_θ(x_{t-1} | x_t) (Ho et al. 2020, Algorithm 2).

    Math:
        x_{t-1} = μ_θ(x_t, t) + σ_t z,   z ~ N(0, I),   and no noise at t = 1.

    Copy with: ``check_t``, ``extract``, ``reverse_variances``, ``p_mean_from_eps``, ``Variance``,
    ``import enum``.

    Args:
        x_t: shape [B, ...].
        t: step index in 1..T, scalar or shape [B].
        eps_hat: ε_θ(x_t, t), same shape as ``x_t``.
        z: standard normal noise, same shape as ``x_t``.
        schedule: from ``make_schedule``.
        variance: σ_t² = β_t or β̃_t.
    """
    if jnp.shape(z) != jnp.shape(x_t):
        raise ValueError(f"z must have the shape of x_t {jnp.shape(x_t)}, got {jnp.shape(z)}")
    check_t(t, schedule.betas.shape[0] - 1, x_t)
    sigma2 = extract(reverse_variances(schedule, variance), t, x_t)
    sigma2 = sigma2 * extract(jnp.arange(schedule.betas.shape[0]) > 1, t, x_t)
    return p_mean_from_eps(x_t, t, eps_hat, schedule) + jnp.sqrt(sigma2) * z


def ddim_step(x_t, t, t_prev, eps_hat, z, schedule: "Schedule", eta: float = 0.0):
    """One DDIM step x_t → x_{t_prev}, t_prev < t, possibly skipping steps (Song et al. 2021).

    Math (DDIM eq. 12, 16):
        x̂_0 = (x_t - √(1-ᾱ_t) ε̂) / √ᾱ_t,
        σ = η √((1-ᾱ_prev)/(1-ᾱ_t)) √(1 - ᾱ_t/ᾱ_prev),
        x_prev = √ᾱ_prev x̂_0 + √(1-ᾱ_prev-σ²) ε̂ + σ z.
    η = 0 is deterministic; η = 1 with t_prev = t-1 is ancestral sampling with σ_t² = β̃_t.

    Under ``jit`` the order t_prev < t and η ≥ 0 are not checked (traced values).

    Copy with: ``check_t``, ``extract``.

    Args:
        x_t: shape [B, ...].
        t, t_prev: step indices, 1 ≤ t ≤ T and 0 ≤ t_prev < t (ᾱ_0 = 1 returns x̂_0);
            scalars or shape [B].
        eps_hat: ε_θ(x_t, t), same shape as ``x_t``.
        z: standard normal noise, same shape as ``x_t`` (unused when η = 0).
        schedule: from ``make_schedule``.
        eta: η ≥ 0, the amount of fresh noise.
    """
    if jnp.shape(eps_hat) != jnp.shape(x_t) or jnp.shape(z) != jnp.shape(x_t):
        raise ValueError(f"eps_hat and z must have the shape of x_t {jnp.shape(x_t)}")
    T = schedule.betas.shape[0] - 1
    check_t(t, T, x_t)
    check_t(t_prev, T, x_t, name="t_prev", low=0)
    if not isinstance(t, jax.core.Tracer) and not isinstance(t_prev, jax.core.Tracer):
        if not bool(jnp.all(jnp.asarray(t_prev) < jnp.asarray(t))):
            raise ValueError(f"t_prev must lie in 0..t - 1, got t_prev = {t_prev}, t = {t}")
    if not isinstance(eta, jax.core.Tracer) and not float(eta) >= 0.0:
        raise ValueError(f"eta must be >= 0 (a number, not NaN), got {eta}")
    ab_t, ab_prev = extract(schedule.alpha_bars, t, x_t), extract(schedule.alpha_bars, t_prev, x_t)
    om_t = extract(schedule.one_minus_alpha_bars, t, x_t)  # 1 - ᾱ_t
    om_prev = extract(schedule.one_minus_alpha_bars, t_prev, x_t)  # 1 - ᾱ_prev
    x0_hat = (x_t - extract(schedule.sqrt_one_minus_alpha_bars, t, x_t) * eps_hat) / jnp.sqrt(ab_t)
    sigma = eta * jnp.sqrt(om_prev / om_t * (om_t - om_prev) / ab_prev)  # 1 - ᾱ_t/ᾱ_prev
    direction = jnp.sqrt(jnp.maximum(om_prev - sigma**2, 0.0)) * eps_hat
    return jnp.sqrt(ab_prev) * x0_hat + direction + sigma * z


def ancestral_sample(
    key,
    eps_fn,
    shape,
    schedule: "Schedule",
    variance: Variance = Variance.BETA,
    return_trajectory=False,
):
    """Sample x_0 by running p_θ from x_T ~ N(0, I) down to t = 1 (Algorithm 2), with lax.scan.

    Copy with: ``p_sample_step`` and what it names.

    Args:
        key: PRNG key.
        eps_fn: ``eps_fn(x_t, t) -> eps_hat``, ``t`` an int32 array of shape [B].
        shape: sample shape, leading batch axis [B, ...].
        schedule: from ``make_schedule``.
        variance: σ_t² = β_t or β̃_t.
        return_trajectory: also return every x_t.

    Returns:
        x_0 of ``shape``; with ``return_trajectory``, ``(x_0, xs)`` where xs[i] = x_{T-i},
        shape [T + 1, *shape].
    """
    T = schedule.betas.shape[0] - 1
    key_init, key_steps = jax.random.split(key)
    x_T = jax.random.normal(key_init, shape)

    def step(x_t, t):
        z = jax.random.normal(jax.random.fold_in(key_steps, t), shape)
        eps_hat = eps_fn(x_t, jnp.full((shape[0],), t, dtype=jnp.int32))
        x_prev = p_sample_step(x_t, t, eps_hat, z, schedule, variance)
        return x_prev, x_prev

    x0, xs = jax.lax.scan(step, x_T, jnp.arange(T, 0, -1))
    if return_trajectory:
        return x0, jnp.concatenate([x_T[None], xs], axis=0)
    return x0


def ddim_timesteps(T: int, num_steps: int):
    """The visited steps T = τ_S > … > τ_1 > τ_0 = 0, evenly spaced; int32, shape [num_steps + 1].

    Math:
        τ_i = round(T · i / S) for i = S..0 (rounding half to even, like ``numpy.round``).

    Copy with: nothing.
    """
    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or not 1 <= num_steps <= T:
        raise ValueError(f"num_steps must be an integer in 1..T = 1..{T}, got {num_steps!r}")
    step = -T / num_steps
    taus = [round(T + i * step) for i in range(num_steps)] + [0]
    return jnp.asarray(taus, dtype=jnp.int32)


def ddim_sample(
    key,
    eps_fn,
    shape,
    schedule: "Schedule",
    num_steps: int,
    eta: float = 0.0,
    return_trajectory=False,
):
    """Sample with DDIM over ``num_steps`` evenly spaced steps (η = 0: deterministic).

    Copy with: ``ddim_timesteps``, ``ddim_step`` and what it names.

    Args:
        key: PRNG key (x_T and, for η > 0, the per-step noise).
        eps_fn: ``eps_fn(x_t, t) -> eps_hat``, ``t`` an int32 array of shape [B].
        shape: sample shape [B, ...].
        schedule: from ``make_schedule``.
        num_steps: number of network evaluations, 1..T.
        eta: η ≥ 0.
        return_trajectory: also return the visited x_τ.

    Returns:
        x_0; with ``return_trajectory``, ``(x_0, xs)`` with xs of shape [num_steps + 1, *shape].
    """
    if not float(eta) >= 0.0:
        raise ValueError(f"eta must be >= 0 (a number, not NaN), got {eta}")
    taus = ddim_timesteps(schedule.betas.shape[0] - 1, num_steps)
    key_init, key_steps = jax.random.split(key)
    x_T = jax.random.normal(key_init, shape)

    def step(x_t, pair):
        t, t_prev = pair[0], pair[1]
        z = jax.random.normal(jax.random.fold_in(key_steps, t), shape)
        eps_hat = eps_fn(x_t, jnp.full((shape[0],), t, dtype=jnp.int32))
        x_prev = ddim_step(x_t, t, t_prev, eps_hat, z, schedule, eta)
        return x_prev, x_prev

    pairs = jnp.stack([taus[:-1], taus[1:]], axis=1)
    x0, xs = jax.lax.scan(step, x_T, pairs)
    if return_trajectory:
        return x0, jnp.concatenate([x_T[None], xs], axis=0)
    return x0
