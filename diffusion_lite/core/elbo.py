"""The variational bound on -log p_θ(x_0) of a diffusion model, term by term.

Lecture: latent x_{1:T} make log p_θ(x_0) = log ∫ p_θ(x_{0:T}) dx_{1:T} intractable, so we
maximise a lower bound (ELBO) instead.  Ho et al. 2020 eq. 5 write its negative as

    -ELBO = L_T + Σ_{t=2}^{T} L_{t-1} + L_0,
    L_T     = KL( q(x_T | x_0) ‖ N(0, I) ),                       (prior, no parameters)
    L_{t-1} = KL( q(x_{t-1} | x_t, x_0) ‖ p_θ(x_{t-1} | x_t) ),   x_t ~ q(x_t | x_0),
    L_0     = -log p_θ(x_0 | x_1),                                (decoder)

all Gaussian, so every term is in closed form.  The decoder here is continuous,
p_θ(x_0 | x_1) = N(μ_θ(x_1, 1), β_1 I) (Ho et al. discretise it for images; our toy data
are real numbers).  Values are in nats per data point; divide by log 2 for bits.
"""

from typing import NamedTuple

import jax
import jax.numpy as jnp

from diffusion_lite.core.forward import q_sample, q_xt_x0_mean_var
from diffusion_lite.core.losses import gaussian_kl, gaussian_log_likelihood
from diffusion_lite.core.posterior import q_posterior_mean_var
from diffusion_lite.core.sampling import Variance, p_mean_from_eps, reverse_variances
from diffusion_lite.core.schedules import Schedule, check_t, extract


def prior_term(x0, schedule: "Schedule"):
    """L_T = KL( q(x_T | x_0) ‖ N(0, I) ), per example; shape [B] for ``x0`` of shape [B, ...].

    Copy with: ``q_xt_x0_mean_var``, ``gaussian_kl`` and what they name.
    """
    T = schedule.betas.shape[0] - 1
    mean, var = q_xt_x0_mean_var(x0, T, schedule)
    return jnp.sum(gaussian_kl(mean, var, 0.0, 1.0), axis=tuple(range(1, x0.ndim)))  # [B]


def diffusion_term(x0, t, eps, eps_hat, schedule: "Schedule", variance: Variance = Variance.BETA):
    """L_{t-1} = KL( q(x_{t-1} | x_t, x_0) ‖ p_θ(x_{t-1} | x_t) ) for x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε.

    Math (Ho et al. 2020 eqs. 5, 7, 11):
        q(x_{t-1} | x_t, x_0) = N(μ̃_t, β̃_t I),   p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t² I),
        μ_θ = (x_t - β_t / √(1-ᾱ_t) · ε̂) / √α_t,
    and the KL of two Gaussians in closed form (``losses.gaussian_kl``).  It equals
    λ_t ‖ε - ε̂‖² + const (``losses.elbo_weights``).

    Copy with: ``check_t``, ``extract``, ``q_sample``, ``q_posterior_mean_var``,
    ``reverse_variances``, ``p_mean_from_eps``, ``gaussian_kl``, ``Variance``, ``import enum``.

    Args:
        x0: shape [B, ...].
        t: step index in 2..T, scalar or shape [B].
        eps: the ε that made x_t, same shape as ``x0``.
        eps_hat: ε_θ(x_t, t), same shape as ``x0``.
        schedule: from ``make_schedule``.
        variance: σ_t² = β_t or β̃_t.

    Returns:
        shape [B]: the KL in nats, summed over the data axes.
    """
    check_t(t, schedule.betas.shape[0] - 1, x0, low=2)
    x_t = q_sample(x0, t, eps, schedule)
    posterior_mean, posterior_var = q_posterior_mean_var(x0, x_t, t, schedule)
    sigma2 = extract(reverse_variances(schedule, variance), t, x0)
    p_mean = p_mean_from_eps(x_t, t, eps_hat, schedule)
    kl = gaussian_kl(posterior_mean, posterior_var, p_mean, sigma2)  # [B, ...]
    return jnp.sum(kl, axis=tuple(range(1, x0.ndim)))  # [B]


