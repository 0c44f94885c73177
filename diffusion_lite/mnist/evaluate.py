"""How good are generated digits?  Three numbers read by a trained MNIST classifier.

1. **Recognised**: the fraction of samples the classifier assigns to one class with
   probability ≥ 0.9 (a blob or a hybrid of two digits is not recognised).
2. **Mode coverage** (the GAN-vs-diffusion tie-back of notebook 01): the histogram of the
   recognised samples over the 10 classes; covered when every class holds a share within
   a factor 2 of uniform, i.e. between 5 % and 20 %.
3. **Fréchet distance** between Gaussians fitted to the classifier's penultimate features
   φ(x) of the samples and of the real test set (the FID recipe of Heusel et al. 2017 with
   an MNIST classifier in place of Inception).  Its size only means something beside the
   **real-vs-real baseline**: the same distance for an equal number of real training
   images, which measures the estimator's own bias and noise at that sample size.
"""

from __future__ import annotations

import dataclasses

import jax
import numpy as np

from diffusion_lite.models.classifier import Classifier, predict

NUM_CLASSES = 10
CONFIDENCE = 0.9  # a sample is "recognised" when max_y p(y | x) >= this
COVERAGE_FACTOR = 2.0  # every class share within [1/(2·10), 2/10]


def sqrtm_psd(a) -> np.ndarray:
    """The symmetric square root A^{1/2} of a symmetric positive semi-definite matrix.

    Math:
        A = V diag(λ) Vᵀ  ⇒  A^{1/2} = V diag(√max(λ, 0)) Vᵀ   (tiny negative λ from
        round-off are clipped to 0).

    Args:
        a: shape [D, D], symmetric PSD.

    Returns:
        float64 [D, D] with A^{1/2} A^{1/2} = A.
    """
    a = np.asarray(a, dtype=np.float64)
    lam, v = np.linalg.eigh((a + a.T) / 2)
    return (v * np.sqrt(np.maximum(lam, 0.0))) @ v.T


def frechet_distance(mu1, cov1, mu2, cov2) -> float:
    """Squared Fréchet (2-Wasserstein) distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).

    Math (Dowson & Landau 1982; the FID of Heusel et al. 2017):
        d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
    The inner matrix is symmetric PSD, so both square roots are symmetric
    eigendecompositions (no scipy, no complex round-off).

    Args:
        mu1, mu2: means, shape [D].
        cov1, cov2: covariances, shape [D, D].

    Returns:
        d² ≥ 0 as a Python float.
    """
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    cov1, cov2 = np.asarray(cov1, np.float64), np.asarray(cov2, np.float64)
    if mu1.shape != mu2.shape or cov1.shape != cov2.shape or cov1.shape != mu1.shape * 2:
        raise ValueError(
            f"means must be [D] and covariances [D, D] alike, got {mu1.shape}, {cov1.shape}, "
            f"{mu2.shape}, {cov2.shape}"
        )
    root1 = sqrtm_psd(cov1)
    cross = np.trace(sqrtm_psd(root1 @ cov2 @ root1))
    d2 = np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2.0 * cross
    return float(max(d2, 0.0))


