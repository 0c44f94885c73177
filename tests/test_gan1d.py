"""Tests for gan1d (the tiny GAN), gan_theory (JS, D*, its gradient) and metrics1d.

Each quantity is computed a second, independent way: closed forms (uniforms, shifted
Gaussians), autodiff against hand-derived gradients, Monte Carlo with fixed keys.
"""

import inspect
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

from diffusion_lite.toys import gan1d, gan_theory, metrics1d, mixtures

MIX = mixtures.evenly_spaced_mixture(5, 2.0, 0.1)
TINY = gan1d.GanConfig(batch_size=16, hidden=8, z_dim=2)


# --- metrics1d ---------------------------------------------------------------------------


def test_wasserstein1_equal_sizes_is_mean_sorted_gap():
    # Any two sample sets will do; deterministic ones avoid compiling a PRNG here.
    x, y = jnp.cos(1.3 * jnp.arange(500.0)), 2.0 * jnp.sin(0.7 * jnp.arange(500.0)) + 0.3
    want = np.mean(np.abs(np.sort(np.asarray(x)) - np.sort(np.asarray(y))))
    np.testing.assert_allclose(metrics1d.wasserstein1(x, y), want, rtol=1e-5)
    np.testing.assert_allclose(jax.jit(metrics1d.wasserstein1)(x, y), want, rtol=1e-5)


def test_wasserstein1_shift_and_duplication_identities():
    x, y = jnp.cos(1.3 * jnp.arange(300.0)), jnp.sin(0.9 * jnp.arange(200.0)) ** 3
    np.testing.assert_allclose(metrics1d.wasserstein1(x, x + 1.5), 1.5, rtol=1e-5)
    # Duplicating every sample leaves the empirical distribution, hence W1, unchanged.
    np.testing.assert_allclose(
        metrics1d.wasserstein1(x, jnp.concatenate([y, y])), metrics1d.wasserstein1(x, y), rtol=1e-5
    )
    assert float(metrics1d.wasserstein1(x, x)) == 0.0


def test_mode_coverage_counts():
    means, stds = MIX.means, MIX.stds  # modes at -4, -2, 0, 2, 4 with s = 0.1
    # 60 % at mode 0, 38 % at mode 1, 2 % at mode 2 (< a quarter of its 20 %), none elsewhere.
    x = jnp.concatenate([jnp.full(60, -4.0), jnp.full(38, -2.05), jnp.full(2, 0.1)])
    cov = metrics1d.mode_coverage(x, means, stds)
    assert int(cov.n_covered) == 2
    np.testing.assert_array_equal(cov.covered, [True, True, False, False, False])
    np.testing.assert_allclose(cov.fractions, [0.6, 0.38, 0.02, 0.0, 0.0], atol=1e-6)
    assert float(cov.high_quality) == pytest.approx(1.0)
    between = metrics1d.mode_coverage(jnp.full(10, 1.0), means, stds)  # between two modes
    assert int(between.n_covered) == 0 and float(between.high_quality) == 0.0


def test_mode_coverage_of_exact_samples_is_full():
    x, _ = mixtures.mixture_sample(jax.random.key(3), 4000, *MIX)
    cov = metrics1d.mode_coverage(x, MIX.means, MIX.stds, MIX.weights)
    assert int(cov.n_covered) == 5
    assert float(cov.high_quality) > 0.99  # P(|z| ≤ 3) = 0.9973


def test_metrics_reject_bad_options():
    with pytest.raises(ValueError, match="n_std"):
        metrics1d.mode_coverage(jnp.zeros(3), MIX.means, MIX.stds, n_std=0.0)
    with pytest.raises(ValueError, match="min_share"):
        metrics1d.mode_coverage(jnp.zeros(3), MIX.means, MIX.stds, min_share=1.5)


# --- gan_theory ----------------------------------------------------------------------------


def test_js_uniform_shift_closed_form(x64):
    x = jnp.linspace(-2.0, 4.0, 60001)
    dx = float(x[1] - x[0])
    uniform = lambda a: jnp.where((x >= a) & (x < a + 1.0), 1.0, 0.0)  # noqa: E731
    for theta in (0.0, 0.25, 0.5, 1.0, 3.0):  # JS = min(θ, 1) log 2
        js = gan_theory.js_divergence(uniform(0.0), uniform(theta), dx)
        np.testing.assert_allclose(js, min(theta, 1.0) * np.log(2.0), atol=2e-4)


