"""notebooks/conftest.py: nbval's kernels start one at a time, and a failed start is retried once."""

import importlib.util
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("nbval")
CONFTEST = Path(__file__).resolve().parent.parent / "notebooks" / "conftest.py"


@pytest.fixture
def turn(tmp_path, monkeypatch):
    """The conftest module, loaded apart (nbval.kernel restored after), with its lock in tmp."""
    import nbval.kernel  # noqa: PLC0415

    monkeypatch.setattr(nbval.kernel, "start_new_kernel", nbval.kernel.start_new_kernel)
    spec = importlib.util.spec_from_file_location("notebooks_conftest", CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert nbval.kernel.start_new_kernel is module.start_new_kernel_in_turn
    monkeypatch.setattr(module, "LOCK", tmp_path / "kernel-start.lock")
    return module


def test_two_starts_take_turns(turn, monkeypatch):
    inside, most = [0], [0]
    guard = threading.Lock()

    def slow_start(*args, **kwargs):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.2)  # a kernel binding its ports and answering
        with guard:
            inside[0] -= 1
        return "km", "kc"

    monkeypatch.setattr(turn, "_start_new_kernel", slow_start)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(turn.start_new_kernel_in_turn()))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [("km", "kc")] * 3 and most[0] == 1  # never two starts at once


def test_a_failed_start_is_tried_once_more_then_reported(turn, monkeypatch):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")
        return "km", "kc"

    monkeypatch.setattr(turn, "_start_new_kernel", flaky)
    assert turn.start_new_kernel_in_turn(kernel_name="k") == ("km", "kc")
    assert calls == [{"kernel_name": "k"}] * 2

    def dead(*args, **kwargs):
        calls.append(kwargs)
        raise RuntimeError("Kernel died before replying to kernel_info")

    calls.clear()
    monkeypatch.setattr(turn, "_start_new_kernel", dead)
    with pytest.raises(RuntimeError, match="Kernel died"):
        turn.start_new_kernel_in_turn(kernel_name="k")
    assert len(calls) == 2  # one retry, not more
