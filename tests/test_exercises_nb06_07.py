"""Exercise checkers of notebook 07 (06's: test_exercises_new_exb.py, _pred_exb.py; 07's new ones:
test_exercises_new_exc.py, _pred_exc.py): accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import jax.numpy as jnp
import pytest

from diffusion_lite.exercises import nb07


def _stub(*args):
    raise NotImplementedError


def _ddim_step(x_t, eps_hat, ab_t, ab_prev):
    x0_hat = (x_t - jnp.sqrt(1 - ab_t) * eps_hat) / jnp.sqrt(ab_t)
    return jnp.sqrt(ab_prev) * x0_hat + jnp.sqrt(1 - ab_prev) * eps_hat


CASES = [
    (
        nb07.check_ddim_step,
        _ddim_step,
        lambda x_t, e, ab_t, ab_prev: jnp.sqrt(ab_prev / ab_t) * x_t,  # drops the ε̂ terms
    ),
]


@pytest.mark.parametrize(
    ("check", "right", "wrong"), CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_checker_accepts_right_rejects_wrong_and_reports_stub(capsys, check, right, wrong):
    check(right)
    assert capsys.readouterr().out.startswith("Correct")
    check(wrong)
    out = capsys.readouterr().out
    assert not out.startswith("Correct") and out.strip()
    check(_stub)
    assert capsys.readouterr().out.startswith("Not implemented yet")
