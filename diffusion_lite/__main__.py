"""``python -m diffusion_lite``: see ``diffusion_lite.cli``."""

from diffusion_lite.cli import main

raise SystemExit(main())
