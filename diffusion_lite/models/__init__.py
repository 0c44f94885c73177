"""Neural networks only (Flax NNX): unet (+ layers, patches), mlp, classifier; no training, no data."""
