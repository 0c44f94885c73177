"""The MNIST denoiser end to end: data, configuration, training, checkpoints, sampling, scores.

data              read / download + sha256-verify MNIST
config            TrainConfig and the presets
train             the jitted train step, EMA, the loop (``fit``)
checkpoint        one msgpack file with a sha256, written atomically; export of EMA weights
generate          sample a trained U-Net (ancestral or DDIM)
evaluate          classifier scores: recognised share, class histogram, Fréchet distance
classifier_train  train the judge classifier (``models.classifier``) on MNIST
eval_cli          the ``eval`` and ``train classifier`` commands
pretrained        the shipped checkpoints: load, sample, evaluate
flops             FLOPs per image from XLA's cost analysis
"""
