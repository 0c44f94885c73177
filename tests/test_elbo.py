"""The ELBO terms: closed forms against formulas, tightness where the model is exact, the bound
against the true NLL of a mixture, and against a naive Monte Carlo ELBO along q's trajectories."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import elbo, forward, losses, sampling, schedules
from diffusion_lite.toys import mixtures
from diffusion_lite.toys.toy_training import mixture_eps_fn


def test_prior_term_matches_the_gaussian_kl_formula(x64):
    betas = schedules.linear_betas(100, 1e-4, 0.02, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    alpha_bars = schedule.alpha_bars
    x0 = jnp.array([[-1.0, 0.0], [0.5, 2.0]])
    ab = float(alpha_bars[-1])
    want = 0.5 * np.sum(ab * np.asarray(x0) ** 2 + (1 - ab) - 1 - np.log(1 - ab), axis=1)
    np.testing.assert_allclose(elbo.prior_term(x0, schedule), want, rtol=1e-10)


@pytest.mark.parametrize("variance", list(sampling.Variance))
def test_diffusion_term_is_lambda_times_eps_mse_plus_a_constant(x64, variance):
    betas = schedules.linear_betas(50, 1e-3, 0.2, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    keys = jax.random.split(jax.random.key(0), 4)
    t = jax.random.randint(keys[0], (200,), 2, 51)
    x0, eps, eps_hat = (jax.random.normal(k, (200, 1), jnp.float64) for k in keys[1:])
    sigma2 = sampling.reverse_variances(schedule, variance)
    beta_tilde = sampling.reverse_variances(schedule, sampling.Variance.BETA_TILDE)
    lam = losses.elbo_weights(schedule, sigma2)[t]
    const = 0.5 * (jnp.log(sigma2[t] / beta_tilde[t]) + beta_tilde[t] / sigma2[t] - 1.0)
    got = elbo.diffusion_term(x0, t, eps, eps_hat, schedule, variance)
    np.testing.assert_allclose(got, lam * (eps - eps_hat)[:, 0] ** 2 + const, rtol=1e-9)
    with pytest.raises(ValueError, match="t must lie in 2"):
        elbo.diffusion_term(x0[:1], 1, eps[:1], eps_hat[:1], schedule, variance)


def test_bound_is_tight_for_unit_gaussian_data_with_the_exact_eps():
    """x_0 ~ N(0, 1) keeps every marginal N(0, 1); then p(x_{t-1}|x_t) = N(√α_t x_t, β_t) is
    exactly the model with ε* and σ_t² = β_t, so E[-ELBO(x_0)] = -log N(x_0; 0, 1)."""
    betas = schedules.linear_betas(50, 1e-3, 0.3)
    schedule = schedules.make_schedule(betas)
    mix = mixtures.make_mixture([1.0], [0.0], [1.0])
    x0 = jax.random.normal(jax.random.key(1), (4000, 1))
    bound = elbo.nll_bound(jax.random.key(2), mixture_eps_fn(mix, schedule), x0, schedule)
    gap = bound.total() + losses.gaussian_log_likelihood(x0[:, 0], 0.0, 1.0)
    assert abs(float(gap.mean())) < 4 * float(gap.std()) / np.sqrt(4000)


def test_bound_exceeds_the_true_nll_of_a_mixture():
    betas = schedules.linear_betas(100, 1e-4, 0.2)
    schedule = schedules.make_schedule(betas)
    mix = mixtures.evenly_spaced_mixture(4, 1.0, 0.1)
    x0, _ = mixtures.mixture_sample(jax.random.key(3), 1000, *mix)
    true_nll = -mixtures.mixture_logpdf(x0, *mix)
    for variance in sampling.Variance:
        b = elbo.nll_bound(
            jax.random.key(4), mixture_eps_fn(mix, schedule), x0[:, None], schedule, variance
        )
        gap = b.total() - true_nll
        assert b.diffusion.shape == (101, 1000)
        assert float(gap.mean()) > 4 * float(gap.std()) / np.sqrt(1000), variance


def _naive_negative_elbo(key, eps_fn, x0, betas):
    """-log p_θ(x_{0:T}) + log q(x_{1:T} | x_0) along one forward trajectory per example."""
    T, schedule = betas.shape[0] - 1, schedules.make_schedule(betas)
    xs = forward.q_chain(key, x0, schedule)  # [T + 1, B, 1]
    log_q = sum(
        losses.gaussian_log_likelihood(xs[t], jnp.sqrt(1 - betas[t]) * xs[t - 1], betas[t])
        for t in range(1, T + 1)
    )
    log_p = losses.gaussian_log_likelihood(xs[T], 0.0, 1.0)
    for t in range(1, T + 1):
        tt = jnp.full((x0.shape[0],), t, jnp.int32)
        mean = sampling.p_mean_from_eps(xs[t], tt, eps_fn(xs[t], tt), schedule)
        log_p = log_p + losses.gaussian_log_likelihood(xs[t - 1], mean, betas[t])
    return (log_q - log_p)[:, 0]


def test_closed_form_terms_agree_with_the_naive_trajectory_elbo():
    """Same expectation per x_0 (Ho et al. eq. 3 vs eq. 5), by two independent computations."""
    betas = schedules.linear_betas(20, 1e-3, 0.5)
    schedule = schedules.make_schedule(betas)
    mix = mixtures.evenly_spaced_mixture(3, 1.5, 0.2)
    x0 = jnp.repeat(jnp.array([[-1.5], [0.1], [1.4]]), 3000, axis=0)
    eps_fn = mixture_eps_fn(mix, schedule)
    naive = _naive_negative_elbo(jax.random.key(5), eps_fn, x0, betas)
    closed = elbo.nll_bound(jax.random.key(6), eps_fn, x0, schedule).total()
    for i in range(3):
        a, b = naive[i * 3000 : (i + 1) * 3000], closed[i * 3000 : (i + 1) * 3000]
        se = np.sqrt(a.var() / 3000 + b.var() / 3000)
        assert abs(float(a.mean() - b.mean())) < 4 * se
