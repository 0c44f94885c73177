"""The judge classifier on disk: one checkpoint file (kind ``classifier``, sha256, no pickle).

``DEFAULT_CHECKPOINT`` is the shipped ``checkpoints/mnist_classifier.msgpack``.
"""

from __future__ import annotations

from pathlib import Path

from flax import nnx

from diffusion_lite.mnist.checkpoint import (
    CheckpointError,
    Kind,
    pure_state,
    read_payload,
    restore_state,
    write_payload,
)
from diffusion_lite.models.classifier import Classifier

DEFAULT_CHECKPOINT = (
    Path(__file__).resolve().parent.parent / "checkpoints" / "mnist_classifier.msgpack"
)


def save_classifier(model: Classifier, path: str | Path) -> Path:
    """Write the parameters as a classifier checkpoint (sha256, no pickle), atomically."""
    return write_payload(path, Kind.CLASSIFIER, {"params": pure_state(model, nnx.Param)})


def load_classifier(path: str | Path = DEFAULT_CHECKPOINT) -> Classifier:
    """Read a classifier written by ``save_classifier`` (default: the shipped checkpoint).

    Raises:
        FileNotFoundError: no such file.
        CheckpointError: not a classifier checkpoint (a denoiser, truncated, bit-flipped, ...).
    """
    try:
        params = read_payload(path, Kind.CLASSIFIER)["params"]
    except FileNotFoundError as err:
        raise FileNotFoundError(
            f"{err}; train one with `python -m diffusion_lite train classifier`"
        ) from err
    model = Classifier(rngs=nnx.Rngs(0))
    try:
        restore_state(model, params, nnx.Param)
    except CheckpointError as err:
        raise CheckpointError(f"{path}: {err}") from err
    return model
