"""What does guidance buy?  A class-conditional checkpoint scored at several guidance scales w.

For samples drawn with requested labels y (balanced: N/10 of each digit), read by the MNIST
classifier of ``evaluate``:

1. **Requested**: the share the classifier assigns to the *requested* label with
   p(y | x) ≥ 0.9 (a confident wrong digit counts against it).
2. **Per-class accuracy**: for each digit k, the share of samples asked for k whose most
   likely class is k.
3. **Fréchet distance** in the classifier's features, overall (all samples vs the test set)
   and per class (samples asked for k vs test images of k), each beside its real-vs-real
   baseline: as many real training images, of the same classes, vs the same test images.
4. **Diversity**: per class, tr Cov(φ of the samples) / tr Cov(φ of the test images of k),
   averaged over classes; real training images score ≈ 1.  Guidance trades it for (1)–(2).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.mnist.checkpoint import Weights, build_unet, load_checkpoint
from diffusion_lite.mnist.classifier_file import DEFAULT_CHECKPOINT as CLASSIFIER
from diffusion_lite.mnist.classifier_file import load_classifier
from diffusion_lite.mnist.data import Split, load_mnist
from diffusion_lite.mnist.evaluate import CONFIDENCE, NUM_CLASSES, frechet_distance, gaussian_stats
from diffusion_lite.mnist.generate import ClipX0, Sampler, generate
from diffusion_lite.models.classifier import predict


def requested_share(probs, labels, confidence: float = CONFIDENCE) -> float:
    """Share of samples with argmax_y p(y|x) = requested label and max_y p(y|x) ≥ confidence."""
    probs, labels = np.asarray(probs), np.asarray(labels)
    if probs.shape != (len(labels), NUM_CLASSES):
        raise ValueError(f"probs must have shape [N, {NUM_CLASSES}] with N = len(labels) = "
                         f"{len(labels)}, got {probs.shape}")  # fmt: skip
    hit = (probs.argmax(axis=1) == labels) & (probs.max(axis=1) >= confidence)
    return float(hit.mean())


def per_class_accuracy(probs, labels) -> np.ndarray:
    """[10]: for each class k, the share of samples asked for k classified as k (NaN if none)."""
    probs, labels = np.asarray(probs), np.asarray(labels)
    right = probs.argmax(axis=1) == labels
    return np.array([right[labels == k].mean() if np.any(labels == k) else np.nan
                     for k in range(NUM_CLASSES)])  # fmt: skip


def _trace_cov(features) -> float:
    return float(np.trace(np.atleast_2d(np.cov(np.asarray(features, np.float64), rowvar=False))))


@dataclasses.dataclass(frozen=True)
class Reference:
    """The MNIST test set in classifier-feature space, the reference of every distance."""

    test_phi: np.ndarray  # [M, D]
    test_labels: np.ndarray  # [M]

    def frechet(self, phi, k=None) -> float:
        """Fréchet distance of features ``phi`` to the test set (of class k only, if given)."""
        test = self.test_phi if k is None else self.test_phi[self.test_labels == k]
        return frechet_distance(*gaussian_stats(phi), *gaussian_stats(test))

    def diversity(self, phi, labels) -> float:
        """Mean over k of tr Cov(φ | asked for k) / tr Cov(φ_test | k)."""
        return float(np.mean([
            _trace_cov(phi[labels == k]) / _trace_cov(self.test_phi[self.test_labels == k])
            for k in range(NUM_CLASSES)
        ]))  # fmt: skip


@dataclasses.dataclass(frozen=True)
class GuidanceRow:
    """The scores of N samples drawn at one guidance scale w."""

    w: float
    requested: float
    per_class: np.ndarray  # [10]
    frechet: float
    frechet_per_class: np.ndarray  # [10]
    diversity: float


def score(w: float, classifier, samples, labels, ref: Reference) -> GuidanceRow:
    """The ``GuidanceRow`` of samples [N, 28, 28, 1] drawn for ``labels`` [N] at scale w."""
    probs, phi = predict(classifier, np.clip(np.asarray(samples, np.float32), -1.0, 1.0))
    labels = np.asarray(labels)
    return GuidanceRow(
        w=w,
        requested=requested_share(probs, labels),
        per_class=per_class_accuracy(probs, labels),
        frechet=ref.frechet(phi),
        frechet_per_class=np.array([ref.frechet(phi[labels == k], k=k) for k in range(10)]),
        diversity=ref.diversity(phi, labels),
    )


def balanced_labels(n: int) -> np.ndarray:
    """0, 1, …, 9, 0, 1, … (N labels, N a multiple of 10)."""
    if n < 2 * NUM_CLASSES or n % NUM_CLASSES:
        raise ValueError(f"num_samples must be a multiple of 10 and >= 20, got {n}")
    return np.arange(n) % NUM_CLASSES


def reference(key, classifier, n: int, data_dir=None) -> tuple[Reference, GuidanceRow]:
    """The real digits' ``Reference`` and the real-vs-real row (N training images, N/10 each)."""
    test_x, test_y = load_mnist(Split.TEST, data_dir)
    train_x, train_y = load_mnist(Split.TRAIN, data_dir)
    balanced_labels(n)  # checks n
    pick = np.concatenate([
        np.asarray(jax.random.choice(jax.random.fold_in(key, k), np.flatnonzero(train_y == k),
                                     (n // NUM_CLASSES,), replace=False))
        for k in range(NUM_CLASSES)
    ])  # fmt: skip
    ref = Reference(predict(classifier, test_x)[1], test_y)
    return ref, score(float("nan"), classifier, train_x[pick], train_y[pick], ref)


def evaluate_guidance(
    key,
    path: str | Path,
    guidances=(0.0, 1.0, 3.0),
    num_samples: int = 1000,
    num_steps: int = 50,
    classifier_path: str | Path = CLASSIFIER,
    data_dir=None,
    eta: float = 0.0,
    batch: int = 250,
) -> tuple[list[GuidanceRow], GuidanceRow, float]:
    """Sample N balanced-label images per w from a conditional checkpoint and score them.

    The same key (so the same initial noise) is used for every w.

    Returns:
        ``(rows, real_row, sampling_seconds)``: one row per w, the real-vs-real row.
    """
    ckpt = load_checkpoint(path)
    config = ckpt.train_config()
    if not config.model.num_classes:
        raise ValueError(f"{path}: an unconditional checkpoint; guidance needs a conditional one")
    classifier = load_classifier(classifier_path)
    key_sample, key_real = jax.random.split(key)
    ref, real_row = reference(key_real, classifier, num_samples, data_dir)
    model = ClipX0(build_unet(ckpt, Weights.EMA), config)
    labels, schedule, rows = balanced_labels(num_samples), config.noise_schedule(), []
    start = time.perf_counter()
    for w in guidances:
        chunks = [
            np.asarray(generate(model, jax.random.fold_in(key_sample, i), schedule, Sampler.DDIM,
                                len(labels[i : i + batch]), num_steps, eta=eta,
                                labels=jnp.asarray(labels[i : i + batch]), guidance=float(w)))
            for i in range(0, num_samples, batch)
        ]  # fmt: skip
        rows.append(score(float(w), classifier, np.concatenate(chunks), labels, ref))
    return rows, real_row, time.perf_counter() - start


def format_table(rows: list[GuidanceRow], real: GuidanceRow) -> str:
    """The guidance trade-off as text: one line per w, and the real-vs-real baseline first."""
    head = (f"{'w':>5}  {'requested':>9}  {'worst class':>11}  {'Frechet':>7}  "
            f"{'per class':>9}  {'diversity':>9}")  # fmt: skip
    lines = [
        f"requested = classifier says the requested digit with p >= {CONFIDENCE}; worst class = "
        "lowest per-class accuracy; Frechet overall and mean per class; diversity = within-class "
        "feature spread / the test set's",
        head,
    ]
    for row in [real, *rows]:
        w = "real" if np.isnan(row.w) else f"{row.w:g}"
        worst = int(np.nanargmin(row.per_class))
        lines.append(
            f"{w:>5}  {row.requested:>9.1%}  {row.per_class[worst]:>6.1%} ({worst})  "
            f"{row.frechet:>7.2f}  {np.mean(row.frechet_per_class):>9.2f}  {row.diversity:>9.2f}"
        )
    return "\n".join(lines)


def row_dict(row: GuidanceRow) -> dict:
    """JSON-ready numbers of one row (rounded)."""
    return {
        "w": None if np.isnan(row.w) else row.w,
        "requested": round(row.requested, 4),
        "per_class_accuracy": [round(float(a), 4) for a in row.per_class],
        "frechet": round(row.frechet, 3),
        "frechet_per_class": [round(float(f), 3) for f in row.frechet_per_class],
        "diversity": round(row.diversity, 4),
    }
