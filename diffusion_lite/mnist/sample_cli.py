"""The ``sample`` command of ``python -m diffusion_lite`` (see ``cli.py``).

python -m diffusion_lite sample --checkpoint runs/mnist/checkpoint.msgpack --out grid.png
python -m diffusion_lite sample --checkpoint runs/cond/checkpoint.msgpack --label 7 --guidance 3
python -m diffusion_lite sample --checkpoint runs/cond/checkpoint.msgpack --grid-by-label
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from diffusion_lite import cli_checks as checks
from diffusion_lite.cli_checks import UsageError, blame
from diffusion_lite.mnist.checkpoint import Weights, build_unet, load_checkpoint
from diffusion_lite.mnist.flops import describe_model
from diffusion_lite.mnist.generate import ClipX0, Sampler, generate
from diffusion_lite.plots.images import save_grid, save_trajectory


def add_sample_parser(commands) -> None:
    """Register ``sample`` on the sub-command parsers of ``cli.build_parser``."""
    sample = commands.add_parser(
        "sample",
        help="draw a PNG grid of digits from a checkpoint",
        description="Draw images from a trained checkpoint with the EMA weights.",
    )
    sample.add_argument("--checkpoint", type=Path, required=True, help="checkpoint .msgpack file")
    sample.add_argument("--sampler", choices=[s.value for s in Sampler], default="ddim",
                        help="ddim (few steps) or ancestral (all T steps) (default: %(default)s)")  # fmt: skip
    sample.add_argument("--steps", type=int, default=50, help="DDIM steps (default: %(default)s)")
    sample.add_argument("--eta", type=float, default=0.0,
                        help="DDIM's η: 0 deterministic, 1 fresh noise every step (default: 0)")  # fmt: skip
    sample.add_argument("--no-clip", action="store_true",
                        help="sample with the raw ε̂ instead of clipping x̂_0 to [-1, 1]")  # fmt: skip
    sample.add_argument("--num-images", type=int, default=64, help="(default: %(default)s)")
    sample.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    sample.add_argument("--out", type=Path, default=Path("grid.png"),
                        help="PNG grid to write (default: %(default)s)")  # fmt: skip
    sample.add_argument("--trajectory", type=Path, metavar="PNG",
                        help="also write the reverse process x_T → x_0 of the first 8 images")  # fmt: skip
    sample.add_argument("--no-ema", action="store_true", help="use the raw instead of EMA weights")
    sample.add_argument("--force", action="store_true", help="replace an existing non-PNG file")
    cond = sample.add_argument_group("class-conditional checkpoints (classifier-free guidance)")
    which = cond.add_mutually_exclusive_group()
    which.add_argument("--label", type=int, metavar="Y", help="draw every image as digit Y (0..9)")
    which.add_argument("--grid-by-label", action="store_true",
                       help="one row per digit 0..9 (--num-images a multiple of 10)")  # fmt: skip
    cond.add_argument("--guidance", type=float, default=0.0, metavar="W",
                      help="w in ε̃ = (1+w) ε(x,t,y) − w ε(x,t,∅); 0: the plain conditional "
                      "model (default: 0)")  # fmt: skip


def sample_labels(args: argparse.Namespace, num_classes: int) -> jax.Array | None:
    """The requested label of each image, or None; ``UsageError`` naming the flag otherwise."""
    wants = args.label is not None or args.grid_by_label
    if not (math.isfinite(args.guidance) and args.guidance >= 0.0):
        raise UsageError(f"--guidance must be a finite number >= 0, got {args.guidance}")
    if args.guidance and not wants:
        raise UsageError(
            "--guidance needs --label Y or --grid-by-label (it guides towards a label)"
        )
    if wants and not num_classes:
        flag = "--label" if args.label is not None else "--grid-by-label"
        raise UsageError(f"{flag}: {args.checkpoint} is an unconditional checkpoint (trained "
                         "without labels); use a conditional one (train --preset "
                         "quick-cpu-cond) or drop the label options")  # fmt: skip
    if args.label is not None:
        checks.check_int("--label", args.label, 0, num_classes - 1)
        return jnp.full((args.num_images,), args.label, jnp.int32)
    if args.grid_by_label:
        if args.num_images % num_classes:
            raise UsageError(f"--grid-by-label: --num-images must be a multiple of "
                             f"{num_classes} (one row per class), got {args.num_images}")  # fmt: skip
        return jnp.repeat(jnp.arange(num_classes, dtype=jnp.int32), args.num_images // num_classes)
    return None


def run_sample(args: argparse.Namespace) -> None:
    checks.check_int("--num-images", args.num_images, 1, checks.MAX_IMAGES)
    checks.check_int("--seed", args.seed, 0, checks.MAX_SEED)
    checks.check_eta("--eta", args.eta)
    inputs = {"--checkpoint": args.checkpoint}
    checks.check_output_file("--out", args.out, ".png", force=args.force, inputs=inputs)
    if args.trajectory is not None:
        inputs["--out"] = args.out
        checks.check_output_file(
            "--trajectory", args.trajectory, ".png", force=args.force, inputs=inputs
        )
    with blame("--checkpoint"):
        ckpt = load_checkpoint(args.checkpoint)
        config = ckpt.train_config()
        if not 1 <= args.steps <= config.T:
            raise UsageError(f"--steps must lie in 1..T = 1..{config.T}, got {args.steps}")
        if args.no_ema and ckpt.weights_only:
            raise UsageError(f"--no-ema: {args.checkpoint} holds exported EMA weights only")
    labels = sample_labels(args, config.model.num_classes)
    with blame("--checkpoint"):
        model = build_unet(ckpt, Weights.RAW if args.no_ema else Weights.EMA)
    print(describe_model(model))
    sampler = Sampler(args.sampler)
    key, want_xs = jax.random.key(args.seed), args.trajectory is not None
    eps_model = model if args.no_clip else ClipX0(model, config)
    out = generate(eps_model, key, config.noise_schedule(), sampler, args.num_images, args.steps,
                   want_xs, eta=args.eta, labels=labels, guidance=args.guidance)  # fmt: skip
    x0, xs = out if want_xs else (out, None)
    if not np.isfinite(np.asarray(x0)).all():
        raise UsageError(f"--checkpoint {args.checkpoint}: its samples are not finite (NaN or "
                         "inf): the weights are diverged or damaged; nothing written")  # fmt: skip
    how = f"{sampler.value}" + (
        f" {args.steps} steps, η = {args.eta:g}" if sampler == Sampler.DDIM else ""
    )
    how += ", raw ε̂" if args.no_clip else ", x̂_0 clipped"
    if labels is not None:
        what = f"digit {args.label}" if args.label is not None else "rows = digits 0..9"
        how += f", {what}, guidance w = {args.guidance:g}"
    ncols = args.num_images // 10 if args.grid_by_label else None
    print(f"wrote {save_grid(args.out, x0, ncols)} ({args.num_images} images, {how}, "
          f"step {ckpt.step} {'raw' if args.no_ema else 'EMA'} weights)")  # fmt: skip
    if args.trajectory:
        print(f"wrote {save_trajectory(args.trajectory, xs)}")
