"""Exercise checkers of notebook 08: accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import functools

import jax
import numpy as np
import pytest

from diffusion_lite.core import sampling, schedules
from diffusion_lite.exercises import nb08
from diffusion_lite.mnist.evaluate import class_histogram

X0 = np.tanh(np.asarray(jax.random.normal(jax.random.key(0), (2, 28, 28, 1))))  # digit-like


def _stub(*args):
    raise NotImplementedError


SCHEDULE = schedules.make_schedule(schedules.linear_betas(1000))  # the one the checker uses


def _ddim_step(x_t, t, t_prev, eps_hat, alpha_bars):
    return sampling.ddim_step(x_t, t, t_prev, eps_hat, np.zeros_like(x_t), SCHEDULE)


def _ddim_step_forgets_direction(x_t, t, t_prev, eps_hat, alpha_bars):
    x0_hat = (x_t - np.sqrt(1 - alpha_bars[t]) * eps_hat) / np.sqrt(alpha_bars[t])
    return np.sqrt(alpha_bars[t_prev]) * x0_hat


def _frechet_1d_with_variances(mu1, var1, mu2, var2):
    return (mu1 - mu2) ** 2 + (var1 - var2) ** 2


CASES = [
    (
        functools.partial(nb08.check_ddim_step, x0=X0),
        _ddim_step,
        _ddim_step_forgets_direction,
    ),
    (nb08.check_recognised, class_histogram, lambda p: class_histogram(p, 0.95)),
    (
        nb08.check_frechet_1d,
        lambda mu1, var1, mu2, var2: (mu1 - mu2) ** 2 + (np.sqrt(var1) - np.sqrt(var2)) ** 2,
        _frechet_1d_with_variances,
    ),
]


@pytest.mark.parametrize(("check", "right", "wrong"), CASES, ids=["ddim", "recognised", "frechet"])
def test_checker(check, right, wrong, capsys):
    check(_stub)
    assert "Not implemented yet" in capsys.readouterr().out
    check(wrong)
    out = capsys.readouterr().out
    assert out and "Correct" not in out and "Not implemented" not in out
    check(right)
    assert capsys.readouterr().out.startswith("Correct")
