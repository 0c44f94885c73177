"""Tests for diffusion_lite.mnist.data: tiny IDX files written here, and the real MNIST if present."""

import gzip
import hashlib
import os
import struct

import numpy as np
import pytest

from diffusion_lite.mnist import data


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX by hand (magic 0x00000800 + ndim, big-endian sizes)."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_split(directory, images, labels, compress=True, prefix="train"):
    """Write an images + labels pair; return the sha256 mapping of their raw bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    digests = {}
    for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
        name = f"{prefix}-{kind}-ubyte"
        raw = idx_bytes(array)
        digests[name] = hashlib.sha256(raw).hexdigest()
        path = directory / (f"{name}.gz" if compress else name)
        path.write_bytes(gzip.compress(raw) if compress else raw)
    return digests


@pytest.fixture
def tiny():
    """Five 28x28 images whose pixels span 0..255, and their labels."""
    images = np.arange(5 * 28 * 28).reshape(5, 28, 28) % 256
    return images.astype(np.uint8), np.array([3, 1, 4, 1, 5], np.uint8)


@pytest.mark.parametrize("compress", [True, False])
def test_load_scales_to_minus_one_one(tmp_path, tiny, compress):
    images, labels = tiny
    digests = write_split(tmp_path / "mnist", images, labels, compress)
    x0, y = data.load_mnist(data.Split.TRAIN, tmp_path, sha256=digests)
    assert x0.shape == (5, 28, 28, 1) and x0.dtype == np.float32
    assert y.dtype == np.int32 and y.tolist() == [3, 1, 4, 1, 5]
    # Same scaling computed a second way: affine map of [0, 255] onto [-1, 1].
    np.testing.assert_allclose(x0[..., 0], np.interp(images, [0, 255], [-1, 1]), atol=1e-6)
    assert x0.min() == -1.0 and x0.max() == 1.0


def test_files_directly_in_dir_and_env_var(tmp_path, tiny, monkeypatch):
    digests = write_split(tmp_path, *tiny, prefix="t10k")
    monkeypatch.setenv(data.DATA_ENV_VAR, str(tmp_path))
    x0, _ = data.load_mnist(data.Split.TEST, sha256=digests)
    assert x0.shape == (5, 28, 28, 1)


def test_wrong_checksum_names_file(tmp_path, tiny):
    digests = write_split(tmp_path, *tiny)
    digests["train-images-idx3-ubyte"] = "0" * 64
    with pytest.raises(data.DataFileError, match=r"train-images-idx3-ubyte\.gz: sha256"):
        data.load_mnist(data.Split.TRAIN, tmp_path, sha256=digests)


def test_real_checksums_refuse_fake_files(tmp_path, tiny):
    write_split(tmp_path, *tiny)
    with pytest.raises(data.DataFileError, match="download it again"):
        data.load_mnist(data.Split.TRAIN, tmp_path)


def test_truncated_gzip(tmp_path, tiny):
    write_split(tmp_path, *tiny)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(data.DataFileError, match="truncated or corrupt"):
        data.load_mnist(data.Split.TRAIN, tmp_path, sha256=None)


def test_truncated_payload(tmp_path, tiny):
    write_split(tmp_path, *tiny, compress=False)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(data.DataFileError, match=r"promises shape \(5, 28, 28\)"):
        data.load_mnist(data.Split.TRAIN, tmp_path, sha256=None)


def test_wrong_magic(tmp_path, tiny):
    write_split(tmp_path, *tiny, compress=False)
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(b"\x00\x00\x0d" + path.read_bytes()[3:])  # 0x0D = float32, not uint8
    with pytest.raises(data.DataFileError, match="train-labels-idx1-ubyte: not an IDX file"):
        data.load_mnist(data.Split.TRAIN, tmp_path, sha256=None)


def test_label_count_mismatch(tmp_path, tiny):
    images, labels = tiny
    write_split(tmp_path, images, labels[:4])
    with pytest.raises(data.DataFileError, match="4,\\) labels for 5 images"):
        data.load_mnist(data.Split.TRAIN, tmp_path, sha256=None)


def test_missing_file_says_where_and_what_to_do(tmp_path, tiny):
    write_split(tmp_path, *tiny)
    os.remove(tmp_path / "train-labels-idx1-ubyte.gz")
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte.*put the four MNIST"):
        data.load_mnist(data.Split.TRAIN, tmp_path, sha256=None)


def test_no_download_from_empty_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="not in the cache"):
        data.load_mnist(data.Split.TEST, download=False)


def test_failed_download_leaves_no_partial_file(tmp_path):
    bad_mirror = (tmp_path / "nowhere").as_uri() + "/"  # file:// URL that does not exist
    with pytest.raises(OSError, match="could not be downloaded .*by hand") as err:
        data.download_file("t10k-labels-idx1-ubyte", tmp_path, None, mirrors=(bad_mirror,))
    assert "\n" not in str(err.value)  # one line
    assert not (tmp_path / "mnist").exists()  # not even an empty directory is left


def test_download_verifies_and_falls_back(tmp_path, tiny):
    """First mirror serves a corrupt file, the second a good one (file:// URLs, no network)."""
    images, labels = tiny
    good, bad, cache = tmp_path / "good", tmp_path / "bad", tmp_path / "cache"
    digests = write_split(good, images, labels)
    write_split(bad, images[::-1], labels)
    mirrors = (bad.as_uri() + "/", good.as_uri() + "/")
    name = "train-images-idx3-ubyte"
    path = data.download_file(name, cache, digests[name], mirrors=mirrors)
    np.testing.assert_array_equal(data.read_idx(path, digests[name]), images)


@pytest.mark.data
@pytest.mark.skipif(
    not os.environ.get(data.DATA_ENV_VAR),
    reason=f"real MNIST not available: set {data.DATA_ENV_VAR} (e.g. ../shared/data)",
)
def test_real_mnist():
    x0, labels = data.load_mnist(data.Split.TEST)  # 10k images: the cheap split
    assert x0.shape == (10_000, 28, 28, 1) and x0.min() == -1.0 and x0.max() == 1.0
    train_labels_path = data.mnist_paths(data.Split.TRAIN)[1]
    train_labels = data.read_idx(train_labels_path, data.MNIST_SHA256["train-labels-idx1-ubyte"])
    counts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]  # shared/data README
    assert np.bincount(train_labels).tolist() == counts
    assert labels.shape == (10_000,)
