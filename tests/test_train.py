"""Tests for diffusion_lite.mnist.train: the loss falls, sharding changes nothing, resume is exact.

All tests use the "tiny" preset (a one-level U-Net, batch 8) so that they share the
compiled train step (compiling dominates the run time on CPU).  conftest.py provides 4 simulated CPU devices.
"""

import dataclasses

import jax
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.mnist.checkpoint import load_checkpoint
from diffusion_lite.mnist.config import LossWeighting
from diffusion_lite.mnist.sharding import data_mesh, replicate, shard_batch
from diffusion_lite.mnist.train import (
    PRESETS,
    TrainConfig,
    batch_indices,
    batches,
    fit,
    make_optimizer,
    make_train_step,
)
from diffusion_lite.models.unet import init_unet

TINY_RUN = PRESETS["tiny"]


def fake_images(n: int) -> np.ndarray:
    """Blurry blobs in [-1, 1]: enough structure for the loss to fall."""
    key = jax.random.key(123)
    centres = np.asarray(jax.random.uniform(key, (n, 2), minval=8, maxval=20))
    yy, xx = np.mgrid[:28, :28]
    d2 = (yy[None] - centres[:, :1, None]) ** 2 + (xx[None] - centres[:, 1:, None]) ** 2
    return (2 * np.exp(-d2 / 18.0) - 1).astype(np.float32)[..., None]


def setup(config: TrainConfig, devices):
    model = init_unet(config.model, config.seed)
    ema = nnx.clone(model)
    optimizer = nnx.Optimizer(model, make_optimizer(config), wrt=nnx.Param)
    mesh = data_mesh(devices)
    for node in (model, ema, optimizer):
        replicate(node, mesh)
    return model, ema, optimizer, mesh


def assert_same_state(a, b):
    """Two checkpoints hold bit-identical model, EMA and optimizer state."""
    for part in ("model", "ema", "optimizer"):
        for x, y in zip(
            jax.tree.leaves(getattr(a, part)), jax.tree.leaves(getattr(b, part)), strict=True
        ):
            np.testing.assert_array_equal(x, y)


def params_of(node):
    return [np.asarray(x) for x in jax.tree.leaves(nnx.state(node, nnx.Param))]


def test_four_simulated_devices():
    assert jax.device_count() == 4, "tests/conftest.py should set jax_num_cpu_devices = 4"


@pytest.mark.e2e
def test_loss_falls_on_a_tiny_dataset(tmp_path):
    log = fit(TINY_RUN, fake_images(24), tmp_path, progress=False)  # 3 batches
    losses = [loss for _, loss in log]  # means over steps 1-5, 6-10, 11-15, 16-20
    assert len(losses) == 4 and losses[-1] < 0.6 * losses[0], losses


def test_sharded_step_equals_single_device_step():
    """Batch split over 4 devices (gradients all-reduced by XLA) == whole batch on one device."""
    step = make_train_step(TINY_RUN.noise_schedule(), TINY_RUN.ema_decay)
    x0 = fake_images(24)[:8]  # one batch of the tiny preset
    results = []
    for devices in (jax.devices()[:1], jax.devices()):
        model, ema, optimizer, mesh = setup(TINY_RUN, devices)
        assert len(mesh.devices) == len(devices)
        losses = [
            float(step(model, optimizer, ema, shard_batch(x0, mesh), jax.random.key(s)))
            for s in range(2)
        ]
        results.append((losses, params_of(model), params_of(ema)))
    (loss1, p1, e1), (loss4, p4, e4) = results
    np.testing.assert_allclose(loss1, loss4, rtol=1e-5)
    for a, b in zip(p1 + e1, p4 + e4, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    assert not all(
        np.array_equal(a, b) for a, b in zip(p1, params_of(init_unet(TINY_RUN.model)), strict=True)
    )


def test_ema_after_one_step_with_warm_up():
    """After step n = 1 the EMA is d·θ_0 + (1-d)·θ_1 with d = min(ema_decay, (1+n)/(10+n))."""
    step = make_train_step(TINY_RUN.noise_schedule(), TINY_RUN.ema_decay)
    model, ema, optimizer, mesh = setup(TINY_RUN, jax.devices()[:1])
    theta0 = params_of(model)
    step(model, optimizer, ema, shard_batch(fake_images(24)[:8], mesh), jax.random.key(0))
    d = min(TINY_RUN.ema_decay, 2 / 11)
    for e, p0, p1 in zip(params_of(ema), theta0, params_of(model), strict=True):
        np.testing.assert_allclose(e, d * p0 + (1 - d) * p1, rtol=1e-5, atol=1e-7)


@pytest.mark.e2e
def test_interrupted_and_resumed_run_is_bit_identical(tmp_path):
    images = fake_images(24)  # 3 batches per epoch: the resumed run crosses an epoch boundary
    fit(TINY_RUN, images, tmp_path / "straight", progress=False)
    fit(TINY_RUN, images, tmp_path / "resumed", stop_after=13, progress=False)  # "killed"
    assert load_checkpoint(tmp_path / "resumed" / "checkpoint.msgpack").step == 13
    fit(TINY_RUN, images, tmp_path / "resumed", resume=True, progress=False)
    a = load_checkpoint(tmp_path / "straight" / "checkpoint.msgpack")
    b = load_checkpoint(tmp_path / "resumed" / "checkpoint.msgpack")
    assert a.step == b.step == TINY_RUN.steps
    assert_same_state(a, b)


@pytest.mark.e2e
def test_sample_grids_and_checkpoints_do_not_change_training(tmp_path):
    # runs are trained with grids, checkpoints and kept copies switched on or off
    # (time_to_quality.py switches them off): the weights must not depend on it
    images = fake_images(24)
    quiet = dataclasses.replace(TINY_RUN, sample_every=0, checkpoint_every=0)
    busy = dataclasses.replace(TINY_RUN, sample_every=10, checkpoint_every=3)
    fit(quiet, images, tmp_path / "quiet", progress=False)
    fit(busy, images, tmp_path / "busy", progress=False, keep_every=8)
    assert len(list((tmp_path / "busy" / "samples").glob("step_*.png"))) == 2
    a = load_checkpoint(tmp_path / "quiet" / "checkpoint.msgpack")
    b = load_checkpoint(tmp_path / "busy" / "checkpoint.msgpack")
    assert_same_state(a, b)
    kept = sorted(p.name for p in (tmp_path / "busy").glob("step_*.msgpack"))
    # neither 8 nor 16 is a checkpoint_every step: keeping writes the checkpoint too
    assert kept == ["step_000008.msgpack", "step_000016.msgpack"]
    assert [load_checkpoint(tmp_path / "busy" / k).step for k in kept] == [8, 16]


def test_keep_every_must_not_be_negative(tmp_path):
    with pytest.raises(ValueError, match="keep_every must be >= 0"):
        fit(TINY_RUN, fake_images(24), tmp_path, progress=False, keep_every=-1)
    assert not (tmp_path / "checkpoint.msgpack").exists()


def test_fresh_run_refuses_to_overwrite(tmp_path):
    fit(TINY_RUN, fake_images(24), tmp_path, stop_after=1, progress=False)
    (tmp_path / "checkpoint.msgpack").write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="--resume"):
        fit(TINY_RUN, fake_images(24), tmp_path, progress=False)
    assert (tmp_path / "checkpoint.msgpack").read_bytes() == b"precious"


