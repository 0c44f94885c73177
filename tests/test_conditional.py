"""The class-conditional U-Net, its training with label dropout, guided sampling and the CLI.

Tiny models only (compiled calls; eager U-Net calls are slow on CPU).
"""

import dataclasses
import json

import jax
import jax.numpy as jnp
import matplotlib.image
import numpy as np
import pytest
from flax import nnx
from test_cli import fake_mnist, run  # noqa: F401  (fake_mnist is a fixture)

from diffusion_lite.mnist.checkpoint import Weights, build_unet, load_checkpoint
from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.mnist.generate import ClipX0, Sampler, generate, guided
from diffusion_lite.mnist.pretrained import load_denoiser
from diffusion_lite.mnist.train import fit
from diffusion_lite.models.unet import TINY, init_unet

COND = dataclasses.replace(TINY, num_classes=10)
TINY_COND_RUN = dataclasses.replace(PRESETS["tiny"], model=dataclasses.replace(
    PRESETS["tiny"].model, num_classes=10), steps=4, checkpoint_every=0)  # fmt: skip
apply = nnx.jit(lambda model, x, t, y: model(x, t, y))
apply_none = nnx.jit(lambda model, x, t: model(x, t))


def _nonzero_out(model):
    """Give the zero-initialised output conv weights, so that ε̂ depends on the inputs."""
    k = model.conv_out.kernel
    k[...] = jax.random.normal(jax.random.key(7), k[...].shape) * 0.1
    return model


def test_the_label_changes_eps_and_no_label_is_the_null_class():
    model = _nonzero_out(init_unet(COND, 0))
    x = jax.random.normal(jax.random.key(0), (3, 28, 28, 1))
    t = jnp.array([5, 500, 900])
    e3, e7 = apply(model, x, t, jnp.full(3, 3)), apply(model, x, t, jnp.full(3, 7))
    assert float(jnp.max(jnp.abs(e3 - e7))) > 1e-3
    np.testing.assert_array_equal(apply_none(model, x, t), apply(model, x, t, jnp.full(3, 10)))


def test_unconditional_unet_is_the_conditional_one_without_its_label_embedding():
    """Same weights, label embedding zeroed: identical outputs (the label only adds to emb)."""
    cond = _nonzero_out(init_unet(COND, 0))
    cond.label_embed.embedding[...] = jnp.zeros_like(cond.label_embed.embedding[...])
    uncond = init_unet(TINY, 0)
    pure = nnx.to_pure_dict(nnx.state(cond))
    del pure["label_embed"]
    assert "label_embed" not in nnx.to_pure_dict(nnx.state(uncond))
    state = nnx.state(uncond)
    nnx.replace_by_pure_dict(state, pure)
    nnx.update(uncond, state)
    x, t = jax.random.normal(jax.random.key(1), (2, 28, 28, 1)), jnp.array([3, 70])
    np.testing.assert_array_equal(apply_none(uncond, x, t), apply(cond, x, t, jnp.array([4, 9])))


def test_an_unconditional_unet_refuses_a_label():
    with pytest.raises(ValueError, match="y given to an unconditional UNet"):
        apply(init_unet(TINY, 0), jnp.zeros((1, 28, 28, 1)), jnp.array([1]), jnp.array([3]))


def test_guidance_zero_is_the_conditional_model_and_w_mixes_linearly():
    model = _nonzero_out(init_unet(COND, 0))
    x, t, y = (
        jax.random.normal(jax.random.key(2), (2, 28, 28, 1)),
        jnp.array([10, 99]),
        jnp.array([1, 8]),
    )
    f = nnx.jit(lambda m, w: guided(m, x, t, y, w))
    np.testing.assert_allclose(f(model, 0.0), apply(model, x, t, y), rtol=1e-5, atol=1e-6)
    by_hand = 3.0 * apply(model, x, t, y) - 2.0 * apply(model, x, t, jnp.full(2, 10))
    np.testing.assert_allclose(f(model, 2.0), by_hand, rtol=1e-4, atol=1e-5)


def test_generate_with_labels_checks_them_and_runs_both_samplers():
    model = ClipX0(_nonzero_out(init_unet(COND, 0)), TINY_COND_RUN)
    schedule = TINY_COND_RUN.noise_schedule()
    key = jax.random.key(0)
    x = generate(model, key, schedule, Sampler.DDIM, 4, 3, labels=jnp.arange(4), guidance=2.0)
    # x̂_0 is clipped to [-1, 1]; DDIM's last step re-derives it from ε̂', exact up to rounding
    assert x.shape == (4, 28, 28, 1) and bool(jnp.all(jnp.abs(x) <= 1.0 + 1e-5))
    x = generate(model, key, schedule, Sampler.ANCESTRAL, 2, labels=jnp.arange(2), guidance=1.0)
    assert bool(jnp.all(jnp.isfinite(x)))
    with pytest.raises(ValueError, match=r"labels must have shape \(4,\), got \(3,\)"):
        generate(model, key, schedule, Sampler.DDIM, 4, 3, labels=jnp.arange(3))
    plain = ClipX0(init_unet(TINY, 0), PRESETS["tiny"])
    with pytest.raises(ValueError, match="labels given, but the model is unconditional"):
        generate(plain, key, schedule, Sampler.DDIM, 2, 3, labels=jnp.arange(2))


