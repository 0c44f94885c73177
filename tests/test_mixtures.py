"""1-D mixtures: densities by quadrature, smoothing and diffusion by Monte Carlo, ε* by autodiff."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import forward, schedules
from diffusion_lite.toys import mixtures

MIX = mixtures.make_mixture([0.2, 0.5, 0.3], [-2.0, 0.0, 1.5], [0.3, 0.1, 0.5])


def _mixture_cdf(x, weights, means, stds):
    x = np.asarray(x, np.float64)[:, None]
    erf = np.vectorize(math.erf)
    z = (x - np.asarray(means, np.float64)) / (np.asarray(stds, np.float64) * math.sqrt(2))
    return np.sum(np.asarray(weights, np.float64) * 0.5 * (1 + erf(z)), axis=1)


def _ks(samples, cdf):
    s = np.sort(np.asarray(samples, np.float64))
    n = s.size
    return np.max(np.abs(cdf(s) - np.arange(1, n + 1) / n))


def test_pdf_integrates_to_one_and_logpdf_matches_a_direct_sum():
    grid = jnp.linspace(-6, 6, 200_001)
    pdf = mixtures.mixture_pdf(grid, *MIX)
    np.testing.assert_allclose(np.sum(np.asarray(pdf, np.float64)) * 12 / 200_000, 1.0, rtol=1e-5)
    x = np.array([-2.1, 0.05, 3.0])
    direct = sum(
        w / (s * math.sqrt(2 * math.pi)) * np.exp(-0.5 * ((x - m) / s) ** 2)
        for w, m, s in zip(*(np.asarray(a, np.float64) for a in MIX), strict=True)
    )
    np.testing.assert_allclose(
        mixtures.mixture_logpdf(jnp.asarray(x), *MIX), np.log(direct), rtol=1e-5
    )


def test_sampling_matches_weights_and_distribution():
    n = 100_000
    x, k = mixtures.mixture_sample(jax.random.key(0), n, *MIX)
    counts = np.bincount(np.asarray(k), minlength=3) / n
    np.testing.assert_allclose(counts, MIX.weights, atol=5 * math.sqrt(0.25 / n))
    assert _ks(x, lambda s: _mixture_cdf(s, *MIX)) < 1.63 / math.sqrt(n)


def test_smoothing_is_exact_convolution():
    n, sigma = 100_000, 0.7
    k1, k2 = jax.random.split(jax.random.key(1))
    x, _ = mixtures.mixture_sample(k1, n, *MIX)
    noisy = x + sigma * jax.random.normal(k2, (n,))
    smoothed = mixtures.smooth_mixture(*MIX, sigma)
    assert _ks(noisy, lambda s: _mixture_cdf(s, *smoothed)) < 1.63 / math.sqrt(n)


def test_diffused_marginal_matches_monte_carlo_of_the_kernel():
    n = 100_000
    schedule = schedules.make_schedule(schedules.linear_betas(100, 1e-3, 0.05))
    alpha_bars = schedule.alpha_bars
    k1, k2 = jax.random.split(jax.random.key(2))
    x0, _ = mixtures.mixture_sample(k1, n, *MIX)
    for t in (5, 40, 100):
        x_t = forward.q_sample(x0, t, jax.random.normal(jax.random.fold_in(k2, t), (n,)), schedule)
        diffused = mixtures.diffuse_mixture(*MIX, alpha_bars[t])
        assert _ks(x_t, lambda s, d=diffused: _mixture_cdf(s, *d)) < 1.63 / math.sqrt(n)


def test_score_equals_autodiff_of_logpdf():
    x = jnp.linspace(-4, 4, 41)
    autodiff = jax.vmap(jax.grad(lambda v: mixtures.mixture_logpdf(v, *MIX)))(x)
    np.testing.assert_allclose(mixtures.mixture_score(x, *MIX), autodiff, rtol=1e-4, atol=1e-4)


def test_eps_star_is_tweedie_and_the_monte_carlo_conditional_mean():
    alpha_bar = 0.5
    x = jnp.linspace(-2, 2, 9)
    diffused = mixtures.diffuse_mixture(*MIX, alpha_bar)
    tweedie = -math.sqrt(1 - alpha_bar) * jax.vmap(
        jax.grad(lambda v: mixtures.mixture_logpdf(v, *diffused))
    )(x)
    eps_star = mixtures.mixture_eps_star(x, alpha_bar, *MIX)
    np.testing.assert_allclose(eps_star, tweedie, rtol=1e-4, atol=1e-5)
    # Monte Carlo: average ε over samples whose x_t falls within ±0.02 of each point
    n = 2_000_000
    k1, k2 = jax.random.split(jax.random.key(3))
    x0, _ = mixtures.mixture_sample(k1, n, *MIX)
    eps = jax.random.normal(k2, (n,))
    x_t = np.asarray(math.sqrt(alpha_bar) * x0 + math.sqrt(1 - alpha_bar) * eps)
    eps = np.asarray(eps)
    for point, expected in zip(np.asarray(x), np.asarray(eps_star), strict=True):
        sel = np.abs(x_t - point) < 0.02
        stderr = eps[sel].std() / math.sqrt(sel.sum())
        assert abs(eps[sel].mean() - expected) < 5 * stderr + 0.01  # + bin-width bias


def test_eps_star_accepts_one_alpha_bar_per_point():
    x = jnp.array([-1.0, 0.5])
    ab = jnp.array([0.9, 0.2])
    batched = mixtures.mixture_eps_star(x, ab, *MIX)
    one_by_one = [mixtures.mixture_eps_star(x[i], ab[i], *MIX) for i in range(2)]
    np.testing.assert_allclose(batched, one_by_one, rtol=1e-6)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([0.5, 0.6], [0, 1], [1, 1]), "weights must be > 0 and sum to 1"),
        (([0.5, 0.5], [0, 1], [1, 0]), "stds must be > 0"),
        (([1.0], [0, 1], [1]), "one length"),
        (([1.0], [float("nan")], [1]), "finite"),
    ],
)
def test_make_mixture_rejects_bad_parameters(args, match):
    with pytest.raises(ValueError, match=match):
        mixtures.make_mixture(*args)
