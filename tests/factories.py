"""Workbook factories for tests: templates filled in code, never committed binaries.

Stable API used by the reader and validation tests of other modules:

- ``make_workbook(path, kind, settings, *, fields=None, tables=None) -> Path``
  builds the real template of ``kind`` ("fiche_action" or "feuille_de_route") and fills
  it exactly where a group would type: ``fields`` maps field ids (the defined names) to
  values, ``tables`` maps table names to lists of rows ({column id: value}). Values are
  written as given (text, numbers, dates, formulas such as "=1+1"), so tests can also
  write wrong values. A table grows when given more rows than it expects.
- ``libreoffice_resave(path, out_dir) -> Path``: the file as LibreOffice saves it
  (headless conversion xlsx -> xlsx); skips the test when ``soffice`` is absent.
- ``libreoffice_resave_many(paths, out_dir) -> list[Path]``: same, one soffice run for
  several files (each conversion costs seconds).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from innova_reports.settings import Settings
from innova_reports.template.stamp import Formula
from innova_reports.template.writer import write_template

SOFFICE_TIMEOUT = 180  # seconds; a first start of LibreOffice can be slow


def make_workbook(
    path: Path,
    kind: str,
    settings: Settings,
    *,
    fields: dict[str, Any] | None = None,
    tables: dict[str, list[dict[str, Any]]] | None = None,
) -> Path:
    """Write the template of ``kind`` filled with ``fields`` and ``tables`` to ``path``."""
    prefill = {
        "fields": {key: _formula(value) for key, value in (fields or {}).items()},
        "tables": {
            name: [{key: _formula(value) for key, value in row.items()} for row in rows]
            for name, rows in (tables or {}).items()
        },
    }
    return write_template(kind, settings, Path(path), prefill=prefill)


def _formula(value: Any) -> Any:
    """The template writes text as text: a test's « =1+1 » is meant as a formula."""
    return Formula(value) if isinstance(value, str) and value.startswith("=") else value


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_resave(path: Path, out_dir: Path) -> Path:
    """Re-save one workbook with LibreOffice, as a group using LibreOffice would."""
    return libreoffice_resave_many([path], out_dir)[0]


def libreoffice_resave_many(paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Re-save several workbooks in one soffice run; outputs keep the input file names.

    Input names must be distinct, since all outputs land in ``out_dir``.
    """
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé : test de ré-enregistrement sauté")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            *(str(Path(p).resolve()) for p in paths),
        ]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False
        )
    outputs = [out_dir / Path(p).name for p in paths]
    missing = [str(p) for p in outputs if not p.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(
            f"soffice failed (code {result.returncode}), missing {missing}: "
            f"{result.stdout}\n{result.stderr}"
        )
    return outputs
