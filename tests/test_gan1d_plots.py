"""The GAN plots of notebooks 01–02: panel layout and what each panel draws."""

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import pytest

from diffusion_lite.plots import gan1d_plots
from diffusion_lite.toys import mixtures
from diffusion_lite.toys.gan1d import GanTrace


def _trace(n_snapshots=8, n_samples=500):
    samples = jnp.tile(jnp.linspace(-3.0, 3.0, n_samples), (n_snapshots, 1))  # [S, n]
    steps = jnp.arange(1, n_snapshots + 1) * 100
    return GanTrace(jnp.zeros(800), jnp.zeros(800), steps, samples)


DATA = mixtures.evenly_spaced_mixture(n_modes=3, spacing=2.0, std=0.1)  # modes at -2, 0, 2


def test_one_row_by_default_and_a_grid_with_ncols():
    fig = gan1d_plots.plot_snapshots(_trace(), DATA, which=range(8))
    assert len(fig.axes) == 8 and fig.get_size_inches()[1] == pytest.approx(2.4)
    assert len({ax.get_position().y0 for ax in fig.axes}) == 1  # a single row
    plt.close(fig)
    fig = gan1d_plots.plot_snapshots(_trace(), DATA, which=range(8), ncols=4)
    rows = sorted({round(ax.get_position().y0, 3) for ax in fig.axes})
    assert len(fig.axes) == 8 and len(rows) == 2  # 2 × 4
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [f"step {100 * (k + 1)}" for k in range(8)]  # row-major order
    assert [ax.get_xlabel() for ax in fig.axes] == [""] * 4 + ["x"] * 4
    assert [ax.get_ylabel() for ax in fig.axes] == ["density", "", "", ""] * 2
    plt.close(fig)


def test_partial_last_row_hides_unused_panels_and_labels_the_ones_above():
    fig = gan1d_plots.plot_snapshots(_trace(), DATA, which=[0, 1, 2, 3, 4], ncols=3)
    visible = [ax.get_visible() for ax in fig.axes]
    assert visible == [True] * 5 + [False]
    assert [ax.get_xlabel() for ax in fig.axes[:5]] == ["", "", "x", "x", "x"]
    plt.close(fig)


def test_each_panel_is_the_snapshot_histogram_and_the_density():
    trace = _trace()
    fig = gan1d_plots.plot_snapshots(trace, DATA, which=[3], ncols=2)  # ncols capped at 1
    (ax,) = fig.axes
    heights = np.array([patch.get_height() for patch in ax.patches])
    assert np.sum(heights) * (8.0 / 120) == pytest.approx(1.0, rel=1e-6)  # 120 bins on [-4, 4]
    (curve,) = ax.get_lines()
    x, y = curve.get_data()
    np.testing.assert_allclose(y, mixtures.mixture_pdf(x, *DATA), rtol=1e-5, atol=1e-8)
    plt.close(fig)


def test_ncols_must_be_positive():
    with pytest.raises(ValueError, match="ncols"):
        gan1d_plots.plot_snapshots(_trace(), DATA, which=range(8), ncols=0)
