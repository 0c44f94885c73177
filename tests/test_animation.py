"""plots.animation: the density-flow GIF has one frame per density and refuses bad shapes."""

import io

import numpy as np
import pytest
from PIL import Image

from diffusion_lite.plots.animation import density_flow_gif, gif_html


def test_gif_has_one_frame_per_density_and_loops():
    xs = np.linspace(-4, 4, 81)
    densities = np.stack([np.exp(-0.5 * (xs - m) ** 2) / np.sqrt(2 * np.pi) for m in (-1, 0, 1)])
    gif = density_flow_gif(xs, densities, ["a", "b", "c"], reference=densities[1], fps=5)
    image = Image.open(io.BytesIO(gif))
    assert image.format == "GIF" and image.n_frames == 3
    assert image.size == (460, 216)  # 6.4 × 3 inches at 72 dpi
    assert image.info.get("loop") == 0  # loops forever


def test_bad_shapes_are_refused_with_the_argument_named():
    xs = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match=r"densities must have shape \[K, 5\]"):
        density_flow_gif(xs, np.ones((2, 4)), ["a", "b"])
    with pytest.raises(ValueError, match="frame_titles must have one title per frame"):
        density_flow_gif(xs, np.ones((2, 5)), ["a"])


def test_gif_html_inlines_the_bytes_and_escapes_the_alt_text():
    tag = gif_html(b"GIF89a", 'q "flows"')
    assert tag == '<img src="data:image/gif;base64,R0lGODlh" alt="q &quot;flows&quot;">'
