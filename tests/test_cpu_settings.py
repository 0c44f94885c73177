"""The CPU flags of ``cpu_settings``: still accepted by this jaxlib, still active, same results.

Each case runs in a fresh subprocess (XLA_FLAGS is read once, when JAX starts): a small
conv + GroupNorm + SiLU net's loss and gradient with the default flags and with the
package's flags.  A jaxlib upgrade that drops a flag makes the flagged process abort
("Unknown flags in XLA_FLAGS"); one that ignores it leaves no YNNPACK fusion of the
element-wise/reduce kind; one that changes results breaks the 1e-5 agreement.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from diffusion_lite import cpu_settings

PROBE = r"""
import json, sys
from diffusion_lite.cpu_settings import apply_cpu_settings
added = apply_cpu_settings()
import jax, jax.numpy as jnp
from flax import nnx

class Net(nnx.Module):
    def __init__(self, rngs):
        self.conv1 = nnx.Conv(1, 16, (3, 3), rngs=rngs)
        self.norm = nnx.GroupNorm(16, num_groups=4, rngs=rngs)
        self.conv2 = nnx.Conv(16, 1, (3, 3), rngs=rngs)
    def __call__(self, x):
        return self.conv2(jax.nn.silu(self.norm(self.conv1(x))))

graphdef, params = nnx.split(Net(nnx.Rngs(0)))
x = jax.random.normal(jax.random.key(1), (8, 28, 28, 1))
loss = lambda p: jnp.mean((nnx.merge(graphdef, p)(x) - x) ** 2)
fn = jax.jit(jax.value_and_grad(loss))
hlo = fn.lower(params).compile().as_text()
value, grads = fn(params)
print(json.dumps({
    "added": added,
    "ynn_fusions": hlo.count('"kind":"__ynn_fusion"'),
    "loss": float(value),
    "grads": [g.ravel().tolist() for g in jax.tree.leaves(grads)],
}))
"""


def run_probe(setting: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    env[cpu_settings.ENV_VAR] = setting
    env["JAX_PLATFORMS"] = "cpu"
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, timeout=300, check=False)  # fmt: skip
    assert out.returncode == 0, f"probe with {cpu_settings.ENV_VAR}={setting} failed:\n{out.stderr}"
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def probes():
    return run_probe("0"), run_probe("1")


def test_flags_are_applied_and_accepted(probes):
    default, tuned = probes
    assert default["added"] == []
    assert tuned["added"] == list(cpu_settings.CPU_FLAGS)


def test_flags_still_change_the_compiled_program(probes):
    default, tuned = probes
    assert tuned["ynn_fusions"] > default["ynn_fusions"], (
        "the ynn element-wise/reduce fusion flag no longer adds YNNPACK fusions: "
        "re-measure benchmarks/train_throughput.py and update cpu_settings.CPU_FLAGS"
    )


def test_flags_do_not_change_results(probes):
    default, tuned = probes
    np.testing.assert_allclose(tuned["loss"], default["loss"], rtol=1e-5)
    for g_tuned, g_default in zip(tuned["grads"], default["grads"], strict=True):
        g_default = np.asarray(g_default)
        scale = np.abs(g_default).max() + 1e-12
        np.testing.assert_allclose(np.asarray(g_tuned) / scale, g_default / scale, atol=1e-5)


def test_user_flags_win_and_opt_out(monkeypatch):
    flag_name = cpu_settings.CPU_FLAGS[0].split("=")[0]
    monkeypatch.setenv("XLA_FLAGS", f"{flag_name}=LIBRARY_FUSION_TYPE_ELTWISE")
    monkeypatch.setenv(cpu_settings.ENV_VAR, "1")
    assert cpu_settings.apply_cpu_settings() == []
    assert os.environ["XLA_FLAGS"] == f"{flag_name}=LIBRARY_FUSION_TYPE_ELTWISE"
    monkeypatch.delenv("XLA_FLAGS")
    monkeypatch.setenv(cpu_settings.ENV_VAR, "0")
    assert cpu_settings.apply_cpu_settings() == []
    assert "XLA_FLAGS" not in os.environ


def test_too_late_warns_and_changes_nothing(monkeypatch):
    import jax

    jax.devices()  # this test process has started JAX (conftest), so it is too late
    monkeypatch.delenv("XLA_FLAGS", raising=False)
    monkeypatch.setenv(cpu_settings.ENV_VAR, "1")
    with pytest.warns(UserWarning, match="after JAX started"):
        assert cpu_settings.apply_cpu_settings() == []
    assert "XLA_FLAGS" not in os.environ


def test_the_console_script_applies_the_flags_before_jax_starts():
    """`diffusion-lite` (cli.console_main) imports the CLI without starting JAX, then sets the flags."""
    code = (
        "import os, sys\n"
        "from diffusion_lite.cli import console_main\n"
        "import jax._src.xla_bridge as xb\n"
        "assert not xb.backends_are_initialized(), 'importing the CLI started JAX'\n"
        "sys.argv = ['diffusion-lite', '--help']\n"
        "try:\n    console_main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ.get('XLA_FLAGS', ''))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", cpu_settings.ENV_VAR)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert cpu_settings.CPU_FLAGS[0] in out.stdout.strip().splitlines()[-1]
