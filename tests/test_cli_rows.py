"""Issue 17, one test per row: bad input through the command line.

Each test runs the CLI and checks the exit status (2 for a refusal), a one-line message
naming the argument, the file and what was expected, no traceback, and that nothing
existing was overwritten.  Most rows call ``diffusion_lite.cli.main`` in this process
(what ``python -m diffusion_lite`` runs after setting CPU flags, without paying an
interpreter and a JAX start per call); the rows that need a real process (the entry
point itself, an offline download, a SIGKILL) start ``python -m diffusion_lite``.
"""

import contextlib
import hashlib
import io
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

from diffusion_lite.cli import main
from diffusion_lite.mnist.checkpoint import load_checkpoint, save_checkpoint
from diffusion_lite.mnist.classifier_file import save_classifier
from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.mnist.data import DATA_ENV_VAR
from diffusion_lite.mnist.pretrained import DENOISER
from diffusion_lite.mnist.train import make_optimizer
from diffusion_lite.models.classifier import Classifier
from diffusion_lite.models.unet import init_unet

pytestmark = pytest.mark.e2e  # end to end (see pyproject: markers)

TINY = PRESETS["tiny"]
ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = os.environ.get(DATA_ENV_VAR)


def python_m(*argv, cwd, env=None):
    """Run ``python -m diffusion_lite ARGV`` in a subprocess; returns (status, stdout, stderr)."""
    base = {k: v for k, v in os.environ.items() if k != DATA_ENV_VAR}
    base |= {"XDG_CACHE_HOME": str(cwd / "cache"), "JAX_PLATFORMS": "cpu"} | (env or {})
    out = subprocess.run([sys.executable, "-m", "diffusion_lite", *map(str, argv)], cwd=cwd,
                         env=base, capture_output=True, text=True, timeout=600)  # fmt: skip
    return out.returncode, out.stdout, out.stderr


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """``cli(*argv) -> (status, stdout, stderr)``: ``main(argv)`` run here, in ``tmp_path``.

    The environment is the subprocess's: no data directory, a cache below ``tmp_path``.
    """
    monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main([str(a) for a in argv])
            except SystemExit as exit_:  # argparse's own refusals
                status = exit_.code
        return status, out.getvalue(), err.getvalue()

    return run


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


def test_sample_out_onto_its_own_checkpoint(tmp_path, run_a, cli):
    before = digest(run_a)
    for force in ([], ["--force"]):
        err = refused(cli("sample", "--checkpoint", run_a, "--out", run_a, *force),
                      "--out", run_a, "is also --checkpoint")  # fmt: skip
    assert digest(run_a) == before, err


def test_export_onto_another_runs_checkpoint(tmp_path, run_a, cli):
    run_b = training_checkpoint(tmp_path / "runB" / "checkpoint.msgpack", seed=1)
    before = digest(run_b)
    refused(cli("export", run_a, run_b), "OUT", run_b, "exists", "--force")
    assert digest(run_b) == before
    status, out, err = cli("export", run_a, tmp_path / "ema.msgpack")
    assert status == 0 and "EMA weights of step 0" in out, err


def test_sample_out_is_a_directory(tmp_path, run_a, cli):
    refused(cli("sample", "--checkpoint", run_a, "--out", tmp_path),
            "--out", tmp_path, "is a directory; expected a .png file name")  # fmt: skip


def test_out_below_a_regular_file(tmp_path, run_a, cli):
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    refused(cli("sample", "--checkpoint", run_a, "--out", notes / "grid.png"),
            "--out", notes, "is a file, not a directory")  # fmt: skip
    refused(cli("train", "mnist", "--preset", "tiny", "--out", notes / "run"),
            "--out", notes, "is a file, not a directory")  # fmt: skip
    assert notes.read_text() == "keep me"


def test_sample_eta_nan(tmp_path, run_a, cli):
    for eta in ("nan", "inf", "-1", "1.5"):
        refused(cli("sample", "--checkpoint", run_a, "--eta", eta),
                "--eta must lie in [0, 1]", f"got {float(eta)}")  # fmt: skip
    assert not (tmp_path / "grid.png").exists()


def test_train_stop_after_zero_or_negative(tmp_path, cli):
    for value in ("0", "-3"):
        refused(cli("train", "mnist", "--preset", "tiny", "--out", tmp_path / "run",
                    "--stop-after", value), f"--stop-after must be >= 1, got {value}")  # fmt: skip
    assert not (tmp_path / "run").exists()


def test_resume_stop_after_a_step_already_done(tmp_path, run_a, cli):
    refused(cli("train", "mnist", "--out", run_a.parent, "--resume", "--stop-after", "0"),
            "--stop-after must be >= 1")  # fmt: skip


