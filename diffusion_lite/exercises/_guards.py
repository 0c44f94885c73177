"""Guards the checkers share: refuse the package's own function, read a prediction."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence


def _code_names(code) -> set[str]:
    """Every global or attribute name a code object (and the code nested in it) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _code_names(const)
    return names


def _cell_value(cell):
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return None


def is_package_function(fn: Callable, package_fn: Callable) -> bool:
    """True when ``fn`` is ``package_fn``, wraps it, or is a function that only forwards to it.

    Unwraps ``functools.partial`` and ``__wrapped__`` (``jax.jit``, ``functools.wraps``) and
    looks for the package function among the names and closure values the student's code uses.
    """
    seen: set[int] = set()
    while fn is not None and id(fn) not in seen:
        seen.add(id(fn))
        if fn is package_fn:
            return True
        if isinstance(fn, functools.partial):
            fn = fn.func
            continue
        code = getattr(fn, "__code__", None)
        if code is not None and package_fn.__name__ in _code_names(code):
            return True
        cells = getattr(fn, "__closure__", None) or ()
        if any(_cell_value(c) is package_fn for c in cells):
            return True
        fn = getattr(fn, "__wrapped__", None)
    return False


def refuse_package(fn: Callable, *package_fns: Callable) -> bool:
    """Print the refusal and return True when ``fn`` is one of ``package_fns`` in disguise."""
    for package_fn in package_fns:
        if is_package_function(fn, package_fn):
            print(f"That is the package's own {package_fn.__name__} (from "
                  f"{package_fn.__module__}); write it yourself.")  # fmt: skip
            return True
    return False


def read_prediction(prediction, allowed: Sequence[str]) -> str | None:
    """The prediction as one of ``allowed`` (case and spaces ignored), or None after a message."""
    choices = ", ".join(f'"{a}"' for a in allowed)
    if prediction is None:
        print(f"Make your prediction first: set prediction = one of {choices}, then run the cell.")
        return None
    answer = prediction.strip().lower() if isinstance(prediction, str) else None
    if answer not in allowed:
        print(f"prediction must be one of {choices}; got {prediction!r}.")
        return None
    return answer