def test_fit_needs_labels_for_a_conditional_model_and_refuses_them_otherwise(tmp_path):
    images = np.zeros((16, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match=r"labels: the model is conditional .* got none"):
        fit(TINY_COND_RUN, images, tmp_path / "a", progress=False)
    with pytest.raises(ValueError, match="labels given, but the model is unconditional"):
        fit(PRESETS["tiny"], images, tmp_path / "b", progress=False, labels=np.zeros(16, int))
    with pytest.raises(ValueError, match=r"labels must lie in 0..9, got 0..10"):
        fit(TINY_COND_RUN, images, tmp_path / "c", progress=False, labels=np.arange(16) % 11)
    assert not any(tmp_path.iterdir())  # refused before any file was written


@pytest.mark.e2e
def test_conditional_fit_trains_and_its_checkpoint_says_so(tmp_path):
    images = np.asarray(jax.random.uniform(jax.random.key(0), (16, 28, 28, 1), minval=-1.0))
    log = fit(TINY_COND_RUN, images, tmp_path, progress=False, labels=np.arange(16) % 10)
    assert len(log) >= 1 and np.isfinite(log[-1][1])
    ckpt = load_checkpoint(tmp_path / "checkpoint.msgpack")
    assert ckpt.train_config().model.num_classes == 10
    assert build_unet(ckpt, Weights.EMA).label_embed is not None
    model, config = load_denoiser(tmp_path / "checkpoint.msgpack", conditional=True)
    assert config.label_dropout == 0.1
    with pytest.raises(ValueError, match="a class-conditional checkpoint .* conditional=True"):
        load_denoiser(tmp_path / "checkpoint.msgpack")


def test_the_shipped_unconditional_checkpoint_is_refused_as_conditional():
    with pytest.raises(ValueError, match="an unconditional checkpoint .* conditional=False"):
        load_denoiser(conditional=True)


@pytest.mark.e2e
def test_cli_conditional_train_sample_and_refusals(capsys, tmp_path, fake_mnist):  # noqa: F811
    run_dir = tmp_path / "run"
    status, out, err = run(capsys, "train", "mnist", "--preset", "tiny", "--conditional", "--steps", "2",
                           "--data-dir", str(fake_mnist), "--out", str(run_dir), "--no-progress")  # fmt: skip
    assert status == 0, err
    ckpt, grid = str(run_dir / "checkpoint.msgpack"), tmp_path / "grid.png"
    status, out, err = run(capsys, "sample", "--checkpoint", ckpt, "--grid-by-label", "--num-images",
                           "20", "--steps", "2", "--guidance", "3", "--out", str(grid))  # fmt: skip
    assert status == 0 and "rows = digits 0..9, guidance w = 3" in out, err
    assert matplotlib.image.imread(grid).shape[:2] == (10 * 30 - 2, 2 * 30 - 2)  # 10 rows x 2
    status, out, err = run(capsys, "sample", "--checkpoint", ckpt, "--label", "7", "--num-images",
                           "2", "--steps", "2", "--out", str(grid))  # fmt: skip
    assert status == 0 and "digit 7, guidance w = 0" in out, err
    bad = {
        ("--label", "10"): "--label must be in 0..9, got 10",
        ("--grid-by-label", "--num-images", "15"): "--num-images must be a multiple of 10",
        ("--guidance", "2"): "--guidance needs --label Y or --grid-by-label",
        ("--label", "1", "--guidance", "-1"): "--guidance must be a finite number >= 0, got -1.0",
    }
    for argv, message in bad.items():
        status, _, err = run(capsys, "sample", "--checkpoint", ckpt, "--out", str(grid), *argv)
        assert status == 2 and message in err, (argv, err)
    status, _, err = run(
        capsys, "train", "mnist", "--out", str(run_dir), "--resume", "--conditional"
    )
    assert status == 2 and "drop --conditional" in err


@pytest.mark.e2e
def test_cli_refuses_labels_and_guidance_for_an_unconditional_checkpoint(capsys, tmp_path):
    from diffusion_lite.mnist.pretrained import DENOISER  # noqa: PLC0415

    out = str(tmp_path / "g.png")
    status, _, err = run(
        capsys, "sample", "--checkpoint", str(DENOISER), "--label", "3", "--out", out
    )
    assert status == 2 and "--label: " in err and "is an unconditional checkpoint" in err
    status, _, err = run(capsys, "eval", "--checkpoint", str(DENOISER), "--guidance", "1")
    assert status == 2 and "--guidance: " in err and "unconditional checkpoint" in err
    assert not (tmp_path / "g.png").exists()


@pytest.mark.e2e
def test_shipped_conditional_denoiser_is_small_loads_and_documents_itself():
    from diffusion_lite.mnist.pretrained import COND_DENOISER  # noqa: PLC0415

    assert COND_DENOISER.stat().st_size <= 5_000_000  # the limit for a shipped checkpoint
    assert load_checkpoint(COND_DENOISER).weights_only
    model, config = load_denoiser(COND_DENOISER, conditional=True)
    assert config.model == PRESETS["quick-cpu-cond"].model and model.label_embed is not None
    with pytest.raises(ValueError, match="a class-conditional checkpoint"):
        load_denoiser(COND_DENOISER)
    meta = json.loads(COND_DENOISER.with_suffix(".json").read_text())
    for field in (
        "command",
        "export_command",
        "train_minutes",
        "train_cpu_minutes",
        "hardware",
        "curve",
    ):
        assert field in meta, field
    rows = meta["eval"]["guidance"]
    assert [row["w"] for row in rows] == sorted(row["w"] for row in rows) and rows[0]["w"] == 0
    assert meta["eval"]["real"]["w"] is None and len(rows[0]["per_class_accuracy"]) == 10
