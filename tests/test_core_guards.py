"""Bad input to the public core functions: a ValueError naming the argument and the allowed range.

One case per row (issue 16's list).  Under ``jit`` the dtype and shape of t are still checked,
its values are not (documented in ``schedules.check_t``): the last two tests pin that down.
"""

import jax
import jax.numpy as jnp
import pytest

from diffusion_lite.core import elbo, forward, guidance, losses, posterior, sampling, schedules

S = schedules.make_schedule(schedules.linear_betas(20, 1e-3, 0.2))
X = jnp.zeros((4, 2))
E = jnp.zeros((4, 2))

CASES = {
    "t = 0": (lambda: forward.q_sample(X, 0, E, S), r"t must lie in 1..T = 1..20, got 0"),
    "t > T": (lambda: sampling.p_mean_from_eps(X, 21, E, S), r"t must lie in 1..T = 1..20, got 21"),
    "t < 0": (lambda: posterior.predict_x0_from_eps(X, -1, E, S), r"t must lie in 1..T = 1..20"),
    "t = 0 in a batch": (
        lambda: sampling.p_sample_step(X, jnp.array([1, 0, 2, 3]), E, E, S),
        r"t must lie in 1..T = 1..20",
    ),
    "float t": (lambda: forward.q_sample(X, 3.0, E, S), r"t must be an integer in 1..T = 1..20"),
    "float t array": (
        lambda: forward.q_xt_x0_mean_var(X, jnp.array([1.0, 2.0, 3.0, 4.0]), S),
        r"t must be an integer in 1..T = 1..20, got dtype float32",
    ),
    "bool t": (lambda: forward.q_step(X, True, E, S), r"t must be an integer in 1..T"),
    "t of the wrong batch length": (
        lambda: posterior.q_posterior_mean_var(X, X, jnp.array([1, 2, 3]), S),
        r"t must be a scalar or of shape \[B\] = \[4\], got \(3,\)",
    ),
    "t of rank 2": (
        lambda: forward.q_step_mean_var(X, jnp.ones((4, 1), jnp.int32), S),
        r"t must be a scalar or of shape \[B\] = \[4\], got \(4, 1\)",
    ),
    "t = 1 in the ELBO's diffusion term": (
        lambda: elbo.diffusion_term(X, 1, E, E, S),
        r"t must lie in 2..T = 2..20, got 1",
    ),
    "t_prev = -1": (
        lambda: sampling.ddim_step(X, 5, -1, E, E, S),
        r"t_prev must lie in 0..T = 0..20, got -1",
    ),
    "t_prev > t": (
        lambda: sampling.ddim_step(X, 5, 7, E, E, S),
        r"t_prev must lie in 0..t - 1, got t_prev = 7, t = 5",
    ),
    "t_prev = t": (lambda: sampling.ddim_step(X, 5, 5, E, E, S), r"t_prev must lie in 0..t - 1"),
    "float t_prev": (
        lambda: sampling.ddim_step(X, 5, 2.0, E, E, S),
        r"t_prev must be an integer in 0..T = 0..20",
    ),
    "eta < 0 (step)": (
        lambda: sampling.ddim_step(X, 5, 4, E, E, S, eta=-0.1),
        r"eta must be >= 0 \(a number, not NaN\), got -0.1",
    ),
    "eta = NaN (step)": (
        lambda: sampling.ddim_step(X, 5, 4, E, E, S, eta=float("nan")),
        r"eta must be >= 0 \(a number, not NaN\), got nan",
    ),
    "eta < 0 (sampler)": (
        lambda: sampling.ddim_sample(jax.random.key(0), lambda x, t: x, (2, 1), S, 5, eta=-1.0),
        r"eta must be >= 0",
    ),
    "num_steps > T": (
        lambda: sampling.ddim_timesteps(20, 21),
        r"num_steps must be an integer in 1..T = 1..20",
    ),
    "num_steps = 0": (
        lambda: sampling.ddim_timesteps(20, 0),
        r"num_steps must be an integer in 1..T",
    ),
    "variance not a Variance": (
        lambda: sampling.reverse_variances(S, "beta"),
        r"variance must be Variance.BETA or Variance.BETA_TILDE",
    ),
    "eps of another shape": (
        lambda: forward.q_sample(X, 3, jnp.zeros(4), S),
        r"eps must have the shape of x0 \(4, 2\)",
    ),
    "betas above 1": (
        lambda: schedules.make_schedule([0.0, 0.1, 1.5]),
        r"betas\[2\] = 1.5 is outside the allowed range 0 < beta_t < 1",
    ),
    "betas giving negative alpha_bars": (
        lambda: schedules.make_schedule([0.0, 1.5, -0.2]),
        r"betas\[1\] = 1.5 is outside the allowed range 0 < beta_t < 1",
    ),
    "betas[0] not 0": (lambda: schedules.make_schedule([0.1, 0.2]), r"betas\[0\] must be 0"),
    "integer dtype (linear)": (
        lambda: schedules.linear_betas(10, dtype=jnp.int32),
        r"dtype must be a floating dtype",
    ),
    "integer dtype (cosine)": (
        lambda: schedules.cosine_betas(10, dtype=jnp.int32),
        r"dtype must be a floating dtype",
    ),
    "cosine s = inf": (
        lambda: schedules.cosine_betas(10, s=float("inf")),
        r"s = inf is outside the allowed range 0 <= s < inf",
    ),
    "T not an integer": (
        lambda: schedules.linear_betas(10.5),
        r"T must be an integer >= 1, got 10.5",
    ),
    "gamma <= 0": (
        lambda: losses.min_snr_weights(S, 0.0),
        r"gamma must be > 0",
    ),
    # guidance.py
    "label dropout p > 1": (
        lambda: guidance.drop_labels(jax.random.key(0), jnp.arange(4), 1.5, 10),
        r"p must lie in \[0, 1\], got 1.5",
    ),
    "label above the null class": (
        lambda: guidance.drop_labels(jax.random.key(0), jnp.array([0, 11]), 0.1, 10),
        r"labels must lie in 0..10 \(null_label = ∅\), got 0..11",
    ),
    "negative label": (
        lambda: guidance.cfg_eps(
            lambda x, t, y: x, X, jnp.ones(4, int), jnp.array([0, -1, 2, 3]), 1.0, 10
        ),
        r"labels must lie in 0..10",
    ),
    "float labels": (
        lambda: guidance.drop_labels(jax.random.key(0), jnp.array([0.0, 1.0]), 0.1, 10),
        r"labels must be integers in 0..10, got float32",
    ),
    "labels of the wrong batch length": (
        lambda: guidance.cfg_eps(lambda x, t, y: x, X, jnp.ones(4, int), jnp.arange(3), 1.0, 10),
        r"labels must have shape \(4,\) \(one per image\), got \(3,\)",
    ),
    "guidance w < 0": (
        lambda: guidance.guided_eps(E, E, -0.5),
        r"w must be >= 0 \(0 = no guidance\), got -0.5",
    ),
    "guidance w = nan": (lambda: guidance.guided_eps(E, E, float("nan")), r"w must be >= 0"),
    "eps_uncond of another shape": (
        lambda: guidance.guided_eps(E, E[:2], 1.0),
        r"eps_uncond must have the shape of eps_cond \(4, 2\), got \(2, 2\)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_raises_a_value_error_naming_the_argument_and_range(case):
    call, message = CASES[case]
    with pytest.raises(ValueError, match=message):
        call()


def test_under_jit_the_dtype_and_shape_of_t_are_still_checked():
    with pytest.raises(ValueError, match=r"t must be an integer in 1..T"):
        jax.jit(lambda t: forward.q_sample(X, t, E, S))(3.0)
    with pytest.raises(ValueError, match=r"t must be a scalar or of shape \[B\] = \[4\]"):
        jax.jit(lambda t: forward.q_sample(X, t, E, S))(jnp.array([1, 2, 3]))


def test_under_jit_values_of_t_are_not_checked_and_jax_clamps_the_index():
    """Documented limit (schedules.check_t): a traced t = 25 silently reads step T = 20."""
    x0, eps = jnp.ones(3), jnp.zeros(3)
    got = jax.jit(lambda t: forward.q_sample(x0, t, eps, S))(25)
    assert jnp.allclose(got, forward.q_sample(x0, 20, eps, S))
