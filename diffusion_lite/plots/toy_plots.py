"""Matplotlib helpers for the 1-D diffusion notebook (07): sample histograms and ε-curves."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from matplotlib.axes import Axes

from diffusion_lite.toys.mixtures import GaussianMixture, mixture_pdf


def plot_samples_vs_density(
    ax: Axes, samples, mixture: GaussianMixture, title: str = "", x_range=(-6.0, 6.0)
) -> None:
    """Histogram of 1-D ``samples`` (shape [N]) over the true density p(x) of ``mixture``."""
    grid = jnp.linspace(*x_range, 1201)
    ax.hist(
        np.asarray(samples),
        bins=240,
        range=x_range,
        density=True,
        color="tab:orange",
        alpha=0.7,
        label="samples",
    )
    ax.plot(grid, mixture_pdf(grid, *mixture), color="k", lw=1, label="$p(x)$")
    ax.set(xlabel="$x$", ylabel="density", title=title, xlim=x_range)


def plot_eps_curves(ax: Axes, grid, eps_exact, eps_model, t: int, density=None) -> None:
    """ε*(x, t) (solid) and a model's ε_θ(x, t) (dashed) on ``grid`` (all shape [G]).

    ``density``, if given, is q(x_t) on the grid, drawn shaded (scaled to the axes) to show
    where the ε-errors matter: the loss only sees x_t where q(x_t) has mass.
    """
    if density is not None:
        d = np.asarray(density)
        ax.fill_between(np.asarray(grid), -3, -3 + 6 * d / d.max(), color="0.9", label="$q(x_t)$")
    ax.plot(grid, eps_exact, color="k", lw=1.5, label=r"exact $\varepsilon^*$")
    ax.plot(
        grid, eps_model, color="tab:blue", ls="--", lw=1.5, label=r"trained $\varepsilon_\theta$"
    )
    ax.set(xlabel="$x_t$", ylim=(-3, 3), title=f"t = {t}")
