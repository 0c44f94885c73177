"""Class conditioning and classifier-free guidance (Ho & Salimans 2022).

One network ε_θ(x_t, t, y) learns both p(x | y) and p(x): during training the label y is
replaced by a "no label" class ∅ with probability p (``drop_labels``), so ε_θ(x_t, t, ∅)
is the unconditional model.  At sampling time the two predictions are mixed:

    ε̃ = (1 + w) ε_θ(x_t, t, y) - w ε_θ(x_t, t, ∅),      w ≥ 0 (``guided_eps``).

Why: ε = -√(1-ᾱ_t) ∇ log q(x_t), and Bayes' rule for scores says
∇ log p(x|y) = ∇ log p(x) + ∇ log p(y|x).  So ε̃ is the ε of the tilted density
p(x) p(y|x)^{1+w} ∝ p(x|y) p(y|x)^w: w = 0 is the conditional model, w > 0 pushes the
samples towards points the classifier p(y|x) is sure about.
"""

import jax
import jax.numpy as jnp


def _check_labels(labels, null_label: int) -> None:
    """ValueError unless labels are integers in 0..null_label (values checked outside jit only).

    Copy with: ``import jax``.
    """
    if not jnp.issubdtype(jnp.asarray(labels).dtype, jnp.integer):
        raise ValueError(
            f"labels must be integers in 0..{null_label}, got {jnp.asarray(labels).dtype}"
        )
    if not isinstance(labels, jax.core.Tracer) and labels.size:
        host = jax.device_get(labels)  # on the host: no traced op, even inside a jit trace
        low, high = int(host.min()), int(host.max())
        if low < 0 or high > null_label:
            raise ValueError(
                f"labels must lie in 0..{null_label} (null_label = ∅), got {low}..{high}"
            )


def drop_labels(key, labels, p: float, null_label: int):
    """Replace each label by the "no label" class ∅ with probability ``p`` (label dropout).

    Math: ỹ_i = ∅ if u_i < p else y_i,  u_i ~ U[0, 1) independently.

    Copy with: ``_check_labels``.

    Args:
        key: PRNG key.
        labels: int array [B] with classes 0..null_label - 1 (∅ = ``null_label`` also allowed).
        p: dropout probability in [0, 1].
        null_label: the index of ∅, the number of real classes (10 for MNIST).

    Returns:
        int array [B] like ``labels``.
    """
    if not isinstance(p, jax.core.Tracer) and not 0.0 <= float(p) <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p}")
    labels = jnp.asarray(labels)
    _check_labels(labels, null_label)
    drop = jax.random.uniform(key, labels.shape) < p
    return jnp.where(drop, jnp.asarray(null_label, labels.dtype), labels)


def guided_eps(eps_cond, eps_uncond, w):
    """Classifier-free guidance: ε̃ = (1 + w) ε(x_t, t, y) - w ε(x_t, t, ∅).

    ``w = 0`` returns ``eps_cond`` exactly (1·ε - 0·ε' = ε in floating point for finite ε').

    Copy with: ``import jax``.

    Args:
        eps_cond: ε_θ(x_t, t, y), any shape.
        eps_uncond: ε_θ(x_t, t, ∅), same shape.
        w: guidance scale ≥ 0 (a Python float, or a traced scalar under jit).
    """
    if jnp.shape(eps_cond) != jnp.shape(eps_uncond):
        raise ValueError(
            f"eps_uncond must have the shape of eps_cond {jnp.shape(eps_cond)}, "
            f"got {jnp.shape(eps_uncond)}"
        )
    if not isinstance(w, jax.core.Tracer) and not float(w) >= 0.0:
        raise ValueError(f"w must be >= 0 (0 = no guidance), got {w}")
    return (1.0 + w) * eps_cond - w * eps_uncond


def cfg_eps(eps_fn, x_t, t, labels, w, null_label: int):
    """ε̃(x_t, t, y) with one call of ``eps_fn`` on a doubled batch [x_t; x_t], labels [y; ∅].

    Math: ε̃ = (1 + w) ε(x_t, t, y) - w ε(x_t, t, ∅)   (``guided_eps``).

    Copy with: ``guided_eps``, ``_check_labels``, ``import jax``.

    Args:
        eps_fn: ``eps_fn(x_t, t, y) -> eps_hat``, e.g. a conditional U-Net.
        x_t: [B, ...]; t: int [B]; labels: int [B] in 0..null_label.
        w: guidance scale ≥ 0.
        null_label: the index of ∅ (the number of real classes).
    """
    labels = jnp.asarray(labels)
    if labels.shape != jnp.shape(x_t)[:1]:
        raise ValueError(
            f"labels must have shape {jnp.shape(x_t)[:1]} (one per image), got {labels.shape}"
        )
    _check_labels(labels, null_label)
    both = eps_fn(
        jnp.concatenate([x_t, x_t]),
        jnp.concatenate([t, t]),
        jnp.concatenate([labels, jnp.full_like(labels, null_label)]),
    )
    eps_cond, eps_uncond = jnp.split(both, 2)
    return guided_eps(eps_cond, eps_uncond, w)
