"""diffusion_lite: diffusion models from first principles, in small pure JAX functions.

Modules (math first, each one concept):
    schedules  β_t, α_t, ᾱ_t, SNR
    forward    q(x_t | x_{t-1}), the chain, q(x_t | x_0)
    posterior  q(x_{t-1} | x_t, x_0), x_0 from ε
    losses     Gaussian KL, ELBO weights, the ε-prediction loss
    sampling   p_θ(x_{t-1} | x_t): ancestral and DDIM steps and samplers
    mixtures   1-D Gaussian mixtures with exact densities at every noise level
    bayes_grid exact 1-D Bayes and KL on a grid (the true reverse step)

Around them: gan1d / gan_theory / metrics1d (notebooks 01–02), graphical (the Bayesian
network), elbo / toy_training / toy_plots (notebooks 06–07), models/ (MLP ε-model, U-Net,
classifier), data, train, checkpoint, evaluate,
cli (``python -m diffusion_lite``), exercises/ (the notebooks' checkers).
"""

__version__ = "0.1.0"
