"""Matplotlib helpers for notebooks 01–02: GAN snapshots, losses, and which mode gets the mass."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from diffusion_lite.toys.gan1d import GanTrace
from diffusion_lite.toys.metrics1d import mode_coverage
from diffusion_lite.toys.mixtures import GaussianMixture, mixture_pdf


def plot_snapshots(
    trace: GanTrace, mixture: GaussianMixture, which, title: str = "", ncols: int | None = None
):
    """Small multiples: histogram of generated samples vs p(x) at the snapshots ``which``.

    Args:
        trace: the run, from ``gan1d.train_gan``.
        mixture: the data distribution p(x), drawn as a black curve in every panel.
        which: indices into ``trace.snapshot_steps``, one panel each.
        title: the figure's title.
        ncols: panels per row (>= 1); rows wrap, so 8 panels with ``ncols=4`` make a 2 × 4
            grid that stays readable at notebook width. Default: all panels in one row.
    """
    which = list(which)
    if ncols is not None and ncols < 1:
        raise ValueError(f"ncols must be >= 1 (panels per row), got {ncols}")
    if ncols is None:  # one row, the original layout
        ncols, nrows, size = len(which), 1, (2.2 * len(which), 2.4)
    else:
        ncols = min(ncols, len(which))
        nrows = -(-len(which) // ncols)
        size = (2.5 * ncols, 2.3 * nrows + 0.4)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, sharex=True, sharey=True, squeeze=False)
    lo, hi = float(mixture.means.min()) - 2.0, float(mixture.means.max()) + 2.0
    x = np.linspace(lo, hi, 800)
    density = np.asarray(mixture_pdf(x, *mixture))
    for ax, i in zip(axes.flat, which, strict=False):
        ax.hist(np.asarray(trace.samples[i]), bins=120, range=(lo, hi), density=True, color="C1")
        ax.plot(x, density, color="k", lw=0.8)
        ax.set_ylim(0, 1.3 * density.max())
        ax.set_title(f"step {int(trace.snapshot_steps[i])}", fontsize=9)
    for k in range(len(which), nrows * ncols):
        axes.flat[k].set_visible(False)  # the unused end of the last row
    for k in range(len(which)):
        if k + ncols >= len(which):  # no panel below this one: it carries the x axis
            axes.flat[k].set_xlabel("x")
            axes.flat[k].xaxis.set_tick_params(labelbottom=True)
    for ax in axes[:, 0]:
        ax.set_ylabel("density")
    axes[0, 0].legend(["p(x) data", "generator"], fontsize=7, loc="upper left")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def mode_shares(trace: GanTrace, mixture: GaussianMixture) -> np.ndarray:
    """Fraction of each snapshot's samples near each mode, shape [S, K] (see ``mode_coverage``)."""
    return np.stack(
        [np.asarray(mode_coverage(s, mixture.means, mixture.stds).fractions) for s in trace.samples]
    )


def plot_training(trace: GanTrace, mixture: GaussianMixture, window: int = 50, title: str = ""):
    """Left: D and G losses (running mean over ``window`` steps). Right: generated density vs step."""
    fig, (ax_loss, ax_modes) = plt.subplots(1, 2, figsize=(11, 3.2))
    kernel = np.ones(window) / window
    for loss, name in (
        (trace.d_loss, "$L_D$ (discriminator)"),
        (trace.g_loss, "$L_G$ (generator)"),
    ):
        ax_loss.plot(np.convolve(np.asarray(loss), kernel, mode="valid"), label=name)
    ax_loss.axhline(np.log(4.0), color="C0", ls=":", lw=0.8, label="$L_D$ at equilibrium, log 4")
    ax_loss.axhline(np.log(2.0), color="C1", ls=":", lw=0.8, label="$L_G$ at equilibrium, log 2")
    ax_loss.set_xlabel("training step")
    ax_loss.set_ylabel(f"loss (mean of {window} steps)")
    ax_loss.legend(fontsize=7)
    lo, hi = float(mixture.means.min()) - 2.0, float(mixture.means.max()) + 2.0
    edges = np.linspace(lo, hi, 121)
    density = np.stack(
        [np.histogram(np.asarray(s), bins=edges, density=True)[0] for s in trace.samples]
    )
    steps = np.asarray(trace.snapshot_steps)
    im = ax_modes.imshow(
        density.T, aspect="auto", origin="lower", cmap="magma", vmin=0, vmax=1.0,
        extent=(steps[0] - steps[0] / 2, steps[-1] + steps[0] / 2, lo, hi),
    )  # fmt: skip
    for m in np.asarray(mixture.means):
        ax_modes.axhline(m, color="w", ls=":", lw=0.7)
    ax_modes.set_xlabel("training step")
    ax_modes.set_ylabel("x  (dotted: data modes)")
    fig.colorbar(im, ax=ax_modes, label="generated density")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
