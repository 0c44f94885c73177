"""The CPU flags of ``cpu_settings``: added only where this jaxlib takes them; then active, same results.

Each case runs in a fresh subprocess (XLA_FLAGS is read once, when JAX starts): a small
conv + GroupNorm + SiLU net's loss and gradient with the default flags and with the
package's flags.  On a jaxlib >= ``YNN_MIN_JAXLIB`` the flags must be added, accepted
(an unknown flag aborts the process), change the compiled program (YNNPACK fusions) and
keep results to 1e-5; on an older jaxlib (Colab's 0.7.2) nothing may be added and the
process must run.  The version gate itself is tested on both sides by patching the
version, so one environment checks both branches.
"""

import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from diffusion_lite import cpu_settings

# What this environment must do: the flags on a jaxlib that takes them, nothing before.
EXPECTED = (
    list(cpu_settings.CPU_FLAGS)
    if cpu_settings._installed_version("jaxlib") >= cpu_settings.YNN_MIN_JAXLIB
    else []
)

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


@pytest.mark.e2e
def test_flags_are_applied_where_this_jaxlib_takes_them(probes):
    default, tuned = probes
    assert default["added"] == []
    assert tuned["added"] == EXPECTED


@pytest.mark.e2e
def test_flags_still_change_the_compiled_program(probes):
    default, tuned = probes
    if not EXPECTED:  # old jaxlib: nothing added, so the very same program
        assert tuned["ynn_fusions"] == default["ynn_fusions"]
        assert tuned["loss"] == default["loss"]
        return
    assert tuned["ynn_fusions"] > default["ynn_fusions"], (
        "the ynn element-wise/reduce fusion flag no longer adds YNNPACK fusions: "
        "re-measure benchmarks/train_throughput.py and update cpu_settings.CPU_FLAGS"
    )


@pytest.mark.e2e
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
    monkeypatch.setattr(cpu_settings, "supported_cpu_flags", lambda: cpu_settings.CPU_FLAGS)
    with pytest.warns(UserWarning, match="after JAX started"):
        assert cpu_settings.apply_cpu_settings() == []
    assert "XLA_FLAGS" not in os.environ


@pytest.mark.e2e
def test_the_console_script_applies_the_flags_before_jax_starts():
    """`diffusion-lite` (cli.console_main) imports the CLI without starting JAX, then sets the flags."""
    code = (
        "import os, sys\n"
        "from diffusion_lite.cli import console_main\n"
        "import jax._src.xla_bridge as xb\n"
        "assert not xb.backends_are_initialized(), 'importing the CLI started JAX'\n"
        "sys.argv = ['diffusion-lite', '--help']\n"
        "try:\n    console_main()\nexcept SystemExit:\n    pass\n"
        "print('XLA_FLAGS=' + os.environ.get('XLA_FLAGS', ''))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", cpu_settings.ENV_VAR)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "XLA_FLAGS=" + " ".join(EXPECTED)


def pretend(monkeypatch, jaxlib, plugin=None, platforms="", started=False):
    """Pretend this jaxlib (and accelerator plugin) is installed and JAX has not started."""
    versions = {"jaxlib": jaxlib, plugin: (1, 0, 0)}
    monkeypatch.setattr(cpu_settings, "_installed_version", lambda name: versions.get(name))
    monkeypatch.setattr(cpu_settings, "_backends_started", lambda: started)
    monkeypatch.delenv("XLA_FLAGS", raising=False)
    monkeypatch.delenv(cpu_settings.ENV_VAR, raising=False)
    monkeypatch.setenv("JAX_PLATFORMS", platforms)


@pytest.mark.parametrize(
    ("jaxlib", "takes_flags"),
    [(None, False), ((0, 7, 2), False), ((0, 8, 0), False), ((0, 8, 1), False),
     ((0, 8, 2), True), ((0, 10, 2), True), ((0, 12, 0), True), ((1, 0, 0), True)],
)  # fmt: skip
def test_the_flags_follow_the_jaxlib_version_silently(monkeypatch, capsys, jaxlib, takes_flags):
    pretend(monkeypatch, jaxlib)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        added = cpu_settings.apply_cpu_settings()
    assert added == (list(cpu_settings.CPU_FLAGS) if takes_flags else [])
    assert os.environ.get("XLA_FLAGS", "") == " ".join(added)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("platforms", "plugin", "takes_flags"),
    [("", None, True), ("cpu", None, True), ("cpu", "jax-cuda12-plugin", True),
     ("", "jax-cuda12-plugin", False), ("", "libtpu", False), ("cuda", None, False),
     ("tpu,cpu", None, False), ("CPU, cuda", "jax-cuda13-plugin", True)],
)  # fmt: skip
def test_the_flags_are_only_for_the_cpu_backend(monkeypatch, platforms, plugin, takes_flags):
    pretend(monkeypatch, cpu_settings.YNN_MIN_JAXLIB, plugin=plugin, platforms=platforms)
    expected = list(cpu_settings.CPU_FLAGS) if takes_flags else []
    assert cpu_settings.apply_cpu_settings() == expected


def test_release_reads_the_leading_numbers():
    assert cpu_settings.release("0.8.2") == (0, 8, 2)
    assert cpu_settings.release("0.12.0.1") == (0, 12, 0)
    assert cpu_settings.release("0.9.0.dev20251001+cuda") == (0, 9, 0)
    assert cpu_settings.release("0.8.1rc1") < cpu_settings.YNN_MIN_JAXLIB


KERNEL_CODE = r"""
import os, jax, jax.numpy as jnp
from diffusion_lite.cpu_settings import apply_cpu_settings
added = apply_cpu_settings()
fn = jax.jit(lambda x: jnp.sum(jax.nn.silu(x) ** 2, axis=-1))
hlo = fn.lower(jnp.ones((64, 256))).compile().as_text()
print(apply_cpu_settings(), float(fn(jnp.ones((64, 256))).sum()) > 0)
print(os.environ.get("XLA_FLAGS", "") + "|" + str(hlo.count('"kind":"__ynn_fusion"')))
"""


@pytest.mark.e2e
def test_a_notebook_kernel_runs_with_the_flags_where_supported():
    """A Jupyter kernel of this environment (as nbval starts it) calls apply_cpu_settings()."""
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, start_new_kernel

    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", cpu_settings.ENV_VAR)}
    env["JAX_PLATFORMS"] = "cpu"
    with open(os.devnull, "w") as devnull:
        km, kc = start_new_kernel(kernel_name=CURRENT_ENV_KERNEL_NAME, env=env, stderr=devnull)
    texts = []
    try:
        reply = kc.execute_interactive(
            KERNEL_CODE,
            timeout=120,
            output_hook=lambda m: texts.append(
                m["content"].get("text", m["content"].get("evalue", ""))
            ),
        )
        alive = km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert alive and reply["content"]["status"] == "ok", texts
    lines = "".join(texts).strip().splitlines()
    assert lines[0] == "[] True"  # a second call (a re-run cell) adds nothing and says nothing
    flags, fusions = lines[-1].rsplit("|", 1)
    assert flags == " ".join(EXPECTED)
    assert (int(fusions) > 0) == bool(EXPECTED)
