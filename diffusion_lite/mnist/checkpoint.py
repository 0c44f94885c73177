"""Checkpoints: one msgpack file (no pickle) per denoiser run or classifier, with a sha256.

Layout of every file: an outer msgpack map ``{"format", "sha256", "payload"}`` whose
payload is the msgpack of ``{"kind", ...}``: a *denoiser* holds ``step, key, config,
model, ema, optimizer`` (``nnx.to_pure_dict`` trees with string keys: flax 0.11 cannot
restore integer keys), a *classifier* its ``params``.  The sha256 of the payload catches
truncated or bit-flipped files; ``kind`` catches a classifier passed as a denoiser and the
reverse.  Every file of the package is written by ``write_atomically`` (temporary file +
rename), so a crash or an error never leaves a half-written or overwritten file.
"""

from __future__ import annotations

import dataclasses
import enum
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

from diffusion_lite.mnist.config import TrainConfig
from diffusion_lite.models.unet import UNet

FORMAT = "diffusion_lite.checkpoint/1"


class CheckpointError(ValueError):
    """The file is not a readable diffusion_lite checkpoint, or does not fit the model."""


class Kind(enum.Enum):
    """What a checkpoint file holds (files written before this field are denoisers)."""

    DENOISER = "denoiser"  # a U-Net training run, or its exported EMA weights
    CLASSIFIER = "classifier"  # the judge of `eval`


class Weights(enum.Enum):
    """Which weights of a denoiser checkpoint to build a U-Net from."""

    EMA = "ema"  # θ_ema, what sampling and eval use
    RAW = "model"  # θ itself, for resuming (absent from exported files)


@dataclasses.dataclass
class Checkpoint:
    """The contents of a denoiser checkpoint file (states as pure dicts of NumPy arrays)."""

    step: int
    key: jax.Array  # typed PRNG key
    config: dict[str, Any]
    model: dict
    ema: dict
    optimizer: dict
    path: Path | None = None  # the file it was read from (for error messages)

    @property
    def weights_only(self) -> bool:
        """True for a file written by ``export_ema``: EMA weights only, nothing to resume."""
        return not self.model and not self.optimizer

    def train_config(self) -> TrainConfig:
        """The run's ``TrainConfig``; a ``CheckpointError`` naming the file if it is not one."""
        try:
            return TrainConfig.from_dict(self.config)
        except (TypeError, ValueError, KeyError) as err:
            raise CheckpointError(f"{self.path}: configuration not readable ({err})") from err


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all: temporary file, fsync, ``os.replace``.

    The file gets the usual mode (0666 minus the umask; ``mkstemp`` alone makes 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def write_payload(path: str | Path, kind: Kind, payload: dict) -> Path:
    """msgpack ``{"kind", **payload}``, wrap it with its sha256, write it atomically."""
    body = serialization.msgpack_serialize({"kind": kind.value, **payload})
    outer = {"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest(), "payload": body}
    return write_atomically(path, serialization.msgpack_serialize(outer))


def read_payload(path: str | Path, kind: Kind) -> dict:
    """Read and verify a checkpoint file of the given kind; every error names the file.

    Raises:
        FileNotFoundError: no such file.
        CheckpointError: a directory, unreadable, not a checkpoint, truncated, corrupt,
            or a checkpoint of the other kind.
    """
    path, what = Path(path), f"a {kind.value} checkpoint"
    if path.is_dir():
        raise CheckpointError(f"{path}: is a directory; expected {what} file (.msgpack)")
    if not path.is_file():
        raise FileNotFoundError(f"{kind.value} checkpoint not found: {path}")
    advice = "it is truncated or corrupt; use another checkpoint or train again"
    try:
        outer = serialization.msgpack_restore(path.read_bytes())
    except Exception as err:  # OSError, and msgpack raises several unrelated types
        raise CheckpointError(f"{path}: not a diffusion_lite checkpoint ({err}); {advice}") from err
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a diffusion_lite checkpoint; expected {what}")
    body = outer.get("payload", b"")
    if not isinstance(body, bytes) or hashlib.sha256(body).hexdigest() != outer.get("sha256"):
        raise CheckpointError(f"{path}: checksum mismatch; {advice}")
    data = serialization.msgpack_restore(body)
    found = data.get("kind", Kind.DENOISER.value)
    if found != kind.value:
        raise CheckpointError(f"{path}: a {found} checkpoint; expected {what}")
    return data


def _stringify_keys(tree):
    """Pure dict with every key a string (list indices 0, 1, … become "0", "1", …)."""
    if isinstance(tree, dict):
        return {str(k): _stringify_keys(v) for k, v in tree.items()}
    return np.asarray(tree)


def pure_state(node: nnx.Module | nnx.Optimizer, *filters) -> dict:
    """``nnx.to_pure_dict`` of a node's state, NumPy leaves, string keys (what files hold)."""
    return _stringify_keys(nnx.to_pure_dict(nnx.state(node, *filters)))


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
    """Write a denoiser checkpoint atomically; returns the path.

    ``model=None, optimizer=None`` writes the EMA weights alone (see ``export_ema``).
    """
    pure = {k: {} if v is None else pure_state(v) for k, v in
            dict(model=model, ema=ema, optimizer=optimizer).items()}  # fmt: skip
    return _write(Path(path), step, key, config, **pure)


def _write(path: Path, step: int, key: jax.Array, config: dict, **states: dict) -> Path:
    payload = {
        "step": int(step),
        "key": np.asarray(jax.random.key_data(key)),
        "key_impl": str(jax.random.key_impl(key)),
        "config": json.dumps(config, sort_keys=True),
        **states,  # model, ema, optimizer
    }
    return write_payload(path, Kind.DENOISER, payload)


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Read and verify a denoiser checkpoint file (errors: see ``read_payload``)."""
    data = read_payload(path, Kind.DENOISER)
    key = jax.random.wrap_key_data(data["key"], impl=data["key_impl"])
    return Checkpoint(step=int(data["step"]), key=key, config=json.loads(data["config"]),
                      model=data["model"], ema=data["ema"], optimizer=data["optimizer"],
                      path=Path(path))  # fmt: skip


def copy_checkpoint(src: str | Path, dst: str | Path) -> Path:
    """Copy a checkpoint file byte for byte, atomically (a kept step of a run)."""
    return write_atomically(dst, Path(src).read_bytes())


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


def restore_state(node: nnx.Module | nnx.Optimizer, pure: dict, *filters) -> None:
    """Copy a pure-dict state from a checkpoint into ``node`` in place, checking every shape."""
    state = nnx.state(node, *filters)
    template = nnx.to_pure_dict(state)
    nnx.replace_by_pure_dict(state, _match(template, pure, ""))
    nnx.update(node, state)


def build_unet(ckpt: Checkpoint, weights: Weights = Weights.EMA) -> UNet:
    """The one place a U-Net is built from a checkpoint: shapes from its config, then its weights.

    No random initialisation is computed (``nnx.eval_shape``); every error names the file.
    """
    if weights == Weights.RAW and ckpt.weights_only:
        raise CheckpointError(f"{ckpt.path}: holds exported EMA weights only (no raw weights)")
    config = ckpt.train_config()
    graphdef, state = nnx.split(nnx.eval_shape(lambda: UNet(config.model, rngs=nnx.Rngs(0))))
    model = nnx.merge(graphdef, state)
    try:
        restore_state(model, getattr(ckpt, weights.value))
    except CheckpointError as err:
        raise CheckpointError(f"{ckpt.path}: {err}") from err
    return model
