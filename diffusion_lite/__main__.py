"""``python -m diffusion_lite``: see ``diffusion_lite.cli``."""

from diffusion_lite.cpu_settings import apply_cpu_settings

apply_cpu_settings()  # XLA's CPU flags, before JAX starts (DIFFUSION_LITE_CPU_SETTINGS=0: off)

from diffusion_lite.cli import main  # noqa: E402

raise SystemExit(main())
