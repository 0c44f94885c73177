"""Tests for the command line: help, bad arguments, missing/corrupt files, a tiny end-to-end run."""

import gzip
import struct
from datetime import UTC, datetime, timedelta

import matplotlib.image
import numpy as np
import pytest

from diffusion_lite import cli
from diffusion_lite.mnist import data

pytestmark = pytest.mark.e2e  # end to end (see pyproject: markers)


def run(capsys, *argv):
    """Run the CLI in-process; return (exit status, stdout, stderr)."""
    try:
        status = cli.main(list(argv))
    except SystemExit as exit_:  # argparse exits on --help and on bad arguments
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def fake_mnist(tmp_path, monkeypatch):
    """16 blob images written as MNIST IDX files, with their checksums accepted."""
    yy, xx = np.mgrid[:28, :28]
    images = np.stack(
        [255 * np.exp(-((yy - 8 - i) ** 2 + (xx - 20 + i) ** 2) / 20) for i in range(16)]
    )
    files = {
        "train-images-idx3-ubyte": bytes([0, 0, 8, 3]) + struct.pack(">3I", 16, 28, 28)
        + images.astype(np.uint8).tobytes(),
        "train-labels-idx1-ubyte": bytes([0, 0, 8, 1]) + struct.pack(">I", 16) + bytes(16),
    }  # fmt: skip
    for name, raw in files.items():
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(raw))
        monkeypatch.setitem(data.MNIST_SHA256, name, __import__("hashlib").sha256(raw).hexdigest())
    return tmp_path


