"""Checks for the exercises of notebook 06 (from the ELBO to the ε-loss).

Each ``check_*`` compares the student's function with an independent computation (the
forward chain's variances built step by step in float64, then Gaussian conditioning), prints
what is right or wrong, and says "Correct" only when everything agrees.  A stub that still
raises ``NotImplementedError`` prints "Not implemented yet: ...".  ``check_prediction_*`` runs a
small experiment after the student has committed to an answer.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import numpy as np

from diffusion_lite.core.losses import elbo_weights
from diffusion_lite.core.schedules import linear_betas
from diffusion_lite.exercises._guards import read_prediction, refuse_package
from diffusion_lite.exercises._student import call_student as _call


def _chain_constants(betas: np.ndarray):
    """Per t, by loops over the steps: (∂μ̃_t/∂x_0, β̃_t, Var(x_t | x_0)), index 0 unused."""
    T = len(betas) - 1
    a, v = np.ones(T + 1), np.zeros(T + 1)  # x_t = a_t x_0 + noise of variance v_t
    for t in range(1, T + 1):
        a[t], v[t] = np.sqrt(1.0 - betas[t]) * a[t - 1], (1.0 - betas[t]) * v[t - 1] + betas[t]
    dmu_dx0, post_var = np.zeros(T + 1), np.zeros(T + 1)
    for t in range(1, T + 1):  # condition x_{t-1} on x_t (gain: Cov / Var), then vary x_0
        gain = np.sqrt(1.0 - betas[t]) * v[t - 1] / v[t]
        dmu_dx0[t] = a[t - 1] - gain * np.sqrt(1.0 - betas[t]) * a[t - 1]
        post_var[t] = v[t - 1] - gain * np.sqrt(1.0 - betas[t]) * v[t - 1]
    return dmu_dx0, post_var, v


def check_x0_weights(x0_weights: Callable) -> None:
    """Exercise 1: w_t such that L_{t-1} = w_t (x_0 - x̂_0)² + const for an x_0-predicting model."""
    if refuse_package(x0_weights, elbo_weights):
        return
    betas = np.asarray(linear_betas(1000, 1e-5, 0.02), dtype=np.float64)
    dmu_dx0, post_var, var_t = _chain_constants(betas)
    t = np.arange(2, 1001)
    for name, sigma2s in (("β_t", betas), ("β̃_t", post_var)):
        out, ok = _call(x0_weights, "x0_weights(betas, sigma2s)", betas, sigma2s)
        if not ok:
            return
        got = np.asarray(out, dtype=np.float64)
        if got.shape != betas.shape:
            print(f"Shape {got.shape}, expected {betas.shape}: one w_t per t = 0..T.")
            return
        if not (got[0] == 0 and got[1] == 0):
            print(
                f"w_0 = {got[0]:.5g}, w_1 = {got[1]:.5g}: set both to 0. t = 0 has no term, and "
                "the t = 1 term is the decoder L_0, not a KL (with σ_1² = β̃_1 = 0 it is undefined)."
            )
            return
        # moving x̂_0 by 1 moves μ_θ by ∂μ̃/∂x_0; the KL's mean term grows by (Δμ)² / (2σ_t²)
        want = dmu_dx0[t] ** 2 / (2.0 * sigma2s[t])
        wrong = ~np.isclose(got[t], want, rtol=1e-4, atol=0)  # NaN and inf count as wrong
        if not wrong.any():
            continue
        i = int(np.argmax(wrong))
        print(f"σ_t² = {name}: w_{t[i]} = {got[t[i]]:.6g}, expected {want[i]:.6g}.")
        print("  " + _x0_weight_hint(got[t], want, t, betas[t], sigma2s[t], var_t[t], dmu_dx0[t]))
        return
    print(
        "Correct: moving x̂_0 costs what your w_t says, for σ_t² = β_t and β̃_t, t = 2..T. "
        "(For σ_t² = β̃_t, compare w_t with notebook 04's SNR(t-1) - SNR(t).)"
    )


def _x0_weight_hint(got, want, t, betas, sigma2s, var_t, dmu) -> str:
    lam = betas**2 / (2.0 * sigma2s * (1.0 - betas) * var_t)  # the ε-weights of section 4
    if np.allclose(got, lam, rtol=1e-3):
        return (
            "That is λ_t, the weight of the ε-error. Here the model predicts x_0: "
            "write μ̃_t - μ_θ in terms of x_0 - x̂_0."
        )
    for factor, text in ((2.0, "twice"), (0.5, "half")):
        if np.allclose(got, factor * want, rtol=1e-3):
            return (
                f"Yours is {text} the right weight at every t: check the ½ of the KL's mean term."
            )
    if np.allclose(got, want / dmu, rtol=1e-3):
        return "The KL grows with the *square* of the shift of the mean."
    bad = ~np.isclose(got, want, rtol=1e-4)
    if np.all(t[bad] <= 100) and np.allclose(got, want, rtol=1e-2):
        return (
            "Only the first steps are off, by a small relative amount: 1 - ᾱ_t with ᾱ_t close "
            "to 1 loses digits in float32. Compute in float64 (NumPy)."
        )
    return (
        "Hint: μ_θ has μ̃_t's form with x̂_0 in place of x_0; the KL's mean term (section 3) "
        "then depends only on x_0 - x̂_0."
    )


VARIANCE_ANSWERS = ("beta", "beta_tilde", "the same")


def _eps_star(x_t, ab, means, std):
    """E[ε | x_t] for equal-weight modes N(μ_k, std²), in float64: responsibilities r_k."""
    var = ab * std**2 + 1.0 - ab  # each diffused mode's variance
    d = x_t[..., None] - np.sqrt(ab)[..., None] * means  # [..., K]
    log_r = -0.5 * d**2 / var[..., None]
    r = np.exp(log_r - log_r.max(-1, keepdims=True))
    return np.sqrt(1.0 - ab) * np.sum(r * d, -1) / np.sum(r, -1) / var


def _first_steps_nats(std: float, key) -> dict[str, float]:
    """Σ_{t=2..10} L_{t-1} for the ideal ε* on 5 modes of width ``std``, for both σ_t²."""
    b = np.asarray(linear_betas(200, 1e-4, 0.1), dtype=np.float64)  # notebook 06's schedule
    ab, t = np.cumprod(1.0 - b), np.arange(2, 11)[:, None]  # t = 2..10, [9, 1]
    key_mode, key_noise = jax.random.split(key)
    means = np.arange(5) * 2.0 - 4.0  # 5 equally likely modes, spacing 2, as in notebook 06
    mode = np.asarray(jax.random.randint(key_mode, (4000,), 0, 5))
    noise = np.asarray(jax.random.normal(key_noise, (10, 4000)), dtype=np.float64)
    x0 = means[mode] + std * noise[0]  # [n]
    x_t = np.sqrt(ab[t]) * x0 + np.sqrt(1.0 - ab[t]) * noise[1:]  # [9, n]
    eps_star = _eps_star(x_t, np.broadcast_to(ab[t], x_t.shape), means, std)
    shift = b[t] / np.sqrt((1.0 - b[t]) * (1.0 - ab[t])) * (noise[1:] - eps_star)  # section 4
    shift2 = shift**2  # (μ̃_t - μ_θ)², [9, n]
    tilde = (1.0 - ab[t - 1]) / (1.0 - ab[t]) * b[t]
    kl = {
        name: np.log(s2 / tilde) + (tilde + shift2) / s2 - 1.0
        for name, s2 in (("beta", b[t]), ("beta_tilde", tilde))
    }
    return {name: float(np.sum(np.mean(v, axis=1)) / 2) for name, v in kl.items()}


def check_prediction_variance_choice(prediction) -> None:
    """Exercise 2 (prediction): with 30× narrower modes, which σ_t² costs fewer nats early on?"""
    prediction = read_prediction(prediction, VARIANCE_ANSWERS)
    if prediction is None:
        return
    key = jax.random.key(0)
    for std in (0.1, 0.003):
        nats = _first_steps_nats(std, key)
        print(
            f"modes of width {std}: Σ L_(t-1) over t = 2..10 = {nats['beta']:.2f} nats (σ² = β), "
            f"{nats['beta_tilde']:.2f} nats (σ² = β̃)"
        )
    ratio = nats["beta"] / nats["beta_tilde"]
    outcome = "the same" if abs(ratio - 1.0) < 0.1 else VARIANCE_ANSWERS[int(ratio > 1.0)]
    verdict = "Your prediction held" if prediction == outcome else "Not what happened"
    print(
        f"{verdict}: with narrow modes the cheaper choice is {outcome}. Once the noise in x_t "
        "is wider than a mode, x_t tells which mode x_0 is in and the mode pins x_0 down: the "
        "true reverse step then has the variance of x_0 known, β̃_t, and β_t is too wide."
    )
