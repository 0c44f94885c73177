"""Checks for the exercises of notebook 06 (from the ELBO to the ε-loss).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._student import call_student as _call


def _kl_by_quadrature(m1, v1, m2, v2) -> float:
    x = np.linspace(m1 - 12 * np.sqrt(v1), m1 + 12 * np.sqrt(v1), 100_001)
    log_p = -0.5 * np.log(2 * np.pi * v1) - 0.5 * (x - m1) ** 2 / v1
    log_q = -0.5 * np.log(2 * np.pi * v2) - 0.5 * (x - m2) ** 2 / v2
    return float(np.trapezoid(np.exp(log_p) * (log_p - log_q), x))


def check_gaussian_kl(gaussian_kl: Callable) -> None:
    """Exercise 1: KL( N(m1, v1) ‖ N(m2, v2) ) for scalars, against numerical integration."""
    cases = [
        (0.0, 1.0, 0.0, 1.0),
        (0.5, 1.0, 0.0, 1.0),
        (0.0, 0.5, 0.0, 2.0),
        (1.0, 0.1, -0.3, 0.4),
    ]
    for m1, v1, m2, v2 in cases:
        out, ok = _call(gaussian_kl, "gaussian_kl(m1, v1, m2, v2)", m1, v1, m2, v2)
        if not ok:
            return
        want = _kl_by_quadrature(m1, v1, m2, v2)
        if not np.isclose(float(out), want, rtol=1e-4, atol=1e-6):
            hint = "KL(p‖p) must be 0" if want == 0 else "check the log-variance ratio and the -1"
            print(
                f"KL(N({m1}, {v1}) ‖ N({m2}, {v2})) = {float(out):.4f}, expected {want:.4f}: {hint}."
            )
            return
    if float(gaussian_kl(0.0, 1.0, 0.0, 2.0)) == float(gaussian_kl(0.0, 2.0, 0.0, 1.0)):
        print("Your KL is symmetric in the two Gaussians; the true KL is not.")
        return
    print("Correct: ½[log(v2/v1) + (v1 + (m1 - m2)²)/v2 - 1], zero only for equal Gaussians.")


def check_p_mean_from_eps(p_mean_from_eps: Callable) -> None:
    """Exercise 2: the model mean μ_θ(x_t, t) from a noise prediction ε̂ (Ho et al. 2020 eq. 11)."""
    betas = np.asarray(linear_betas(100, 1e-3, 0.05), np.float64)
    ab = np.cumprod(1.0 - betas)
    x0 = np.array([-1.0, 0.3, 2.0])
    eps = np.array([0.5, -1.2, 0.1])
    for t in (2, 30, 100):
        x_t = np.sqrt(ab[t]) * x0 + np.sqrt(1 - ab[t]) * eps
        out, ok = _call(
            p_mean_from_eps, "p_mean_from_eps(x_t, t, eps_hat, betas)", x_t, t, eps, betas
        )
        if not ok:
            return
        # with ε̂ = the true ε, μ_θ must equal the posterior mean μ̃_t(x_t, x_0) (Bayes, eq. 7)
        want = (
            np.sqrt(ab[t - 1]) * betas[t] * x0 + np.sqrt(1 - betas[t]) * (1 - ab[t - 1]) * x_t
        ) / (1 - ab[t])
        got = np.asarray(out, np.float64)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5):
            print(
                f"At t={t} with ε̂ = ε you should get the posterior mean μ̃_t = {np.round(want, 4)}, "
                f"got {np.round(got, 4)}. Hint: substitute x_0 = (x_t - √(1-ᾱ_t) ε) / √ᾱ_t into μ̃_t."
            )
            return
    print("Correct: with the true ε, μ_θ is exactly the posterior mean μ̃_t(x_t, x_0).")


def check_elbo_weights(elbo_weights: Callable) -> None:
    """Exercise 3: λ_t such that KL = λ_t (ε - ε̂)² + const, found by finite differences of the KL."""
    betas = np.asarray(linear_betas(50, 1e-3, 0.2), np.float64)
    ab = np.cumprod(1.0 - betas)
    ab_prev = np.concatenate([[1.0], ab[:-1]])
    beta_tilde = np.where(np.arange(51) > 0, (1 - ab_prev) / np.where(ab < 1, 1 - ab, 1) * betas, 0)
    for sigma2s in (betas, beta_tilde):
        out, ok = _call(elbo_weights, "elbo_weights(betas, sigma2s)", betas, sigma2s)
        if not ok:
            return
        got = np.asarray(out, np.float64)
        if got.shape != betas.shape:
            print(f"Shape {got.shape}, expected {betas.shape}: one λ_t per t = 0..T.")
            return
        if not (got[0] == 0 and got[1] == 0):
            print(
                f"λ_0 = {got[0]:.5g}, λ_1 = {got[1]:.5g}; set both to 0: t = 0 has no term, and "
                "the t = 1 term is the decoder L_0, not a KL (with σ_1² = β̃_1 = 0 the formula "
                "divides by zero)."
            )
            return
        # KL(ε̂) - KL(ε) for ε̂ = ε + 1: only the mean term changes, by (Δμ)² / (2σ²)
        t = np.arange(2, 51)
        delta_mu = betas[t] / (np.sqrt(1 - betas[t]) * np.sqrt(1 - ab[t]))
        want = delta_mu**2 / (2 * sigma2s[t])
        wrong = ~np.isclose(got[t], want, rtol=1e-4)  # NaN and inf count as wrong
        if wrong.any():
            i = int(np.argmax(wrong))
            print(
                f"λ_{t[i]} = {got[t[i]]:.5g}, expected {want[i]:.5g}. Hint: μ̃_t - μ_θ = "
                "β_t / (√α_t √(1-ᾱ_t)) · (ε̂ - ε), and the KL's mean term is (Δμ)² / (2σ_t²)."
            )
            return
    print("Correct: λ_t = β_t² / (2 σ_t² α_t (1 - ᾱ_t)).")
