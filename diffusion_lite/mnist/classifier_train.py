"""Train the MNIST judge classifier (``models.classifier.Classifier``) with Adam, and save it.

``python -m diffusion_lite train classifier`` runs ``train_and_save``, which writes the shipped
``checkpoints/mnist_classifier.msgpack`` and its ``.json`` (command, time, test accuracy).
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from diffusion_lite.mnist.checkpoint import write_atomically
from diffusion_lite.mnist.classifier_file import DEFAULT_CHECKPOINT, save_classifier
from diffusion_lite.mnist.data import Split, load_mnist
from diffusion_lite.models.classifier import Classifier, predict


def cross_entropy(model: Classifier, x, labels):
    """Mean cross-entropy −log p(y | x) over the batch; labels int [B]."""
    return optax.softmax_cross_entropy_with_integer_labels(model(x), labels).mean()


@nnx.jit
def train_step(model: Classifier, optimizer: nnx.Optimizer, x, labels):
    """One Adam step on a batch; returns the loss before the step."""
    loss, grads = nnx.value_and_grad(cross_entropy)(model, x, labels)
    optimizer.update(model, grads)
    return loss


def fit(
    key,
    images,
    labels,
    epochs: int = 5,
    batch_size: int = 128,
    learning_rate: float = 2e-3,
    log=None,
) -> Classifier:
    """Train a fresh classifier with Adam (cosine-decayed learning rate) on shuffled batches.

    Args:
        key: PRNG key (initialisation and the shuffle of each epoch, via fold_in).
        images: float32 [N, 28, 28, 1] in [-1, 1].
        labels: int [N] in 0..9.
        epochs, batch_size, learning_rate: the optimiser settings.
        log: optional callable ``log(epoch, mean_loss)``.

    Returns:
        the trained ``Classifier``.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    key_init, key_shuffle = jax.random.split(key)
    model = Classifier(rngs=nnx.Rngs(key_init))
    steps_per_epoch = len(images) // batch_size
    schedule = optax.cosine_decay_schedule(learning_rate, epochs * steps_per_epoch)
    optimizer = nnx.Optimizer(model, optax.adam(schedule), wrt=nnx.Param)
    for epoch in range(epochs):
        order = np.asarray(
            jax.random.permutation(jax.random.fold_in(key_shuffle, epoch), len(images))
        )
        losses = []
        for i in range(steps_per_epoch):
            idx = order[i * batch_size : (i + 1) * batch_size]
            losses.append(train_step(model, optimizer, jnp.asarray(images[idx]), labels[idx]))
        if log is not None:
            log(epoch, float(np.mean(losses)))
    return model


def accuracy(model: Classifier, images, labels) -> float:
    """Fraction of images whose most probable class is the label."""
    probs, _ = predict(model, images)
    return float(np.mean(probs.argmax(axis=1) == labels))


def train_and_save(
    out: str | Path = DEFAULT_CHECKPOINT,
    command: str = "",
    epochs: int = 5,
    batch_size: int = 128,
    learning_rate: float = 2e-3,
    seed: int = 0,
    data_dir: str | Path | None = None,
) -> dict:
    """Train on the MNIST training set, save ``out`` and ``out.json`` (command, time, accuracy).

    Returns:
        the metadata written to the ``.json`` beside the checkpoint.
    """
    images, labels = load_mnist(Split.TRAIN, data_dir)
    test_images, test_labels = load_mnist(Split.TEST, data_dir)
    start = time.perf_counter()
    model = fit(
        jax.random.key(seed),
        images,
        labels,
        epochs,
        batch_size,
        learning_rate,
        log=lambda epoch, loss: print(f"epoch {epoch + 1}/{epochs}: loss {loss:.4f}", flush=True),
    )
    minutes = (time.perf_counter() - start) / 60
    meta = {
        "command": command,
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "seed": seed,
        "train_minutes": round(minutes, 2),
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, "
        f"jax {jax.__version__} on {jax.default_backend()}",
        "test_accuracy": round(accuracy(model, test_images, test_labels), 4),
    }
    save_classifier(model, out)
    write_atomically(Path(out).with_suffix(".json"), (json.dumps(meta, indent=2) + "\n").encode())
    print(f"test accuracy {meta['test_accuracy']:.2%} after {minutes:.1f} min; saved {out}")
    return meta


if (
    __name__ == "__main__"
):  # python -m diffusion_lite.mnist.classifier_train  (the shipped checkpoint)
    train_and_save(command="python -m diffusion_lite.mnist.classifier_train")
