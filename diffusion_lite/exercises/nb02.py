"""Checks for the exercises of notebook 02 (noise smoothing and instance noise).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.exercises._student import call_student as _call


def check_sigma_schedule(sigma_schedule: Callable) -> None:
    """Exercise 1: the annealed noise level σ_s for every step s = 0..steps-1."""
    for steps, sigma0, frac in ((10, 2.0, 0.5), (1000, 1.0, 0.6), (7, 0.3, 1.0)):
        out, ok = _call(
            sigma_schedule, "sigma_schedule(steps, sigma0, anneal_frac)", steps, sigma0, frac
        )
        if not ok:
            return
        got = np.asarray(out, dtype=np.float64)
        want = np.array([sigma0 * max(0.0, 1.0 - s / (frac * steps)) for s in range(steps)])
        if got.shape != want.shape:
            print(f"Shape {got.shape}, expected {want.shape}: one σ per training step.")
            return
        if not np.isclose(got[0], sigma0):
            print(f"σ at step 0 is {got[0]:.4f}, expected σ₀ = {sigma0}: start with full noise.")
            return
        if np.any(got < -1e-7):
            print("Some σ are negative: clip at 0 once the annealing is over.")
            return
        if not np.allclose(got, want, atol=1e-6):
            s = int(np.argmax(np.abs(got - want)))
            print(
                f"steps={steps}, σ₀={sigma0}, anneal_frac={frac}: σ at step {s} is {got[s]:.4f}, "
                f"expected {want[s]:.4f}. Hint: linear decay that reaches 0 at step anneal_frac·steps."
            )
            return
    print("Correct: σ falls linearly to 0, then the GAN trains on clean data.")


def check_smoothed_stds(smoothed_stds: Callable) -> None:
    """Exercise 2: the component widths of a Gaussian mixture after adding N(0, σ²) noise."""
    stds = np.array([0.1, 0.5, 2.0])
    for sigma in (0.0, 0.3, 1.5):
        out, ok = _call(smoothed_stds, "smoothed_stds(stds, sigma)", stds, sigma)
        if not ok:
            return
        got = np.asarray(out, dtype=np.float64)
        # Independent route: the variance of a sum of independent variables is the sum of variances,
        # checked here on a fine grid by convolving two Gaussian densities numerically.
        x = np.linspace(-12.0, 12.0, 4801)
        dx = x[1] - x[0]
        want = []
        for s in stds:
            f = np.exp(-0.5 * (x / s) ** 2) / (s * np.sqrt(2 * np.pi))
            if sigma > 0:
                g = np.exp(-0.5 * (x / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
                f = np.convolve(f, g, mode="same") * dx
            want.append(np.sqrt(np.sum(x**2 * f) * dx / (np.sum(f) * dx)))
        if got.shape != stds.shape or not np.allclose(got, want, rtol=2e-3):
            print(
                f"σ={sigma}: got {np.round(got, 4)}, expected {np.round(want, 4)}. "
                "Hint: variances add, standard deviations do not."
            )
            return
    print("Correct: p * N(0, σ²) is the same mixture with every s_k² replaced by s_k² + σ².")
