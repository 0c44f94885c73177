"""New derivation checkers of notebooks 04–06: each accepts a reference solution (which lives
only here), rejects realistic wrong answers with a specific hint, refuses the package's own
function and reports the stub."""

import functools

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import losses, posterior, sampling, schedules
from diffusion_lite.exercises import nb04, nb05, nb06


def _stub(*args):
    raise NotImplementedError


def _alpha_bars(betas):
    return np.cumprod(1.0 - np.asarray(betas, dtype=np.float64))


def _kernel_from(x_s, s, t, betas):
    ratio = np.prod(1.0 - betas[s + 1 : t + 1])  # ᾱ_t / ᾱ_s
    return np.sqrt(ratio) * x_s, -np.expm1(np.sum(np.log1p(-betas[s + 1 : t + 1])))


def _skip_posterior(x0, x_t, s, t, alpha_bars):
    ratio = alpha_bars[t] / alpha_bars[s]
    var = (1 - alpha_bars[s]) * (1 - ratio) / (1 - alpha_bars[t])
    mean = np.sqrt(alpha_bars[s]) * (1 - ratio) * x0 + np.sqrt(ratio) * (1 - alpha_bars[s]) * x_t
    return mean / (1 - alpha_bars[t]), var


def _mean_from_eps(x_t, t, eps, betas):
    b = np.asarray(betas, dtype=np.float64)
    ab = np.cumprod(1.0 - b)
    return (x_t - b[t] / np.sqrt(1.0 - ab[t]) * eps) / np.sqrt(1.0 - b[t])


def _x0_weights(betas, sigma2s):
    ab = np.cumprod(1.0 - betas)
    t = np.arange(2, len(betas))
    w = np.zeros_like(betas)  # w_0 = w_1 = 0, as the exercise asks
    w[t] = ab[t - 1] * betas[t] ** 2 / (2.0 * sigma2s[t] * (1.0 - ab[t]) ** 2)
    return w


def _x0_weights_f32(betas, sigma2s):  # the right formula, but 1 - ᾱ_t in float32
    b = jnp.asarray(betas)
    ab, t = jnp.cumprod(1.0 - b), np.arange(2, len(betas))
    w = ab[t - 1] * b[t] ** 2 / (2.0 * jnp.asarray(sigma2s)[t] * (1.0 - ab[t]) ** 2)
    return jnp.zeros(len(betas)).at[t].set(w)


def _lam(betas, sigma2s):  # the ε-weights λ_t of section 4
    ab, t = np.cumprod(1.0 - betas), np.arange(2, len(betas))
    out = np.zeros_like(betas)
    out[t] = betas[t] ** 2 / (2.0 * sigma2s[t] * (1.0 - betas[t]) * (1.0 - ab[t]))
    return out


def _run(check, fn, capsys):
    check(fn)
    return capsys.readouterr().out


