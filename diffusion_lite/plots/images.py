"""Write image grids and reverse-process trajectories as PNG files (atomically)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib.image
import numpy as np

from diffusion_lite.mnist.checkpoint import write_atomically


def make_grid(images, ncols: int | None = None, pad: int = 2) -> np.ndarray:
    """Tile images [N, H, W, 1] with values in [-1, 1] into one [rows·(H+pad)-pad, …] array in [0, 1].

    Args:
        images: shape [N, H, W] or [N, H, W, 1], data scale [-1, 1] (clipped).
        ncols: images per row; default ⌈√N⌉.
        pad: pixels of white between images.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape [N, H, W] or [N, H, W, 1], got {images.shape}")
    n, h, w = images.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    grid = np.ones((nrows * (h + pad) - pad, ncols * (w + pad) - pad), np.float32)
    for i, image in enumerate(np.clip((images + 1.0) / 2.0, 0.0, 1.0)):
        r, c = divmod(i, ncols)
        grid[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = image
    return grid


def save_png(path: str | Path, grid: np.ndarray) -> Path:
    """Save a [H, W] array in [0, 1] as a greyscale PNG; an existing file is replaced only on success."""
    png = io.BytesIO()
    matplotlib.image.imsave(png, grid, cmap="gray", vmin=0.0, vmax=1.0, format="png")
    return write_atomically(path, png.getvalue())  # the usual mode, like every file we write


def save_grid(path: str | Path, images, ncols: int | None = None) -> Path:
    """Save images [N, H, W, 1] in [-1, 1] as one PNG grid."""
    return save_png(path, make_grid(images, ncols))


def save_trajectory(path: str | Path, xs, num_frames: int = 10, num_images: int = 8) -> Path:
    """Save the reverse process as a PNG: one row per image, x_T on the left, x_0 on the right.

    Args:
        xs: trajectory [S + 1, N, H, W, 1] from x_T (index 0) to x_0 (index S).
        num_frames: evenly spaced columns to show (always including x_T and x_0).
        num_images: rows (the first images of the batch).
    """
    xs = np.asarray(xs)
    frames = np.unique(np.round(np.linspace(0, xs.shape[0] - 1, num_frames)).astype(int))
    chosen = xs[frames][:, :num_images]  # [F, N', H, W, 1]
    rows = np.swapaxes(chosen, 0, 1).reshape(-1, *xs.shape[2:])  # image-major
    return save_grid(path, rows, ncols=len(frames))


def show(images, title: str, ncols: int | None = None, ax=None, col_labels=None) -> None:
    """Draw images [N, H, W(, 1)] in [-1, 1] as one grey grid with a title (notebook 08).

    Args:
        images: as for ``make_grid``.
        title: the axes' title.
        ncols: images per row; default ⌈√N⌉.
        ax: matplotlib axes to draw into; default a new 6 × 2.2 inch figure.
        col_labels: optional text under each column (e.g. its t), one per column.
    """
    import matplotlib.pyplot as plt  # here, so that the CLI's PNG writers need no pyplot

    pad = 2  # white pixels between images
    grid = make_grid(images, ncols, pad)
    ax = plt.figure(figsize=(6, 2.2)).gca() if ax is None else ax
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    if col_labels is None:
        ax.axis("off")
        return
    width = np.shape(images)[2]
    ncols = (grid.shape[1] + pad) // (width + pad)  # as make_grid laid them out
    if len(col_labels) != ncols:
        raise ValueError(
            f"col_labels must have one label per column ({ncols}), got {len(col_labels)}"
        )
    centres = [c * (width + pad) + (width - 1) / 2 for c in range(ncols)]
    ax.set_xticks(centres, labels=[str(label) for label in col_labels])
    ax.set_yticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
