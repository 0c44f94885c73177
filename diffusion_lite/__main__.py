"""``python -m diffusion_lite``: see ``diffusion_lite.cli`` (applies the CPU flags first)."""

from diffusion_lite.cli import console_main

raise SystemExit(console_main())
