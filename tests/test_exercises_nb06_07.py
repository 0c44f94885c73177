"""Exercise checkers of notebooks 06–07: accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import losses, schedules
from diffusion_lite.exercises import nb06, nb07


def _stub(*args):
    raise NotImplementedError


def _p_mean_from_eps(x_t, t, eps_hat, betas):
    ab = np.cumprod(1.0 - np.asarray(betas))
    return (x_t - betas[t] / np.sqrt(1 - ab[t]) * eps_hat) / np.sqrt(1 - betas[t])


def _elbo_weights(betas, sigma2s):
    t = np.arange(2, len(betas))
    ab = np.cumprod(1.0 - betas)
    lam = np.zeros_like(betas)  # λ_0 = λ_1 = 0, as the exercise asks
    lam[t] = betas[t] ** 2 / (2 * sigma2s[t] * (1 - betas[t]) * (1 - ab[t]))
    return lam


def _ddim_step(x_t, eps_hat, ab_t, ab_prev):
    x0_hat = (x_t - jnp.sqrt(1 - ab_t) * eps_hat) / jnp.sqrt(ab_t)
    return jnp.sqrt(ab_prev) * x0_hat + jnp.sqrt(1 - ab_prev) * eps_hat


CASES = [
    (
        nb06.check_gaussian_kl,
        lambda m1, v1, m2, v2: losses.gaussian_kl(m1, v1, m2, v2),
        lambda m1, v1, m2, v2: 0.5 * ((m1 - m2) ** 2 / v2 + jnp.log(v2 / v1)),  # forgot v1/v2 - 1
    ),
    (
        nb06.check_p_mean_from_eps,
        _p_mean_from_eps,
        lambda x_t, t, eps_hat, betas: _p_mean_from_eps(x_t, t, -eps_hat, betas),
    ),
    (
        nb06.check_elbo_weights,
        _elbo_weights,
        lambda betas, sigma2s: _elbo_weights(betas, sigma2s) * 2.0,
    ),
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


def test_kl_checker_rejects_a_symmetric_kl(capsys):
    def symmetric_kl(m1, v1, m2, v2):
        return 0.5 * (losses.gaussian_kl(m1, v1, m2, v2) + losses.gaussian_kl(m2, v2, m1, v1))

    nb06.check_gaussian_kl(symmetric_kl)
    assert not capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize(
    "wrong",
    [
        # the package's function: its λ_1 is not 0 when σ_1² = β_1 > 0
        lambda betas, sigma2s: losses.elbo_weights(schedules.make_schedule(betas), sigma2s),
        # the formula everywhere: NaN at t = 0 and inf at t = 1 with σ_1² = β̃_1 = 0
        lambda betas, sigma2s: betas**2 / (2 * sigma2s * (1 - betas) * (1 - np.cumprod(1 - betas))),
        # right from t = 2 on except one step
        lambda betas, sigma2s: np.where(np.arange(51) == 37, 1.0, _elbo_weights(betas, sigma2s)),
    ],
    ids=["package-function", "nan-at-t0-t1", "one-wrong-step"],
)
def test_elbo_weights_checker_catches(capsys, wrong):
    with np.errstate(divide="ignore", invalid="ignore"):
        nb06.check_elbo_weights(wrong)
    out = capsys.readouterr().out
    assert out.strip() and not out.startswith("Correct"), out
