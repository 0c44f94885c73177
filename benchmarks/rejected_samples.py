"""Which generated digits does the judge reject, and why?  A diagnostic for the ~89 % plateau.

Draws the samples ``eval`` scores (``pretrained.sample_checkpoint``: DDIM, η, x̂_0
clipped), classifies them with the shipped classifier, and prints how confident the rejected ones are, how
many are two-way ambiguous (the top two classes hold >= 0.9 together) and the most common
class pairs; writes a grid of the first 64 rejected samples.

    DIFFUSION_LITE_DATA=../shared/data .venv/bin/python benchmarks/rejected_samples.py \\
        --num-samples 500 --out rejected.png
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from diffusion_lite.cpu_settings import apply_cpu_settings

apply_cpu_settings()  # before JAX starts, as `python -m diffusion_lite` does

import jax  # noqa: E402
import numpy as np  # noqa: E402

from diffusion_lite.mnist.classifier_file import load_classifier  # noqa: E402
from diffusion_lite.mnist.data import Split, load_mnist  # noqa: E402
from diffusion_lite.mnist.evaluate import CONFIDENCE  # noqa: E402
from diffusion_lite.mnist.generate import Sampler  # noqa: E402
from diffusion_lite.mnist.pretrained import DENOISER, sample_checkpoint  # noqa: E402
from diffusion_lite.models.classifier import predict  # noqa: E402
from diffusion_lite.plots.images import save_grid  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", type=Path, default=DENOISER)
    parser.add_argument("--num-samples", type=int, default=500)
    parser.add_argument("--steps", type=int, default=50, help="DDIM steps")
    parser.add_argument("--eta", type=float, default=1.0, help="DDIM's η")
    parser.add_argument("--seed", type=int, default=0, help="as eval's --seed")
    parser.add_argument("--out", type=Path, default=Path("rejected.png"))
    args = parser.parse_args()

    x = sample_checkpoint(jax.random.key(args.seed), args.checkpoint, args.num_samples,
                          Sampler.DDIM, args.steps, eta=args.eta)  # fmt: skip
    classifier = load_classifier()
    probs = predict(classifier, x)[0]
    rejected = probs.max(axis=1) < CONFIDENCE
    real = load_mnist(Split.TEST)[0][: args.num_samples]
    real_rejected = predict(classifier, real)[0].max(axis=1) < CONFIDENCE
    print(f"recognised: {1 - rejected.mean():.1%} of {args.num_samples} samples "
          f"({1 - real_rejected.mean():.1%} of as many real test digits)")  # fmt: skip
    p = probs[rejected]
    quantiles = np.round(np.quantile(p.max(axis=1), [0.1, 0.25, 0.5, 0.75, 0.9]), 2)
    print(f"rejected: {rejected.sum()}; top probability at quantiles 10/25/50/75/90 %: {quantiles}")
    top2 = np.sort(p, axis=1)[:, -2:].sum(axis=1)
    ambiguous = np.mean(top2 >= CONFIDENCE)
    print(f"two-way ambiguous (top two classes >= {CONFIDENCE} together): {ambiguous:.0%}")
    pairs = collections.Counter(tuple(int(c) for c in np.argsort(row)[::-1][:2]) for row in p)
    print("most common (top, runner-up) classes:", pairs.most_common(8))
    save_grid(args.out, x[rejected][:64])
    print(f"wrote {args.out}: the first {min(64, rejected.sum())} rejected samples")


if __name__ == "__main__":
    main()
