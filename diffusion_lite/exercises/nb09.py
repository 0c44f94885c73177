"""Checks for the exercises of notebook 09 (scores, Langevin dynamics, the probability-flow ODE).

Each ``check_*`` tests the student's function against facts derived independently of the
formula it asks for (a variance propagated step by step, the exact flow of Gaussian data, a
linear ODE's Taylor series), prints what is right or wrong, and says "Correct" only
when everything agrees.  A stub that still raises ``NotImplementedError`` prints
"Not implemented yet: ...".  Handing in the package's own function does not count.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.ode import euler_step, ode_drift
from diffusion_lite.core.ode import heun_step as heun_step_pkg
from diffusion_lite.core.ode import ode_drift_from_eps as ode_drift_from_eps_pkg
from diffusion_lite.core.scores import annealed_langevin, langevin_step
from diffusion_lite.exercises._guards import refuse_package
from diffusion_lite.exercises._student import call_student as _call


def check_langevin_variance(langevin_variance: Callable) -> None:
    """Exercise 2: the stationary variance of Langevin steps with step size δ on N(0, v).

    Reference: the variance of the chain x_{k+1} = x_k + (δ/2)(-x_k / v) + √δ z_k (the step of
    section 2) propagated step by step in float64 from Var x_0 = 0 until it settles, or
    flagged as divergent when it keeps growing.  No closed form is used.
    """
    if refuse_package(langevin_variance, langevin_step, annealed_langevin):
        return
    what = "langevin_variance(v, step_size)"
    for v, delta in ((1.0, 1e-3), (2.0, 0.5), (0.01, 0.03), (1.0, 2.0), (0.5, 2.0), (1.0, 5.0)):
        try:
            out, ok = _call(langevin_variance, what, v, delta)
        except ArithmeticError as err:  # e.g. a division by zero at the stability limit
            out, ok = np.nan, True
            print(f"At v = {v}, δ = {delta} your function raised {type(err).__name__}.")
        if not ok:
            return
        got = float(np.asarray(out, np.float64))
        want = _propagated_variance(v, delta)
        if np.isinf(want):
            if not got == np.inf:
                print(
                    f"On N(0, {v}) with δ = {delta} the chain's variance grows without bound, "
                    f"but you return {got:.4g}. Hint: each step multiplies x by a factor; what "
                    "happens to the variance once that factor's size reaches 1? Return np.inf."
                )
                return
        elif not np.isclose(got, want, rtol=1e-6):
            print(
                f"On N(0, {v}) with δ = {delta}: got {got:.6g}, the chain settles at "
                f"{want:.6g} ({want / v:.6g} × v). Hint: one step maps x to a·x + b·z; at "
                "stationarity Var x' = Var x. Is the result the target's v only as δ → 0?"
            )
            return
    print("Correct: a finite step widens the stationary law (bias O(δ)), and too large a step "
          "diverges.")  # fmt: skip


def _propagated_variance(v: float, delta: float) -> float:
    """Var x_k of Langevin on N(0, v) from x_0 = 0, iterated in float64 to a fixed point."""
    var = 0.0
    for _ in range(200_000):
        nxt = (1.0 - delta / (2.0 * v)) ** 2 * var + delta  # Var[a x + b z] = a² Var x + b²
        if nxt > 1e12:
            return np.inf
        if nxt == var:
            return var
        var = nxt
    return var if abs(1.0 - delta / (2.0 * v)) < 1.0 else np.inf


def check_ode_drift_from_eps(ode_drift_from_eps: Callable) -> None:
    """Exercise 2: the probability-flow velocity dx/ds from ε̂, β(s) and ᾱ(s).

    Independent fact: for data N(0, σ0² I), q_s = N(0, v(s) I) with v = ᾱ σ0² + 1 - ᾱ, and
    the deterministic map that carries q_0 to q_s is the rescaling x(s) = x0 √(v(s)/σ0²);
    its velocity is x · (dv/ds) / (2v) with dv/ds = β ᾱ (1 - σ0²) (from dᾱ/ds = -β ᾱ).
    """
    if refuse_package(ode_drift_from_eps, ode_drift_from_eps_pkg, ode_drift):
        return
    x = np.array([[0.7, -1.2], [2.5, 0.1], [-0.4, 3.0]])
    for beta, alpha_bar, sigma0 in (
        (0.1, 0.999, 0.1),
        (10.0, 0.3, 0.5),
        (19.9, 0.01, 2.0),
        (5.0, 0.5, 1.0),
    ):
        v = alpha_bar * sigma0**2 + 1 - alpha_bar
        eps_star = np.sqrt(1 - alpha_bar) * x / v  # E[ε | x] for Gaussian data
        out, ok = _call(
            ode_drift_from_eps,
            "ode_drift_from_eps(x, eps_hat, beta_s, alpha_bar_s)",
            x, eps_star, beta, alpha_bar,
        )  # fmt: skip
        if not ok:
            return
        got = np.asarray(out, np.float64)
        want = x * beta * alpha_bar * (1 - sigma0**2) / (2 * v)
        if got.shape != x.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5 * beta):
            ratio = np.median(got / np.where(want == 0, np.nan, want)) if sigma0 != 1 else np.nan
            print(
                f"At β(s) = {beta}, ᾱ(s) = {alpha_bar}, Gaussian data of std {sigma0}: got "
                f"{np.round(got[0], 5)}, expected {np.round(want[0], 5)}"
                + (f" (ratio {ratio:.3g})" if np.isfinite(ratio) else "")
                + ". Hint: turn ε̂ into the score first; the ODE uses half of the reverse SDE's "
                "score term, and data that is already N(0, I) (std 1) must not move at all."
            )
            return
    print("Correct: with the exact ε*, the ODE rescales Gaussian data exactly as q_s requires.")


def check_heun_step(heun_step: Callable) -> None:
    """Exercise 3: one Heun step of dx/ds = v(x, s) from s to s_next (either direction).

    Independent facts: Heun is second order, so on dx/ds = λ x it reproduces the Taylor
    series 1 + hλ + (hλ)²/2; on dx/ds = c(s) it is the trapezoid rule; it calls v twice.
    """
    if refuse_package(heun_step, heun_step_pkg, euler_step):
        return
    what = "heun_step(drift_fn, x, s, s_next)"
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    for lam, s, s_next in ((-3.0, 0.2, 0.5), (2.0, 1.0, 0.75), (-0.5, 0.0, 1e-3)):
        calls = []

        def linear(y, t, lam=lam, calls=calls):
            calls.append(t)
            return lam * np.asarray(y)

        out, ok = _call(heun_step, what, linear, x, s, s_next)
        if not ok:
            return
        got, h = np.asarray(out, np.float64), s_next - s
        want = x * (1 + h * lam + (h * lam) ** 2 / 2)
        if got.shape != x.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            print(
                f"On dx/ds = {lam}·x from s = {s} to {s_next}: got {np.round(got[0], 5)}, a "
                f"second-order step gives {np.round(want[0], 5)}. You called drift_fn "
                f"{len(calls)} time(s); Heun needs 2. Hint: one slope gives a first-order step; "
                "a second slope, taken further along the step, must correct it."
            )
            return
    # a time-dependent velocity: the second slope must be taken at s_next
    out, ok = _call(heun_step, what, lambda y, t: np.cos(3 * t) + 0 * np.asarray(y), x, 0.1, 0.6)
    if not ok:
        return
    want = x + 0.25 * (np.cos(0.3) + np.cos(1.8))
    if not np.allclose(np.asarray(out, np.float64), want, rtol=1e-6):
        print(
            "On dx/ds = cos(3s) (no x in it) your step is not the trapezoid rule over [s, s_next]. "
            "Hint: at which time is the second slope evaluated?"
        )
        return
    print("Correct: Heun's step, second order, two evaluations of the velocity.")
