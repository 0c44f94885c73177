"""2-D mixtures and Langevin: scores by autodiff, ε* by Bayes over samples, Langevin's law vs the target."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import scores
from diffusion_lite.toys import metrics2d

MIX = scores.ring_mixture(8, 2.0, 0.3, jnp.array([3.0, 1.0] * 4) / 16.0)
POINTS = jnp.array([[0.0, 0.0], [2.1, 0.3], [-1.0, 1.7], [0.5, -3.0], [1.4, 1.4]])


def test_ring_shapes_and_guards():
    w, m, s = scores.ring_mixture(5, 1.5, 0.2)
    assert w.shape == (5,) and m.shape == (5, 2) and s.shape == (5,)
    np.testing.assert_allclose(jnp.linalg.norm(m, axis=1), 1.5, rtol=1e-6)
    for kwargs, name in (({"n_modes": 0}, "n_modes"), ({"radius": -1.0}, "radius")):
        with pytest.raises(ValueError, match=name):
            scores.ring_mixture(**kwargs)
    with pytest.raises(ValueError, match="weights"):
        scores.ring_mixture(2, weights=[0.7, 0.7])


def test_logpdf_is_normalised_on_a_grid(x64):
    g = jnp.linspace(-5.0, 5.0, 801)
    xx = jnp.stack(jnp.meshgrid(g, g), axis=-1)  # [G, G, 2]
    mix = scores.ring_mixture(8, 2.0, 0.3, jnp.array([3.0, 1.0] * 4) / 16.0)
    mass = jnp.sum(jnp.exp(scores.mixture2d_logpdf(xx, *mix))) * (g[1] - g[0]) ** 2
    np.testing.assert_allclose(float(mass), 1.0, rtol=1e-6)


@pytest.mark.parametrize("alpha_bar", [1.0, 0.5, 1e-3])
def test_score_equals_autodiff_of_the_exact_log_density(x64, alpha_bar):
    mix = scores.ring_mixture(8, 2.0, 0.3, jnp.array([3.0, 1.0] * 4) / 16.0)  # float64 now
    diffused = scores.diffuse_mixture2d(*mix, alpha_bar)
    points = jnp.asarray(POINTS, jnp.float64)
    by_autodiff = jax.vmap(jax.grad(lambda x: scores.mixture2d_logpdf(x, *diffused)))(points)
    np.testing.assert_allclose(scores.mixture2d_score(points, *diffused), by_autodiff, atol=1e-10)


def test_diffused_marginal_matches_monte_carlo_of_the_kernel():
    alpha_bar = 0.3
    x0, _ = scores.mixture2d_sample(jax.random.key(0), 200_000, *MIX)
    x_t = jnp.sqrt(alpha_bar) * x0 + jnp.sqrt(1 - alpha_bar) * jax.random.normal(
        jax.random.key(1), x0.shape
    )
    w, m, s = scores.diffuse_mixture2d(*MIX, alpha_bar)
    mean = jnp.sum(w[:, None] * m, 0)
    second = jnp.sum(w * (2 * s**2 + jnp.sum(m**2, 1)))  # E‖x‖²
    np.testing.assert_allclose(jnp.mean(x_t, 0), mean, atol=0.01)  # se ≈ 0.002
    np.testing.assert_allclose(jnp.mean(jnp.sum(x_t**2, 1)), second, rtol=0.01)


@pytest.mark.parametrize("alpha_bar", [0.9, 0.3])
def test_eps_star_is_the_posterior_mean_of_the_noise(alpha_bar):
    """E[ε | x_t] by self-normalised importance weights over x_0 ~ p: an independent Bayes."""
    x0, _ = scores.mixture2d_sample(jax.random.key(2), 400_000, *MIX)
    x_t = POINTS[1:4]
    logw = -0.5 * jnp.sum((x_t[:, None] - jnp.sqrt(alpha_bar) * x0) ** 2, -1) / (1 - alpha_bar)
    weights = jax.nn.softmax(logw, axis=1)  # p(x_0 | x_t) on the samples, [3, N]
    eps = (x_t[:, None] - jnp.sqrt(alpha_bar) * x0) / jnp.sqrt(1 - alpha_bar)  # [3, N, 2]
    bayes = jnp.sum(weights[..., None] * eps, axis=1)
    exact = scores.mixture2d_eps_star(x_t, alpha_bar, *MIX)
    np.testing.assert_allclose(exact, bayes, atol=0.03)
    tweedie = -jnp.sqrt(1 - alpha_bar) * scores.mixture2d_score(
        x_t, *scores.diffuse_mixture2d(*MIX, alpha_bar)
    )
    np.testing.assert_allclose(exact, tweedie, atol=1e-5)


def test_langevin_step_is_the_formula_and_guards():
    x, g, z = POINTS, -POINTS, jnp.ones_like(POINTS)
    np.testing.assert_allclose(scores.langevin_step(x, g, z, 0.04), x - 0.02 * x + 0.2, atol=1e-7)
    with pytest.raises(ValueError, match="step_size"):
        scores.langevin_step(x, g, z, 0.0)
    with pytest.raises(ValueError, match="shape"):
        scores.langevin_step(x, g[:2], z, 0.1)


def test_langevin_on_a_gaussian_has_the_known_stationary_law():
    """For N(0, v) the chain is AR(1): x' = (1 - δ/2v) x + √δ z, stationary var δ / (1 - a²)."""
    v, delta = 2.0, 0.05
    x = scores.annealed_langevin(
        jax.random.key(3), lambda x, i: -x / v, jnp.zeros((20_000, 2)), jnp.array([delta]), 400
    )
    a = 1 - delta / (2 * v)
    np.testing.assert_allclose(jnp.var(x, axis=0), delta / (1 - a**2), rtol=0.03)  # se ≈ 1 %
    np.testing.assert_allclose(delta / (1 - a**2), v, rtol=0.01)  # → v as δ → 0


