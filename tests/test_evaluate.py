"""Tests for diffusion_lite.mnist.evaluate: Fréchet distance, recognition histogram, mode coverage."""

import jax
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.mnist.evaluate import (
    class_histogram,
    covers_all_modes,
    evaluate,
    frechet_distance,
    gaussian_stats,
    sqrtm_psd,
)
from diffusion_lite.models.classifier import Classifier


def random_spd(key, d):
    a = np.asarray(jax.random.normal(key, (d, d)), np.float64)
    return a @ a.T + 0.1 * np.eye(d)


def test_sqrtm_psd_squares_back():
    a = random_spd(jax.random.key(0), 6)
    root = sqrtm_psd(a)
    np.testing.assert_allclose(root, root.T, atol=1e-12)
    np.testing.assert_allclose(root @ root, a, atol=1e-10)


def test_frechet_diagonal_closed_form():
    """Commuting (diagonal) covariances: d² = ‖Δμ‖² + Σ_i (σ1_i − σ2_i)²."""
    mu1, mu2 = np.array([0.0, 1.0, -2.0]), np.array([0.5, 1.0, 1.0])
    var1, var2 = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(var1) - np.sqrt(var2)) ** 2)
    got = frechet_distance(mu1, np.diag(var1), mu2, np.diag(var2))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_frechet_non_commuting_2d_closed_form():
    """2-D: tr √M = √(tr M + 2 √det M) for PSD M = Σ1^½ Σ2 Σ1^½ (tr M = tr Σ1Σ2, det M = det Σ1 det Σ2)."""
    for seed in range(5):
        k1, k2, k3 = jax.random.split(jax.random.key(seed), 3)
        cov1, cov2 = random_spd(k1, 2), random_spd(k2, 2)
        assert not np.allclose(cov1 @ cov2, cov2 @ cov1)  # really non-commuting
        mu1, mu2 = np.asarray(jax.random.normal(k3, (2, 2)), np.float64)
        cross = np.sqrt(
            np.trace(cov1 @ cov2) + 2 * np.sqrt(np.linalg.det(cov1) * np.linalg.det(cov2))
        )
        expected = np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2 * cross
        np.testing.assert_allclose(frechet_distance(mu1, cov1, mu2, cov2), expected, rtol=1e-10)
        np.testing.assert_allclose(
            frechet_distance(mu1, cov1, mu2, cov2),
            frechet_distance(mu2, cov2, mu1, cov1),
            rtol=1e-10,
        )


def test_frechet_zero_for_identical_sets():
    features = np.asarray(jax.random.normal(jax.random.key(3), (500, 16)))
    stats = gaussian_stats(features)
    assert frechet_distance(*stats, *stats) < 1e-9


def test_frechet_of_sample_stats_approaches_truth():
    """Monte Carlo: stats of 20,000 draws from N(0, I) and N(m, 4 I) in 4-D; d² = ‖m‖² + 4·(2−1)²."""
    k1, k2 = jax.random.split(jax.random.key(4))
    a = np.asarray(jax.random.normal(k1, (20_000, 4)), np.float64)
    b = 1.0 + 2.0 * np.asarray(jax.random.normal(k2, (20_000, 4)), np.float64)
    expected = 4 * 1.0**2 + 4 * (2.0 - 1.0) ** 2  # = 8
    assert abs(frechet_distance(*gaussian_stats(a), *gaussian_stats(b)) - expected) < 0.15


def test_frechet_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="means"):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))


def test_class_histogram_hand_made():
    probs = np.full((5, 10), 0.01)
    probs[0, 3] = 0.91  # recognised as 3
    probs[1, 3] = 0.95  # recognised as 3
    probs[2, 7] = 0.90  # exactly at the threshold: recognised as 7
    probs[3, 1] = 0.50  # not confident
    probs[4, 0] = 0.89  # just below
    recognised, counts = class_histogram(probs)
    assert recognised == pytest.approx(3 / 5)
    np.testing.assert_array_equal(counts, [0, 0, 0, 2, 0, 0, 0, 1, 0, 0])
    with pytest.raises(ValueError, match="probs"):
        class_histogram(probs[:, :9])
    with pytest.raises(ValueError, match="confidence"):
        class_histogram(probs, confidence=0.0)


def test_coverage_factor_two_boundaries():
    assert covers_all_modes(np.full(10, 7))
    assert covers_all_modes([5, 20, 10, 10, 10, 10, 10, 10, 10, 5])  # shares 5 % and 20 %: inside
    assert not covers_all_modes([4, 21, 10, 10, 10, 10, 10, 10, 10, 5])  # 4 % < 5 %
    assert not covers_all_modes([0, 12, 11, 11, 11, 11, 11, 11, 11, 11])  # a missing mode
    assert not covers_all_modes([1, 1, 1, 1, 1, 1, 1, 1, 1, 91])  # collapse
    assert not covers_all_modes(np.zeros(10))


def test_evaluate_real_vs_itself_equals_baseline():
    """Samples that ARE the whole training set: the Fréchet distance equals the baseline."""
    images = np.tanh(np.asarray(jax.random.normal(jax.random.key(5), (60, 28, 28, 1))))
    classifier = Classifier(rngs=nnx.Rngs(0))
    report = evaluate(jax.random.key(6), classifier, images[:40], images[40:], images[:40])
    assert report.num_samples == 40 and report.counts.shape == (10,)
    np.testing.assert_allclose(report.frechet, report.frechet_baseline, rtol=1e-6)
    assert "Frechet" in str(report)
    with pytest.raises(ValueError, match="samples"):
        evaluate(jax.random.key(6), classifier, images[:, :27], images, images)
