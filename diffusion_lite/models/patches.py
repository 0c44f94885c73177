"""Space-to-depth and back: fold each p×p patch of pixels into channels (patch_size of the U-Net)."""

from __future__ import annotations


def space_to_depth(x, p: int):
    """[B, H, W, C] → [B, H/p, W/p, p·p·C]: each p×p patch of pixels becomes one pixel's channels."""
    if p == 1:
        return x
    B, H, W, C = x.shape
    x = x.reshape(B, H // p, p, W // p, p, C).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(B, H // p, W // p, p * p * C)


def depth_to_space(x, p: int):
    """Inverse of ``space_to_depth``: [B, h, w, p·p·C] → [B, h·p, w·p, C]."""
    if p == 1:
        return x
    B, h, w, D = x.shape
    C = D // (p * p)
    x = x.reshape(B, h, w, p, p, C).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(B, h * p, w * p, C)
