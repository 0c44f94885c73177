"""Checks for the exercises of notebook 04 (the diffusion kernel q(x_t | x_0)).

Each ``check_*`` compares the student's function with an independent computation (explicit
float64 loops over the forward steps), prints what is right or wrong, and says "Correct" only
when everything agrees.  A stub that still raises ``NotImplementedError`` prints "Not
implemented yet: ...".  ``check_prediction_*`` runs a small experiment after the student has
committed to an answer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import cosine_betas, linear_betas, make_schedule
from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call


def _reference_alpha_bars(betas) -> np.ndarray:
    out = [1.0]  # an explicit loop over the steps, no cumprod
    for beta in np.asarray(betas, dtype=np.float64)[1:]:
        out.append(out[-1] * (1.0 - beta))
    return np.array(out)


def check_alpha_bars(alpha_bars_fn: Callable) -> None:
    """Exercise 1: ᾱ_t for t = 0..T from betas of shape [T + 1]."""
    if refuse_package(alpha_bars_fn, make_schedule):
        return
    for betas in (linear_betas(10, 0.01, 0.3), cosine_betas(50)):
        out, ok = _call(alpha_bars_fn, "alpha_bars_from(betas)", betas)
        if not ok:
            return
        got, want = np.asarray(out, dtype=np.float64), _reference_alpha_bars(betas)
        if got.shape != want.shape:
            print(
                f"Shape {got.shape}, expected {want.shape}: keep index 0 (ᾱ_0 = 1), length T + 1."
            )
            return
        if not np.isclose(got[0], 1.0):
            print(
                f"alpha_bars[0] = {got[0]:.4f}, expected 1 (the empty product: no noise at t = 0)."
            )
            return
        if not np.allclose(got, want, rtol=1e-4, atol=1e-7):
            t = int(np.argmax(np.abs(got - want)))
            print(
                f"alpha_bars[{t}] = {got[t]:.5f}, expected {want[t]:.5f}. Hint: a product of (1 - β_s)."
            )
            return
    print("Correct: ᾱ_t decreases from ᾱ_0 = 1 towards 0, as the step-by-step loop does.")


def _composed_steps(betas: np.ndarray, s: int, t: int) -> tuple[float, float]:
    """(coefficient of x_s, variance) of x_t given x_s, composing steps s+1..t one by one."""
    coef, var = 1.0, 0.0
    for beta in betas[s + 1 : t + 1]:  # x ← √(1-β) x + √β ε, one step at a time
        coef, var = np.sqrt(1.0 - beta) * coef, (1.0 - beta) * var + beta
    return coef, var


def _kernel_hint(s: int, t: int, mean_ok: bool) -> str:
    if s == t:
        return "With s = t no step is taken: x_t is x_s itself (mean x_s, variance 0)."
    if s == 0:
        return "At s = 0 this is the kernel q(x_t | x_0) of section 1."
    if t == s + 1:
        return "For t = s + 1 this is one forward step of notebook 03."
    if mean_ok:
        return "The mean is right. Hint: variances of independent noises add, as in the induction."
    return "Hint: repeat section 1's induction starting from x_s instead of x_0."


def check_kernel_from(kernel_from: Callable) -> None:
    """Exercise 2: mean and variance of q(x_t | x_s) for 0 <= s <= t <= T, against the chain."""
    betas = np.asarray(linear_betas(100, 1e-4, 0.05), dtype=np.float64)
    x_s = np.array([-1.0, 0.3, 2.0])
    pairs = [(0, 1), (0, 100), (4, 4), (1, 2), (2, 3), (7, 60), (30, 100), (99, 100), (100, 100)]
    failures = []  # (s, t, mean, var, coef, want_var, mean_ok)
    for s, t in pairs:
        out, ok = _call(kernel_from, "kernel_from(x_s, s, t, betas)", x_s, s, t, betas)
        if not ok:
            return
        if not (isinstance(out, tuple | list) and len(out) == 2):
            print(f"Return a pair (mean, variance); got {type(out).__name__}.")
            return
        mean, var = (np.asarray(a, dtype=np.float64) for a in out)
        coef, want_var = _composed_steps(betas, s, t)
        mean_ok = mean.shape == x_s.shape and np.allclose(mean, coef * x_s, rtol=1e-5, atol=1e-8)
        var_ok = np.all(np.isfinite(var)) and np.allclose(var, want_var, rtol=1e-4, atol=1e-12)
        if not (mean_ok and var_ok):
            failures.append((s, t, mean, float(np.ravel(var)[0]), coef, want_var, mean_ok))
    if not failures:
        print("Correct: your kernel equals the step-by-step chain for every (s, t) tried.")
        return
    s, t, mean, var, coef, want_var, mean_ok = failures[0]
    print(f"q(x_t | x_s) wrong at s = {s}, t = {t}:")
    if not mean_ok:
        shown = np.round(mean, 5) if mean.shape == x_s.shape else f"shape {mean.shape}"
        print(f"  mean {shown} for x_s = {x_s}, expected {np.round(coef * x_s, 5)}")
    if not np.isclose(var, want_var, rtol=1e-4, atol=1e-12):
        print(f"  variance {var:.6g}, expected {want_var:.6g}")
    small = all(f[6] and f[1] <= 3 and abs(f[3] - f[5]) < 1e-2 * f[5] for f in failures)
    if small:  # only tiny 1 - ᾱ, slightly off: float32 cancellation
        print(
            "  Only the smallest t are off, by a small relative amount: 1 minus a number close "
            "to 1 loses digits in float32. Compute the schedule in float64 (NumPy)."
        )
        return
    print("  " + _kernel_hint(s, t, mean_ok))


def check_constant_beta(constant_beta: Callable) -> None:
    """Exercise 3: the constant β for which T equal steps leave exactly ᾱ_T of the signal."""
    for T, target in [(1000, 1e-4), (10, 0.5), (200, 0.01), (1, 0.3)]:
        out, ok = _call(constant_beta, "constant_beta(T, alpha_bar_T)", T, target)
        if not ok:
            return
        beta = float(np.asarray(out))
        alpha_bar = _reference_alpha_bars(np.concatenate([[0.0], np.full(T, beta)]))[-1]
        if not (0.0 < beta < 1.0 and np.isclose(alpha_bar, target, rtol=1e-4)):
            print(
                f"For T={T}, alpha_bar_T={target}: your beta={beta:.6f} leaves ᾱ_T = {alpha_bar:.3g}. "
                "Hint: write ᾱ_T for T equal factors and solve for β."
            )
            return
    print("Correct: for T = 1000 and ᾱ_T = 1e-4 every step has β ≈ 0.0092.")


MORE_STEPS_ANSWERS = ("about the same", "about half", "about its square")


def check_prediction_more_steps(prediction) -> None:
    """Exercise 4 (prediction): ᾱ_T when T doubles and β still runs from 1e-4 to 0.02."""
    prediction = read_prediction(prediction, MORE_STEPS_ANSWERS)
    if prediction is None:
        return
    ab = {T: _reference_alpha_bars(linear_betas(T))[-1] for T in (1000, 2000)}  # float64 loops
    ratio = np.log(ab[2000]) / np.log(ab[1000])  # 1: the same, ≈ 1.07: half, 2: the square
    outcome = MORE_STEPS_ANSWERS[int(np.argmin(np.abs(ratio - np.array([1.0, 1.07, 2.0]))))]
    print(f"ᾱ_T with T = 1000: {ab[1000]:.2e};  with T = 2000: {ab[2000]:.2e}")
    print(f"({ab[1000]:.2e} squared is {ab[1000] ** 2:.2e}, half of it {ab[1000] / 2:.2e})")
    verdict = "Your prediction held" if prediction == outcome else "Not what happened"
    print(
        f"{verdict}: ᾱ_T became {outcome}. Each step keeps a factor 1 - β_t ≈ exp(-β_t), so "
        "ᾱ_T ≈ exp(-Σβ_t); twice as many steps over the same β range double Σβ_t and square "
        "ᾱ_T. More steps do not refine the same process unless each β_t shrinks with 1/T."
    )
