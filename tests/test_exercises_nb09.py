"""Exercise checkers of notebook 09: accept a correct solution, reject wrong ones (including the
package's own function handed in), and say "Not implemented yet" for the stub."""

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import ode
from diffusion_lite.exercises import nb09


def _stub(*args):
    raise NotImplementedError


def _drift(x, eps_hat, beta, alpha_bar):
    return -0.5 * beta * (x - eps_hat / jnp.sqrt(1 - alpha_bar))


def _heun(drift_fn, x, s, s_next, second_at=None):
    h = s_next - s
    v = drift_fn(x, s)
    return x + h / 2 * (v + drift_fn(x + h * v, s_next if second_at is None else second_at))


CASES = [
    (
        nb09.check_ode_drift_from_eps,
        _drift,
        lambda x, e, b, a: -0.5 * b * (x - 2 * e / jnp.sqrt(1 - a)),
    ),  # reverse-SDE weight
    (
        nb09.check_ode_drift_from_eps,
        _drift,
        lambda x, e, b, a: -0.5 * b * (x - e * jnp.sqrt(1 - a)),
    ),  # score upside down
    (nb09.check_heun_step, _heun, lambda f, x, s, sn: x + (sn - s) * f(x, s)),  # Euler
    (
        nb09.check_heun_step,
        _heun,
        lambda f, x, s, sn: _heun(f, x, s, sn, second_at=s),
    ),  # slope at s
]


@pytest.mark.parametrize(
    ("check", "right", "wrong"), CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_checker_accepts_right_rejects_wrong_and_reports_stub(capsys, check, right, wrong):
    check(right)
    assert capsys.readouterr().out.startswith("Correct")
    check(wrong)
    out = capsys.readouterr().out
    assert not out.startswith("Correct") and "Hint" in out
    check(_stub)
    assert capsys.readouterr().out.startswith("Not implemented yet")


@pytest.mark.parametrize(
    ("check", "package_fn"),
    [
        (nb09.check_ode_drift_from_eps, ode.ode_drift_from_eps),
        (nb09.check_heun_step, ode.heun_step),
    ],
)
def test_handing_in_the_package_function_is_refused(capsys, check, package_fn):
    check(package_fn)
    out = capsys.readouterr().out
    assert not out.startswith("Correct") and "package" in out


def test_messages_do_not_print_the_formula(capsys):
    nb09.check_ode_drift_from_eps(lambda x, e, b, a: 0 * x)
    out = capsys.readouterr().out
    assert "√(1 - ᾱ)" not in out and "1/2 β" not in out and np.isfinite(len(out))
