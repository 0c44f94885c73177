"""Checkpoints: one msgpack file (no pickle) holding model, EMA, optimizer state, step, key, config.

Layout of the file: an outer msgpack map ``{"format", "sha256", "payload"}`` whose payload
is the msgpack of ``{"step", "key", "config", "model", "ema", "optimizer"}``; the three
states are ``nnx.to_pure_dict`` trees with string keys (flax 0.11 cannot restore integer
keys).  The sha256 of the payload catches truncated or bit-flipped files.  Files are
written to a temporary file in the same directory and renamed over the target only once
complete, so a crash or an error never leaves a half-written or overwritten checkpoint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx, serialization

FORMAT = "diffusion_lite.checkpoint/1"


class CheckpointError(ValueError):
    """The file is not a readable diffusion_lite checkpoint, or does not fit the model."""


@dataclasses.dataclass
class Checkpoint:
    """The contents of a checkpoint file (states as pure dicts of NumPy arrays)."""

    step: int
    key: jax.Array  # typed PRNG key
    config: dict[str, Any]
    model: dict
    ema: dict
    optimizer: dict

    @property
    def weights_only(self) -> bool:
        """True for a file written by ``export_ema``: EMA weights only, nothing to resume."""
        return not self.model and not self.optimizer


def _stringify_keys(tree):
    """Pure dict with every key a string (list indices 0, 1, … become "0", "1", …)."""
    if isinstance(tree, dict):
        return {str(k): _stringify_keys(v) for k, v in tree.items()}
    return np.asarray(tree)


def _pure_state(node: nnx.Module | nnx.Optimizer) -> dict:
    return _stringify_keys(nnx.to_pure_dict(nnx.state(node)))


def save_checkpoint(
    path: str | Path,
    *,
    model: nnx.Module | None,
    ema: nnx.Module,
    optimizer: nnx.Optimizer | None,
    step: int,
    key: jax.Array,
    config: dict[str, Any],
) -> Path:
    """Write a checkpoint atomically (temporary file + ``os.replace``); returns the path.

    ``model=None, optimizer=None`` writes the EMA weights alone (see ``export_ema``).
    """
    pure = {k: {} if v is None else _pure_state(v) for k, v in
            dict(model=model, ema=ema, optimizer=optimizer).items()}  # fmt: skip
    return _write(Path(path), step, key, config, **pure)


def _write(path: Path, step: int, key: jax.Array, config: dict, **states: dict) -> Path:
    """msgpack the payload, wrap it with its sha256, write it atomically."""
    payload = serialization.msgpack_serialize(
        {
            "step": int(step),
            "key": np.asarray(jax.random.key_data(key)),
            "key_impl": str(jax.random.key_impl(key)),
            "config": json.dumps(config, sort_keys=True),
            **states,  # model, ema, optimizer
        }
    )
    return _write_atomically(path, payload)


def _write_atomically(path: Path, payload: bytes) -> Path:
    blob = serialization.msgpack_serialize(
        {"format": FORMAT, "sha256": hashlib.sha256(payload).hexdigest(), "payload": payload}
    )
    return _replace_atomically(path, blob)


def _replace_atomically(path: Path, blob: bytes) -> Path:
    """Write ``blob`` to ``path`` whole or not at all (temporary file + ``os.replace``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Read and verify a checkpoint file.

    Raises:
        FileNotFoundError: no such file.
        CheckpointError: not a diffusion_lite checkpoint, truncated or corrupt.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {path}")
    advice = "it is truncated or corrupt; use another checkpoint or train again"
    try:
        outer = serialization.msgpack_restore(path.read_bytes())
    except Exception as err:  # msgpack raises several unrelated exception types
        raise CheckpointError(f"{path}: not a diffusion_lite checkpoint ({err}); {advice}") from err
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise CheckpointError(
            f"{path}: not a diffusion_lite checkpoint (format {FORMAT!r} expected)"
        )
    payload = outer.get("payload", b"")
    if hashlib.sha256(payload).hexdigest() != outer.get("sha256"):
        raise CheckpointError(f"{path}: checksum mismatch; {advice}")
    data = serialization.msgpack_restore(payload)
    key = jax.random.wrap_key_data(data["key"], impl=data["key_impl"])
    return Checkpoint(
        step=int(data["step"]),
        key=key,
        config=json.loads(data["config"]),
        model=data["model"],
        ema=data["ema"],
        optimizer=data["optimizer"],
    )


def copy_checkpoint(src: str | Path, dst: str | Path) -> Path:
    """Copy a checkpoint file byte for byte, atomically (a kept step of a run)."""
    return _replace_atomically(Path(dst), Path(src).read_bytes())


def export_ema(src: str | Path, dst: str | Path, half: bool = False) -> Path:
    """Copy a training checkpoint's EMA weights, step, key and config to ``dst`` (same format).

    A quarter of the size (no raw weights, no Adam moments): what sampling and ``eval``
    need, and what the package ships.  Such a file cannot be resumed.  ``half=True`` stores
    float32 weights as float16 (an eighth of the size; relative rounding error ≤ 2⁻¹¹);
    ``restore_state`` widens them back to float32.
    """
    ckpt = load_checkpoint(src)
    ema = ckpt.ema
    if half:
        ema = jax.tree.map(lambda a: a.astype(np.float16) if a.dtype == np.float32 else a, ema)
    return _write(Path(dst), ckpt.step, ckpt.key, ckpt.config, model={}, ema=ema, optimizer={})


def _match(template, loaded, where: str):
    """Rebuild ``loaded`` with the template's keys (ints where the template has ints)."""
    if isinstance(template, dict):
        if not isinstance(loaded, dict) or {str(k) for k in template} != set(loaded):
            raise CheckpointError(f"checkpoint does not fit the model at {where or 'top level'}")
        return {k: _match(v, loaded[str(k)], f"{where}/{k}") for k, v in template.items()}
    loaded = np.asarray(loaded)
    if loaded.dtype == np.float16 and template.dtype == np.float32:  # export_ema(half=True)
        loaded = loaded.astype(np.float32)
    if template.shape != loaded.shape or template.dtype != loaded.dtype:
        raise CheckpointError(
            f"checkpoint does not fit the model at {where}: expected "
            f"{template.shape} {template.dtype}, got {loaded.shape} {loaded.dtype}"
        )
    return jnp.asarray(loaded)


def restore_state(node: nnx.Module | nnx.Optimizer, pure: dict) -> None:
    """Copy a pure-dict state from a checkpoint into ``node`` in place, checking every shape."""
    state = nnx.state(node)
    template = nnx.to_pure_dict(state)
    nnx.replace_by_pure_dict(state, _match(template, pure, ""))
    nnx.update(node, state)