def test_help_lists_commands(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "train" in out and "sample" in out
    status, out, _ = run(capsys, "train", "--help")
    assert status == 0 and "--preset" in out and "quick-cpu" in out and "--resume" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "cifar10"], "invalid choice: 'cifar10'"),
        (["train", "mnist", "--preset", "huge"], "invalid choice: 'huge'"),
        (["train", "mnist", "--steps", "many"], "invalid int value"),
        (["sample"], "--checkpoint"),
        (["sample", "--checkpoint", "c.msgpack", "--sampler", "euler"], "invalid choice: 'euler'"),
    ],
)
def test_bad_arguments(capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2 and message in err


def test_bad_config_value(capsys, tmp_path):
    status, _, err = run(capsys, "train", "mnist", "--steps", "0", "--out", str(tmp_path))
    assert status == 2 and "error: --steps must be >= 1" in err


def test_missing_checkpoint(capsys, tmp_path):
    out = tmp_path / "grid.png"
    status, _, err = run(
        capsys, "sample", "--checkpoint", str(tmp_path / "no.msgpack"), "--out", str(out)
    )
    assert status == 2 and "checkpoint not found" in err and not out.exists()


def test_corrupt_checkpoint_overwrites_nothing(capsys, tmp_path):
    ckpt, out = tmp_path / "c.msgpack", tmp_path / "grid.png"
    ckpt.write_bytes(b"\x00" * 100)
    out.write_bytes(b"\x89PNG\r\n\x1a\nold grid")
    status, _, err = run(capsys, "sample", "--checkpoint", str(ckpt), "--out", str(out))
    assert status == 2 and "not a diffusion_lite checkpoint" in err
    assert out.read_bytes() == b"\x89PNG\r\n\x1a\nold grid" and ckpt.read_bytes() == b"\x00" * 100


def test_train_refuses_existing_checkpoint_and_resume_with_preset(capsys, tmp_path):
    (tmp_path / "checkpoint.msgpack").write_bytes(b"precious")
    status, _, err = run(capsys, "train", "mnist", "--out", str(tmp_path))
    assert status == 2 and "--resume" in err
    status, _, err = run(
        capsys, "train", "mnist", "--out", str(tmp_path), "--resume", "--preset", "tiny"
    )
    assert status == 2 and "drop --preset" in err
    status, _, err = run(capsys, "train", "mnist", "--out", str(tmp_path), "--resume")
    assert status == 2 and "not a diffusion_lite checkpoint" in err
    assert (tmp_path / "checkpoint.msgpack").read_bytes() == b"precious"


def test_negative_keep_every(capsys, tmp_path, fake_mnist):
    status, _, err = run(capsys, "train", "mnist", "--preset", "tiny", "--data-dir", str(fake_mnist),
                         "--out", str(tmp_path / "run"), "--keep-every", "-1")  # fmt: skip
    assert status == 2 and "--keep-every must be >= 0" in err
    assert not (tmp_path / "run").exists()


def test_missing_data(capsys, tmp_path):
    status, _, err = run(capsys, "train", "mnist", "--preset", "tiny", "--data-dir", str(tmp_path),
                         "--out", str(tmp_path / "run"))  # fmt: skip
    assert status == 2 and "train-images-idx3-ubyte" in err and "not found" in err


def test_train_then_sample(capsys, tmp_path, fake_mnist):
    run_dir = tmp_path / "run"
    status, out, err = run(capsys, "train", "mnist", "--preset", "tiny", "--data-dir", str(fake_mnist),
                           "--out", str(run_dir), "--no-progress", "--keep-every", "10")  # fmt: skip
    assert status == 0, err
    assert "parameters" in out and "GFLOP/image" in out
    kept = sorted(p.name for p in run_dir.glob("step_*.msgpack"))
    assert kept == ["step_000010.msgpack", "step_000020.msgpack"]
    rows = (run_dir / "log.csv").read_text().splitlines()
    assert rows[0] == "step,loss,images_per_s,utc" and len(rows) == 1 + 4  # header + 4 logs
    logged = datetime.strptime(rows[-1].split(",")[3], "%Y-%m-%dT%H:%M:%S")  # UTC, no zone
    assert abs(datetime.now(UTC).replace(tzinfo=None) - logged) < timedelta(hours=1)

    grid, traj = tmp_path / "grid.png", tmp_path / "traj.png"
    status, out, err = run(capsys, "sample", "--checkpoint", str(run_dir / "checkpoint.msgpack"),
                           "--steps", "4", "--num-images", "4", "--out", str(grid),
                           "--trajectory", str(traj))  # fmt: skip
    assert status == 0, err
    assert matplotlib.image.imread(grid).shape[:2] == (2 * 28 + 2, 2 * 28 + 2)  # 2 x 2 grid
    assert matplotlib.image.imread(traj).shape[:2] == (4 * 30 - 2, 5 * 30 - 2)  # 4 images x 5 x_τ
    status, out, err = run(capsys, "sample", "--checkpoint", str(run_dir / "checkpoint.msgpack"),
                           "--sampler", "ancestral", "--num-images", "2", "--out", str(grid))  # fmt: skip
    assert status == 0 and "ancestral" in out, err
    assert matplotlib.image.imread(grid).shape[:2] == (28, 2 * 28 + 2)
    status, _, err = run(capsys, "sample", "--checkpoint", str(run_dir / "checkpoint.msgpack"),
                         "--steps", "101")  # fmt: skip
    assert status == 2 and "--steps must lie in 1..T = 1..100" in err

    exported = tmp_path / "ema.msgpack"
    status, out, err = run(capsys, "export", str(run_dir / "checkpoint.msgpack"), str(exported))
    assert status == 0 and "EMA weights of step 20" in out, err
    status, out, err = run(capsys, "sample", "--checkpoint", str(exported), "--steps", "4",
                           "--eta", "1", "--num-images", "4", "--out", str(grid))  # fmt: skip
    assert status == 0 and "4 steps, η = 1, x̂_0 clipped" in out, err
    status, _, err = run(capsys, "sample", "--checkpoint", str(exported), "--eta", "-1")
    assert status == 2 and "--eta must lie in [0, 1]" in err
    status, _, err = run(capsys, "sample", "--checkpoint", str(exported), "--no-ema")
    assert status == 2 and "EMA weights only" in err
    status, _, err = run(capsys, "export", str(exported), str(exported))
    assert status == 2 and "is also the CHECKPOINT to export" in err