def test_js_far_apart_is_log2_even_with_underflow():
    x = jnp.linspace(-3.0, 12.0, 3001)  # float32: far tails underflow to 0 or to denormals
    dx = float(x[1] - x[0])
    p = mixtures.mixture_pdf(x, jnp.ones(1), jnp.zeros(1), jnp.full(1, 0.1))
    q = mixtures.mixture_pdf(x, jnp.ones(1), jnp.full(1, 2.0), jnp.full(1, 0.1))
    js = gan_theory.js_divergence(p, q, dx)  # finite: no log(0) from an underflowed m
    np.testing.assert_allclose(js, np.log(2.0), rtol=1e-4)  # float32 sum of 3000 terms


def test_js_of_far_gaussians_is_log2_and_symmetric(x64):
    x = jnp.linspace(-3.0, 12.0, 30001)
    dx = float(x[1] - x[0])
    p = mixtures.mixture_pdf(x, jnp.ones(1), jnp.zeros(1), jnp.full(1, 0.1))
    for d in (2.0, 5.0, 10.0):
        q = mixtures.mixture_pdf(x, jnp.ones(1), jnp.full(1, d), jnp.full(1, 0.1))
        np.testing.assert_allclose(gan_theory.js_divergence(p, q, dx), np.log(2.0), rtol=1e-6)
    q = mixtures.mixture_pdf(x, jnp.ones(1), jnp.full(1, 0.2), jnp.full(1, 0.1))
    js_pq, js_qp = gan_theory.js_divergence(p, q, dx), gan_theory.js_divergence(q, p, dx)
    np.testing.assert_allclose(js_pq, js_qp, rtol=1e-10)
    assert 0.0 < float(js_pq) < np.log(2.0) - 0.1


def test_optimal_discriminator_attains_2js_minus_log4(x64):
    x = jnp.linspace(-8.0, 8.0, 16001)
    dx = float(x[1] - x[0])
    log_p = mixtures.mixture_logpdf(x, *MIX)
    log_q = mixtures.mixture_logpdf(x, jnp.ones(1), jnp.full(1, 0.5), jnp.full(1, 1.0))
    p, q = jnp.exp(log_p), jnp.exp(log_q)
    d_star = jax.nn.sigmoid(gan_theory.optimal_discriminator_logit(log_p, log_q))
    v_star = gan_theory.gan_value(p, q, d_star, dx)
    np.testing.assert_allclose(
        v_star, 2 * gan_theory.js_divergence(p, q, dx) - np.log(4.0), atol=1e-6
    )
    for bump in (0.3 * jnp.sin(x), -0.5 * jnp.ones_like(x)):  # any other D does worse
        other = jax.nn.sigmoid(gan_theory.optimal_discriminator_logit(log_p, log_q) + bump)
        assert float(gan_theory.gan_value(p, q, other, dx)) < float(v_star)


