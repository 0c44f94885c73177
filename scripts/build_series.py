"""Execute the whole notebook series in order and render it for reading.

    .venv/bin/python scripts/build_series.py --out build     (what `make series` runs)

Writes, for every notebooks/NN_*.ipynb:
    build/html/NN_*.html          the executed notebook, rendered
    build/figures/NN_*_cellK.png  every figure, one PNG each
and build/index.html linking them, with each notebook's runtime.  The stored notebooks in
notebooks/ are not modified.
"""

from __future__ import annotations

import argparse
import base64
import html
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from diffusion_lite.cpu_settings import apply_cpu_settings

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def build(ipynb: Path, out: Path, timeout: int) -> float:
    nb = nbformat.read(ipynb, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    elapsed = time.perf_counter() - start
    body, _ = HTMLExporter().from_notebook_node(nb)
    (out / "html" / f"{ipynb.stem}.html").write_text(body, encoding="utf-8")
    for k, cell in enumerate(nb.cells):
        for j, output in enumerate(cell.get("outputs", [])):
            png = output.get("data", {}).get("image/png")
            if png:
                name = f"{ipynb.stem}_cell{k:02d}" + (f"_{j}" if j else "") + ".png"
                (out / "figures" / name).write_bytes(base64.b64decode(png))
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build"))
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    apply_cpu_settings()  # XLA_FLAGS for the kernels started below (they inherit it); silent
    (args.out / "html").mkdir(parents=True, exist_ok=True)
    (args.out / "figures").mkdir(parents=True, exist_ok=True)
    rows = []
    for ipynb in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        print(f"{ipynb.name}: executing ...", flush=True)
        seconds = build(ipynb, args.out, args.timeout)
        print(f"{ipynb.name}: {seconds:.1f} s", flush=True)
        rows.append(
            f'<li><a href="html/{ipynb.stem}.html">{html.escape(ipynb.stem)}</a>'
            f" ({seconds:.0f} s)</li>"
        )
    index = "<h1>diffusion_lite: the series</h1>\n<ol start=0>\n" + "\n".join(rows) + "\n</ol>\n"
    (args.out / "index.html").write_text(index, encoding="utf-8")
    print(f"open {args.out / 'index.html'}; figures in {args.out / 'figures'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
