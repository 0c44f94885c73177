"""Test-wide settings.

Four simulated CPU devices for the multi-device tests, set in-process through
``jax.config`` (never through XLA_FLAGS, which would leak into the notebook kernels that
nbval starts).  It must run before JAX creates its CPU backend, i.e. at import time here.
"""

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
