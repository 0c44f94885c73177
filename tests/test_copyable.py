"""A student can copy one core function out of diffusion_lite and run it with only JAX imported.

Each function's source is executed alone in a namespace holding just ``jax`` and ``jax.numpy``;
the copy must give the same numbers as the package.
"""

import inspect
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from diffusion_lite import (
    bayes_grid,
    forward,
    losses,
    metrics2d,
    mixtures,
    ode,
    posterior,
    sampling,
    schedules,
    scores,
)

BETAS = schedules.linear_betas(20, 1e-3, 0.2)
ALPHA_BARS = schedules.alpha_bars_from_betas(BETAS)
X = jnp.linspace(-1.0, 1.0, 6)
EPS = jnp.cos(jnp.arange(6.0))
MIX = mixtures.make_mixture([0.3, 0.7], [-1.0, 1.0], [0.2, 0.3])
GRID = jnp.linspace(-5.0, 5.0, 1001)
LOG_PRIOR = mixtures.mixture_logpdf(GRID, *MIX)
RING = scores.ring_mixture(4, 1.5, 0.2)
X2 = jnp.stack([X, EPS], axis=1)  # [6, 2]

CASES = [
    (schedules.alpha_bars_from_betas, (BETAS,)),
    (schedules.snr, (ALPHA_BARS,)),
    (forward.q_step_mean_var, (X, 3, BETAS)),
    (forward.q_step, (X, 3, EPS, BETAS)),
    (forward.q_chain, (jax.random.key(0), X, BETAS)),
    (forward.q_xt_x0_mean_var, (X, 7, ALPHA_BARS)),
    (forward.q_sample, (X, 7, EPS, ALPHA_BARS)),
    (posterior.posterior_variance, (BETAS,)),
    (posterior.posterior_mean_coef1, (BETAS,)),
    (posterior.posterior_mean_coef2, (BETAS,)),
    (posterior.q_posterior_mean_var, (X, EPS, 5, BETAS)),
    (posterior.predict_x0_from_eps, (X, 5, EPS, ALPHA_BARS)),
    (losses.gaussian_kl, (X, 0.5, EPS, 2.0)),
    (losses.gaussian_log_likelihood, (X, EPS, 0.3)),
    (losses.elbo_weights, (BETAS, BETAS)),
    (losses.eps_loss, (X, EPS)),
    (sampling.p_mean_from_eps, (X, 4, EPS, BETAS)),
    (sampling.ddim_step, (X, 9, 4, EPS, EPS, ALPHA_BARS, 0.5)),
    (mixtures.mixture_logpdf, (X, *MIX)),
    (mixtures.mixture_score, (X, *MIX)),
    (mixtures.mixture_sample, (jax.random.key(1), 5, *MIX)),
    (mixtures.diffuse_mixture, (*MIX, 0.4)),
    (mixtures.mixture_eps_star, (X, 0.4, *MIX)),
    (bayes_grid.grid_posterior, (LOG_PRIOR, GRID, 0.3, 0.1)),
    (bayes_grid.grid_log_posterior, (LOG_PRIOR, GRID, 0.3, 0.1)),
    (bayes_grid.grid_mean_var, (GRID, jnp.exp(LOG_PRIOR))),
    (bayes_grid.kl_to_standard_normal, (LOG_PRIOR, GRID)),
    (bayes_grid.kl_to_moment_matched_gaussian, (GRID, LOG_PRIOR)),
    (scores.diffuse_mixture2d, (*RING, 0.4)),
    (scores.mixture2d_logpdf, (X2, *RING)),
    (scores.mixture2d_score, (X2, *RING)),
    (scores.mixture2d_eps_star, (X2, 0.4, *RING)),
    (scores.mixture2d_sample, (jax.random.key(2), 5, *RING)),
    (scores.langevin_step, (X2, -X2, X2, 0.1)),
    (scores.annealed_langevin, (jax.random.key(3), lambda x, i: -x, X2, jnp.array([0.1, 0.05]), 3)),
    (ode.vp_alpha_bar, (0.3,)),
    (ode.vp_schedule, (10,)),
    (ode.sde_drift_diffusion, (X2, 0.3)),
    (ode.reverse_sde_drift, (X2, 0.3, -X2)),
    (ode.reverse_sde_step, (X2, 0.3, 0.2, -X2, X2)),
    (ode.ode_drift, (X2, 0.3, -X2)),
    (ode.ode_drift_from_eps, (X2, 0.3, X2)),
    (ode.euler_step, (lambda x, s: -x, X2, 0.3, 0.2)),
    (ode.heun_step, (lambda x, s: -x, X2, 0.3, 0.2)),
    (ode.ode_log_likelihood, (lambda x, s: -x * s, X2, jnp.linspace(0.0, 1.0, 4))),
    (metrics2d.mode_shares, (X2, RING[1], RING[2])),
    (metrics2d.sliced_wasserstein, (jax.random.key(4), X2, -X2, 8)),
]


@pytest.mark.parametrize(("fn", "args"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_function_runs_alone_with_only_jax_imported(fn, args):
    namespace = {"jax": jax, "jnp": jnp}
    exec(textwrap.dedent(inspect.getsource(fn)), namespace)  # noqa: S102
    copied = namespace[fn.__name__](*args)
    for got, want in zip(jax.tree.leaves(copied), jax.tree.leaves(fn(*args)), strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
