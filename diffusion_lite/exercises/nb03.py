"""Checks for the exercises of notebook 03 (the forward process as a Markov chain).

Each ``check_*`` calls the student's function on fixed inputs, compares with an independent
computation, prints what is right or wrong, and says "Correct" only when everything agrees.
A stub that still raises ``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._student import call_student as _call


def check_step_moments(step_moments: Callable) -> None:
    """Exercise 1: moments of x_t when x_{t-1} ~ N(m, v) and x_t = √(1-β) x_{t-1} + √β ε."""
    cases = [(0.0, 1.0, 0.3), (2.0, 0.5, 0.1), (-1.0, 4.0, 0.9), (0.7, 0.0, 0.02)]
    for m, v, beta in cases:
        out, ok = _call(step_moments, "step_moments(mean, var, beta)", m, v, beta)
        if not ok:
            return
        mean, var = (float(np.asarray(a)) for a in out)
        want_mean, want_var = np.sqrt(1 - beta) * m, (1 - beta) * v + beta
        if not np.isclose(mean, want_mean, rtol=1e-5, atol=1e-6):
            print(
                f"Mean wrong for (m={m}, v={v}, beta={beta}): got {mean:.4f}. "
                "Hint: E[a X + b ε] = a E[X] when ε has mean 0."
            )
            return
        if not np.isclose(var, want_var, rtol=1e-5, atol=1e-6):
            print(
                f"Variance wrong for (m={m}, v={v}, beta={beta}): got {var:.4f}. "
                "Hint: Var[a X + b ε] = a² Var[X] + b² for independent ε ~ N(0, 1)."
            )
            return
    print(
        "Correct: each step maps N(m, v) to N(√(1-β) m, (1-β) v + β); "
        "N(0, 1) is its fixed point for every β."
    )


def _chain_cov(betas: np.ndarray) -> np.ndarray:
    """Cov(x_s, x_t | x_0) = √(ᾱ_t/ᾱ_s) (1 - ᾱ_s) for s ≤ t (the chain as one Gaussian)."""
    ab = np.cumprod(1.0 - betas)[1:]
    s, t = np.meshgrid(np.arange(ab.size), np.arange(ab.size), indexing="ij")
    lo, hi = np.minimum(s, t), np.maximum(s, t)
    return np.sqrt(ab[hi] / ab[lo]) * (1.0 - ab[lo])


def check_log_q_chain(log_q_chain: Callable) -> None:
    """Exercise 2: log q(x_{1:T} | x_0) as a sum of one-step log-densities (the factorisation)."""
    betas = np.asarray(linear_betas(6, 0.05, 0.4), dtype=np.float64)
    xs = np.array([0.8, 0.5, 0.9, -0.2, 0.1, -0.6, 0.3])  # x_0 .. x_6
    out, ok = _call(log_q_chain, "log_q_chain(xs, betas)", xs, betas)
    if not ok:
        return
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
        return
    print(
        f"Correct: the sum of {len(betas) - 1} one-step terms equals the joint Gaussian "
        f"log-density to {abs(got - want):.1e}."
    )


def check_steps_to_forget(steps_to_forget: Callable) -> None:
    """Exercise 3: with a constant β and Var[x_0] = 1, the first t with corr(x_0, x_t) < ρ."""
    for beta, rho in [(0.02, 0.5), (0.001, 0.1), (0.3, 0.9), (0.5, 0.01)]:
        out, ok = _call(steps_to_forget, "steps_to_forget(beta, rho)", beta, rho)
        if not ok:
            return
        t, alpha_bar = 0, 1.0  # walk the chain: corr(x_0, x_t) = √ᾱ_t when Var[x_0] = 1
        while np.sqrt(alpha_bar) >= rho:
            t, alpha_bar = t + 1, alpha_bar * (1.0 - beta)
        if int(out) != t:
            print(
                f"Got t={int(out)} for beta={beta}, rho={rho}; that is not the first step with "
                "corr < rho. Hint: with Var[x_0] = 1, corr(x_0, x_t) = √ᾱ_t = (1-β)^(t/2)."
            )
            return
    print("Correct: memory of x_0 decays geometrically, by a factor √(1-β) per step.")
