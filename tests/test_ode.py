"""VP SDE / probability-flow ODE: kernels vs the discrete chain, Gaussian data in closed form,
DDIM as the ODE's discretisation, likelihood vs the known density, invertibility."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import ode, sampling, schedules, scores

MIX = scores.ring_mixture(8, 2.0, 0.1, jnp.array([3.0, 1.0] * 4) / 16.0)
S0 = 0.5  # std of the Gaussian data N(0, S0² I)


def _var(s):  # Var q_s for Gaussian data: ᾱ S0² + 1 - ᾱ
    ab = ode.vp_alpha_bar(s)
    return ab * S0**2 + 1 - ab


def _gauss_drift(x, s):  # exact score of N(0, v(s) I) is -x / v(s)
    return ode.ode_drift(x, s, -x / _var(s))


def _mix_drift(x, s):
    return ode.ode_drift(
        x, s, scores.mixture2d_score(x, *scores.diffuse_mixture2d(*MIX, ode.vp_alpha_bar(s)))
    )


def test_vp_schedule_is_the_continuous_one_on_the_grid_and_a_valid_chain(x64):
    schedule = ode.vp_schedule(50, dtype=jnp.float64)  # make_schedule checked 0 < β_t < 1
    alpha_bars = schedule.alpha_bars
    np.testing.assert_allclose(alpha_bars, ode.vp_alpha_bar(jnp.arange(51) / 50), rtol=1e-12)
    np.testing.assert_allclose(jnp.cumprod(1 - schedule.betas), alpha_bars, rtol=1e-12)
    for bad in ({"T": 0}, {"T": 5, "beta_min": 0.0}, {"T": 2.5}):
        with pytest.raises(ValueError, match="T|beta_min"):
            ode.vp_schedule(**bad)


def test_the_discrete_chain_kernel_converges_to_the_sde_kernel_as_T_grows(x64):
    """Ho et al.'s linear β_t = β(t/T)/T: ∏(1 - β_t) → exp(-∫β), error O(1/T)."""
    errors = []
    for T in (100, 1000, 10_000):
        betas = schedules.linear_betas(T, 0.1 / T, 20.0 / T, dtype=jnp.float64)
        s = jnp.arange(T + 1) / T
        errors.append(float(jnp.max(jnp.abs(jnp.cumprod(1 - betas) - ode.vp_alpha_bar(s)))))
    assert errors[-1] < 1e-3
    for coarse, fine in zip(errors, errors[1:], strict=False):
        assert 5 < coarse / fine < 20  # ≈ 10 per decade: first order


def test_sde_moments_solved_as_an_ode_give_the_kernel(x64):
    """dm/ds = f(m), dv/ds = -β v + g² from (m, v) = (1, 0): m = √ᾱ, v = 1 - ᾱ."""

    def moments(y, s):
        f, g = ode.sde_drift_diffusion(y, s)
        return jnp.stack([f[:, 0], f[:, 1] * 2 + g**2], axis=1)

    y = ode.solve_ode(ode.heun_step, moments, jnp.array([[1.0, 0.0]]), jnp.linspace(0, 0.7, 701))
    ab = ode.vp_alpha_bar(0.7)
    np.testing.assert_allclose(y[0], [jnp.sqrt(ab), 1 - ab], atol=1e-5)


def test_ode_on_gaussian_data_is_the_closed_form_scaling_and_heun_is_second_order(x64):
    x0 = jnp.array([[0.3, -0.8], [1.2, 0.1]])
    exact = x0 * jnp.sqrt(_var(1.0) / S0**2)  # the flow rescales by the std ratio
    errs = {}
    for step in (ode.euler_step, ode.heun_step):
        errs[step] = [
            float(
                jnp.max(
                    jnp.abs(
                        ode.solve_ode(step, _gauss_drift, x0, jnp.linspace(0, 1, n + 1)) - exact
                    )
                )
            )
            for n in (100, 200)
        ]
    assert 1.7 < errs[ode.euler_step][0] / errs[ode.euler_step][1] < 2.3
    assert 3.5 < errs[ode.heun_step][0] / errs[ode.heun_step][1] < 4.5
    back = ode.solve_ode(ode.heun_step, _gauss_drift, exact, jnp.linspace(1, 0, 401))
    np.testing.assert_allclose(back, x0, atol=1e-4)  # Heun's O(h²) at h = 1/400


def test_eps_form_of_the_drift_equals_the_score_form():
    x, s = jnp.array([[0.4, -1.0], [1.9, 0.2]]), 0.37
    ab = ode.vp_alpha_bar(s)
    eps = scores.mixture2d_eps_star(x, ab, *MIX)
    score = scores.mixture2d_score(x, *scores.diffuse_mixture2d(*MIX, ab))
    np.testing.assert_allclose(
        ode.ode_drift_from_eps(x, s, eps), ode.ode_drift(x, s, score), rtol=1e-5
    )
    with pytest.raises(ValueError, match="s must lie"):
        ode.ode_drift_from_eps(x, 0.0, eps)


