"""2-D metrics: mode shares by direct counting, sliced Wasserstein vs known shifts."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import scores
from diffusion_lite.toys import metrics2d


def test_mode_shares_count_points_inside_each_window():
    means, stds = jnp.array([[0.0, 0.0], [3.0, 0.0]]), jnp.array([0.1, 0.2])
    x = jnp.array([[0.05, 0.0], [0.0, 0.29], [3.7, 0.0], [2.9, 0.1], [1.5, 1.5]])
    np.testing.assert_allclose(metrics2d.mode_shares(x, means, stds), [0.4, 0.2])
    with pytest.raises(ValueError, match="n_std"):
        metrics2d.mode_shares(x, means, stds, n_std=0.0)


def test_sliced_wasserstein_of_a_shift_and_of_two_draws():
    x, _ = scores.mixture2d_sample(jax.random.key(0), 4000, *scores.ring_mixture())
    shift = jnp.array([0.3, -0.4])  # ‖shift‖ = 0.5; E_θ |θᵀshift| = 2/π · 0.5
    # each projected W₁ of a shifted copy is exactly |θᵀshift| for any N: the only error is
    # the directions' (relative SE 0.48/√4096 = 0.75 %), so 500 points are as good as 4000
    sw = metrics2d.sliced_wasserstein(jax.random.key(1), x[:500] + shift, x[:500], 4096)
    np.testing.assert_allclose(float(sw), 1 / jnp.pi, rtol=0.02)
    y, _ = scores.mixture2d_sample(jax.random.key(2), 4000, *scores.ring_mixture())
    assert float(metrics2d.sliced_wasserstein(jax.random.key(1), x, y)) < 0.05
    assert float(metrics2d.sliced_wasserstein(jax.random.key(1), x, x)) == 0.0
    with pytest.raises(ValueError, match="shape"):
        metrics2d.sliced_wasserstein(jax.random.key(1), x, y[:10])


def test_mmd_to_the_exact_mixture_is_zero_for_exact_samples_and_matches_two_sample_mmd():
    mix = scores.ring_mixture(8, 2.0, 0.1, jnp.array([3.0, 1.0] * 4) / 16)
    exact = [
        float(
            metrics2d.mmd2_to_mixture(
                scores.mixture2d_sample(jax.random.key(k), 2000, *mix)[0], *mix
            )
        )
        for k in range(5)
    ]
    assert (
        abs(np.mean(exact)) < 3 * np.std(exact) / np.sqrt(5) + 1e-4 and max(map(abs, exact)) < 2e-3
    )
    equal = scores.ring_mixture(8, 2.0, 0.1)  # wrong masses: the 3 : 1 ring sampled as 1 : 1
    x = scores.mixture2d_sample(jax.random.key(9), 2000, *equal)[0]
    y = scores.mixture2d_sample(jax.random.key(10), 4000, *mix)[0]
    k = lambda a, b: jnp.exp(-jnp.sum((a[:, None] - b[None]) ** 2, -1) / (2 * 0.2**2))  # noqa: E731
    two_sample = (
        (jnp.sum(k(x, x)) - 2000) / (2000 * 1999)
        - 2 * jnp.mean(k(x, y))
        + (jnp.sum(k(y, y)) - 4000) / (4000 * 3999)
    )
    got = float(metrics2d.mmd2_to_mixture(x, *mix))
    assert got > 10 * max(map(abs, exact))
    np.testing.assert_allclose(got, float(two_sample), atol=2e-3)
    with pytest.raises(ValueError, match="bandwidth"):
        metrics2d.mmd2_to_mixture(x, *mix, bandwidth=0.0)
