"""Forward process: T single steps vs the one-shot diffusion kernel, exactly and by Monte Carlo."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import forward, schedules


def _normal_cdf(x):
    return 0.5 * (1.0 + np.vectorize(math.erf)(np.asarray(x, np.float64) / math.sqrt(2.0)))


def test_composed_step_moments_equal_the_kernel_exactly(x64):
    """Induction in numbers: m_t = √α_t m_{t-1}, v_t = α_t v_{t-1} + β_t reach (√ᾱ_t x0, 1-ᾱ_t)."""
    betas = schedules.linear_betas(300, 1e-4, 0.05, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    x0 = jnp.array([-1.3, 0.0, 2.0], dtype=jnp.float64)
    mean, var = x0, jnp.zeros(())
    for t in range(1, 301):
        mean, beta_t = forward.q_step_mean_var(mean, t, schedule)
        var = (1.0 - beta_t) * var + beta_t
        kernel_mean, kernel_var = forward.q_xt_x0_mean_var(x0, t, schedule)
        np.testing.assert_allclose(mean, kernel_mean, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(var, kernel_var, rtol=1e-12)


def test_chain_equals_kernel_with_the_combined_noise(x64):
    """x_T of the chain is √ᾱ_T x0 + Σ_t c_t ε_t; with ε̄ = Σ c_t ε_t / √(1-ᾱ_T) the kernel agrees."""
    key = jax.random.key(3)
    betas = schedules.linear_betas(50, 1e-3, 0.2, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    alpha_bars = schedule.alpha_bars
    x0 = jnp.linspace(-1, 1, 7)
    xs = forward.q_chain(key, x0, schedule)
    alphas = 1.0 - np.asarray(betas)
    noise = sum(
        math.sqrt(betas[t])
        * math.sqrt(np.prod(alphas[t + 1 :]))
        * jax.random.normal(jax.random.fold_in(key, t), x0.shape, x0.dtype)
        for t in range(1, 51)
    )
    eps_bar = noise / jnp.sqrt(1.0 - alpha_bars[50])
    np.testing.assert_allclose(xs[50], forward.q_sample(x0, 50, eps_bar, schedule), rtol=1e-12)
    np.testing.assert_allclose(xs[0], x0)


def test_chain_marginal_matches_kernel_by_monte_carlo():
    """200k chains from x0 = 1.5: moments and a KS distance against N(√ᾱ_t x0, 1-ᾱ_t)."""
    betas = schedules.linear_betas(100, 1e-3, 0.05)
    schedule = schedules.make_schedule(betas)
    alpha_bars = schedule.alpha_bars
    n, x0 = 200_000, 1.5
    xs = forward.q_chain(jax.random.key(0), jnp.full((n,), x0), schedule)
    for t in (1, 10, 100):
        mean, var = float(jnp.sqrt(alpha_bars[t]) * x0), float(1 - alpha_bars[t])
        sample = np.asarray(xs[t], np.float64)
        # standard errors: sd/√n for the mean, var·√(2/n) for the variance; 5 sigma
        assert abs(sample.mean() - mean) < 5 * math.sqrt(var / n)
        assert abs(sample.var() - var) < 5 * var * math.sqrt(2 / n)
        z = np.sort((sample - mean) / math.sqrt(var))
        ks = np.max(np.abs(_normal_cdf(z) - np.arange(1, n + 1) / n))
        assert ks < 1.63 / math.sqrt(n)  # the 1 % critical value of the KS statistic


def test_batched_t_broadcasts_over_image_axes():
    schedule = schedules.make_schedule(schedules.linear_betas(10))
    alpha_bars = schedule.alpha_bars
    x0 = jnp.ones((3, 4, 4, 1))
    eps = jnp.zeros_like(x0)
    t = jnp.array([1, 5, 10])
    x_t = forward.q_sample(x0, t, eps, schedule)
    assert x_t.shape == x0.shape
    np.testing.assert_allclose(x_t[:, 0, 0, 0], jnp.sqrt(alpha_bars[t]), rtol=1e-6)


def test_jit_and_no_jit_agree_and_same_key_same_chain():
    betas = schedules.linear_betas(20, 1e-3, 0.1)
    schedule = schedules.make_schedule(betas)
    x0 = jnp.linspace(-1, 1, 5)
    eager = forward.q_chain(jax.random.key(1), x0, schedule)
    jitted = jax.jit(forward.q_chain)(jax.random.key(1), x0, schedule)
    np.testing.assert_allclose(eager, jitted, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(eager, forward.q_chain(jax.random.key(1), x0, schedule))
    assert not np.allclose(eager[1:], forward.q_chain(jax.random.key(2), x0, schedule)[1:])


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.float64])
def test_dtypes_are_preserved(request, dtype):
    if dtype == jnp.float64:
        request.getfixturevalue("x64")  # float32 runs with JAX's default, x64 off
    schedule = schedules.make_schedule(schedules.linear_betas(10, dtype=dtype))
    x0 = jnp.ones(4, dtype)
    assert forward.q_sample(x0, 3, jnp.zeros(4, dtype), schedule).dtype == dtype
    assert forward.q_chain(jax.random.key(0), x0, schedule).dtype == dtype


def test_bad_input_raises_clear_errors():
    betas = schedules.linear_betas(10)
    schedule = schedules.make_schedule(betas)
    x0 = jnp.ones(3)
    with pytest.raises(ValueError, match=r"t must lie in 1..T = 1..10, got 0"):
        forward.q_sample(x0, 0, jnp.zeros(3), schedule)
    with pytest.raises(ValueError, match=r"t must lie in 1..T = 1..10"):
        forward.q_step(x0, 11, jnp.zeros(3), schedule)
    with pytest.raises(ValueError, match="eps must have the shape of x0"):
        forward.q_sample(x0, 1, jnp.zeros(4), schedule)
