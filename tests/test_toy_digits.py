"""Synthetic digits: shape, range, and strokes exactly where the segments say."""

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.toys.toy_digits import synthetic_digits


def test_shape_range_and_distinct_digits():
    x = synthetic_digits(list(range(10)))
    assert x.shape == (10, 28, 28) and x.dtype == jnp.float32
    assert float(x.min()) >= -1.0 and float(x.max()) <= 1.0
    flat = np.asarray(x).reshape(10, -1)
    dists = np.linalg.norm(flat[:, None] - flat[None], axis=-1)
    assert np.all(dists[~np.eye(10, dtype=bool)] > 1.0)  # no two digits alike


def test_ink_on_segments_background_elsewhere():
    one, eight = synthetic_digits([1, 8])
    assert one[10, 19] == pytest.approx(1.0) and one[18, 19] == pytest.approx(1.0)  # b and c
    assert one[5, 12] < -0.99 and one[14, 14] < -0.99  # no a, no g
    assert eight[14, 14] == pytest.approx(1.0) and eight[0, 0] < -0.99


def test_bad_digits_raise():
    with pytest.raises(ValueError, match="digits"):
        synthetic_digits([10])
    with pytest.raises(ValueError, match="digits"):
        synthetic_digits([])
