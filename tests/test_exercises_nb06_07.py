"""Exercise checkers of notebook 07 (06's: test_exercises_new_exb.py, _pred_exb.py): accept a
correct solution, reject wrong ones, and say "Not implemented yet" for the stub.  The reference
solutions live only here, never in notebooks."""

import jax
import jax.numpy as jnp
import pytest

from diffusion_lite.exercises import nb07


def _stub(*args):
    raise NotImplementedError


def _eps_star_gaussian(x_t, alpha_bar, mu, s):
    var = alpha_bar * s**2 + 1 - alpha_bar
    return jnp.sqrt(1 - alpha_bar) * (x_t - jnp.sqrt(alpha_bar) * mu) / var


def _ddim_step(x_t, eps_hat, ab_t, ab_prev):
    x0_hat = (x_t - jnp.sqrt(1 - ab_t) * eps_hat) / jnp.sqrt(ab_t)
    return jnp.sqrt(ab_prev) * x0_hat + jnp.sqrt(1 - ab_prev) * eps_hat


def _l_simple(key, eps_fn, x0, alpha_bars, t_low=1):
    key_t, key_eps = jax.random.split(key)
    t = jax.random.randint(key_t, (x0.shape[0],), t_low, alpha_bars.shape[0])
    eps = jax.random.normal(key_eps, x0.shape)
    ab = alpha_bars[t][:, None]
    return jnp.mean((eps - eps_fn(jnp.sqrt(ab) * x0 + jnp.sqrt(1 - ab) * eps, t)) ** 2)


CASES = [
    (
        nb07.check_eps_star_gaussian,
        _eps_star_gaussian,
        lambda x_t, ab, mu, s: _eps_star_gaussian(x_t, ab, mu, 1.0),  # ignores the data width
    ),
    (
        nb07.check_ddim_step,
        _ddim_step,
        lambda x_t, e, ab_t, ab_prev: jnp.sqrt(ab_prev / ab_t) * x_t,  # drops the ε̂ terms
    ),
    (
        nb07.check_l_simple,
        _l_simple,
        lambda key, eps_fn, x0, ab: _l_simple(key, eps_fn, x0, ab, t_low=0),  # t from 0
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
