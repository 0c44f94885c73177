"""Checks for the exercises of notebook 03 (the forward process as a Markov chain).

Each ``check_*`` calls the student's function on fixed inputs, compares with an independent
computation, prints what is right or wrong, and returns True only when everything agrees.
A stub that still raises ``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.schedules import linear_betas


def _call(fn: Callable, what: str, *args):
    try:
        return fn(*args), True
    except NotImplementedError:
        print(
            f"Not implemented yet: {what}. Replace the `raise NotImplementedError` with your code."
        )
        return None, False


def check_step_moments(step_moments: Callable) -> bool:
    """Exercise 1: moments of x_t when x_{t-1} ~ N(m, v) and x_t = √(1-β) x_{t-1} + √β ε."""
    cases = [(0.0, 1.0, 0.3), (2.0, 0.5, 0.1), (-1.0, 4.0, 0.9), (0.7, 0.0, 0.02)]
    for m, v, beta in cases:
        out, ok = _call(step_moments, "step_moments(mean, var, beta)", m, v, beta)
        if not ok:
            return False
        mean, var = (float(np.asarray(a)) for a in out)
        want_mean, want_var = np.sqrt(1 - beta) * m, (1 - beta) * v + beta
        if not np.isclose(mean, want_mean, rtol=1e-5, atol=1e-6):
            print(
                f"Mean wrong for (m={m}, v={v}, beta={beta}): got {mean:.4f}. "
                "Hint: E[a X + b ε] = a E[X] when ε has mean 0."
            )
            return False
        if not np.isclose(var, want_var, rtol=1e-5, atol=1e-6):
            print(
                f"Variance wrong for (m={m}, v={v}, beta={beta}): got {var:.4f}. "
                "Hint: Var[a X + b ε] = a² Var[X] + b² for independent ε ~ N(0, 1)."
            )
            return False
    print(
        "Correct: each step maps N(m, v) to N(√(1-β) m, (1-β) v + β); "
        "N(0, 1) is its fixed point for every β."
    )
    return True


def _chain_cov(betas: np.ndarray) -> np.ndarray:
    """Cov(x_s, x_t | x_0) = √(ᾱ_t/ᾱ_s) (1 - ᾱ_s) for s ≤ t (the chain as one Gaussian)."""
    ab = np.cumprod(1.0 - betas)[1:]
    s, t = np.meshgrid(np.arange(ab.size), np.arange(ab.size), indexing="ij")
    lo, hi = np.minimum(s, t), np.maximum(s, t)
    return np.sqrt(ab[hi] / ab[lo]) * (1.0 - ab[lo])


def check_log_q_chain(log_q_chain: Callable) -> bool:
    """Exercise 2: log q(x_{1:T} | x_0) as a sum of one-step log-densities (the factorisation)."""
    betas = np.asarray(linear_betas(6, 0.05, 0.4), dtype=np.float64)
    xs = np.array([0.8, 0.5, 0.9, -0.2, 0.1, -0.6, 0.3])  # x_0 .. x_6
    out, ok = _call(log_q_chain, "log_q_chain(xs, betas)", xs, betas)
    if not ok:
        return False
    got = float(np.asarray(out))
    # Independent: the whole chain is one multivariate Gaussian given x_0.
    ab = np.cumprod(1.0 - betas)[1:]
    cov = _chain_cov(betas)
    r = xs[1:] - np.sqrt(ab) * xs[0]
    want = -0.5 * (r @ np.linalg.solve(cov, r) + np.linalg.slogdet(2 * np.pi * cov)[1])
    if not np.isclose(got, want, rtol=1e-4, atol=1e-4):
        print(
            f"Got {got:.4f}, but the chain as one Gaussian gives a different value. Hint: sum "
            "log N(xs[t]; √(1-β_t) xs[t-1], β_t) over t = 1..T, including -½ log(2π β_t)."
        )
        return False
    print(
        f"Correct: the sum of {len(betas) - 1} one-step terms equals the joint Gaussian "
        f"log-density to {abs(got - want):.1e}."
    )
    return True


def check_corr_x0_xt(corr_x0_xt: Callable) -> bool:
    """Exercise 3: corr(x_0, x_t) when Var[x_0] = s² and x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε."""
    for alpha_bar, var_x0 in [(1.0, 0.3), (0.5, 1.0), (0.1, 0.25), (1e-4, 2.0)]:
        out, ok = _call(corr_x0_xt, "corr_x0_xt(alpha_bar_t, var_x0)", alpha_bar, var_x0)
        if not ok:
            return False
        got = float(np.asarray(out))
        cov = np.sqrt(alpha_bar) * var_x0
        want = cov / np.sqrt(var_x0 * (alpha_bar * var_x0 + 1.0 - alpha_bar))
        if not np.isclose(got, want, rtol=1e-4, atol=1e-6):
            print(
                f"Wrong for alpha_bar_t={alpha_bar}, var_x0={var_x0}: got {got:.4f}. "
                "Hint: Cov(x_0, x_t) = √ᾱ_t Var[x_0]; divide by both standard deviations."
            )
            return False
    print("Correct: the correlation falls from 1 towards 0 as ᾱ_t does: x_t forgets x_0.")
    return True
