"""A small U-Net ε_θ(x_t, t) for 28×28 images, in Flax NNX (after Ho et al. 2020, Appendix B).

Layout for the default ``UNetConfig()`` (channels 32, multipliers (1, 2, 2)):

    x_t [B,28,28,1] → conv → ResBlock×n @28 (32) ↓ ResBlock×n @14 (64) ↓ ResBlock×n @7 (64)
                      → middle: ResBlock, self-attention, ResBlock @7
                      → ResBlock×(n+1) @7 ↑ @14 ↑ @28, each fed a skip from the way down
                      → GroupNorm, SiLU, conv → ε̂ [B,28,28,1]

Every ResBlock adds a projection of the sinusoidal embedding of t.  Downsampling is a
stride-2 conv, upsampling is nearest-neighbour ×2 followed by a conv (transposed convs
are slow on CPU and cause checkerboard artefacts).  The blocks live in ``layers.py``,
space-to-depth (``UNetConfig.patch_size``) in ``patches.py``.
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp
from flax import nnx

from diffusion_lite.models.layers import (
    Attention,
    GroupNorm,
    ResBlock,
    Upsample,
    sinusoidal_embedding,
)
from diffusion_lite.models.patches import depth_to_space, space_to_depth

# flax >= 0.12 needs lists of submodules wrapped in nnx.List; flax 0.11 (Colab) takes a list.
_List = getattr(nnx, "List", list)


@dataclasses.dataclass(frozen=True)
class UNetConfig:
    """Architecture of the U-Net.

    Attributes:
        channels: channels at full resolution (28×28).
        channel_mults: channel multiplier per resolution level; each extra level halves H, W.
        num_res_blocks: residual blocks per level on the way down (n + 1 on the way up).
        attention: self-attention in the middle, at the lowest resolution.
        num_groups: GroupNorm groups (must divide every channel count).
        image_channels: 1 for MNIST.
        patch_size: p > 1 first folds each p×p patch of pixels into channels (space-to-depth:
            [B, 28, 28, 1] → [B, 28/p, 28/p, p²]) and unfolds the output again, so the
            network works at 1/p the resolution with p² more input channels; on a CPU this
            buys a wider net for the same time (Hoogeboom et al. 2023, "simple diffusion").
        num_classes: 0 for ε_θ(x_t, t); K > 0 for a class-conditional ε_θ(x_t, t, y): an
            embedding of y in 0..K-1, or of the "no label" class ∅ = K, is added to the
            time embedding (classifier-free guidance, ``core.guidance``).
    """

    channels: int = 32
    channel_mults: tuple[int, ...] = (1, 2, 2)
    num_res_blocks: int = 1
    attention: bool = True
    num_groups: int = 8
    image_channels: int = 1
    patch_size: int = 1
    num_classes: int = 0

    def __post_init__(self):
        object.__setattr__(self, "channel_mults", tuple(self.channel_mults))  # JSON gives lists
        if self.patch_size < 1 or 28 % self.patch_size:
            raise ValueError(f"patch_size must divide 28 (1, 2, 4, 7, 14), got {self.patch_size}")
        side, halvings = 28 // self.patch_size, len(self.channel_mults) - 1
        if side % 2**halvings:
            raise ValueError(
                f"channel_mults has {len(self.channel_mults)} levels, which halve the "
                f"{side}×{side} grid (28 / patch_size {self.patch_size}) {halvings} times; "
                f"{side} must be divisible by {2**halvings}"
            )
        for m in self.channel_mults:
            if (self.channels * m) % self.num_groups:
                raise ValueError(
                    f"num_groups = {self.num_groups} must divide every channel count "
                    f"channels * mult = {self.channels} * {m}"
                )
        if self.num_res_blocks < 1:
            raise ValueError(f"num_res_blocks must be >= 1, got {self.num_res_blocks}")
        if self.num_classes < 0:
            raise ValueError(
                f"num_classes must be >= 0 (0 = unconditional), got {self.num_classes}"
            )


TINY = UNetConfig(channels=8, channel_mults=(1, 2), num_res_blocks=1, num_groups=4)  # tests


class UNet(nnx.Module):
    """ε_θ(x_t, t) or, with ``config.num_classes = K``, ε_θ(x_t, t, y): the noise in x_t.

    Call as ``model(x_t, t)`` or ``model(x_t, t, y)`` with t and y int32 [B]; a conditional
    model called without y uses the "no label" class ∅ = K.
    """

    def __init__(self, config: UNetConfig | None = None, *, rngs: nnx.Rngs | None = None):
        config = UNetConfig() if config is None else config
        rngs = nnx.Rngs(0) if rngs is None else rngs
        self.config = config
        ch, g, n = config.channels, config.num_groups, config.num_res_blocks
        widths = [ch * m for m in config.channel_mults]
        emb_dim = 4 * ch
        self.time_in = nnx.Linear(ch, emb_dim, rngs=rngs)
        self.time_out = nnx.Linear(emb_dim, emb_dim, rngs=rngs)
        pixels_in = config.image_channels * config.patch_size**2  # channels after space-to-depth
        self.conv_in = nnx.Conv(pixels_in, ch, (3, 3), rngs=rngs)

        down, skip_widths, c = [], [ch], ch
        for level, width in enumerate(widths):
            for _ in range(n):
                down.append(ResBlock(c, width, emb_dim, g, rngs=rngs))
                c = width
                skip_widths.append(c)
            if level < len(widths) - 1:
                down.append(nnx.Conv(c, c, (3, 3), strides=(2, 2), rngs=rngs))
                skip_widths.append(c)
        self.down = _List(down)

        self.mid1 = ResBlock(c, c, emb_dim, g, rngs=rngs)
        self.mid_attn = Attention(c, g, rngs=rngs) if config.attention else None
        self.mid2 = ResBlock(c, c, emb_dim, g, rngs=rngs)

        up = []
        for level, width in reversed(list(enumerate(widths))):
            for _ in range(n + 1):
                up.append(ResBlock(c + skip_widths.pop(), width, emb_dim, g, rngs=rngs))
                c = width
            if level > 0:
                up.append(Upsample(c, rngs=rngs))
        self.up = _List(up)

        self.norm_out = GroupNorm(c, num_groups=g, rngs=rngs)
        # Zero-initialised output conv: the untrained net predicts ε̂ = 0 (loss starts at 1).
        self.conv_out = nnx.Conv(
            c, pixels_in, (3, 3), kernel_init=nnx.initializers.zeros, rngs=rngs
        )
        # Created last, and only when conditional: an unconditional net is unchanged, bit for bit.
        k = config.num_classes
        self.label_embed = nnx.Embed(k + 1, emb_dim, rngs=rngs) if k else None  # index K = ∅

    def __call__(self, x_t, t, y=None):
        """Args: x_t [B, 28, 28, C], t int [B] in 1..T, y int [B] in 0..K (conditional nets).

        Returns ε̂ of the shape of x_t.
        """
        emb = sinusoidal_embedding(t, self.config.channels)
        emb = self.time_out(jax.nn.silu(self.time_in(emb)))  # [B, 4·ch]
        if self.label_embed is not None:
            y = jnp.full(t.shape, self.config.num_classes) if y is None else y
            emb = emb + self.label_embed(y)  # the class shifts every ResBlock, as t does
        elif y is not None:
            raise ValueError("y given to an unconditional UNet (config.num_classes = 0)")

        p = self.config.patch_size
        h = self.conv_in(space_to_depth(x_t, p))
        skips = [h]
        for layer in self.down:
            h = layer(h, emb) if isinstance(layer, ResBlock) else layer(h)
            skips.append(h)

        h = self.mid1(h, emb)
        if self.mid_attn is not None:
            h = self.mid_attn(h)
        h = self.mid2(h, emb)

        for layer in self.up:
            if isinstance(layer, ResBlock):
                h = layer(jnp.concatenate([h, skips.pop()], axis=-1), emb)
            else:
                h = layer(h)
        return depth_to_space(self.conv_out(jax.nn.silu(self.norm_out(h))), p)


def count_params(model: nnx.Module) -> int:
    """Number of trainable scalars (every ``nnx.Param``)."""
    return sum(x.size for x in jax.tree.leaves(nnx.state(model, nnx.Param)))


def init_unet(config: UNetConfig | None = None, seed: int = 0) -> UNet:
    """Build ``UNet(config, rngs=nnx.Rngs(seed))`` with its random init compiled as one program.

    Built eagerly, every distinct weight shape compiles its own small random-number
    program, and on CPU XLA spends seconds optimising each; one jit-compiled init at
    optimisation level 0 takes a few seconds in all, and is reused for every seed.
    (The weights have the same distributions, not the same bits, as an eager ``UNet``.)
    """
    config = UNetConfig() if config is None else config
    graphdef, state = nnx.split(nnx.eval_shape(lambda: UNet(config, rngs=nnx.Rngs(seed))))
    nnx.replace_by_pure_dict(state, _compiled_init(config)(jax.random.key(seed)))
    return nnx.merge(graphdef, state)


@functools.cache  # one compiled init per architecture; the seed is an argument
def _compiled_init(config: UNetConfig):
    return jax.jit(
        lambda key: nnx.to_pure_dict(nnx.state(UNet(config, rngs=nnx.Rngs(key)))),
        compiler_options={"xla_backend_optimization_level": 0},
    )
