"""New derivation/implementation checkers of notebooks 07–09 (helper exc): each accepts a correct
reference solution, rejects realistic wrong answers with a specific hint, refuses the package's
own function, and reports the stub.  The reference solutions live only here."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import ode, sampling, schedules, scores
from diffusion_lite.exercises import nb07, nb08, nb09
from diffusion_lite.mnist import evaluate


def _stub(*args):
    raise NotImplementedError


def _irreducible_loss(alpha_bar, mu, s):
    return alpha_bar * s**2 / (alpha_bar * s**2 + 1 - alpha_bar)


def _ddim_step(x_t, eps_hat, ab_t, ab_prev):
    x0_hat = (x_t - jnp.sqrt(1 - ab_t) * eps_hat) / jnp.sqrt(ab_t)
    return jnp.sqrt(ab_prev) * x0_hat + jnp.sqrt(1 - ab_prev) * eps_hat


def _run(check, fn, capsys):
    check(fn)
    return capsys.readouterr().out


def test_irreducible_loss_reference_matches_monte_carlo():
    key_x, key_e = jax.random.split(jax.random.key(0))
    x0 = 1.5 + 0.4 * np.asarray(jax.random.normal(key_x, (400_000,)), np.float64)
    eps = np.asarray(jax.random.normal(key_e, (400_000,)), np.float64)
    for ab in (0.9, 0.2):
        x_t = np.sqrt(ab) * x0 + np.sqrt(1 - ab) * eps
        slope, icpt = np.polyfit(x_t, eps, 1)  # the best predictor is linear: least squares
        mc = np.mean((eps - slope * x_t - icpt) ** 2)
        assert abs(mc - _irreducible_loss(ab, 1.5, 0.4)) < 0.01 * mc


def test_irreducible_loss_checker(capsys):
    assert _run(nb07.check_irreducible_loss, _irreducible_loss, capsys).startswith("Correct")
    assert _run(nb07.check_irreducible_loss, _stub, capsys).count("Not implemented yet") == 1
    wrong = {  # wrong answer -> a piece of the hint it must get
        "explained, not residual": (lambda ab, mu, s: (1 - ab) / (ab * s**2 + 1 - ab), "linear"),
        "forgot the data width": (lambda ab, mu, s: ab, "linear"),
        "second moment, not variance": (
            lambda ab, mu, s: _irreducible_loss(ab, 0, np.sqrt(s**2 + mu**2)),
            "changes between μ",
        ),
        "float32 cancellation": (
            lambda ab, mu, s: 1 - (1 - jnp.float32(ab)) / (jnp.float32(ab) * s**2 + 1 - ab),
            "nothing close to 1 is subtracted",
        ),
    }
    for name, (fn, hint) in wrong.items():
        out = _run(nb07.check_irreducible_loss, fn, capsys)
        assert "Correct" not in out and hint in out, (name, out)


@pytest.mark.parametrize(
    "fn",
    [
        sampling.ddim_step,
        functools.partial(sampling.ddim_step, eta=0.0),
        lambda x_t, e, ab_t, ab_prev: sampling.ddim_step(x_t, 2, 1, e, 0 * x_t, SCHEDULE),
    ],
    ids=["itself", "partial", "forwarding"],
)
def test_ddim_checker_refuses_package(capsys, fn):
    out = _run(nb07.check_ddim_step, fn, capsys)
    assert "package's own ddim_step" in out and "write it yourself" in out and "Correct" not in out


SCHEDULE = schedules.make_schedule(schedules.linear_betas(10))


def test_ddim_checker_wrong_answers(capsys):
    assert _run(nb07.check_ddim_step, _ddim_step, capsys).startswith("Correct")
    for fn in (
        lambda x_t, e, ab_t, ab_prev: (
            jnp.sqrt(ab_prev) * (x_t - jnp.sqrt(1 - ab_t) * e) / jnp.sqrt(ab_t)
        ),
        lambda x_t, e, ab_t, ab_prev: _ddim_step(x_t, e, ab_prev, ab_t),  # levels swapped
    ):
        out = _run(nb07.check_ddim_step, fn, capsys)
        assert "Correct" not in out and "recover x̂_0" in out


def _langevin_variance(v, delta):
    return v / (1 - delta / (4 * v)) if delta < 4 * v else np.inf


def test_langevin_variance_reference_matches_simulation():
    for v, delta in ((1.0, 0.5), (0.5, 1.5)):
        x0 = jnp.zeros((20_000, 1))
        x = scores.annealed_langevin(jax.random.key(3), lambda x, i, v=v: -x / v, x0, [delta], 40)
        var = float(jnp.var(x))  # relative std error ≈ 1 %
        assert abs(var / _langevin_variance(v, delta) - 1) < 0.05


def test_langevin_variance_checker(capsys):
    check = nb09.check_langevin_variance
    assert _run(check, _langevin_variance, capsys).startswith("Correct")
    assert _run(check, _stub, capsys).count("Not implemented yet") == 1
    wrong = {  # wrong answer -> a piece of the hint it must get
        "the target's own variance": (lambda v, d: v, "Var x' = Var x"),
        "sign of the bias": (lambda v, d: v / (1 + d / (4 * v)), "Var x' = Var x"),
        "no stability limit": (lambda v, d: v / (1 - d / (4 * v)), "raised ZeroDivisionError"),
        "negative beyond the limit": (
            lambda v, d: v / (1 - d / (4 * v)) if d != 4 * v else np.inf,
            "grows without bound",
        ),
        "limit at δ = 2v": (
            lambda v, d: _langevin_variance(v, d) if d < 2 * v else np.inf,
            "settles",
        ),
    }
    for name, (fn, hint) in wrong.items():
        out = _run(check, fn, capsys)
        assert "Correct" not in out and hint in out, (name, out)


@pytest.mark.parametrize(
    "fn",
    [
        scores.langevin_step,
        functools.partial(scores.annealed_langevin, steps_per_level=10),
        lambda v, d: float(jnp.var(scores.langevin_step(jnp.ones((9, 1)), -1 / v, 0, d))),
    ],
    ids=["itself", "partial", "forwarding"],
)
def test_langevin_variance_refuses_package(capsys, fn):
    out = _run(nb09.check_langevin_variance, fn, capsys)
    assert "write it yourself" in out and "Correct" not in out


@pytest.mark.parametrize(
    ("check", "fn"),
    [
        (nb09.check_heun_step, functools.partial(ode.heun_step)),
        (nb09.check_heun_step, lambda f, x, s, sn: ode.heun_step(f, x, s, sn)),
        (
            nb09.check_ode_drift_from_eps,
            lambda x, e, b, a: ode.ode_drift(x, 0.5, -e / (1 - a) ** 0.5),
        ),
    ],
    ids=["heun-partial", "heun-forwarding", "drift-forwarding"],
)
def test_ode_checkers_refuse_wrapped_package_functions(capsys, check, fn):
    out = _run(check, fn, capsys)
    assert "write it yourself" in out and "Correct" not in out


X0 = np.tanh(np.asarray(jax.random.normal(jax.random.key(0), (2, 28, 28, 1))))  # digit-like


def _ddim_step_eta(x_t, e, z, ab_t, ab_prev, eta, sigma_scale=None, direction=True):
    x0_hat = (x_t - np.sqrt(1 - ab_t) * e) / np.sqrt(ab_t)
    sigma = eta * np.sqrt((1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev))
    sigma = sigma if sigma_scale is None else sigma_scale(eta, ab_t, ab_prev)
    c = np.sqrt(np.maximum(1 - ab_prev - sigma**2, 0)) if direction else np.sqrt(1 - ab_prev)
    return np.sqrt(ab_prev) * x0_hat + c * e + sigma * z


def test_ddim_eta_checker(capsys):
    check = functools.partial(nb08.check_ddim_step_eta, x0=X0)
    assert _run(check, _ddim_step_eta, capsys).startswith("Correct")
    assert _run(check, _stub, capsys).count("Not implemented yet") == 1
    wrong = {  # wrong answer -> a piece of the hint it must get
        "direction not shrunk": (
            lambda *a: _ddim_step_eta(*a, direction=False),
            "the part along ε̂ must shrink",
        ),
        "β instead of β̃": (
            lambda *a: _ddim_step_eta(*a, sigma_scale=lambda e, t, p: e * np.sqrt(1 - t / p)),
            "spread of q(x_prev | x_t, x_0)",
        ),
        "η²": (
            lambda *a: _ddim_step_eta(*a[:5], a[5] ** 2),
            "in proportion to η",
        ),
        "z ignored": (lambda x_t, e, z, *a: _ddim_step_eta(x_t, e, 0 * z, *a), "fresh noise has"),
    }
    for name, (fn, hint) in wrong.items():
        out = _run(check, fn, capsys)
        assert "Correct" not in out and hint in out, (name, out)


@pytest.mark.parametrize(
    ("check", "fn", "name"),
    [
        (functools.partial(nb08.check_ddim_step_eta, x0=X0), sampling.ddim_step, "ddim_step"),
        (
            functools.partial(nb08.check_ddim_step_eta, x0=X0),
            lambda x_t, e, z, a, b, eta: sampling.ddim_step(x_t, 2, 1, e, z, SCHEDULE, eta),
            "ddim_step",
        ),
        (nb08.check_recognised, evaluate.class_histogram, "class_histogram"),
        (nb08.check_recognised, functools.partial(evaluate.class_histogram), "class_histogram"),
        (
            nb08.check_frechet_1d,
            lambda m1, v1, m2, v2: evaluate.frechet_distance([m1], [[v1]], [m2], [[v2]]),
            "frechet_distance",
        ),
    ],
    ids=["ddim-itself", "ddim-forwarding", "hist-itself", "hist-partial", "frechet-forwarding"],
)
def test_nb08_checkers_refuse_package(capsys, check, fn, name):
    out = _run(check, fn, capsys)
    assert f"package's own {name}" in out and "write it yourself" in out and "Correct" not in out
