"""Issue 17, one test per row: bad input through `python -m diffusion_lite` (a subprocess).

Each test runs the real entry point and checks the exit status (2 for a refusal), a
one-line message naming the argument, the file and what was expected, no traceback, and
that nothing existing was overwritten.
"""

import hashlib
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import jax
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.mnist.checkpoint import load_checkpoint, save_checkpoint
from diffusion_lite.mnist.classifier_file import save_classifier
from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.mnist.data import DATA_ENV_VAR
from diffusion_lite.mnist.pretrained import DENOISER
from diffusion_lite.mnist.train import make_optimizer
from diffusion_lite.models.classifier import Classifier
from diffusion_lite.models.unet import init_unet

TINY = PRESETS["tiny"]
ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = os.environ.get(DATA_ENV_VAR)


def cli(*argv, cwd, env=None):
    """Run ``python -m diffusion_lite ARGV``; returns (status, stdout, stderr)."""
    base = {k: v for k, v in os.environ.items() if k != DATA_ENV_VAR}
    base |= {"XDG_CACHE_HOME": str(cwd / "cache"), "JAX_PLATFORMS": "cpu"} | (env or {})
    out = subprocess.run([sys.executable, "-m", "diffusion_lite", *map(str, argv)], cwd=cwd,
                         env=base, capture_output=True, text=True, timeout=600)  # fmt: skip
    return out.returncode, out.stdout, out.stderr


def refused(result, *phrases):
    """Exit 2 with one line 'error: ...' containing every phrase, and no traceback."""
    status, _, err = result
    assert status == 2, err
    assert "Traceback" not in err and err.startswith("error: ") and err.count("\n") == 1, err
    for phrase in phrases:
        assert str(phrase) in err, (phrase, err)
    return err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def training_checkpoint(path: Path, seed: int = 0) -> Path:
    """A tiny preset's checkpoint at step 0 (as `train` writes first)."""
    model = init_unet(TINY.model, seed)
    optimizer = nnx.Optimizer(model, make_optimizer(TINY), wrt=nnx.Param)
    return save_checkpoint(path, model=model, ema=nnx.clone(model), optimizer=optimizer, step=0,
                           key=jax.random.key(seed), config=TINY.to_dict())  # fmt: skip


@pytest.fixture
def run_a(tmp_path):
    return training_checkpoint(tmp_path / "runA" / "checkpoint.msgpack")


def test_sample_out_onto_its_own_checkpoint(tmp_path, run_a):
    before = digest(run_a)
    for force in ([], ["--force"]):
        err = refused(cli("sample", "--checkpoint", run_a, "--out", run_a, *force, cwd=tmp_path),
                      "--out", run_a, "is also --checkpoint")  # fmt: skip
    assert digest(run_a) == before, err


def test_export_onto_another_runs_checkpoint(tmp_path, run_a):
    run_b = training_checkpoint(tmp_path / "runB" / "checkpoint.msgpack", seed=1)
    before = digest(run_b)
    refused(cli("export", run_a, run_b, cwd=tmp_path), "OUT", run_b, "exists", "--force")
    assert digest(run_b) == before
    status, out, err = cli("export", run_a, tmp_path / "ema.msgpack", cwd=tmp_path)
    assert status == 0 and "EMA weights of step 0" in out, err


def test_sample_out_is_a_directory(tmp_path, run_a):
    refused(cli("sample", "--checkpoint", run_a, "--out", tmp_path, cwd=tmp_path),
            "--out", tmp_path, "is a directory; expected a .png file name")  # fmt: skip


def test_out_below_a_regular_file(tmp_path, run_a):
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    refused(cli("sample", "--checkpoint", run_a, "--out", notes / "grid.png", cwd=tmp_path),
            "--out", notes, "is a file, not a directory")  # fmt: skip
    refused(cli("train", "mnist", "--preset", "tiny", "--out", notes / "run", cwd=tmp_path),
            "--out", notes, "is a file, not a directory")  # fmt: skip
    assert notes.read_text() == "keep me"


def test_sample_eta_nan(tmp_path, run_a):
    for eta in ("nan", "inf", "-1", "1.5"):
        refused(cli("sample", "--checkpoint", run_a, "--eta", eta, cwd=tmp_path),
                "--eta must lie in [0, 1]", f"got {float(eta)}")  # fmt: skip
    assert not (tmp_path / "grid.png").exists()


def test_train_stop_after_zero_or_negative(tmp_path):
    for value in ("0", "-3"):
        refused(cli("train", "mnist", "--preset", "tiny", "--out", tmp_path / "run",
                    "--stop-after", value, cwd=tmp_path), f"--stop-after must be >= 1, got {value}")  # fmt: skip
    assert not (tmp_path / "run").exists()


def test_resume_stop_after_a_step_already_done(tmp_path, run_a):
    refused(cli("train", "mnist", "--out", run_a.parent, "--resume", "--stop-after", "0",
                cwd=tmp_path), "--stop-after must be >= 1")  # fmt: skip


