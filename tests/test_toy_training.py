"""L_simple, the per-t ε-MSE, the exact mixture ε* as an eps_fn, and the scanned training loop."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.core import schedules
from diffusion_lite.models.mlp import MLPEps
from diffusion_lite.toys import mixtures
from diffusion_lite.toys.toy_training import eps_mse_per_t, fit, mixture_eps_fn, simple_loss

BETAS = schedules.linear_betas(50, 1e-3, 0.3)
SCHEDULE = schedules.make_schedule(BETAS)
ALPHA_BARS = SCHEDULE.alpha_bars


def test_simple_loss_is_zero_for_an_oracle_and_one_for_predicting_zero():
    """Data all at x_0 = 0: ε = x_t / √(1-ᾱ_t) exactly, so that predictor has loss 0."""
    x0 = jnp.zeros((4096, 1))
    oracle = lambda x_t, t: x_t / jnp.sqrt(1.0 - ALPHA_BARS[t])[:, None]  # noqa: E731
    np.testing.assert_allclose(simple_loss(jax.random.key(0), oracle, x0, SCHEDULE), 0.0, atol=1e-6)
    zero = simple_loss(
        jax.random.key(0),
        lambda x_t, t: jnp.zeros_like(x_t),
        x0,
        SCHEDULE,
    )
    np.testing.assert_allclose(zero, 1.0, atol=4 * np.sqrt(2 / 4096))  # E ε² = 1, s.e. √(2/N)


def test_exact_eps_of_a_gaussian_has_the_closed_form_mse():
    """x_0 ~ N(0, s²): ε* = √(1-ᾱ) x_t / v, v = ᾱ s² + 1 - ᾱ, and E(ε - ε*)² = ᾱ s² / v."""
    s = 0.5
    mix = mixtures.make_mixture([1.0], [0.0], [s])
    x0 = s * jax.random.normal(jax.random.key(1), (20_000, 1))
    ts = jnp.array([1, 5, 20, 50])
    got = eps_mse_per_t(jax.random.key(2), mixture_eps_fn(mix, SCHEDULE), x0, SCHEDULE, ts)
    ab = ALPHA_BARS[ts]
    want = ab * s**2 / (ab * s**2 + 1 - ab)
    np.testing.assert_allclose(got, want, rtol=0.05, atol=1e-3)  # MC s.e. ≈ 1 % at N = 20 000


def test_exact_eps_beats_perturbed_predictors():
    """E[ε | x_t] minimises the ε-MSE: scaled or shifted versions are worse on the same draws."""
    mix = mixtures.evenly_spaced_mixture(8, 1.0, 0.05)
    x0 = mixtures.mixture_sample(jax.random.key(3), 20_000, *mix)[0][:, None]
    eps_star = mixture_eps_fn(mix, SCHEDULE)
    best = simple_loss(jax.random.key(4), eps_star, x0, SCHEDULE)
    for perturbed in (lambda x, t: 1.1 * eps_star(x, t), lambda x, t: eps_star(x, t) + 0.1):
        assert simple_loss(jax.random.key(4), perturbed, x0, SCHEDULE) > best


@pytest.mark.e2e
def test_fit_reaches_the_optimum_on_gaussian_data_and_is_reproducible():
    """On N(0, 0.5²) data ε* is linear in x_t per t: a small MLP gets within 0.02 of its loss."""
    mix = mixtures.make_mixture([1.0], [0.0], [0.5])
    x0 = 0.5 * jax.random.normal(jax.random.key(5), (4096, 1))
    model = MLPEps(1, hidden=32, rngs=nnx.Rngs(0))
    losses = fit(jax.random.key(6), model, x0, SCHEDULE, num_steps=400, batch_size=256)
    assert losses.shape == (400,)
    assert float(losses[-100:].mean()) < float(losses[:20].mean())
    ts = jnp.arange(1, 51)
    gap = eps_mse_per_t(jax.random.key(7), model, x0, SCHEDULE, ts) - eps_mse_per_t(
        jax.random.key(7), mixture_eps_fn(mix, SCHEDULE), x0, SCHEDULE, ts
    )
    assert float(jnp.mean(gap)) < 0.02
    again = MLPEps(1, hidden=32, rngs=nnx.Rngs(0))
    np.testing.assert_allclose(
        fit(jax.random.key(6), again, x0, SCHEDULE, num_steps=400, batch_size=256),
        losses,
        rtol=1e-5,
    )
