"""Tests for diffusion_lite.mnist.checkpoint: exact round trip, clear errors, atomic writes."""

import dataclasses
import os
import stat

import jax
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.mnist.checkpoint import (
    CheckpointError,
    copy_checkpoint,
    export_ema,
    load_checkpoint,
    restore_state,
    save_checkpoint,
)
from diffusion_lite.mnist.train import PRESETS, fit, make_optimizer
from diffusion_lite.models.unet import TINY, UNet, UNetConfig, init_unet


def leaves(node):
    return [np.asarray(x) for x in jax.tree.leaves(nnx.state(node))]


@pytest.fixture
def saved(tmp_path):
    """A checkpoint of the tiny model whose EMA differs from the model."""
    model = init_unet(TINY, 0)
    ema = init_unet(TINY, 1)
    optimizer = nnx.Optimizer(model, make_optimizer(PRESETS["tiny"]), wrt=nnx.Param)
    path = save_checkpoint(tmp_path / "c.msgpack", model=model, ema=ema, optimizer=optimizer,
                           step=7, key=jax.random.key(42), config={"name": "tiny"})  # fmt: skip
    return path, model, ema, optimizer


def test_round_trip_is_bit_exact(saved):
    path, model, ema, optimizer = saved
    ckpt = load_checkpoint(path)
    assert ckpt.step == 7 and ckpt.config == {"name": "tiny"}
    np.testing.assert_array_equal(
        jax.random.key_data(ckpt.key), jax.random.key_data(jax.random.key(42))
    )
    fresh_model = init_unet(TINY, 2)
    fresh_ema = init_unet(TINY, 2)
    fresh_opt = nnx.Optimizer(fresh_model, make_optimizer(PRESETS["tiny"]), wrt=nnx.Param)
    for node, pure in (
        (fresh_model, ckpt.model),
        (fresh_ema, ckpt.ema),
        (fresh_opt, ckpt.optimizer),
    ):
        restore_state(node, pure)
    for a, b in ((model, fresh_model), (ema, fresh_ema), (optimizer, fresh_opt)):
        for x, y in zip(leaves(a), leaves(b), strict=True):
            assert x.dtype == y.dtype
            np.testing.assert_array_equal(x, y)
    assert not np.array_equal(leaves(fresh_model)[-1], leaves(fresh_ema)[-1])


def test_restore_into_abstract_model(saved):
    """`sample` restores into a model built by nnx.eval_shape (no random init at all)."""
    path, model, _, _ = saved
    abstract = nnx.eval_shape(lambda: UNet(TINY, rngs=nnx.Rngs(0)))
    restore_state(abstract, load_checkpoint(path).model)
    for x, y in zip(leaves(model), leaves(abstract), strict=True):
        np.testing.assert_array_equal(x, y)


def test_wrong_architecture(saved):
    other = nnx.eval_shape(lambda: UNet(UNetConfig(), rngs=nnx.Rngs(0)))
    with pytest.raises(CheckpointError, match="does not fit the model"):
        restore_state(other, load_checkpoint(saved[0]).model)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="checkpoint not found"):
        load_checkpoint(tmp_path / "nope.msgpack")


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-1000] + bytes([b[-1000] ^ 1]) + b[-999:],  # one bit flipped in the weights
        lambda b: b"\x00not msgpack" * 10,  # garbage
        lambda b: b"\x81\xa1a\x01",  # valid msgpack {"a": 1}, not a checkpoint
    ],
    ids=["truncated", "bit-flip", "garbage", "other-msgpack"],
)
def test_corrupt_file(saved, damage):
    path = saved[0]
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(CheckpointError, match=r"c\.msgpack"):
        load_checkpoint(path)


def test_failed_save_leaves_existing_file_alone(saved):
    path, model, ema, optimizer = saved
    before = path.read_bytes()
    with pytest.raises(TypeError):  # the config is not JSON: fails before anything is written
        save_checkpoint(path, model=model, ema=ema, optimizer=optimizer, step=8,
                        key=jax.random.key(0), config={"bad": object()})  # fmt: skip
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left


