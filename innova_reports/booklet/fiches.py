"""``fiches/<code>.pdf``: each action sheet as a PDF of its own, to pass on or print.

The folder is written whole and swapped in at once (``atomic_dir``): a sheet that left
the plan disappears with the next run, and a run that dies leaves the previous folder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from innova_reports.booklet.blocks import Booklet
from innova_reports.booklet.typst_pdf import Typesetter, sheet_document
from innova_reports.support.atomic import atomic_dir

Progress = Callable[[str, int, int], None]
STEP = "Fiches action (PDF)"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def sheet_file_name(code: str, taken: set[str]) -> str:
    """« A1.1.pdf »; a code with characters a file name cannot hold (it passed the
    code rule, so it should not) is made safe, and never overwrites another sheet."""
    stem = _UNSAFE.sub("_", code).strip("._") or "fiche"
    name, suffix = f"{stem}.pdf", 2
    while name.lower() in taken:
        name, suffix = f"{stem}-{suffix}.pdf", suffix + 1
    taken.add(name.lower())
    return name


def write_sheets(
    booklet: Booklet,
    folder: Path,
    typesetter: Typesetter,
    timestamp: dt.datetime,
    progress: Progress | None = None,
) -> list[Path]:
    """One PDF per received action sheet (an announced action without one has none)."""
    sheets = [sheet for sheet in booklet.sheets if sheet.received]
    taken: set[str] = set()
    names = []
    with atomic_dir(folder) as temporary:
        temporary.chmod(0o755)  # mkdtemp makes it private; the sheets are shared documents
        for done, sheet in enumerate(sheets, start=1):
            name = sheet_file_name(sheet.code, taken)
            (temporary / name).write_bytes(
                typesetter.pdf(sheet_document(booklet, sheet), timestamp)
            )
            (temporary / name).chmod(0o644)
            names.append(name)
            if progress is not None and (done % 25 == 0 or done == len(sheets)):
                progress(STEP, done, len(sheets))
    return [folder / name for name in names]
