"""Matplotlib helpers for guidance on the labelled 1-D mixture (notebook 10)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from diffusion_lite.toys.guidance1d import class_mixture, log_class_posterior, tilted_density
from diffusion_lite.toys.mixtures import GaussianMixture, mixture_pdf

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")


def plot_classes(ax_joint: Axes, ax_post: Axes, data: GaussianMixture, grid) -> None:
    """Left: p(y) p(x | y) per class (they sum to p(x)); right: the posteriors p(y | x)."""
    post = np.exp(np.asarray(log_class_posterior(grid, data)))
    ax_joint.plot(grid, mixture_pdf(grid, *data), color="k", lw=1, label="$p(x)$")
    for k in range(len(data.means)):
        joint = float(data.weights[k]) * np.asarray(mixture_pdf(grid, *class_mixture(data, k)))
        ax_joint.fill_between(
            grid, joint, color=COLOURS[k], alpha=0.35, label=f"$p(y={k})\\,p(x|y={k})$"
        )
        ax_post.plot(grid, post[:, k], color=COLOURS[k], lw=2, label=f"$p(y={k}\\,|\\,x)$")
    ax_joint.set(xlabel="$x$", ylabel="density", title="data: three labelled classes")
    ax_post.set(xlabel="$x$", ylabel="probability", title="Bayes: $p(y\\,|\\,x)$", ylim=(0, 1.05))
    for ax in (ax_joint, ax_post):
        ax.legend(fontsize=8, loc="upper left")
        ax.grid(alpha=0.3)


def plot_guided(ax: Axes, grid, data: GaussianMixture, y: int, w: float, samples) -> None:
    """Histogram of guided samples of class y at scale w, the tilted p_w(x|y) and p(x|y)."""
    ax.hist(np.asarray(samples), bins=120, range=(grid[0], grid[-1]), density=True,
            color=COLOURS[y], alpha=0.55, label="guided samples")  # fmt: skip
    ax.plot(grid, tilted_density(grid, data, y, w), color="k", lw=1.5,
            label=r"$p_w(x|y) \propto p(x|y)\,p(y|x)^w$")  # fmt: skip
    ax.plot(grid, mixture_pdf(grid, *class_mixture(data, y)), color="k", lw=1, ls="--",
            label="$p(x|y)$")  # fmt: skip
    ax.set(xlabel="$x$", ylabel="density", title=f"class $y = {y}$, $w = {w:g}$")
    ax.grid(alpha=0.3)
