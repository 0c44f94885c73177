"""2-D plot helpers: each draws what it says on the given axes (smoke tests)."""

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

from diffusion_lite.core import scores
from diffusion_lite.plots import toy2d_plots

RING = scores.ring_mixture(4, 1.5, 0.2)


def test_score_field_and_error_map_draw_arrows_and_an_image():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    quiver = toy2d_plots.plot_score_field(
        ax1, lambda x: scores.mixture2d_score(x, *RING), RING, n_arrows=7, title="f"
    )
    assert quiver.N == 49 and ax1.get_title() == "f"
    image = toy2d_plots.plot_error_map(ax2, lambda x: jnp.sum(x**2, 1), RING, title="e")
    assert image.get_array().shape == (120, 120)
    plt.close(fig)


def test_samples_and_paths_plot_every_point():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    x = scores.mixture2d_sample(jax.random.key(0), 50, *RING)[0]
    toy2d_plots.plot_samples_2d(ax1, x, RING[0], RING[1], title="s")
    assert ax1.collections[0].get_offsets().shape == (50, 2)
    toy2d_plots.plot_paths(ax2, jnp.stack([x, 0.5 * x, 0 * x]), n_paths=5)
    assert len(ax2.lines) == 5
    plt.close(fig)
