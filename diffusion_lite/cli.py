"""Command line: ``python -m diffusion_lite train mnist|classifier``, ``sample``, ``export``, ``eval``.

Examples:
    python -m diffusion_lite train mnist --preset quick-cpu --out runs/mnist
    python -m diffusion_lite train mnist --out runs/mnist --resume
    python -m diffusion_lite sample --checkpoint runs/mnist/checkpoint.msgpack \\
        --sampler ddim --steps 50 --out grid.png
    python -m diffusion_lite export runs/mnist/checkpoint.msgpack denoiser.msgpack
    python -m diffusion_lite train classifier
    python -m diffusion_lite eval --checkpoint runs/mnist/checkpoint.msgpack
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import jax
from flax import nnx

from diffusion_lite import cli_checks as checks
from diffusion_lite.cli_checks import OVERRIDES, UsageError, blame
from diffusion_lite.cpu_settings import apply_cpu_settings
from diffusion_lite.mnist.checkpoint import export_ema, load_checkpoint
from diffusion_lite.mnist.config import PRESETS
from diffusion_lite.mnist.data import DATA_ENV_VAR, Split, load_mnist
from diffusion_lite.mnist.eval_cli import (
    add_classifier_arguments,
    add_eval_parser,
    run_eval,
    run_train_classifier,
)
from diffusion_lite.mnist.flops import describe_model
from diffusion_lite.mnist.sample_cli import add_sample_parser, run_sample
from diffusion_lite.mnist.train import CHECKPOINT_NAME, fit
from diffusion_lite.models.unet import UNet


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m diffusion_lite",
        description="Train a small DDPM on MNIST and sample from it.",
        epilog="Run `python -m diffusion_lite COMMAND --help` for the options of a command.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train the U-Net ε-model (writes checkpoint, sample grids, log.csv)",
        description="Train the U-Net ε-model with the simple loss (Ho et al. 2020, Algorithm 1).",
        epilog=f"Data: --data-dir, else ${DATA_ENV_VAR}, else downloaded to ~/.cache/diffusion_lite.",
    )
    train.add_argument("dataset", choices=["mnist", "classifier"],
                       help="mnist: the ε-model; classifier: the judge of `eval`")  # fmt: skip
    train.add_argument("--preset", choices=sorted(PRESETS),
                       help="configuration preset (default: quick-cpu)")  # fmt: skip
    train.add_argument("--out", type=Path, default=Path("runs/mnist"),
                       help="run directory (default: %(default)s)")  # fmt: skip
    train.add_argument("--resume", action="store_true",
                       help="continue the run in --out with its saved configuration")  # fmt: skip
    train.add_argument("--stop-after", type=int, metavar="STEP",
                       help="end this session after STEP steps in total (resume later)")  # fmt: skip
    train.add_argument("--data-dir", type=Path, help="directory with the four MNIST files")
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.add_argument("--force", action="store_true",
                       help="train classifier: replace an existing --out file")  # fmt: skip
    train.add_argument("--keep-every", type=int, default=0, metavar="N",
                       help="also keep the checkpoint every N steps as step_NNNNNN.msgpack "
                       "(points of a quality-vs-time curve; default: never)")  # fmt: skip
    export = commands.add_parser(
        "export",
        help="write a checkpoint's EMA weights alone (for sampling, eval, shipping)",
        description="Copy the EMA weights, step and configuration of a training checkpoint to a "
        "file a quarter of the size; sample and eval read it like the original.",
    )
    export.add_argument("checkpoint", type=Path, help="training checkpoint (.msgpack)")
    export.add_argument("out", type=Path, help="file to write (.msgpack)")
    export.add_argument("--force", action="store_true", help="replace an existing OUT file")
    export.add_argument("--half", action="store_true",
                        help="store the weights as float16 (half the size again)")  # fmt: skip

    group = train.add_argument_group("overrides of the preset")
    group.add_argument("--steps", type=int, help="total training steps")
    group.add_argument("--batch-size", type=int, help="images per step (all devices together)")
    group.add_argument("--lr", type=float, help="peak learning rate")
    group.add_argument("--seed", type=int, help="seed of the PRNG key")
    group.add_argument("--sample-every", type=int, metavar="N", help="sample grid every N steps")
    group.add_argument("--checkpoint-every", type=int, metavar="N", help="checkpoint every N steps")
    group.add_argument("--conditional", action="store_true",
                       help="add a class label to the U-Net (10 classes + ∅, dropped with "
                       "p = 0.1) for classifier-free guidance")  # fmt: skip

    add_sample_parser(commands)
    add_classifier_arguments(train)
    add_eval_parser(commands)
    return parser


def run_train(args: argparse.Namespace) -> None:
    if args.dataset == "classifier":
        return run_train_classifier(args)
    given = {
        f: getattr(args, flag) for flag, f in OVERRIDES.items() if getattr(args, flag) is not None
    }
    checks.check_int("--keep-every", args.keep_every, 0)
    checks.check_int("--stop-after", args.stop_after, 1)
    checks.check_int("--seed", args.seed, 0, checks.MAX_SEED)
    ckpt_path = checks.check_output_dir("--out", args.out) / CHECKPOINT_NAME
    if args.resume:
        if given or args.preset or args.conditional:
            flags = ["--preset"] * bool(args.preset) + ["--" + k.replace("_", "-") for k in given]
            flags += ["--conditional"] * args.conditional
            raise UsageError(
                f"--resume continues with the checkpoint's own configuration: drop {' '.join(flags)}"
            )
        with blame("--resume"):
            ckpt = load_checkpoint(ckpt_path)
            config = ckpt.train_config()
        if ckpt.step >= config.steps:
            print(f"nothing to do: {ckpt_path} is at step {ckpt.step} of {config.steps}")
            return None
        if args.stop_after is not None and args.stop_after <= ckpt.step:
            raise UsageError(f"--stop-after {args.stop_after}: {ckpt_path} is already at step "
                             f"{ckpt.step}; expected a step in {ckpt.step + 1}..{config.steps}")  # fmt: skip
    else:
        if ckpt_path.exists():
            raise UsageError(f"--out {args.out}: holds {ckpt_path.name}; add --resume to continue "
                             "it, or pick another --out")  # fmt: skip
        try:
            config = dataclasses.replace(PRESETS[args.preset or "quick-cpu"], **given)
        except ValueError as err:
            raise checks.config_error(err, given) from err
        if args.conditional and not config.model.num_classes:
            config = dataclasses.replace(
                config, model=dataclasses.replace(config.model, num_classes=10)
            )
    with blame("--data-dir" if args.data_dir else None):
        images, labels = load_mnist(Split.TRAIN, args.data_dir)
    model = nnx.eval_shape(lambda: UNet(config.model, rngs=nnx.Rngs(0)))
    print(describe_model(model))
    print(f"devices: {jax.device_count()} x {jax.devices()[0].platform}; batch {config.batch_size}, "
          f"{config.steps} steps; {images.shape[0]:,} images; run directory {args.out}")  # fmt: skip
    fit(config, images, args.out, resume=args.resume, stop_after=args.stop_after,
        progress=not args.no_progress, keep_every=args.keep_every,
        labels=labels if config.model.num_classes else None)  # fmt: skip
    print(f"checkpoint: {ckpt_path}")


def run_export(args: argparse.Namespace) -> None:
    inputs = {"the CHECKPOINT to export": args.checkpoint}
    checks.check_output_file("OUT", args.out, ".msgpack", force=args.force, inputs=inputs)
    with blame("CHECKPOINT"):
        load_checkpoint(args.checkpoint).train_config()
    path = export_ema(args.checkpoint, args.out, half=args.half)
    before, after = args.checkpoint.stat().st_size, path.stat().st_size
    print(f"wrote {path}: {'float16 ' * args.half}EMA weights of step {load_checkpoint(path).step}, "
          f"{after / 1e6:.1f} MB (training checkpoint {before / 1e6:.1f} MB)")  # fmt: skip


def console_main() -> int:
    """The ``diffusion-lite`` script and ``python -m diffusion_lite``: CPU flags, then ``main``.

    Importing this module does not start JAX's backends, so the XLA flags still apply.
    """
    apply_cpu_settings()  # DIFFUSION_LITE_CPU_SETTINGS=0: off
    return main()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad arguments or files, 130 interrupted)."""
    args = build_parser().parse_args(argv)
    try:
        commands = {
            "train": run_train,
            "sample": run_sample,
            "export": run_export,
            "eval": run_eval,
        }
        commands[args.command](args)
    except (OSError, ValueError) as err:  # ValueError: CheckpointError, DataFileError, UsageError
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: continue with --resume from the last checkpoint", file=sys.stderr)
        return 130
    return 0
