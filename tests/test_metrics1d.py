"""1-D sample metrics: Wasserstein-1 of a shift is the shift; mode coverage counts modes."""

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.toys import metrics1d


def test_wasserstein1_of_a_shifted_sample_is_the_shift():
    x = jax.random.normal(jax.random.key(0), (1000,))
    np.testing.assert_allclose(metrics1d.wasserstein1(x + 0.3, x), 0.3, rtol=1e-5)
    np.testing.assert_allclose(metrics1d.wasserstein1(x, x), 0.0, atol=1e-7)


def test_mode_coverage_counts_the_modes_that_got_their_share():
    means, stds = jnp.array([-2.0, 0.0, 2.0]), jnp.full(3, 0.1)
    samples = jnp.concatenate([jnp.full(50, -2.0), jnp.full(50, 0.05), jnp.full(5, 1.0)])
    result = metrics1d.mode_coverage(samples, means, stds)
    assert int(result.n_covered) == 2
    np.testing.assert_array_equal(result.covered, [True, True, False])
    np.testing.assert_allclose(result.high_quality, 100 / 105, rtol=1e-6)
