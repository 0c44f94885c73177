"""The prediction exercise of notebook 09: Langevin dynamics with too large a step.

The checker runs a small live experiment with explicit keys, prints what happened and whether
the student's prediction held, and why.  With ``prediction = None`` it prints only a prompt.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.core import scores
from diffusion_lite.exercises._guards import read_prediction

STEP_FACTOR = 3.0  # δ = 3 × the variance of one mode
_CHOICES = ("narrower", "the same", "wider", "diverge")


def langevin_mode_width(step_factor: float, n: int = 2000, n_steps: int = 30):
    """Per-coordinate std of Langevin samples around their nearest ring mode, and its std error.

    2000 chains start on exact samples of notebook 09's ring (``key(0)``) and take ``n_steps``
    steps of size δ = step_factor × s², s = 0.1, with the exact data score (noise ``key(1)``).
    """
    ring = scores.ring_mixture(8, radius=2.0, std=0.1, weights=jnp.array([3.0, 1.0] * 4) / 16)
    x_init = scores.mixture2d_sample(jax.random.key(0), n, *ring)[0]
    delta = step_factor * float(ring[2][0]) ** 2
    x = scores.annealed_langevin(
        jax.random.key(1), lambda x, i: scores.mixture2d_score(x, *ring), x_init, [delta], n_steps
    )
    x = np.asarray(x, np.float64)
    if not np.all(np.isfinite(x)):
        return np.inf, 0.0
    dist2 = np.min(np.sum((x[:, None, :] - np.asarray(ring[1])[None]) ** 2, axis=-1), axis=1)
    width = float(np.sqrt(np.mean(dist2) / 2))  # per coordinate
    return width, width / np.sqrt(2 * dist2.size)  # std error of a std from 2n coordinates


def check_prediction_big_step(prediction) -> None:
    """Exercise 1: Langevin with δ three times one mode's variance: what happens to the modes?"""
    prediction = read_prediction(prediction, _CHOICES)
    if prediction is None:
        return
    width, se = langevin_mode_width(STEP_FACTOR)
    if not np.isfinite(width) or width > 10 * 0.1:
        outcome = "diverge"
        print(f"δ = {STEP_FACTOR:g} s²: the chains ran away from the ring.")
    else:
        outcome = (
            "wider"
            if width > 0.1 + 10 * se
            else "narrower"
            if width < 0.1 - 10 * se
            else "the same"
        )
        print(
            f"δ = {STEP_FACTOR:g} s², 2000 chains started on the data, 30 steps: each mode's "
            f"samples have std {width:.3f} ± {se:.3f} per coordinate; the data's is 0.100."
        )
    verdict = "Your prediction holds" if prediction == outcome else "Not what you predicted"
    print(
        f"{verdict}: {'the chains ' if outcome == 'diverge' else 'the modes come out '}{outcome}. Near a mode the score pulls back by an amount "
        "proportional to the distance; with a large step that pull overshoots the centre, so the "
        "drift no longer cancels the injected noise and the chain settles into a wider law. "
        "The chain stays stable as long as the overshoot is smaller than the distance."
    )
