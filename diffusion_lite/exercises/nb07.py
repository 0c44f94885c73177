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

from diffusion_lite.core.sampling import ddim_sample, ddim_step
from diffusion_lite.core.schedules import linear_betas, make_schedule
from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call
from diffusion_lite.toys.mixtures import evenly_spaced_mixture
from diffusion_lite.toys.toy_training import mixture_eps_fn


def check_irreducible_loss(irreducible_loss: Callable) -> None:
    """Exercise 1: min over f of E[(ε - f(x_t))²] for x_0 ~ N(μ, s²), as a function of ᾱ_t, μ, s.

    Reference: the residual variance of ε given x_t, computed numerically in float64 from the
    covariance of the Gaussian vector (u, ε, x_t) with x_0 = μ + s u; no closed form is used.
    Cases run from t = 1 (ᾱ ≈ 1) to t = T of the notebook's schedule (ᾱ_T ≈ 3e-5).
    """
    what = "irreducible_loss(alpha_bar, mu, s)"
    shifted = []
    for mu in (-0.5, 4.0):
        out, ok = _call(irreducible_loss, what, 0.3, mu, 1.0)
        if not ok:
            return
        shifted.append(float(np.asarray(out, np.float64)))
    if not np.isclose(shifted[0], shifted[1], rtol=1e-6):
        print(
            "At ᾱ = 0.3, s = 1 your loss changes between μ = -0.5 and μ = 4. Hint: shifting the "
            "data shifts x_t by a known amount; can that change how well ε is predicted?"
        )
        return
    alpha_bars = np.cumprod(1.0 - np.linspace(1e-4, 0.1, 200))  # notebook 07's ᾱ_1..ᾱ_T
    for alpha_bar, mu, s, label in [(alpha_bars[0], 0.0, 0.1, " (t = 1)"), (0.9, 1.0, 0.3, ""),
                                    (0.3, -0.5, 1.0, ""), (alpha_bars[-1], 2.0, 0.1, " (t = T)")]:  # fmt: skip
        out, ok = _call(irreducible_loss, what, alpha_bar, mu, s)
        if not ok:
            return
        a = np.array([np.sqrt(alpha_bar) * s, np.sqrt(1.0 - alpha_bar)])  # x_t - √ᾱ μ = a·(u, ε)
        cov = np.block([[np.eye(2), a[:, None]], [a[None, :], np.array([[a @ a]])]])
        want = float(cov[1, 1] - cov[1, 2] ** 2 / cov[2, 2])  # Var[ε | x_t], Schur complement
        got = float(np.asarray(out, np.float64))
        if not np.isfinite(got) or not np.isclose(got, want, rtol=1e-3, atol=1e-12):
            hint = (
                "Hint: near t = T the answer is tiny; in float32, a difference of two numbers "
                "close to 1 loses it. Rearrange so that nothing close to 1 is subtracted."
                if label == " (t = T)"
                else "Hint: (x_t, ε) are jointly Gaussian, so the best predictor is linear in "
                "x_t; the loss is the variance of ε that it leaves unexplained."
            )
            print(f"At ᾱ = {alpha_bar:.5g}{label}, μ = {mu}, s = {s}: got {got:.6g}, expected "
                  f"{want:.6g}. {hint}")  # fmt: skip
            return
    print("Correct: the loss depends on ᾱ_t and s, not on μ: near 1 at t = 1, near 0 at t = T.")


def check_ddim_step(ddim_step_eta0: Callable) -> None:
    """Exercise 2: one deterministic DDIM step (η = 0) from x_t to x_prev, given ε̂."""
    if refuse_package(ddim_step_eta0, ddim_step, ddim_sample):
        return
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


FEW_STEPS = 3  # DDIM steps of the prediction exercise
_CHOICES = ("more", "fewer", "the same")


def check_prediction_few_steps(prediction) -> None:
    """Exercise 3: with 3 DDIM steps and the exact ε*, do the outer modes get their share?

    Live experiment: 4000 DDIM (η = 0) samples of notebook 07's five-mode mixture with the
    exact ε* and 3 evenly spaced steps, from x_T drawn with ``jax.random.key(0)``; the share
    of samples nearest to the outer modes ±4 is compared with their true weight 2/5.
    """
    prediction = read_prediction(prediction, _CHOICES)
    if prediction is None:
        return
    share, se = outer_mode_share(FEW_STEPS)
    print(f"{FEW_STEPS} DDIM steps, exact ε*: {share:.1%} of 4000 samples in the outer modes ±4 "
          f"(± {se:.1%}); their true weight is 40.0%.")  # fmt: skip
    outcome = "more" if share > 0.4 + 10 * se else "fewer" if share < 0.4 - 10 * se else "the same"
    verdict = "Your prediction holds" if prediction == outcome else "Not what you predicted"
    print(
        f"{verdict}: the outer modes get {outcome}. Each DDIM step aims at x̂_0 = E[x_0 | x_t], "
        "which at high noise is an average over all modes, near the centre; with few steps the "
        "path follows those early aims a long way and cannot travel back out to the edges."
    )


def outer_mode_share(num_steps: int) -> tuple[float, float]:
    """Share of 4000 exact-ε* DDIM samples nearest to the outer modes ±4, and its standard error."""
    betas = linear_betas(200, 1e-4, 0.1)
    schedule = make_schedule(betas)
    data = evenly_spaced_mixture(n_modes=5, spacing=2.0, std=0.1)
    x = ddim_sample(
        jax.random.key(0), mixture_eps_fn(data, schedule), (4000, 1), schedule, num_steps
    )
    nearest = np.argmin(np.abs(np.asarray(x) - np.asarray(data.means)[None, :]), axis=1)
    share = float(np.mean((nearest == 0) | (nearest == 4)))
    return share, float(np.sqrt(share * (1 - share) / 4000))
