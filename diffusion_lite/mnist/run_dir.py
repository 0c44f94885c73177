"""A training run's directory: its checkpoint and log.csv, started afresh or resumed.

    out_dir/checkpoint.msgpack   model, EMA, optimizer, step, key, config (checkpoint.py)
    out_dir/log.csv              step,loss,images_per_s,utc: one row per log interval
A fresh run writes its step-0 checkpoint first, so a kill at any later moment leaves a run
that ``--resume`` continues; resuming drops the log rows written after the checkpoint.
"""

from __future__ import annotations

from pathlib import Path

import jax
import optax
from flax import nnx

from diffusion_lite.mnist.checkpoint import (
    CheckpointError,
    Weights,
    build_unet,
    load_checkpoint,
    restore_state,
    save_checkpoint,
    write_atomically,
)
from diffusion_lite.mnist.config import TrainConfig
from diffusion_lite.models.unet import init_unet

CHECKPOINT_NAME = "checkpoint.msgpack"
LOG_NAME = "log.csv"
LOG_HEADER = "step,loss,images_per_s,utc"  # utc: when the row was written


def truncate_log(log_csv: Path, step: int) -> None:
    """Keep log.csv's rows up to ``step`` (the checkpoint's): drops rows written after it and a torn line."""
    lines = log_csv.read_text().splitlines() if log_csv.exists() else []
    rows = [r for r in lines[1:] if len(f := r.split(",")) in (3, 4) and f[0].isdigit()
            and int(f[0]) <= step and all(f)]  # fmt: skip
    text = "\n".join([LOG_HEADER, *rows]) + "\n"
    if not log_csv.exists() or log_csv.read_text() != text:
        write_atomically(log_csv, text.encode())


def start_run(config: TrainConfig, out_dir: Path, resume: bool, tx: optax.GradientTransformation):
    """``(model, ema, optimizer, key, step)`` of a fresh run, or of the one in ``out_dir``.

    A fresh run writes its step-0 checkpoint and log.csv header at once, so that a kill at
    any later moment leaves a run that ``resume`` continues; resuming drops the log rows
    written after the checkpoint, so log.csv never repeats a step.
    """
    ckpt_path, log_csv = out_dir / CHECKPOINT_NAME, out_dir / LOG_NAME
    if resume:
        ckpt = load_checkpoint(ckpt_path)
        if ckpt.weights_only:
            raise CheckpointError(
                f"{ckpt_path} holds exported EMA weights only (no raw weights or optimizer "
                "state): resume from the run's training checkpoint instead"
            )
        if ckpt.train_config() != config:
            raise ValueError(f"{ckpt_path} was trained with another configuration: {ckpt.config}")
        model, ema = build_unet(ckpt, Weights.RAW), build_unet(ckpt, Weights.EMA)
        optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
        restore_state(optimizer, ckpt.optimizer)
        truncate_log(log_csv, ckpt.step)
        return model, ema, optimizer, ckpt.key, ckpt.step
    if ckpt_path.exists():
        raise FileExistsError(f"{ckpt_path} exists: resume it (--resume) or choose another output")
    if log_csv.exists():
        raise FileExistsError(f"{log_csv} exists without {CHECKPOINT_NAME} (a run's log): "
                              "delete it or choose another output")  # fmt: skip
    model = init_unet(config.model, config.seed)
    ema, key = nnx.clone(model), jax.random.key(config.seed)
    optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
    save_checkpoint(ckpt_path, model=model, ema=ema, optimizer=optimizer, step=0, key=key,
                    config=config.to_dict())  # fmt: skip
    write_atomically(log_csv, (LOG_HEADER + "\n").encode())
    return model, ema, optimizer, key, 0
