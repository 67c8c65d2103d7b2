"""``fiches/<code>.pdf``: each action sheet as a PDF of its own, to pass on or print.

Only received sheets have one (an announced action without its sheet has nothing to
print). The folder is written whole and swapped in at once (``atomic_dir``, in
``write_booklet``): a sheet that left the plan disappears with the next run, and a run
that dies leaves the previous folder as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

from innova_reports.booklet.blocks import Booklet
from innova_reports.booklet.typst_pdf import as_json, sheet_document

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


def sheet_items(booklet: Booklet, folder: Path) -> list[tuple[str, str]]:
    """(file path, Typst document as JSON) of every received sheet, in booklet order."""
    taken: set[str] = set()
    return [
        (str(folder / sheet_file_name(sheet.code, taken)), as_json(sheet_document(booklet, sheet)))
        for sheet in booklet.sheets
        if sheet.received
    ]
