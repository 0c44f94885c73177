"""Neural ε-models: ``unet`` (the MNIST U-Net)."""
