"""The 1-D plotting helpers draw what they promise: a normalised histogram, p(x), ε-curves."""

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

from diffusion_lite.plots import toy_plots
from diffusion_lite.toys import mixtures


def test_histogram_is_a_density_and_the_curve_is_the_mixture():
    mix = mixtures.evenly_spaced_mixture(3, 2.0, 0.2)
    samples = jnp.linspace(-2.5, 2.5, 1000)
    fig, ax = plt.subplots()
    toy_plots.plot_samples_vs_density(ax, samples, mix, title="x")
    heights = np.array([p.get_height() for p in ax.patches])
    widths = np.array([p.get_width() for p in ax.patches])
    np.testing.assert_allclose(np.sum(heights * widths), 1.0, rtol=1e-6)
    (line,) = ax.get_lines()
    x, y = line.get_data()
    np.testing.assert_allclose(y, mixtures.mixture_pdf(jnp.asarray(x), *mix), rtol=1e-5)
    assert ax.get_xlabel() == "$x$" and ax.get_title() == "x"
    plt.close(fig)


def test_eps_curves_draw_exact_and_model_and_optional_density():
    grid = jnp.linspace(-3.0, 3.0, 50)
    fig, ax = plt.subplots()
    toy_plots.plot_eps_curves(ax, grid, grid, 0.5 * grid, t=7, density=jnp.exp(-(grid**2)))
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [
        r"exact $\varepsilon^*$",
        r"trained $\varepsilon_\theta$",
    ]
    np.testing.assert_allclose(lines[1].get_ydata(), 0.5 * np.asarray(grid))
    assert len(ax.collections) == 1 and ax.get_title() == "t = 7"
    plt.close(fig)
