"""The Bayesian-network drawing: one node per variable, arrows in chain order, a plate around all."""

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from diffusion_lite.plots.graphical import DEFAULT_LABELS, ELLIPSIS, draw_forward_chain


def _draw(**kwargs):
    ax = Figure().subplots()
    return ax, draw_forward_chain(ax, **kwargs)


def test_nodes_arrows_and_plate():
    ax, centres = _draw()
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    plates = [p for p in ax.patches if isinstance(p, Rectangle)]
    node_labels = [lab for lab in DEFAULT_LABELS if lab != ELLIPSIS]
    assert list(centres) == node_labels
    assert len(circles) == len(node_labels)
    assert len(arrows) == 2 * (len(DEFAULT_LABELS) - 1)  # forward q and reverse p_θ per edge
    # x_0 is observed (shaded), the latents are not
    assert circles[0].get_facecolor() != circles[1].get_facecolor()
    assert all(c.get_facecolor() == circles[1].get_facecolor() for c in circles[1:])
    # left to right in chain order
    xs = [centres[lab][0] for lab in node_labels]
    assert xs == sorted(xs)
    # the plate encloses every node and carries N
    (plate,) = plates
    x0, y0, w, h = plate.get_x(), plate.get_y(), plate.get_width(), plate.get_height()
    for cx, cy in centres.values():
        assert x0 < cx - 0.32 and cx + 0.32 < x0 + w and y0 < cy - 0.32 and cy + 0.32 < y0 + h
    texts = [t.get_text() for t in ax.texts]
    assert "$N$" in texts and "$x_0$" in texts and "$x_T$" in texts


def test_forward_only_without_plate():
    ax, centres = _draw(labels=("x_0", "x_1", "x_2"), show_reverse=False, plate_label=None)
    assert len([p for p in ax.patches if isinstance(p, FancyArrowPatch)]) == 2
    assert not [p for p in ax.patches if isinstance(p, Rectangle)]
    assert centres == {"x_0": (0.0, 0.0), "x_1": (1.0, 0.0), "x_2": (2.0, 0.0)}


@pytest.mark.parametrize("labels", [("x_0",), (ELLIPSIS, "x_1"), ("x_0", ELLIPSIS)])
def test_bad_labels_raise(labels):
    with pytest.raises(ValueError, match="labels"):
        _draw(labels=labels)


def test_bad_radius_raises():
    with pytest.raises(ValueError, match="radius"):
        _draw(radius=0.7)