def test_generator_grads_match_autodiff(x64):
    p_mix = tuple(jnp.asarray(a, dtype=jnp.float64) for a in MIX)
    q_mix = (jnp.ones(1), jnp.full(1, 1.0), jnp.full(1, 0.3))

    def logit(x):
        return gan_theory.optimal_discriminator_logit(
            mixtures.mixture_logpdf(x, *p_mix), mixtures.mixture_logpdf(x, *q_mix)
        )

    x = jnp.linspace(-1.0, 3.0, 9)
    dlogit = mixtures.mixture_score(x, *p_mix) - mixtures.mixture_score(x, *q_mix)
    sat, non_sat = gan_theory.generator_grads(logit(x), dlogit)
    sat_ad = jax.jit(jax.vmap(jax.grad(lambda x: jnp.log1p(-jax.nn.sigmoid(logit(x))))))(x)
    non_sat_ad = jax.jit(jax.vmap(jax.grad(lambda x: -jnp.log(jax.nn.sigmoid(logit(x))))))(x)
    np.testing.assert_allclose(sat, sat_ad, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(non_sat, non_sat_ad, rtol=1e-8, atol=1e-12)


def test_smoothing_is_exact_convolution_vs_monte_carlo():
    sigma = 0.7
    k_x, k_n = jax.random.split(jax.random.key(4))
    x, _ = mixtures.mixture_sample(k_x, 200_000, *MIX)
    y = x + sigma * jax.random.normal(k_n, x.shape)
    edges = np.linspace(-7.0, 7.0, 57)
    hist, _ = np.histogram(np.asarray(y), bins=edges, density=True)
    centres = jnp.asarray(0.5 * (edges[1:] + edges[:-1]))
    smoothed = mixtures.mixture_pdf(centres, *mixtures.smooth_mixture(*MIX, sigma))
    # bin width 0.25 vs. curvature: the bin average differs from the centre value by < 0.003;
    # Monte Carlo s.e. per bin ≈ √(p/(n·h)) ≤ 0.003.  Tolerance 0.012 = both, with margin.
    np.testing.assert_allclose(hist, smoothed, atol=0.012)


# --- gan1d -------------------------------------------------------------------------------


def test_sigma_schedule_values_and_errors():
    sig = gan1d.sigma_schedule(10, 2.0, 0.5)
    np.testing.assert_allclose(sig, [2.0, 1.6, 1.2, 0.8, 0.4, 0, 0, 0, 0, 0], atol=1e-6)
    with pytest.raises(ValueError, match="anneal_frac"):
        gan1d.sigma_schedule(10, 1.0, 0.0)
    with pytest.raises(ValueError, match="sigma0"):
        gan1d.sigma_schedule(10, -1.0)


@nnx.jit
def _sgd_d_step(disc, d_opt, x_real, x_fake):
    d_opt.update(disc, nnx.grad(gan1d.d_loss_fn)(disc, x_real, x_fake))


def test_discriminator_step_lowers_its_loss():
    gen, disc, _, _ = gan1d.make_gan(jax.random.key(5), TINY)
    x_real = jnp.linspace(-4.0, 4.0, 64)
    x_fake = gen(jnp.cos(jnp.arange(128.0)).reshape(64, 2))
    d_opt = nnx.Optimizer(disc, optax.sgd(0.05), wrt=nnx.Param)
    before = float(gan1d.d_loss_fn(disc, x_real, x_fake))
    for _ in range(5):
        _sgd_d_step(disc, d_opt, x_real, x_fake)
    assert float(gan1d.d_loss_fn(disc, x_real, x_fake)) < before - 1e-3


def test_d_loss_is_binary_cross_entropy():
    _, disc, _, _ = gan1d.make_gan(jax.random.key(8), TINY)
    x_real, x_fake = jnp.linspace(-1, 1, 7), jnp.linspace(2, 3, 5)
    d_real, d_fake = jax.nn.sigmoid(disc(x_real)), jax.nn.sigmoid(disc(x_fake))
    want = -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))
    np.testing.assert_allclose(gan1d.d_loss_fn(disc, x_real, x_fake), want, rtol=1e-5)


@pytest.mark.e2e  # a training run: compiles the whole scanned loop (a few seconds)
def test_train_gan_is_deterministic_and_shaped():
    sigmas = gan1d.sigma_schedule(48, 1.0)
    a = gan1d.train_gan(jax.random.key(9), MIX, sigmas, TINY, n_snapshots=4, n_samples=64)
    b = gan1d.train_gan(jax.random.key(9), MIX, sigmas, TINY, n_snapshots=4, n_samples=64)
    assert a.samples.shape == (4, 64) and a.d_loss.shape == (48,)
    np.testing.assert_array_equal(a.snapshot_steps, [12, 24, 36, 48])
    for got, want in zip(a, b, strict=True):
        np.testing.assert_array_equal(got, want)
    assert bool(jnp.all(jnp.isfinite(a.samples)))
    with pytest.raises(ValueError, match="n_snapshots"):
        gan1d.train_gan(jax.random.key(9), MIX, sigmas, TINY, n_snapshots=5)


COPYABLE = [
    (gan_theory.js_divergence, (jnp.array([0.0, 1.0, 2.0]), jnp.array([2.0, 1.0, 0.0]), 0.5)),
    (gan_theory.optimal_discriminator_logit, (jnp.array([-1.0, 0.5]), jnp.array([0.0, 2.0]))),
    (gan_theory.generator_grads, (jnp.array([-3.0, 0.5]), jnp.array([1.0, -2.0]))),
    (
        gan_theory.gan_value,
        (jnp.array([1.0, 0.0]), jnp.array([0.0, 1.0]), jnp.array([0.9, 0.2]), 1.0),
    ),
    (metrics1d.wasserstein1, (jnp.array([0.0, 1.0, 5.0]), jnp.array([0.5, 2.0]))),
]


@pytest.mark.parametrize(("fn", "args"), COPYABLE, ids=lambda c: getattr(c, "__name__", ""))
def test_function_runs_alone_with_only_jax_imported(fn, args):
    namespace = {"jax": jax, "jnp": jnp}
    exec(textwrap.dedent(inspect.getsource(fn)), namespace)  # noqa: S102
    copied = namespace[fn.__name__](*args)
    for got, want in zip(jax.tree.leaves(copied), jax.tree.leaves(fn(*args)), strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