def test_resume_with_another_config_is_refused(tmp_path):
    fit(TINY_RUN, fake_images(24), tmp_path, stop_after=3, progress=False)
    with pytest.raises(ValueError, match="another configuration"):
        fit(
            dataclasses.replace(TINY_RUN, seed=1),
            fake_images(24),
            tmp_path,
            resume=True,
            progress=False,
        )


def test_batch_indices_cover_each_epoch_once():
    key = jax.random.key(0)
    epoch0 = np.concatenate([batch_indices(key, s, 20, 5) for s in range(4)])
    epoch1 = np.concatenate([batch_indices(key, s, 20, 5) for s in range(4, 8)])
    assert sorted(epoch0) == sorted(epoch1) == list(range(20))
    assert not np.array_equal(epoch0, epoch1)


@pytest.mark.parametrize("start", [0, 3, 4, 9])
def test_batches_stream_the_same_indices_across_epochs(start):
    """fit's stream (one permutation per epoch) == batch_indices step by step, resumed anywhere."""
    key = jax.random.key(0)
    stream = batches(key, start, 22, 5)  # 4 batches per epoch, 2 images left out each epoch
    for step in range(start, start + 10):
        np.testing.assert_array_equal(next(stream), batch_indices(key, step, 22, 5))


def test_optimizer_is_shared_by_configs_that_differ_only_in_logging():
    """One optimizer object (so one compiled train step) unless its hyper-parameters differ."""
    quiet = dataclasses.replace(TINY_RUN, sample_every=0, checkpoint_every=0, log_every=1)
    assert make_optimizer(quiet) is make_optimizer(TINY_RUN)
    assert make_optimizer(dataclasses.replace(TINY_RUN, steps=40)) is not make_optimizer(TINY_RUN)


def test_config_json_round_trip():
    for config in PRESETS.values():
        assert TrainConfig.from_dict(config.to_dict()) == config


def test_batch_must_split_over_devices(tmp_path):
    with pytest.raises(ValueError, match="multiple of the 4 devices"):
        fit(dataclasses.replace(TINY_RUN, batch_size=6), fake_images(24), tmp_path, progress=False)


def test_loss_weighting_and_patch_size_round_trip_and_old_configs_still_load():
    config = dataclasses.replace(TINY_RUN, loss_weighting=LossWeighting.MIN_SNR, min_snr_gamma=2.0)
    assert TrainConfig.from_dict(config.to_dict()) == config
    old = TINY_RUN.to_dict()  # a checkpoint written before these fields existed
    del old["loss_weighting"], old["min_snr_gamma"], old["model"]["patch_size"]
    assert TrainConfig.from_dict(old) == TINY_RUN
    np.testing.assert_array_equal(TINY_RUN.loss_weights(), 1.0)
    w = np.asarray(config.loss_weights())
    assert w.shape == (TINY_RUN.T + 1,) and w[-1] == 1.0 and 0.0 < w[1] < 1.0
    with pytest.raises(ValueError, match="min_snr_gamma"):
        dataclasses.replace(TINY_RUN, min_snr_gamma=0.0)


@pytest.mark.e2e
def test_min_snr_patched_run_learns(tmp_path):
    """The weighted loss and a patch-2 U-Net go through fit; the weighted loss falls."""
    config = dataclasses.replace(
        TINY_RUN,
        model=dataclasses.replace(TINY_RUN.model, patch_size=2),
        loss_weighting=LossWeighting.MIN_SNR,
        steps=40,
    )
    log = fit(config, fake_images(24), tmp_path, progress=False)  # 3 batches, as above
    losses = [loss for _, loss in log]  # means over steps 1-5, ..., 36-40
    zero_predictor = float(np.mean(config.loss_weights()[1:]))  # E_t w_t · E‖ε‖²/D for ε̂ = 0
    assert len(losses) == 8 and losses[-1] < 0.8 * zero_predictor, (losses, zero_predictor)
    assert TrainConfig.from_dict(load_checkpoint(tmp_path / "checkpoint.msgpack").config) == config
