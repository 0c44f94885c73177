"""Exercise checkers of notebooks 01–02: accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import numpy as np
import pytest

from diffusion_lite.exercises import nb01, nb02


def _stub(*args):
    raise NotImplementedError


def _js_on_grid(p, q, dx):
    m = 0.5 * (p + q)

    def kl_to_m(a):  # Σ a log(a/m) dx with 0 · log 0 = 0
        safe = np.where(a > 0, a, 1.0)
        return np.sum(np.where(a > 0, a * np.log(safe / np.where(a > 0, m, 1.0)), 0.0)) * dx

    return 0.5 * (kl_to_m(p) + kl_to_m(q))


CASES = [
    (nb01.check_js_on_grid, _js_on_grid, lambda p, q, dx: 0.5 * _js_on_grid(p, q, dx) / np.log(2)),
    (
        nb01.check_wasserstein_sorted,
        lambda x, y: np.mean(np.abs(np.sort(x) - np.sort(y))),
        lambda x, y: np.mean(np.abs(x - y)),  # forgets to sort
    ),
    (
        nb02.check_sigma_schedule,
        lambda steps, s0, f: s0 * np.maximum(0.0, 1.0 - np.arange(steps) / (f * steps)),
        lambda steps, s0, f: s0 * (1.0 - np.arange(steps) / (f * steps)),  # no clipping at 0
    ),
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
