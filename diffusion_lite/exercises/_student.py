"""The one helper every checker shares: call the student's function, tolerate an unfilled stub."""

from __future__ import annotations

from collections.abc import Callable


def call_student(fn: Callable, what: str, *args):
    """Return ``(fn(*args), True)``, or print a hint and return ``(None, False)`` for a stub."""
    try:
        return fn(*args), True
    except NotImplementedError:
        print(
            f"Not implemented yet: {what}. Replace the `raise NotImplementedError` with your code."
        )
        return None, False
