"""The guidance evaluation: its scores on hand-made inputs, and ``eval`` on a conditional run."""

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
from diffusion_lite.mnist.evaluate_cond import (
    GuidanceRow,
    Reference,
    balanced_labels,
    format_table,
    per_class_accuracy,
    requested_share,
)
from diffusion_lite.mnist.train import fit
from diffusion_lite.models.classifier import Classifier


def _probs(classes, confidence):
    """One-hot-ish probabilities: ``confidence`` on the given class, the rest spread evenly."""
    p = np.full((len(classes), 10), (1.0 - np.asarray(confidence))[:, None] / 9)
    p[np.arange(len(classes)), classes] = confidence
    return p


def test_requested_share_needs_the_requested_label_and_the_confidence():
    labels = np.array([3, 3, 3, 7])
    probs = _probs([3, 3, 5, 7], [0.95, 0.85, 0.99, 0.9])  # sure, unsure, wrong digit, at 0.9
    assert requested_share(probs, labels) == pytest.approx(2 / 4)
    with pytest.raises(
        ValueError, match=r"probs must have shape \[N, 10\] with N = len\(labels\) = 4"
    ):
        requested_share(probs[:3], labels)


def test_per_class_accuracy_counts_argmax_hits_per_requested_class():
    labels = np.array([0, 0, 1, 1, 1, 2])
    probs = _probs([0, 4, 1, 1, 2, 2], [0.5] * 6)
    acc = per_class_accuracy(probs, labels)
    np.testing.assert_allclose(acc[:3], [0.5, 2 / 3, 1.0])
    assert np.isnan(acc[3:]).all()  # no sample asked for 3..9


def test_reference_frechet_is_zero_for_the_test_features_and_diversity_one():
    rng = np.random.default_rng(0)
    phi, labels = (
        rng.normal(size=(400, 3)) + np.repeat(np.arange(10), 40)[:, None],
        np.repeat(np.arange(10), 40),
    )
    ref = Reference(phi, labels)
    assert ref.frechet(phi) == pytest.approx(0.0, abs=1e-6)
    assert ref.frechet(phi[labels == 4], k=4) == pytest.approx(0.0, abs=1e-6)
    assert ref.diversity(phi, labels) == pytest.approx(1.0)
    assert ref.diversity(0.5 * phi, labels) == pytest.approx(0.25)  # spread scales as variance


def test_balanced_labels_and_their_limits():
    np.testing.assert_array_equal(balanced_labels(20), np.tile(np.arange(10), 2))
    with pytest.raises(ValueError, match="num_samples must be a multiple of 10 and >= 20, got 25"):
        balanced_labels(25)


def test_format_table_names_the_worst_class_and_the_real_row():
    row = GuidanceRow(2.0, 0.975, np.linspace(0.9, 1.0, 10), 3.5, np.full(10, 20.0), 0.8)
    real = dataclasses.replace(row, w=float("nan"), requested=0.99)
    text = format_table([row], real)
    assert " real      99.0%" in text and "    2      97.5%   90.0% (0)" in text


@pytest.mark.data
@pytest.mark.e2e
@pytest.mark.skipif(not os.environ.get(DATA_ENV_VAR), reason=f"${DATA_ENV_VAR} not set")
def test_eval_on_a_conditional_run_prints_the_table_per_w(tmp_path, capsys):
    images = np.tanh(np.linspace(-2, 2, 16 * 28 * 28, dtype=np.float32)).reshape(16, 28, 28, 1)
    tiny = PRESETS["tiny"]
    config = dataclasses.replace(
        tiny, steps=2, model=dataclasses.replace(tiny.model, num_classes=10)
    )
    fit(config, images, tmp_path, progress=False, labels=np.arange(16) % 10)
    save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "clf.msgpack")
    argv = ["eval", "--checkpoint", str(tmp_path / "checkpoint.msgpack"), "--classifier",
            str(tmp_path / "clf.msgpack"), "--num-samples", "20", "--steps", "2",
            "--guidance", "0,2", "--json", str(tmp_path / "eval.json")]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "requested" in out and "\n real " in out and "\n    0 " in out and "\n    2 " in out
    numbers = json.loads((tmp_path / "eval.json").read_text())["eval"]
    assert [row["w"] for row in numbers["guidance"]] == [0.0, 2.0] and numbers["real"]["w"] is None
    assert len(numbers["guidance"][0]["per_class_accuracy"]) == 10
    assert main(argv[:5] + ["--num-samples", "25"]) == 2
    assert "--num-samples must be a multiple of 10" in capsys.readouterr().err
