"""Training speed of the U-Net on this machine: JAX before/after the CPU settings vs PyTorch.

One run measures, each in its own subprocess (XLA_FLAGS must be set before JAX starts, and
the two frameworks must not share a process's thread pools):
  * the f32 matmul peak (4096² matmuls in NumPy and in JAX; the larger is the peak);
  * JAX ``diffusion_lite.mnist.train.train_step`` with default XLA flags ("before") and with
    ``diffusion_lite.cpu_settings.apply_cpu_settings()`` ("after");
  * the same architecture and step in PyTorch (``benchmarks/torch_unet.py``; parameter
    counts asserted equal), with ``torch.set_num_threads(<cores>)``.
Each training job warms up (compilation / allocator), then times every step separately
and reports the median.  GFLOP/s uses XLA's cost analysis of the JAX train step for both
frameworks (same network, same work); MFU = GFLOP/s / peak.

    .venv/bin/python benchmarks/train_throughput.py                 # default model, batch 128
    .venv/bin/python benchmarks/train_throughput.py --model full    # the ~6M-parameter preset
    .venv/bin/python benchmarks/train_throughput.py --modes after --no-torch
    .venv/bin/python benchmarks/train_throughput.py --sampling    # + benchmarks/sample_speed.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

MODES = {
    "before": "default XLA flags",
    "after": "diffusion_lite.cpu_settings",
}


def unet_config(name: str):
    from diffusion_lite.mnist.config import PRESETS
    from diffusion_lite.models.unet import UNetConfig

    return {"default": UNetConfig(), "quick": PRESETS["quick-cpu"].model,
            "full": PRESETS["full-gpu"].model}[name]  # fmt: skip


def child_peak(n: int = 4096, reps: int = 5) -> dict:
    """Median GFLOP/s of an n×n f32 matmul in NumPy and in JAX."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
    out = {}
    for name, fn, args in (
        ("numpy", np.matmul, (a, b)),
        ("jax", jax.jit(jnp.matmul), (jnp.asarray(a), jnp.asarray(b))),
    ):
        jax.block_until_ready(fn(*args))
        times = []
        for _ in range(reps):
            tic = time.perf_counter()
            jax.block_until_ready(fn(*args))
            times.append(time.perf_counter() - tic)
        out[name] = 2 * n**3 / float(np.median(times)) / 1e9
    return out


def child_jax(args) -> dict:
    """Median seconds per ``train_step`` of the package at batch ``args.batch``."""
    if args.mode == "after":
        from diffusion_lite.cpu_settings import apply_cpu_settings

        apply_cpu_settings()
    import jax
    import numpy as np
    from flax import nnx

    from diffusion_lite.mnist.config import TrainConfig
    from diffusion_lite.mnist.train import make_optimizer, train_step
    from diffusion_lite.models.unet import count_params, init_unet

    config = TrainConfig(model=unet_config(args.model), batch_size=args.batch)
    model = init_unet(config.model)
    ema = nnx.clone(model)
    optimizer = nnx.Optimizer(model, make_optimizer(config), wrt=nnx.Param)
    schedule = config.noise_schedule()
    key = jax.random.key(0)
    x0 = jax.random.uniform(jax.random.key(1), (args.batch, 28, 28, 1), minval=-1.0)
    step_args = (x0, key, schedule, config.ema_decay, config.loss_weights())
    cost = train_step.lower(model, optimizer, ema, *step_args).cost_analysis()
    flops = float((cost[0] if isinstance(cost, list | tuple) else cost)["flops"])
    times = []
    for i in range(args.warmup + args.steps):
        tic = time.perf_counter()
        jax.block_until_ready(train_step(model, optimizer, ema, x0, jax.random.fold_in(key, i),
                                         *step_args[2:]))  # fmt: skip
        times.append(time.perf_counter() - tic)
    return {
        "params": count_params(model),
        "flops_per_step": flops,
        "seconds": float(np.median(times[args.warmup :])),
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
        "jax": jax.__version__,
    }


