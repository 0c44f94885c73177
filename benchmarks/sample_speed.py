"""Seconds to sample 16 digits: DDIM with few steps vs the 1000-step ancestral sampler.

Each mode runs in its own subprocess (XLA_FLAGS must be set before JAX starts): "before"
with XLA's default flags, "after" with ``diffusion_lite.cpu_settings``.  Times are for a
compiled sampler (median of 3 calls for DDIM, 1 call for ancestral); compilation is shown
apart.  With ``--quality N`` the shipped denoiser's N samples per DDIM step count are scored
by ``diffusion_lite.mnist.evaluate`` (recognised fraction, Fréchet distance; needs MNIST).

    .venv/bin/python benchmarks/sample_speed.py
    .venv/bin/python benchmarks/sample_speed.py --modes after --quality 500 --steps 5,10,20,50
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def load_model(checkpoint: str | None, random: bool = False):
    """The EMA model of ``checkpoint`` (default: the shipped denoiser), else a random default U-Net."""
    from diffusion_lite.mnist.checkpoint import CheckpointError
    from diffusion_lite.mnist.config import TrainConfig
    from diffusion_lite.mnist.pretrained import DENOISER, load_denoiser
    from diffusion_lite.models.unet import init_unet

    reason = "--random"
    if not random:
        try:
            model, config = load_denoiser(checkpoint or DENOISER)
            return model, config, str(checkpoint or DENOISER)
        except (CheckpointError, FileNotFoundError, ValueError, KeyError) as err:
            if checkpoint:
                raise
            reason = err.__class__.__name__
    config = TrainConfig()
    return init_unet(config.model), config, f"random default U-Net ({reason})"


def child_speed(args) -> dict:
    if args.mode == "after":
        from diffusion_lite.cpu_settings import apply_cpu_settings

        apply_cpu_settings()
    import jax
    import numpy as np

    from diffusion_lite.mnist.generate import Sampler, generate
    from diffusion_lite.models.unet import count_params

    model, config, source = load_model(args.checkpoint, args.random)
    schedule = config.noise_schedule()
    key = jax.random.key(0)
    runs = [(f"DDIM {s} steps", Sampler.DDIM, s, 3) for s in map(int, args.steps.split(","))]
    if not args.no_ancestral:
        runs.append((f"ancestral {config.T} steps", Sampler.ANCESTRAL, config.T, 1))
    rows = []
    for name, sampler, steps, reps in runs:
        tic = time.perf_counter()
        jax.block_until_ready(generate(model, key, schedule, sampler, args.num_images, steps))
        first = time.perf_counter() - tic
        times = []
        for i in range(reps):
            tic = time.perf_counter()
            x = generate(model, jax.random.fold_in(key, i + 1), schedule, sampler, args.num_images,
                         steps)  # fmt: skip
            jax.block_until_ready(x)
            times.append(time.perf_counter() - tic)
        seconds = float(np.median(times))
        rows.append({"name": name, "seconds": seconds, "compile": first - seconds})
    return {"rows": rows, "source": source, "params": count_params(model)}


def quality(args) -> list[tuple[int, str]]:
    """Recognised fraction and Fréchet distance of the checkpoint's DDIM samples per step count."""
    import jax

    from diffusion_lite.mnist.generate import Sampler
    from diffusion_lite.mnist.pretrained import DENOISER, evaluate_checkpoint

    out = []
    for steps in map(int, args.steps.split(",")):
        report, seconds = evaluate_checkpoint(jax.random.key(0), args.checkpoint or DENOISER,
                                              args.quality, Sampler.DDIM, steps)  # fmt: skip
        out.append((steps, f"recognised {report.recognised:6.1%}  Fréchet {report.frechet:7.2f} "
                           f"(real-vs-real {report.frechet_baseline:.2f})  "
                           f"sampling {seconds:.1f} s"))  # fmt: skip
    return out


def run_child(args, mode: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--mode", mode,
           "--steps", args.steps, "--num-images", str(args.num_images)]  # fmt: skip
    cmd += ["--checkpoint", args.checkpoint] * bool(args.checkpoint)
    cmd += ["--no-ancestral"] * args.no_ancestral + ["--random"] * args.random
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        sys.exit(f"sampling ({mode}) failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", help="training checkpoint (default: the shipped denoiser)")
    parser.add_argument("--steps", default="10,20,50", help="DDIM step counts, comma-separated")
    parser.add_argument("--num-images", type=int, default=16)
    parser.add_argument("--random", action="store_true",
                        help="time a randomly initialised default UNetConfig() (speed only)")  # fmt: skip
    parser.add_argument("--no-ancestral", action="store_true", help="skip the T-step sampler")
    parser.add_argument("--modes", default="before,after", help="comma list of: before, after")
    parser.add_argument("--quality", type=int, default=0, metavar="N",
                        help="also score N DDIM samples per step count (0: skip)")  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["before", "after"], help=argparse.SUPPRESS)
    return parser


def main() -> None:
    args = build_parser().parse_args()
    if args.child:
        print(json.dumps(child_speed(args)))
        return
    results = {mode: run_child(args, mode) for mode in args.modes.split(",")}
    first = next(iter(results.values()))
    print(f"{first['params']:,}-parameter U-Net from {first['source']}; "
          f"{args.num_images} images; seconds of a compiled sampler (compile time apart)")  # fmt: skip
    for i, row in enumerate(first["rows"]):
        cells = "  ".join(f"{m}: {r['rows'][i]['seconds']:6.2f} s (+{r['rows'][i]['compile']:.1f} "
                          f"s compile)" for m, r in results.items())  # fmt: skip
        print(f"  {row['name']:22s} {cells}")
    if args.quality:
        print(f"quality vs DDIM steps ({args.quality} samples each, default flags in-process):")
        for steps, line in quality(args):
            print(f"  {steps:4d} steps: {line}")


if __name__ == "__main__":
    main()
