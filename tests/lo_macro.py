"""Edits made by real LibreOffice itself, headless: a Basic macro that types into cells.

Typing through LibreOffice's own input line (``.uno:EnterString``) applies what a user's
keystrokes get: « 70 % » becomes 0.7 with a percentage format, « 15/05/2018 » a date.
Every edit of a test module goes into one macro run (a soffice start costs seconds),
with its own profile, a timeout and its own process session, killed by its id when the
run ends; a test skips with the reason when soffice is absent.

The macro is started by its ``vnd.sun.star.script:`` URL: on this machine the
``macro:///`` form waits forever in headless mode without running the macro.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tests.libreoffice import macro_profile, run_soffice

_URL = "vnd.sun.star.script:Standard.Module1.Edit?language=Basic&location=application"


@dataclass(frozen=True)
class Typing:
    """Text typed into a cell as a user types it (Entrée at the end)."""

    sheet: str
    cell: str
    text: str


def type_into(source: Path, typings: Sequence[Typing], outputs: dict[Path, str]) -> str:
    """Basic that opens ``source``, types each text in its cell through LibreOffice's
    input line, and stores the document to each output with its filter."""
    lines = [
        f'  doc = OpenDoc("{_basic(Path(source).resolve())}")',
        "  frame = doc.getCurrentController().getFrame()",
    ]
    for typing in typings:
        lines.append(
            f'  TypeText(doc, frame, "{_basic(typing.sheet)}", "{typing.cell}", '
            f'"{_basic(typing.text)}")'
        )
    lines += [f'  StoreDoc(doc, "{_basic(path.resolve())}", "{filter}")'
              for path, filter in outputs.items()]  # fmt: skip
    lines.append("  doc.close(True)")
    return "\n".join(lines)


def _basic(text: object) -> str:
    """A Basic string literal's content: a double quote is doubled."""
    return str(text).replace('"', '""')


_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Function OpenDoc(path As String) As Object
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  OpenDoc = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, args())
End Function

Sub TypeText(doc As Object, frame As Object, sheetName As String, cell As String, text As String)
  Dim typed(0) As New com.sun.star.beans.PropertyValue
  sheet = doc.Sheets.getByName(sheetName)
  doc.getCurrentController().setActiveSheet(sheet)
  doc.getCurrentController().select(sheet.getCellRangeByName(cell))
  typed(0).Name = "StringName"
  typed(0).Value = text
  dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
  dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, typed())
End Sub

Sub StoreDoc(doc As Object, path As String, filter As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = filter
  doc.storeToURL(ConvertToURL(path), args())
End Sub

Sub Edit
{body}
End Sub
</script:module>
"""


def run_macro(scripts: Sequence[str], expected: Sequence[Path]) -> None:
    """Run the scripts of ``type_into`` in one headless LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as tmp:
        soffice, profile, basic = macro_profile(Path(tmp))
        _french_locale(profile / "user" / "registrymodifications.xcu")
        body = escape("\n".join(scripts))
        (basic / "Module1.xba").write_text(_MODULE.format(body=body), encoding="utf-8")
        result = run_soffice([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                       "--norestore", _URL])  # fmt: skip
    missing = [str(p) for p in expected if not Path(p).exists()]
    if missing:
        raise RuntimeError(f"the macro did not write {missing}: {result.stdout}\n{result.stderr}")


_LOCALE = (
    '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" '
    'oor:op="fuse"><value>fr-FR</value></prop></item>'
)


def _french_locale(registry: Path) -> None:
    """Type as a French user: « 0,5 » is a number, « 15/05/2018 » the 15th of May."""
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("</oor:items>", _LOCALE + "</oor:items>"), encoding="utf-8")
