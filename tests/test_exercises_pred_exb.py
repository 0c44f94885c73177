"""Prediction checkers of notebooks 04–06: None prints only the prompt, a malformed answer
lists the allowed ones, each allowed answer gets the right verdict, and the experiment's
outcome holds with a wide margin."""

import jax
import numpy as np
import pytest

from diffusion_lite.core import schedules
from diffusion_lite.exercises import nb04, nb05, nb06

# (checker, allowed answers, the answer the experiment must confirm)
PREDICTIONS = {
    "more_steps": (nb04.check_prediction_more_steps, nb04.MORE_STEPS_ANSWERS, "about its square"),
    "posterior_width": (
        nb05.check_prediction_posterior_width,
        nb05.WIDTH_ANSWERS,
        "between bumps",
    ),
    "variance_choice": (
        nb06.check_prediction_variance_choice,
        nb06.VARIANCE_ANSWERS,
        "beta_tilde",
    ),
}


@pytest.mark.parametrize("name", list(PREDICTIONS))
def test_none_prints_only_the_prompt(name, capsys):
    check, answers, _ = PREDICTIONS[name]
    check(None)
    out = capsys.readouterr().out
    assert out.startswith("Make your prediction first") and out.count("\n") == 1
    assert all(answer in out for answer in answers)


@pytest.mark.parametrize("name", list(PREDICTIONS))
@pytest.mark.parametrize("bad", ["more", 3, "its square"])  # case and spaces are forgiven
def test_a_malformed_answer_lists_the_allowed_ones(name, bad, capsys):
    check, answers, _ = PREDICTIONS[name]
    check(bad)
    out = capsys.readouterr().out
    assert "prediction must be one of" in out and all(a in out for a in answers)
    assert "prediction held" not in out and "Not what happened" not in out


@pytest.mark.parametrize(
    ("name", "answer"), [(name, a) for name, case in PREDICTIONS.items() for a in case[1]]
)
def test_each_answer_gets_the_right_verdict(name, answer, capsys):
    check, _, truth = PREDICTIONS[name]
    check(answer)
    out = capsys.readouterr().out
    held = "Your prediction held" in out
    assert held == (answer == truth) and (held or "Not what happened" in out), out
    assert truth in out  # the outcome is named


def test_more_steps_outcome_margin():
    """ᾱ_T for T = 2000 is the square of ᾱ_T for T = 1000 to within 2 %, in the exponent."""
    ab = {
        T: float(schedules.make_schedule(schedules.linear_betas(T)).alpha_bars[-1])
        for T in (1000, 2000)
    }
    ratio = np.log(ab[2000]) / np.log(ab[1000])
    assert abs(ratio - 2.0) < 0.04  # "half" would give 1.07, "the same" 1.0
    assert ab[2000] < 1e-3 * ab[1000] / 2


def test_posterior_width_outcome_margin():
    """Between the bumps the reverse step is twice as wide as on a bump (the call is at 10 %)."""
    on = nb05._reverse_step_std(0.0, 0.1, 0.9)
    between = nb05._reverse_step_std(np.sqrt(0.9) * np.sqrt(0.9) * 2.0 / 2, 0.1, 0.9)
    assert between / on > 1.8


@pytest.mark.parametrize("seed", [0, 1])
def test_variance_choice_outcome_margin(seed):
    """Narrow modes: β̃ costs < 1/10 of β's nats; the notebook's 0.1-wide modes: the reverse."""
    narrow = nb06._first_steps_nats(0.003, jax.random.key(seed))
    wide = nb06._first_steps_nats(0.1, jax.random.key(seed))
    assert narrow["beta_tilde"] < 0.1 * narrow["beta"]
    assert wide["beta"] < 0.7 * wide["beta_tilde"]