def test_annealed_langevin_gets_the_mode_masses_right_and_plain_langevin_does_not():
    mix = scores.ring_mixture(8, 2.0, 0.1, jnp.array([3.0, 1.0] * 4) / 16.0)
    levels = jnp.array([1.0, 0.3, 0.1, 0.03, 0.01, 1e-3]) ** 0.5  # noise std of each level
    alpha_bars = 1 - levels**2

    def score_fn(x, i):
        return scores.mixture2d_score(x, *scores.diffuse_mixture2d(*mix, alpha_bars[i]))

    x_init = jax.random.normal(jax.random.key(4), (4000, 2))
    variances = alpha_bars * 0.01 + 1 - alpha_bars
    annealed = scores.annealed_langevin(jax.random.key(5), score_fn, x_init, 0.1 * variances, 100)
    plain = scores.annealed_langevin(
        jax.random.key(5), lambda x, i: score_fn(x, 5), x_init, 0.1 * variances[-1:], 600
    )
    err_annealed = jnp.abs(metrics2d.mode_shares(annealed, mix[1], mix[2]) - mix[0])
    err_plain = jnp.abs(metrics2d.mode_shares(plain, mix[1], mix[2]) - mix[0])
    assert float(err_annealed.max()) < 0.03  # binomial se of a share ≈ 0.006
    assert float(err_plain.min()) > 0.04  # every mode near 1/8: heavy ones short, light ones over


def test_same_key_same_output_and_jit():
    fn = jax.jit(lambda k: scores.mixture2d_sample(k, 10, *MIX)[0])
    np.testing.assert_array_equal(fn(jax.random.key(7)), fn(jax.random.key(7)))
    np.testing.assert_allclose(
        jax.jit(scores.mixture2d_eps_star)(POINTS, 0.4, *MIX),
        scores.mixture2d_eps_star(POINTS, 0.4, *MIX),
        atol=1e-6,
    )
