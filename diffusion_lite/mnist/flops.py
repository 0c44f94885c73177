"""Floating-point operations per image, counted by XLA's cost analysis of the lowered program."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from diffusion_lite.models.unet import count_params


def program_flops(fn, *args) -> float:
    """FLOPs of one call ``fn(*args)`` as counted by XLA (``jax.jit(fn).lower(*args).cost_analysis()``).

    ``args`` may be arrays or ``jax.ShapeDtypeStruct``; nothing is compiled or run.
    """
    cost = jax.jit(fn).lower(*args).cost_analysis()
    cost = cost[0] if isinstance(cost, list | tuple) else cost  # older jax returns a list
    return float(cost["flops"])


def forward_flops_per_image(model: nnx.Module, batch_size: int = 8) -> float:
    """FLOPs of one evaluation ε_θ(x_t, t) per image (a multiply-add counts as 2)."""
    graphdef, state = nnx.split(model)
    x_t = jax.ShapeDtypeStruct((batch_size, 28, 28, model.config.image_channels), jnp.float32)
    t = jax.ShapeDtypeStruct((batch_size,), jnp.int32)
    return program_flops(lambda s, x, t: nnx.merge(graphdef, s)(x, t), state, x_t, t) / batch_size


def train_flops_per_image(model: nnx.Module, batch_size: int = 8) -> float:
    """FLOPs of the loss and its gradient per image (forward + backward, no optimizer update)."""
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    x_t = jax.ShapeDtypeStruct((batch_size, 28, 28, model.config.image_channels), jnp.float32)
    t = jax.ShapeDtypeStruct((batch_size,), jnp.int32)

    def loss(params, x, t):
        return jnp.mean((nnx.merge(graphdef, params, rest)(x, t) - x) ** 2)

    return program_flops(jax.grad(loss), params, x_t, t) / batch_size


def describe_model(model: nnx.Module) -> str:
    """The U-Net's parameter count and FLOPs per image (XLA cost analysis), one line."""
    return (
        f"U-Net: {count_params(model):,} parameters; "
        f"{forward_flops_per_image(model) / 1e9:.3f} GFLOP/image forward, "
        f"{train_flops_per_image(model) / 1e9:.3f} GFLOP/image forward+backward (XLA cost analysis)"
    )
