"""Property test of the command line (issue 17): whatever the arguments, exit 0 or 2, no
traceback, and no file changed outside the command's own outputs.

Hypothesis draws commands over numbers (NaN, ±inf, huge, negative) and paths that are
checkpoints (good, exported, truncated, bit-flipped, a classifier), PNGs, text files,
directories, missing, below a file, or read-only.  In-process (``cli.main``), on a tiny
checkpoint and 16 fake MNIST images, so that most examples take well under a second (training or eval ones a few).
"""

import gzip
import hashlib
import os
import shutil
import struct

import jax
import numpy as np
import pytest
from flax import nnx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from diffusion_lite import cli
from diffusion_lite.mnist import data
from diffusion_lite.mnist.checkpoint import export_ema, save_checkpoint
from diffusion_lite.mnist.classifier_file import save_classifier
from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.mnist.train import make_optimizer
from diffusion_lite.models.classifier import Classifier
from diffusion_lite.models.unet import init_unet

pytestmark = pytest.mark.e2e  # end to end (see pyproject: markers)

EXAMPLES = 40  # 124 s at load 11-14 on 2 cores (busy machine), est. ~20 s idle
TINY = PRESETS["tiny"]
INPUTS = ["good.msgpack", "export.msgpack", "trunc.msgpack", "flip.msgpack", "clf.msgpack",
          "grid.png", "notes.txt", "dir", "missing.msgpack", "notes.txt/below.msgpack"]  # fmt: skip
OUTPUTS = ["out.png", "grid.png", "good.msgpack", "dir", "notes.txt", "notes.txt/x.png",
           "ro/x.png", "new/sub/x.png", "out.json", "out.msgpack", "export.msgpack"]  # fmt: skip
RUN_DIRS = ["run", "dir", "notes.txt", "notes.txt/run", "good.msgpack", "ro/run"]


