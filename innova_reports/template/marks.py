"""A refused value put back in a pre-filled workbook, marked and noted for the group.

The annotated copies (issue 13) mark a problem cell with its severity's colour and a
note saying the fix. Until their package serves the pre-filled workbooks too, this
small module does the same for the few values a pre-filled workbook puts back: the
cell is coloured as an *erreur* and carries an Excel note (comment) that LibreOffice
shows as well. Only workbooks with such a value pass through here (openpyxl reloads
and saves them), so the fast path of every other workbook is untouched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from innova_reports.report import catalogue
from innova_reports.report.issue import Issue
from innova_reports.settings import Settings
from innova_reports.template.writer import workbook_bytes

ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")  # the annotated copies' erreur colour
AUTHOR = "innova-reports"


@dataclass(frozen=True)
class Refused:
    """A value refused last month, put back: where (in the pre-filled workbook's own
    terms, see ``Prefilled``), the value as typed, and last month's message."""

    where: tuple  # ("field", field id, None) or ("table", table name, (row offset, column))
    value: str
    message: str
    label: str
    type: str


def refused_issue(file: str, sheet: str, cell: str, refused: Refused) -> Issue:
    """The issue a pre-filled workbook shows on a value it puts back."""
    field = refused.where[1] if refused.where[0] == "field" else refused.where[2][1]
    return catalogue.issue(
        "valeur-refusee-reprise", file, sheet=sheet, cell=cell, field=field,
        label=refused.label, value=refused.value, reason=refused.message,
    )  # fmt: skip


def mark_cells(data: bytes, issues: list[Issue], settings: Settings) -> bytes:
    """``data`` with each issue's cell coloured and noted (its message as the note)."""
    wb = load_workbook(io.BytesIO(data))
    for issue in issues:
        cell = wb[issue.sheet][issue.cell]
        cell.fill = ERROR_FILL
        note = Comment(issue.message, AUTHOR)
        note.width, note.height = 320, 160
        cell.comment = note
    return workbook_bytes(wb, settings)
