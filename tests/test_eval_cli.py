"""The ``eval`` command end to end on a tiny run (needs the real MNIST files)."""

import dataclasses
import json
import os

import numpy as np
import pytest
from flax import nnx

from diffusion_lite.cli import main
from diffusion_lite.mnist.classifier_file import save_classifier
from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.mnist.data import DATA_ENV_VAR
from diffusion_lite.mnist.train import fit
from diffusion_lite.models.classifier import Classifier

pytestmark = [pytest.mark.data, pytest.mark.e2e]


@pytest.mark.skipif(not os.environ.get(DATA_ENV_VAR), reason=f"${DATA_ENV_VAR} not set")
def test_eval_prints_and_writes_the_numbers(tmp_path, capsys):
    images = np.tanh(np.linspace(-2, 2, 16 * 28 * 28, dtype=np.float32)).reshape(16, 28, 28, 1)
    fit(dataclasses.replace(PRESETS["tiny"], steps=2), images, tmp_path, progress=False)
    save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    argv = ["eval", "--checkpoint", str(tmp_path / "checkpoint.msgpack"), "--classifier",
            str(tmp_path / "clf.msgpack"), "--num-samples", "12", "--steps", "2",
            "--json", str(tmp_path / "eval.json")]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "recognised" in out and "real-vs-real baseline" in out and "per class" in out
    numbers = json.loads((tmp_path / "eval.json").read_text())["eval"]
    assert numbers["num_samples"] == 12 and len(numbers["counts"]) == 10
    assert numbers["frechet"] >= 0 and numbers["frechet_baseline"] >= 0


def test_eval_reports_a_missing_checkpoint(tmp_path, capsys):
    assert main(["eval", "--checkpoint", str(tmp_path / "none.msgpack")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.skipif(not os.environ.get(DATA_ENV_VAR), reason=f"${DATA_ENV_VAR} not set")
def test_eval_of_the_shipped_checkpoint_prints_the_three_numbers_and_the_baseline(capsys):
    assert main(["eval", "--num-samples", "16", "--steps", "3", "--eta", "1"]) == 0
    out = capsys.readouterr().out
    assert "ddim 3 steps, η = 1, x̂_0 clipped" in out
    for label in ("recognised (p>=0.9)", "per class", "mode coverage", "real-vs-real baseline"):
        assert label in out


def test_shipped_denoiser_is_small_loads_and_documents_itself():
    from diffusion_lite.mnist.checkpoint import load_checkpoint
    from diffusion_lite.mnist.pretrained import DENOISER, load_denoiser

    assert DENOISER.stat().st_size <= 5_000_000  # the limit for a shipped checkpoint
    assert load_checkpoint(DENOISER).weights_only
    model, config = load_denoiser()
    assert config.model == PRESETS["quick-cpu"].model
    meta = json.loads(DENOISER.with_suffix(".json").read_text())
    for field in ("command", "export_command", "train_minutes", "hardware", "curve"):
        assert field in meta, field
    assert {"recognised", "counts", "frechet", "frechet_baseline", "command"} <= set(meta["eval"])
