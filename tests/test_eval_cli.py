"""The ``eval`` command end to end on a tiny run (needs the real MNIST files)."""

import dataclasses
import json
import os

import numpy as np
import pytest
from flax import nnx

from diffusion_lite.cli import main
from diffusion_lite.data import DATA_ENV_VAR
from diffusion_lite.models.classifier import Classifier, save_classifier
from diffusion_lite.train import fit
from diffusion_lite.train_config import PRESETS

pytestmark = [pytest.mark.data, pytest.mark.slow]


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
