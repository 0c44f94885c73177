"""Neural networks: ``unet`` (the MNIST ε-model) and the other models beside it."""
