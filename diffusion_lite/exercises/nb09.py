"""Checks for the exercises of notebook 09 (scores, Langevin dynamics, the probability-flow ODE).

Each ``check_*`` tests the student's function against facts derived independently of the
formula it asks for (a Gaussian target's known stationary law, the exact flow of Gaussian
data, a linear ODE's Taylor series), prints what is right or wrong, and says "Correct" only
when everything agrees.  A stub that still raises ``NotImplementedError`` prints
"Not implemented yet: ...".  Handing in the package's own function does not count.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.exercises._student import call_student as _call


def _is_package_function(fn: Callable) -> bool:
    """True when ``fn`` is a diffusion_lite function (not written by the student)."""
    module = getattr(fn, "__module__", "") or ""
    return module.startswith("diffusion_lite") and not module.startswith("diffusion_lite.exercises")


def _refuse_package(fn: Callable) -> bool:
    if _is_package_function(fn):
        print(
            f"That is the package's own `{fn.__module__}.{fn.__name__}`: the exercise is to "
            "write it yourself (the notebook already checks the package against the math)."
        )
        return True
    return False


def check_langevin_step(langevin_step: Callable) -> None:
    """Exercise 1: one Langevin step x' from x, the score at x, noise z and the step size δ.

    Independent facts: on the target N(0, v I) the chain x' = a x + b z is linear; its
    stationary variance b² / (1 - a²) must tend to v as δ → 0, the drift part must vanish
    where the score does, and the noise part must not depend on the score.
    """
    if _refuse_package(langevin_step):
        return
    what = "langevin_step(x, score, z, step_size)"
    x = np.array([[0.5, -1.0], [2.0, 0.25], [-0.3, 0.0]])
    zeros = np.zeros_like(x)
    for delta in (0.1, 1e-4, 2.5):
        # the noise alone: at a point where the score vanishes, the move is pure noise of size √δ
        out, ok = _call(langevin_step, what, x, zeros, np.ones_like(x), delta)
        if not ok:
            return
        got = np.asarray(out, np.float64)
        if got.shape != x.shape:
            print(f"Shape {got.shape}, expected the shape of x {x.shape}.")
            return
        noise_move = got - x
        if not np.allclose(noise_move, np.sqrt(delta), rtol=1e-5):
            print(
                f"Where the score is 0 and z = 1, step size δ = {delta} moves x by "
                f"{np.round(noise_move[0, 0], 5)}; the noise should have standard deviation "
                f"{np.sqrt(delta):.5f} there. Hint: how does the size of a Gaussian step scale "
                "with its variance?"
            )
            return
    # on N(0, v I): score = -x / v; read off a and b from two calls and check the stationary law
    v = 2.0
    for delta in (0.02, 0.002):
        a = np.asarray(langevin_step(x, -x / v, zeros, delta), np.float64) / np.where(x == 0, 1, x)
        b = np.asarray(langevin_step(zeros, zeros, np.ones_like(x), delta), np.float64)
        a, b = float(a[0, 0]), float(b[0, 0])
        stationary = b**2 / (1 - a**2) if abs(a) < 1 else np.inf
        if not abs(stationary / v - 1) < 0.6 * delta / v + 1e-4:
            print(
                f"On the target N(0, {v}) with δ = {delta}, your chain settles at variance "
                f"{stationary:.4f} instead of ≈ {v} (the error should shrink with δ). Hint: the "
                "drift and the noise must be balanced so that p itself is left unchanged; "
                "check the factor in front of the score."
            )
            return
    print("Correct: small Langevin steps leave the target unchanged (up to an O(δ) bias).")


def check_ode_drift_from_eps(ode_drift_from_eps: Callable) -> None:
    """Exercise 2: the probability-flow velocity dx/ds from ε̂, β(s) and ᾱ(s).

    Independent fact: for data N(0, σ0² I), q_s = N(0, v(s) I) with v = ᾱ σ0² + 1 - ᾱ, and
    the deterministic map that carries q_0 to q_s is the rescaling x(s) = x0 √(v(s)/σ0²);
    its velocity is x · (dv/ds) / (2v) with dv/ds = β ᾱ (1 - σ0²) (from dᾱ/ds = -β ᾱ).
    """
    if _refuse_package(ode_drift_from_eps):
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
    if _refuse_package(heun_step):
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
                f"{len(calls)} time(s); Heun needs 2. Hint: average the slope at the start with "
                "the slope at the end of a trial Euler step."
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
