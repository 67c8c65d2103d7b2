"""LibreOffice headless for the panel's tests: recalculate on load, and edit as a user.

Recipes of /work/shared/tips/libreoffice-headless.md: one profile per call, a timeout,
the process session killed afterwards; tests skip when soffice is absent.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.libreoffice import find_soffice, run_soffice

RECALC_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# Insert a row in a sheet, type a text in a cell, save as .xlsx: what a user does.
EDIT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub InsertRow(inPath, outPath, sheetName, rowIndex, cellName, text)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, args())
  sheet = doc.Sheets.getByName(sheetName)
  sheet.Rows.insertByIndex(CInt(rowIndex), 1)
  sheet.getCellRangeByName(cellName).setString(text)
  doc.calculateAll()
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = "FilterName"
  out(0).Value = "Calc MS Excel 2007 XML"
  doc.storeToURL(ConvertToURL(outPath), out())
  doc.close(True)
End Sub
</script:module>
"""


def recalculated(paths: Sequence[Path], folder: Path) -> list[Path]:
    """The workbooks as LibreOffice saves them after recalculating every formula."""
    soffice = find_soffice()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(RECALC_ON_LOAD)
        run_soffice([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
              "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder),
              *(str(Path(p).resolve()) for p in paths)])  # fmt: skip
    outputs = [folder / Path(p).name for p in paths]
    assert all(p.exists() for p in outputs), outputs
    return outputs


def row_inserted(source: Path, target: Path, sheet: str, row: int, cell: str, text: str) -> Path:
    """LibreOffice inserts a row above ``row`` (1-based) and types ``text`` in ``cell``."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as profile:
        run_soffice([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
              "--convert-to", "csv", "--outdir", str(Path(profile) / "init"), str(source)])  # fmt: skip
        basic = Path(profile) / "user" / "basic" / "Standard"
        if not basic.is_dir():
            pytest.skip("profil LibreOffice sans bibliothèque Basic : édition non testée")
        (basic / "Module1.xba").write_text(EDIT_MACRO)
        quoted = ",".join(f'"{value}"' for value in (source.resolve(), target.resolve(), sheet,
                                                      row - 1, cell, text))  # fmt: skip
        run_soffice(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                f"macro:///Standard.Module1.InsertRow({quoted})",
            ]
        )
    assert target.exists(), "LibreOffice n'a pas enregistré le classeur édité"
    shutil.copymode(source, target)
    return target
