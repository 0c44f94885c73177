"""Checks for the exercises of notebook 05 (the posterior q(x_{t-1} | x_t, x_0)).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._student import call_student as _call


def _gaussian_condition(x0: float, x_t: float, t: int, betas) -> tuple[float, float]:
    """q(x_{t-1} | x_t, x_0) by conditioning the joint Gaussian of (x_{t-1}, x_t) given x_0."""
    b = np.asarray(betas, dtype=np.float64)
    ab = np.cumprod(1.0 - b)
    var_prev, var_t = 1.0 - ab[t - 1], 1.0 - ab[t]
    cov = np.sqrt(1.0 - b[t]) * var_prev  # Cov(x_{t-1}, x_t | x_0)
    mean = np.sqrt(ab[t - 1]) * x0 + cov / var_t * (x_t - np.sqrt(ab[t]) * x0)
    return mean, var_prev - cov**2 / var_t


def check_posterior_coefficients(posterior_coefficients: Callable) -> None:
    """Exercise 1: coef1_t, coef2_t, β̃_t of μ̃_t = coef1_t x_0 + coef2_t x_t, for t = 1..T."""
    betas = linear_betas(50, 1e-3, 0.2)
    out, ok = _call(posterior_coefficients, "posterior_coefficients(betas)", betas)
    if not ok:
        return
    coef1, coef2, var = (np.asarray(a, dtype=np.float64) for a in out)
    if not coef1.shape == coef2.shape == var.shape == (51,):
        print(
            f"Expected three arrays of shape (T + 1,) = (51,), got {coef1.shape}, {coef2.shape}, {var.shape}."
        )
        return
    names = ("coef1 (of x_0)", "coef2 (of x_t)", "posterior variance")
    for t in range(1, 51):
        # Independent: condition the joint Gaussian of (x_{t-1}, x_t) given x_0, at two points.
        m00, v = _gaussian_condition(0.0, 0.0, t, betas)
        m10, _ = _gaussian_condition(1.0, 0.0, t, betas)
        m01, _ = _gaussian_condition(0.0, 1.0, t, betas)
        for name, got, want in zip(
            names, (coef1[t], coef2[t], var[t]), (m10 - m00, m01 - m00, v), strict=True
        ):
            if not np.isfinite(got) or not np.isclose(got, want, rtol=1e-4, atol=1e-6):
                hint = " At t = 1, ᾱ_0 = 1: the posterior is a point mass at x_0." if t == 1 else ""
                if name == "posterior variance" and np.isclose(got, float(betas[t]), rtol=1e-4):
                    hint = " That is β_t, the forward variance; the posterior variance is smaller."
                print(f"{name} wrong at t={t}: got {got:.5f}, expected {want:.5f}.{hint}")
                return
    print(
        "Correct: your coefficients equal Gaussian conditioning of q(x_{t-1}, x_t | x_0), t = 1 included."
    )


def check_grid_bayes(grid_bayes: Callable) -> None:
    """Exercise 2: normalise prior × likelihood on an even grid (the evidence as a sum)."""
    grid = np.linspace(-4.0, 4.0, 801)
    dx = grid[1] - grid[0]
    log_prior = np.log(
        0.3 * np.exp(-0.5 * (grid + 1) ** 2 / 0.04) + 0.7 * np.exp(-0.5 * (grid - 1) ** 2 / 0.09)
    )
    # A large constant must not matter.  exp(-800) underflows to 0 even in float64, so
    # the unguarded exp(log_prior + log_likelihood) returns 0/0 here.
    log_likelihood = -0.5 * (0.4 - 0.9 * grid) ** 2 / 0.19 - 800.0
    out, ok = _call(
        grid_bayes, "grid_bayes(log_prior, log_likelihood, dx)", log_prior, log_likelihood, dx
    )
    if not ok:
        return
    got = np.asarray(out, dtype=np.float64)
    if got.shape != grid.shape or not np.all(np.isfinite(got)):
        print(
            f"Expected a finite density of shape {grid.shape}, got shape {got.shape}. "
            "Hint: subtract the max of the log joint before exponentiating."
        )
        return
    if not np.isclose(got.sum() * dx, 1.0, rtol=1e-4):
        print(
            f"sum(density) * dx = {got.sum() * dx:.4f}, expected 1: divide by the evidence Σ prior·lik·dx."
        )
        return
    log_joint = log_prior + log_likelihood
    want = np.exp(log_joint - log_joint.max())
    want /= want.sum() * dx
    if not np.allclose(got, want, rtol=1e-4, atol=1e-6):
        print(
            "Normalised, but the shape is wrong: the posterior is ∝ prior × likelihood, pointwise."
        )
        return
    print(
        "Correct: posterior = prior × likelihood / evidence, with the evidence as a sum over the grid."
    )


def check_mean_from_eps(posterior_mean_from_eps: Callable) -> None:
    """Exercise 3: μ̃_t written with ε instead of x_0 (the form the ε-network will use)."""
    betas = linear_betas(100, 1e-3, 0.1)
    b = np.asarray(betas, dtype=np.float64)
    ab = np.cumprod(1.0 - b)
    x0 = np.array([0.9, -0.4, 0.0])
    eps = np.array([0.3, -1.2, 2.0])
    for t in (2, 30, 100):
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
        want = np.array([_gaussian_condition(a, c, t, b)[0] for a, c in zip(x0, x_t, strict=True)])
        got = np.asarray(out)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-4):
            print(
                f"Wrong at t={t}: got {np.round(got, 4)}. Hint: substitute "
                "x_0 = (x_t - √(1-ᾱ_t) ε)/√ᾱ_t into μ̃_t and simplify."
            )
            return
    print("Correct: μ̃_t = (x_t - β_t/√(1-ᾱ_t) · ε) / √α_t.")
