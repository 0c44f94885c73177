"""The PyTorch twin (benchmarks/torch_unet.py) has the JAX U-Net's shapes for every preset.

Needs the optional ``bench`` extra (PyTorch); without it there is nothing to compare.
"""

import jax
import numpy as np
import pytest
from flax import nnx

from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.models.unet import TINY, UNet, UNetConfig

torch = pytest.importorskip("torch")
from benchmarks.torch_unet import TorchUNet, count_params  # noqa: E402

CONFIGS = {**{name: p.model for name, p in PRESETS.items()}, "default": UNetConfig(),
           "tiny-unet": TINY, "patch-4": UNetConfig(channels=8, channel_mults=(1,), num_groups=4, patch_size=4)}  # fmt: skip


def jax_shapes(config):
    state = nnx.state(nnx.eval_shape(lambda: UNet(config, rngs=nnx.Rngs(0))), nnx.Param)
    return sorted(int(np.prod(x.shape)) for x in jax.tree.leaves(state))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_twin_has_the_same_parameters_and_output_shape(name):
    config = CONFIGS[name]
    twin = TorchUNet(config)
    jax_sizes = jax_shapes(config)
    assert count_params(twin) == sum(jax_sizes), name
    assert sorted(p.numel() for p in twin.parameters()) == jax_sizes, name  # tensor by tensor
    x_t = torch.zeros(2, config.image_channels, 28, 28)
    assert twin(x_t, torch.tensor([1, 2])).shape == x_t.shape
