"""diffusion_lite: diffusion models from first principles, in small pure JAX functions.

Sub-packages by concept (arrows point down only: core imports nothing of ours):
    core/       the lecture's equations in pure jax.numpy: schedules, forward, posterior,
                losses, sampling, elbo
    toys/       problems with exact answers: mixtures, bayes_grid, gan1d, gan_theory,
                metrics1d, toy_digits, toy_training
    models/     networks only (Flax NNX): unet, layers, patches, mlp, classifier
    mnist/      the MNIST denoiser end to end: data, config, train, checkpoint, generate,
                evaluate, classifier_train, pretrained, eval_cli, flops
    plots/      matplotlib helpers: gan1d_plots, toy_plots, graphical, images
    exercises/  the notebooks' checkers, one module per notebook
    cpu_settings  XLA CPU flags that speed up training; notebooks and the CLI call it first
    cli         ``python -m diffusion_lite``
"""

__version__ = "0.1.0"
