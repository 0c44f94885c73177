"""Loss pieces: the KL between Gaussians, the ELBO's per-step weights, the ε-prediction loss.

The lecture stops at "the loss for the reverse diffusion is ...".  The chain of ideas the
series completes (notebook 06): ELBO → Σ_t KL(q(x_{t-1}|x_t,x_0) ‖ p_θ(x_{t-1}|x_t)) →
each KL is a weighted ε-MSE → drop the weights (Ho et al. 2020's L_simple).
"""

from __future__ import annotations

import jax.numpy as jnp


def gaussian_kl(mean1, var1, mean2, var2):
    """KL( N(mean1, var1) ‖ N(mean2, var2) ) per coordinate (diagonal Gaussians).

    Math:
        KL = ½ [ log(var2 / var1) + (var1 + (mean1 - mean2)²) / var2 - 1 ].

    Sum over coordinates for the KL of the full diagonal Gaussian.  All arguments
    broadcast; variances must be > 0.
    """
    return 0.5 * (jnp.log(var2) - jnp.log(var1) + (var1 + (mean1 - mean2) ** 2) / var2 - 1.0)


def gaussian_log_likelihood(x, mean, var):
    """log N(x; mean, var) per coordinate:  -½ [ log 2π var + (x - mean)² / var ]."""
    return -0.5 * (jnp.log(2.0 * jnp.pi * var) + (x - mean) ** 2 / var)


def elbo_weights(betas, sigma2s):
    """λ_t: the weight that turns the KL term L_{t-1} into an ε-MSE.

    Math (Ho et al. 2020 eq. 12):
        KL( q(x_{t-1}|x_t,x_0) ‖ N(μ_θ, σ_t² I) ) = λ_t ‖ε - ε_θ(x_t, t)‖² + const,
        λ_t = β_t² / (2 σ_t² α_t (1 - ᾱ_t)).

    Args:
        betas: shape [T + 1].
        sigma2s: σ_t² of the reverse process, shape [T + 1] (e.g. β_t or β̃_t; index 0 unused).

    Returns:
        shape [T + 1]; index 0 set to 0.  (λ_1 multiplies the t = 1 term, which the ELBO
        treats as the decoder L_0; with σ_1² = β̃_1 = 0 it is undefined and set to 0.)
    """
    alpha_bars = jnp.cumprod(1.0 - betas)
    valid = (jnp.arange(betas.shape[0]) > 0) & (sigma2s > 0)
    denom = jnp.where(valid, 2.0 * sigma2s * (1.0 - betas) * (1.0 - alpha_bars), 1.0)
    return jnp.where(valid, betas**2 / denom, 0.0)


def eps_loss(eps, eps_hat):
    """The simplified DDPM loss L_simple = E ‖ε - ε_θ(x_t, t)‖², averaged over all entries.

    Math (Ho et al. 2020 eq. 14): the ELBO's weighted ε-MSE with every λ_t set to a constant.
    """
    if eps.shape != eps_hat.shape:
        raise ValueError(f"eps_hat must have the shape of eps {eps.shape}, got {eps_hat.shape}")
    return jnp.mean((eps - eps_hat) ** 2)
