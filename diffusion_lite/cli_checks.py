"""What the command line checks before it reads or writes a file (``cli.py``, ``eval_cli.py``).

Every refusal is a ``UsageError``: one line naming the argument, the file and what was
expected.  Outputs never replace an existing file unless it is clearly an output of the
same kind (a PNG for a PNG grid, a JSON object for ``--json``) or ``--force`` is given,
and a checkpoint is never replaced by anything but a checkpoint.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

from diffusion_lite.mnist.checkpoint import FORMAT, CheckpointError
from diffusion_lite.mnist.data import DataFileError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SEED = 2**32 - 1  # jax.random.key takes a 32-bit seed here
MAX_IMAGES = 1024  # one PNG grid, drawn in one batch

# Flags of `train` that change the configuration: name on the command line -> TrainConfig field.
OVERRIDES = {
    "steps": "steps",
    "batch_size": "batch_size",
    "lr": "learning_rate",
    "seed": "seed",
    "sample_every": "sample_every",
    "checkpoint_every": "checkpoint_every",
}


class UsageError(ValueError):
    """A bad argument or file; the message names both."""


@contextlib.contextmanager
def blame(flag: str | None):
    """Re-raise file errors from inside (checkpoint, data, classifier) prefixed with ``flag``."""
    try:
        yield
    except (CheckpointError, DataFileError, OSError) as err:
        if flag is None:
            raise
        raise UsageError(f"{flag}: {err}") from err


def is_checkpoint(path: Path) -> bool:
    """True for a diffusion_lite checkpoint (denoiser or classifier) by its first bytes."""
    with contextlib.suppress(OSError), open(path, "rb") as f:
        return FORMAT.encode() in f.read(64)
    return False


def _starts_with(path: Path, magic: bytes) -> bool:
    with contextlib.suppress(OSError), open(path, "rb") as f:
        return f.read(len(magic)) == magic
    return False


def check_parents(flag: str, path: Path) -> None:
    """Every existing ancestor of ``path`` must be a directory."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"{flag} {path}: {parent} is a file, not a directory")


def check_output_file(flag: str, path: Path, suffix: str, *, force: bool = False,
                      inputs: dict[str, Path] | None = None) -> Path:  # fmt: skip
    """An output file that may be written: right suffix, not an input, nothing precious replaced.

    An existing file is replaced only if it is a PNG (for ``.png``), a checkpoint (for a
    ``.msgpack`` written with ``force``), or any non-checkpoint file with ``force``.
    """
    check_parents(flag, path)
    for other, source in (inputs or {}).items():
        if path.resolve() == source.resolve():
            raise UsageError(f"{flag} {path}: is also {other}; it would be overwritten")
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a directory; expected a {suffix} file name")
    if path.suffix.lower() != suffix:
        raise UsageError(f"{flag} {path}: expected a file name ending in {suffix}")
    if not path.exists():
        return path
    if is_checkpoint(path) and suffix != ".msgpack":
        raise UsageError(f"{flag} {path}: is a checkpoint; expected a new {suffix} file name")
    if suffix == ".png" and _starts_with(path, PNG_MAGIC):
        return path  # an earlier grid: clearly an output
    if not force:
        raise UsageError(f"{flag} {path}: exists; add --force to replace it, or pick another name")
    return path


def check_output_dir(flag: str, path: Path) -> Path:
    """A run directory: absent (created later) or a directory, below directories only."""
    check_parents(flag, path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: is a file; expected a run directory")
    return path


def check_int(flag: str, value: int | None, low: int, high: int | None = None) -> None:
    """``low <= value <= high`` (None: not given, nothing to check)."""
    if value is not None and not (low <= value and (high is None or value <= high)):
        allowed = f"{low}..{high}" if high is not None else f">= {low}"
        raise UsageError(f"{flag} must be {'in ' * (high is not None)}{allowed}, got {value}")


def check_eta(flag: str, eta: float) -> None:
    """DDIM's η: a finite number in [0, 1] (NaN would draw a blank image)."""
    if not (math.isfinite(eta) and 0.0 <= eta <= 1.0):
        raise UsageError(
            f"{flag} must lie in [0, 1] (0: deterministic DDIM, 1: as noisy as ancestral), "
            f"got {eta}"
        )


def config_error(err: ValueError, given: dict) -> UsageError:
    """A TrainConfig error with the field named as its command-line flag."""
    msg = str(err)
    for flag, field in OVERRIDES.items():
        if field in given and msg.startswith(field + " "):
            msg = f"--{flag.replace('_', '-')}{msg[len(field) :]}"
    return UsageError(msg)
