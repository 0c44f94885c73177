"""Schedules: β, α, ᾱ, SNR and every constant of ``make_schedule`` against float64 closed forms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import schedules

T = 1000
STEPS = (1, 2, T)  # where cancellation in 1 - ᾱ_t hurts most (small t) and the end


def test_linear_betas_endpoints_and_convention():
    betas = schedules.linear_betas(1000)
    assert betas.shape == (1001,) and betas.dtype == jnp.float32
    assert float(betas[0]) == 0.0
    np.testing.assert_allclose([betas[1], betas[1000]], [1e-4, 0.02], rtol=1e-6)
    assert np.all(np.diff(np.asarray(betas[1:])) > 0)


def test_alpha_bars_match_a_float64_product_loop(x64):
    betas = schedules.linear_betas(200, 1e-3, 0.05, dtype=jnp.float64)
    schedule = schedules.make_schedule(betas)
    expected, prod = [1.0], 1.0
    for t in range(1, 201):
        prod *= 1.0 - float(betas[t])
        expected.append(prod)
    np.testing.assert_allclose(schedule.alpha_bars, expected, rtol=1e-13)
    np.testing.assert_allclose(schedule.alphas, 1.0 - np.asarray(betas))
    np.testing.assert_allclose(schedule.one_minus_alpha_bars, 1.0 - np.array(expected), rtol=1e-12)


def test_cosine_alpha_bars_follow_the_cosine_formula(x64):
    T, s = 100, 0.008
    schedule = schedules.make_schedule(schedules.cosine_betas(T, s, dtype=jnp.float64))
    f = [math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2 for t in range(T + 1)]
    unclipped = slice(0, T)  # the last step is clipped at max_beta
    np.testing.assert_allclose(
        schedule.alpha_bars[unclipped], (np.array(f) / f[0])[unclipped], rtol=1e-10
    )


def test_snr_is_alpha_bar_over_one_minus_alpha_bar_and_decreasing():
    schedule = schedules.make_schedule(schedules.linear_betas(100, 1e-3, 0.05))
    ratio = schedules.snr(schedule)
    ab = np.cumprod(1.0 - np.asarray(schedule.betas, np.float64))  # float64 reference
    assert np.isinf(ratio[0])
    np.testing.assert_allclose(ratio[1:], ab[1:] / (1 - ab[1:]), rtol=1e-6)
    assert np.all(np.diff(np.asarray(ratio[1:])) < 0)


def _closed_forms_float64(betas) -> dict[str, np.ndarray]:
    """Ho et al. eqs. 4, 7 in NumPy float64 from the same β (an independent computation)."""
    b = np.asarray(betas, np.float64)
    ab = np.cumprod(1.0 - b)
    ab_prev = np.concatenate([[1.0], ab[:-1]])
    om = -np.expm1(np.cumsum(np.log1p(-b)))  # 1 - ᾱ_t without cancellation
    om_prev = np.concatenate([[0.0], om[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(np.arange(b.size) > 0, om_prev / om * b, 0.0)
        coef1 = np.where(np.arange(b.size) > 0, np.sqrt(ab_prev) * b / om, 0.0)
        coef2 = np.where(np.arange(b.size) > 0, np.sqrt(1 - b) * om_prev / om, 0.0)
    return {
        "alpha_bars": ab,
        "alpha_bars_prev": ab_prev,
        "one_minus_alpha_bars": om,
        "sqrt_alpha_bars": np.sqrt(ab),
        "sqrt_one_minus_alpha_bars": np.sqrt(om),
        "posterior_variance": var,
        "posterior_mean_coef1": coef1,
        "posterior_mean_coef2": coef2,
    }


def _recomputed_in_float32(betas) -> dict[str, np.ndarray]:
    """The old, wrong way: ᾱ = cumprod(1 - β) in float32, then 1 - ᾱ (cancels at small t)."""
    b = jnp.asarray(betas, jnp.float32)
    ab = jnp.cumprod(1.0 - b)
    ab_prev = jnp.concatenate([jnp.ones(1), ab[:-1]])
    denom = jnp.where(jnp.arange(b.shape[0]) == 0, 1.0, 1.0 - ab)
    return {
        "one_minus_alpha_bars": 1.0 - ab,
        "sqrt_one_minus_alpha_bars": jnp.sqrt(1.0 - ab),
        "posterior_variance": (1.0 - ab_prev) / denom * b,
        "posterior_mean_coef1": jnp.sqrt(ab_prev) * b / denom,
        "posterior_mean_coef2": jnp.sqrt(1.0 - b) * (1.0 - ab_prev) / denom,
    }


def _rel_err(got, want, t):
    return abs(float(got[t]) - float(want[t])) / max(abs(float(want[t])), 1e-30)


RTOL32 = 4e-6  # a few float32 roundings (2^-24 ≈ 6e-8 each) on top of float64-exact values


@pytest.mark.parametrize("make_betas", [schedules.linear_betas, schedules.cosine_betas])
def test_float32_constants_are_float64_closed_forms_rounded_once(make_betas):
    betas = make_betas(T)
    schedule = schedules.make_schedule(betas)
    exact = _closed_forms_float64(betas)
    for name, want in exact.items():
        got = getattr(schedule, name)
        assert got.dtype == jnp.float32, name
        for t in STEPS:
            assert _rel_err(got, want, t) <= RTOL32, (name, t, _rel_err(got, want, t))
    assert float(schedule.posterior_mean_coef1[1]) == 1.0  # exactly: ᾱ_0 = 1, 1 - ᾱ_1 = β_1
    assert float(schedule.posterior_mean_coef2[1]) == 0.0
    assert float(schedule.posterior_variance[1]) == 0.0


@pytest.mark.parametrize("make_betas", [schedules.linear_betas, schedules.cosine_betas])
def test_the_same_tolerance_fails_a_float32_recomputation(make_betas):
    """The tolerance above is tight enough to catch the bug it guards against."""
    betas = make_betas(T)
    exact, wrong = _closed_forms_float64(betas), _recomputed_in_float32(betas)
    worst = max(_rel_err(wrong[name], exact[name], t) for name in wrong for t in STEPS)
    assert worst > 10 * RTOL32, worst


def test_log_variance_is_clipped_at_t_1_and_index_0_is_unused():
    schedule = schedules.make_schedule(schedules.linear_betas(10, 1e-3, 0.2))
    log_var = np.asarray(schedule.posterior_log_variance_clipped)
    var = np.asarray(schedule.posterior_variance, np.float64)
    assert log_var[0] == 0.0
    np.testing.assert_allclose(log_var[1], np.log(var[2]), rtol=1e-6)
    np.testing.assert_allclose(log_var[2:], np.log(var[2:]), rtol=1e-6)
    np.testing.assert_allclose(schedule.alpha_bars_prev[1:], schedule.alpha_bars[:-1])


def test_schedule_is_a_pytree_that_passes_through_jit():
    schedule = schedules.make_schedule(schedules.linear_betas(10))
    got = jax.jit(lambda s: s.alpha_bars[3] + s.betas[3])(schedule)
    np.testing.assert_allclose(got, schedule.alpha_bars[3] + schedule.betas[3])
    assert len(jax.tree.leaves(schedule)) == len(schedules.Schedule._fields)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"T": 0}, "T must be an integer >= 1"),
        ({"T": 10.0}, "T must be an integer >= 1"),
        ({"T": 10, "beta_1": 0.0}, r"beta_1 = 0.0 is outside the allowed range 0 < beta < 1"),
        ({"T": 10, "beta_T": 1.0}, r"beta_T = 1.0 is outside the allowed range"),
        ({"T": 10, "beta_T": float("nan")}, r"beta_T = nan is outside the allowed range"),
        ({"T": 10, "dtype": jnp.int32}, r"dtype must be a floating dtype"),
    ],
)
def test_linear_betas_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        schedules.linear_betas(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"T": 10, "s": float("inf")}, r"s = inf is outside the allowed range 0 <= s < inf"),
        ({"T": 10, "s": -0.1}, r"s = -0.1 is outside the allowed range"),
        ({"T": 10, "max_beta": 1.0}, r"max_beta = 1.0 is outside the allowed range"),
        ({"T": 10, "dtype": jnp.int32}, r"dtype must be a floating dtype"),
    ],
)
def test_cosine_betas_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        schedules.cosine_betas(**kwargs)


@pytest.mark.parametrize(
    ("betas", "kwargs", "match"),
    [
        ([0.0, 0.1, 1.5], {}, r"betas\[2\] = 1.5 is outside the allowed range 0 < beta_t < 1"),
        ([0.0, 1.5, -0.2], {}, r"betas\[1\] = 1.5 is outside the allowed range 0 < beta_t < 1"),
        ([0.0, 0.1, -0.2], {}, r"betas\[2\] = -0.2 is outside the allowed range"),
        ([0.0, 0.1, float("nan")], {}, r"betas\[2\] = nan is outside the allowed range"),
        ([0.1, 0.1], {}, r"betas\[0\] must be 0"),
        ([0.0], {}, r"betas must be a 1-D array of length T \+ 1 >= 2"),
        (np.zeros((2, 2)), {}, r"betas must be a 1-D array of length T \+ 1 >= 2"),
        (np.array([0, 1, 0]), {}, r"betas must have a floating dtype"),
        ([0.0, 0.1], {"dtype": jnp.int32}, r"dtype must be a floating dtype"),
    ],
)
def test_make_schedule_rejects_bad_betas(betas, kwargs, match):
    with pytest.raises(ValueError, match=match):
        schedules.make_schedule(betas, **kwargs)


def test_make_schedule_refuses_traced_betas():
    with pytest.raises(ValueError, match="betas must be concrete values"):
        jax.jit(schedules.make_schedule)(schedules.linear_betas(10))
