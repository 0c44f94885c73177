"""Grid Bayes and grid KL against closed forms and Monte Carlo, computed independently."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core.posterior import q_posterior_mean_var
from diffusion_lite.core.schedules import linear_betas, make_schedule
from diffusion_lite.toys.bayes_grid import (
    grid_log_posterior,
    grid_mean_var,
    grid_posterior,
    kl_to_moment_matched_gaussian,
    kl_to_standard_normal,
)
from diffusion_lite.toys.mixtures import evenly_spaced_mixture, mixture_logpdf, mixture_sample


def _normal_logpdf(x, mean, var):
    return -0.5 * (x - mean) ** 2 / var - 0.5 * np.log(2 * np.pi * var)


def test_gaussian_prior_gives_the_closed_form_posterior(x64):
    """Prior q(x_{t-1}|x_0) on the grid → q(x_{t-1}|x_t,x_0) = N(μ̃_t, β̃_t) (Ho et al. eq. 7)."""
    betas = linear_betas(100, 1e-3, 0.2, dtype=jnp.float64)
    schedule = make_schedule(betas)
    alpha_bars = schedule.alpha_bars
    grid = jnp.linspace(-6.0, 6.0, 6001)
    x0, x_t = jnp.array([0.7]), jnp.array([-0.4])
    for t in (2, 10, 60):
        log_prior = _normal_logpdf(grid, jnp.sqrt(alpha_bars[t - 1]) * x0[0], 1 - alpha_bars[t - 1])
        mean, var = grid_mean_var(grid, grid_posterior(log_prior, grid, x_t[0], betas[t]))
        mean_cf, var_cf = q_posterior_mean_var(x0, x_t, t, schedule)
        np.testing.assert_allclose(mean, mean_cf[0], rtol=0, atol=1e-9)
        np.testing.assert_allclose(var, var_cf[0], rtol=1e-8)


def test_mixture_prior_matches_the_analytic_mixture_posterior(x64):
    """A Gaussian-mixture prior times a Gaussian likelihood is again a mixture (per-component Bayes)."""
    w, m, s = (jnp.asarray(a, jnp.float64) for a in ([0.3, 0.7], [-2.0, 1.5], [0.3, 0.5]))
    beta, x_t = 0.6, jnp.array([-1.0, 0.2, 2.5])
    grid = jnp.linspace(-8.0, 8.0, 4001)
    density = grid_posterior(mixture_logpdf(grid, w, m, s), grid, x_t, beta)  # [3, G]
    a = np.sqrt(1 - beta)
    post_var = 1.0 / (1.0 / s**2 + a**2 / beta)  # [K]
    post_mean = post_var * (m / s**2 + a * x_t[:, None] / beta)  # [3, K]
    log_evid = jnp.log(w) + _normal_logpdf(x_t[:, None], a * m, a**2 * s**2 + beta)  # [3, K]
    resp = jax.nn.softmax(log_evid, axis=-1)
    expected = jnp.sum(
        resp[:, None, :] * jnp.exp(_normal_logpdf(grid[:, None], post_mean[:, None, :], post_var)),
        -1,
    )
    np.testing.assert_allclose(density, expected, rtol=1e-7, atol=1e-12)


def test_posterior_is_normalised_batched_and_jittable():
    grid = jnp.linspace(-5.0, 5.0, 1001)
    log_prior = mixture_logpdf(grid, *evenly_spaced_mixture(4, 1.0, 0.1))
    x_t = jnp.array([-1.0, 0.0, 0.3])
    dens = grid_posterior(log_prior, grid, x_t, 0.1)
    assert dens.shape == (3, 1001)
    np.testing.assert_allclose(jnp.sum(dens, -1) * 10.0 / 1000, 1.0, rtol=1e-5)  # dx = 10 / (G - 1)
    np.testing.assert_allclose(dens[1], grid_posterior(log_prior, grid, 0.0, 0.1), rtol=1e-6)
    jitted = jax.jit(grid_posterior)(log_prior, grid, x_t, 0.1)
    np.testing.assert_allclose(jitted, dens, rtol=1e-5, atol=1e-7)


def test_bad_input_raises():
    grid = jnp.linspace(-1.0, 1.0, 11)
    with pytest.raises(ValueError, match="beta_t"):
        grid_posterior(jnp.zeros(11), grid, 0.0, 1.5)
    with pytest.raises(ValueError, match="log_prior and grid"):
        grid_posterior(jnp.zeros(10), grid, 0.0, 0.5)
    with pytest.raises(ValueError, match="log_q"):
        kl_to_standard_normal(jnp.zeros(10), grid)


def test_kl_of_a_gaussian_matches_the_closed_form(x64):
    grid = jnp.linspace(-16.0, 16.0, 6401)  # tails beyond ±16 are < 1e-12 for these q
    for mean, std in ((0.0, 1.0), (0.5, 1.0), (-1.0, 0.3), (2.0, 1.7)):
        kl = kl_to_standard_normal(_normal_logpdf(grid, mean, std**2), grid)
        expected = 0.5 * (std**2 + mean**2 - 1.0 - np.log(std**2))
        np.testing.assert_allclose(kl, expected, rtol=1e-9, atol=1e-12)


def test_kl_of_a_mixture_matches_monte_carlo():
    """KL(q‖φ) = E_q[log q - log φ]: 200k samples, tolerance 4 standard errors."""
    mix = evenly_spaced_mixture(8, 1.0, 0.2)
    grid = jnp.linspace(-8.0, 8.0, 3201)
    kl_grid = kl_to_standard_normal(mixture_logpdf(grid, *mix), grid)
    x, _ = mixture_sample(jax.random.key(0), 200_000, *mix)
    terms = mixture_logpdf(x, *mix) - _normal_logpdf(x, 0.0, 1.0)
    stderr = float(jnp.std(terms)) / np.sqrt(x.shape[0])
    assert abs(float(kl_grid) - float(jnp.mean(terms))) < 4 * stderr, (
        kl_grid,
        jnp.mean(terms),
        stderr,
    )


def test_moment_matched_kl_is_zero_for_a_gaussian_and_matches_the_entropy_gap(x64):
    grid = jnp.linspace(-10.0, 10.0, 20001)
    log_gauss = _normal_logpdf(grid, 0.7, 1.3**2)
    np.testing.assert_allclose(kl_to_moment_matched_gaussian(grid, log_gauss), 0.0, atol=1e-10)
    # Uniform on [-1, 2): KL = H[N(m, v)] - H[U] = ½ log(2πe v) - log 3 with v = 3²/12.
    inside = (grid >= -1.0) & (grid < 2.0)
    log_uniform = jnp.where(inside, -jnp.log(jnp.sum(inside) * (grid[1] - grid[0])), -jnp.inf)
    expected = 0.5 * np.log(2 * np.pi * np.e * 9 / 12) - np.log(3.0)
    np.testing.assert_allclose(
        kl_to_moment_matched_gaussian(grid, log_uniform), expected, rtol=1e-3
    )
    batch = kl_to_moment_matched_gaussian(grid, jnp.stack([log_gauss, log_uniform]))
    np.testing.assert_allclose(batch, [0.0, expected], rtol=1e-3, atol=1e-10)


def test_log_posterior_is_the_log_of_the_posterior_and_float32_kl_is_accurate():
    """float32 KL from log densities agrees with a float64 NumPy computation to 1e-6 nats."""
    mix = evenly_spaced_mixture(3, 1.0, 0.3)
    grid = jnp.linspace(-5.0, 5.0, 2001)
    log_prior = mixture_logpdf(grid, *mix)
    x_t = jnp.array([-0.4, 0.5])
    for beta in (0.001, 0.01, 0.3):
        log_post = grid_log_posterior(log_prior, grid, x_t, beta)
        np.testing.assert_allclose(
            jnp.exp(log_post), grid_posterior(log_prior, grid, x_t, beta), rtol=1e-4, atol=1e-6
        )
        # float64 reference in NumPy: same grid points, same formula
        g, lp = np.asarray(grid, np.float64), np.asarray(log_prior, np.float64)
        dx = (g[-1] - g[0]) / (g.size - 1)
        log_joint = -0.5 * (np.asarray(x_t)[:, None] - np.sqrt(1 - beta) * g) ** 2 / beta + lp
        log_joint -= log_joint.max(-1, keepdims=True)
        log_p = log_joint - np.log(np.exp(log_joint).sum(-1, keepdims=True) * dx)
        p = np.exp(log_p)
        m = (g * p).sum(-1, keepdims=True) * dx
        v = ((g - m) ** 2 * p).sum(-1, keepdims=True) * dx
        log_n = -0.5 * (g - m) ** 2 / v - 0.5 * np.log(2 * np.pi * v)
        want = (p * (log_p - log_n)).sum(-1) * dx
        got = kl_to_moment_matched_gaussian(grid, log_post)
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-6)  # float32 vs float64
