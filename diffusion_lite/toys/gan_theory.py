"""What an *optimal* discriminator tells the generator: JS on a grid, D*, and its gradient.

Goodfellow et al. (2014, Prop. 1 and Thm. 1): for fixed densities p (data) and q (generator)
the best discriminator is D*(x) = p(x) / (p(x) + q(x)), and the GAN value at D* is
2 JS(p‖q) - log 4.  When p and q (almost) do not overlap, JS is stuck at log 2 and the
saturating generator loss log(1 - D*) has (almost) zero gradient (Arjovsky & Bottou 2017).
Pure ``jax.numpy``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def js_divergence(p: jax.Array, q: jax.Array, dx: float) -> jax.Array:
    """Jensen–Shannon divergence JS(p‖q) in nats from two densities tabulated on a uniform grid.

    Math:
        m = (p + q) / 2,   JS(p‖q) = ½ ∫ p log(p/m) dx + ½ ∫ q log(q/m) dx  ∈ [0, log 2],
    with 0 · log 0 = 0; the integrals are Riemann sums with spacing ``dx``.

    Args:
        p, q: density values p(x_i), q(x_i) on the same grid, shape [N]; each should
            integrate to ≈ 1 over the grid (the grid must cover both supports).
        dx: grid spacing.

    Returns:
        scalar JS ≥ 0; equals log 2 ≈ 0.6931 exactly when the supports are disjoint.
    """
    xlogy = jax.scipy.special.xlogy  # xlogy(a, b) = a log b, and 0 when a = 0
    # p log(p/m) = p log(2p / (p+q)): never forms m, which underflows to 0 where p is tiny.
    kl_pm = jnp.sum(xlogy(p, 2.0 * p) - xlogy(p, p + q)) * dx
    kl_qm = jnp.sum(xlogy(q, 2.0 * q) - xlogy(q, p + q)) * dx
    return 0.5 * (kl_pm + kl_qm)


def optimal_discriminator_logit(log_p: jax.Array, log_q: jax.Array) -> jax.Array:
    """Logit ℓ*(x) of the optimal discriminator: D*(x) = sigmoid(ℓ*(x)).

    Math (Goodfellow et al. 2014, Prop. 1):
        D*(x) = p(x) / (p(x) + q(x))   ⇔   ℓ*(x) = log p(x) - log q(x).

    Args:
        log_p, log_q: log-densities at the same points, shape [...].

    Returns:
        ℓ*, shape [...]; ``jax.nn.sigmoid`` of it is D*.
    """
    return log_p - log_q


def generator_grads(logit: jax.Array, dlogit_dx: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Gradient w.r.t. a generated point x of the two generator losses, against D*.

    Math, with ℓ = ℓ*(x) and ℓ' = dℓ/dx = ∇ log p(x) - ∇ log q(x):
        saturating      L = log(1 - D*(x)) = -softplus(ℓ)   ⇒  dL/dx = -sigmoid(ℓ) ℓ'
        non-saturating  L = -log D*(x)     =  softplus(-ℓ)  ⇒  dL/dx = -sigmoid(-ℓ) ℓ'
    Far from p, ℓ → -∞: the saturating gradient vanishes like e^ℓ (Goodfellow et al. 2014 §3).

    Args:
        logit: ℓ*(x), shape [...].
        dlogit_dx: ℓ'(x), shape [...].

    Returns:
        ``(grad_saturating, grad_non_saturating)``, each shape [...].
    """
    return -jax.nn.sigmoid(logit) * dlogit_dx, -jax.nn.sigmoid(-logit) * dlogit_dx


def gan_value(p: jax.Array, q: jax.Array, disc: jax.Array, dx: float) -> jax.Array:
    """The GAN value V(D) = E_p[log D] + E_q[log(1 - D)] on a grid (Goodfellow et al. 2014, eq. 1).

    At D = D* it equals 2 JS(p‖q) - log 4 (Thm. 1), and no other D does better.

    Args:
        p, q: densities on a uniform grid, shape [N].
        disc: D(x_i) ∈ (0, 1) on the same grid, shape [N].
        dx: grid spacing.
    """
    xlogy = jax.scipy.special.xlogy  # a log b, and 0 when a = 0 (where p or q vanishes)
    return jnp.sum(xlogy(p, disc) + xlogy(q, 1.0 - disc)) * dx
