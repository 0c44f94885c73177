"""Data parallelism over every device: a 1-D 'data' mesh, replicated state, sharded batches.

The same code runs on one CPU, on several GPUs or on a TPU slice: parameters live on every
device, each batch is split along its leading axis, and XLA inserts the gradient all-reduce.
"""

from __future__ import annotations

import jax
import numpy as np
from flax import nnx
from jax.sharding import Mesh, NamedSharding, PartitionSpec


def data_mesh(devices=None) -> Mesh:
    """A 1-D mesh over all (or the given) devices with the axis name 'data'."""
    return Mesh(np.array(jax.devices() if devices is None else devices), ("data",))


def replicate(node, mesh: Mesh) -> None:
    """Place every array of an NNX object on all devices of ``mesh`` (in place)."""
    state = nnx.state(node)
    nnx.update(node, jax.device_put(state, NamedSharding(mesh, PartitionSpec())))


def shard_batch(x, mesh: Mesh) -> jax.Array:
    """Split the leading (batch) axis of ``x`` over the mesh's 'data' axis."""
    return jax.device_put(x, NamedSharding(mesh, PartitionSpec("data")))