def test_export_keeps_the_ema_weights_alone(saved, tmp_path):
    path, _, ema, _ = saved
    out = export_ema(path, tmp_path / "ema.msgpack")
    ckpt = load_checkpoint(out)
    assert ckpt.weights_only and not load_checkpoint(path).weights_only
    assert (
        ckpt.step == 7 and ckpt.config == {"name": "tiny"} and not ckpt.model and not ckpt.optimizer
    )
    fresh = init_unet(TINY, 2)
    restore_state(fresh, ckpt.ema)
    for x, y in zip(leaves(ema), leaves(fresh), strict=True):
        np.testing.assert_array_equal(x, y)
    assert out.stat().st_size < 0.5 * path.stat().st_size  # no raw weights, no Adam moments


def test_a_weights_only_file_cannot_be_resumed(saved, tmp_path):
    path, *_ = saved
    run_dir = tmp_path / "run"
    export_ema(path, run_dir / "checkpoint.msgpack")
    images = np.zeros((8, 28, 28, 1), np.float32)
    with pytest.raises(CheckpointError, match="EMA weights only"):
        fit(PRESETS["tiny"], images, run_dir, resume=True, progress=False)


def test_half_export_is_float16_on_disk_and_float32_after_restore(saved, tmp_path):
    path, _, ema, _ = saved
    full, half = (
        export_ema(path, tmp_path / "f32.msgpack"),
        export_ema(path, tmp_path / "f16.msgpack", half=True),
    )
    stored = jax.tree.leaves(load_checkpoint(half).ema)
    assert all(a.dtype == np.float16 for a in stored)
    assert half.stat().st_size < 0.6 * full.stat().st_size
    fresh = init_unet(TINY, 2)
    restore_state(fresh, load_checkpoint(half).ema)
    for x, y in zip(leaves(ema), leaves(fresh), strict=True):
        assert y.dtype == x.dtype == np.float32
        np.testing.assert_allclose(
            y, x, rtol=2.0**-11, atol=6e-8
        )  # float16 rounding (+ subnormals)


def test_saved_file_gets_the_usual_permissions(saved):
    """Atomic writes go through mkstemp (mode 0600); the final file follows the umask."""
    path, *_ = saved
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_copy_is_byte_identical_and_keeps_the_usual_permissions(saved, tmp_path):
    path, *_ = saved
    copy = copy_checkpoint(path, tmp_path / "step_000007.msgpack")
    assert copy.read_bytes() == path.read_bytes()
    assert load_checkpoint(copy).step == 7  # its sha256 still verifies
    assert stat.S_IMODE(copy.stat().st_mode) == stat.S_IMODE(path.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.msgpack", "step_000007.msgpack"]


def test_build_unet_names_the_file_when_config_and_weights_disagree(saved, tmp_path):
    """The one place a U-Net is built from a checkpoint: errors carry the path."""
    from diffusion_lite.mnist.checkpoint import Weights, build_unet

    path, model, ema, optimizer = saved
    wrong = PRESETS["tiny"].to_dict() | {"model": dataclasses.asdict(UNetConfig())}
    bad = save_checkpoint(tmp_path / "bad.msgpack", model=model, ema=ema, optimizer=optimizer,
                          step=1, key=jax.random.key(0), config=wrong)  # fmt: skip
    with pytest.raises(CheckpointError, match=r"bad\.msgpack: checkpoint does not fit"):
        build_unet(load_checkpoint(bad))
    with pytest.raises(CheckpointError, match=r"c\.msgpack: configuration not readable"):
        build_unet(load_checkpoint(path))  # its config {"name": "tiny"} is no TrainConfig
    good = save_checkpoint(tmp_path / "good.msgpack", model=model, ema=ema, optimizer=optimizer,
                           step=1, key=jax.random.key(0),
                           config=wrong | {"model": dataclasses.asdict(TINY)})  # fmt: skip
    built = build_unet(load_checkpoint(good), Weights.RAW)
    for x, y in zip(leaves(model), leaves(built), strict=True):
        np.testing.assert_array_equal(x, y)
    exported = export_ema(good, tmp_path / "ema.msgpack")
    with pytest.raises(CheckpointError, match=r"ema\.msgpack: holds exported EMA weights only"):
        build_unet(load_checkpoint(exported), Weights.RAW)
