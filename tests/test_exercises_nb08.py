"""Exercise checkers of notebook 08: accept a correct solution, reject wrong ones, and say
"Not implemented yet" for the stub.  The reference solutions live only here, never in notebooks."""

import numpy as np
import pytest

from diffusion_lite.exercises import nb08


def _stub(*args):
    raise NotImplementedError


def _recognised_and_counts(probs, confidence=0.9):
    probs = np.asarray(probs)
    keep = probs.max(axis=1) >= confidence
    return keep.mean(), np.bincount(probs.argmax(axis=1)[keep], minlength=10)


def _frechet_1d_with_variances(mu1, var1, mu2, var2):
    return (mu1 - mu2) ** 2 + (var1 - var2) ** 2


CASES = [
    (nb08.check_recognised, _recognised_and_counts, lambda p: _recognised_and_counts(p, 0.95)),
    (
        nb08.check_frechet_1d,
        lambda mu1, var1, mu2, var2: (mu1 - mu2) ** 2 + (np.sqrt(var1) - np.sqrt(var2)) ** 2,
        _frechet_1d_with_variances,
    ),
]


@pytest.mark.parametrize(("check", "right", "wrong"), CASES, ids=["recognised", "frechet"])
def test_checker(check, right, wrong, capsys):
    check(_stub)
    assert "Not implemented yet" in capsys.readouterr().out
    check(wrong)
    out = capsys.readouterr().out
    assert out and "Correct" not in out and "Not implemented" not in out
    check(right)
    assert capsys.readouterr().out.startswith("Correct")
