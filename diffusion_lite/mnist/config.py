"""Training configuration: one frozen dataclass (saved as JSON in every checkpoint) and presets."""

from __future__ import annotations

import dataclasses
import enum

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite.core.losses import min_snr_weights
from diffusion_lite.core.schedules import cosine_betas, linear_betas, make_schedule
from diffusion_lite.models.unet import UNetConfig


class LossWeighting(enum.Enum):
    UNIFORM = "uniform"  # L_simple: every t weighs the same (Ho et al. 2020)
    MIN_SNR = "min-snr"  # w_t = min(SNR_t, γ) / SNR_t (Hang et al. 2023)


class Schedule(enum.Enum):
    LINEAR = "linear"  # Ho et al. 2020: β from 1e-4 to 0.02
    COSINE = "cosine"  # Nichol & Dhariwal 2021


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a training run (saved in every checkpoint as JSON)."""

    model: UNetConfig = UNetConfig()
    T: int = 1000
    schedule: Schedule = Schedule.LINEAR
    loss_weighting: LossWeighting = LossWeighting.UNIFORM
    min_snr_gamma: float = 5.0
    batch_size: int = 128
    steps: int = 20_000
    learning_rate: float = 2e-4
    warmup_steps: int = 500
    weight_decay: float = 1e-4
    grad_clip: float = 1.0  # max global gradient norm
    ema_decay: float = 0.999
    seed: int = 0
    log_every: int = 20
    sample_every: int = 1000
    checkpoint_every: int = 500
    sample_steps: int = 50  # DDIM steps for the periodic grids
    label_dropout: float = 0.1  # conditional models: P(y → ∅) per example (Ho & Salimans 2022)

    def __post_init__(self):
        for name in ("T", "batch_size", "steps", "log_every", "sample_steps"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        for name in ("warmup_steps", "sample_every", "checkpoint_every"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0 (0 = never), got {getattr(self, name)}")
        if not 0.0 < self.learning_rate < 1.0:
            raise ValueError(f"learning_rate must lie in (0, 1), got {self.learning_rate}")
        if not self.min_snr_gamma > 0.0:
            raise ValueError(f"min_snr_gamma must be > 0, got {self.min_snr_gamma}")
        if not 0.0 <= self.ema_decay < 1.0:
            raise ValueError(f"ema_decay must lie in [0, 1), got {self.ema_decay}")
        if not 0.0 <= self.label_dropout < 1.0:
            raise ValueError(f"label_dropout must lie in [0, 1), got {self.label_dropout}")
        if not 1 <= self.sample_steps <= self.T:
            raise ValueError(
                f"sample_steps must lie in 1..T = 1..{self.T}, got {self.sample_steps}"
            )

    def to_dict(self) -> dict:
        enums = {"schedule": self.schedule.value, "loss_weighting": self.loss_weighting.value}
        return dataclasses.asdict(self) | enums

    @classmethod
    def from_dict(cls, d: dict) -> TrainConfig:
        weighting = LossWeighting(d.get("loss_weighting", LossWeighting.UNIFORM.value))
        return cls(**d | {"model": UNetConfig(**d["model"]), "schedule": Schedule(d["schedule"]),
                          "loss_weighting": weighting})  # fmt: skip

    def betas(self):
        fn = linear_betas if self.schedule == Schedule.LINEAR else cosine_betas
        return fn(self.T)

    def noise_schedule(self):
        """The ``core.schedules.Schedule`` of ``betas()`` (constants computed once in float64)."""
        return make_schedule(self.betas())

    def loss_weights(self):
        """w_t, shape [T + 1], multiplying ‖ε - ε̂‖² of an example drawn at step t."""
        schedule = self.noise_schedule()
        if self.loss_weighting == LossWeighting.MIN_SNR:
            return min_snr_weights(schedule, self.min_snr_gamma)
        return jnp.ones_like(schedule.alpha_bars)


def check_fit_arguments(config: TrainConfig, num_images: int, stop_after, keep_every: int,
                        labels=None):  # fmt: skip
    """ValueError naming the argument for what ``fit`` cannot run (before any file is touched)."""
    k = config.model.num_classes
    if k and (labels is None or np.shape(labels) != (num_images,)):
        got = "none" if labels is None else f"shape {np.shape(labels)}"
        raise ValueError(f"labels: the model is conditional (num_classes = {k}): expected one "
                         f"label per image, shape ({num_images},), got {got}")  # fmt: skip
    if not k and labels is not None:
        raise ValueError("labels given, but the model is unconditional (num_classes = 0)")
    if k and (np.min(labels) < 0 or np.max(labels) >= k):
        raise ValueError(f"labels must lie in 0..{k - 1}, got {np.min(labels)}..{np.max(labels)}")
    if keep_every < 0:
        raise ValueError(f"keep_every must be >= 0 (0 = never), got {keep_every}")
    if stop_after is not None and stop_after < 1:
        raise ValueError(f"stop_after must be >= 1 (a total step count), got {stop_after}")
    if config.batch_size % (n_dev := jax.device_count()):
        raise ValueError(
            f"batch_size = {config.batch_size} must be a multiple of the {n_dev} devices"
        )
    if num_images < config.batch_size:
        raise ValueError(f"need at least batch_size = {config.batch_size} images, got {num_images}")


PRESETS: dict[str, TrainConfig] = {
    # The fastest recipe found for 2 CPU cores (benchmarks/results/mnist_time_to_quality.md):
    # 1.46M parameters working on 14×14×4 patches (space-to-depth), min-SNR-5 weighting,
    # a high learning rate with cosine decay; ~156 images/s on 2 idle cores.  The shipped
    # mnist_denoiser.msgpack is this run (EMA weights, exported with --half).
    "quick-cpu": TrainConfig(
        model=UNetConfig(channels=48, channel_mults=(1, 2), patch_size=2),
        loss_weighting=LossWeighting.MIN_SNR,
        batch_size=64,
        steps=8000,
        learning_rate=2e-3,
        warmup_steps=100,
        ema_decay=0.999,
        sample_every=1000,
        checkpoint_every=500,
    ),
    # ~6M parameters, DDPM-like, for a GPU/TPU (or several).
    "full-gpu": TrainConfig(
        model=UNetConfig(channels=64, channel_mults=(1, 2, 2), num_res_blocks=2),
        batch_size=256,
        steps=50_000,
        learning_rate=2e-4,
        warmup_steps=1000,
        ema_decay=0.9999,
        sample_every=5000,
        checkpoint_every=1000,
        sample_steps=100,
    ),
    # Seconds on CPU: for tests and smoke runs only.
    "tiny": TrainConfig(
        model=UNetConfig(channels=8, channel_mults=(1,), attention=False, num_groups=4),
        T=100,
        batch_size=8,
        steps=20,
        learning_rate=3e-3,
        warmup_steps=1,
        ema_decay=0.9,
        log_every=5,
        sample_every=0,
        checkpoint_every=5,
        sample_steps=4,
    ),
}
# quick-cpu with a class label (num_classes = 10, ∅ = 10) dropped with p = 0.1: one net for
# p(x | y) and p(x), sampled with classifier-free guidance (notebook 10).  The shipped
# mnist_cond_denoiser.msgpack is this run.
PRESETS["quick-cpu-cond"] = dataclasses.replace(
    PRESETS["quick-cpu"],
    model=dataclasses.replace(PRESETS["quick-cpu"].model, num_classes=10),
)
