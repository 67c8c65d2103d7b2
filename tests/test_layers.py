"""The pipeline's layers hold: no stage imports a later one, no import cycle.

The contracts live in pyproject.toml ([tool.importlinter]); `make lint` runs the same
check. Run here too, so that `make test` (and CI) fail on a backward import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("lint-imports absent: pip install -e '.[test]' installs import-linter")
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout


def test_every_package_of_the_code_is_in_a_layer():
    """A new package must take its place in the layers, or nothing checks it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    listed = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    package = ROOT / "innova_reports"
    modules = {
        f"innova_reports.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()
    }
    modules |= {
        f"innova_reports.{p.stem}"
        for p in package.glob("*.py")
        if p.stem not in ("__init__", "__main__")
    }
    assert modules - listed == set()
