"""A labelled 1-D mixture where guidance can be computed exactly (notebook 10).

Class y has data p(x | y) = N(μ_y, s_y²), the classes are equally likely, and
p(x) = Σ_y p(y) p(x | y).  Every diffused density q_t(x | y), q_t(x) is again a mixture
(``mixtures.diffuse_mixture``), so the conditional and unconditional ε* are exact, and so
is the **tilted** (tempered) density that guidance with scale w aims at:

    p_w(x | y) ∝ p(x | y) p(y | x)^w,     p(y | x) = p(y) p(x | y) / p(x)    (Bayes).
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from diffusion_lite.core import sampling
from diffusion_lite.core.guidance import guided_eps
from diffusion_lite.core.schedules import Schedule
from diffusion_lite.toys.mixtures import GaussianMixture, make_mixture, mixture_logpdf
from diffusion_lite.toys.toy_training import mixture_eps_fn


def labelled_mixture(means, stds) -> GaussianMixture:
    """The data p(x) of K equally likely classes, class k = component k."""
    k = len(means)
    return make_mixture([1.0 / k] * k, means, stds)


def class_mixture(data, y: int) -> GaussianMixture:
    """p(x | y): component y of ``data`` = (weights, means, stds) alone (weight 1)."""
    _, means, stds = data
    if not 0 <= y < len(means):
        raise ValueError(f"y must lie in 0..{len(means) - 1}, got {y}")
    return GaussianMixture(jnp.ones(1), means[y : y + 1], stds[y : y + 1])


def log_class_posterior(x, data):
    """log p(y | x) for every class, shape [..., K] (Bayes' rule on the exact densities).

    ``data`` = (weights, means, stds); a diffused mixture gives log q_t(y | x_t).
    """
    weights = data[0]
    log_joint = jnp.stack(
        [jnp.log(weights[k]) + mixture_logpdf(x, *class_mixture(data, k))
         for k in range(len(weights))], axis=-1,
    )  # fmt: skip
    return log_joint - jax.nn.logsumexp(log_joint, axis=-1, keepdims=True)


def tilted_density(grid, data: GaussianMixture, y: int, w: float):
    """p_w(x | y) ∝ p(x | y) p(y | x)^w on an even ``grid``, normalised to integrate to 1."""
    log_p = (
        mixture_logpdf(grid, *class_mixture(data, y)) + w * log_class_posterior(grid, data)[..., y]
    )
    p = jnp.exp(log_p - jnp.max(log_p))
    return p / (jnp.sum(p) * (grid[1] - grid[0]))


@partial(jax.jit, static_argnames=("y", "n", "ddim_steps"))
def sample_guided(key, data: GaussianMixture, y: int, w, schedule: Schedule, n: int,
                  ddim_steps: int = 0):  # fmt: skip
    """n samples of class y with the exact guided ε̃ = (1 + w) ε*(x_t | y) - w ε*(x_t).

    ``ddim_steps = 0``: the ancestral sampler over all T steps; else deterministic DDIM
    (η = 0) with that many steps.  ``w`` is traced: every scale shares one compilation.
    Returns shape [n].
    """
    eps_cond = mixture_eps_fn(class_mixture(data, y), schedule)
    eps_uncond = mixture_eps_fn(data, schedule)

    def eps_fn(x_t, t):
        return guided_eps(eps_cond(x_t, t), eps_uncond(x_t, t), w)

    if ddim_steps:
        return sampling.ddim_sample(key, eps_fn, (n, 1), schedule, ddim_steps)[:, 0]
    return sampling.ancestral_sample(key, eps_fn, (n, 1), schedule)[:, 0]
