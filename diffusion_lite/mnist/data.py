"""MNIST: find or download the four IDX files, verify them, load them as images in [-1, 1].

Where the files come from, first match wins:
    1. ``data_dir`` passed by the caller,
    2. the directory named by the environment variable ``DIFFUSION_LITE_DATA``,
    3. the cache ``~/.cache/diffusion_lite/mnist`` (downloaded there from the mirrors if absent).
A directory may hold the files directly or in a ``mnist/`` subdirectory, gzip-compressed
(``*.gz``) or raw.  Every file's *decompressed* bytes must match the well-known sha256;
anything missing, truncated or corrupt raises an error naming the file and what to do.
Nothing is ever loaded partially.
"""

from __future__ import annotations

import enum
import gzip
import hashlib
import os
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from diffusion_lite.mnist.checkpoint import write_atomically

DATA_ENV_VAR = "DIFFUSION_LITE_DATA"

# sha256 of the decompressed (raw IDX) bytes of the canonical files (LeCun, Cortes, Burges).
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Tried in order; each serves "<name>.gz".  (yann.lecun.com often refuses downloads now.)
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)


class Split(enum.Enum):
    """Which MNIST split to load; the value is the file-name prefix."""

    TRAIN = "train"  # 60,000 images
    TEST = "t10k"  # 10,000 images


class DataFileError(ValueError):
    """A data file is truncated, corrupt or not what it claims to be."""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/diffusion_lite`` (default ``~/.cache/diffusion_lite``)."""
    return Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "diffusion_lite"


def read_idx(path: str | Path, sha256: str | None = None) -> np.ndarray:
    """Read one IDX file (raw or ``.gz``) into a uint8 array, checking every byte.

    The IDX header is two zero bytes, a type byte (0x08 = uint8), the number of
    dimensions ``ndim``, then ``ndim`` big-endian uint32 sizes; the data follow.

    Args:
        path: the file.
        sha256: expected hex digest of the decompressed bytes, or None to skip the check.

    Returns:
        uint8 array with the shape given in the header.

    Raises:
        FileNotFoundError: the file does not exist.
        DataFileError: truncated gzip, checksum mismatch, bad magic, or wrong length.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"MNIST file not found: {path}")
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise DataFileError(f"{path}: cannot read it ({err})") from err
    return parse_idx(blob, path, sha256)


