"""The ``eval`` and ``train classifier`` commands of ``python -m diffusion_lite`` (see ``cli.py``).

python -m diffusion_lite train classifier                 # the judge, ≈ 99.2 % test accuracy
python -m diffusion_lite eval --checkpoint runs/mnist/checkpoint.msgpack --num-samples 1000
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
from pathlib import Path

import jax

from diffusion_lite import cli_checks as checks
from diffusion_lite.cli_checks import UsageError, blame
from diffusion_lite.mnist.checkpoint import load_checkpoint, write_atomically
from diffusion_lite.mnist.classifier_file import DEFAULT_CHECKPOINT as CLASSIFIER
from diffusion_lite.mnist.classifier_file import load_classifier
from diffusion_lite.mnist.classifier_train import train_and_save
from diffusion_lite.mnist.evaluate_cond import evaluate_guidance, format_table, row_dict
from diffusion_lite.mnist.generate import Sampler
from diffusion_lite.mnist.pretrained import DENOISER, evaluate_checkpoint


def add_eval_parser(commands) -> None:
    """Register ``eval`` on the sub-command parsers of ``cli.build_parser``."""
    ev = commands.add_parser(
        "eval",
        help="score a checkpoint's samples with the MNIST classifier",
        description="Sample N images and report: share recognised with p >= 0.9, per-class "
        "histogram (mode coverage), Fréchet distance in classifier features beside the "
        "real-vs-real baseline (N real training images vs the test set).",
    )
    ev.add_argument("--checkpoint", type=Path, default=DENOISER,
                    help="checkpoint .msgpack (default: the shipped denoiser)")  # fmt: skip
    ev.add_argument("--classifier", type=Path, default=CLASSIFIER,
                    help="classifier .msgpack (default: the shipped one)")  # fmt: skip
    ev.add_argument("--num-samples", type=int, default=1000, help="N (default: %(default)s)")
    ev.add_argument("--sampler", choices=[s.value for s in Sampler], default="ddim",
                    help="(default: %(default)s)")  # fmt: skip
    ev.add_argument("--steps", type=int, default=50, help="DDIM steps (default: %(default)s)")
    ev.add_argument("--eta", type=float, default=0.0,
                    help="DDIM's η: 0 deterministic, 1 fresh noise every step (default: %(default)s)")  # fmt: skip
    ev.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    ev.add_argument("--data-dir", type=Path, help="directory with the four MNIST files")
    ev.add_argument("--no-clip", action="store_true",
                    help="sample with the raw ε̂ instead of clipping x̂_0 to [-1, 1]")  # fmt: skip
    ev.add_argument("--guidance", type=parse_guidances, metavar="W[,W...]",
                    help="conditional checkpoints: the guidance scales to score "
                    f"(default: {','.join(map(str, GUIDANCES))})")  # fmt: skip
    ev.add_argument("--json", type=Path, metavar="FILE",
                    help="also write the numbers to FILE, or into the checkpoint's .json")  # fmt: skip


GUIDANCES = (0.0, 1.0, 2.0, 3.0, 5.0)


def parse_guidances(text: str) -> tuple[float, ...]:
    """ "0,1,3" → (0.0, 1.0, 3.0): finite w >= 0 (argparse reports the ValueError)."""
    ws = tuple(float(w) for w in text.split(","))
    if not all(math.isfinite(w) and w >= 0 for w in ws):
        raise argparse.ArgumentTypeError(f"every w must be a finite number >= 0, got {text}")
    return ws


def add_classifier_arguments(train: argparse.ArgumentParser) -> None:
    """Options of ``train classifier`` (ignored by ``train mnist``)."""
    group = train.add_argument_group("train classifier")
    group.add_argument("--epochs", type=int, default=5, help="classifier epochs (default: 5)")


def run_train_classifier(args: argparse.Namespace) -> None:
    out = args.out if args.out != Path("runs/mnist") else CLASSIFIER
    checks.check_int("--epochs", args.epochs, 1)
    checks.check_int("--seed", args.seed, 0, checks.MAX_SEED)
    checks.check_output_file("--out", out, ".msgpack", force=args.force)
    if out.with_suffix(".json").exists() and not (args.force or out.exists()):
        raise UsageError(
            f"--out {out}: {out.with_suffix('.json')} exists; add --force to replace it"
        )
    if out.exists() and not checks.is_checkpoint(out):
        raise UsageError(f"--out {out}: exists and is not a checkpoint; pick another name")
    command = "python -m diffusion_lite " + shlex.join(sys.argv[1:])
    with blame("--data-dir" if args.data_dir else None):
        train_and_save(
            out, command, epochs=args.epochs, seed=args.seed or 0, data_dir=args.data_dir
        )


def read_json_object(path: Path) -> dict:
    """The JSON object in ``path`` (``{}`` if absent); ``UsageError`` for anything else."""
    if not path.exists():
        return {}
    try:
        meta = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(f"--json {path}: not readable as JSON ({err}); expected a JSON object "
                         "file, or a new file name") from err  # fmt: skip
    if not isinstance(meta, dict):
        raise UsageError(f"--json {path}: holds a JSON {type(meta).__name__}; expected an object")
    return meta


def run_eval(args: argparse.Namespace) -> None:
    checks.check_int("--seed", args.seed, 0, checks.MAX_SEED)
    checks.check_int("--num-samples", args.num_samples, 2, 60_000)
    checks.check_eta("--eta", args.eta)
    meta = None
    if args.json is not None:
        checks.check_output_file("--json", args.json, ".json", force=True,
                                 inputs={"--checkpoint": args.checkpoint,
                                         "--classifier": args.classifier})  # fmt: skip
        meta = read_json_object(args.json)
    with blame("--checkpoint"):
        config = load_checkpoint(args.checkpoint).train_config()
    checks.check_int("--steps", args.steps, 1, config.T)
    if config.model.num_classes:
        return run_eval_guidance(args, meta)
    if args.guidance is not None:
        raise UsageError(f"--guidance: {args.checkpoint} is an unconditional checkpoint "
                         "(trained without labels); guidance needs a conditional one")  # fmt: skip
    with blame("--classifier"):
        load_classifier(args.classifier)  # fail before minutes of sampling
    with blame("--data-dir" if args.data_dir else None):
        report, seconds = evaluate_checkpoint(
            jax.random.key(args.seed),
            args.checkpoint,
            args.num_samples,
            Sampler(args.sampler),
            args.steps,
            args.classifier,
            args.data_dir,
            clip_x0=not args.no_clip,
            eta=args.eta,
        )
    sampler = f"{args.sampler} {args.steps} steps" if args.sampler == "ddim" else "ancestral"
    sampler += f", η = {args.eta:g}" if args.sampler == "ddim" else ""
    sampler += "" if args.no_clip else ", x̂_0 clipped to [-1, 1]"
    print(f"checkpoint: {args.checkpoint} ({sampler}, {seconds:.0f} s to sample)")
    print(report)
    if args.json is not None:
        numbers = {
            "command": "python -m diffusion_lite " + shlex.join(sys.argv[1:]),
            "num_samples": report.num_samples,
            "sampler": sampler,
            "recognised": round(report.recognised, 4),
            "counts": report.counts.tolist(),
            "covered": report.covered,
            "frechet": round(report.frechet, 3),
            "frechet_baseline": round(report.frechet_baseline, 3),
        }
        text = json.dumps(meta | {"eval": numbers}, indent=2) + "\n"
        print(f"wrote {write_atomically(args.json, text.encode())}")


def run_eval_guidance(args: argparse.Namespace, meta: dict | None) -> None:
    """``eval`` on a class-conditional checkpoint: the table of scores per guidance scale w."""
    if args.sampler != "ddim":
        raise UsageError("--sampler: conditional checkpoints are scored with ddim (--eta 1 for "
                         "ancestral-like noise)")  # fmt: skip
    if args.no_clip:
        raise UsageError("--no-clip: conditional checkpoints are scored with x̂_0 clipped")
    if args.num_samples % 10 or args.num_samples < 20:
        raise UsageError(f"--num-samples must be a multiple of 10 and >= 20 for a conditional "
                         f"checkpoint (N/10 per digit), got {args.num_samples}")  # fmt: skip
    guidances = GUIDANCES if args.guidance is None else args.guidance
    with blame("--classifier"):
        load_classifier(args.classifier)  # fail before minutes of sampling
    with blame("--data-dir" if args.data_dir else None):
        rows, real, seconds = evaluate_guidance(
            jax.random.key(args.seed), args.checkpoint, guidances, args.num_samples, args.steps,
            args.classifier, args.data_dir, eta=args.eta,
        )  # fmt: skip
    sampler = f"ddim {args.steps} steps, η = {args.eta:g}, x̂_0 clipped to [-1, 1]"
    print(f"checkpoint: {args.checkpoint} ({sampler}, {seconds:.0f} s to sample)")
    print(f"{args.num_samples} samples per w ({args.num_samples // 10} per digit); real = as "
          "many training images of the same digits")  # fmt: skip
    print(format_table(rows, real))
    if meta is not None:
        numbers = {
            "command": "python -m diffusion_lite " + shlex.join(sys.argv[1:]),
            "num_samples": args.num_samples,
            "sampler": sampler,
            "real": row_dict(real),
            "guidance": [row_dict(row) for row in rows],
        }
        text = json.dumps(meta | {"eval": numbers}, indent=2) + "\n"
        print(f"wrote {write_atomically(args.json, text.encode())}")
