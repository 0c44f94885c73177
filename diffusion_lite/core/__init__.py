"""The lecture's equations in pure ``jax.numpy``; imports nothing else of ours.

schedules  β_t, α_t, ᾱ_t, SNR
forward    q(x_t | x_{t-1}), the chain, q(x_t | x_0)
posterior  q(x_{t-1} | x_t, x_0), x_0 from ε
losses     Gaussian KL, ELBO weights, the ε-prediction loss
sampling   p_θ(x_{t-1} | x_t): ancestral and DDIM steps and samplers
elbo       the variational bound term by term
"""
