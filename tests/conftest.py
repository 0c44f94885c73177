"""Test-wide settings.

Four simulated CPU devices for the multi-device tests, set in-process through
``jax.config`` (never through XLA_FLAGS, which would leak into the notebook kernels that
nbval starts).  It must run before JAX creates its CPU backend, i.e. at import time here.
"""

import os

import jax
import pytest

jax.config.update("jax_num_cpu_devices", 4)


@pytest.fixture
def x64():
    """Run the test body with 64-bit floats enabled (exact identities).

    ``jax.enable_x64`` is the newer name; jax 0.7 (Colab) has only the experimental one.
    """
    if hasattr(jax, "enable_x64"):
        context = jax.enable_x64(True)
    else:
        from jax.experimental import enable_x64

        context = enable_x64()
    with context:
        yield


@pytest.fixture(autouse=True)
def _xla_flags_do_not_leak():
    """Each test leaves ``XLA_FLAGS`` as it found it.

    ``apply_cpu_settings()`` (called by the CLI in-process, and by tests with a patched jaxlib
    version) writes ``os.environ``; without this, a flag meant for a newer jaxlib would reach
    the subprocesses of later tests in the same worker, and jaxlib 0.7.2 aborts on it.
    """
    before = os.environ.get("XLA_FLAGS")
    yield
    if before is None:
        os.environ.pop("XLA_FLAGS", None)
    else:
        os.environ["XLA_FLAGS"] = before