def fake_mnist(directory, monkeypatch):
    """16 blob images per split as gzip IDX files, their checksums accepted."""
    yy, xx = np.mgrid[:28, :28]
    images = np.stack(
        [255 * np.exp(-((yy - 8 - i) ** 2 + (xx - 20 + i) ** 2) / 20) for i in range(16)]
    )
    for split in ("train", "t10k"):
        files = {f"{split}-images-idx3-ubyte": bytes([0, 0, 8, 3]) + struct.pack(">3I", 16, 28, 28)
                 + images.astype(np.uint8).tobytes(),
                 f"{split}-labels-idx1-ubyte": bytes([0, 0, 8, 1]) + struct.pack(">I", 16)
                 + bytes(range(10)) + bytes(6)}  # fmt: skip
        for name, raw in files.items():
            (directory / f"{name}.gz").write_bytes(gzip.compress(raw))
            monkeypatch.setitem(data.MNIST_SHA256, name, hashlib.sha256(raw).hexdigest())


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandbox")
    model = init_unet(TINY.model, 0)
    optimizer = nnx.Optimizer(model, make_optimizer(TINY), wrt=nnx.Param)
    good = save_checkpoint(root / "good.msgpack", model=model, ema=nnx.clone(model),
                           optimizer=optimizer, step=0, key=jax.random.key(0),
                           config=TINY.to_dict())  # fmt: skip
    export_ema(good, root / "export.msgpack")
    (root / "trunc.msgpack").write_bytes(good.read_bytes()[:5000])
    blob = bytearray(good.read_bytes())
    blob[-3000] ^= 4
    (root / "flip.msgpack").write_bytes(bytes(blob))
    save_classifier(Classifier(rngs=nnx.Rngs(0)), root / "clf.msgpack")
    (root / "grid.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    (root / "notes.txt").write_text("precious notes")
    (root / "dir").mkdir()
    (root / "ro").mkdir()
    os.chmod(root / "ro", 0o555)  # (root ignores it; other users get a PermissionError)
    (root / "mnist").mkdir()
    with pytest.MonkeyPatch.context() as monkeypatch:
        fake_mnist(root / "mnist", monkeypatch)
        monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        yield root
    os.chmod(root / "ro", 0o755)
    shutil.rmtree(root)


def snapshot(root, skip):
    """{relative path: sha256 or 'dir'} of every entry not under a path in ``skip``."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if any(rel == s or rel.startswith(s + os.sep) for s in skip):
                continue
            if os.path.isdir(path):
                seen[rel] = "dir"
            else:
                with open(path, "rb") as f:
                    seen[rel] = hashlib.sha256(f.read()).hexdigest()
    return seen


ints = st.one_of(st.integers(-3, 6), st.sampled_from([0, 50, 100, 101, 10**12, -(10**12)]))
floats = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(allow_nan=True, allow_infinity=True))
small = st.one_of(st.integers(1, 4), ints)  # half of the draws valid for most flags
flag = st.booleans()


def usually(good, *others):
    """``good`` half of the time, else any of ``others`` (so that some commands succeed)."""
    return st.one_of(st.just(good), st.sampled_from([good, *others]))


src, dst, run_dir = st.sampled_from(INPUTS), st.sampled_from(OUTPUTS), st.sampled_from(RUN_DIRS)


@st.composite
def commands(draw):
    """(argv with sandbox-relative paths, the outputs it may write)."""
    kind = draw(st.sampled_from(["sample", "export", "eval", "train"]))
    if kind == "sample":
        out, traj = draw(usually("out.png", *OUTPUTS)), draw(usually(None, *OUTPUTS))
        argv = ["sample", "--checkpoint", draw(usually("good.msgpack", *INPUTS)), "--out", out,
                "--steps", draw(small), "--eta", draw(floats), "--num-images", draw(small),
                "--seed", draw(small),
                "--sampler", draw(st.sampled_from(["ddim", "ancestral"]))]  # fmt: skip
        argv += ["--trajectory", traj] * (traj is not None) + ["--force"] * draw(flag)
        return argv + ["--no-ema"] * draw(flag), [out, traj]
    if kind == "export":
        out = draw(dst)
        return ["export", draw(usually("good.msgpack", *INPUTS)), out] + ["--force"] * draw(
            flag
        ) + ["--half"] * draw(flag), [out]
    if kind == "eval":
        out = draw(usually("out.json", *OUTPUTS))
        argv = ["eval", "--checkpoint", draw(usually("export.msgpack", *INPUTS)),
                "--classifier", draw(usually("clf.msgpack", *INPUTS)), "--json", out,
                "--num-samples", draw(small), "--steps", draw(small), "--eta", draw(floats),
                "--seed", draw(small), "--data-dir", draw(usually("mnist", "dir", "notes.txt"))]  # fmt: skip
        return argv, [out]
    out = draw(usually("run", *RUN_DIRS))
    argv = ["train", "mnist", "--out", out, "--data-dir", "mnist", "--no-progress"]
    if draw(flag):
        argv += ["--resume"]
    else:
        argv += ["--preset", "tiny", "--steps", draw(usually(2, 1, 0, -1)),
                 "--lr", draw(usually(3e-3, 0.0, 2.0, float("nan"), float("inf"))),
                 "--batch-size", draw(usually(8, 0, 6, 17, 10**9))]  # fmt: skip
    argv += ["--stop-after", draw(usually(1, 0, -3, 10**12))] * draw(flag)
    return argv + ["--keep-every", draw(usually(0, 1, -1))], [out]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(command=commands())
def test_cli_exits_0_or_2_without_traceback_and_touches_only_its_outputs(sandbox, capsys, command):
    argv, outputs = command
    outputs = [o for o in outputs if o is not None]
    cwd = os.getcwd()
    before = snapshot(sandbox, outputs)
    os.chdir(sandbox)
    try:
        status = cli.main([str(a) for a in argv])
    except SystemExit as exit_:  # argparse: --help or a malformed argument
        status = exit_.code
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    event(f"{argv[0]} exit {status}")  # shown by --hypothesis-show-statistics
    assert status in (0, 2), (argv, status, err)
    assert "Traceback" not in err, (argv, err)
    assert snapshot(sandbox, outputs) == before, argv
