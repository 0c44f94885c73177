"""The U-Net of ``diffusion_lite.models.unet`` written in PyTorch, layer by layer, as a speed peer.

Same layers in the same order with the same shapes and parameter count for every
``UNetConfig`` field (widths, levels, blocks, attention, groups, patch size; asserted in
``benchmarks/train_throughput.py`` and ``tests/test_torch_unet.py``), and the same training
step: t ~ U{1..T}, ε ~ N(0, I), x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε, loss ‖ε - ε_θ(x_t, t)‖²,
global-norm clipping, AdamW, EMA update.  PyTorch's default NCHW layout; JAX's is NHWC.

Differences that do not change the work: ``pixel_unshuffle`` orders a patch's p² values
channel-major, ``space_to_depth`` pixel-major (same shapes); PyTorch pads a stride-2 3×3
conv by (1, 1), XLA's 'SAME' by (0, 1) (same shapes and FLOPs); initialisations differ.
"""

from __future__ import annotations

import copy
import math

import torch
import torch.nn.functional as F
from torch import nn

GN_EPS = 1e-6  # flax nnx.GroupNorm's default epsilon (PyTorch's is 1e-5)


def sinusoidal_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """[sin(t ω_i), cos(t ω_i)], ω_i = 10000^{-i/(d/2-1)}: shape [B, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10_000.0) * torch.arange(half) / max(half - 1, 1))
    angles = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1)


class ResBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, emb_dim: int, groups: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in, eps=GN_EPS)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.emb_proj = nn.Linear(emb_dim, c_out)
        self.norm2 = nn.GroupNorm(groups, c_out, eps=GN_EPS)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb_proj(emb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class Attention(nn.Module):
    def __init__(self, channels: int, groups: int):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, eps=GN_EPS)
        self.qkv = nn.Linear(channels, 3 * channels)
        self.out = nn.Linear(channels, channels)

    def forward(self, x):
        B, C, H, W = x.shape
        seq = self.norm(x).reshape(B, C, H * W).transpose(1, 2)  # [B, HW, C]
        q, k, v = self.qkv(seq).chunk(3, dim=-1)
        weights = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(C), dim=-1)
        return x + self.out(weights @ v).transpose(1, 2).reshape(B, C, H, W)


class Upsample(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class TorchUNet(nn.Module):
    """ε_θ(x_t, t) with the structure of ``diffusion_lite.models.unet.UNet(config)``."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        ch, g, n = config.channels, config.num_groups, config.num_res_blocks
        widths = [ch * m for m in config.channel_mults]
        emb_dim = 4 * ch
        self.time_in = nn.Linear(ch, emb_dim)
        self.time_out = nn.Linear(emb_dim, emb_dim)
        self.patch = config.patch_size  # space-to-depth: p×p pixels → p² channels
        pixels_in = config.image_channels * self.patch**2
        self.conv_in = nn.Conv2d(pixels_in, ch, 3, padding=1)

        down, skip_widths, c = [], [ch], ch
        for level, width in enumerate(widths):
            for _ in range(n):
                down.append(ResBlock(c, width, emb_dim, g))
                c = width
                skip_widths.append(c)
            if level < len(widths) - 1:
                down.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
                skip_widths.append(c)
        self.down = nn.ModuleList(down)

        self.mid1 = ResBlock(c, c, emb_dim, g)
        self.mid_attn = Attention(c, g) if config.attention else None
        self.mid2 = ResBlock(c, c, emb_dim, g)

        up = []
        for level, width in reversed(list(enumerate(widths))):
            for _ in range(n + 1):
                up.append(ResBlock(c + skip_widths.pop(), width, emb_dim, g))
                c = width
            if level > 0:
                up.append(Upsample(c))
        self.up = nn.ModuleList(up)

        self.norm_out = nn.GroupNorm(g, c, eps=GN_EPS)
        self.conv_out = nn.Conv2d(c, pixels_in, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)
        k = config.num_classes  # as the JAX U-Net: K classes + ∅, added to the time embedding
        self.label_embed = nn.Embedding(k + 1, emb_dim) if k else None

    def forward(self, x_t, t, y=None):
        emb = sinusoidal_embedding(t, self.config.channels)
        emb = self.time_out(F.silu(self.time_in(emb)))
        if self.label_embed is not None:  # conditional presets: the class (∅ = K if None)
            y = torch.full_like(t, self.config.num_classes) if y is None else y
            emb = emb + self.label_embed(y)

        h = self.conv_in(F.pixel_unshuffle(x_t, self.patch))  # [B, p²C, 28/p, 28/p]
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
                h = layer(torch.cat([h, skips.pop()], dim=1), emb)
            else:
                h = layer(h)
        return F.pixel_shuffle(self.conv_out(F.silu(self.norm_out(h))), self.patch)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


class TorchTrainer:
    """The training step of ``diffusion_lite.mnist.train.train_step``: AdamW, clipping, EMA."""

    def __init__(self, config, alpha_bars, *, lr=2e-4, weight_decay=1e-4, grad_clip=1.0,
                 ema_decay=0.999, channels_last=False, seed=0):  # fmt: skip
        torch.manual_seed(seed)
        self.model = TorchUNet(config)
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.model = self.model.to(memory_format=self.memory_format)
        self.ema = copy.deepcopy(self.model).requires_grad_(False)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=lr,
                                           weight_decay=weight_decay)  # fmt: skip
        self.alpha_bars = torch.as_tensor(alpha_bars, dtype=torch.float32)
        self.grad_clip, self.ema_decay = grad_clip, ema_decay
        self.generator = torch.Generator().manual_seed(seed)

    def step(self, x0: torch.Tensor) -> float:
        """One step on x0 [B, 1, 28, 28]; returns the loss."""
        T = self.alpha_bars.shape[0] - 1
        B = x0.shape[0]
        t = torch.randint(1, T + 1, (B,), generator=self.generator)
        eps = torch.randn(x0.shape, generator=self.generator)
        ab = self.alpha_bars[t][:, None, None, None]
        x_t = (ab.sqrt() * x0 + (1 - ab).sqrt() * eps).contiguous(memory_format=self.memory_format)
        loss = F.mse_loss(self.model(x_t, t), eps)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_clip)
        self.optimizer.step()
        with torch.no_grad():
            ema_p, p = list(self.ema.parameters()), list(self.model.parameters())
            torch._foreach_lerp_(ema_p, p, 1 - self.ema_decay)  # e ← d·e + (1-d)·p
        return loss.item()
