"""q(x_{t-1} | x_t, x_0) against Bayes' rule on a grid and against Monte Carlo conditioning."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import forward, posterior, schedules


def _bayes_on_grid(x0, x_t, t, betas):
    """Posterior moments from q(x_t|x_{t-1}) q(x_{t-1}|x_0), normalised numerically (NumPy)."""
    b = np.asarray(betas, np.float64)
    ab = np.cumprod(1.0 - b)
    grid = np.linspace(-8, 8, 400_001)
    log_prior = -0.5 * (grid - math.sqrt(ab[t - 1]) * x0) ** 2 / (1 - ab[t - 1])
    log_lik = -0.5 * (x_t - math.sqrt(1 - b[t]) * grid) ** 2 / b[t]
    w = np.exp(log_prior + log_lik - np.max(log_prior + log_lik))
    w /= w.sum()
    mean = np.sum(w * grid)
    return mean, np.sum(w * (grid - mean) ** 2)


@pytest.mark.parametrize(("x0", "x_t", "t"), [(1.0, 0.3, 2), (-0.7, 1.2, 10), (0.4, -2.0, 50)])
def test_posterior_matches_bayes_rule_on_a_grid(x64, x0, x_t, t):
    betas = schedules.linear_betas(50, 1e-2, 0.2, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    mean, var = posterior.q_posterior_mean_var(jnp.array(x0), jnp.array(x_t), t, schedule)
    grid_mean, grid_var = _bayes_on_grid(x0, x_t, t, betas)
    np.testing.assert_allclose(mean, grid_mean, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(var, grid_var, rtol=1e-6)


def test_coefficient_arrays_agree_with_the_posterior_function(x64):
    betas = schedules.linear_betas(30, 1e-3, 0.3, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    coef1, coef2 = schedule.posterior_mean_coef1, schedule.posterior_mean_coef2
    var = schedule.posterior_variance
    for t in range(1, 31):
        m_x0, v = posterior.q_posterior_mean_var(jnp.array(1.0), jnp.array(0.0), t, schedule)
        m_xt, _ = posterior.q_posterior_mean_var(jnp.array(0.0), jnp.array(1.0), t, schedule)
        np.testing.assert_allclose(
            [m_x0, m_xt, v], [coef1[t], coef2[t], var[t]], rtol=1e-12, atol=1e-15
        )
    assert np.all(np.asarray(var) <= np.asarray(betas)) and np.all(np.asarray(var) >= 0)


def test_t_equals_one_is_a_point_mass_at_x0(x64):
    betas = schedules.linear_betas(10, 1e-2, 0.1, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    mean, var = posterior.q_posterior_mean_var(jnp.array(0.8), jnp.array(-3.0), 1, schedule)
    np.testing.assert_allclose([mean, var], [0.8, 0.0], atol=1e-14)
    coefs = [schedule.posterior_mean_coef1[1], schedule.posterior_mean_coef2[1]]
    np.testing.assert_allclose(coefs, [1.0, 0.0], atol=1e-14)


def test_posterior_matches_monte_carlo_conditioning():
    """Simulate (x_{t-1}, x_t) given x0; regress x_{t-1} on x_t: slope coef2, residual var β̃."""
    betas = schedules.linear_betas(20, 1e-2, 0.2)
    schedule = schedules.make_schedule(betas)
    t, x0, n = 8, 0.9, 400_000
    k1, k2 = jax.random.split(jax.random.key(0))
    x_prev = forward.q_sample(jnp.full((n,), x0), t - 1, jax.random.normal(k1, (n,)), schedule)
    x_t = forward.q_step(x_prev, t, jax.random.normal(k2, (n,)), schedule)
    xp, xt = np.asarray(x_prev, np.float64), np.asarray(x_t, np.float64)
    slope = np.cov(xp, xt)[0, 1] / np.var(xt)
    intercept = xp.mean() - slope * xt.mean()
    resid_var = np.var(xp - intercept - slope * xt)
    coef1, coef2 = (
        schedules.make_schedule(betas).posterior_mean_coef1[t],
        schedules.make_schedule(betas).posterior_mean_coef2[t],
    )
    var = float(schedules.make_schedule(betas).posterior_variance[t])
    # standard errors at n = 4e5 are ~1e-3 relative; allow 1 %
    np.testing.assert_allclose(slope, coef2, rtol=1e-2)
    np.testing.assert_allclose(intercept, coef1 * x0, rtol=1e-2)
    np.testing.assert_allclose(resid_var, var, rtol=1e-2)


def test_predict_x0_from_eps_inverts_the_kernel(x64):
    schedule = schedules.make_schedule(schedules.linear_betas(100, dtype=jnp.float64))
    k1, k2 = jax.random.split(jax.random.key(5))
    x0 = jax.random.normal(k1, (4, 3), jnp.float64)
    eps = jax.random.normal(k2, (4, 3), jnp.float64)
    t = jnp.array([1, 30, 70, 100])
    x_t = forward.q_sample(x0, t, eps, schedule)
    np.testing.assert_allclose(
        posterior.predict_x0_from_eps(x_t, t, eps, schedule), x0, rtol=1e-9, atol=1e-9
    )


def test_bad_input_raises_clear_errors():
    betas = schedules.linear_betas(10)
    schedule = schedules.make_schedule(betas)
    with pytest.raises(ValueError, match=r"t must lie in 1..T = 1..10, got 0"):
        posterior.q_posterior_mean_var(jnp.ones(2), jnp.ones(2), 0, schedule)
    with pytest.raises(ValueError, match="x0 and x_t must have one shape"):
        posterior.q_posterior_mean_var(jnp.ones(2), jnp.ones(3), 1, schedule)
