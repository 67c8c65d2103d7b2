"""Turn what people typed into typed values, before validation.

Group members type numbers as text (``12 500 €``), dates in every French form, statuses
without accents or in capitals, and leave non-breaking spaces everywhere. Each value is
converted according to its field's type; a value that cannot be read, or that could mean
two things, becomes None with an issue saying how to fix it — it is never guessed.

Percentages: a number above 1 (in absolute value) is a percentage typed as such (50 →
0.5); a number from -1 to 1 is already a fraction, as Excel stores a cell formatted in %
(0.5 → 0.5). So a bare 1 means 100 %, which is what Excel stores when « 100 % » is
typed in the template's percent-formatted cells. Text follows the same rule, and
``50 %`` is always 0.5. Values above 100 % are kept here; validation rejects them.

Dates: a date-formatted cell arrives as a date; text is parsed by ``frenchfmt``; a bare
whole number between 36526 and 73050 is an Excel serial number of a date typed in a cell
not formatted as a date (years 2000 to 2099); any other number is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd

from innova_reports.fields import Field, FieldType, template_spec
from innova_reports.frenchfmt import (
    Ambiguous,
    ParseError,
    clean_spaces,
    format_date,
    parse_date,
    parse_number,
)
from innova_reports.model import RawCell, WorkbookData
from innova_reports.report import Issue, Severity, display_value
from innova_reports.settings import Settings

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (36526, 73050)  # 2000-01-01 .. 2099-12-31
_PLAIN_NUMBERS = (FieldType.DECIMAL, FieldType.MONEY)


@dataclasses.dataclass(frozen=True)
class Problem:
    """Why a value was rejected: an issue type and a French explanation."""

    type: str
    reason: str


class Rejected(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


# -- one value ---------------------------------------------------------------------------


def normalise_value(value: Any, field: Field) -> tuple[Any, Problem | None]:
    """The typed value of ``field`` for ``value`` as read, or (None, why it was rejected)."""
    if value is None:
        return None, None
    kind = type(value)
    if kind is float and field.type in _PLAIN_NUMBERS:  # the common case, kept fast
        return value, None
    if kind is str and not clean_spaces(value):
        return None, None
    try:
        return _CONVERTERS[field.type](value, field), None
    except Rejected as rejected:
        return None, rejected.problem


def _text(value: Any, field: Field) -> str:
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\u00a0", " ").replace("\u202f", " ")
    if field.type is FieldType.LONG_TEXT:
        return text.strip()
    return clean_spaces(text)


def _date(value: Any, field: Field) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise Rejected(Problem("date-invalide", "ce nombre n'est pas une date"))
    if isinstance(value, str):
        try:
            return parse_date(value)
        except Ambiguous as exc:
            raise Rejected(Problem("valeur-ambigue", str(exc))) from None
        except ParseError as exc:
            raise Rejected(Problem("date-invalide", str(exc))) from None
    raise Rejected(Problem("date-invalide", "ce n'est pas une date"))


def _number(value: Any, field: Field) -> float:
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise Rejected(Problem("nombre-invalide", "ce n'est pas un nombre"))
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(parse_number(str(value)))
    except Ambiguous as exc:
        raise Rejected(Problem("valeur-ambigue", str(exc))) from None
    except ParseError as exc:
        raise Rejected(Problem("nombre-invalide", str(exc))) from None


def _integer(value: Any, field: Field) -> int:
    number = _number(value, field)
    if not number.is_integer():
        raise Rejected(Problem("nombre-invalide", "un nombre entier est attendu"))
    return int(number)


def _percent(value: Any, field: Field) -> float:
    if isinstance(value, str):
        text = clean_spaces(value)
        if text.endswith("%"):
            try:
                return float(parse_number(text[:-1])) / 100
            except Ambiguous as exc:
                raise Rejected(Problem("valeur-ambigue", str(exc))) from None
            except ParseError:
                raise Rejected(
                    Problem("pourcentage-invalide", "ce n'est pas un pourcentage")
                ) from None
    try:
        number = _number(value, field)
    except Rejected as rejected:
        if rejected.problem.type == "nombre-invalide":
            raise Rejected(Problem("pourcentage-invalide", "ce n'est pas un pourcentage")) from None
        raise
    return number / 100 if abs(number) > 1 else number


def fold(text: str) -> str:
    """Case, accents and spaces removed: how closed-list values and headers are matched."""
    folded = clean_spaces(str(text)).casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _choice_index(choices: tuple[str | int, ...]) -> dict[str, list[str | int]]:
    index: dict[str, list[str | int]] = {}
    for choice in choices:
        index.setdefault(fold(choice), []).append(choice)
    return index


def _choice(value: Any, field: Field) -> str | int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    matches = _choice_index(field.choices).get(fold(value), [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise Rejected(Problem("valeur-ambigue", "plusieurs valeurs de la liste correspondent"))
    raise Rejected(Problem("valeur-hors-liste", "cette valeur n'est pas dans la liste"))


_CONVERTERS: dict[FieldType, Callable[[Any, Field], Any]] = {
    FieldType.TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.DATE: _date,
    FieldType.INTEGER: _integer,
    FieldType.DECIMAL: _number,
    FieldType.MONEY: _number,
    FieldType.PERCENT: _percent,
    FieldType.CHOICE: _choice,
}


# -- messages ----------------------------------------------------------------------------


def _fix(problem: Problem, field: Field) -> str:
    """How to fix a rejected value, in French."""
    if field.type is FieldType.DATE:
        return "saisissez une date complète sous la forme JJ/MM/AAAA (par exemple 15/03/2018)"
    if field.type is FieldType.PERCENT:
        return "saisissez un pourcentage de 0 % à 100 % (par exemple 50 %)"
    if field.type is FieldType.INTEGER:
        return "saisissez un nombre entier (par exemple 3)"
    if field.type is FieldType.CHOICE:
        allowed = ", ".join(str(choice) for choice in field.choices)
        return f"choisissez une valeur de la liste déroulante ({allowed})"
    return (
        "saisissez un nombre, avec une virgule pour les décimales et sans point "
        "(par exemple 12 500 ou 1 234,50)"
    )


def problem_issue(
    file: str, sheet: str, cell: str, field: Field, value: Any, problem: Problem
) -> Issue:
    shown = display_value(value)
    fix = _fix(problem, field)
    message = (
        f"{field.label} : « {shown} » — {problem.reason}. {fix[0].upper()}{fix[1:]}, "
        f"dans la cellule {cell} de la feuille « {sheet} »."
    )
    return Issue(
        file=file,
        type=problem.type,
        severity=Severity.ERROR,
        message=message,
        sheet=sheet,
        cell=cell,
        field=field.id,
        label=field.label,
        value=shown,
    )


# -- a whole workbook --------------------------------------------------------------------


def normalise_workbook(data: WorkbookData, settings: Settings) -> WorkbookData:
    """A copy of ``data`` with typed values and an issue for each rejected value."""
    spec = template_spec(data.kind, settings)
    problems: list[tuple[str, str, Field, Any, Problem]] = []
    fields: dict[str, RawCell] = {}
    for field in spec.fields:
        raw = data.fields.get(field.id)
        if raw is None:
            continue
        typed, problem = normalise_value(raw.value, field)
        if problem is not None:
            problems.append((raw.sheet, raw.cell, field, raw.value, problem))
        fields[field.id] = RawCell(typed, raw.sheet, raw.cell)
    tables = {
        name: _normalise_table(data, spec.table(name), frame, problems)
        for name, frame in data.tables.items()
    }
    axe = fields["axe"].value if "axe" in fields else None
    name = data.source.name
    issues = list(data.issues)
    for sheet, cell, field, value, problem in problems:
        issue = problem_issue(name, sheet, cell, field, value, problem)
        issues.append(dataclasses.replace(issue, axis=axe if isinstance(axe, int) else None))
    return dataclasses.replace(data, fields=fields, tables=tables, issues=issues)


def _normalise_table(
    data: WorkbookData, table: Any, frame: pd.DataFrame, problems: list
) -> pd.DataFrame:
    sheet = data.table_sheets.get(table.name, table.sheet)
    letters = data.table_letters.get(table.name, {})
    values = frame.to_numpy(dtype=object, copy=True)
    found = []  # (row, position, problem entry): reported in reading order
    for position, column in enumerate(frame.columns):
        field = table.column(column)
        for offset, row in enumerate(frame.index):
            typed, problem = normalise_value(values[offset, position], field)
            if problem is not None:
                cell = f"{letters.get(column, '')}{row}"
                entry = (sheet, cell, field, values[offset, position], problem)
                found.append((row, position, entry))
            values[offset, position] = typed
    problems.extend(entry for _, _, entry in sorted(found, key=lambda item: item[:2]))
    # Index objects are immutable: the typed frame shares them with the frame as read.
    return pd.DataFrame(values, index=frame.index, columns=frame.columns, dtype=object, copy=False)
