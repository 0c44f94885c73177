"""Matplotlib helpers for the 2-D toy of notebook 09: score fields, samples over modes, paths.

Each helper draws on a given ``ax`` and returns nothing a notebook would print (or the artist
a colour bar needs), so a cell ends cleanly.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from diffusion_lite.core import scores


def plot_score_field(ax, field, mixture, lim: float = 3.0, n_arrows: int = 15, title: str = ""):
    """Arrows of a 2-D vector field (direction; colour = log₁₀ length) over a mixture's density.

    Args:
        ax: matplotlib axes.
        field: ``field(points [N, 2]) -> [N, 2]``, e.g. an exact or a learned score.
        mixture: ``(weights, means, stds)`` whose density is drawn in grey.
        lim: the square [-lim, lim]² is shown.
        n_arrows: arrows per side.
        title: axes title.

    Returns:
        the quiver artist (for ``fig.colorbar``).
    """
    fine = jnp.linspace(-lim, lim, 150)
    density = jnp.exp(scores.mixture2d_logpdf(jnp.stack(jnp.meshgrid(fine, fine), -1), *mixture))
    ax.imshow(density, extent=(-lim, lim, -lim, lim), origin="lower", cmap="Greys",
              vmax=float(density.max()) * 1.5)  # fmt: skip
    g = jnp.linspace(-lim, lim, n_arrows)
    points = jnp.stack(jnp.meshgrid(g, g), -1).reshape(-1, 2)
    vectors = np.asarray(field(points))
    length = np.linalg.norm(vectors, axis=1, keepdims=True)
    quiver = ax.quiver(*np.asarray(points).T, *(vectors / length).T, np.log10(length[:, 0]),
                       cmap="plasma", clim=(-1, 2.5), scale=22, width=0.006)  # fmt: skip
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(-lim, lim), ylim=(-lim, lim))
    return quiver


def plot_samples_2d(ax, x, weights, means, title: str = "", lim: float = 3.0):
    """Scatter of samples with each mode centre drawn as a circle of area ∝ its weight."""
    ax.scatter(*np.asarray(x).T, s=2, alpha=0.4, label=f"{x.shape[0]} samples")
    ax.scatter(*np.asarray(means).T, s=1500 * np.asarray(weights), facecolors="none",
               edgecolors="k", label="modes (area ∝ weight)")  # fmt: skip
    ax.set(title=title, xlabel="$x_1$", xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")


def plot_paths(ax, path, n_paths: int = 25, title: str = "", lim: float = 3.2):
    """A few trajectories x(s) of a sampler, path of shape [steps + 1, B, 2], and all end points."""
    path = np.asarray(path)
    ax.plot(path[:, :n_paths, 0], path[:, :n_paths, 1], lw=0.6, alpha=0.7)
    ax.scatter(*path[-1].T, s=2, c="k", alpha=0.3, label="end points")
    ax.scatter(*path[0, :n_paths].T, s=12, c="tab:red", label="start points (shown paths)")
    ax.set(title=title, xlabel="$x_1$", xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")


def plot_error_map(ax, error_fn, mixture, lim: float = 3.0, title: str = ""):
    """A heat map of a scalar error over the plane, with the density's contours; returns the image."""
    g = jnp.linspace(-lim, lim, 120)
    points = jnp.stack(jnp.meshgrid(g, g), -1)  # [120, 120, 2]
    err = np.asarray(error_fn(points.reshape(-1, 2))).reshape(points.shape[:2])
    image = ax.imshow(err, extent=(-lim, lim, -lim, lim), origin="lower", cmap="magma")
    ax.contour(np.asarray(g), np.asarray(g), np.exp(scores.mixture2d_logpdf(points, *mixture)),
               levels=4, colors="w", linewidths=0.6)  # fmt: skip
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
    return image
