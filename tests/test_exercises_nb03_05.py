"""Exercise checkers of notebooks 03–05: accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import posterior, schedules
from diffusion_lite.exercises import nb03, nb04, nb05


def _stub(*args):
    raise NotImplementedError


def _log_q_chain(xs, betas):
    mean, var = jnp.sqrt(1 - betas[1:]) * xs[:-1], betas[1:]
    return jnp.sum(-0.5 * (xs[1:] - mean) ** 2 / var - 0.5 * jnp.log(2 * jnp.pi * var))


def _grid_bayes(log_prior, log_likelihood, dx):
    log_joint = log_prior + log_likelihood
    p = jnp.exp(log_joint - log_joint.max())
    return p / (p.sum() * dx)


def _mean_from_eps(x_t, t, eps, betas):
    schedule = schedules.make_schedule(betas)
    x0_hat = posterior.predict_x0_from_eps(x_t, t, eps, schedule)
    return posterior.q_posterior_mean_var(x0_hat, x_t, t, schedule)[0]


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
        lambda b: schedules.make_schedule(b).alpha_bars,
        lambda b: jnp.cumprod(1 - b[1:]),
    ),
    (
        nb04.check_constant_beta,
        lambda T, ab: 1 - ab ** (1 / T),
        lambda T, ab: (1 - ab) / T,
    ),
    (
        nb04.check_snr_crossing,
        lambda ab: int(np.argmax(ab < 0.5)),
        lambda ab: int(np.argmax(ab < 0.1)),
    ),
    (
        nb05.check_posterior_coefficients,
        lambda b: (
            schedules.make_schedule(b).posterior_mean_coef1,
            schedules.make_schedule(b).posterior_mean_coef2,
            schedules.make_schedule(b).posterior_variance,
        ),
        lambda b: (  # confuses the posterior variance β̃_t with the forward β_t
            schedules.make_schedule(b).posterior_mean_coef1,
            schedules.make_schedule(b).posterior_mean_coef2,
            b,
        ),
    ),
    (nb05.check_grid_bayes, _grid_bayes, lambda lp, ll, dx: jnp.exp(lp) / (jnp.exp(lp).sum() * dx)),
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


def test_grid_bayes_checker_catches_the_unguarded_exp(capsys):
    """exp(log prior + log likelihood) without subtracting the max underflows to 0/0."""

    def naive(log_prior, log_likelihood, dx):
        p = np.exp(log_prior + log_likelihood)
        return p / (p.sum() * dx)

    with np.errstate(invalid="ignore"):
        nb05.check_grid_bayes(naive)
    out = capsys.readouterr().out
    assert not out.startswith("Correct") and "subtract the max" in out, out
