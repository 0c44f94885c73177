"""Checks for the exercises of notebook 04 (the diffusion kernel q(x_t | x_0)).

Each ``check_*`` compares the student's function with an independent computation, prints what
is right or wrong, and says "Correct" only when everything agrees.  A stub that still raises
``NotImplementedError`` prints "Not implemented yet: ...".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from diffusion_lite.core.schedules import cosine_betas, linear_betas
from diffusion_lite.exercises._student import call_student as _call


def _reference_alpha_bars(betas) -> np.ndarray:
    out = [1.0]  # ᾱ_0 = 1, then ᾱ_t = ᾱ_{t-1} (1 - β_t): an explicit loop, no cumprod
    for beta in np.asarray(betas, dtype=np.float64)[1:]:
        out.append(out[-1] * (1.0 - beta))
    return np.array(out)


def check_alpha_bars(alpha_bars_fn: Callable) -> None:
    """Exercise 1: ᾱ_t = ∏_{s≤t} (1 - β_s) as an array of length T + 1 with ᾱ_0 = 1."""
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
    print("Correct: ᾱ_t = ∏ (1 - β_s), decreasing from 1 towards 0.")


def check_constant_beta(constant_beta: Callable) -> None:
    """Exercise 3: the constant β for which T steps leave exactly ᾱ_T of the signal."""
    for T, target in [(1000, 1e-4), (10, 0.5), (200, 0.01), (1, 0.3)]:
        out, ok = _call(constant_beta, "constant_beta(T, alpha_bar_T)", T, target)
        if not ok:
            return
        beta = float(np.asarray(out))
        alpha_bar = _reference_alpha_bars(np.concatenate([[0.0], np.full(T, beta)]))[-1]
        if not (0.0 < beta < 1.0 and np.isclose(alpha_bar, target, rtol=1e-4)):
            print(
                f"For T={T}, alpha_bar_T={target}: your beta={beta:.6f} leaves ᾱ_T = {alpha_bar:.3g}. "
                "Hint: with constant β, ᾱ_T = (1 - β)^T; solve for β."
            )
            return
    print("Correct: β = 1 - ᾱ_T^(1/T); for T = 1000 and ᾱ_T = 1e-4 that is β ≈ 0.0092.")


def check_snr_crossing(snr_crossing: Callable) -> None:
    """Exercise 3: the first t at which noise outweighs signal, SNR(t) = ᾱ_t / (1-ᾱ_t) < 1."""
    for betas in (linear_betas(1000), cosine_betas(1000), linear_betas(20, 0.01, 0.2)):
        ab = _reference_alpha_bars(betas)
        out, ok = _call(snr_crossing, "snr_crossing(alpha_bars)", ab)
        if not ok:
            return
        want = next(t for t in range(1, len(ab)) if ab[t] / (1.0 - ab[t]) < 1.0)
        if int(out) != want:
            print(
                f"Got t={int(out)} for a schedule of T={len(ab) - 1}, expected a different step. "
                "Hint: SNR < 1 exactly when ᾱ_t < 1/2; return the first such t ≥ 1."
            )
            return
    print("Correct: SNR(t) < 1 from ᾱ_t < 1/2 on.")
