"""Small problems with exact answers: 1-D mixtures, Bayes on a grid, the 1-D GAN, toy digits.

mixtures      1-D Gaussian mixtures with exact densities at every noise level, exact ε*
bayes_grid    exact 1-D Bayes and KL on a grid (the true reverse step)
gan1d         a tiny 1-D GAN and its training loop (notebooks 01–02)
gan_theory    the optimal discriminator, JS divergence, vanishing generator gradients
metrics1d     mode coverage and Wasserstein-1 for 1-D samples
toy_digits    synthetic 28×28 digit-like images drawn with soft strokes (no download)
toy_training  the simplified loss and a training loop for 1-D ε-models
"""
