"""Checks for the exercises of notebook 05 (the posterior q(x_{t-1} | x_t, x_0)).

Each ``check_*`` compares the student's function with an independent computation (the joint
Gaussian of the forward chain, built by explicit float64 loops over the steps, then
conditioned), prints what is right or wrong, and says "Correct" only when everything agrees.
A stub that still raises ``NotImplementedError`` prints "Not implemented yet: ...".
``check_prediction_*`` runs a small experiment after the student has committed to an answer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.posterior import predict_x0_from_eps, q_posterior_mean_var
from diffusion_lite.core.sampling import p_mean_from_eps
from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call


def _condition(x0, x_t, s: int, t: int, betas) -> tuple[np.ndarray, float]:
    """Mean and variance of x_s given x_t and x_0: the joint Gaussian, conditioned."""
    b = np.asarray(betas, dtype=np.float64)
    coef_s, var_s = 1.0, 0.0  # x_s = coef_s x_0 + noise of variance var_s, step by step
    for beta in b[1 : s + 1]:
        coef_s, var_s = np.sqrt(1.0 - beta) * coef_s, (1.0 - beta) * var_s + beta
    c, w = 1.0, 0.0  # x_t = c x_s + independent noise of variance w
    for beta in b[s + 1 : t + 1]:
        c, w = np.sqrt(1.0 - beta) * c, (1.0 - beta) * w + beta
    var_t, cov = c**2 * var_s + w, c * var_s  # Var(x_t | x_0), Cov(x_s, x_t | x_0)
    mean = coef_s * x0 + cov / var_t * (x_t - c * coef_s * x0)
    return mean, var_s - cov**2 / var_t


def _slightly_off(s: int, mean, want_mean, var: float, want_var: float) -> bool:
    """True for a small s off by < 1 %: the mark of float32 cancellation in 1 - ᾱ_s."""
    if s > 2 or mean.shape != want_mean.shape or not abs(var - want_var) < 1e-2 * want_var:
        return False
    return bool(np.allclose(mean, want_mean, rtol=1e-2, atol=1e-4))


def check_skip_posterior(skip_posterior: Callable) -> None:
    """Exercise 1: q(x_s | x_t, x_0) for 0 <= s < t, against conditioning the joint Gaussian."""
    if refuse_package(skip_posterior, q_posterior_mean_var):
        return
    betas = np.asarray(linear_betas(100, 1e-4, 0.05), dtype=np.float64)
    alpha_bars = np.cumprod(1.0 - betas)  # float64; alpha_bars[0] = 1
    x0, x_t = np.array([0.9, -0.4, 0.0]), np.array([0.3, 1.1, -2.0])
    failures = []
    for s, t in [(0, 1), (0, 40), (1, 2), (2, 3), (39, 40), (10, 60), (1, 100), (99, 100)]:
        out, ok = _call(
            skip_posterior, "skip_posterior(x0, x_t, s, t, alpha_bars)", x0, x_t, s, t, alpha_bars
        )
        if not ok:
            return
        if not (isinstance(out, tuple | list) and len(out) == 2):
            print(f"Return a pair (mean, variance); got {type(out).__name__}.")
            return
        mean, var = (np.asarray(a, dtype=np.float64) for a in out)
        want_mean, want_var = _condition(x0, x_t, s, t, betas)
        mean_ok = mean.shape == x0.shape and np.allclose(mean, want_mean, rtol=1e-5, atol=1e-7)
        got_var = float(np.ravel(var)[0]) if var.size else np.nan
        var_ok = np.isfinite(got_var) and np.isclose(got_var, want_var, rtol=1e-4, atol=1e-12)
        if not (mean_ok and var_ok):
            failures.append((s, t, mean, want_mean, got_var, want_var, mean_ok, var_ok))
    if not failures:
        print(
            "Correct: your posterior equals Gaussian conditioning of the forward chain, s = 0 included."
        )
        return
    s, t, mean, want_mean, got_var, want_var, mean_ok, var_ok = failures[0]
    print(f"q(x_s | x_t, x_0) wrong at s = {s}, t = {t}:")
    if not mean_ok:
        shown = np.round(mean, 5) if mean.shape == x0.shape else f"shape {mean.shape}"
        print(f"  mean {shown}, expected {np.round(want_mean, 5)}")
    if not var_ok:
        print(f"  variance {got_var:.6g}, expected {want_var:.6g}")
    prior_var = 1.0 - alpha_bars[s]  # Var(x_s | x_0)
    if all(_slightly_off(f[0], f[2], f[3], f[4], f[5]) for f in failures):
        print(
            "  Only the smallest s are off, by a small relative amount: 1 minus a number "
            "close to 1 loses digits in float32. Compute in float64 (NumPy)."
        )
    elif s == 0:
        print("  At s = 0 nothing is uncertain: x_0 is given (mean x_0, variance 0).")
    elif not var_ok and got_var > prior_var:
        print(
            f"  Your variance exceeds Var(x_s | x_0) = {prior_var:.4g}: conditioning on x_t "
            "as well can only narrow it."
        )
    elif t == s + 1:
        print("  For s = t - 1 your answer must be section 3's μ̃_t, β̃_t.")
    else:
        print(
            "  Hint: the likelihood is q(x_t | x_s) (notebook 04, exercise 2), the prior "
            "q(x_s | x_0); complete the square in x_s as in section 3."
        )


def check_mean_from_eps(posterior_mean_from_eps: Callable) -> None:
    """Exercise 2: μ̃_t written with ε instead of x_0 (the form the ε-network will use)."""
    if refuse_package(
        posterior_mean_from_eps, p_mean_from_eps, q_posterior_mean_var, predict_x0_from_eps
    ):
        return
    betas = linear_betas(100, 1e-3, 0.1)
    b = np.asarray(betas, dtype=np.float64)
    ab = np.cumprod(1.0 - b)
    x0 = np.array([0.9, -0.4, 0.0])
    eps = np.array([0.3, -1.2, 2.0])
    for t in (1, 2, 30, 100):
        x_t = np.sqrt(ab[t]) * x0 + np.sqrt(1 - ab[t]) * eps
        out, ok = _call(
            posterior_mean_from_eps,
            "posterior_mean_from_eps(x_t, t, eps, betas)",
            x_t.astype(np.float32),
            t,
            eps.astype(np.float32),
            betas,
        )
        if not ok:
            return
        want = _condition(x0, x_t, t - 1, t, b)[0]
        got = np.asarray(out)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-4):
            at_one = " At t = 1 the posterior mean must be x_0 itself." if t == 1 else ""
            print(
                f"Wrong at t={t}: got {np.round(got, 4)}, expected {np.round(want, 4)}.{at_one} "
                "Hint: substitute x_0 = (x_t - √(1-ᾱ_t) ε)/√ᾱ_t into μ̃_t and simplify."
            )
            return
    print("Correct: with the true ε your mean is the posterior mean μ̃_t, t = 1 and t = T included.")


WIDTH_ANSWERS = ("on a bump", "between bumps", "the same")


def _reverse_step_std(x_t: float, beta: float, ab_prev: float) -> float:
    """Std of p(x_{t-1} | x_t) for notebook 05's three-bump data, by Bayes on a float64 grid."""
    grid = np.linspace(-6.0, 6.0, 24_001)
    weights, means, std = np.array([0.3, 0.4, 0.3]), np.array([-2.0, 0.0, 2.0]), 0.15
    var_k = ab_prev * std**2 + 1.0 - ab_prev  # each bump after ᾱ_{t-1} of the kernel
    prior = weights @ np.exp(-0.5 * (grid - np.sqrt(ab_prev) * means[:, None]) ** 2 / var_k)
    log_joint = np.log(prior) - 0.5 * (x_t - np.sqrt(1.0 - beta) * grid) ** 2 / beta
    p = np.exp(log_joint - log_joint.max())
    p /= p.sum()
    mean = p @ grid
    return float(np.sqrt(p @ (grid - mean) ** 2))


def check_prediction_posterior_width(prediction) -> None:
    """Exercise 3 (prediction): is the true reverse step wider on a bump or between bumps?"""
    prediction = read_prediction(prediction, WIDTH_ANSWERS)
    if prediction is None:
        return
    beta, ab_prev = 0.1, 0.9
    bump = np.sqrt(ab_prev) * 2.0  # the right bump's centre after the kernel
    on = _reverse_step_std(0.0, beta, ab_prev)  # x_t = √(1-β) · 0: on the middle bump
    between = _reverse_step_std(np.sqrt(1.0 - beta) * bump / 2, beta, ab_prev)
    print(
        f"std of p(x_(t-1) | x_t), β = {beta}: x_t on a bump {on:.3f}, between bumps {between:.3f}"
    )
    outcome = "the same" if abs(between / on - 1.0) < 0.1 else WIDTH_ANSWERS[int(between > on)]
    verdict = "Your prediction held" if prediction == outcome else "Not what happened"
    print(
        f"{verdict}: the reverse step is wider {outcome}. Between the bumps the likelihood "
        "reaches two of them with similar weight, so the posterior splits in two. With a "
        "Gaussian prior (given x_0) the posterior variance would not depend on x_t at all."
    )
