"""Issues: what is wrong in a returned workbook, where, and how to fix it — in French.

An issue is a small value object (file, sheet, cell, field, stable kebab-case type,
severity, value found, French message). Every stage produces them; the check command,
the master workbook, the feedback files and the emails render them. Tests assert on
``Issue.flat()`` tuples.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from innova_reports.fields import FieldType
from innova_reports.frenchfmt import format_date, format_datetime, french_number, strip_invisible


class Severity(StrEnum):
    ERROR = "erreur"  # the value is rejected: blank in the master, issue listed
    WARNING = "avertissement"  # the value is kept, flagged
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Issue:
    file: str  # display name of the workbook, relative to the workbooks folder
    type: str  # stable kebab-case id, e.g. "date-fin-avant-debut"
    severity: Severity
    message: str  # French: what is wrong and how to fix it
    sheet: str = ""  # French sheet title, "" when the issue concerns the whole file
    cell: str = ""  # A1 address, "" when not about one cell
    field: str = ""  # field id, e.g. "fin"
    label: str = ""  # French label of the field, e.g. "Fin"
    value: str = ""  # the value found, as text ("" when empty)
    axis: int | None = None  # the group concerned, when known

    @property
    def place(self) -> str:
        """« fichier › feuille › cellule », as far as known."""
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def flat(self) -> tuple[str, str, str, str, str]:
        """(file, sheet, cell, type, severity): what tests assert on."""
        return (self.file, self.sheet, self.cell, self.type, str(self.severity))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def display_value(value: Any, field_type: FieldType | None = None, *, unit: str = "") -> str:
    """A value as the user sees it in the cell: THE one way every message shows a value.

    Dates in French order, decimals with a comma, VRAI/FAUX, a share of a percentage
    field as « 150 % » (never « 1,5 »), a number of an indicator whose unit is « % » with
    its sign (``unit``), text on one line without invisible characters, long text cut.
    """
    if value is None or _is_na(value):
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            return ""
        if field_type is FieldType.PERCENT:
            return french_number(float(value) * 100) + " %"
        return french_number(value) + (" %" if unit == "%" else "")
    text = " ".join(strip_invisible(str(value)).split())
    return text if len(text) <= 80 else text[:77] + "…"


def _is_na(value: Any) -> bool:
    """NaN, pandas' NA and NaT: an empty cell however a frame holds it."""
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NAType", "NaTType")


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Files in order, then errors first, then sheet and cell in reading order."""
    return sorted(
        issues,
        key=lambda i: (i.file, SEVERITY_ORDER[i.severity], i.sheet, _cell_key(i.cell), i.type),
    )


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)


def _cell_key(cell: str) -> tuple[int, int]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return (int(digits) if digits else 0, column)
