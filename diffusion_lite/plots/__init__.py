"""Every matplotlib helper the notebooks share (plots never train).

gan1d_plots  snapshots and training curves of the 1-D GAN
toy_plots    samples vs density, ε curves for 1-D toys
graphical    the forward chain drawn as a Bayesian network
images       image grids: tile, show, save as PNG
"""
