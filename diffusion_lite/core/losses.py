"""Loss pieces: the KL between Gaussians, the ELBO's per-step weights, the ε-prediction loss.

The lecture stops at "the loss for the reverse diffusion is ...".  The chain of ideas the
series completes (notebook 06): ELBO → Σ_t KL(q(x_{t-1}|x_t,x_0) ‖ p_θ(x_{t-1}|x_t)) →
each KL is a weighted ε-MSE → drop the weights (Ho et al. 2020's L_simple).
"""

import jax.numpy as jnp

from diffusion_lite.core.schedules import Schedule


def gaussian_kl(mean1, var1, mean2, var2):
    """KL( N(mean1, var1) ‖ N(mean2, var2) ) per coordinate (diagonal Gaussians).

    Math:
        KL = ½ [ log(var2 / var1) + (var1 + (mean1 - mean2)²) / var2 - 1 ].

    Sum over coordinates for the KL of the full diagonal Gaussian.  All arguments
    broadcast; variances must be > 0.

    Copy with: nothing.
    """
    return 0.5 * (jnp.log(var2) - jnp.log(var1) + (var1 + (mean1 - mean2) ** 2) / var2 - 1.0)


def gaussian_log_likelihood(x, mean, var):
    """log N(x; mean, var) per coordinate:  -½ [ log 2π var + (x - mean)² / var ].

    Copy with: nothing.
    """
    return -0.5 * (jnp.log(2.0 * jnp.pi * var) + (x - mean) ** 2 / var)


def elbo_weights(schedule: "Schedule", sigma2s):
    """λ_t: the weight that turns the KL term L_{t-1} into an ε-MSE.

    Math (Ho et al. 2020 eq. 12):
        KL( q(x_{t-1}|x_t,x_0) ‖ N(μ_θ, σ_t² I) ) = λ_t ‖ε - ε_θ(x_t, t)‖² + const,
        λ_t = β_t² / (2 σ_t² α_t (1 - ᾱ_t)).

    Args:
        schedule: from ``make_schedule``.
        sigma2s: σ_t² of the reverse process, shape [T + 1] (e.g. β_t or β̃_t; index 0 unused).

    Returns:
        shape [T + 1]; index 0 set to 0.  (λ_1 multiplies the t = 1 term, which the ELBO
        treats as the decoder L_0; with σ_1² = β̃_1 = 0 it is undefined and set to 0.)

    Copy with: nothing.
    """
    betas = schedule.betas
    if jnp.shape(sigma2s) != betas.shape:
        raise ValueError(
            f"sigma2s must have shape [T + 1] = {betas.shape}, got {jnp.shape(sigma2s)}"
        )
    valid = (jnp.arange(betas.shape[0]) > 0) & (sigma2s > 0)
    denom = 2.0 * sigma2s * schedule.alphas * schedule.one_minus_alpha_bars
    return jnp.where(valid, betas**2 / jnp.where(valid, denom, 1.0), 0.0)


def eps_loss(eps, eps_hat):
    """The simplified DDPM loss L_simple = E ‖ε - ε_θ(x_t, t)‖², averaged over all entries.

    Math (Ho et al. 2020 eq. 14): the ELBO's weighted ε-MSE with every λ_t set to a constant.

    Copy with: nothing.
    """
    if eps.shape != eps_hat.shape:
        raise ValueError(f"eps_hat must have the shape of eps {eps.shape}, got {eps_hat.shape}")
    return jnp.mean((eps - eps_hat) ** 2)


def min_snr_weights(schedule: "Schedule", gamma: float = 5.0):
    """Per-step weights w_t of the ε-MSE for the "min-SNR-γ" loss (Hang et al. 2023).

    Math:
        SNR_t = ᾱ_t / (1 - ᾱ_t),   w_t = min(SNR_t, γ) / SNR_t.
    Because ‖x_0 - x̂_0‖² = ‖ε - ε̂‖² / SNR_t (x̂_0 from ε̂ through the diffusion kernel),
    w_t ‖ε - ε̂‖² = min(SNR_t, γ) ‖x_0 - x̂_0‖²: an x_0-error weighted by the SNR, capped at
    γ.  Noisy steps (SNR_t ≤ γ) keep weight 1, as in L_simple; nearly clean steps, whose
    ε is hard to see and whose samples barely change, are down-weighted, so the network
    spends its capacity on the steps that form the digit.

    Args:
        schedule: from ``make_schedule``.
        gamma: the cap γ > 0 (Hang et al. use 5).

    Returns:
        shape [T + 1]; w_0 = γ·0 / ∞ is set to 0 (t = 0 is never trained).

    Copy with: nothing.
    """
    if not float(gamma) > 0:
        raise ValueError(f"gamma must be > 0, got {gamma}")
    t = jnp.arange(schedule.alpha_bars.shape[0])
    one_minus = jnp.where(t > 0, schedule.one_minus_alpha_bars, 1.0)
    snr = jnp.where(t > 0, schedule.alpha_bars / one_minus, 1.0)
    return jnp.where(t > 0, jnp.minimum(snr, gamma) / snr, 0.0)


def weighted_eps_loss(eps, eps_hat, weights):
    """Σ_b w_b ‖ε_b - ε̂_b‖² / (B · D): L_simple with one weight per example ([B], e.g. w[t]).

    With every weight 1 this is ``eps_loss``.

    Copy with: nothing.
    """
    if eps.shape != eps_hat.shape:
        raise ValueError(f"eps_hat must have the shape of eps {eps.shape}, got {eps_hat.shape}")
    per_example = jnp.mean((eps - eps_hat) ** 2, axis=tuple(range(1, eps.ndim)))  # [B]
    return jnp.mean(weights * per_example)