def parse_idx(blob: bytes, path: str | Path, sha256: str | None = None) -> np.ndarray:
    """``read_idx`` on bytes already read; ``path`` (``.gz``: compressed) names them in errors."""
    try:
        raw = gzip.decompress(blob) if str(path).endswith(".gz") else blob
    except (OSError, EOFError) as err:  # gzip raises both for truncated/corrupt streams
        raise DataFileError(
            f"{path}: cannot decompress ({err}); the file is truncated or corrupt, "
            "delete it and download it again"
        ) from err
    if sha256 is not None and (digest := hashlib.sha256(raw).hexdigest()) != sha256:
        raise DataFileError(
            f"{path}: sha256 of the decompressed bytes is {digest}, expected {sha256}; "
            "the file is corrupt or a different file, delete it and download it again"
        )
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataFileError(
            f"{path}: not an IDX file of uint8 (magic bytes {raw[:4].hex()!r}, "
            "expected 000008NN); check that it is the right file"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataFileError(f"{path}: truncated header; delete it and download it again")
    shape = tuple(int(s) for s in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    if len(raw) - header != int(np.prod(shape)):
        raise DataFileError(
            f"{path}: header promises shape {shape} = {int(np.prod(shape))} bytes, "
            f"file has {len(raw) - header}; it is truncated or corrupt, download it again"
        )
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape)


def _find_file(directory: Path, name: str) -> Path | None:
    """``directory[/mnist]/name[.gz]``, whichever exists first, else None."""
    for folder in (directory / "mnist", directory):
        for candidate in (folder / f"{name}.gz", folder / name):
            if candidate.is_file():
                return candidate
    return None


def download_file(name: str, cache_dir: Path, sha256: str | None, mirrors=MNIST_MIRRORS) -> Path:
    """Download ``name.gz`` into ``cache_dir/mnist`` from the first mirror that serves it intact.

    The bytes are verified in memory and written atomically; nothing (not even the
    directory) is created when every mirror fails.

    Raises:
        OSError: no mirror served an intact file (one line, naming the target directory).
    """
    target = cache_dir / "mnist" / f"{name}.gz"
    errors = []
    for mirror in mirrors:
        url = mirror + name + ".gz"
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                blob = r.read()
            parse_idx(blob, url, sha256)  # refuses a truncated or corrupt download
            return write_atomically(target, blob)
        except (OSError, DataFileError) as err:
            errors.append(f"{mirror}: {err}")
    raise OSError(
        f"MNIST file {name}.gz is not in {target.parent} and could not be downloaded "
        f"({len(errors)} mirrors failed; first: {errors[0]}); download the four MNIST files "
        f"into {target.parent} by hand, or point --data-dir or ${DATA_ENV_VAR} to a "
        "directory that holds them"
    )


def mnist_paths(
    split: Split = Split.TRAIN,
    data_dir: str | Path | None = None,
    sha256: Mapping[str, str] | None = MNIST_SHA256,
    download: bool = True,
) -> tuple[Path, Path]:
    """Locate (downloading into the cache if needed) the images and labels files of a split."""
    names = (f"{split.value}-images-idx3-ubyte", f"{split.value}-labels-idx1-ubyte")
    if data_dir is None and os.environ.get(DATA_ENV_VAR):
        data_dir, origin = os.environ[DATA_ENV_VAR], f"${DATA_ENV_VAR}"
    else:
        origin = "data_dir"
    if data_dir is not None:
        directory = Path(data_dir).expanduser()
        paths = [_find_file(directory, name) for name in names]
        for name, path in zip(names, paths, strict=True):
            if path is None:
                raise FileNotFoundError(
                    f"MNIST file {name}[.gz] not found in {directory} or {directory / 'mnist'} "
                    f"({origin}); put the four MNIST files there or point {origin} elsewhere"
                )
        return paths[0], paths[1]
    cache = default_cache_dir()
    paths = []
    for name in names:
        path = _find_file(cache, name)
        if path is None:
            if not download:
                raise FileNotFoundError(f"MNIST file {name} not in the cache {cache / 'mnist'}")
            path = download_file(name, cache, None if sha256 is None else sha256[name])
        paths.append(path)
    return paths[0], paths[1]


def load_mnist(
    split: Split = Split.TRAIN,
    data_dir: str | Path | None = None,
    sha256: Mapping[str, str] | None = MNIST_SHA256,
    download: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Load an MNIST split as images scaled to [-1, 1] and integer labels.

    Math:
        x_0 = pixel / 127.5 - 1  ∈ [-1, 1]   (Ho et al. 2020 §3.3: data scaled to [-1, 1]).

    Args:
        split: ``Split.TRAIN`` (60,000) or ``Split.TEST`` (10,000).
        data_dir: directory holding the files (directly or in ``mnist/``); default: see module doc.
        sha256: expected digests of the decompressed files by name (without ``.gz``);
            None skips the check.
        download: whether a missing cache may be filled from the mirrors.

    Returns:
        ``(images, labels)``: float32 [N, 28, 28, 1] in [-1, 1] and int32 [N].
    """
    image_path, label_path = mnist_paths(split, data_dir, sha256, download)

    def expected(path: Path) -> str | None:
        return None if sha256 is None else sha256[path.name.removesuffix(".gz")]

    images = read_idx(image_path, expected(image_path))
    labels = read_idx(label_path, expected(label_path))
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataFileError(
            f"{image_path}: expected images of shape [N, 28, 28], got {images.shape}"
        )
    if labels.shape != images.shape[:1]:
        raise DataFileError(
            f"{label_path}: {labels.shape} labels for {images.shape[0]} images in {image_path}"
        )
    x0 = images.astype(np.float32)[..., None] / 127.5 - 1.0  # [N, 28, 28, 1]
    return x0, labels.astype(np.int32)
