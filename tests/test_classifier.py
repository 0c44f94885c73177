"""Tests for diffusion_lite.models.classifier."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from diffusion_lite.mnist.classifier_train import cross_entropy, train_step
from diffusion_lite.models.classifier import (
    FEATURE_DIM,
    Classifier,
    load_classifier,
    predict,
    save_classifier,
)


def tiny_batch(n=32):
    k1, k2 = jax.random.split(jax.random.key(0))
    images = jnp.tanh(jax.random.normal(k1, (n, 28, 28, 1)))
    labels = jax.random.randint(k2, (n,), 0, 10)
    return images, labels


def test_shapes_and_probabilities():
    model = Classifier(rngs=nnx.Rngs(0))
    images, _ = tiny_batch(5)
    assert model(images).shape == (5, 10)
    probs, phi = predict(model, np.asarray(images), batch_size=2)  # several batches
    assert probs.shape == (5, 10) and phi.shape == (5, FEATURE_DIM)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(probs, jax.nn.softmax(model(images)), atol=1e-6)
    assert (phi >= 0).all()  # features are after a ReLU


def test_cross_entropy_matches_log_softmax_by_hand():
    model = Classifier(rngs=nnx.Rngs(1))
    images, labels = tiny_batch(8)
    logits = np.asarray(model(images), np.float64)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(
        cross_entropy(model, images, labels), -log_p[np.arange(8), labels].mean(), rtol=1e-5
    )


def test_loss_falls_on_a_tiny_batch():
    """Memorising 32 random images with random labels: the loss must drop well below log 10."""
    model = Classifier(rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adam(1e-3), wrt=nnx.Param)
    images, labels = tiny_batch(32)
    first = float(train_step(model, optimizer, images, labels))
    for _ in range(40):
        last = float(train_step(model, optimizer, images, labels))
    assert abs(first - np.log(10)) < 1.0  # starts near chance
    assert last < 0.3 * first, (first, last)


def test_save_load_round_trip_is_exact(tmp_path):
    model = Classifier(rngs=nnx.Rngs(3))
    save_classifier(model, tmp_path / "c.msgpack")
    loaded = load_classifier(tmp_path / "c.msgpack")
    images, _ = tiny_batch(4)
    np.testing.assert_array_equal(loaded(images), model(images))
    assert list(tmp_path.iterdir()) == [tmp_path / "c.msgpack"]  # no temp file left behind
