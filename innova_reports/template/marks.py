"""A refused value put back in a pre-filled workbook, marked and noted for the group.

The mark is the annotated copies' own (``annotate.annotate_workbook``): the cell
coloured as an *erreur* with a note saying the fix, listed on a first sheet « À
corriger », and recognised (then cleared) when the workbook comes back. Only workbooks
with such a value pass through here, so the fast path of every other one is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from innova_reports.annotate import annotate_workbook
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue
from innova_reports.settings import Settings


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
    """``data`` with each issue's cell marked and noted as in the annotated copies."""
    return annotate_workbook(data, "xlsx", issues)
