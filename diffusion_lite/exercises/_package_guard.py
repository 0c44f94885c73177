"""Refuse the package's own function where a student could pass it off as an exercise's answer."""

from __future__ import annotations

from collections.abc import Callable
from types import CodeType


def _names_in(code: CodeType) -> set[str]:
    """Every global or attribute name a code object uses, nested functions and lambdas included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_in(const)
    return names


def package_name_used(fn: Callable, package_fns: tuple[Callable, ...]) -> str | None:
    """The name of the package function that ``fn`` is, wraps or calls; None if it uses none.

    Catches ``fn is pkg_fn``, ``functools.partial`` and ``__wrapped__`` chains around it, and a
    function whose code calls it by name (its ``__code__.co_names``).
    """
    target, depth = fn, 0
    while target is not None and depth < 10:
        for pkg_fn in package_fns:
            if target is pkg_fn:
                return pkg_fn.__name__
        target = getattr(target, "func", None) or getattr(target, "__wrapped__", None)
        depth += 1
    code = getattr(fn, "__code__", None)
    if code is not None:
        used = _names_in(code)
        for pkg_fn in package_fns:
            if pkg_fn.__name__ in used:
                return pkg_fn.__name__
    return None


def refuse_package(fn: Callable, package_fns: tuple[Callable, ...]) -> bool:
    """Print the refusal and return True if ``fn`` is, wraps or calls one of ``package_fns``."""
    name = package_name_used(fn, package_fns)
    if name is not None:
        print(f"That is the package's own {name}; write it yourself.")
        return True
    return False
