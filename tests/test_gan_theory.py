"""The optimal-discriminator facts of notebook 01, against their closed forms."""

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.toys import gan_theory

GRID = jnp.linspace(-10.0, 10.0, 20001)
DX = float(GRID[1] - GRID[0])


def _normal(mean, std):
    """N(mean, std²) on the grid, normalised so that its Riemann sum is 1."""
    density = jnp.exp(-0.5 * ((GRID - mean) / std) ** 2)
    return density / (jnp.sum(density) * DX)


def test_js_is_zero_for_equal_densities_and_log_2_for_disjoint_ones():
    p = _normal(-5.0, 0.3)
    np.testing.assert_allclose(gan_theory.js_divergence(p, p, DX), 0.0, atol=1e-6)
    np.testing.assert_allclose(
        gan_theory.js_divergence(p, _normal(5.0, 0.3), DX), np.log(2), rtol=1e-4
    )


def test_optimal_discriminator_is_p_over_p_plus_q():
    p, q = _normal(-1.0, 1.0), _normal(1.0, 0.5)
    logit = gan_theory.optimal_discriminator_logit(jnp.log(p), jnp.log(q))
    inside = (jnp.abs(GRID) < 3).nonzero()
    np.testing.assert_allclose(jax.nn.sigmoid(logit)[inside], (p / (p + q))[inside], rtol=1e-4)


def test_value_at_the_optimal_discriminator_is_2_js_minus_log_4():
    """Goodfellow et al. 2014, Theorem 1: V(D*, G) = -log 4 + 2 JS(p ‖ q)."""
    p, q = _normal(-0.5, 1.0), _normal(0.5, 1.0)  # both > 0 on the whole grid
    disc = jax.nn.sigmoid(gan_theory.optimal_discriminator_logit(jnp.log(p), jnp.log(q)))
    value = gan_theory.gan_value(p, q, disc, DX)
    np.testing.assert_allclose(
        value, -np.log(4) + 2 * gan_theory.js_divergence(p, q, DX), atol=1e-4
    )
