"""Prediction checkers of notebooks 07–09 (helper exc): None prints the prompt, a malformed answer
lists the allowed ones, each answer gets the right verdict, and the live experiment's outcome
holds with a wide margin."""

import os

import numpy as np
import pytest

from diffusion_lite.exercises import nb07, nb08_predict, nb09_predict
from diffusion_lite.mnist import data
from diffusion_lite.mnist.pretrained import ClipX0, load_denoiser


@pytest.fixture(scope="module")
def few_steps_share():
    return nb07.outer_mode_share(nb07.FEW_STEPS)


def test_few_steps_outcome_has_a_wide_margin(few_steps_share):
    share, se = few_steps_share
    assert share < 0.4 - 30 * se  # far fewer than the true 2/5 (observed ≈ 0.12 ± 0.005)
    assert share > 0.02  # but not empty


def test_few_steps_prompt_and_malformed(capsys):
    nb07.check_prediction_few_steps(None)
    assert capsys.readouterr().out.startswith("Make your prediction first")
    nb07.check_prediction_few_steps("less")
    out = capsys.readouterr().out
    assert '"more", "fewer", "the same"' in out and "holds" not in out


@pytest.mark.parametrize(
    ("answer", "holds"), [("fewer", True), ("more", False), ("the same", False)]
)
def test_few_steps_verdicts(capsys, monkeypatch, few_steps_share, answer, holds):
    monkeypatch.setattr(nb07, "outer_mode_share", lambda num_steps: few_steps_share)
    nb07.check_prediction_few_steps(answer)
    out = capsys.readouterr().out
    assert ("Your prediction holds" in out) == holds and "get fewer" in out


@pytest.fixture(scope="module")
def big_step_width():
    return nb09_predict.langevin_mode_width(nb09_predict.STEP_FACTOR)


def test_big_step_outcome_has_a_wide_margin(big_step_width):
    width, se = big_step_width
    assert width > 0.1 + 30 * se  # std ≈ 0.20 against the data's 0.10, se ≈ 0.003
    assert width < 1.0  # wider, not diverged


def test_big_step_prompt_and_malformed(capsys):
    nb09_predict.check_prediction_big_step(None)
    assert capsys.readouterr().out.startswith("Make your prediction first")
    nb09_predict.check_prediction_big_step("broader")
    out = capsys.readouterr().out
    assert '"narrower", "the same", "wider", "diverge"' in out and "holds" not in out


@pytest.mark.parametrize(
    ("answer", "holds"),
    [("wider", True), ("narrower", False), ("the same", False), ("diverge", False)],
)
def test_big_step_verdicts(capsys, monkeypatch, big_step_width, answer, holds):
    monkeypatch.setattr(nb09_predict, "langevin_mode_width", lambda factor: big_step_width)
    nb09_predict.check_prediction_big_step(answer)
    out = capsys.readouterr().out
    assert ("Your prediction holds" in out) == holds and "come out wider" in out


needs_mnist = pytest.mark.skipif(
    not os.environ.get(data.DATA_ENV_VAR),
    reason=f"real MNIST not available: set {data.DATA_ENV_VAR} (e.g. ../shared/data)",
)


@pytest.fixture(scope="module")
def two_step_run():
    model, config = load_denoiser()
    clipped = ClipX0(model, config)
    x_real = data.load_mnist(data.Split.TEST)[0][:1000]
    samples = np.asarray(nb08_predict.two_step_samples(clipped, config.noise_schedule()))
    return clipped, config.noise_schedule(), x_real, samples


@pytest.mark.data
@needs_mnist
def test_two_steps_outcome_has_a_wide_margin(two_step_run):
    *_, x_real, samples = two_step_run
    grey, contrast = nb08_predict.image_stats(samples)
    grey_real, contrast_real = nb08_predict.image_stats(x_real)
    assert contrast < 0.2 and abs(contrast_real - 0.13) < 0.03  # smooth, far from noise (≈ 0.6)
    assert grey > 3 * grey_real and grey_real < 0.07  # ≈ 17 % grey vs ≈ 5 %: blurry
    assert nb08_predict.classify(grey, contrast, grey_real) == "blurry"


def test_two_steps_classify_separates_the_three_outcomes():
    assert nb08_predict.classify(0.20, 0.60, 0.05) == "noise"
    assert nb08_predict.classify(0.17, 0.12, 0.05) == "blurry"
    assert nb08_predict.classify(0.06, 0.14, 0.05) == "sharp"


def test_two_steps_prompt_and_malformed(capsys):
    nb08_predict.check_prediction_two_steps(None, None, None, None)
    assert capsys.readouterr().out.startswith("Make your prediction first")
    nb08_predict.check_prediction_two_steps("grey", None, None, None)
    out = capsys.readouterr().out
    assert '"noise", "blurry", "sharp"' in out and "holds" not in out


@pytest.mark.data
@needs_mnist
@pytest.mark.parametrize(
    ("answer", "holds"), [("blurry", True), ("noise", False), ("sharp", False)]
)
def test_two_steps_verdicts(capsys, monkeypatch, two_step_run, answer, holds):
    model, schedule, x_real, samples = two_step_run
    monkeypatch.setattr(nb08_predict, "two_step_samples", lambda m, s: samples)
    nb08_predict.check_prediction_two_steps(answer, model, schedule, x_real)
    out = capsys.readouterr().out
    assert ("Your prediction holds" in out) == holds and "samples are blurry" in out
