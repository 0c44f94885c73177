"""XLA options that make the U-Net train faster on a CPU; set them before JAX starts.

XLA reads ``XLA_FLAGS`` once, when JAX first creates its backends (the first array, jit
or ``jax.devices()``), so ``apply_cpu_settings()`` must run before that: the CLI calls it
first thing; a notebook or script calls it right after its imports.

What is set, and why (measured in ``benchmarks/train_throughput.py`` on 2 AVX-512 cores):
  ``--xla_cpu_experimental_ynn_fusion_type=LIBRARY_FUSION_TYPE_ELTWISE,LIBRARY_FUSION_TYPE_REDUCE``
  hands element-wise and reduction fusions (GroupNorm, SiLU, the AdamW/EMA updates) to
  the YNNPACK library, which runs them on all cores with wide vectors; XLA's own loops
  keep about 1.3 of 2 cores busy.  Results agree with the default to ~1e-6.

Only ``--xla_cpu_*`` options are set: they configure XLA's CPU compiler and nothing else,
so GPU and TPU programs are untouched.  Flags the user already put in ``XLA_FLAGS`` win.
Set ``DIFFUSION_LITE_CPU_SETTINGS=0`` to disable, or to a string of flags to use instead.
"""

from __future__ import annotations

import os
import warnings

ENV_VAR = "DIFFUSION_LITE_CPU_SETTINGS"
CPU_FLAGS = (
    "--xla_cpu_experimental_ynn_fusion_type=LIBRARY_FUSION_TYPE_ELTWISE,LIBRARY_FUSION_TYPE_REDUCE",
)


def _backends_started() -> bool:
    import jax._src.xla_bridge as xb  # private, but the only way to ask; absent -> assume not

    return bool(getattr(xb, "backends_are_initialized", lambda: False)())


def apply_cpu_settings() -> list[str]:
    """Append the CPU flags to ``XLA_FLAGS`` (before JAX starts); returns the flags added.

    Does nothing when ``DIFFUSION_LITE_CPU_SETTINGS=0``, for flags whose name is already in
    ``XLA_FLAGS``, and (with a warning) when JAX's backends have already started.
    """
    choice = os.environ.get(ENV_VAR, "").strip()
    if choice.lower() in ("0", "off", "false", "none"):
        return []
    flags = choice.split() if choice and choice != "1" else list(CPU_FLAGS)
    current = os.environ.get("XLA_FLAGS", "")
    new = [f for f in flags if f.split("=")[0] not in current]
    if not new:
        return []
    if _backends_started():
        warnings.warn(
            "apply_cpu_settings() was called after JAX started; call it before the first "
            "JAX computation for the CPU flags to take effect",
            stacklevel=2,
        )
        return []
    os.environ["XLA_FLAGS"] = " ".join([current, *new]).strip()
    return new
