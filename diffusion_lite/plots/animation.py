"""Animated GIFs: a 1-D density flowing from the data to N(0, 1) under the forward process, and back.

A GIF needs nothing beyond matplotlib (its Pillow writer).  Shown as an HTML ``<img>``
with the GIF inlined (``gif_html``), it plays in Jupyter, in the HTML pages that
``make series`` writes and in GitHub's notebook view.
"""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter


def density_flow_gif(
    xs, densities, frame_titles: list[str], *, reference=None, fps: int = 12, dpi: int = 72
) -> bytes:
    """A looping GIF whose frame k draws ``densities[k]`` over ``xs``; returns the GIF's bytes.

    Args:
        xs: grid, shape [G].
        densities: one density per frame, shape [K, G].
        frame_titles: K titles, one per frame (e.g. "t = 250, ᾱ_t = 0.28").
        reference: optional density drawn dashed in every frame (e.g. N(0, 1)), shape [G].
        fps: frames per second.
        dpi: resolution; the figure is 6.4 × 3 inches (460 × 216 px at 72 dpi).
    """
    xs, densities = np.asarray(xs), np.asarray(densities)
    if densities.ndim != 2 or densities.shape[1] != xs.shape[0]:
        raise ValueError(f"densities must have shape [K, {xs.shape[0]}], got {densities.shape}")
    if len(frame_titles) != densities.shape[0]:
        raise ValueError(
            f"frame_titles must have one title per frame ({densities.shape[0]}), "
            f"got {len(frame_titles)}"
        )
    fig, ax = plt.subplots(figsize=(6.4, 3.0), dpi=dpi, layout="constrained")
    if reference is not None:
        ax.plot(xs, np.asarray(reference), "k--", lw=1, label=r"$\mathcal{N}(0, 1)$")
    (line,) = ax.plot(xs, densities[0], color="tab:blue", lw=2, label=r"$q(x_t)$")
    ax.fill_between(xs, 0, densities[0], color="tab:blue", alpha=0.2)
    ax.set(xlim=(xs[0], xs[-1]), ylim=(0, 1.05 * densities.max()), xlabel=r"$x_t$",
           ylabel="density")  # fmt: skip
    ax.legend(loc="upper right")

    def draw(k):
        line.set_ydata(densities[k])
        for patch in list(ax.collections):  # the previous frame's fill
            patch.remove()
        ax.fill_between(xs, 0, densities[k], color="tab:blue", alpha=0.2)
        ax.set_title(frame_titles[k])
        return (line,)

    animation = FuncAnimation(fig, draw, frames=densities.shape[0], blit=False)
    with tempfile.TemporaryDirectory() as folder:  # the Pillow writer wants a file name
        path = Path(folder) / "animation.gif"
        animation.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
        plt.close(fig)
        return path.read_bytes()


def gif_html(gif: bytes, alt: str) -> str:
    """An ``<img>`` tag with the GIF inlined as base64 (for ``IPython.display.HTML``)."""
    data = base64.b64encode(gif).decode("ascii")
    return f'<img src="data:image/gif;base64,{data}" alt="{html.escape(alt)}">'
