"""Checks for the exercises of notebook 01 (a GAN on a 1-D mixture: collapse and disjoint supports).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call
from diffusion_lite.toys import gan_theory, metrics1d


def _normal_pdf(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


def check_js_on_grid(js_on_grid: Callable) -> None:
    """Exercise 1: JS(p‖q) from densities on a grid, in nats, with 0 · log 0 = 0."""
    if refuse_package(js_on_grid, gan_theory.js_divergence):
        return
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
    if refuse_package(w1_sorted, metrics1d.wasserstein1):
        return
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


def _w1_by_cdfs(m1: float, s1: float, m2: float, s2: float) -> float:
    """W₁ = ∫ |F_p(x) - F_q(x)| dx on a fine float64 grid (the CDF route, not the quantile one)."""
    from scipy.special import ndtr

    wide = 12.0 * max(s1, s2)
    x = np.linspace(min(m1, m2) - wide, max(m1, m2) + wide, 400_001)
    gap = np.abs(ndtr((x - m1) / s1) - ndtr((x - m2) / s2))
    return float(np.sum(0.5 * (gap[1:] + gap[:-1])) * (x[1] - x[0]))


def check_w1_gaussians(w1_gaussians: Callable) -> None:
    """Exercise 3: W₁ between N(m1, s1²) and N(m2, s2²), against a CDF integral on a grid."""
    cases = [
        ((0.0, 0.1, 3.0, 0.1), "equal widths: every quantile moves by the same amount"),
        ((0.0, 1.0, 0.0, 2.0), "equal means"),
        ((0.0, 2.0, 0.0, 0.5), "equal means, the first one wider"),
        ((1.0, 0.5, -0.5, 2.0), "a shift and a change of width together"),
        ((0.0, 2.0, 0.3, 0.1), "a small shift and a large change of width"),
    ]
    for (m1, s1, m2, s2), what in cases:
        try:
            out, ok = _call(w1_gaussians, "w1_gaussians(m1, s1, m2, s2)", m1, s1, m2, s2)
        except ZeroDivisionError:
            print(f"Division by zero for {what} (s1 = s2 = {s1}): that case needs no division.")
            return
        if not ok:
            return
        got, want = float(np.asarray(out)), _w1_by_cdfs(m1, s1, m2, s2)
        where = f"N({m1}, {s1}²) vs N({m2}, {s2}²) ({what})"
        if not np.isfinite(got):
            print(f"Got {got} for {where}; W₁ is a finite distance. Did you divide by s1 - s2?")
            return
        if abs(got - want) > 1e-5 * max(1.0, want):
            w2 = np.hypot(m1 - m2, s1 - s2)
            if abs(got - w2) < 1e-6 and abs(w2 - want) > 1e-3:
                print(f"For {where} you return W₂ = {w2:.4f} (root mean square), not W₁.")
            else:
                print(
                    f"For {where}: got {got:.5f}, expected {want:.5f}. Hint: pair equal "
                    "quantiles, x = m1 + s1·z and y = m2 + s2·z with the same z ~ N(0, 1); "
                    "then W₁ = E|x - y|, the mean of the absolute value of a Gaussian."
                )
            return
    print(
        "Correct: for equal widths W₁ is the shift, for equal means it grows with |s1 - s2|, "
        "and it never saturates the way JS does."
    )


def _js_grid(p: np.ndarray, q: np.ndarray, dx: float) -> float:
    """JS(p‖q) on a float64 grid; terms where a density (or the mixture m) is 0 contribute 0."""
    m = 0.5 * (p + q)

    def kl_to_m(a):
        keep = (a > 0) & (m > 0)
        return np.sum(a[keep] * np.log(a[keep] / m[keep])) * dx

    return 0.5 * (kl_to_m(p) + kl_to_m(q))


def check_prediction_collapse(prediction) -> None:
    """Exercise 4 (prediction): which generator JS calls closer to the five-mode data."""
    answer = read_prediction(prediction, ("collapsed", "shifted", "tie"))
    if answer is None:
        return
    x = np.linspace(-8.0, 8.0, 160_001)
    dx = 16.0 / 160_000

    def mixture(means):
        comps = np.exp(-0.5 * ((x[:, None] - np.asarray(means)) / 0.1) ** 2)
        return comps.mean(axis=1) / (0.1 * np.sqrt(2.0 * np.pi))

    p = mixture([-4.0, -2.0, 0.0, 2.0, 4.0])
    gens = {"collapsed": mixture([-2.0, 0.0, 2.0]), "shifted": mixture([-3.5, -1.5, 0.5, 2.5, 4.5])}
    js = {k: _js_grid(p, q, dx) for k, q in gens.items()}
    w1 = {k: float(np.sum(np.abs(np.cumsum(p - q))) * dx * dx) for k, q in gens.items()}
    for k in gens:
        print(f"{k:9s} generator: JS = {js[k]:.4f} nats (log 2 = 0.6931), W1 = {w1[k]:.3f}")
    truth = "collapsed" if js["collapsed"] < js["shifted"] - 0.05 else "shifted"
    verdict = "Your prediction held." if answer == truth else "Your prediction did not hold."
    print(f"JS calls the {truth} generator closer to p. {verdict}")
    print(
        "JS only sees overlap: the collapsed generator overlaps p exactly on three modes, "
        "while the near miss (5 widths off every mode) overlaps nowhere, so its JS is almost "
        "log 2 however small the miss. W₁ counts how far mass must move and ranks them the "
        "other way: a loss built on JS gives no credit for being close, only for overlapping."
    )
