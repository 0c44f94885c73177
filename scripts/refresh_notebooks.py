"""Regenerate notebooks/NN_*.ipynb from their paired jupytext .py files and execute them.

    .venv/bin/python scripts/refresh_notebooks.py                 # all notebooks
    .venv/bin/python scripts/refresh_notebooks.py 03 04           # by number prefix

The .py (py:percent) file is the source you edit; the .ipynb is generated, executed top to
bottom in a fresh kernel (cwd = notebooks/) and stored *with* outputs for nbval.  Run it
in the pinned environment (make test creates it) so stored outputs match CI.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from diffusion_lite.cpu_settings import apply_cpu_settings

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def refresh(py_path: Path, timeout: int) -> float:
    nb = jupytext.read(py_path)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    nb.metadata.pop("language_info", None)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    elapsed = time.perf_counter() - start
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, py_path.with_suffix(".ipynb"))
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook number prefixes, e.g. 03 04")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    apply_cpu_settings()  # XLA_FLAGS for the kernels started below (they inherit it); silent
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    if args.prefixes:
        paths = [p for p in paths if p.name[:2] in args.prefixes]
    if not paths:
        print("no notebook sources matched", file=sys.stderr)
        return 2
    for path in paths:
        print(f"{path.name}: executing ...", flush=True)
        print(f"{path.name}: {refresh(path, args.timeout):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
