"""The front page that ``make series`` writes (scripts/build_series.py), on a made-up notebook."""

import base64
import importlib.util
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_series.py"
_spec = importlib.util.spec_from_file_location("build_series", SCRIPT)
build_series = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_series)

PNG = base64.b64encode(bytes.fromhex("89504e470d0a1a0a")).decode()  # a PNG signature is enough


def notebook(tag_second: bool):
    figure = new_output("display_data", data={"image/png": PNG})
    cells = [
        new_markdown_cell("# 07 · A 1-D <diffusion> model\n\nMore text."),
        new_code_cell("plot()", outputs=[figure]),
        new_code_cell("plot()", outputs=[figure]),
    ]
    if tag_second:
        cells[2].metadata["tags"] = ["key-figure"]
    return new_notebook(cells=cells)


def test_title_and_key_figure(tmp_path):
    for tagged, want in ((False, "07_x_cell01.png"), (True, "07_x_cell02.png")):
        nb = nbformat.from_dict(notebook(tagged))
        figures = build_series.write_figures(nb, "07_x", tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["07_x_cell01.png", "07_x_cell02.png"]
        assert build_series.key_figure(nb, figures) == want
        assert build_series.notebook_title(nb) == "07 · A 1-D <diffusion> model"
    assert build_series.key_figure(new_notebook(cells=[new_markdown_cell("x")]), {}) is None


def test_front_page_lists_every_notebook_with_thumbnail_runtime_and_link():
    entries = [
        {"stem": "00_roadmap", "title": "00 · Roadmap", "seconds": 3.2, "thumbnail": None},
        {"stem": "07_x", "title": "07 · A 1-D <diffusion> model", "seconds": 41.6,
         "thumbnail": "07_x_cell02.png"},
    ]  # fmt: skip
    page = build_series.front_page(entries)
    assert page.startswith("<!doctype html>") and "<title>diffusion_lite" in page
    assert page.index('href="html/00_roadmap.html"') < page.index('href="html/07_x.html"')
    assert '<img src="figures/07_x_cell02.png"' in page and "runs in 42 s" in page
    assert "A 1-D &lt;diffusion&gt; model" in page  # titles are escaped
