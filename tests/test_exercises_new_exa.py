"""New and hardened checkers of notebooks 01–03 (helper exa): each accepts a correct reference
solution, rejects realistic wrong answers with a specific hint, refuses the package's own
function, and says "Not implemented yet" for the stub.  Reference solutions live only here."""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.special import ndtr

from diffusion_lite.exercises import nb01, nb02, nb03
from diffusion_lite.toys import gan1d, gan_theory, metrics1d


def _stub(*args):
    raise NotImplementedError


def _w1_gaussians(m1, s1, m2, s2):
    delta, tau = m1 - m2, abs(s1 - s2)
    if tau == 0:
        return abs(delta)
    return tau * np.sqrt(2 / np.pi) * np.exp(-(delta**2) / (2 * tau**2)) + delta * (
        1 - 2 * ndtr(-delta / tau)
    )


def _w1_no_abs(m1, s1, m2, s2):  # forgets |s1 - s2|: wrong when the first one is wider
    delta, tau = m1 - m2, s2 - s1
    if tau == 0:
        return abs(delta)
    return tau * np.sqrt(2 / np.pi) * np.exp(-(delta**2) / (2 * tau**2)) + delta * (
        1 - 2 * ndtr(-delta / tau)
    )


def _overlap_mass(d, s, sigma):
    return 2 * ndtr(-abs(d) / (2 * np.sqrt(s**2 + sigma**2)))


def _stationary_variance(a, b):
    return math.inf if abs(a) >= 1 else b**2 / (1 - a**2)


def _out(check, fn, capsys):
    check(fn)
    return capsys.readouterr().out


WRONG = [  # (checker, wrong answer, a phrase its message must contain)
    (nb01.check_w1_gaussians, lambda m1, s1, m2, s2: math.hypot(m1 - m2, s1 - s2), "W₂"),
    (
        nb01.check_w1_gaussians,
        lambda m1, s1, m2, s2: abs(m1 - m2) + abs(s1 - s2) * math.sqrt(2 / math.pi),
        "pair equal quantiles",
    ),
    (nb01.check_w1_gaussians, _w1_no_abs, "the first one wider"),
    (
        nb01.check_w1_gaussians,  # divides by s1 - s2 in Python floats
        lambda m1, s1, m2, s2: abs(s1 - s2) * math.exp(-((m1 - m2) ** 2) / (s1 - s2) ** 2),
        "Division by zero",
    ),
    (
        nb01.check_w1_gaussians,  # the same in numpy: nan instead of an exception
        lambda m1, s1, m2, s2: np.float64(m1 - m2) * 0.0 / np.float64(s1 - s2),
        "finite distance",
    ),
    (
        nb02.check_overlap_mass,  # 1 - erf: cancellation, the tail at 10 widths is lost
        lambda d, s, sig: 1 - math.erf(abs(d) / (2 * math.sqrt(2 * (s**2 + sig**2)))),
        "tiny, not 0",
    ),
    (
        nb02.check_overlap_mass,  # adds standard deviations
        lambda d, s, sig: 2 * ndtr(-abs(d) / (2 * (s + sig))),
        "halfway",
    ),
    (
        nb02.check_overlap_mass,  # forgets |d|
        lambda d, s, sig: 2 * ndtr(-d / (2 * np.sqrt(s**2 + sig**2))),
        "between 0 and 1",
    ),
    (
        nb02.check_overlap_mass,  # forgets the factor 2 (one tail only)
        lambda d, s, sig: ndtr(-abs(d) / (2 * np.sqrt(s**2 + sig**2))),
        "d = 0.0",
    ),
    (nb03.check_step_moments, lambda m, v, b: (np.sqrt(1 - b) * m, v + b), "must stay 1"),
    (nb03.check_step_moments, lambda m, v, b: ((1 - b) * m, (1 - b) * v + b), "mean 0"),
    (nb03.check_stationary_variance, lambda a, b: b**2 / (1 - a), "fixed point"),
    (nb03.check_stationary_variance, lambda a, b: b / (1 - a**2), "fixed point"),
    (
        nb03.check_stationary_variance,  # float32: 1 - a² cancels near a = 1
        lambda a, b: float(jnp.where(jnp.abs(a) >= 1, jnp.inf, b**2 / (1 - jnp.float32(a) ** 2))),
        "float64",
    ),
    (nb03.check_stationary_variance, lambda a, b: b**2 / (1 - a**2), "Division by zero"),
    (
        nb03.check_stationary_variance,  # numpy: inf at a = 1, but a negative variance at -1.5
        lambda a, b: np.float64(b) ** 2 / (1 - np.float64(a) ** 2) if abs(a) != 1 else np.inf,
        "no stationary law",
    ),
    (
        nb03.check_steps_to_forget,  # forgets that corr = √ᾱ: uses ᾱ
        lambda beta, rho: int(np.floor(np.log(rho) / np.log(1 - beta))) + 1,
        "not yet below",
    ),
    (
        nb03.check_steps_to_forget,  # one step late
        lambda beta, rho: int(np.floor(2 * np.log(rho) / np.log(1 - beta))) + 2,
        "but already at t=",
    ),
]


@pytest.mark.parametrize(("check", "wrong", "phrase"), WRONG)
def test_wrong_answers_get_specific_hints(check, wrong, phrase, capsys):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _out(check, wrong, capsys)
    assert "Correct" not in out and phrase in out, out


@pytest.mark.parametrize(
    ("check", "right"),
    [
        (nb01.check_w1_gaussians, _w1_gaussians),
        (nb02.check_overlap_mass, _overlap_mass),
        (nb03.check_stationary_variance, _stationary_variance),
    ],
)
def test_new_checkers_accept_reference_and_flag_stub(check, right, capsys):
    assert "Not implemented yet" in _out(check, _stub, capsys)
    assert _out(check, right, capsys).startswith("Correct")


@pytest.mark.parametrize(
    ("check", "package_fn"),
    [
        (nb01.check_js_on_grid, gan_theory.js_divergence),
        (nb01.check_wasserstein_sorted, metrics1d.wasserstein1),
        (nb02.check_sigma_schedule, gan1d.sigma_schedule),
    ],
)
def test_package_function_is_refused(check, package_fn, capsys):
    disguises = [
        package_fn,
        jax.jit(package_fn),
        functools.partial(package_fn),
        lambda *args: package_fn(*args),
    ]
    for fn in disguises:
        out = _out(check, fn, capsys)
        assert "package's own" in out and "Correct" not in out, out


def test_steps_to_forget_hint_does_not_give_the_formula(capsys):
    out = _out(nb03.check_steps_to_forget, lambda beta, rho: 1, capsys)
    assert "not yet below" in out and "(1-β)^" not in out
