"""The shipped MNIST denoiser: load it, and score any checkpoint with the classifier.

model, config = load_denoiser()        # EMA weights of the shipped checkpoint
report = evaluate_checkpoint(key, path) # what `python -m diffusion_lite eval` prints
"""

from __future__ import annotations

import time
from pathlib import Path

import jax
import numpy as np

from diffusion_lite.mnist.checkpoint import Weights, build_unet, load_checkpoint
from diffusion_lite.mnist.classifier_file import DEFAULT_CHECKPOINT as CLASSIFIER
from diffusion_lite.mnist.classifier_file import load_classifier
from diffusion_lite.mnist.config import TrainConfig
from diffusion_lite.mnist.data import Split, load_mnist
from diffusion_lite.mnist.evaluate import Report, evaluate
from diffusion_lite.mnist.generate import ClipX0, Sampler, generate
from diffusion_lite.models.unet import UNet

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
DENOISER = CHECKPOINTS / "mnist_denoiser.msgpack"
COND_DENOISER = CHECKPOINTS / "mnist_cond_denoiser.msgpack"  # class-conditional (notebook 10)


def load_denoiser(
    path: str | Path = DENOISER, conditional: bool = False
) -> tuple[UNet, TrainConfig]:
    """The EMA weights of a training checkpoint as a ``UNet``, and the run's ``TrainConfig``.

    ``conditional`` says which kind is expected: ε_θ(x_t, t) (False) or the class-conditional
    ε_θ(x_t, t, y) (True); the other kind is refused with a ``ValueError``.
    """
    ckpt = load_checkpoint(path)
    config = ckpt.train_config()
    if bool(config.model.num_classes) != conditional:
        has, want = ("a class-conditional", "conditional=True") if config.model.num_classes else (
            "an unconditional", "conditional=False")  # fmt: skip
        raise ValueError(f"{path}: {has} checkpoint (num_classes = {config.model.num_classes}); "
                         f"expected the other kind: load it with {want}")  # fmt: skip
    return build_unet(ckpt, Weights.EMA), config


def sample_in_batches(
    key,
    model: UNet,
    schedule,
    num_images: int,
    sampler: Sampler,
    num_steps: int,
    batch: int = 250,
    eta: float = 0.0,
) -> np.ndarray:
    """``num_images`` samples [N, 28, 28, 1], drawn ``batch`` at a time (key folded per batch)."""
    chunks = []
    for i in range(0, num_images, batch):
        n = min(batch, num_images - i)
        x = generate(model, jax.random.fold_in(key, i), schedule, sampler, n, num_steps, eta=eta)
        chunks.append(np.asarray(x))
    return np.concatenate(chunks)


def sample_checkpoint(
    key,
    path: str | Path = DENOISER,
    num_samples: int = 1000,
    sampler: Sampler = Sampler.DDIM,
    num_steps: int = 50,
    clip_x0: bool = True,
    eta: float = 0.0,
) -> np.ndarray:
    """The samples [N, 28, 28, 1] that ``evaluate_checkpoint`` scores for the same arguments.

    ``key`` is the key given to ``evaluate_checkpoint``: its first half draws the samples.
    """
    model, config = load_denoiser(path)
    if clip_x0:
        model = ClipX0(model, config)
    key_sample = jax.random.split(key)[0]
    return sample_in_batches(
        key_sample, model, config.noise_schedule(), num_samples, sampler, num_steps, eta=eta
    )


def evaluate_checkpoint(
    key,
    path: str | Path = DENOISER,
    num_samples: int = 1000,
    sampler: Sampler = Sampler.DDIM,
    num_steps: int = 50,
    classifier_path: str | Path = CLASSIFIER,
    data_dir: str | Path | None = None,
    clip_x0: bool = True,
    eta: float = 0.0,
) -> tuple[Report, float]:
    """Sample from a checkpoint's EMA model and score the samples against real MNIST.

    Args:
        key: PRNG key (split into the sampling key and the baseline's subset key).
        path: a training checkpoint (``train.fit`` output or the shipped one).
        num_samples: N generated images (and N real ones for the baseline).
        sampler: ``Sampler.DDIM`` (``num_steps`` network calls) or ``Sampler.ANCESTRAL`` (T).
        num_steps: DDIM steps.
        classifier_path: the judge (default: the shipped classifier).
        data_dir: MNIST directory (default: see ``data.load_mnist``).
        clip_x0: sample with ``ClipX0(model)`` (x̂_0 clipped to [-1, 1]) instead of the raw model.
        eta: DDIM's η (0: deterministic; 1: fresh noise at every step, like ancestral).

    Returns:
        ``(report, sampling_seconds)``.
    """
    if num_samples < 2:
        raise ValueError(f"num_samples must be >= 2, got {num_samples}")
    classifier = load_classifier(classifier_path)  # every file is read before minutes of sampling
    test_images, _ = load_mnist(Split.TEST, data_dir)
    train_images, _ = load_mnist(Split.TRAIN, data_dir)
    if num_samples > len(train_images):
        raise ValueError(f"num_samples must be <= {len(train_images)} (the real images of the "
                         f"baseline), got {num_samples}")  # fmt: skip
    start = time.perf_counter()
    samples = sample_checkpoint(key, path, num_samples, sampler, num_steps, clip_x0, eta)
    seconds = time.perf_counter() - start
    key_eval = jax.random.split(key)[1]
    return evaluate(key_eval, classifier, samples, test_images, train_images), seconds
