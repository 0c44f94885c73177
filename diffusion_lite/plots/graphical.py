"""Draw the diffusion model as a Bayesian network, from code, with matplotlib.

Lecture: "이 모델은 Bayesian Network의 구조를 띈다" — x_0 (observed, shaded) → x_1 → … → x_T
(latent), each arrow one Gaussian step q(x_t | x_{t-1}); the generative model p_θ runs the
arrows backwards; a plate repeats the whole chain once per data point i = 1..N.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

ELLIPSIS = "…"
DEFAULT_LABELS = ("x_0", "x_1", ELLIPSIS, "x_{t-1}", "x_t", ELLIPSIS, "x_T")


def draw_forward_chain(
    ax: Axes,
    labels: Sequence[str] = DEFAULT_LABELS,
    show_reverse: bool = True,
    plate_label: str | None = "N",
    radius: float = 0.32,
) -> dict[str, tuple[float, float]]:
    """Draw the chain x_0 → x_1 → … → x_T as a Bayesian network, with a plate over N.

    Math (the factorisation the graph encodes; Ho et al. 2020 eqs. 1–2):
        q(x_{1:T} | x_0) = ∏_{t=1}^{T} q(x_t | x_{t-1}),
        p_θ(x_{0:T}) = p(x_T) ∏_{t=1}^{T} p_θ(x_{t-1} | x_t).

    Nodes sit at (i, 0) for the i-th label; the first label is the observed variable
    (shaded).  A label equal to ``"…"`` is drawn as plain text, not a node.  Solid
    arrows are the forward steps q, dashed curved arrows below are the reverse steps p_θ.
    The edge into ``x_t`` (or the middle edge) carries the two conditionals as labels.

    Args:
        ax: matplotlib axes to draw on (its limits and aspect are set here).
        labels: node names in LaTeX without dollars, first one observed; >= 2 entries.
        show_reverse: also draw the generative arrows p_θ(x_{t-1} | x_t).
        plate_label: text in the plate's corner (the number of data points), or None for
            no plate.
        radius: node radius in data units, in (0, 0.5).

    Returns:
        ``{label: (x, y)}`` centre of every drawn node (ellipses excluded).
    """
    if len(labels) < 2 or labels[0] == ELLIPSIS or labels[-1] == ELLIPSIS:
        raise ValueError(
            f"labels must have >= 2 entries and start and end with a node, got {labels}"
        )
    if not 0.0 < radius < 0.5:
        raise ValueError(f"radius must lie in (0, 0.5), got {radius}")
    centres = {}
    for i, label in enumerate(labels):
        if label == ELLIPSIS:
            ax.text(i, 0, r"$\cdots$", ha="center", va="center", fontsize=14)
            continue
        face = "0.75" if i == 0 else "white"
        ax.add_patch(Circle((i, 0), radius, facecolor=face, edgecolor="black", lw=1.5))
        ax.text(i, 0, f"${label}$", ha="center", va="center", fontsize=13)
        centres[label] = (float(i), 0.0)

    gap = {True: radius, False: 0.15}  # where arrows start/stop: node rim or near the dots
    low = {True: 0.85 * radius, False: 0.12}  # reverse arrows leave from the node's underside
    labelled = labels.index("x_t") if "x_t" in labels else len(labels) // 2
    for i in range(1, len(labels)):
        start = i - 1 + gap[labels[i - 1] != ELLIPSIS]
        end = i - gap[labels[i] != ELLIPSIS]
        ax.add_patch(FancyArrowPatch((start, 0), (end, 0), arrowstyle="-|>", mutation_scale=14))
        if show_reverse:
            ax.add_patch(
                FancyArrowPatch(
                    (i - 0.15, -low[labels[i] != ELLIPSIS]),
                    (i - 0.85, -low[labels[i - 1] != ELLIPSIS]),
                    arrowstyle="-|>",
                    mutation_scale=12,
                    connectionstyle="arc3,rad=-0.5",
                    linestyle="--",
                    color="tab:blue",
                )
            )
        if i == labelled:
            ax.text(i - 0.5, 0.45, r"$q(x_t \mid x_{t-1})$", ha="center", fontsize=11)
            if show_reverse:
                ax.text(
                    i - 0.5,
                    -0.75,
                    r"$p_\theta(x_{t-1} \mid x_t)$",
                    ha="center",
                    fontsize=11,
                    color="tab:blue",
                )

    if plate_label is not None:
        ax.add_patch(
            Rectangle(
                (-0.55, -0.95), len(labels) + 0.1, 1.75, fill=False, lw=1.2, joinstyle="round"
            )
        )
        ax.text(len(labels) - 0.55, -0.9, f"${plate_label}$", ha="right", va="bottom", fontsize=13)
    ax.set_xlim(-0.7, len(labels) - 0.3)
    ax.set_ylim(-1.1, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return centres
