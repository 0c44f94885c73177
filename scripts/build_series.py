"""Execute the whole notebook series in order and render it for reading.

    .venv/bin/python scripts/build_series.py --out build     (what `make series` runs)

Writes, for every notebooks/NN_*.ipynb:
    build/html/NN_*.html          the executed notebook, rendered
    build/figures/NN_*_cellK.png  every figure, one PNG each
and build/index.html, the front page: for each notebook its title (its one-line purpose),
a thumbnail of its key figure (the cell tagged ``key-figure``, else its first figure), its
runtime and a link.  The stored notebooks in notebooks/ are not modified.
"""

from __future__ import annotations

import argparse
import base64
import html
import sys
import time
from pathlib import Path

from diffusion_lite.cpu_settings import apply_cpu_settings

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def build(ipynb: Path, out: Path, timeout: int) -> dict:
    """Execute one notebook; write its HTML and figures; return its front-page entry."""
    import nbformat  # here, so that the page helpers below import with nbformat alone
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(ipynb, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    elapsed = time.perf_counter() - start
    body, _ = HTMLExporter().from_notebook_node(nb)
    (out / "html" / f"{ipynb.stem}.html").write_text(body, encoding="utf-8")
    figures = write_figures(nb, ipynb.stem, out / "figures")
    return {"stem": ipynb.stem, "title": notebook_title(nb), "seconds": elapsed,
            "thumbnail": key_figure(nb, figures)}  # fmt: skip


def write_figures(nb, stem: str, folder: Path) -> dict[int, str]:
    """Every PNG output as folder/STEM_cellKK[_J].png; returns {cell index: first file name}."""
    first = {}
    for k, cell in enumerate(nb.cells):
        for j, output in enumerate(cell.get("outputs", [])):
            png = output.get("data", {}).get("image/png")
            if png:
                name = f"{stem}_cell{k:02d}" + (f"_{j}" if j else "") + ".png"
                (folder / name).write_bytes(base64.b64decode(png))
                first.setdefault(k, name)
    return first


def notebook_title(nb) -> str:
    """The first Markdown H1 ("# 01 · Why GANs struggle: ...") without its '# '."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "(untitled)"


def key_figure(nb, figures: dict[int, str]) -> str | None:
    """The figure of the cell tagged ``key-figure``, else the notebook's first figure."""
    tagged = [k for k, c in enumerate(nb.cells) if "key-figure" in c.metadata.get("tags", [])]
    for k in tagged + sorted(figures):
        if k in figures:
            return figures[k]
    return None


def front_page(entries: list[dict]) -> str:
    """build/index.html: a title, what the series is, and one card per notebook."""
    cards = []
    for e in entries:
        thumb = (f'<img src="figures/{html.escape(e["thumbnail"])}" alt="key figure of '
                 f'{html.escape(e["stem"])}">' if e["thumbnail"] else '<div class="noimg"></div>')  # fmt: skip
        cards.append(
            f'<a class="card" href="html/{html.escape(e["stem"])}.html">{thumb}'
            f"<h2>{html.escape(e['title'])}</h2>"
            f'<p class="time">runs in {e["seconds"]:.0f} s on this machine</p></a>'
        )
    return FRONT_PAGE.format(cards="\n".join(cards))


FRONT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>diffusion_lite: diffusion models from first principles</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }}
h1 {{ margin-bottom: 0.2rem; }}
.lead {{ font-size: 1.1rem; max-width: 48rem; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
        gap: 1.2rem; margin-top: 1.5rem; }}
.card {{ display: block; border: 1px solid #ddd; border-radius: 8px; padding: 0.8rem;
        text-decoration: none; color: inherit; background: #fff; }}
.card:hover {{ border-color: #4a7bd0; box-shadow: 0 2px 8px rgba(0,0,0,0.08); }}
.card img, .noimg {{ width: 100%; height: 11rem; object-fit: contain; background: #fafafa; }}
.card h2 {{ font-size: 1.05rem; margin: 0.6rem 0 0.2rem; }}
.time {{ color: #666; font-size: 0.9rem; margin: 0; }}
</style></head>
<body>
<h1>diffusion_lite</h1>
<p class="lead">Diffusion models from first principles: from why GANs collapse, through the
forward Markov chain, the diffusion kernel, the Bayesian posterior and the ELBO, to a
trained 1-D model and a denoiser of real MNIST digits. Every derivation appears twice, as
math and as a numerical check; the code is the small JAX package <code>diffusion_lite</code>.
Read the notebooks in order.</p>
<div class="grid">
{cards}
</div>
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build"))
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    apply_cpu_settings()  # XLA_FLAGS for the kernels started below (they inherit it); silent
    (args.out / "html").mkdir(parents=True, exist_ok=True)
    (args.out / "figures").mkdir(parents=True, exist_ok=True)
    entries = []
    for ipynb in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        print(f"{ipynb.name}: executing ...", flush=True)
        entries.append(build(ipynb, args.out, args.timeout))
        print(f"{ipynb.name}: {entries[-1]['seconds']:.1f} s", flush=True)
    (args.out / "index.html").write_text(front_page(entries), encoding="utf-8")
    print(f"open {args.out / 'index.html'}; figures in {args.out / 'figures'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
