"""Checks for the exercises of notebook 07 (a 1-D diffusion model against the exact optimum).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._student import call_student as _call


def check_eps_star_gaussian(eps_star_gaussian: Callable) -> None:
    """Exercise 1: E[ε | x_t] for x_0 ~ N(μ, s²), against Monte Carlo regression on x_t bins."""
    x_t = np.linspace(-2.0, 2.0, 9)
    for alpha_bar, mu, s in ((0.9, 1.0, 0.3), (0.3, -0.5, 1.0), (0.01, 2.0, 0.1)):
        out, ok = _call(
            eps_star_gaussian,
            "eps_star_gaussian(x_t, alpha_bar, mu, s)",
            jnp.asarray(x_t),
            alpha_bar,
            mu,
            s,
        )
        if not ok:
            return
        # (x_t, ε) are jointly Gaussian: E[ε | x_t] = Cov(ε, x_t) / Var(x_t) · (x_t - E x_t)
        var = alpha_bar * s**2 + 1 - alpha_bar
        want = np.sqrt(1 - alpha_bar) / var * (x_t - np.sqrt(alpha_bar) * mu)
        got = np.asarray(out, np.float64)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5):
            print(
                f"At ᾱ={alpha_bar}, μ={mu}, s={s}: got {np.round(got, 3)}, expected {np.round(want, 3)}. "
                "Hint: q(x_t) = N(√ᾱ μ, ᾱ s² + 1 - ᾱ) and ε* = -√(1-ᾱ) ∇ log q(x_t)."
            )
            return
    print("Correct: for one Gaussian, ε* is linear in x_t (the saw-tooth needs several modes).")


def check_ddim_step(ddim_step_eta0: Callable) -> None:
    """Exercise 2: one deterministic DDIM step (η = 0) from x_t to x_prev, given ε̂."""
    x0 = np.array([-1.0, 0.2, 1.5])
    eps = np.array([0.3, -1.0, 0.8])
    for ab_t, ab_prev in ((0.5, 0.9), (0.01, 0.6), (0.3, 1.0)):
        x_t = np.sqrt(ab_t) * x0 + np.sqrt(1 - ab_t) * eps
        out, ok = _call(
            ddim_step_eta0,
            "ddim_step_eta0(x_t, eps_hat, alpha_bar_t, alpha_bar_prev)",
            jnp.asarray(x_t),
            jnp.asarray(eps),
            ab_t,
            ab_prev,
        )
        if not ok:
            return
        # with the true ε the step must land exactly on q's path at level ᾱ_prev
        want = np.sqrt(ab_prev) * x0 + np.sqrt(1 - ab_prev) * eps
        got = np.asarray(out, np.float64)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5):
            print(
                f"ᾱ_t={ab_t} → ᾱ_prev={ab_prev} with the true ε: got {np.round(got, 4)}, expected "
                f"{np.round(want, 4)} (√ᾱ_prev x_0 + √(1-ᾱ_prev) ε). Hint: first recover x̂_0."
            )
            return
    print("Correct: with the true ε, DDIM (η = 0) jumps along the forward path, any step size.")


def check_l_simple(l_simple: Callable) -> None:
    """Exercise 3: one Monte Carlo L_simple with t from key_t and ε from key_eps."""
    betas = linear_betas(50, 1e-3, 0.3)
    alpha_bars = jnp.cumprod(1.0 - betas)
    x0 = jnp.linspace(-2.0, 2.0, 64)[:, None]

    def eps_fn(x_t, t):  # any fixed predictor will do
        return 0.5 * x_t * jnp.sqrt(t / 50.0)[:, None]

    key = jax.random.key(0)
    out, ok = _call(l_simple, "l_simple(key, eps_fn, x0, alpha_bars)", key, eps_fn, x0, alpha_bars)
    if not ok:
        return
    key_t, key_eps = jax.random.split(key)
    t = jax.random.randint(key_t, (64,), 1, 51)
    eps = jax.random.normal(key_eps, x0.shape)
    ab = alpha_bars[t][:, None]
    x_t = jnp.sqrt(ab) * x0 + jnp.sqrt(1 - ab) * eps
    want = float(jnp.mean((eps - eps_fn(x_t, t)) ** 2))
    got = float(out)
    if not np.isclose(got, want, rtol=1e-4):
        print(
            f"Got {got:.4f}, expected {want:.4f}. Hint: t = randint(key_t, (B,), 1, T + 1), "
            "ε = normal(key_eps, x0.shape), x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε."
        )
        return
    print("Correct: that is Algorithm 1 of Ho et al. (2020), minus the gradient step.")
