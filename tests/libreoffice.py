"""Real LibreOffice, headless, for tests: conversions and Basic macros, in batches.

Each call gets its own profile, a timeout, and its own process session, killed by its
id when the call ends (soffice.bin can outlive the launcher); a test skips with the
reason when soffice is absent. A soffice start costs seconds: convert many files per
call, and put every edit of a test module in one macro run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.factories import soffice_path

TIMEOUT = int(
    os.environ.get("INNOVA_SOFFICE_TIMEOUT", "240")
)  # seconds; a first start of LibreOffice can be slow on a busy machine
ODS_FILTER = "calc8"
XLSX_FILTER = "Calc MS Excel 2007 XML"


def find_soffice() -> str:
    """The soffice program, or the test skips and says why."""
    found = soffice_path()
    if found is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé : test avec LibreOffice sauté")
    return found


def run_soffice(command: list[str], timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """Run soffice in its own session; whatever it leaves behind is killed by group id."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_session(process.pid)
        out, err = process.communicate()
        raise RuntimeError(f"soffice did not finish in {timeout} s: {out}\n{err}") from None
    finally:
        _kill_session(process.pid)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _kill_session(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # the session we started: its group id is our pid


def convert_many(paths: Sequence[Path], out_dir: Path, target: str = "ods") -> list[Path]:
    """Every file saved by LibreOffice as ``target`` ("ods" or "xlsx") in one run;
    outputs are ``out_dir/<stem>.<target>`` (input stems must be distinct)."""
    soffice = find_soffice()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conversion = {"ods": f"ods:{ODS_FILTER}", "xlsx": f"xlsx:{XLSX_FILTER}"}[target]
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as profile:
        result = run_soffice([
            soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
            "--convert-to", conversion, "--outdir", str(out_dir),
            *(str(Path(p).resolve()) for p in paths),
        ])  # fmt: skip
    outputs = [out_dir / f"{Path(p).stem}.{target}" for p in paths]
    missing = [str(p) for p in outputs if not p.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(f"soffice failed ({result.returncode}), missing {missing}: "
                           f"{result.stdout}\n{result.stderr}")  # fmt: skip
    return outputs


def edit_script(source: Path, statements: str, outputs: dict[Path, str]) -> str:
    """Basic that opens ``source`` hidden, runs ``statements`` (``doc`` is the
    document) and stores it to each output with its filter (ODS_FILTER, XLSX_FILTER)."""
    stores = "\n".join(f'  StoreWith(doc, "{path.resolve()}", "{filter}")'
                       for path, filter in outputs.items())  # fmt: skip
    return f'  doc = OpenHidden("{Path(source).resolve()}")\n{statements}\n{stores}\n  doc.close(True)\n'


_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Function OpenHidden(path As String) As Object
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  OpenHidden = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, args())
End Function

Sub StoreWith(doc As Object, path As String, filter As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = filter
  doc.storeToURL(ConvertToURL(path), args())
End Sub

Sub Edit
  On Error GoTo Failed
{body}
  Exit Sub
Failed:
  Dim log As Integer
  log = FreeFile
  Open "{log}" For Output As #log
  Print #log, "Basic error " &amp; Err &amp; " line " &amp; Erl &amp; ": " &amp; Error$
  Close #log
End Sub
</script:module>
"""


def macro_profile(tmp: Path) -> tuple[str, Path, Path]:
    """(soffice, profile, its Basic library folder): a profile made by a first
    conversion in ``tmp``, ready for a ``Module1.xba`` to run as a macro."""
    soffice = find_soffice()
    profile = Path(tmp) / "profile"
    seed = Path(tmp) / "seed.csv"
    seed.write_text("a\n", encoding="utf-8")  # a first conversion creates the profile
    run_soffice([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--norestore", "--convert-to", "ods", "--outdir", str(tmp), str(seed)])  # fmt: skip
    basic = profile / "user" / "basic" / "Standard"
    basic.mkdir(parents=True, exist_ok=True)
    return soffice, profile, basic


def run_basic(scripts: Sequence[str], expected: Sequence[Path]) -> None:
    """Run the scripts of ``edit_script`` in one headless LibreOffice, as a macro."""
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as tmp:
        soffice, profile, basic = macro_profile(Path(tmp))
        body = escape("\n".join(scripts))
        log = Path(tmp) / "erreur.txt"
        module = _MODULE.format(body=body, log=escape(str(log)))
        (basic / "Module1.xba").write_text(module, encoding="utf-8")
        result = run_soffice([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                       "--norestore", "macro:///Standard.Module1.Edit"], timeout=120)  # fmt: skip
        failure = log.read_text(encoding="utf-8") if log.exists() else ""
    missing = [str(p) for p in expected if not Path(p).exists()]
    if missing:
        raise RuntimeError(
            f"the macro did not write {missing}: {failure}{result.stdout}\n{result.stderr}"
        )


def copy_under(paths: Sequence[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(p, folder / Path(p).name)) for p in paths]
