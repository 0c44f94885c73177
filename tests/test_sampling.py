"""The reverse process: one-step identities in float64, and whole samplers driven by the exact ε*.

With the exact optimal ε* of a Gaussian mixture (``mixtures.mixture_eps_star``) as the
ε-model, the samplers must reproduce the mixture; any failure is the sampler's, not a
network's.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import forward, posterior, sampling, schedules
from diffusion_lite.toys import metrics1d, mixtures
from diffusion_lite.toys.toy_training import mixture_eps_fn

T = 200
N = 4000
MIX = mixtures.evenly_spaced_mixture(8, 1.0, 0.05)


def _schedule(dtype=jnp.float32):
    betas = schedules.linear_betas(T, 1e-4, 0.1, dtype=dtype)
    return betas, schedules.make_schedule(betas)


def _random_inputs(n=300):
    keys = jax.random.split(jax.random.key(0), 4)
    t = jax.random.randint(keys[0], (n,), 2, T + 1)
    x_t, eps_hat, z = (jax.random.normal(k, (n,), jnp.float64) for k in keys[1:])
    return t, x_t, eps_hat, z


def test_p_mean_is_the_posterior_mean_at_the_predicted_x0(x64):
    """μ_θ(x_t, t) = μ̃_t(x_t, x̂_0) with x̂_0 = (x_t - √(1-ᾱ_t) ε̂)/√ᾱ_t (Ho et al. eqs. 7, 11)."""
    betas, schedule = _schedule(jnp.float64)
    t, x_t, eps_hat, _ = _random_inputs()
    x0_hat = posterior.predict_x0_from_eps(x_t, t, eps_hat, schedule)
    want, _ = posterior.q_posterior_mean_var(x0_hat, x_t, t, schedule)
    np.testing.assert_allclose(
        sampling.p_mean_from_eps(x_t, t, eps_hat, schedule), want, rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("variance", list(sampling.Variance))
def test_p_sample_step_adds_sigma_z_except_at_t_equals_1(x64, variance):
    betas, schedule = _schedule(jnp.float64)
    t, x_t, eps_hat, z = _random_inputs()
    noisy = sampling.p_sample_step(x_t, t, eps_hat, z, schedule, variance)
    mean = sampling.p_sample_step(x_t, t, eps_hat, jnp.zeros_like(z), schedule, variance)
    sigma = jnp.sqrt(sampling.reverse_variances(schedule, variance)[t])
    np.testing.assert_allclose(noisy - mean, sigma * z, rtol=1e-9, atol=1e-12)
    ones = jnp.ones_like(t)
    np.testing.assert_allclose(
        sampling.p_sample_step(x_t, ones, eps_hat, z, schedule, variance),
        sampling.p_mean_from_eps(x_t, ones, eps_hat, schedule),
    )


def test_ddim_with_eta_1_and_unit_steps_is_ancestral_with_beta_tilde(x64):
    """Song et al. 2021 §4.1: η = 1, τ = (T, …, 1) gives σ_t² = β̃_t and μ_θ: one step, same z."""
    betas, schedule = _schedule(jnp.float64)
    t, x_t, eps_hat, z = _random_inputs()
    ddim = sampling.ddim_step(x_t, t, t - 1, eps_hat, z, schedule, eta=1.0)
    ddpm = sampling.p_sample_step(x_t, t, eps_hat, z, schedule, sampling.Variance.BETA_TILDE)
    np.testing.assert_allclose(ddim, ddpm, rtol=1e-9, atol=1e-10)


def test_ddim_with_eta_0_ignores_the_noise_and_stays_on_the_path_of_the_true_eps(x64):
    _, schedule = _schedule(jnp.float64)
    t, eps, eps_hat, z = _random_inputs()
    t_prev = jnp.maximum(t // 3, 1)
    step = sampling.ddim_step(eps, t, t_prev, eps_hat, z, schedule, eta=0.0)
    np.testing.assert_array_equal(step, sampling.ddim_step(eps, t, t_prev, eps_hat, -z, schedule))
    # with the true ε: x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε  →  x_prev = √ᾱ_prev x_0 + √(1-ᾱ_prev) ε
    x0 = jnp.linspace(-2.0, 2.0, t.shape[0])
    x_t = forward.q_sample(x0, t, eps, schedule)
    got = sampling.ddim_step(x_t, t, t_prev, eps, z, schedule, eta=0.0)
    want = forward.q_sample(x0, t_prev, eps, schedule)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-10)


def test_ddim_timesteps_run_from_T_down_to_0():
    taus = sampling.ddim_timesteps(1000, 10)
    assert taus[0] == 1000 and taus[-1] == 0 and taus.shape == (11,)
    assert np.all(np.diff(taus) < 0)
    np.testing.assert_array_equal(sampling.ddim_timesteps(5, 5), [5, 4, 3, 2, 1, 0])
    for bad in (0, 1001):
        with pytest.raises(ValueError, match="num_steps"):
            sampling.ddim_timesteps(1000, bad)


def test_ddim_eta_1_all_steps_equals_ancestral_beta_tilde_pathwise(x64):
    """Same key → same x_T and same z_t (both draw z_t from fold_in(key, t)), so same samples.

    An identity, so checked in float64: in float32 the two paths round differently and the
    narrow modes amplify it along 200 steps (up to ~1e-3 at a few points between modes)."""
    betas, schedule = _schedule(jnp.float64)
    eps_fn = mixture_eps_fn(MIX, schedule)
    key = jax.random.key(3)
    x_ddpm = sampling.ancestral_sample(
        key, eps_fn, (500, 1), schedule, sampling.Variance.BETA_TILDE
    )
    x_ddim = sampling.ddim_sample(key, eps_fn, (500, 1), schedule, num_steps=T, eta=1.0)
    np.testing.assert_allclose(x_ddim, x_ddpm, rtol=0, atol=1e-9)


def _check_reproduces_mixture(x):
    """Moments and mode weights of N samples against the mixture, with ~4-5 σ tolerances."""
    x = np.asarray(x).reshape(-1)
    mean = float(np.sum(MIX.weights * MIX.means))
    var = float(np.sum(MIX.weights * (MIX.means**2 + MIX.stds**2))) - mean**2
    assert abs(x.mean() - mean) < 4 * np.sqrt(var / N)  # 0.14
    assert abs(x.var() - var) < 0.3  # s.e. of the variance ≈ 0.07 for this mixture
    cov = metrics1d.mode_coverage(jnp.asarray(x), MIX.means, MIX.stds, MIX.weights)
    assert int(cov.n_covered) == 8
    assert float(cov.high_quality) > 0.97  # samples within 3 s_k of a mode
    counts = np.bincount(np.clip(np.round(x - MIX.means[0]), 0, 7).astype(int), minlength=8)
    np.testing.assert_allclose(counts / N, MIX.weights, atol=0.03)  # s.e. 0.005 per mode


@pytest.mark.parametrize("variance", list(sampling.Variance))
def test_ancestral_sampling_with_exact_eps_reproduces_the_mixture(variance):
    betas, schedule = _schedule()
    x = sampling.ancestral_sample(
        jax.random.key(4), mixture_eps_fn(MIX, schedule), (N, 1), schedule, variance
    )
    _check_reproduces_mixture(x)


def test_deterministic_ddim_with_all_steps_reproduces_the_mixture():
    _, schedule = _schedule()
    x = sampling.ddim_sample(
        jax.random.key(5), mixture_eps_fn(MIX, schedule), (N, 1), schedule, num_steps=T
    )
    _check_reproduces_mixture(x)


def test_deterministic_ddim_degrades_gracefully_as_steps_are_skipped():
    """Fewer steps = a coarser ODE solver: W₁ to the data grows, but 8 modes survive 20 steps."""
    _, schedule = _schedule()
    eps_fn = mixture_eps_fn(MIX, schedule)
    reference, _ = mixtures.mixture_sample(jax.random.key(8), 20_000, *MIX)
    w1 = {}
    for steps in (T, 20, 5):
        x = sampling.ddim_sample(jax.random.key(5), eps_fn, (N, 1), schedule, num_steps=steps)
        w1[steps] = float(metrics1d.wasserstein1(x[:, 0], reference))
        if steps >= 20:
            cov = metrics1d.mode_coverage(x[:, 0], MIX.means, MIX.stds, MIX.weights)
            assert int(cov.n_covered) == 8, steps
    assert w1[T] < w1[20] < w1[5]


def test_samplers_are_functions_of_the_key_and_return_trajectories():
    betas = schedules.linear_betas(20, 1e-3, 0.5)
    schedule = schedules.make_schedule(betas)
    eps_fn = mixture_eps_fn(MIX, schedule)
    key = jax.random.key(6)
    x0, xs = sampling.ancestral_sample(key, eps_fn, (64, 1), schedule, return_trajectory=True)
    assert xs.shape == (21, 64, 1)
    np.testing.assert_array_equal(xs[-1], x0)
    np.testing.assert_array_equal(x0, sampling.ancestral_sample(key, eps_fn, (64, 1), schedule))
    y0, ys = sampling.ddim_sample(key, eps_fn, (64, 1), schedule, 5, return_trajectory=True)
    assert ys.shape == (6, 64, 1)
    np.testing.assert_array_equal(ys[0], xs[0])  # same x_T from the same key
    np.testing.assert_array_equal(ys[-1], y0)
    assert not np.allclose(
        x0, sampling.ancestral_sample(jax.random.key(7), eps_fn, (64, 1), schedule)
    )


def test_ddim_step_accepts_one_t_per_example():
    schedule = schedules.make_schedule(schedules.linear_betas(50, 1e-3, 0.1))
    x = jnp.linspace(-1.0, 1.0, 6).reshape(3, 2)
    eps_hat, z = jnp.cos(x), jnp.sin(x)
    t, t_prev = jnp.array([5, 20, 50]), jnp.array([0, 10, 49])
    batched = sampling.ddim_step(x, t, t_prev, eps_hat, z, schedule, 0.5)
    rows = [
        sampling.ddim_step(x[i], t[i], t_prev[i], eps_hat[i], z[i], schedule, 0.5) for i in range(3)
    ]
    np.testing.assert_allclose(batched, jnp.stack(rows), rtol=1e-6)
