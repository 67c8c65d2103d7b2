"""``fiches/<code>.pdf``: each action sheet as a PDF of its own, to pass on or print.

Only received sheets have one (an announced action without its sheet has nothing to
print). The folder is written whole and swapped in at once (``atomic_dir``, in
``write_booklet``): a sheet that left the plan disappears with the next run, and a run
that dies leaves the previous folder as it was.
"""

from __future__ import annotations

from pathlib import Path

from innova_reports.booklet.blocks import Booklet
from innova_reports.booklet.typst_pdf import as_json, sheet_document
from innova_reports.paths import sheet_pdf_name


def sheet_items(booklet: Booklet, folder: Path) -> list[tuple[str, str]]:
    """(file path, Typst document as JSON) of every received sheet, in booklet order."""
    taken: set[str] = set()
    return [
        (str(folder / sheet_pdf_name(sheet.code, taken)), as_json(sheet_document(booklet, sheet)))
        for sheet in booklet.sheets
        if sheet.received
    ]