# (checker, right answer, [(wrong answer, text its message must contain), ...], package function)
CASES = {
    "alpha_bars": (
        nb04.check_alpha_bars,
        _alpha_bars,
        [
            (lambda b: np.cumprod(1 - np.asarray(b))[1:], "keep index 0"),  # drops ᾱ_0
            (lambda b: np.concatenate([[1.0], np.cumprod(1 - np.asarray(b))[:-1]]), "product"),
        ],
        lambda b: schedules.make_schedule(b).alpha_bars,
    ),
    "kernel_from": (
        nb04.check_kernel_from,
        _kernel_from,
        [
            (lambda x, s, t, b: (x * np.prod(1 - b[s + 1 : t + 1]), 0.5), "mean"),  # no √
            (  # the kernel from x_0, whatever s
                lambda x, s, t, b: (np.sqrt(_alpha_bars(b)[t]) * x, 1 - _alpha_bars(b)[t]),
                "no step is taken",
            ),
            (  # right formula, but float32: 1 - ᾱ_t/ᾱ_s cancels at small t
                lambda x, s, t, b: (
                    np.sqrt(np.prod(1 - b[s + 1 : t + 1])) * x,
                    1 - jnp.cumprod(1 - jnp.asarray(b))[t] / jnp.cumprod(1 - jnp.asarray(b))[s],
                ),
                "float32",
            ),
            (  # adds the variances without the factors α: ∑ β instead of the composed noise
                lambda x, s, t, b: (
                    np.sqrt(np.prod(1 - b[s + 1 : t + 1])) * x,
                    b[s + 1 : t + 1].sum(),
                ),
                "variance",
            ),
        ],
        None,
    ),
    "skip_posterior": (
        nb05.check_skip_posterior,
        _skip_posterior,
        [
            (  # the forward kernel's variance instead of the posterior's
                lambda x0, x_t, s, t, ab: (
                    _skip_posterior(x0, x_t, s, t, ab)[0],
                    1 - ab[t] / ab[s],
                ),
                "x_0 is given",
            ),
            (  # always the one-step posterior of t - 1
                lambda x0, x_t, s, t, ab: _skip_posterior(x0, x_t, t - 1, t, ab),
                "x_0 is given",
            ),
            (  # right formula in float32
                lambda x0, x_t, s, t, ab: _skip_posterior(x0, x_t, s, t, jnp.asarray(ab)),
                "float32",
            ),
            (  # x_0 and x_t swapped
                lambda x0, x_t, s, t, ab: _skip_posterior(x_t, x0, s, t, ab),
                "mean",
            ),
        ],
        lambda x0, x_t, s, t, ab: posterior.q_posterior_mean_var(x0, x_t, t, ab),
    ),
    "mean_from_eps": (
        nb05.check_mean_from_eps,
        _mean_from_eps,
        [
            (lambda x_t, t, eps, b: _mean_from_eps(x_t, t, -eps, b), "Wrong at t=1"),  # sign
            (  # no square root on 1 - ᾱ_t
                lambda x_t, t, eps, b: (
                    _mean_from_eps(x_t, t, eps, b)
                    + (np.sqrt(1 - _alpha_bars(b)[t]) - 1)
                    * b[t]
                    * eps
                    / np.sqrt(1 - b[t])
                    / (1 - _alpha_bars(b)[t])
                ),
                "At t = 1 the posterior mean must be x_0",
            ),
        ],
        lambda x_t, t, eps, b: sampling.p_mean_from_eps(x_t, t, eps, schedules.make_schedule(b)),
    ),
    "x0_weights": (
        nb06.check_x0_weights,
        _x0_weights,
        [
            (_lam, "That is λ_t"),
            (lambda b, s2: 2.0 * _x0_weights(b, s2), "twice the right weight"),
            (_x0_weights_f32, "float32"),
            (  # ᾱ_t where ᾱ_{t-1} belongs (off by one in t)
                lambda b, s2: _x0_weights(b, s2) * np.concatenate([[1.0], 1.0 - b[1:]]),
                "x̂_0 in place of x_0",
            ),
            (  # the formula at every t: NaN at t = 0, not 0 at t = 1
                lambda b, s2: np.nan_to_num(_x0_weights(b, s2), nan=0.0) + (np.arange(len(b)) < 2),
                "set both to 0",
            ),
        ],
        lambda b, s2: (
            losses.elbo_weights(schedules.make_schedule(b), s2)
            * (np.cumprod(1 - b) / (1 - np.cumprod(1 - b) + (np.arange(len(b)) == 0)))
        ),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_accepts_the_reference_and_reports_the_stub(name, capsys):
    check, right, _, _ = CASES[name]
    assert _run(check, right, capsys).startswith("Correct")
    assert _run(check, _stub, capsys).startswith("Not implemented yet")


@pytest.mark.parametrize(
    ("name", "i"), [(name, i) for name, case in CASES.items() for i in range(len(case[2]))]
)
def test_rejects_a_wrong_answer_with_its_hint(name, i, capsys):
    check, _, wrongs, _ = CASES[name]
    wrong, hint = wrongs[i]
    out = _run(check, wrong, capsys)
    assert "Correct" not in out and hint in out, out


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case[3] is not None])
def test_refuses_the_package_function(name, capsys):
    check, _, _, forwarding = CASES[name]
    out = _run(check, forwarding, capsys)
    assert "That is the package's own" in out and "Correct" not in out, out


def test_refuses_the_package_function_itself_and_a_partial_of_it(capsys):
    out = _run(nb05.check_skip_posterior, posterior.q_posterior_mean_var, capsys)
    assert "package's own q_posterior_mean_var" in out
    partial = functools.partial(sampling.p_mean_from_eps, schedule=None)
    assert "package's own p_mean_from_eps" in _run(nb05.check_mean_from_eps, partial, capsys)


def test_refuses_a_forwarding_call_hidden_in_a_nested_function(capsys):
    def alpha_bars_from(betas):
        def helper(b):
            return schedules.make_schedule(b).alpha_bars

        return helper(betas)

    out = _run(nb04.check_alpha_bars, alpha_bars_from, capsys)
    assert "package's own make_schedule" in out and "Correct" not in out


@pytest.mark.parametrize(
    ("check", "fn"),
    [
        (nb04.check_kernel_from, lambda x_s, s, t, betas: x_s),
        (nb05.check_skip_posterior, lambda x0, x_t, s, t, alpha_bars: x0),
    ],
)
def test_a_single_array_instead_of_the_pair_is_named(check, fn, capsys):
    out = _run(check, fn, capsys)
    assert "Return a pair (mean, variance)" in out and "Correct" not in out
