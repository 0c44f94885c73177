"""environment.yml, pyproject.toml and constraints.txt describe one environment."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())
PINS = dict(
    re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", line).groups()
    for line in (ROOT / "constraints.txt").read_text().splitlines()
    if line and not line.startswith("#")
)


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_python_version_agrees():
    conda = [d for d in ENV["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    assert conda == ["python=3.11"], conda
    assert PYPROJECT["requires-python"] == ">=3.11"


def test_environment_installs_this_package_with_the_pinned_constraints():
    pip = next(d["pip"] for d in ENV["dependencies"] if isinstance(d, dict))
    assert "-c constraints.txt" in pip
    extras = re.fullmatch(r"-e \.\[(.*)\]", next(p for p in pip if p.startswith("-e"))).group(1)
    assert set(extras.split(",")) == {"notebooks", "dev"}
    assert set(extras.split(",")) <= set(PYPROJECT["optional-dependencies"])


def test_conda_lists_no_package_that_pip_installs():
    conda = {_name(d.split("=")[0]) for d in ENV["dependencies"] if isinstance(d, str)}
    assert conda == {"python", "pip"}, conda


def test_every_declared_dependency_is_pinned():
    pinned = {_name(k) for k in PINS}
    declared = list(PYPROJECT["dependencies"])
    for extra in PYPROJECT["optional-dependencies"].values():
        declared += extra
    missing = sorted({_name(r) for r in declared} - pinned)
    assert not missing, f"add pins for {missing} to constraints.txt (see README, CONTRIBUTING)"


def _lock(name: str) -> dict[str, str]:
    lines = (ROOT / "constraints" / f"{name}.txt").read_text().splitlines()
    return {_name(k): v for k, v in (ln.split("==", 1) for ln in lines if "==" in ln)}


def test_the_colab_lock_is_pyprojects_lower_bounds_for_jax_and_flax():
    """pyproject promises Colab's stack; the compat stage tests exactly those versions."""
    colab = _lock("colab")
    bounds = dict(re.fullmatch(r"([a-z_]+)>=(\S+)", r).groups() for r in PYPROJECT["dependencies"])
    for package in ("jax", "flax"):
        assert colab[package] == bounds[package], (package, colab[package], bounds[package])


def test_both_compat_locks_pin_every_runtime_dependency_and_the_test_tools():
    needed = {_name(r) for r in PYPROJECT["dependencies"]} | {"jaxlib", "pytest", "nbval"}
    for name in ("colab", "newest"):
        missing = sorted(needed - set(_lock(name)))
        assert not missing, (
            f"constraints/{name}.txt lacks {missing}: rerun scripts/compat.py --lock"
        )
