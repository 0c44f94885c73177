"""Every docstring example in the package runs and prints what it says (doctest)."""

import doctest
import importlib
import pkgutil

import pytest

import diffusion_lite

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(diffusion_lite.__path__, "diffusion_lite.")
    if m.name != "diffusion_lite.__main__"  # importing it runs the command line
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_examples_exist():
    """The doctests that the package promises (a vanished one should be noticed)."""
    counts = {
        name: doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).attempted
        for name in ("diffusion_lite.core.schedules", "diffusion_lite.core.forward")
    }
    assert all(count > 0 for count in counts.values()), counts
