"""Compatibility stage: the unit tests and every notebook on Colab's stack and on the newest.

    python3 scripts/compat.py                  # what `make test-compat` and .ci/run run
    python3 scripts/compat.py colab            # one environment
    python3 scripts/compat.py --lock newest    # re-resolve constraints/newest.in -> .txt

Each environment is a throwaway venv built from a fully pinned lock file,
constraints/<name>.txt (resolved from constraints/<name>.in, whose "# python: X.Y" line
names the interpreter).  The venvs live outside the clone, in $COMPAT_VENVS (default
~/.cache/diffusion_lite/compat), keyed by a hash of the lock and the interpreter, so CI's
fresh clones on the same machine reuse them; a venv is complete once its stamp is written.
The package itself is not installed there: PYTHONPATH points at this checkout.

In each environment: pytest over tests/, then nbval in --nbval-lax mode over notebooks/
(every cell executed, errors and failed assertion cells fail; outputs are compared only
in cells marked NBVAL_CHECK_OUTPUT; --strict compares all of them, as `make test` does).

Interpreters: $COMPAT_PYTHON_<NAME>, else `PYENV_VERSION=X.Y.Z pyenv which pythonX.Y` for
an installed pyenv version, else pythonX.Y on PATH.  One that is absent fails the stage
when CI is set (CI must not pass without testing Colab's stack; COMPAT_ALLOW_MISSING=1
overrides); elsewhere it is skipped with a message saying how to get it.  Exit status: 0
when everything that ran passed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints"
ENVS = ("colab", "newest")
PYTEST_COUNTS = re.compile(r"(\d+) (passed|failed|errors?)\b")


def wanted_python(name: str) -> str:
    """The "X.Y" of the '# python: X.Y' line in constraints/<name>.in."""
    text = (CONSTRAINTS / f"{name}.in").read_text()
    return re.search(r"^# python: (\d+\.\d+)\s*$", text, re.M).group(1)


def _runs_as(python: str, version: str) -> bool:
    code = "import sys; print('%d.%d' % sys.version_info[:2])"
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    except OSError:
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def find_python(name: str, version: str) -> str | None:
    """An interpreter path for Python X.Y (see the module docstring for the search order)."""
    explicit = os.environ.get(f"COMPAT_PYTHON_{name.upper()}")
    if explicit:
        return explicit if _runs_as(explicit, version) else None
    candidates = []
    if shutil.which("pyenv"):
        bare = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True)
        for full in sorted(bare.stdout.split(), reverse=True):
            if re.fullmatch(re.escape(version) + r"\.\d+", full):
                env = {**os.environ, "PYENV_VERSION": full}
                which = subprocess.run(["pyenv", "which", f"python{version}"], env=env,
                                       capture_output=True, text=True)  # fmt: skip
                candidates.append(which.stdout.strip())
    candidates.append(shutil.which(f"python{version}") or "")
    return next((c for c in candidates if c and _runs_as(c, version)), None)


def venv_for(name: str, python: str) -> Path:
    """The venv for this lock + interpreter, built (quietly, log kept) unless already stamped."""
    lock = (CONSTRAINTS / f"{name}.txt").read_bytes()
    key = hashlib.sha256(lock + os.path.realpath(python).encode()).hexdigest()[:12]
    root = Path(os.environ.get("COMPAT_VENVS", Path.home() / ".cache/diffusion_lite/compat"))
    venv, stamp = root / f"{name}-{key}", root / f"{name}-{key}" / ".compat-stamp"
    if stamp.exists():
        stamp.touch()
        return venv
    for stale in root.glob(f"{name}-*"):  # other locks of this env unused for 3 days
        old = stale / ".compat-stamp"
        if stale != venv and (not old.exists() or time.time() - old.stat().st_mtime > 3 * 86400):
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(venv, ignore_errors=True)
    print(f"[{name}] building {venv} from constraints/{name}.txt ...", flush=True)
    log = root / f"{name}-{key}.log"
    root.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        steps = [[python, "-m", "venv", str(venv)],
                 [str(venv / "bin/python"), "-m", "pip", "install", "--no-deps", "-r",
                  str(CONSTRAINTS / f"{name}.txt")],
                 [str(venv / "bin/python"), "-m", "pip", "check"]]  # fmt: skip
        for step in steps:
            if subprocess.run(step, stdout=out, stderr=subprocess.STDOUT).returncode:
                sys.exit(f"[{name}] FAILED: {' '.join(step)}\n{log.read_text()[-3000:]}")
    stamp.write_text(f"{python}\n")
    log.unlink()
    return venv


def run_pytest(name: str, stage: str, python: Path, args: list[str]) -> tuple[int, int, float]:
    """Run pytest in the env (output streamed); returns (passed, failed + errors, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.pop("PYTHONHOME", None)
    print(f"[{name}] {stage}: {python.parent.parent.name} pytest {' '.join(args)}", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen([str(python), "-m", "pytest", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    last = ""
    for line in proc.stdout:
        print(f"  {line}", end="", flush=True)
        if line.strip():
            last = line
    seconds = time.perf_counter() - start
    counts = {kind.rstrip("s"): int(n) for n, kind in PYTEST_COUNTS.findall(last)}
    failed = counts.get("failed", 0) + counts.get("error", 0)
    if proc.wait() and not failed:
        failed = 1  # pytest failed without a count (collection error, crash)
    return counts.get("passed", 0), failed, seconds


def run_env(name: str, strict: bool) -> list[tuple[str, str, int, int, float]] | None:
    version = wanted_python(name)
    python = find_python(name, version)
    if python is None:
        how = (f"pyenv install {version} (any {version}.x), or set COMPAT_PYTHON_{name.upper()}"
               f"=/path/to/python{version}")  # fmt: skip
        strict_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
        if strict_ci and os.environ.get("COMPAT_ALLOW_MISSING") != "1":
            sys.exit(f"[{name}] FAILED: no Python {version} interpreter found ({how}); "
                     "CI must test this environment")  # fmt: skip
        print(f"[{name}] SKIPPED: no Python {version} interpreter found; {how}", flush=True)
        return None
    start = time.perf_counter()
    py = venv_for(name, python) / "bin/python"
    rows = [(name, "venv", 0, 0, time.perf_counter() - start)]
    common = ["-q", "-n", "2", "-p", "no:randomly", "-p", "no:cacheprovider"]
    unit = [*common, "--dist", "loadfile", "-p", "no:nbval", "tests"]
    nbval = ["--nbval" if strict else "--nbval-lax", "--nbval-current-env",
             "--nbval-sanitize-with", "notebooks/sanitize.cfg"]  # fmt: skip
    for stage, args in (("unit", unit), ("notebooks", [*common, "--dist", "loadscope", *nbval,
                                                        "notebooks"])):  # fmt: skip
        rows.append((name, stage, *run_pytest(name, stage, py, args)))
    return rows


def lock(name: str) -> int:
    """Resolve constraints/<name>.in in a scratch venv and write the pins to <name>.txt."""
    version = wanted_python(name)
    python = find_python(name, version)
    if python is None:
        sys.exit(f"no Python {version} for {name}")
    scratch = ROOT / "build" / f"lock-{name}"
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(scratch)], check=True)
    pip = [str(scratch / "bin/python"), "-m", "pip"]
    subprocess.run([*pip, "install", "-q", "-r", str(CONSTRAINTS / f"{name}.in")], check=True)
    frozen = subprocess.run([*pip, "freeze"], capture_output=True, text=True, check=True).stdout
    header = [line for line in (CONSTRAINTS / f"{name}.in").read_text().splitlines()
              if line.startswith("#")]  # fmt: skip
    header.append(f"# Locked {time.strftime('%Y-%m-%d')} from constraints/{name}.in on "
                  f"Python {version}; do not edit by hand.")  # fmt: skip
    (CONSTRAINTS / f"{name}.txt").write_text("\n".join(header) + "\n" + frozen)
    shutil.rmtree(scratch)
    print(f"wrote constraints/{name}.txt; run `make test-compat` and commit it")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("envs", nargs="*", help=f"any of {', '.join(ENVS)} (default: all)")
    parser.add_argument("--strict", action="store_true", help="compare every stored output")
    parser.add_argument("--lock", choices=ENVS, help="re-resolve constraints/NAME.in, then exit")
    args = parser.parse_args(argv)
    if set(args.envs) - set(ENVS):
        parser.error(f"unknown environment(s) {sorted(set(args.envs) - set(ENVS))}")
    if args.lock:
        return lock(args.lock)
    rows = []
    for name in args.envs or ENVS:
        rows += run_env(name, args.strict) or []
    print("\ncompat summary (wall seconds; this machine, this load):")
    for name, stage, passed, failed, seconds in rows:
        counts = "" if stage == "venv" else f"{passed:4d} passed {failed:3d} failed"
        print(f"  {name:7s} {stage:10s} {counts:22s} {seconds:7.1f} s")
    passed, failed = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(f"compat: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
