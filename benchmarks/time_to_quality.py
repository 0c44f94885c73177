"""Quality of the MNIST denoiser vs minutes of training: one run, scored at several points.

Trains one configuration with ``diffusion_lite.mnist.train.fit`` (the code the CLI runs), pausing
after each ``--eval-at`` step count to copy the checkpoint aside, then scores every copy
with the shipped classifier (``pretrained.evaluate_checkpoint``, by default with DDIM 50
steps and η = 1 as the shipped checkpoint's eval: share recognised with p >= 0.9, per-class counts, Fréchet distance in classifier features beside the real-vs-real
baseline).  Wall minutes count only training (start-up, compilation and the pauses' re-jits
included; scoring excluded), so run it on an otherwise idle machine.

    DIFFUSION_LITE_DATA=../shared/data .venv/bin/python benchmarks/time_to_quality.py \\
        --preset quick-cpu --eval-at 1000,2000,3000 --out runs/ttq
    # try a variation: any TrainConfig field, model fields as model.NAME (values in JSON)
    ... --set learning_rate=1e-3 --set model.channels=32 --set loss_weighting='"min-snr"'

Or score a run of the ``train`` command itself, whose ``--keep-every`` copies are the points
and whose log.csv gives each point's wall minutes (counted from ``--started``, the UTC time
the command was started; by default from the log's first row, which leaves out start-up and
the first compilation, about half a minute; a resumed run's minutes include its pauses):

    python -m diffusion_lite train mnist --preset quick-cpu --out runs/q --keep-every 1000
    .venv/bin/python benchmarks/time_to_quality.py --from-run runs/q --started 2026-11-26T07:19:11

A class-conditional run (``--preset quick-cpu-cond``) is scored per guidance scale instead
(``--guidance``, ``evaluate_cond.evaluate_guidance``): requested-label share, worst class,
Fréchet distance overall and per class, diversity, each beside real digits.

Writes ``OUT/results.json`` and prints one Markdown table row per scored checkpoint.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import time
from datetime import datetime
from pathlib import Path

from diffusion_lite.cpu_settings import apply_cpu_settings

apply_cpu_settings()  # before JAX starts, as `python -m diffusion_lite` does

import jax  # noqa: E402

from diffusion_lite.mnist.checkpoint import copy_checkpoint, load_checkpoint  # noqa: E402
from diffusion_lite.mnist.config import PRESETS, TrainConfig  # noqa: E402
from diffusion_lite.mnist.data import Split, load_mnist  # noqa: E402
from diffusion_lite.mnist.evaluate_cond import evaluate_guidance, row_dict  # noqa: E402
from diffusion_lite.mnist.generate import Sampler  # noqa: E402
from diffusion_lite.mnist.pretrained import evaluate_checkpoint  # noqa: E402
from diffusion_lite.mnist.train import CHECKPOINT_NAME, fit  # noqa: E402


def with_overrides(config: TrainConfig, assignments: list[str]) -> TrainConfig:
    """Apply ``name=json`` (or ``model.name=json``) assignments to a config."""
    d = config.to_dict()
    for item in assignments:
        name, _, value = item.partition("=")
        target, field = (d["model"], name[6:]) if name.startswith("model.") else (d, name)
        if field not in target:
            raise ValueError(f"--set {item}: no field {name!r} in TrainConfig")
        target[field] = json.loads(value)
    return TrainConfig.from_dict(d)


HARDWARE = f"{platform.machine()}, {os.cpu_count()} CPU cores, jax {jax.__version__}"


def results_of_cli_run(run_dir: Path, started: str | None) -> dict:
    """Points of a ``train --keep-every`` run: its kept steps, wall minutes from its log.csv."""
    rows = [line.split(",") for line in (run_dir / "log.csv").read_text().splitlines()[1:]]
    utc = {int(r[0]): datetime.fromisoformat(r[3]) for r in rows if len(r) == 4}
    if not utc:
        raise ValueError(f"{run_dir / 'log.csv'} has no UTC column (written before it existed)")
    start = datetime.fromisoformat(started) if started else min(utc.values())
    points = []
    for path in sorted(run_dir.glob("step_*.msgpack")):
        step = int(path.stem.removeprefix("step_"))
        if step not in utc:
            raise ValueError(f"{path.name}: step {step} has no row in log.csv")
        points.append({"step": step, "wall_min": (utc[step] - start).total_seconds() / 60})
    if not points:
        raise ValueError(f"no step_NNNNNN.msgpack in {run_dir}: train with --keep-every N")
    config = load_checkpoint(run_dir / CHECKPOINT_NAME).config
    start_note = (
        f"from {started} UTC (the command's start)" if started
        else "from log.csv's first row (start-up and the first compilation left out)"
    )  # fmt: skip
    return {"config": config, "source": f"CLI run in {run_dir}, wall minutes {start_note}",
            "hardware": HARDWARE, "points": points}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="quick-cpu")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=JSON")
    parser.add_argument("--eval-at", help="comma list of step counts to score")
    parser.add_argument("--out", type=Path, help="new run directory")
    parser.add_argument("--from-run", type=Path, metavar="DIR",
                        help="score the step_NNNNNN.msgpack copies of a `train --keep-every` run")  # fmt: skip
    parser.add_argument("--started", help="with --from-run: UTC start of the command, ISO format")
    parser.add_argument("--num-samples", type=int, default=500)
    parser.add_argument("--steps", type=int, default=50, help="DDIM steps when scoring")
    parser.add_argument("--eta", type=float, default=1.0, help="DDIM's η when scoring")
    parser.add_argument("--only", type=lambda s: {int(x) for x in s.split(",")},
                        help="comma list: score only these of the saved steps")  # fmt: skip
    parser.add_argument("--skip-train", action="store_true", help="only score existing copies")
    parser.add_argument("--guidance", type=lambda s: tuple(float(w) for w in s.split(",")),
                        default=(0.0, 3.0), help="conditional runs: the w to score")  # fmt: skip
    args = parser.parse_args()

    if args.from_run is not None:
        if args.set or args.eval_at or args.out:
            parser.error("--from-run scores a finished run: drop --set, --eval-at and --out")
        args.out, args.skip_train = args.from_run, True
        results = results_of_cli_run(args.from_run, args.started)
        if (args.out / "results.json").exists():  # keep the scores of an earlier pass (--only)
            earlier = json.loads((args.out / "results.json").read_text())["points"]
            scored = {p["step"]: p for p in earlier}
            results["points"] = [scored.get(p["step"], {}) | p for p in results["points"]]
        (args.out / "results.json").write_text(json.dumps(results, indent=1))
    elif args.eval_at is None or args.out is None:
        parser.error("give --eval-at and --out (a new run), or --from-run")
    config = with_overrides(PRESETS[args.preset], args.set)
    config = dataclasses.replace(config, sample_every=0, checkpoint_every=0)
    if not args.skip_train:
        points = sorted({int(s) for s in args.eval_at.split(",")})
        if points[-1] > config.steps:
            raise ValueError(f"--eval-at {points[-1]} is beyond the run's {config.steps} steps")
    args.out.mkdir(parents=True, exist_ok=True)
    results_path = args.out / "results.json"
    results = json.loads(results_path.read_text()) if args.skip_train else {
        "config": config.to_dict(), "set": args.set, "preset": args.preset,
        "hardware": HARDWARE, "points": [],
    }  # fmt: skip
    if not args.skip_train:
        images, _ = load_mnist(Split.TRAIN)
        tic, cpu_tic = time.perf_counter(), time.process_time()
        for i, step in enumerate(points):
            fit(config, images, args.out, resume=i > 0, stop_after=step, progress=False)
            wall, cpu = time.perf_counter() - tic, time.process_time() - cpu_tic
            copy_checkpoint(args.out / CHECKPOINT_NAME, args.out / f"step_{step:06d}.msgpack")
            results["points"].append({"step": step, "wall_min": wall / 60, "cpu_min": cpu / 60})
            print(f"step {step}: {wall / 60:.1f} wall min, {cpu / 60:.1f} CPU min", flush=True)
            results_path.write_text(json.dumps(results, indent=1))
    if TrainConfig.from_dict(results["config"]).model.num_classes:
        return score_conditional(args, results, results_path)
    print("| step | wall min | recognised | within ×2 | Fréchet | baseline | counts |")
    results["scoring"] = (
        f"DDIM {args.steps} steps, η = {args.eta:g}, x̂_0 clipped, N = {args.num_samples}"
    )
    for point in results["points"]:
        if args.only is not None and point["step"] not in args.only:
            continue
        report, _ = evaluate_checkpoint(
            jax.random.key(0), args.out / f"step_{point['step']:06d}.msgpack",
            args.num_samples, Sampler.DDIM, args.steps, eta=args.eta,
        )  # fmt: skip
        point |= {"recognised": report.recognised, "covered": report.covered,
                  "frechet": report.frechet, "frechet_baseline": report.frechet_baseline,
                  "counts": [int(c) for c in report.counts]}  # fmt: skip
        print(f"| {point['step']} | {point['wall_min']:.1f} | {report.recognised:.1%} | "
              f"{'yes' if report.covered else 'no'} | {report.frechet:.1f} | "
              f"{report.frechet_baseline:.1f} | {point['counts']} |", flush=True)  # fmt: skip
        results_path.write_text(json.dumps(results, indent=1))


def score_conditional(args, results: dict, results_path: Path) -> None:
    """Score each kept checkpoint of a conditional run at every ``--guidance`` scale."""
    results["scoring"] = (f"DDIM {args.steps} steps, η = {args.eta:g}, x̂_0 clipped, "
                          f"N = {args.num_samples} ({args.num_samples // 10} per digit)")  # fmt: skip
    print(
        "| step | wall min | w | requested (p ≥ 0.9) | worst class | Fréchet | real | diversity |"
    )
    for point in results["points"]:
        if args.only is not None and point["step"] not in args.only:
            continue
        rows, real, _ = evaluate_guidance(
            jax.random.key(0), args.out / f"step_{point['step']:06d}.msgpack", args.guidance,
            args.num_samples, args.steps, eta=args.eta,
        )  # fmt: skip
        point |= {"real": row_dict(real), "guidance": [row_dict(r) for r in rows]}
        for r in rows:
            print(f"| {point['step']} | {point['wall_min']:.1f} | {r.w:g} | {r.requested:.1%} | "
                  f"{min(r.per_class):.1%} | {r.frechet:.1f} | {real.frechet:.1f} | "
                  f"{r.diversity:.2f} |", flush=True)  # fmt: skip
        results_path.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