@pytest.mark.skipif(not REAL_DATA, reason=f"real MNIST needed: set {DATA_ENV_VAR}")
def test_killed_at_a_random_step_then_resumed_has_a_consistent_log(tmp_path):
    """SIGKILL a real run by PID at a random step; --resume; log and weights as uninterrupted."""
    args = ["train", "mnist", "--preset", "tiny", "--steps", "60", "--no-progress"]
    env = {DATA_ENV_VAR: REAL_DATA}
    status, _, err = cli(*args, "--out", tmp_path / "straight", cwd=tmp_path, env=env)
    assert status == 0, err
    target, killed = random.randrange(5, 45), tmp_path / "killed"  # seeded by pytest-randomly
    base = {k: v for k, v in os.environ.items()} | env | {"JAX_PLATFORMS": "cpu"}
    proc = subprocess.Popen([sys.executable, "-m", "diffusion_lite", *args, "--out", str(killed)],
                            cwd=tmp_path, env=base, stderr=subprocess.DEVNULL)  # fmt: skip
    log = killed / "log.csv"
    while proc.poll() is None:
        rows = log.read_text().splitlines()[1:] if log.exists() else []
        if rows and rows[-1].split(",")[0].isdigit() and int(rows[-1].split(",")[0]) >= target:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.001)
    assert proc.wait() == -signal.SIGKILL, f"the run ended before step {target}"
    status, _, err = cli("train", "mnist", "--out", killed, "--resume", "--no-progress",
                         cwd=tmp_path, env=env)  # fmt: skip
    assert status == 0, err

    def steps_and_losses(run):
        rows = (run / "log.csv").read_text().splitlines()
        assert rows[0] == "step,loss,images_per_s,utc"
        return [tuple(r.split(",")[:2]) for r in rows[1:]]

    resumed = steps_and_losses(killed)
    assert [int(s) for s, _ in resumed] == list(range(5, 61, 5)), (target, resumed)  # no repeat/gap
    assert resumed == steps_and_losses(tmp_path / "straight"), target
    a = load_checkpoint(tmp_path / "straight" / "checkpoint.msgpack")
    b = load_checkpoint(killed / "checkpoint.msgpack")
    assert a.step == b.step == 60
    for part in ("model", "ema", "optimizer"):
        for x, y in zip(jax.tree.leaves(getattr(a, part)), jax.tree.leaves(getattr(b, part)),
                        strict=True):  # fmt: skip
            np.testing.assert_array_equal(x, y)


def test_offline_without_data_leaves_no_cache_behind(tmp_path):
    offline = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
               "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
               "no_proxy": "", "NO_PROXY": ""}  # fmt: skip
    refused(cli("train", "mnist", "--preset", "tiny", "--out", tmp_path / "run", cwd=tmp_path,
                env=offline),
            "train-images-idx3-ubyte.gz", tmp_path / "cache" / "diffusion_lite" / "mnist",
            "could not be downloaded", "--data-dir", DATA_ENV_VAR)  # fmt: skip
    assert not (tmp_path / "cache" / "diffusion_lite").exists()  # (matplotlib may cache fonts)


def test_denoiser_passed_as_classifier(tmp_path, run_a):
    refused(cli("eval", "--classifier", run_a, cwd=tmp_path),
            "--classifier", run_a, "a denoiser checkpoint; expected a classifier checkpoint")  # fmt: skip


def test_classifier_passed_as_denoiser(tmp_path):
    clf = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    refused(cli("sample", "--checkpoint", clf, cwd=tmp_path),
            "--checkpoint", clf, "a classifier checkpoint; expected a denoiser checkpoint")  # fmt: skip


def test_truncated_classifier(tmp_path):
    clf = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    clf.write_bytes(clf.read_bytes()[:1000])
    refused(cli("eval", "--classifier", clf, cwd=tmp_path),
            "--classifier", clf, "truncated or corrupt")  # fmt: skip


def test_bit_flipped_classifier(tmp_path):
    clf = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    blob = bytearray(clf.read_bytes())
    blob[-5000] ^= 1  # one bit of a weight
    clf.write_bytes(bytes(blob))
    refused(cli("eval", "--classifier", clf, cwd=tmp_path), "--classifier", clf, "checksum")


def test_png_outputs_get_the_usual_mode(tmp_path, run_a):
    umask = os.umask(0)
    os.umask(umask)
    grid, traj = tmp_path / "grid.png", tmp_path / "traj.png"
    status, _, err = cli("sample", "--checkpoint", run_a, "--steps", "2", "--num-images", "2",
                         "--out", grid, "--trajectory", traj, cwd=tmp_path)  # fmt: skip
    assert status == 0, err
    for png in (grid, traj):
        assert (
            stat.S_IMODE(png.stat().st_mode) == 0o666 & ~umask == stat.S_IMODE(run_a.stat().st_mode)
        )
    status, _, err = cli("sample", "--checkpoint", run_a, "--steps", "2", "--num-images", "2",
                         "--out", grid, cwd=tmp_path)  # fmt: skip
    assert status == 0, err  # an existing PNG is clearly an output: replaced
    (tmp_path / "notes.png").write_text("not a png")
    refused(cli("sample", "--checkpoint", run_a, "--out", tmp_path / "notes.png", cwd=tmp_path),
            "--out", "notes.png", "exists; add --force")  # fmt: skip


def test_shipped_denoiser_checkpoint_still_loads_through_the_cli(tmp_path):
    status, out, err = cli("sample", "--checkpoint", DENOISER, "--steps", "1", "--num-images",
                           "1", "--out", tmp_path / "one.png", cwd=tmp_path)  # fmt: skip
    assert status == 0 and "wrote" in out, err