@pytest.mark.skipif(not REAL_DATA, reason=f"real MNIST needed: set {DATA_ENV_VAR}")
def test_killed_at_a_random_step_then_resumed_has_a_consistent_log(tmp_path):
    """SIGKILL a real run by PID at a random step; --resume; log and weights as uninterrupted."""
    args = ["train", "mnist", "--preset", "tiny", "--steps", "30", "--no-progress"]
    # three processes compile the same programs: the later two read them from a disk cache
    env = {DATA_ENV_VAR: REAL_DATA, "JAX_COMPILATION_CACHE_DIR": str(tmp_path / "jax_cache"),
           "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0"}  # fmt: skip
    status, _, err = python_m(*args, "--out", tmp_path / "straight", cwd=tmp_path, env=env)
    assert status == 0, err
    target, killed = random.randrange(5, 25), tmp_path / "killed"  # seeded by pytest-randomly
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
    status, _, err = python_m("train", "mnist", "--out", killed, "--resume", "--no-progress",
                              cwd=tmp_path, env=env)  # fmt: skip
    assert status == 0, err

    def steps_and_losses(run):
        rows = (run / "log.csv").read_text().splitlines()
        assert rows[0] == "step,loss,images_per_s,utc"
        return [tuple(r.split(",")[:2]) for r in rows[1:]]

    resumed = steps_and_losses(killed)
    assert [int(s) for s, _ in resumed] == list(range(5, 31, 5)), (target, resumed)  # no repeat/gap
    assert resumed == steps_and_losses(tmp_path / "straight"), target
    a = load_checkpoint(tmp_path / "straight" / "checkpoint.msgpack")
    b = load_checkpoint(killed / "checkpoint.msgpack")
    assert a.step == b.step == 30
    for part in ("model", "ema", "optimizer"):
        for x, y in zip(jax.tree.leaves(getattr(a, part)), jax.tree.leaves(getattr(b, part)),
                        strict=True):  # fmt: skip
            np.testing.assert_array_equal(x, y)


def test_offline_without_data_leaves_no_cache_behind(tmp_path):
    offline = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
               "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
               "no_proxy": "", "NO_PROXY": ""}  # fmt: skip
    refused(python_m("train", "mnist", "--preset", "tiny", "--out", tmp_path / "run",
                     cwd=tmp_path, env=offline),
            "train-images-idx3-ubyte.gz", tmp_path / "cache" / "diffusion_lite" / "mnist",
            "could not be downloaded", "--data-dir", DATA_ENV_VAR)  # fmt: skip
    assert not (tmp_path / "cache" / "diffusion_lite").exists()  # (matplotlib may cache fonts)


def test_denoiser_passed_as_classifier(tmp_path, run_a, cli):
    refused(cli("eval", "--classifier", run_a),
            "--classifier", run_a, "a denoiser checkpoint; expected a classifier checkpoint")  # fmt: skip


def test_classifier_passed_as_denoiser(tmp_path, cli):
    clf = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    refused(cli("sample", "--checkpoint", clf),
            "--checkpoint", clf, "a classifier checkpoint; expected a denoiser checkpoint")  # fmt: skip


def test_truncated_classifier(tmp_path, cli):
    clf = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    clf.write_bytes(clf.read_bytes()[:1000])
    refused(cli("eval", "--classifier", clf),
            "--classifier", clf, "truncated or corrupt")  # fmt: skip


def test_bit_flipped_classifier(tmp_path, cli):
    clf = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    blob = bytearray(clf.read_bytes())
    blob[-5000] ^= 1  # one bit of a weight
    clf.write_bytes(bytes(blob))
    refused(cli("eval", "--classifier", clf), "--classifier", clf, "checksum")


def test_png_outputs_get_the_usual_mode(tmp_path, run_a, cli):
    umask = os.umask(0)
    os.umask(umask)
    grid, traj = tmp_path / "grid.png", tmp_path / "traj.png"
    status, _, err = cli("sample", "--checkpoint", run_a, "--steps", "2", "--num-images", "2",
                         "--out", grid, "--trajectory", traj)  # fmt: skip
    assert status == 0, err
    for png in (grid, traj):
        assert (
            stat.S_IMODE(png.stat().st_mode) == 0o666 & ~umask == stat.S_IMODE(run_a.stat().st_mode)
        )
    status, _, err = cli("sample", "--checkpoint", run_a, "--steps", "2", "--num-images", "2",
                         "--out", grid)  # fmt: skip
    assert status == 0, err  # an existing PNG is clearly an output: replaced
    (tmp_path / "notes.png").write_text("not a png")
    refused(cli("sample", "--checkpoint", run_a, "--out", tmp_path / "notes.png"),
            "--out", "notes.png", "exists; add --force")  # fmt: skip


def test_shipped_denoiser_checkpoint_still_loads_through_the_cli(tmp_path):
    """The real entry point, ``python -m diffusion_lite``, on the checkpoint the project ships."""
    status, out, err = python_m("sample", "--checkpoint", DENOISER, "--steps", "1",
                                "--num-images", "1", "--out", tmp_path / "one.png",
                                cwd=tmp_path)  # fmt: skip
    assert status == 0 and "wrote" in out, err
