"""Refuse the package's own function (or a thin wrapper of it) handed in as an exercise answer."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable


def _unwrap(fn):
    """Strip functools.partial layers and follow ``__wrapped__`` (functools.wraps, jax.jit)."""
    seen = set()
    while id(fn) not in seen:
        seen.add(id(fn))
        if isinstance(fn, functools.partial):
            fn = fn.func
        elif getattr(fn, "__wrapped__", None) is not None:
            fn = fn.__wrapped__
        else:
            break
    return fn


def _names_used(code: types.CodeType) -> set[str]:
    """Global and attribute names a code object (and the functions nested in it) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def refuse_package(fn: Callable, *package_fns: Callable) -> bool:
    """Print a refusal and return True when ``fn`` is, wraps or calls one of ``package_fns``.

    Catches ``fn is pkg_fn``, a functools.partial or ``__wrapped__`` of it, any function from
    the diffusion_lite package outside ``exercises``, and a student function whose code only
    forwards to a package function (its name appears among the names the code uses).
    """
    inner = _unwrap(fn)
    module = getattr(inner, "__module__", "") or ""
    if module.startswith("diffusion_lite") and not module.startswith("diffusion_lite.exercises"):
        name = getattr(inner, "__name__", repr(inner))
        print(f"That is the package's own {name}; write it yourself.")
        return True
    code = getattr(inner, "__code__", None)
    used = _names_used(code) if code is not None else set()
    for pkg_fn in package_fns:
        if inner is pkg_fn or pkg_fn.__name__ in used:
            print(f"That is the package's own {pkg_fn.__name__}; write it yourself.")
            return True
    return False
