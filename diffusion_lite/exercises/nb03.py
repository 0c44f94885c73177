"""Checks for the exercises of notebook 03 (the forward process as a Markov chain).

Each ``check_*`` calls the student's function on fixed inputs, compares with an independent
computation, prints what is right or wrong, and says "Correct" only when everything agrees.
A stub that still raises ``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._guards import read_prediction
from diffusion_lite.exercises._student import call_student as _call


def _step_moments_by_quadrature(m: float, v: float, beta: float) -> tuple[float, float]:
    """E and Var of x_t = √(1-β) x_{t-1} + √β ε by Gauss–Hermite quadrature over x_{t-1} and ε."""
    z, w = np.polynomial.hermite_e.hermegauss(20)  # ∫ f(z) φ(z) dz ≈ Σ w f(z) / √(2π)
    w = w / np.sqrt(2.0 * np.pi)
    x_prev, eps = m + np.sqrt(v) * z[:, None], z[None, :]  # [20, 1], [1, 20]
    x_t = np.sqrt(1.0 - beta) * x_prev + np.sqrt(beta) * eps  # [20, 20]
    weights = w[:, None] * w[None, :]
    mean = float(np.sum(weights * x_t))
    return mean, float(np.sum(weights * (x_t - mean) ** 2))


def check_step_moments(step_moments: Callable) -> None:
    """Exercise 1: moments of x_t when x_{t-1} ~ N(m, v) and x_t = √(1-β) x_{t-1} + √β ε."""
    cases = [(0.0, 1.0, 0.3), (2.0, 0.5, 0.1), (-1.0, 4.0, 0.9), (0.7, 0.0, 0.02)]
    for m, v, beta in cases:
        out, ok = _call(step_moments, "step_moments(mean, var, beta)", m, v, beta)
        if not ok:
            return
        mean, var = (float(np.asarray(a)) for a in out)
        want_mean, want_var = _step_moments_by_quadrature(m, v, beta)
        if not np.isclose(mean, want_mean, rtol=1e-5, atol=1e-6):
            print(
                f"Mean wrong for (m={m}, v={v}, beta={beta}): got {mean:.4f}, expected "
                f"{want_mean:.4f}. Hint: the noise has mean 0, so only the scaled x_(t-1) "
                "moves the mean."
            )
            return
        if not np.isclose(var, want_var, rtol=1e-5, atol=1e-6):
            print(
                f"Variance wrong for (m={m}, v={v}, beta={beta}): got {var:.4f}, expected "
                f"{want_var:.4f}. Hint: for v = 0, x_t is pure noise √β ε; for v = 1 the "
                "variance must stay 1 whatever β (section 4: N(0, 1) is stationary)."
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
        got = int(out)
        if got != t:
            corr_got, corr_before = np.sqrt((1.0 - beta) ** np.maximum([got, got - 1], 0))
            if corr_got >= rho:
                where = f"there corr(x_0, x_t) = {corr_got:.4f} is not yet below ρ"
            else:
                where = f"but already at t={got - 1} corr(x_0, x_t) = {corr_before:.4f} < ρ"
            print(
                f"Got t={got} for beta={beta}, rho={rho}: {where}. "
                "You want the *first* step where the correlation is below ρ."
            )
            return
    print("Correct: memory of x_0 decays geometrically, by a factor √(1-β) per step.")


def _variance_by_series(a: float, b: float) -> float:
    """Var of x = Σ_k a^k b ε_k (the chain run from the infinite past), summed in float64."""
    k = np.arange(400_000, dtype=np.float64)  # a² ≤ 0.9999 here: the tail is < 1e-17
    return float(np.sum(b**2 * (a * a) ** k))


def check_stationary_variance(stationary_variance: Callable) -> None:
    """Exercise 4: the stationary variance of x_t = a x_{t-1} + b ε_t (inf when none exists)."""
    cases = [
        (0.5, 1.0, "a = 0.5, b = 1"),
        (0.0, 2.0, "a = 0: no memory at all"),
        (-0.8, 0.6, "a = -0.8: the chain flips sign every step"),
        (1.0 - 0.02, np.sqrt(0.02), "the chain that forgot the square root, β = 0.02"),
        (np.sqrt(1.0 - 1e-4), np.sqrt(1e-4), "the first step of the linear schedule, β = 1e-4"),
        (1.0, 0.1, "a = 1: a random walk"),
        (-1.5, 1.0, "a = -1.5"),
    ]
    for a, b, what in cases:
        try:
            out, ok = _call(stationary_variance, "stationary_variance(a, b)", a, b)
        except ZeroDivisionError:
            print(f"Division by zero for {what}: decide first whether a stationary law exists.")
            return
        if not ok:
            return
        got = float(np.asarray(out))
        if abs(a) >= 1.0:
            if got != np.inf:
                print(
                    f"Got {got:.4g} for {what}: with |a| ≥ 1 the variance grows without bound "
                    "and there is no stationary law; return float('inf')."
                )
                return
            continue
        want = _variance_by_series(a, b)
        if not np.isclose(got, want, rtol=1e-6, atol=0.0):
            if np.isclose(got, want, rtol=1e-3):
                print(
                    f"For {what}: got {got:.7f}, expected {want:.7f}: close, but digits are lost "
                    "when a is close to 1 in float32. Compute in float64 (numpy or Python floats)."
                )
            else:
                print(
                    f"For {what}: got {got:.6g}, expected {want:.6g}. Hint: a stationary law "
                    "has Var[x_t] = Var[x_{t-1}]; write the one-step variance recursion for "
                    "x_t = a x_{t-1} + b ε_t and solve for its fixed point."
                )
            return
    print(
        "Correct: only a = √(1-β) with b² = β keeps the variance at 1; forgetting the square "
        "root would make the chain settle at about ½ instead of N(0, 1)."
    )


def _run_chain_moments(key, x0, betas, t_stop: int):
    """Mean and variance of x_t after t_stop forward steps, by an explicit loop of one-step draws."""
    import jax
    import jax.numpy as jnp

    def step(t, x):
        eps = jax.random.normal(jax.random.fold_in(key, t), x.shape)
        return jnp.sqrt(1.0 - betas[t]) * x + jnp.sqrt(betas[t]) * eps

    x = jax.jit(lambda x0: jax.lax.fori_loop(1, t_stop + 1, step, x0))(x0)
    return float(jnp.mean(x)), float(jnp.var(x))


def check_prediction_forgetting(prediction) -> None:
    """Exercise 5 (prediction): how much excess variance is left once the mean has halved."""
    answer = read_prediction(prediction, ("all", "half", "a quarter", "none"))
    if answer is None:
        return
    import jax

    betas = np.asarray(linear_betas(1000), dtype=np.float64)
    alpha_bars = np.cumprod(1.0 - betas)
    t_half = int(np.argmax(np.sqrt(alpha_bars) <= 0.5))  # first t with E[x_t] ≤ E[x_0] / 2
    x0 = 2.0 + 2.0 * jax.random.normal(jax.random.key(3), (100_000,))  # x_0 ~ N(2, 4)
    mean, var = _run_chain_moments(
        jax.random.key(4), x0, jax.numpy.asarray(betas, "float32"), t_half
    )
    left = (var - 1.0) / 3.0  # share of the excess variance Var[x_0] - 1 = 3 still there
    print(f"100 000 chains from x_0 ~ N(2, 4), linear schedule, stopped at t = {t_half}:")
    print(f"mean 2.00 -> {mean:.3f}; variance 4.00 -> {var:.3f}; excess variance left: {left:.1%}")
    truth = (
        "all"
        if left > 0.75
        else "half"
        if left > 0.375
        else "a quarter"
        if left > 0.125
        else "none"
    )
    verdict = "Your prediction held." if answer == truth else "Your prediction did not hold."
    print(f"About {truth} of the excess variance is left. {verdict}")
    print(
        "Each step multiplies the mean by √(1-β_t) but the variance's distance from 1 by "
        "(1-β_t), the square of that factor. So when the mean has halved, the excess variance "
        "has been halved twice: the chain forgets the spread of x_0 faster than its location."
    )
