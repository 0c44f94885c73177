"""Checks for the exercises of notebook 08 (a denoiser on real MNIST digits and its evaluation).

Each ``check_*`` compares the student's function with an independent computation and prints
what is right or wrong.  A stub that still raises ``NotImplementedError`` prints
"Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.sampling import ddim_sample, ddim_step
from diffusion_lite.core.schedules import linear_betas, make_schedule
from diffusion_lite.exercises._guards import refuse_package
from diffusion_lite.exercises._student import call_student as _call
from diffusion_lite.mnist.evaluate import class_histogram, frechet_distance


def _posterior(alpha_bar_t: float, alpha_bar_prev: float) -> tuple[float, float]:
    """q(x_prev | x_t, x_0) = N(a x_0 + b x_t, var) by Gaussian conditioning, in float64.

    Built from the covariance of (x_prev, x_t) given x_0 (x_prev at level ᾱ_prev, then one
    jump to ᾱ_t); returns the coefficient b of x_t's deviation and the variance.
    """
    r = alpha_bar_t / alpha_bar_prev  # the jump's own ᾱ
    var_prev, var_t = 1.0 - alpha_bar_prev, 1.0 - alpha_bar_t
    cov = np.sqrt(r) * var_prev  # Cov(x_prev, x_t | x_0)
    return cov / var_t, max(var_prev - cov**2 / var_t, 0.0)


def check_ddim_step_eta(ddim_step_eta: Callable, x0) -> None:
    """Exercise 1: the general DDIM step x_t → x_prev with fresh noise η, on real digits x0.

    Independent facts, with the true ε (so x̂_0 = x_0): η = 0 lands on √ᾱ_prev x_0 + √(1-ᾱ_prev) ε;
    η = 1 draws from the posterior q(x_prev | x_t, x_0), computed here by Gaussian conditioning;
    any η keeps the total variance at level t_prev equal to 1 - ᾱ_prev, with noise ∝ η.
    """
    if refuse_package(ddim_step_eta, ddim_step, ddim_sample):
        return
    x0 = np.asarray(x0, dtype=np.float64)
    alpha_bars = np.asarray(make_schedule(linear_betas(1000)).alpha_bars, dtype=np.float64)
    eps = np.cos(np.arange(x0.size).reshape(x0.shape) * 0.7)  # any fixed "noise" works here
    z = np.sin(np.arange(x0.size).reshape(x0.shape) * 1.3)
    what = "ddim_step_eta(x_t, eps_hat, z, alpha_bar_t, alpha_bar_prev, eta)"
    for t, t_prev, eta in [(1000, 0, 0.0), (500, 250, 0.0), (37, 36, 0.0), (37, 36, 1.0),
                           (500, 250, 1.0), (2, 1, 1.0), (10, 0, 1.0), (500, 250, 0.5)]:  # fmt: skip
        ab_t, ab_prev = alpha_bars[t], alpha_bars[t_prev]
        x_t = np.sqrt(ab_t) * x0 + np.sqrt(1 - ab_t) * eps
        outs = []
        for noise in (z, 0 * z):
            out, ok = _call(ddim_step_eta, what, x_t, eps, noise, ab_t, ab_prev, eta)
            if not ok:
                return
            outs.append(np.asarray(out, dtype=np.float64))
        if outs[0].shape != x0.shape:
            print(f"Shape {outs[0].shape}, expected the shape of x_t {x0.shape}.")
            return
        gain, var = _posterior(ab_t, ab_prev)
        sigma = eta * np.sqrt(var)  # the noise scale: ∝ η, the posterior's at η = 1
        if eta == 1.0:
            mean = np.sqrt(ab_prev) * x0 + gain * (x_t - np.sqrt(ab_t) * x0)
        else:  # the rest of the variance at level t_prev stays along ε
            mean = np.sqrt(ab_prev) * x0 + np.sqrt(max(1 - ab_prev - sigma**2, 0.0)) * eps
        step = f"From t = {t} to t_prev = {t_prev} with η = {eta:g} and the true ε"
        noise_scale = float(np.median((outs[0] - outs[1])[np.abs(z) > 0.5] / z[np.abs(z) > 0.5]))
        if not np.all(np.isfinite(outs[0])):
            print(f"{step}: your step returns NaN or inf. Hint: a square root of a tiny negative "
                  "number? Check which variance can round below 0.")  # fmt: skip
            return
        if not np.allclose(outs[0] - outs[1], sigma * z, atol=1e-4):
            print(f"{step}: your fresh noise has scale {noise_scale:.4g}, expected {sigma:.4g}. "
                  + ("Hint: the noise scale must grow in proportion to η." if 0 < eta < 1 else
                     "Hint: η = 1 must reproduce the spread of q(x_prev | x_t, x_0), the ancestral "
                     "sampler's (notebook 05), for a jump over several steps too; η = 0 adds none."))  # fmt: skip
            return
        err = float(np.max(np.abs(outs[1] - mean)))
        if err > 1e-4:
            print(f"{step} and z = 0 your step is off by up to {err:.3g}. Hint: first x̂_0 from "
                  "ε̂; then the part along ε̂ must shrink as noise is added, so that the total "
                  "variance at level t_prev stays that of q(x_prev | x_0).")  # fmt: skip
            return
    print("Correct: η = 0 follows the forward path, η = 1 samples the true posterior, and every "
          "η in between keeps q(x_prev | x_0).")  # fmt: skip


def check_recognised(recognised_and_counts: Callable) -> None:
    """Exercise 2: the fraction of samples with max_y p(y|x) ≥ 0.9, and class counts among them."""
    if refuse_package(recognised_and_counts, class_histogram):
        return
    probs = np.full((6, 10), 0.005)
    for i, (k, p) in enumerate([(3, 0.95), (3, 0.91), (7, 0.90), (1, 0.5), (0, 0.89), (9, 0.99)]):
        probs[i, k] = p
    probs[3, 2] = 0.45  # an ambiguous 1-or-2
    out, ok = _call(recognised_and_counts, "recognised_and_counts(probs)", probs)
    if not ok:
        return
    fraction, counts = out
    counts = np.asarray(counts)
    if counts.shape != (10,):
        print(f"counts has shape {counts.shape}, expected (10,): one count per digit class.")
        return
    want_counts = np.bincount([3, 3, 7, 9], minlength=10)
    if not np.isclose(float(fraction), 4 / 6):
        print(
            f"Recognised fraction {float(fraction):.3f}, expected a different value. Hint: a sample "
            "counts when its largest probability is >= 0.9 (0.90 itself counts, 0.89 does not)."
        )
        return
    if not np.array_equal(counts, want_counts):
        print(f"counts = {counts.tolist()}: count the argmax class of the recognised samples only.")
        return
    print("Correct: 4 of 6 recognised, counts by argmax class among the confident ones.")


def check_frechet_1d(frechet_1d: Callable) -> None:
    """Exercise 3: the Fréchet distance d² between N(μ₁, σ₁²) and N(μ₂, σ₂²) in 1-D.

    Compared with the package's general D-dimensional ``frechet_distance`` (matrix square
    roots by eigendecomposition) on 1×1 covariances.
    """
    if refuse_package(frechet_1d, frechet_distance):
        return
    for mu1, var1, mu2, var2 in [(0, 1, 0, 1), (0, 1, 3, 1), (1, 4, -1, 0.25), (2, 9, 2, 1)]:
        out, ok = _call(frechet_1d, "frechet_1d(mu1, var1, mu2, var2)", mu1, var1, mu2, var2)
        if not ok:
            return
        want = frechet_distance([mu1], [[var1]], [mu2], [[var2]])
        if not np.isclose(float(out), want, rtol=1e-4, atol=1e-6):
            print(
                f"For N({mu1}, {var1}) vs N({mu2}, {var2}): got {float(out):.4f}, expected "
                f"{want:.4f}. Hint: the arguments are variances; the formula uses σ = √var."
            )
            return
    print("Correct: in 1-D the Fréchet distance is (μ₁ − μ₂)² + (σ₁ − σ₂)².")
