"""Every notebook is paired with a jupytext py:percent file, and the two agree cell by cell.

Edit the .py file, then run ``scripts/refresh_notebooks.py NN`` to regenerate and execute
the .ipynb.  This test fails when someone edited one side only.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
IPYNBS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_series_is_complete():
    numbers = [p.name[:2] for p in IPYNBS]
    assert numbers == [f"{i:02d}" for i in range(len(numbers))], numbers


@pytest.mark.parametrize("ipynb", IPYNBS, ids=lambda p: p.name)
def test_pair_in_sync(ipynb):
    py = ipynb.with_suffix(".py")
    assert py.exists(), f"{ipynb.name} has no paired {py.name} (jupytext py:percent)"
    stored = nbformat.read(ipynb, as_version=4)
    assert _cells(jupytext.read(py)) == _cells(stored), (
        f"{ipynb.name} and {py.name} differ: edit the .py, then "
        f"`python scripts/refresh_notebooks.py {ipynb.name[:2]}`"
    )


@pytest.mark.parametrize("ipynb", IPYNBS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(ipynb):
    """Every code cell was executed, and no output carries warnings, errors or object reprs."""
    nb = nbformat.read(ipynb, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        assert cell.execution_count is not None, f"cell {i} of {ipynb.name} was never executed"
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"cell {i} of {ipynb.name} stored an error"
            assert out.get("name") != "stderr", f"cell {i} of {ipynb.name} wrote to stderr"
            text = str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
            assert " at 0x" not in text, f"cell {i} of {ipynb.name} shows an object repr"


@pytest.mark.parametrize("ipynb", IPYNBS, ids=lambda p: p.name)
def test_ignored_outputs_are_timings_or_checked(ipynb):
    """The portability rule: a cell whose output nbval ignores either only times something,
    or is followed by a code cell that asserts the claim its output supports."""
    code = [c.source for c in nbformat.read(ipynb, as_version=4).cells if c.cell_type == "code"]
    for i, source in enumerate(code):
        if not source.lstrip().startswith("# NBVAL_IGNORE_OUTPUT"):
            continue
        # nbval honours the marker only as a whole comment line: no text after it
        assert source.lstrip().splitlines()[0].strip() == "# NBVAL_IGNORE_OUTPUT", (
            f"code cell {i} of {ipynb.name}: put nothing after '# NBVAL_IGNORE_OUTPUT' "
            "(nbval would not see the marker); explain on the next line"
        )
        timing = "perf_counter" in source
        checked = i + 1 < len(code) and "assert" in code[i + 1]
        assert timing or checked, (
            f"code cell {i} of {ipynb.name} ignores its output but the next cell asserts nothing"
        )
