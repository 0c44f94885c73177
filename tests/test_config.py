"""TrainConfig: survives its JSON round trip; its schedule and loss weights are the core's."""

import json

import jax.numpy as jnp
import numpy as np

from diffusion_lite.core import losses, schedules
from diffusion_lite.mnist.config import PRESETS, LossWeighting, TrainConfig


def test_every_preset_survives_the_json_round_trip():
    for config in PRESETS.values():
        assert TrainConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_noise_schedule_and_loss_weights_come_from_core():
    config = PRESETS["tiny"]
    schedule = config.noise_schedule()
    want = schedules.make_schedule(config.betas())
    for got, expected in zip(schedule, want, strict=True):
        np.testing.assert_array_equal(got, expected)
    uniform = TrainConfig(**{**vars(config), "loss_weighting": LossWeighting.UNIFORM})
    np.testing.assert_array_equal(uniform.loss_weights(), jnp.ones(config.T + 1))
    min_snr = TrainConfig(**{**vars(config), "loss_weighting": LossWeighting.MIN_SNR})
    np.testing.assert_array_equal(
        min_snr.loss_weights(), losses.min_snr_weights(schedule, min_snr.min_snr_gamma)
    )
