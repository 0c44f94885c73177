"""Tests for diffusion_lite.models.classifier."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

from diffusion_lite.mnist.classifier_file import load_classifier, save_classifier
from diffusion_lite.mnist.classifier_train import cross_entropy, train_step
from diffusion_lite.models.classifier import FEATURE_DIM, Classifier, predict


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


@pytest.mark.e2e
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


@pytest.mark.e2e
def test_shipped_classifier_is_checksummed_and_keeps_its_trained_weights():
    """Re-wrapped into the checkpoint format with its weights unchanged (issue 16/17).

    ``weights_sha256`` in the JSON is the sha256 of msgpack(params), which was the whole
    file before the re-wrap: the same bytes of weights, now inside a verified envelope.
    """
    import hashlib
    import json

    from flax import serialization

    from diffusion_lite.mnist.checkpoint import Kind, read_payload
    from diffusion_lite.mnist.classifier_file import DEFAULT_CHECKPOINT

    params = read_payload(DEFAULT_CHECKPOINT, Kind.CLASSIFIER)["params"]  # verifies the sha256
    meta = json.loads(DEFAULT_CHECKPOINT.with_suffix(".json").read_text())
    assert (
        hashlib.sha256(serialization.msgpack_serialize(params)).hexdigest()
        == (meta["weights_sha256"])
    )
    model = load_classifier()
    for a, b in zip(jax.tree.leaves(params), jax.tree.leaves(nnx.state(model, nnx.Param)),
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(a, b)


def test_damaged_or_legacy_classifier_files_are_refused_with_their_path(tmp_path):
    from flax import serialization

    from diffusion_lite.mnist.checkpoint import CheckpointError, pure_state

    path = save_classifier(Classifier(rngs=nnx.Rngs(0)), tmp_path / "c.msgpack")
    blob = path.read_bytes()
    for damaged, message in [
        (blob[: len(blob) // 2], "truncated or corrupt"),
        (blob[:-100] + bytes([blob[-100] ^ 1]) + blob[-99:], "checksum mismatch"),
        (serialization.msgpack_serialize(pure_state(Classifier(), nnx.Param)), "not a diffusion"),
    ]:  # the last: the format before the sha256 envelope
        path.write_bytes(damaged)
        with pytest.raises(CheckpointError, match=message) as err:
            load_classifier(path)
        assert str(path) in str(err.value)