def decoder_term(x0, eps, eps_hat, schedule: "Schedule"):
    """L_0 = -log p_θ(x_0 | x_1) with the Gaussian decoder N(μ_θ(x_1, 1), β_1 I); shape [B].

    ``eps`` made x_1 = √ᾱ_1 x_0 + √(1-ᾱ_1) ε, and ``eps_hat`` = ε_θ(x_1, 1).

    Copy with: ``q_sample``, ``p_mean_from_eps``, ``gaussian_log_likelihood`` and what they name.
    """
    x1 = q_sample(x0, 1, eps, schedule)
    mean = p_mean_from_eps(x1, 1, eps_hat, schedule)
    log_p = gaussian_log_likelihood(x0, mean, schedule.betas[1])
    return -jnp.sum(log_p, axis=tuple(range(1, x0.ndim)))


class NLLBound(NamedTuple):
    """-ELBO of each example, split as Ho et al. 2020 eq. 5 (all in nats).

    Copy with: ``from typing import NamedTuple``.
    """

    prior: jax.Array  # L_T, shape [B]
    diffusion: jax.Array  # L_{t-1} for t = 0..T, shape [T + 1, B] (rows 0 and 1 are 0)
    decoder: jax.Array  # L_0, shape [B]

    def total(self) -> jax.Array:
        """-ELBO = L_T + Σ_t L_{t-1} + L_0 ≥ -log p_θ(x_0), shape [B]."""
        return self.prior + jnp.sum(self.diffusion, axis=0) + self.decoder


def nll_bound(
    key, eps_fn, x0, schedule: "Schedule", variance: Variance = Variance.BETA
) -> "NLLBound":
    """Estimate -ELBO ≥ -log p_θ(x_0) for every example, with one x_t per step and example.

    Every L_{t-1} is evaluated (no sampling of t), so the only randomness is x_t ~ q(x_t | x_0);
    step t uses ε from ``fold_in(key, t)``.  Average ``total()`` over a data set for the
    bound on the expected negative log-likelihood.

    Copy with: ``NLLBound``, ``prior_term``, ``diffusion_term``, ``decoder_term``, ``q_sample``
    and what they name.

    Args:
        key: PRNG key.
        eps_fn: ``eps_fn(x_t, t) -> eps_hat``, ``t`` an int32 array of shape [B].
        x0: data, shape [B, ...].
        schedule: from ``make_schedule``.
        variance: σ_t² of the reverse steps t ≥ 2 (the decoder uses β_1 either way).

    Returns:
        ``NLLBound(prior [B], diffusion [T + 1, B], decoder [B])``.
    """
    T = schedule.betas.shape[0] - 1

    def term(t):
        eps = jax.random.normal(jax.random.fold_in(key, t), x0.shape, x0.dtype)
        t_batch = jnp.full((x0.shape[0],), t, dtype=jnp.int32)
        eps_hat = eps_fn(q_sample(x0, t_batch, eps, schedule), t_batch)
        return diffusion_term(x0, t_batch, eps, eps_hat, schedule, variance)

    diffusion = jax.lax.map(term, jnp.arange(2, T + 1))  # [T - 1, B]
    diffusion = jnp.concatenate([jnp.zeros((2, x0.shape[0]), diffusion.dtype), diffusion])
    eps1 = jax.random.normal(jax.random.fold_in(key, 1), x0.shape, x0.dtype)
    x1 = q_sample(x0, 1, eps1, schedule)
    eps_hat1 = eps_fn(x1, jnp.ones((x0.shape[0],), dtype=jnp.int32))
    prior = prior_term(x0, schedule)
    return NLLBound(prior, diffusion, decoder_term(x0, eps1, eps_hat1, schedule))
