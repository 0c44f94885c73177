"""Checks for the exercises of notebook 02 (noise smoothing and instance noise).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call
from diffusion_lite.toys import gan1d


def check_sigma_schedule(sigma_schedule: Callable) -> None:
    """Exercise 1: the annealed noise level σ_s for every step s = 0..steps-1."""
    if refuse_package(sigma_schedule, gan1d.sigma_schedule):
        return
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


def _shared_mass_on_grid(d: float, s: float, sigma: float) -> float:
    """∫ min(p_σ, q_σ) dx by the trapezoid rule on a fine float64 grid (no closed form used)."""
    w2 = s**2 + sigma**2  # the smoothed variance, section 1
    lo, hi = min(0.0, d), max(0.0, d)
    x = np.linspace(lo - 12.0 * np.sqrt(w2), hi + 12.0 * np.sqrt(w2), 400_001)
    p = np.exp(-0.5 * x**2 / w2) / np.sqrt(2.0 * np.pi * w2)
    q = np.exp(-0.5 * (x - d) ** 2 / w2) / np.sqrt(2.0 * np.pi * w2)
    m = np.minimum(p, q)
    return float(np.sum(0.5 * (m[1:] + m[:-1])) * (x[1] - x[0]))


def check_overlap_mass(overlap_mass: Callable) -> None:
    """Exercise 2: the mass p_σ and q_σ share, p = N(0, s²), q = N(d, s²), both smoothed by σ."""
    cases = [
        (0.0, 0.1, 0.5, "the same density twice"),
        (3.0, 0.1, 1.0, "the collapsed bump of section 1, smoothed by σ = 1"),
        (-3.0, 0.1, 1.0, "the same pair with q on the other side"),
        (1.0, 0.1, 0.0, "no smoothing, supports 10 widths apart"),
        (2.0, 0.1, 0.0, "no smoothing, supports 20 widths apart"),
        (2.0, 0.1, 0.5, "σ = 0.5"),
    ]
    for d, s, sigma, what in cases:
        out, ok = _call(overlap_mass, "overlap_mass(d, s, sigma)", d, s, sigma)
        if not ok:
            return
        got, want = float(np.asarray(out)), _shared_mass_on_grid(d, s, sigma)
        where = f"d = {d}, s = {s}, σ = {sigma} ({what})"
        if not 0.0 <= got <= 1.0:
            print(f"Got {got:.4g} for {where}: a shared mass lies between 0 and 1.")
            return
        if got == 0.0 and want > 0.0:
            print(
                f"Got exactly 0 for {where}, but the true shared mass is {want:.2e}: tiny, not 0. "
                "Subtracting two numbers that are both almost 1 loses it; compute the small "
                "tail directly."
            )
            return
        if not np.isclose(got, want, rtol=1e-4, atol=0.0):
            print(
                f"For {where}: got {got:.4e}, expected {want:.4e}. Hint: after smoothing both "
                "densities have the same width, so they cross exactly once, halfway between "
                "their centres; the shared mass is what each puts on the other's side."
            )
            return
    print(
        "Correct: the shared mass depends only on the distance measured in smoothed widths; "
        "without noise it is astronomically small, with σ comparable to d it is of order 1."
    )


def _smoothed_overlap(kind: str, scale: float, d: float = 3.0, s: float = 0.1) -> float:
    """∫ min(p_σ, q_σ) dx for p = N(0, s²), q = N(d, s²), both convolved with the given noise."""
    from scipy.special import voigt_profile

    theta = np.linspace(-np.pi / 2, np.pi / 2, 400_003)[1:-1]  # x = d/2 + 10 tan θ: heavy tails
    x, jac = d / 2 + 10.0 * np.tan(theta), 10.0 / np.cos(theta) ** 2
    if kind == "cauchy":  # Gaussian * Cauchy = the Voigt profile
        p, q = voigt_profile(x, s, scale), voigt_profile(x - d, s, scale)
    else:
        w2 = s**2 + scale**2
        p = np.exp(-0.5 * x**2 / w2) / np.sqrt(2 * np.pi * w2)
        q = np.exp(-0.5 * (x - d) ** 2 / w2) / np.sqrt(2 * np.pi * w2)
    return float(np.sum(np.minimum(p, q) * jac) * (theta[1] - theta[0]))


def check_prediction_tails(prediction) -> None:
    """Exercise 3 (prediction): which noise of scale 0.25 makes p and the collapsed q overlap more."""
    answer = read_prediction(prediction, ("gaussian", "cauchy", "the same"))
    if answer is None:
        return
    shared = {kind: _smoothed_overlap(kind, 0.25) for kind in ("gaussian", "cauchy")}
    for kind, mass in shared.items():
        print(f"{kind:8s} noise of scale 0.25: shared mass of p_σ and q_σ = {mass:.2e}")
    truth = "cauchy" if shared["cauchy"] > 100.0 * shared["gaussian"] else "gaussian"
    verdict = "Your prediction held." if answer == truth else "Your prediction did not hold."
    print(
        f"The {truth} noise makes them share more, by a factor "
        f"{shared['cauchy'] / shared['gaussian']:.1e}. {verdict}"
    )
    print(
        "Here the tails decide: the two smoothed densities cross halfway, 6 noise scales from "
        "each centre. A Gaussian tail there is of order 1e-8; a Cauchy tail falls only like "
        "1/x², so about 5 % of each density lands on the other's side. Yet section 4's Cauchy "
        "row did no better than no noise: overlap far out in the tails is not what helps the GAN."
    )
