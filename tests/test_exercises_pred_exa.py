"""Prediction checkers of notebooks 01–03 (helper exa): None prints only the prompt, a malformed
answer lists the allowed ones, every answer gets the right verdict, and each experiment's
outcome holds with a wide margin."""

import numpy as np
import pytest

from diffusion_lite.exercises import nb01, nb02, nb03

PREDICTIONS = [  # (checker, allowed answers, the one the experiment supports)
    (nb01.check_prediction_collapse, ("collapsed", "shifted", "tie"), "collapsed"),
    (nb02.check_prediction_tails, ("gaussian", "cauchy", "the same"), "cauchy"),
    (nb03.check_prediction_forgetting, ("all", "half", "a quarter", "none"), "a quarter"),
]


@pytest.fixture(autouse=True)
def _fast_chain(monkeypatch):
    """The verdict tests replace notebook 03's 100 000 simulated chains by their exact moments
    (mean 2 √ᾱ, variance 4 ᾱ + 1 - ᾱ at ᾱ ≈ 1/4); test_forgetting_experiment runs the real one."""
    monkeypatch.setattr(nb03, "_run_chain_moments", lambda key, x0, betas, t: (1.0, 1.75))


@pytest.mark.parametrize(("check", "allowed", "truth"), PREDICTIONS)
def test_none_prints_only_the_prompt(check, allowed, truth, capsys):
    check(None)
    out = capsys.readouterr().out
    assert out.startswith("Make your prediction first") and out.count("\n") == 1
    assert all(f'"{a}"' in out for a in allowed)
    check(None)
    assert capsys.readouterr().out == out  # deterministic: the stored notebook output


@pytest.mark.parametrize(("check", "allowed", "truth"), PREDICTIONS)
def test_malformed_answer_lists_the_allowed_ones(check, allowed, truth, capsys):
    for bad in ("maybe", 3, ["cauchy"]):
        check(bad)
        out = capsys.readouterr().out
        assert out.startswith("prediction must be one of") and repr(bad) in out
        assert all(f'"{a}"' in out for a in allowed)


@pytest.mark.parametrize(("check", "allowed", "truth"), PREDICTIONS)
def test_every_answer_gets_the_right_verdict(check, allowed, truth, capsys):
    for answer in allowed:
        check(f"  {answer.upper()} ")  # case and spaces do not matter
        out = capsys.readouterr().out
        held = "Your prediction held." in out
        assert held == (answer == truth), (answer, out)
        assert held or "Your prediction did not hold." in out


def test_collapse_experiment_margin():
    x = np.linspace(-8.0, 8.0, 160_001)
    dx = 16.0 / 160_000
    gauss = lambda m: np.exp(-0.5 * ((x - m) / 0.1) ** 2) / (0.1 * np.sqrt(2 * np.pi))  # noqa: E731
    p = sum(gauss(m) for m in (-4, -2, 0, 2, 4)) / 5
    collapsed = sum(gauss(m) for m in (-2, 0, 2)) / 3
    shifted = sum(gauss(m + 0.5) for m in (-4, -2, 0, 2, 4)) / 5
    js_c, js_s = nb01._js_grid(p, collapsed, dx), nb01._js_grid(p, shifted, dx)
    # Pencil and paper: the two dropped modes give ½·0.4·log 2, the three kept ones
    # ½·0.6·log(3/4) + ½·log(5/4); the near miss overlaps only in Gaussian tails 5 widths out.
    want_c = 0.2 * np.log(2) + 0.3 * np.log(0.75) + 0.5 * np.log(1.25)
    assert abs(js_c - want_c) < 1e-6
    assert js_s > np.log(2) - 0.03 and js_s - js_c > 0.5  # the verdict needs only > 0.05


def test_tails_experiment_margin():
    gauss, cauchy = nb02._smoothed_overlap("gaussian", 0.25), nb02._smoothed_overlap("cauchy", 0.25)
    # Gaussian: both widths √(0.1² + 0.25²), so 2 Φ(-1.5 / 0.269) ≈ 2.5e-8. Cauchy: at least the
    # two Cauchy tails beyond 1.5 + a little, 2 (½ - atan(6)/π) ≈ 0.105.
    assert 1e-8 < gauss < 5e-8
    assert 0.09 < cauchy < 0.12
    assert cauchy > 1e5 * gauss  # the verdict needs only a factor 100


def test_forgetting_experiment_margin(monkeypatch, capsys):
    monkeypatch.undo()  # the real 100 000 chains
    nb03.check_prediction_forgetting("a quarter")
    out = capsys.readouterr().out
    left = float(out.split("excess variance left: ")[1].split("%")[0]) / 100
    # Exact: ᾱ at the stopping step, just below 1/4; Monte Carlo s.e. of `left` ≈ 0.003.
    assert abs(left - 0.25) < 0.03 and "Your prediction held." in out  # bin edges 0.125, 0.375
