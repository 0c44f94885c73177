"""Space-to-depth and back: an exact round trip, and each patch lands in one pixel's channels."""

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.models.patches import depth_to_space, space_to_depth


def test_round_trip_is_exact_and_patches_become_channels():
    x = jax.random.normal(jax.random.key(0), (2, 28, 28, 3))
    y = space_to_depth(x, 2)
    assert y.shape == (2, 14, 14, 12)
    np.testing.assert_array_equal(depth_to_space(y, 2), x)
    patch = x[0, 2:4, 4:6, :]  # the 2×2 patch that becomes pixel (1, 2)
    np.testing.assert_array_equal(jnp.sort(y[0, 1, 2]), jnp.sort(patch.reshape(-1)))
