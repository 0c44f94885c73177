"""Train a small ε-model on toy data with L_simple: one jit-compiled ``lax.scan`` over steps.

The whole training run is a single compiled loop, so a few thousand Adam steps on the
1-D mixture take seconds on a CPU.  Randomness: the batch and the (t, ε) of step i come
from ``jax.random.fold_in(key, i)``.

``eps_fn(x_t, t) -> eps_hat`` is any ε-predictor with ``x_t`` of shape [B, D] and ``t``
an int32 array of shape [B]: an ``MLPEps`` model, or the exact optimum of a mixture
(``mixture_eps_fn``).
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from diffusion_lite.core.forward import q_sample
from diffusion_lite.core.losses import eps_loss
from diffusion_lite.core.schedules import Schedule
from diffusion_lite.toys.mixtures import GaussianMixture, mixture_eps_star

EpsFn = Callable[[jax.Array, jax.Array], jax.Array]


def simple_loss(key, eps_fn: EpsFn, x0, schedule: Schedule):
    """One Monte Carlo estimate of L_simple on a batch (Ho et al. 2020, Algorithm 1).

    Math (Ho et al. 2020 eq. 14):
        L_simple = E_{t ~ U{1..T}, x_0, ε ~ N(0, I)} ‖ε - ε_θ(√ᾱ_t x_0 + √(1-ᾱ_t) ε, t)‖².

    Args:
        key: PRNG key (split into t and ε).
        eps_fn: ε-predictor ``eps_fn(x_t, t)``.
        x0: data batch, shape [B, D].
        schedule: from ``core.schedules.make_schedule``.

    Returns:
        scalar: the mean of (ε - ε̂)² over the batch and the coordinates.
    """
    key_t, key_eps = jax.random.split(key)
    t = jax.random.randint(key_t, (x0.shape[0],), 1, schedule.betas.shape[0])  # [B] in 1..T
    eps = jax.random.normal(key_eps, x0.shape, x0.dtype)
    x_t = q_sample(x0, t, eps, schedule)
    return eps_loss(eps, eps_fn(x_t, t))


def eps_mse_per_t(key, eps_fn: EpsFn, x0, schedule: Schedule, ts):
    """The ε-MSE E ‖ε - ε_θ(x_t, t)‖² (mean over coordinates) at each step in ``ts``.

    Args:
        key: PRNG key; step t draws its ε from ``fold_in(key, t)``.
        eps_fn: ε-predictor ``eps_fn(x_t, t)``.
        x0: data, shape [B, D].
        schedule: from ``core.schedules.make_schedule``.
        ts: steps, int array of shape [S].

    Returns:
        shape [S]: the Monte Carlo ε-MSE at each step.
    """

    def mse_at(t):
        eps = jax.random.normal(jax.random.fold_in(key, t), x0.shape, x0.dtype)
        t_batch = jnp.full((x0.shape[0],), t, dtype=jnp.int32)
        return eps_loss(eps, eps_fn(q_sample(x0, t_batch, eps, schedule), t_batch))

    return jax.lax.map(mse_at, jnp.asarray(ts, dtype=jnp.int32))


def mixture_eps_fn(mixture: GaussianMixture, schedule: Schedule) -> EpsFn:
    """The exact optimal ε*(x_t, t) = E[ε | x_t] of 1-D mixture data, as an ``eps_fn``.

    Takes ``x_t`` of shape [B, 1] and ``t`` of shape [B] (see ``mixtures.mixture_eps_star``).
    """

    def eps_fn(x_t, t):
        return mixture_eps_star(x_t, schedule.alpha_bars[t][:, None], *mixture)

    return eps_fn


def fit_params(
    key,
    graphdef: nnx.GraphDef,
    params: nnx.State,
    x_data,
    schedule: Schedule,
    num_steps: int = 3000,
    batch_size: int = 256,
    learning_rate: float = 1e-2,
):
    """Adam on L_simple as a pure function of the parameters: ``(params, losses)``.

    The learning rate decays from ``learning_rate`` to 0 on a cosine schedule.  The loop is
    ``jax.lax.scan`` over the train step; ``jax.jit`` or ``jax.vmap`` (many seeds at once)
    the whole call.  ``fit`` is the in-place wrapper for one ``nnx`` model.

    Args:
        key: PRNG key; step i uses ``fold_in(key, i)`` for its batch, t and ε.
        graphdef, params: ``nnx.split(model)`` of an ε-model ``model(x_t, t)``.
        x_data: the training set, shape [N, D]; batches are drawn with replacement.
        schedule: from ``core.schedules.make_schedule``.
        num_steps: number of Adam steps, >= 1 (static).
        batch_size: examples per step, >= 1 (static).
        learning_rate: peak learning rate, > 0.

    Returns:
        ``(params, losses)``: trained parameters, and the mini-batch L_simple before each
        update, shape [num_steps].
    """
    if num_steps < 1 or batch_size < 1:
        raise ValueError(f"num_steps and batch_size must be >= 1, got {num_steps}, {batch_size}")
    tx = optax.adam(optax.cosine_decay_schedule(learning_rate, num_steps))

    def loss_fn(params, key_step):
        key_batch, key_loss = jax.random.split(key_step)
        idx = jax.random.randint(key_batch, (batch_size,), 0, x_data.shape[0])
        return simple_loss(key_loss, nnx.merge(graphdef, params), x_data[idx], schedule)

    def train_step(carry, step):
        params, opt_state = carry
        loss, grads = jax.value_and_grad(loss_fn)(params, jax.random.fold_in(key, step))
        updates, opt_state = tx.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), loss

    (params, _), losses = jax.lax.scan(train_step, (params, tx.init(params)), jnp.arange(num_steps))
    return params, losses


_fit_params_jit = jax.jit(fit_params, static_argnums=(1, 5, 6))  # one cache for every ``fit``


def fit(
    key,
    model: nnx.Module,
    x_data,
    schedule: Schedule,
    num_steps: int = 3000,
    batch_size: int = 256,
    learning_rate: float = 1e-2,
):
    """Train ``model`` in place with Adam on L_simple (``fit_params`` under ``jax.jit``).

    Args:
        key: PRNG key; step i uses ``fold_in(key, i)`` for its batch, t and ε.
        model: an ε-model ``model(x_t, t)``, e.g. ``MLPEps``; updated in place.
        x_data: the training set, shape [N, D].
        schedule: from ``core.schedules.make_schedule``.
        num_steps, batch_size, learning_rate: as in ``fit_params``.

    Returns:
        losses, shape [num_steps]: the mini-batch L_simple before each update.
    """
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
    graphdef, params = nnx.split(model)
    params, losses = _fit_params_jit(
        key, graphdef, params, x_data, schedule, num_steps, batch_size, learning_rate
    )
    nnx.update(model, params)
    return losses