def gaussian_stats(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean [D] and unbiased covariance [D, D] of features [N, D] (N ≥ 2), in float64."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] < 2:
        raise ValueError(f"features must have shape [N >= 2, D], got {features.shape}")
    return features.mean(axis=0), np.cov(features, rowvar=False)


def class_histogram(probs, confidence: float = CONFIDENCE) -> tuple[float, np.ndarray]:
    """Fraction recognised (max_y p(y|x) ≥ confidence) and counts [10] of their classes.

    Args:
        probs: classifier probabilities, shape [N, 10].
        confidence: threshold in (0, 1].

    Returns:
        ``(recognised_fraction, counts)``; counts int [10] over the recognised samples only.
    """
    probs = np.asarray(probs)
    if probs.ndim != 2 or probs.shape[1] != NUM_CLASSES:
        raise ValueError(f"probs must have shape [N, {NUM_CLASSES}], got {probs.shape}")
    if not 0.0 < confidence <= 1.0:
        raise ValueError(f"confidence must lie in (0, 1], got {confidence}")
    recognised = probs.max(axis=1) >= confidence
    counts = np.bincount(probs.argmax(axis=1)[recognised], minlength=NUM_CLASSES)
    return float(recognised.mean()), counts


def covers_all_modes(counts, factor: float = COVERAGE_FACTOR) -> bool:
    """True when every class share counts[k] / Σ counts lies in [1/(factor·K), factor/K]."""
    counts = np.asarray(counts, dtype=np.float64)
    if factor < 1.0:
        raise ValueError(f"factor must be >= 1, got {factor}")
    if counts.sum() == 0:
        return False
    shares, uniform = counts / counts.sum(), 1.0 / len(counts)
    return bool(np.all((shares >= uniform / factor) & (shares <= uniform * factor)))


@dataclasses.dataclass(frozen=True)
class Report:
    """The evaluation of N samples, and the real-vs-real baseline at the same N."""

    num_samples: int
    recognised: float  # fraction with confidence >= CONFIDENCE
    counts: np.ndarray  # int [10], recognised samples per class
    covered: bool  # every class within a factor 2 of uniform
    frechet: float  # samples vs the test set, in φ-space
    frechet_baseline: float  # N real training images vs the test set

    def __str__(self) -> str:
        shares = self.counts / max(self.counts.sum(), 1)
        lines = [
            f"samples:            {self.num_samples}",
            f"recognised (p>={CONFIDENCE}): {self.recognised:.1%}",
            "per class:          " + " ".join(f"{k}:{s:.0%}" for k, s in enumerate(shares)),
            f"mode coverage:      {'every class' if self.covered else 'NOT every class'} "
            f"within a factor {COVERAGE_FACTOR:g} of uniform",
            f"Frechet distance:   {self.frechet:.2f}   (real-vs-real baseline at the same N: "
            f"{self.frechet_baseline:.2f})",
        ]
        return "\n".join(lines)


def evaluate(
    key, classifier: Classifier, samples, test_images, train_images, confidence: float = CONFIDENCE
) -> Report:
    """Score samples x ∈ [-1, 1] of shape [N, 28, 28, 1] against real MNIST.

    Args:
        key: PRNG key choosing the N training images of the baseline.
        classifier: a trained ``Classifier``.
        samples: generated images, [N, 28, 28, 1] in [-1, 1] (N ≥ 2; a few hundred or more
            for a stable Fréchet distance).
        test_images: the real reference set (the MNIST test set), [M, 28, 28, 1].
        train_images: real images the baseline draws N from, [≥ N, 28, 28, 1].
        confidence: the recognition threshold.

    Returns:
        a ``Report``; ``print(report)`` shows all numbers.
    """
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim != 4 or samples.shape[1:] != (28, 28, 1):
        raise ValueError(f"samples must have shape [N, 28, 28, 1], got {samples.shape}")
    n = samples.shape[0]
    if len(train_images) < n:
        raise ValueError(f"train_images must hold at least N = {n} images, got {len(train_images)}")
    probs, phi = predict(classifier, np.clip(samples, -1.0, 1.0))
    recognised, counts = class_histogram(probs, confidence)
    test_stats = gaussian_stats(predict(classifier, test_images)[1])
    subset = np.asarray(jax.random.choice(key, len(train_images), (n,), replace=False))
    real_stats = gaussian_stats(predict(classifier, train_images[np.sort(subset)])[1])
    return Report(
        num_samples=n,
        recognised=recognised,
        counts=counts,
        covered=covers_all_modes(counts),
        frechet=frechet_distance(*gaussian_stats(phi), *test_stats),
        frechet_baseline=frechet_distance(*real_stats, *test_stats),
    )
