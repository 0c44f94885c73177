"""Checks for the exercises of notebook 08 (a denoiser on real MNIST digits and its evaluation).

Each ``check_*`` compares the student's function with an independent computation and prints
what is right or wrong.  A stub that still raises ``NotImplementedError`` prints
"Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import linear_betas, make_schedule
from diffusion_lite.exercises._student import call_student as _call
from diffusion_lite.mnist.evaluate import frechet_distance


def check_ddim_step(ddim_step: Callable, x0) -> None:
    """Exercise 1: one deterministic DDIM step (η = 0) from x_t to x_{t_prev}, on real digits x0.

    Independent fact used: if ε̂ is the *true* ε with x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε, the DDIM
    step lands exactly on √ᾱ_prev x_0 + √(1-ᾱ_prev) ε (same ε), and on x_0 itself at t_prev = 0.
    """
    x0 = np.asarray(x0, dtype=np.float64)
    alpha_bars = np.asarray(make_schedule(linear_betas(1000)).alpha_bars, dtype=np.float64)
    eps = np.cos(np.arange(x0.size).reshape(x0.shape) * 0.7)  # any fixed "noise" works here
    for t, t_prev in [(1000, 0), (500, 250), (37, 36), (10, 0)]:
        x_t = np.sqrt(alpha_bars[t]) * x0 + np.sqrt(1 - alpha_bars[t]) * eps
        out, ok = _call(
            ddim_step, "ddim_step(x_t, t, t_prev, eps_hat, alpha_bars)", x_t, t, t_prev, eps,
            alpha_bars,
        )  # fmt: skip
        if not ok:
            return
        got = np.asarray(out, dtype=np.float64)
        if got.shape != x0.shape:
            print(f"Shape {got.shape}, expected the shape of x_t {x0.shape}.")
            return
        want = np.sqrt(alpha_bars[t_prev]) * x0 + np.sqrt(1 - alpha_bars[t_prev]) * eps
        err = float(np.max(np.abs(got - want)))
        if err > 1e-3:
            print(
                f"From t={t} to t_prev={t_prev} with the true ε your step is off by up to {err:.3g}. "
                "Hint: first x̂_0 = (x_t - √(1-ᾱ_t) ε̂)/√ᾱ_t, then point it back to noise level t_prev."
            )
            return
    print(
        "Correct: with the true ε a DDIM step lands exactly on q(x_{t_prev} | x_0), and on x_0 at 0."
    )


def check_recognised(recognised_and_counts: Callable) -> None:
    """Exercise 2: the fraction of samples with max_y p(y|x) ≥ 0.9, and class counts among them."""
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
