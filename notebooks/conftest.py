"""nbval settings: start one notebook kernel at a time.

With ``pytest -n 2`` two workers can start kernels at the same moment.  jupyter_client picks
five free TCP ports for a kernel by binding and releasing them, and the kernel binds them
again a second later; a kernel started meanwhile can be given the same ports.  One of the
two then never answers, and nbval fails every cell of that notebook with "Kernel didn't
respond in 60 seconds" (seen once in CI, in notebook 09; a known race:
nbmake#129, Cirq#8090).  Here a file lock, held until the kernel has answered, makes the
starts take turns; running notebooks still overlap.  A start that fails all the same (a
port taken by another program) is tried once more, and a second failure is reported.
"""

import fcntl
import logging
import tempfile
from pathlib import Path

import nbval.kernel

LOCK = Path(tempfile.gettempdir()) / "diffusion_lite-kernel-start.lock"
_start_new_kernel = nbval.kernel.start_new_kernel


def start_new_kernel_in_turn(*args, **kwargs):
    """``nbval.kernel.start_new_kernel`` under an exclusive lock, with one retry."""
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        try:
            return _start_new_kernel(*args, **kwargs)
        except RuntimeError:
            logging.getLogger(__name__).warning("kernel did not start; trying once more")
            return _start_new_kernel(*args, **kwargs)


nbval.kernel.start_new_kernel = start_new_kernel_in_turn
