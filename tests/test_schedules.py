"""Schedules: β, α, ᾱ, SNR against a plain float64 loop and the papers' formulas."""

import math

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import schedules


def test_linear_betas_endpoints_and_convention():
    betas = schedules.linear_betas(1000)
    assert betas.shape == (1001,) and betas.dtype == jnp.float32
    assert float(betas[0]) == 0.0
    np.testing.assert_allclose([betas[1], betas[1000]], [1e-4, 0.02], rtol=1e-6)
    assert np.all(np.diff(np.asarray(betas[1:])) > 0)


def test_alpha_bars_match_a_float64_product_loop(x64):
    betas = schedules.linear_betas(200, 1e-3, 0.05, dtype=jnp.float64)
    alpha_bars = schedules.alpha_bars_from_betas(betas)
    expected, prod = [1.0], 1.0
    for t in range(1, 201):
        prod *= 1.0 - float(betas[t])
        expected.append(prod)
    np.testing.assert_allclose(alpha_bars, expected, rtol=1e-13)
    np.testing.assert_allclose(schedules.alphas_from_betas(betas), 1.0 - np.asarray(betas))


def test_cosine_alpha_bars_follow_the_cosine_formula(x64):
    T, s = 100, 0.008
    alpha_bars = schedules.alpha_bars_from_betas(schedules.cosine_betas(T, s, dtype=jnp.float64))
    f = [math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2 for t in range(T + 1)]
    unclipped = slice(0, T)  # the last step is clipped at max_beta
    np.testing.assert_allclose(alpha_bars[unclipped], (np.array(f) / f[0])[unclipped], rtol=1e-10)


def test_snr_is_alpha_bar_over_one_minus_alpha_bar_and_decreasing():
    alpha_bars = schedules.alpha_bars_from_betas(schedules.linear_betas(100, 1e-3, 0.05))
    ratio = schedules.snr(alpha_bars)
    assert np.isinf(ratio[0])
    np.testing.assert_allclose(ratio[1:], alpha_bars[1:] / (1 - alpha_bars[1:]), rtol=1e-6)
    assert np.all(np.diff(np.asarray(ratio[1:])) < 0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"T": 0}, "T must be an integer >= 1"),
        ({"T": 10, "beta_1": 0.0}, r"beta_1 = 0.0 is outside the allowed range 0 < beta < 1"),
        ({"T": 10, "beta_T": 1.0}, r"beta_T = 1.0 is outside the allowed range"),
        ({"T": 10, "beta_T": float("nan")}, r"beta_T = nan is outside the allowed range"),
    ],
)
def test_linear_betas_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        schedules.linear_betas(**kwargs)


def test_validate_betas_names_the_bad_step():
    with pytest.raises(
        ValueError, match=r"betas\[2\] = 1.5 is outside the allowed range 0 < beta_t < 1"
    ):
        schedules.validate_betas([0.0, 0.1, 1.5])
    with pytest.raises(ValueError, match=r"betas\[0\] must be 0"):
        schedules.validate_betas([0.1, 0.1])
    with pytest.raises(ValueError, match="max_beta"):
        schedules.cosine_betas(10, max_beta=1.0)
