"""Checks for the exercises of notebook 01 (a GAN on a 1-D mixture: collapse and disjoint supports).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.exercises._student import call_student as _call


def _normal_pdf(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


def check_js_on_grid(js_on_grid: Callable) -> None:
    """Exercise 1: JS(p‖q) from densities on a grid, in nats, with 0 · log 0 = 0."""
    x = np.linspace(-3.0, 4.0, 7001)
    dx = x[1] - x[0]
    uniform = lambda a: ((x >= a) & (x < a + 1.0)).astype(np.float64)  # noqa: E731
    # Two unit-width uniforms shifted by θ: JS = min(θ, 1) · log 2 (exact, a pencil-and-paper case).
    for theta in (0.0, 0.3, 1.0, 2.5):
        out, ok = _call(js_on_grid, "js_on_grid(p, q, dx)", uniform(0.0), uniform(theta), dx)
        if not ok:
            return
        got, want = float(out), min(theta, 1.0) * np.log(2.0)
        if not np.isfinite(got):
            print(f"Got {got} for shift θ={theta}: where p = 0, the term p log(p/m) must be 0.")
            return
        if abs(got - want) > 2e-3:
            print(
                f"Shift θ={theta}: got {got:.4f}, expected {want:.4f}. Hint: "
                "m = (p+q)/2 and JS = ½ Σ p log(p/m) dx + ½ Σ q log(q/m) dx (natural log)."
            )
            return
    p, q = _normal_pdf(x, 0.0, 0.5), _normal_pdf(x, 1.0, 0.7)
    out, ok = _call(js_on_grid, "js_on_grid(p, q, dx)", p, q, dx)
    if not ok:
        return
    if abs(float(out) - float(js_on_grid(q, p, dx))) > 1e-6:
        print("JS must be symmetric: js_on_grid(p, q) and js_on_grid(q, p) differ.")
        return
    print(
        "Correct: JS grows with the overlap lost and stops at log 2 once the supports are disjoint."
    )


def check_wasserstein_sorted(w1_sorted: Callable) -> None:
    """Exercise 2: W₁ between two equal-size 1-D sample sets, against the CDF-gap integral."""
    x = np.cos(np.arange(50.0)) * 2.0
    for y, want, what in (
        (x + 3.0, 3.0, "a shift by 3"),
        (x[::-1].copy(), 0.0, "the same samples in another order"),
        (np.sin(np.arange(50.0)), None, "an unrelated set"),
    ):
        out, ok = _call(w1_sorted, "w1_sorted(x, y)", x, y)
        if not ok:
            return
        if want is None:  # independent route: ∫ |F_x - F_y| over the pooled points
            pooled = np.sort(np.concatenate([x, y]))
            fx = np.searchsorted(np.sort(x), pooled[:-1], side="right") / x.size
            fy = np.searchsorted(np.sort(y), pooled[:-1], side="right") / y.size
            want = float(np.sum(np.abs(fx - fy) * np.diff(pooled)))
        if abs(float(out) - want) > 1e-4:
            print(
                f"For {what}: got {float(out):.4f}, expected {want:.4f}. Hint: sort both "
                "sets, pair the i-th smallest with the i-th smallest, average |difference|."
            )
            return
    print("Correct: in 1-D the optimal transport plan matches samples in sorted order.")