def test_ode_log_likelihood_matches_the_known_density(x64):
    x0 = jnp.array([[0.3, -0.8], [1.2, 0.1], [-1.5, 0.9]])
    truth = -0.5 * jnp.sum(x0**2, 1) / S0**2 - jnp.log(2 * jnp.pi * S0**2)
    v1, errors = _var(1.0), []
    for n in (200, 400):
        x1, delta = ode.ode_log_likelihood(_gauss_drift, x0, jnp.linspace(0, 1, n + 1))
        log_p = -0.5 * jnp.sum(x1**2, 1) / v1 - jnp.log(2 * jnp.pi * v1) + delta
        errors.append(float(jnp.max(jnp.abs(log_p - truth))))
    assert 3.5 < errors[0] / errors[1] < 4.5 and errors[1] < 3e-4  # Heun: O(h²) → exact


def test_ode_log_likelihood_on_the_ring_matches_the_exact_log_density():
    x0, _ = scores.mixture2d_sample(jax.random.key(0), 200, *MIX)
    x1, delta = ode.ode_log_likelihood(_mix_drift, x0, jnp.linspace(0, 1, 301))
    prior = scores.mixture2d_logpdf(x1, *scores.diffuse_mixture2d(*MIX, ode.vp_alpha_bar(1.0)))
    err = prior + delta - scores.mixture2d_logpdf(x0, *MIX)
    assert float(jnp.abs(jnp.mean(err))) < 0.01 and float(jnp.max(jnp.abs(err))) < 0.05


def test_ddim_eta0_converges_to_the_probability_flow_ode():
    schedule = ode.vp_schedule(1000)
    alpha_bars = schedule.alpha_bars
    key = jax.random.key(1)
    x_T = jax.random.normal(jax.random.split(key)[0], (256, 2))  # ddim_sample's starting points
    reference = ode.solve_ode(ode.heun_step, _mix_drift, x_T, jnp.linspace(1, 0, 1001))

    def eps_fn(x, t):
        return scores.mixture2d_eps_star(x, alpha_bars[t[0]], *MIX)

    errors = [
        float(jnp.mean(jnp.linalg.norm(
            sampling.ddim_sample(key, eps_fn, (256, 2), schedule, n) - reference, axis=1
        )))
        for n in (10, 100, 1000)
    ]  # fmt: skip
    assert errors[0] > errors[1] > errors[2] and errors[2] < min(0.005, errors[0] / 20)


def test_x0_to_noise_and_back_is_the_identity():
    x0, _ = scores.mixture2d_sample(jax.random.key(2), 300, *MIX)
    x1 = ode.solve_ode(ode.heun_step, _mix_drift, x0, jnp.linspace(0, 1, 401))
    back = ode.solve_ode(ode.heun_step, _mix_drift, x1, jnp.linspace(1, 0, 401))
    assert float(jnp.max(jnp.abs(back - x0))) < 5e-3
    assert 0.9 < float(jnp.std(x1)) < 1.1  # the data went to (about) N(0, I)


def test_reverse_sde_samples_gaussian_data_with_the_right_variance():
    n, x = 500, jnp.sqrt(_var(1.0)) * jax.random.normal(jax.random.key(3), (20_000, 2))
    times = jnp.linspace(1, 0, n + 1)
    for i in range(n):
        z = jax.random.normal(jax.random.fold_in(jax.random.key(4), i), x.shape)
        x = ode.reverse_sde_step(x, times[i], times[i + 1], -x / _var(times[i]), z)
    np.testing.assert_allclose(jnp.var(x, axis=0), S0**2, rtol=0.05)  # se ≈ 1 %, bias O(1/n)


def test_guards_and_jit():
    with pytest.raises(ValueError, match="times"):
        ode.solve_ode(ode.euler_step, _gauss_drift, jnp.zeros((1, 2)), jnp.array([0.0]))
    with pytest.raises(ValueError, match="increase"):
        ode.ode_log_likelihood(_gauss_drift, jnp.zeros((1, 2)), jnp.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="beta_min"):
        ode.vp_alpha_bar(0.5, beta_min=-1.0)
    x0, times = jnp.ones((3, 2)), jnp.linspace(0, 1, 11)
    np.testing.assert_allclose(
        jax.jit(lambda x: ode.solve_ode(ode.heun_step, _gauss_drift, x, times))(x0),
        ode.solve_ode(ode.heun_step, _gauss_drift, x0, times),
        rtol=1e-5,
    )
