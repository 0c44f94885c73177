"""XLA options that make the U-Net train faster on a CPU; set them before JAX starts.

XLA reads ``XLA_FLAGS`` once, when JAX first creates its backends (the first array, jit
or ``jax.devices()``), so ``apply_cpu_settings()`` must run before that: the CLI calls it
first thing; a notebook or script calls it right after its imports.

What is set, and why (measured in ``benchmarks/train_throughput.py`` on 2 AVX-512 cores):
  ``--xla_cpu_experimental_ynn_fusion_type=LIBRARY_FUSION_TYPE_ELTWISE,LIBRARY_FUSION_TYPE_REDUCE``
  hands element-wise and reduction fusions (GroupNorm, SiLU, the AdamW/EMA updates) to
  the YNNPACK library, which runs them on all cores with wide vectors; XLA's own loops
  keep about 1.3 of 2 cores busy.  Results agree with the default to ~1e-6.

Where it is safe: XLA aborts the process on a flag it does not know, so the flag is added
only for a jaxlib that accepts it *and* runs it.  Checked on x86-64 with one
``jax.jit`` of a conv, a reduction and SiLU per release: jaxlib <= 0.8.0 aborts
("Unknown flag in XLA_FLAGS"), 0.8.1 knows the flag but segfaults on a plain ``jnp.sum``
with both fusion types, 0.8.2 .. 0.12.0.1 run it.  Hence ``YNN_MIN_JAXLIB = (0, 8, 2)``,
read from the installed jaxlib's metadata (no import, no subprocess).

Only for the CPU backend: nothing is added when ``JAX_PLATFORMS`` names another platform
first, or when it is unset and an accelerator plugin (CUDA, ROCm, TPU) is installed.
Flags the user already put in ``XLA_FLAGS`` win.  Set ``DIFFUSION_LITE_CPU_SETTINGS=0``
to disable, or to a string of flags to use instead (those are applied as given).
"""

from __future__ import annotations

import os
import re
import warnings
from importlib import metadata

ENV_VAR = "DIFFUSION_LITE_CPU_SETTINGS"
CPU_FLAGS = (
    "--xla_cpu_experimental_ynn_fusion_type=LIBRARY_FUSION_TYPE_ELTWISE,LIBRARY_FUSION_TYPE_REDUCE",
)
YNN_MIN_JAXLIB = (0, 8, 2)  # first jaxlib that accepts CPU_FLAGS and runs them (see above)
ACCELERATOR_DISTRIBUTIONS = (  # PJRT plugins that make JAX default to another device
    "jax-cuda12-plugin",
    "jax-cuda13-plugin",
    "jax-rocm60-plugin",
    "jax-rocm7-plugin",
    "jax-metal",
    "libtpu",
)


def _installed_version(distribution: str) -> tuple[int, ...] | None:
    """The leading numeric release of an installed distribution ("0.8.2.dev1" -> (0, 8, 2))."""
    try:
        return release(metadata.version(distribution))
    except metadata.PackageNotFoundError:
        return None


def release(version: str) -> tuple[int, ...]:
    """The first three numbers of a version string: "0.8.2.dev20251001" -> (0, 8, 2)."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def _cpu_is_the_backend() -> bool:
    """True when JAX will compute on the CPU: JAX_PLATFORMS says cpu, or no accelerator."""
    platforms = os.environ.get("JAX_PLATFORMS", "").strip().lower()
    if platforms:
        return platforms.split(",")[0].strip() == "cpu"
    return all(_installed_version(d) is None for d in ACCELERATOR_DISTRIBUTIONS)


def supported_cpu_flags() -> tuple[str, ...]:
    """The package's CPU flags this installation accepts: CPU_FLAGS, or () (old jaxlib, GPU)."""
    jaxlib = _installed_version("jaxlib")
    if jaxlib is None or jaxlib < YNN_MIN_JAXLIB or not _cpu_is_the_backend():
        return ()
    return CPU_FLAGS


def _backends_started() -> bool:
    import jax._src.xla_bridge as xb  # private, but the only way to ask; absent -> assume not

    return bool(getattr(xb, "backends_are_initialized", lambda: False)())


def apply_cpu_settings() -> list[str]:
    """Append the CPU flags to ``XLA_FLAGS`` (before JAX starts); returns the flags added.

    Silent on success.  Adds nothing when ``DIFFUSION_LITE_CPU_SETTINGS=0``, where the
    installed jaxlib or backend does not take the flags (``supported_cpu_flags``), for
    flags whose name is already in ``XLA_FLAGS``, and (with a warning) when JAX's
    backends have already started.
    """
    choice = os.environ.get(ENV_VAR, "").strip()
    if choice.lower() in ("0", "off", "false", "none"):
        return []
    flags = choice.split() if choice and choice != "1" else list(supported_cpu_flags())
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
