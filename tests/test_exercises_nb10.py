"""Notebook 10: the labelled 1-D mixture's exact quantities, and the exercise checkers
(reference solutions live only here)."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite.core import schedules
from diffusion_lite.core.guidance import drop_labels, guided_eps
from diffusion_lite.exercises import nb10
from diffusion_lite.toys import guidance1d
from diffusion_lite.toys.mixtures import mixture_pdf

DATA = guidance1d.labelled_mixture([-2.0, 0.0, 2.0], [0.6, 0.6, 0.6])
GRID = jnp.linspace(-6.0, 6.0, 2401)


def _run(check, answer, capsys):
    check(answer)
    return capsys.readouterr().out


def _stub(*args):
    raise NotImplementedError


def test_class_posterior_is_bayes_rule_and_sums_to_one():
    post = np.exp(np.asarray(guidance1d.log_class_posterior(GRID, DATA)))
    joint = np.stack(
        [np.asarray(mixture_pdf(GRID, *guidance1d.class_mixture(DATA, k))) / 3 for k in range(3)],
        -1,
    )
    np.testing.assert_allclose(post.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(post, joint / joint.sum(-1, keepdims=True), atol=1e-5)
    with pytest.raises(ValueError, match="y must lie in 0..2, got 3"):
        guidance1d.class_mixture(DATA, 3)


@pytest.mark.parametrize("w", [0.0, 2.0])
def test_tilted_density_integrates_to_one_and_is_p_x_given_y_at_w_0(w):
    p = guidance1d.tilted_density(GRID, DATA, 2, w)
    assert float(jnp.sum(p) * (GRID[1] - GRID[0])) == pytest.approx(1.0, abs=1e-5)
    if w == 0.0:
        want = mixture_pdf(GRID, *guidance1d.class_mixture(DATA, 2))
        np.testing.assert_allclose(p, want, rtol=1e-4, atol=1e-7)  # float32, normalised on the grid


def test_unguided_samples_follow_p_x_given_y():
    """w = 0 with the exact ε(x_t | y): the moments of N(2, 0.6²), within Monte Carlo error."""
    schedule = schedules.make_schedule(schedules.linear_betas(200, 1e-4, 0.1))
    x = np.asarray(guidance1d.sample_guided(jax.random.key(0), DATA, 2, 0.0, schedule, 20_000))
    se_mean, se_std = 0.6 / np.sqrt(20_000), 0.6 / np.sqrt(2 * 20_000)
    assert abs(x.mean() - 2.0) < 5 * se_mean + 0.01  # + the sampler's discretisation error
    assert abs(x.std() - 0.6) < 5 * se_std + 0.01


def _composed(eps_uncond, eps_conds, gammas):
    return eps_uncond + jnp.tensordot(gammas, eps_conds - eps_uncond, axes=1)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (_composed, "Correct"),
        (lambda eu, ec, g: eu + jnp.tensordot(g, ec, axes=1), "with one label and γ = 1"),
        (lambda eu, ec, g: (1 + g[0]) * ec[0] - g[0] * eu, "with γ = 0 there is no guidance"),
        (lambda eu, ec, g: eu + jnp.tensordot(g, ec - eu, axes=1)[None], "Shape (1, 15)"),
        (lambda eu, ec, g: guided_eps(ec[0], eu, g[0] - 1), "package's own guided_eps"),
        (functools.partial(guided_eps, w=1.0), "package's own guided_eps"),
        (_stub, "Not implemented yet"),
    ],
)
def test_check_composed_eps(answer, message, capsys):
    out = _run(nb10.check_composed_eps, answer, capsys)
    assert message in out and ("Correct" in out) == (message == "Correct"), out


def _drop(key, labels, p, null_label):
    return jnp.where(jax.random.bernoulli(key, p, labels.shape), null_label, labels)


def _fixed_key(key, labels, p, null_label):
    return _drop(jax.random.key(0), labels, p, null_label)


def _half_at_p_1(key, labels, p, null_label):  # odd digits dropped more often, even less
    return _drop(key, labels, p * (0.5 + (labels % 2)), null_label)


def _class_dependent(key, labels, p, null_label):  # right at p = 0, 1 and on average
    return _drop(key, labels, p + 0.2 * p * (1 - p) * (2 * (labels % 2) - 1), null_label)


def _float_labels(key, labels, p, null_label):
    return _drop(key, labels, p, null_label).astype(jnp.float32)


def _shifted_labels(key, labels, p, null_label):
    return _drop(key, (labels + 1) % 10, p, null_label)


def _p_squared(key, labels, p, null_label):
    return _drop(key, labels, p**2, null_label)


def _forwards(key, labels, p, null_label):
    return drop_labels(key, labels, p, null_label)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (_drop, "Correct"),
        (_fixed_key, "Two different keys gave the same mask"),
        (_half_at_p_1, "every label should become"),
        (_class_dependent, "whatever its class"),
        (_float_labels, "integer indices"),
        (_shifted_labels, "no label"),
        (_p_squared, "you dropped 6."),
        (drop_labels, "package's own drop_labels"),
        (_forwards, "package's own drop_labels"),
        (_stub, "Not implemented yet"),
    ],
)
def test_check_drop_labels(answer, message, capsys):
    out = _run(nb10.check_drop_labels, answer, capsys)
    assert message in out and ("Correct" in out) == (message == "Correct"), out


def test_prediction_ddim_spread_verdicts(capsys):
    assert "Make your prediction first" in _run(nb10.check_prediction_ddim_spread, None, capsys)
    assert "prediction must be one of" in _run(nb10.check_prediction_ddim_spread, "smaller", capsys)
    out = _run(nb10.check_prediction_ddim_spread, "Narrower ", capsys)
    assert "(narrower) held" in out and "DDIM's samples are narrower" in out
    anc, ddim = (
        float(v.split()[0]) for v in out.split("ancestral ")[1].split(", DDIM (η = 0) ")[:2]
    )
    assert ddim < 0.25 * anc  # the verdict's threshold is 0.8: a wide margin
    for wrong in ("wider", "about the same"):
        assert "did not hold" in _run(nb10.check_prediction_ddim_spread, wrong, capsys)