def child_torch(args) -> dict:
    """Median seconds per step of the PyTorch twin, with as many threads as cores."""
    import numpy as np
    import torch

    from benchmarks.torch_unet import TorchTrainer, count_params
    from diffusion_lite.mnist.config import TrainConfig

    torch.set_num_threads(os.cpu_count())
    config = TrainConfig(model=unet_config(args.model), batch_size=args.batch)
    trainer = TorchTrainer(config.model, np.asarray(config.noise_schedule().alpha_bars),
                           lr=config.learning_rate, weight_decay=config.weight_decay,
                           grad_clip=config.grad_clip, ema_decay=config.ema_decay,
                           channels_last=args.channels_last)  # fmt: skip
    x0 = torch.rand(args.batch, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    times = []
    for _ in range(args.warmup + args.steps):
        tic = time.perf_counter()
        trainer.step(x0)  # .item() inside waits for the step to finish
        times.append(time.perf_counter() - tic)
    return {
        "params": count_params(trainer.model),
        "seconds": float(np.median(times[args.warmup :])),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }


def run_child(kind: str, args, mode: str | None = None) -> dict:
    """Run this script as ``--child kind`` in a fresh process; returns its JSON result."""
    env = dict(os.environ)
    env.pop("XLA_FLAGS", None)  # "before" = XLA's defaults; "after" = only the package's flags
    env["DIFFUSION_LITE_CPU_SETTINGS"] = env.get("DIFFUSION_LITE_CPU_SETTINGS", "1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    cmd = [sys.executable, os.path.abspath(__file__), "--child", kind, "--model", args.model,
           "--batch", str(args.batch), "--steps", str(args.steps), "--warmup", str(args.warmup),
           "--mode", mode or "before"] + ["--channels-last"] * args.channels_last  # fmt: skip
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        sys.exit(f"{kind} {mode or ''} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=["default", "quick", "full"], default="default",
                        help="UNetConfig() (~1M params), the quick-cpu or full-gpu (~6M) preset's")  # fmt: skip
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=20, help="timed steps (median reported)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--modes", default="before,after", help="comma list of: before, after")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument("--channels-last", action="store_true", help="PyTorch in NHWC")
    parser.add_argument("--sampling", action="store_true",
                        help="also run benchmarks/sample_speed.py for the same modes")  # fmt: skip
    parser.add_argument("--child", choices=["peak", "jax", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=list(MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = {"peak": lambda: child_peak(), "jax": lambda: child_jax(args),
                  "torch": lambda: child_torch(args)}[args.child]()  # fmt: skip
        print(json.dumps(result))
        return

    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"{os.cpu_count()} cores, load average {load}; model '{args.model}', batch "
          f"{args.batch}, median of {args.steps} steps after {args.warmup} warm-up")  # fmt: skip
    peak = run_child("peak", args)
    peak_gflops = max(peak.values())
    print(f"f32 matmul peak (4096²): numpy {peak['numpy']:.0f}, jax {peak['jax']:.0f} GFLOP/s "
          f"-> peak {peak_gflops:.0f} GFLOP/s")  # fmt: skip
    rows, flops = [], None
    for mode in args.modes.split(","):
        r = run_child("jax", args, mode)
        flops, params = r["flops_per_step"], r["params"]
        rows.append((f"JAX {r['jax']} {mode} ({MODES[mode]})", r["seconds"]))
        print(f"  [{mode}] XLA_FLAGS={r['xla_flags']!r}", flush=True)
    if not args.no_torch:
        r = run_child("torch", args)
        if flops is not None and r["params"] != params:
            sys.exit(f"parameter counts differ: JAX {params:,} vs PyTorch {r['params']:,}")
        layout = "NHWC" if args.channels_last else "NCHW"
        rows.append((f"PyTorch {r['torch']} ({r['threads']} threads, {layout})", r["seconds"]))
    if flops is None:
        return
    print(f"{params:,} parameters; train step {flops / args.batch / 1e9:.3f} GFLOP/image "
          f"(XLA cost analysis, used for both frameworks)\n")  # fmt: skip
    print(f"{'':48s} {'img/s':>7s} {'ms/step':>8s} {'GFLOP/s':>8s} {'MFU':>6s}")
    for name, sec in rows:
        gflops = flops / sec / 1e9
        print(f"{name:48s} {args.batch / sec:7.1f} {1e3 * sec:8.1f} {gflops:8.1f} "
              f"{gflops / peak_gflops:6.1%}")  # fmt: skip
    if not args.no_torch:
        torch_sec = rows[-1][1]
        for name, sec in rows[:-1]:
            print(f"JAX/PyTorch ratio, {name.split()[2]}: {torch_sec / sec:.2f}")
    if args.sampling:
        print(flush=True)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample_speed.py")
        subprocess.run([sys.executable, script, "--modes", args.modes], check=True)


if __name__ == "__main__":
    main()
