"""Exercise checkers of notebooks 03–05: accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.exercises import nb03, nb04, nb05


def _stub(*args):
    raise NotImplementedError


def _log_q_chain(xs, betas):
    mean, var = jnp.sqrt(1 - betas[1:]) * xs[:-1], betas[1:]
    return jnp.sum(-0.5 * (xs[1:] - mean) ** 2 / var - 0.5 * jnp.log(2 * jnp.pi * var))


def _mean_from_eps(x_t, t, eps, betas):
    b = np.asarray(betas, dtype=np.float64)
    ab = np.cumprod(1.0 - b)
    return (x_t - b[t] / np.sqrt(1.0 - ab[t]) * eps) / np.sqrt(1.0 - b[t])


CASES = [
    (
        nb03.check_step_moments,
        lambda m, v, b: (np.sqrt(1 - b) * m, (1 - b) * v + b),
        lambda m, v, b: (np.sqrt(1 - b) * m, v + b),
    ),
    (nb03.check_log_q_chain, _log_q_chain, lambda xs, betas: _log_q_chain(xs, betas) + 1.0),
    (
        nb03.check_steps_to_forget,
        lambda beta, rho: int(np.floor(2 * np.log(rho) / np.log(1 - beta))) + 1,
        lambda beta, rho: int(np.ceil(np.log(rho) / np.log(1 - beta))),
    ),
    (
        nb04.check_alpha_bars,
        lambda b: np.cumprod(1.0 - np.asarray(b, dtype=np.float64)),
        lambda b: jnp.cumprod(1 - b[1:]),
    ),
    (
        nb04.check_constant_beta,
        lambda T, ab: 1 - ab ** (1 / T),
        lambda T, ab: (1 - ab) / T,
    ),
    (nb05.check_mean_from_eps, _mean_from_eps, lambda x_t, t, eps, betas: x_t),
]


@pytest.mark.parametrize(
    ("check", "right", "wrong"), CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_checker(check, right, wrong, capsys):
    check(_stub)
    assert "Not implemented yet" in capsys.readouterr().out
    check(wrong)
    out = capsys.readouterr().out
    assert out and "Correct" not in out and "Not implemented" not in out
    check(right)
    assert capsys.readouterr().out.startswith("Correct")
