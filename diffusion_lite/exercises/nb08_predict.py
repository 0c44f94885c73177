"""The prediction exercise of notebook 08: what two DDIM steps make of pure noise.

The checker samples 8 images from the shipped denoiser with explicit keys (a couple of
seconds on a CPU), prints what happened and whether the student's prediction held, and why.
With ``prediction = None`` it prints only a prompt.
"""

from __future__ import annotations

import jax
import numpy as np
from flax import nnx

from diffusion_lite.core.schedules import Schedule
from diffusion_lite.exercises._guards import read_prediction
from diffusion_lite.mnist.generate import Sampler, generate

NUM_STEPS = 2  # DDIM steps of the prediction exercise
_CHOICES = ("noise", "blurry", "sharp")


def image_stats(x) -> tuple[float, float]:
    """(share of mid-grey pixels |x| < 0.5, mean |difference| between neighbouring pixels).

    Real MNIST digits are nearly two-tone (few grey pixels) with a neighbour contrast of about
    0.13; a blurred digit has many grey pixels; clipped noise has a contrast near 0.6.
    """
    x = np.asarray(x, np.float64)
    contrast = 0.5 * (np.mean(np.abs(np.diff(x, axis=1))) + np.mean(np.abs(np.diff(x, axis=2))))
    return float(np.mean(np.abs(x) < 0.5)), float(contrast)


def classify(grey: float, contrast: float, grey_real: float) -> str:
    """The outcome: "noise" (high contrast), "blurry" (twice the real grey share) or "sharp"."""
    if contrast > 0.3:
        return "noise"
    return "blurry" if grey > 2 * grey_real else "sharp"


def two_step_samples(model: nnx.Module, schedule: Schedule):
    """8 DDIM (η = 0) samples with NUM_STEPS steps from x_T drawn with ``jax.random.key(0)``."""
    return generate(model, jax.random.key(0), schedule, Sampler.DDIM, 8, NUM_STEPS)


def check_prediction_two_steps(prediction, model: nnx.Module, schedule: Schedule, x_real) -> None:
    """Exercise 4: what do 2 DDIM steps from pure noise give: noise, blurry or sharp digits?"""
    prediction = read_prediction(prediction, _CHOICES)
    if prediction is None:
        return
    grey, contrast = image_stats(two_step_samples(model, schedule))
    grey_real, contrast_real = image_stats(np.asarray(x_real)[:1000])
    outcome = classify(grey, contrast, grey_real)
    print(
        f"{NUM_STEPS} DDIM steps, 8 samples: {grey:.0%} mid-grey pixels (real digits "
        f"{grey_real:.0%}), neighbour contrast {contrast:.2f} (real {contrast_real:.2f}, "
        "clipped noise about 0.6)."
    )
    verdict = "Your prediction holds" if prediction == outcome else "Not what you predicted"
    print(
        f"{verdict}: the samples are {outcome}. The last step jumps from t = 500 straight to "
        "x̂_0, the network's estimate of E[x_0 | x_500]; at that noise level many digits fit "
        "x_500, and their average is smooth and grey. Only many small steps let the sampler "
        "commit to one sharp digit."
    )
