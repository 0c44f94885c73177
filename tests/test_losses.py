"""Gaussian KL, Gaussian log-likelihood, the ELBO weights λ_t and L_simple, each checked a second way."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import forward, losses, posterior, sampling, schedules


def _kl_by_quadrature(m1, v1, m2, v2):
    """∫ N(x; m1, v1) log(N(x; m1, v1) / N(x; m2, v2)) dx on a fine grid (NumPy, float64)."""
    x = np.linspace(m1 - 12 * np.sqrt(v1), m1 + 12 * np.sqrt(v1), 200_001)
    log_p = -0.5 * np.log(2 * np.pi * v1) - 0.5 * (x - m1) ** 2 / v1
    log_q = -0.5 * np.log(2 * np.pi * v2) - 0.5 * (x - m2) ** 2 / v2
    return np.trapezoid(np.exp(log_p) * (log_p - log_q), x)


@pytest.mark.parametrize(
    ("m1", "v1", "m2", "v2"), [(0.0, 1.0, 0.0, 1.0), (0.3, 0.5, -1.0, 2.0), (2.0, 0.01, 1.9, 0.02)]
)
def test_gaussian_kl_matches_quadrature(x64, m1, v1, m2, v2):
    got = losses.gaussian_kl(jnp.array(m1), jnp.array(v1), jnp.array(m2), jnp.array(v2))
    np.testing.assert_allclose(got, _kl_by_quadrature(m1, v1, m2, v2), rtol=1e-6, atol=1e-10)


def test_gaussian_kl_is_nonnegative_and_zero_only_for_equal_gaussians():
    key_m, key_v = jax.random.split(jax.random.key(0))
    m = jax.random.normal(key_m, (2, 1000))
    v = jnp.exp(jax.random.normal(key_v, (2, 1000)))
    assert jnp.all(losses.gaussian_kl(m[0], v[0], m[1], v[1]) >= 0)
    np.testing.assert_allclose(losses.gaussian_kl(m[0], v[0], m[0], v[0]), 0.0, atol=1e-6)


def test_gaussian_log_likelihood_matches_the_formula_and_integrates_to_one(x64):
    x = jnp.linspace(-10.0, 12.0, 200_001)
    log_p = losses.gaussian_log_likelihood(x, 1.0, 2.0)
    np.testing.assert_allclose(jnp.trapezoid(jnp.exp(log_p), x), 1.0, rtol=1e-9)
    want = np.log(np.exp(-((0.5 - 1.0) ** 2) / 4.0) / np.sqrt(4.0 * np.pi))
    np.testing.assert_allclose(losses.gaussian_log_likelihood(0.5, 1.0, 2.0), want, rtol=1e-12)


@pytest.mark.parametrize("variance", list(sampling.Variance))
def test_kl_term_equals_weighted_eps_mse_for_random_values(x64, variance):
    """KL(q(x_{t-1}|x_t,x_0) ‖ p_θ) = λ_t (ε - ε̂)² + c_t, c_t = ½(log σ²/β̃ + β̃/σ² - 1) (eq. 12)."""
    T = 100
    betas = schedules.linear_betas(T, 1e-3, 0.05, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    keys = jax.random.split(jax.random.key(1), 4)
    t = jax.random.randint(keys[0], (500,), 2, T + 1)
    x0, eps, eps_hat = (jax.random.normal(k, (500,), jnp.float64) for k in keys[1:])
    x_t = forward.q_sample(x0, t, eps, schedule)
    post_mean, post_var = posterior.q_posterior_mean_var(x0, x_t, t, schedule)
    sigma2 = sampling.reverse_variances(schedule, variance)[t]
    kl = losses.gaussian_kl(
        post_mean, post_var, sampling.p_mean_from_eps(x_t, t, eps_hat, schedule), sigma2
    )
    const = 0.5 * (jnp.log(sigma2 / post_var) + post_var / sigma2 - 1.0)
    lam = losses.elbo_weights(schedule, sampling.reverse_variances(schedule, variance))[t]
    np.testing.assert_allclose(kl, lam * (eps - eps_hat) ** 2 + const, rtol=1e-9, atol=1e-12)


def test_elbo_weights_match_the_formula_in_float64(x64):
    betas = schedules.cosine_betas(50, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    b, ab = np.asarray(betas), np.cumprod(1.0 - np.asarray(betas))
    sigma2 = np.asarray(schedule.posterior_variance)
    lam = np.asarray(losses.elbo_weights(schedule, jnp.asarray(sigma2)))
    t = np.arange(2, 51)
    np.testing.assert_allclose(
        lam[t], b[t] ** 2 / (2 * sigma2[t] * (1 - b[t]) * (1 - ab[t])), rtol=1e-10
    )
    assert lam[0] == 0.0 and lam[1] == 0.0  # no step 0; β̃_1 = 0 leaves λ_1 undefined


def test_eps_loss_is_the_mean_square_and_rejects_shape_mismatch():
    eps, eps_hat = jnp.array([[1.0, -1.0], [0.0, 2.0]]), jnp.zeros((2, 2))
    assert float(losses.eps_loss(eps, eps_hat)) == pytest.approx(1.5)
    assert float(jax.jit(losses.eps_loss)(eps, eps_hat)) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="eps_hat"):
        losses.eps_loss(eps, jnp.zeros((2,)))


def test_min_snr_weights_turn_the_eps_error_into_a_capped_x0_error(x64):
    """w_t ‖ε - ε̂‖² = min(SNR_t, γ) ‖x_0 - x̂_0‖², x̂_0 recovered from ε̂ through the kernel."""
    betas = schedules.linear_betas(1000, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    alpha_bars = schedule.alpha_bars
    gamma = 5.0
    w = np.asarray(losses.min_snr_weights(schedule, gamma))
    rng = np.random.default_rng(0)
    t = np.array([1, 20, 100, 300, 700, 1000])
    x0, eps, eps_hat = rng.standard_normal((3, t.size, 16))
    x_t = forward.q_sample(jnp.asarray(x0), jnp.asarray(t), jnp.asarray(eps), schedule)
    x0_hat = posterior.predict_x0_from_eps(x_t, jnp.asarray(t), jnp.asarray(eps_hat), schedule)
    ab = np.asarray(alpha_bars)[t]
    snr = ab / (1 - ab)  # independent of the function: from ᾱ directly
    lhs = w[t] * np.sum((eps - eps_hat) ** 2, axis=1)
    rhs = np.minimum(snr, gamma) * np.sum((x0 - np.asarray(x0_hat)) ** 2, axis=1)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-9)
    assert w[0] == 0.0 and w[1000] == 1.0 and w[1] == pytest.approx(gamma / snr[0], rel=1e-12)
    assert np.all(np.diff(w[1:]) >= 0)  # noisier steps never weigh less
    with pytest.raises(ValueError, match="gamma"):
        losses.min_snr_weights(schedule, 0.0)


def test_weighted_eps_loss_with_unit_weights_is_eps_loss_and_weights_each_example():
    eps = jnp.arange(12.0).reshape(3, 2, 2) / 10
    eps_hat = jnp.zeros((3, 2, 2))
    assert float(losses.weighted_eps_loss(eps, eps_hat, jnp.ones(3))) == pytest.approx(
        float(losses.eps_loss(eps, eps_hat))
    )
    per_example = np.mean(np.asarray(eps).reshape(3, 4) ** 2, axis=1)
    got = float(losses.weighted_eps_loss(eps, eps_hat, jnp.array([0.0, 2.0, 1.0])))
    assert got == pytest.approx((2 * per_example[1] + per_example[2]) / 3)
    with pytest.raises(ValueError, match="eps_hat"):
        losses.weighted_eps_loss(eps, jnp.zeros((3, 4)), jnp.ones(3))
