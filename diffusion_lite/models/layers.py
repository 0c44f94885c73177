"""Shared network pieces: the sinusoidal embedding; the U-Net's GroupNorm, ResBlock, attention, upsampling."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from flax import nnx


def sinusoidal_embedding(v, dim: int, max_period: float = 10_000.0):
    """Sin/cos features of a scalar per example (Vaswani et al. 2017; Ho et al. 2020 App. B).

    Math:
        emb(v) = [sin(v ω_0), …, sin(v ω_{h-1}), cos(v ω_0), …, cos(v ω_{h-1})],
        ω_k = max_period^(-k/(h-1)),   h = dim / 2,
    so the frequencies run from 1 down to exactly 1/max_period (as in Ho et al.'s
    ``get_timestep_embedding``).  The one embedding of the package: the U-Net's step t and
    the MLP's t and x_t; the shipped U-Net checkpoint was trained with exactly this.

    Args:
        v: one scalar per example (the step t, or a coordinate of x), shape [B].
        dim: embedding width, an even integer >= 2.
        max_period: the slowest angular wavelength, in units of v.

    Returns:
        shape [B, dim], float32.
    """
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 2 or dim % 2:
        raise ValueError(f"dim must be an even integer >= 2, got {dim!r}")
    half = dim // 2
    freqs = jnp.exp(-math.log(max_period) * jnp.arange(half) / max(half - 1, 1))
    angles = jnp.asarray(v, jnp.float32)[:, None] * freqs[None, :]  # [B, half]
    return jnp.concatenate([jnp.sin(angles), jnp.cos(angles)], axis=-1)


class GroupNorm(nnx.GroupNorm):
    """``nnx.GroupNorm`` (same parameters γ, β) computed as one multiply-add per entry.

    Math (Wu & He 2018), per example and group g of C/G channels:
        y = γ (x - μ_g) / √(σ²_g + ε) + β = a·x + b,   a = γ / √(σ²_g + ε),   b = β - μ_g a,
        μ_g = mean of x, σ²_g = mean of x² - μ_g² over the group's H·W·C/G entries.
    Equals ``nnx.GroupNorm`` within float tolerance; XLA's CPU backend writes fewer
    full-size arrays for it (forward and backward): ~5 % faster training steps on 2 cores.

    Args of ``__call__``: x [B, H, W, C].  Returns: shape of x.
    """

    def __call__(self, x):
        B, H, W, C = x.shape
        G = self.num_groups
        xg = x.reshape(B, H * W, G, C // G)
        mean = jnp.mean(xg, axis=(1, 3))  # μ_g, [B, G]
        var = jnp.maximum(jnp.mean(jnp.square(xg), axis=(1, 3)) - jnp.square(mean), 0.0)
        a = jax.lax.rsqrt(var + self.epsilon)[:, :, None] * self.scale[...].reshape(G, C // G)
        b = self.bias[...].reshape(G, C // G) - mean[:, :, None] * a  # [B, G, C/G]
        return x * a.reshape(B, 1, 1, C) + b.reshape(B, 1, 1, C)


class ResBlock(nnx.Module):
    """h = x + conv(SiLU(GN(conv(SiLU(GN(x))) + W·emb(t)))), with a 1×1 conv on x if C changes."""

    def __init__(self, c_in: int, c_out: int, emb_dim: int, groups: int, *, rngs: nnx.Rngs):
        self.norm1 = GroupNorm(c_in, num_groups=groups, rngs=rngs)
        self.conv1 = nnx.Conv(c_in, c_out, (3, 3), rngs=rngs)
        self.emb_proj = nnx.Linear(emb_dim, c_out, rngs=rngs)
        self.norm2 = GroupNorm(c_out, num_groups=groups, rngs=rngs)
        self.conv2 = nnx.Conv(c_out, c_out, (3, 3), rngs=rngs)
        self.skip = nnx.Conv(c_in, c_out, (1, 1), rngs=rngs) if c_in != c_out else None

    def __call__(self, x, emb):
        h = self.conv1(jax.nn.silu(self.norm1(x)))  # [B, H, W, c_out]
        h = h + self.emb_proj(emb)[:, None, None, :]  # add the time embedding per channel
        h = self.conv2(jax.nn.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class Attention(nnx.Module):
    """Single-head self-attention over the H·W positions, with a residual connection."""

    def __init__(self, channels: int, groups: int, *, rngs: nnx.Rngs):
        self.norm = GroupNorm(channels, num_groups=groups, rngs=rngs)
        self.qkv = nnx.Linear(channels, 3 * channels, rngs=rngs)
        self.out = nnx.Linear(channels, channels, rngs=rngs)

    def __call__(self, x):
        B, H, W, C = x.shape
        q, k, v = jnp.split(self.qkv(self.norm(x).reshape(B, H * W, C)), 3, axis=-1)
        weights = jax.nn.softmax(q @ k.transpose(0, 2, 1) / math.sqrt(C), axis=-1)  # [B, HW, HW]
        return x + self.out(weights @ v).reshape(B, H, W, C)


class Upsample(nnx.Module):
    """Nearest-neighbour ×2, then a 3×3 conv."""

    def __init__(self, channels: int, *, rngs: nnx.Rngs):
        self.conv = nnx.Conv(channels, channels, (3, 3), rngs=rngs)

    def __call__(self, x):
        return self.conv(jnp.repeat(jnp.repeat(x, 2, axis=1), 2, axis=2))
