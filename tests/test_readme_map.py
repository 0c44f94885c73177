"""README's module map names every module of the package (a new file cannot go unmentioned)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_is_in_the_readme_map():
    readme = (ROOT / "README.md").read_text()
    modules = [
        p.relative_to(ROOT / "diffusion_lite")
        for p in (ROOT / "diffusion_lite").rglob("*.py")
        if p.name not in {"__init__.py", "__main__.py"} and p.parent.name != "exercises"
    ]
    missing = [str(m) for m in modules if f" {m.name} " not in readme]
    assert not missing, f"add {missing} to README's module map"
