"""Synthetic 28×28 digit-like images, drawn with soft strokes: no download needed.

The forward-process notebooks only need "an image with structure" to watch it dissolve
into noise; these stand in for MNIST (same size, same [-1, 1] range, background -1).
Digits are drawn as seven-segment strokes with a Gaussian pen profile.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax.numpy as jnp
import numpy as np

# Segment end points (row, col) on the 28×28 canvas: a top, b top-right, c bottom-right,
# d bottom, e bottom-left, f top-left, g middle.
_SEGMENTS = {
    "a": ((5, 9), (5, 19)),
    "b": ((5, 19), (14, 19)),
    "c": ((14, 19), (23, 19)),
    "d": ((23, 9), (23, 19)),
    "e": ((14, 9), (23, 9)),
    "f": ((5, 9), (14, 9)),
    "g": ((14, 9), (14, 19)),
}
_DIGIT_SEGMENTS = (
    "abcdef",
    "bc",
    "abged",
    "abgcd",
    "fgbc",
    "afgcd",
    "afgedc",
    "abc",
    "abcdefg",
    "abcdfg",
)


def synthetic_digits(digits: Sequence[int], size: int = 28, pen: float = 1.3):
    """Images of the given digits as soft seven-segment strokes, scaled to [-1, 1].

    Math:
        ink(p) = max over strokes of exp(-d(p, stroke)² / (2 pen²)),   x = 2·ink - 1,
    with d the distance from pixel p to the stroke's line segment.

    Args:
        digits: integers in 0..9, length N.
        size: image side in pixels (the segments are laid out for 28).
        pen: stroke half-width in pixels, > 0.

    Returns:
        ``x0``, shape [N, size, size], float32 in [-1, 1] (background -1, ink +1).
    """
    bad = [d for d in digits if not (isinstance(d, int) and 0 <= d <= 9)]
    if bad or len(digits) == 0:
        raise ValueError(f"digits must be a non-empty sequence of ints in 0..9, got {digits}")
    if pen <= 0:
        raise ValueError(f"pen must be > 0, got {pen}")
    # Plain NumPy: a handful of tiny array ops, done once, faster without JAX dispatch.
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    pixels = np.stack([rows, cols], axis=-1) * (28.0 / size)  # [S, S, 2]

    def stroke(seg: str) -> np.ndarray:
        a, b = (np.asarray(p, dtype=np.float64) for p in _SEGMENTS[seg])
        s = np.clip(np.sum((pixels - a) * (b - a), -1) / np.sum((b - a) ** 2), 0.0, 1.0)
        d2 = np.sum((pixels - a - s[..., None] * (b - a)) ** 2, axis=-1)  # squared distance
        return np.exp(-d2 / (2.0 * pen**2))

    images = [np.max([stroke(s) for s in _DIGIT_SEGMENTS[d]], axis=0) for d in digits]
    return jnp.asarray(2.0 * np.stack(images) - 1.0, dtype=jnp.float32)
