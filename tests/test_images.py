"""Image grids: tiles land where they should, PNGs are written whole, ``show`` draws one grid."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from diffusion_lite.plots.images import make_grid, save_grid, show  # noqa: E402


def test_grid_places_each_image_in_its_tile_scaled_to_0_1():
    images = np.stack([np.full((3, 3, 1), v) for v in (-1.0, 0.0, 1.0, 0.5)])
    grid = make_grid(images, ncols=2, pad=1)
    assert grid.shape == (7, 7)
    assert grid[0, 0] == 0.0 and grid[0, 4] == 0.5 and grid[4, 0] == 1.0 and grid[4, 4] == 0.75
    assert grid[3, 3] == 1.0  # padding is white
    with pytest.raises(ValueError, match="images must have shape"):
        make_grid(np.zeros((3, 3)))


def test_save_grid_writes_a_png_of_the_grid(tmp_path):
    images = np.linspace(-1, 1, 2 * 4 * 4).reshape(2, 4, 4, 1)
    path = save_grid(tmp_path / "g.png", images, ncols=2)
    pixels = matplotlib.image.imread(path)[..., 0]
    # the gray colormap bins [0, 1] into 256 levels and PNG stores 8 bits: < 2/255 apart
    np.testing.assert_allclose(pixels, make_grid(images, 2), atol=2 / 255)
    assert [p.name for p in tmp_path.iterdir()] == ["g.png"]  # no temporary file left


def test_show_draws_one_grey_image_with_the_title():
    fig, ax = plt.subplots()
    show(np.zeros((4, 5, 5, 1)), "four", ax=ax)
    assert ax.get_title() == "four" and len(ax.images) == 1
    plt.close(fig)


def test_show_labels_each_column_under_its_centre():
    fig, ax = plt.subplots()
    show(np.zeros((6, 5, 5, 1)), "six", ncols=3, ax=ax, col_labels=[1000, 500, 0])
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["1000", "500", "0"]
    np.testing.assert_allclose(ax.get_xticks(), [2.0, 9.0, 16.0])  # 5 px tiles, 2 px pad
    with pytest.raises(ValueError, match="col_labels"):
        show(np.zeros((6, 5, 5, 1)), "six", ncols=3, ax=ax, col_labels=[1, 2])
    plt.close(fig)
