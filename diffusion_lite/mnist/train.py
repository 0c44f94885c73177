"""Train the U-Net ε_θ on MNIST with the simple loss (Ho et al. 2020, Algorithm 1).

One jit-compiled step: draw t ~ U{1..T} and ε ~ N(0, I), form x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε,
descend ∇_θ ‖ε - ε_θ(x_t, t)‖² with AdamW (warm-up, gradient clipping), update the EMA
weights.  Batches are split over every device along a 'data' mesh axis; parameters are
replicated.  Every random draw comes from ``fold_in(key, step)``, and the data order from
``fold_in(key, epoch)``, so a resumed run repeats exactly what an uninterrupted one does.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from tqdm import tqdm

from diffusion_lite.core import schedules
from diffusion_lite.core.forward import q_sample
from diffusion_lite.core.guidance import drop_labels
from diffusion_lite.core.losses import weighted_eps_loss
from diffusion_lite.mnist.checkpoint import copy_checkpoint, save_checkpoint
from diffusion_lite.mnist.config import PRESETS, Schedule, TrainConfig, check_fit_arguments
from diffusion_lite.mnist.generate import ClipX0, Sampler, generate
from diffusion_lite.mnist.run_dir import CHECKPOINT_NAME, LOG_NAME, start_run
from diffusion_lite.mnist.sharding import data_mesh, replicate, shard_batch
from diffusion_lite.models.unet import UNet
from diffusion_lite.plots.images import save_grid

__all__ = [
    "CHECKPOINT_NAME", "PRESETS", "Schedule", "TrainConfig", "fit", "make_optimizer", "make_train_step",
]  # fmt: skip


def make_optimizer(config: TrainConfig) -> optax.GradientTransformation:
    """Clip the global gradient norm, then AdamW with linear warm-up and cosine decay to 10 %.

    Configs that differ only in what the optimizer does not read (logging, sampling,
    checkpoints) get the same object, so they share one compiled train step.
    """
    return _optimizer(config.learning_rate, config.warmup_steps, config.steps, config.grad_clip,
                      config.weight_decay)  # fmt: skip


@functools.cache  # one object per hyper-parameter set: nnx.jit keys its cache on it
def _optimizer(learning_rate, warmup_steps, steps, grad_clip, weight_decay):
    lr = optax.warmup_cosine_decay_schedule(
        0.0, learning_rate, warmup_steps, max(steps, warmup_steps + 1),
        end_value=0.1 * learning_rate,
    )  # fmt: skip
    return optax.chain(
        optax.clip_by_global_norm(grad_clip), optax.adamw(lr, weight_decay=weight_decay)
    )


def update_ema(ema: nnx.Module, model: nnx.Module, decay) -> None:
    """θ_ema ← decay · θ_ema + (1 - decay) · θ, for every parameter (Polyak averaging)."""
    ema_params, params = nnx.state(ema, nnx.Param), nnx.state(model, nnx.Param)
    nnx.update(ema, jax.tree.map(lambda e, p: decay * e + (1 - decay) * p, ema_params, params))


@nnx.jit
def train_step(
    model: UNet, optimizer: nnx.Optimizer, ema: UNet, x0, key, schedule, ema_decay, loss_weights,
    labels=None, label_dropout=0.0,
):  # fmt: skip
    """One step of Algorithm 1 on a batch x0 [B, 28, 28, 1]; updates model, optimizer, ema in place.

    ``loss_weights`` [T + 1] weighs each example's ‖ε - ε_θ(x_t, t)‖² by w[t] (all ones:
    L_simple).  A conditional model also gets ``labels`` [B], each replaced by ∅ with
    probability ``label_dropout`` (its key: ``fold_in(key, 2)``), so that one network
    learns ε_θ(x_t, t, y) and ε_θ(x_t, t, ∅).  Returns the batch's weighted loss.
    """
    T = schedule.betas.shape[0] - 1
    key_t, key_eps = jax.random.split(key)
    t = jax.random.randint(key_t, (x0.shape[0],), 1, T + 1)  # t ~ U{1..T}, [B]
    eps = jax.random.normal(key_eps, x0.shape)  # ε ~ N(0, I), [B, 28, 28, 1]
    x_t = q_sample(x0, t, eps, schedule)
    y = None
    if labels is not None:
        null = model.config.num_classes
        y = drop_labels(jax.random.fold_in(key, 2), labels, label_dropout, null)

    def loss_fn(model):
        eps_hat = model(x_t, t) if y is None else model(x_t, t, y)
        return weighted_eps_loss(eps, eps_hat, loss_weights[t])

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    # EMA warm-up: decay min(ema_decay, (1+n)/(10+n)) after n steps, so that the average
    # does not keep the random initial weights for thousands of steps.
    n = optimizer.step[...].astype(jnp.float32)
    update_ema(ema, model, jnp.minimum(ema_decay, (1.0 + n) / (10.0 + n)))
    return loss


def make_train_step(
    schedule: schedules.Schedule,
    ema_decay: float,
    loss_weights: jax.Array | None = None,
    label_dropout: float = 0.0,
):
    """``step(model, optimizer, ema, x0, key) -> loss``: ``train_step`` with the schedule bound.

    ``loss_weights`` defaults to all ones (L_simple); pass ``config.loss_weights()``.  For a
    conditional model call ``step(..., labels=y)``; ``label_dropout`` is P(y → ∅).

    Example (what ``fit`` does, minus data order, sharding and checkpoints)::

        config = PRESETS["quick-cpu"]
        model = init_unet(config.model, config.seed)
        ema = nnx.clone(model)
        optimizer = nnx.Optimizer(model, make_optimizer(config), wrt=nnx.Param)
        step = make_train_step(config.noise_schedule(), config.ema_decay, config.loss_weights())
        loss = step(model, optimizer, ema, x0, jax.random.fold_in(key, i))  # x0 [B, 28, 28, 1]
    """
    weights = jnp.ones_like(schedule.betas) if loss_weights is None else jnp.asarray(loss_weights)
    return functools.partial(train_step, schedule=schedule, ema_decay=ema_decay,
                             loss_weights=weights, label_dropout=label_dropout)  # fmt: skip


_permutation = jax.jit(jax.random.permutation, static_argnums=1)  # compiled once per N


def epoch_order(key, epoch: int, num_examples: int) -> np.ndarray:
    """The data order of epoch e: a permutation of 0..N-1 drawn from fold_in(key, e)."""
    return np.asarray(_permutation(jax.random.fold_in(key, epoch), num_examples))


def batch_indices(key, step: int, num_examples: int, batch_size: int) -> np.ndarray:
    """Indices of batch ``step``: epoch e = step // (N // B) walks ``epoch_order(key, e, N)``."""
    epoch, i = divmod(step, num_examples // batch_size)
    return epoch_order(key, epoch, num_examples)[i * batch_size : (i + 1) * batch_size]


def batches(key, start: int, num_examples: int, batch_size: int):
    """``batch_indices(key, step, ...)`` for step = start, start + 1, ... (endless).

    The same indices, but each epoch's permutation is drawn once, not once per step
    (for N = 60,000 a permutation costs tens of milliseconds).
    """
    per_epoch = num_examples // batch_size
    step = start
    while True:
        epoch, i = divmod(step, per_epoch)
        perm = epoch_order(key, epoch, num_examples)
        for j in range(i, per_epoch):
            yield perm[j * batch_size : (j + 1) * batch_size]
        step = (epoch + 1) * per_epoch


def fit(
    config: TrainConfig,
    images: np.ndarray,
    out_dir: str | Path,
    *,
    resume: bool = False,
    stop_after: int | None = None,
    progress: bool = True,
    keep_every: int = 0,
    labels: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Train (or resume) a run in ``out_dir``: checkpoint.msgpack, samples/step_NNNNNN.png, log.csv.

    log.csv has a row at every ``log_every``-th step, every checkpoint and the session's
    end: step, mean loss since the previous row, images/s, UTC time (so a run's minutes to
    any step can be read off).  A run killed at any moment and resumed has the same rows.

    Args:
        config: the run's configuration (must equal the checkpoint's when resuming).
        images: training data x_0, float32 [N, 28, 28, 1] in [-1, 1].
        out_dir: directory for the run's files.
        resume: continue from ``out_dir/checkpoint.msgpack``.
        stop_after: end this session after that many steps in total (checkpoint written).
        progress: show a tqdm progress bar.
        keep_every: also keep the checkpoint as ``out_dir/step_NNNNNN.msgpack`` every that
            many steps (0 = never): points of a quality curve.  I/O only.
        labels: int [N], the class of each image: required for a conditional model
            (``config.model.num_classes > 0``), refused for an unconditional one.

    Returns:
        ``(step, mean loss)`` for each log row of this session.
    """
    check_fit_arguments(config, images.shape[0], stop_after, keep_every, labels)
    out_dir = Path(out_dir)
    model, ema, optimizer, key, start = start_run(config, out_dir, resume, make_optimizer(config))
    mesh = data_mesh()
    for node in (model, ema, optimizer):
        replicate(node, mesh)
    schedule = config.noise_schedule()
    step_fn = make_train_step(
        schedule, config.ema_decay, config.loss_weights(), config.label_dropout
    )
    cond = {} if labels is None else {"labels": np.asarray(labels, np.int32)}
    data_key, step_key, sample_key = jax.random.split(key, 3)
    end = config.steps if stop_after is None else min(stop_after, config.steps)
    log, pending = [], []
    bar = tqdm(range(start, end), initial=start, total=config.steps, disable=not progress)
    tic, tic_step = time.perf_counter(), start
    order = batches(data_key, start, images.shape[0], config.batch_size)
    for step, idx in zip(bar, order, strict=False):  # order is endless
        y = {k: shard_batch(v[idx], mesh) for k, v in cond.items()}  # {} or {"labels": y}
        pending.append(step_fn(model, optimizer, ema, shard_batch(images[idx], mesh),
                               jax.random.fold_in(step_key, step), **y))  # fmt: skip
        done = step + 1
        if done == start + 1 and done % config.log_every:  # keep compilation out of img/s
            jax.block_until_ready(pending[-1])
            tic, tic_step = time.perf_counter(), done
        keep = keep_every and done % keep_every == 0
        save = (config.checkpoint_every and done % config.checkpoint_every == 0) or done == end
        if done % config.log_every == 0 or save or keep:
            loss = float(np.mean(jax.device_get(pending)))
            rate = (done - tic_step) * config.batch_size / (time.perf_counter() - tic)
            bar.set_postfix(loss=f"{loss:.4f}", img_per_s=f"{rate:.0f}")
            log.append((done, loss))
            with open(out_dir / LOG_NAME, "a") as f:
                f.write(f"{done},{loss:.6f},{rate:.1f},{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}\n")
            pending, tic, tic_step = [], time.perf_counter(), done
        if config.sample_every and (done % config.sample_every == 0 or done == config.steps):
            grid_labels = jnp.arange(64) % 10 if cond else None  # conditional: digits 0..9
            x = generate(ClipX0(ema, config), sample_key, schedule, Sampler.DDIM, 64,
                         config.sample_steps, labels=grid_labels)  # fmt: skip
            save_grid(out_dir / "samples" / f"step_{done:06d}.png", x)
        if save or keep:
            save_checkpoint(out_dir / CHECKPOINT_NAME, model=model, ema=ema, optimizer=optimizer,
                            step=done, key=key, config=config.to_dict())  # fmt: skip
        if keep:
            copy_checkpoint(out_dir / CHECKPOINT_NAME, out_dir / f"step_{done:06d}.msgpack")
    bar.close()
    return log
