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
import functools
import math
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd

from innova_reports.fields import Field, FieldType, template_spec
from innova_reports.frenchfmt import (
    Ambiguous,
    ParseError,
    clean_spaces,
    fold,
    format_date,
    near_misses,
    parse_date,
    parse_number,
    strip_invisible,
    words,
)
from innova_reports.model import RawCell, WorkbookData
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue, Severity, display_value
from innova_reports.rules import ACTION_CODE, action_code
from innova_reports.settings import Settings

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (36526, 73050)  # 2000-01-01 .. 2099-12-31
# A year outside is a typo (0018, 1800, 20018) or an empty Excel date (00/01/1900),
# never a date of the programme; datetime.date itself would accept most of them.
DATE_YEARS = (1900, 2099)
TEXT_LIMIT = 32_767  # characters an Excel cell can hold: the master would cut the rest
PERCENT_LIMIT = 10.0  # 1 000 %: beyond, the value is not a share of anything
# What people type for « unknown »; said back to them with how to leave the cell empty.
PLACEHOLDERS = frozenset({
    "-", "--", "/", "?", "??", "x", "nc", "n/c", "na", "n/a", "nd", "n/d", "ns", "so",
    "s/o", "sans objet", "neant", "inconnu", "non connu", "non renseigne", "a definir",
    "a venir", "aucun", "aucune", "tbd",
})  # fmt: skip
_CODE = re.compile(r"^A0*(\d+)[.,]0*(\d+)$")
_AXIS_WORDS = re.compile(r"^axe ?(?:n ?[°o.]? ?)?(\d+)$")  # « Axe 3 », « axe n° 3 »
_PLAIN_NUMBERS = (FieldType.DECIMAL, FieldType.MONEY)
_NOT_FINITE = "la cellule contient une valeur impossible (infinie ou indéfinie)"


@dataclasses.dataclass(frozen=True)
class Problem:
    """Why a value was rejected (or, for a warning, kept but flagged), in French."""

    type: str  # an issue type of the catalogue, which gives its severity
    reason: str

    @property
    def severity(self) -> Severity:
        return catalogue.default_severity(self.type)


class Rejected(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


@dataclasses.dataclass(frozen=True)
class _Kept:
    """A converter's value kept with a warning (a list value understood, say)."""

    value: Any
    problem: Problem


# -- one value ---------------------------------------------------------------------------


def normalise_value(value: Any, field: Field) -> tuple[Any, Problem | None]:
    """The typed value of ``field`` for ``value`` as read, or (None, why it was rejected).

    Never raises, whatever ``value`` is. A warning problem comes with the value kept.
    A value already in its typed form (most of them) takes a fast path; the others, and
    every rejection, go through ``normalise_general``, which gives the same result for all.
    """
    typed = _FAST[field.type](value, field)
    if typed is not _SLOW:
        return typed, None
    if type(value) is str and len(value) <= _CACHED_LENGTH and field.type not in _TEXTS:
        return _cached_general(value, field)
    return normalise_general(value, field)


def normalise_general(value: Any, field: Field) -> tuple[Any, Problem | None]:
    """``normalise_value`` without its fast paths: every value through its converter."""
    if value is None:
        return None, None
    kind = type(value)
    if kind is float:
        if not math.isfinite(value):  # only a forged or broken file holds one
            return None, Problem(_rejection_type(field), _NOT_FINITE)
        if field.type in _PLAIN_NUMBERS:
            return value, None
    elif kind is str:
        value = strip_invisible(value)
        if not clean_spaces(value):
            return None, None
    try:
        typed = _CONVERTERS[field.type](value, field)
    except Rejected as rejected:
        return None, rejected.problem
    except (ValueError, TypeError, OverflowError, ArithmeticError):  # a value nobody foresaw
        return None, Problem(_rejection_type(field), "cette valeur n'a pas pu être lue")
    if type(typed) is _Kept:
        return typed.value, typed.problem
    if isinstance(typed, str) and len(typed) > TEXT_LIMIT:
        reason = (
            f"le texte compte {len(typed)} caractères, plus que les {TEXT_LIMIT} qu'une "
            "cellule Excel peut contenir : la fin sera coupée dans le classeur maître"
        )
        return typed, Problem("texte-trop-long", reason)
    return typed, None


# -- fast paths --------------------------------------------------------------------------
# Each returns the typed value when ``value`` is already in the form its converter would
# give, else _SLOW. They only ever accept: anything unusual (and every rejection) takes
# the general path, and tests compare both on varied values.

_SLOW = object()
_TEXTS = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CODE)
_CACHED_LENGTH = 100  # short texts in typed fields repeat (dates, amounts, list values)
_EXACT_FLOAT = 2**53  # an int up to this survives the general path's float() unchanged


@functools.lru_cache(maxsize=8192)
def _cached_general(value: str, field: Field) -> tuple[Any, Problem | None]:
    """The general path for a short text in a typed field: its result is immutable."""
    return normalise_general(value, field)


def _fast_text(value: Any, field: Field) -> Any:
    """A one-line text with nothing to clean: printable (so no invisible character, tab,
    line break or non-breaking space: none of them is), no space to strip or collapse."""
    if value is None:
        return None
    if (
        type(value) is str
        and value.isprintable()
        and value
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
        and len(value) <= TEXT_LIMIT
    ):
        return value
    return _SLOW


def _fast_code(value: Any, field: Field) -> Any:
    """An action code already in its one written form (A3.2): nothing to do."""
    if value is None:
        return None
    if type(value) is str and ACTION_CODE.match(value) and value == _code(value):
        return value
    return _SLOW


def _fast_long_text(value: Any, field: Field) -> Any:
    """A multi-line text with nothing to clean: printable but for line feeds and tabs,
    no carriage return, nothing to strip at either end."""
    if value is None:
        return None
    if (
        type(value) is str
        and value
        and not value[0].isspace()
        and not value[-1].isspace()
        and len(value) <= TEXT_LIMIT
        and (value.isprintable() or value.replace("\n", "").replace("\t", "").isprintable())
    ):
        return value
    return _SLOW


def _fast_date(value: Any, field: Field) -> Any:
    if value is None:
        return None
    kind = type(value)
    if kind is dt.datetime:
        value = value.date()
    elif kind is not dt.date:
        return _SLOW
    return value if DATE_YEARS[0] <= value.year <= DATE_YEARS[1] else _SLOW


def _fast_integer(value: Any, field: Field) -> Any:
    if value is None:
        return None
    kind = type(value)
    if kind is int and -_EXACT_FLOAT <= value <= _EXACT_FLOAT:
        return value
    if kind is float and math.isfinite(value) and value.is_integer():
        return int(value)
    return _SLOW


def _fast_number(value: Any, field: Field) -> Any:
    if value is None:
        return None
    if type(value) is float and math.isfinite(value):
        return value
    return _SLOW


def _fast_percent(value: Any, field: Field) -> Any:
    """A float from -1 to 1 is already a share (what a %-formatted cell holds)."""
    if value is None:
        return None
    if type(value) is float and -1.0 <= value <= 1.0:
        return value
    return _SLOW


def _fast_none(value: Any, field: Field) -> Any:
    return None if value is None else _SLOW


_FAST: dict[FieldType, Callable[[Any, Field], Any]] = {
    FieldType.TEXT: _fast_text,
    FieldType.CODE: _fast_code,
    FieldType.LONG_TEXT: _fast_long_text,
    FieldType.DATE: _fast_date,
    FieldType.INTEGER: _fast_integer,
    FieldType.DECIMAL: _fast_number,
    FieldType.MONEY: _fast_number,
    FieldType.PERCENT: _fast_percent,
    FieldType.CHOICE: _fast_none,
}


def _rejection_type(field: Field) -> str:
    return {
        FieldType.DATE: "date-invalide",
        FieldType.PERCENT: "pourcentage-invalide",
        FieldType.CHOICE: "valeur-hors-liste",
    }.get(field.type, "nombre-invalide")


def _placeholder(value: Any, issue_type: str) -> None:
    """« NC », « - », « ? »: nothing to read; say so rather than « not a number »."""
    if not isinstance(value, str):
        return
    key = fold(value)  # dashes and underscores fold to nothing: « - », « -- », « __ »
    if key in PLACEHOLDERS or not key:
        reason = (
            f"« {clean_spaces(value)} » ne donne aucune valeur : si elle n'est pas connue, "
            "laissez la cellule vide"
        )
        raise Rejected(Problem(issue_type, reason))


def _text(value: Any, field: Field) -> str:
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g").replace(".", ",")
    text = str(value).replace("\u00a0", " ").replace("\u202f", " ")
    text = strip_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))
    if field.type is FieldType.LONG_TEXT:
        return text.strip()
    text = clean_spaces(text.replace("\n", " "))  # a one-line field: Alt+Entrée is a space
    return _code(text) if field.type is FieldType.CODE else text


def _code(text: str) -> str:
    """An action code in its one written form, when it is one: « a 03,2 » -> A3.2."""
    match = _CODE.match(text.replace(" ", "").upper())
    return action_code(int(match[1]), int(match[2])) if match else text


def _date(value: Any, field: Field) -> dt.date:
    day = _any_date(value)
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        raise Rejected(Problem("date-invalide", f"l'année {day.year} n'est pas vraisemblable"))
    return day


def _any_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        raise Rejected(Problem("date-invalide", "c'est une heure, pas une date"))
    if isinstance(value, dt.timedelta):
        raise Rejected(Problem("date-invalide", "c'est une durée, pas une date"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise Rejected(Problem("date-invalide", "ce nombre n'est pas une date"))
    if isinstance(value, str):
        _placeholder(value, "date-invalide")
        try:
            return parse_date(value)
        except Ambiguous as exc:
            raise Rejected(Problem("valeur-ambigue", str(exc))) from None
        except ParseError as exc:
            raise Rejected(Problem("date-invalide", str(exc))) from None
    raise Rejected(Problem("date-invalide", "ce n'est pas une date"))


def _number(value: Any, field: Field, *, currency: bool = True) -> float:
    if isinstance(value, bool):
        raise Rejected(Problem("nombre-invalide", "VRAI ou FAUX n'est pas un nombre"))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise Rejected(Problem("nombre-invalide", "c'est une date ou une heure, pas un nombre"))
    if isinstance(value, int | float):
        return _finite(value)
    text = str(value)
    _placeholder(text, "nombre-invalide")
    if "%" in text:
        raise Rejected(
            Problem(
                "nombre-invalide", "le signe % n'est pas attendu ici : saisissez le nombre seul"
            )
        )
    try:
        return _finite(parse_number(text, currency=currency))
    except Ambiguous as exc:
        raise Rejected(Problem("valeur-ambigue", str(exc))) from None
    except ParseError as exc:
        raise Rejected(Problem("nombre-invalide", str(exc))) from None


def _finite(number: Any) -> float:
    try:
        result = float(number)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise Rejected(Problem("nombre-invalide", "ce nombre est trop grand"))
    return result


def _integer(value: Any, field: Field) -> int:
    if field.id == "axe" and isinstance(value, str):
        match = _AXIS_WORDS.match(fold(value))
        value = match[1] if match else value
    number = _number(value, field, currency=False)
    if not number.is_integer():
        raise Rejected(Problem("nombre-invalide", "un nombre entier est attendu"))
    return int(number)


def _percent(value: Any, field: Field) -> float:
    if isinstance(value, str):
        text = clean_spaces(value)
        _placeholder(text, "pourcentage-invalide")
        if text.endswith("%"):
            try:
                return _share(float(parse_number(text[:-1], currency=False)) / 100)
            except Ambiguous as exc:
                raise Rejected(Problem("valeur-ambigue", str(exc))) from None
            except ParseError:
                raise Rejected(
                    Problem("pourcentage-invalide", "ce n'est pas un pourcentage")
                ) from None
    try:
        number = _number(value, field, currency=False)
    except Rejected as rejected:
        if rejected.problem.type == "nombre-invalide":
            raise Rejected(replace_type(rejected.problem, "pourcentage-invalide")) from None
        raise
    if 1 < abs(number) < 2 and not number.is_integer():
        # 1,5 typed in a cell not shown in % (extract.as_displayed handles those): 1,5 %
        # as typed, or the share 1,5 (150 %) a value pasted from a % cell keeps.
        shown, as_percent = display_value(number), display_value(number * 100)
        reason = f"{shown} peut se lire {shown} % ou {as_percent} %"
        raise Rejected(Problem("valeur-ambigue", reason))
    return _share(number / 100 if abs(number) > 1 else number)


def replace_type(problem: Problem, issue_type: str) -> Problem:
    """The same problem under another type; the generic reason says what was expected."""
    reason = problem.reason
    if reason in ("ce n'est pas un nombre", "VRAI ou FAUX n'est pas un nombre"):
        reason = "ce n'est pas un pourcentage"
    return dataclasses.replace(problem, type=issue_type, reason=reason)


def _share(share: float) -> float:
    if abs(share) > PERCENT_LIMIT:
        raise Rejected(Problem("pourcentage-invalide", "ce pourcentage dépasse 1 000 %"))
    return share


@cache
def _choice_index(choices: tuple[str | int, ...]) -> dict[str, list[str | int]]:
    index: dict[str, list[str | int]] = {}
    for choice in choices:
        index.setdefault(fold(choice), []).append(choice)
    return index


def _choice(value: Any, field: Field) -> str | int | _Kept:
    """A list value, however it is cased, accented or spaced; a near-miss that can only
    mean one value (``frenchfmt.near_misses``: a final letter, a plural, one letter off)
    is that value, said so; a value the settings' list no longer holds (a renamed
    service) is kept, said so; anything else is refused with the list."""
    if isinstance(value, bool):
        raise Rejected(Problem("valeur-hors-liste", "cette valeur n'est pas dans la liste"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    matches = _choice_index(field.choices).get(fold(value), [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise Rejected(Problem("valeur-ambigue", "plusieurs valeurs de la liste correspondent"))
    if isinstance(value, str):
        near = tuple(dict.fromkeys(near_misses(value, _text_choices(field.choices))))
        if len(near) == 1:
            reason = f"compris comme « {near[0]} », la valeur de la liste la plus proche"
            return _Kept(near[0], Problem("valeur-comprise", reason))
        if near:
            shown = ", ".join(f"« {choice} »" for choice in near)
            reason = f"cette valeur peut correspondre à plusieurs valeurs de la liste ({shown})"
            raise Rejected(Problem("valeur-ambigue", reason))
    if field.settings_list and isinstance(value, str | int):
        reason = (
            "cette valeur ne figure pas dans la liste actuelle ; elle a été gardée telle quelle"
        )
        return _Kept(clean_spaces(str(value)), Problem("valeur-hors-liste-actuelle", reason))
    raise Rejected(Problem("valeur-hors-liste", "cette valeur n'est pas dans la liste"))


@cache
def _text_choices(choices: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple(choice for choice in choices if isinstance(choice, str))


def percent_unit(unit: Any) -> bool:
    """Whether an indicator's unit says its numbers are percentages: a « % » in it (« % »,
    « en % », « % des agents »), or the word (« pourcentage », « pour cent »). The one rule
    for reading, validating and showing an indicator's values."""
    if not isinstance(unit, str):
        return False
    return "%" in unit or " ".join(words(unit)) in _PERCENT_WORDS


_PERCENT_WORDS = frozenset({"pourcentage", "pourcentages", "pourcent", "pour cent"})


def percent_text(value: Any) -> float | None:
    """The number of a text ending with « % » (« 70 % », « 12,5% »), or None."""
    if type(value) is not str:
        return None
    text = clean_spaces(strip_invisible(value))
    if not text.endswith("%"):
        return None
    try:
        return _finite(parse_number(text[:-1].strip(), currency=False))
    except (ParseError, Rejected):
        return None


_CONVERTERS: dict[FieldType, Callable[[Any, Field], Any]] = {
    FieldType.TEXT: _text,
    FieldType.CODE: _text,
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
    if problem.type == "texte-trop-long":
        return "raccourcissez le texte"
    if problem.type == "valeur-pourcentage-douteuse":
        return "si c'est un pourcentage de plus de 1 %, saisissez le nombre seul (par exemple 70)"
    if problem.type == "valeur-pourcentage-unite":
        return (
            "indiquez « % » comme unité de l'indicateur si c'est un pourcentage, sinon "
            "saisissez le nombre seul"
        )
    if field.type is FieldType.DATE:
        return "saisissez une date complète sous la forme JJ/MM/AAAA (par exemple 15/03/2018)"
    if field.type is FieldType.PERCENT:
        return "saisissez un pourcentage de 0 % à 100 % (par exemple 50 %)"
    if field.choices:
        allowed = ", ".join(str(choice) for choice in field.choices)
        if problem.type == "valeur-comprise":
            return f"si ce n'est pas la valeur voulue, choisissez-la dans la liste déroulante ({allowed})"
        if problem.type == "valeur-hors-liste-actuelle":
            return (
                f"si son nom a changé, choisissez le nouveau dans la liste déroulante ({allowed})"
            )
        return f"choisissez une valeur de la liste déroulante ({allowed})"
    if field.type is FieldType.INTEGER:
        return "saisissez un nombre entier (par exemple 3)"
    return (
        "saisissez un nombre, avec une virgule pour les décimales et sans point "
        "(par exemple 12 500 ou 1 234,50)"
    )


def problem_issue(
    file: str, sheet: str, cell: str, field: Field, value: Any, problem: Problem
) -> Issue:
    shown = display_value(value)
    fix = _fix(problem, field)
    return catalogue.issue(
        problem.type, file, sheet=sheet, cell=cell, field=field.id, label=field.label,
        value=shown, found=f"« {shown} » — " if shown else "", reason=problem.reason,
        fix=fix[0].upper() + fix[1:],
    )  # fmt: skip


# -- a whole workbook --------------------------------------------------------------------


def normalise_workbook(data: WorkbookData, settings: Settings) -> WorkbookData:
    """A copy of ``data`` with typed values and an issue for each rejected value; a
    workbook already normalised is returned as it is."""
    if data.normalised:
        return data
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
    axe = axe if isinstance(axe, int) and axe in settings.axis_numbers else None
    name = data.source.name
    issues = list(data.issues)
    for sheet, cell, field, value, problem in problems:
        issue = problem_issue(name, sheet, cell, field, value, problem)
        issues.append(dataclasses.replace(issue, axis=axe))
    return dataclasses.replace(data, fields=fields, tables=tables, issues=issues, normalised=True)


def _normalise_table(
    data: WorkbookData, table: Any, frame: pd.DataFrame, problems: list
) -> pd.DataFrame:
    sheet = data.table_sheets.get(table.name, table.sheet)
    letters = data.table_letters.get(table.name, {})
    values = frame.to_numpy(dtype=object, copy=True)
    rows = list(frame.index)
    found = []  # (row, position, problem entry): reported in reading order
    if table.unit_column in frame.columns:
        _unit_percents(table, frame, values, (sheet, letters, rows), found)
    for position, column in enumerate(frame.columns):
        field = table.column(column)
        fast = _FAST[field.type]
        for offset, value in enumerate(values[:, position].tolist()):
            typed = fast(value, field)
            if typed is _SLOW:
                typed, problem = normalise_value(value, field)
                if problem is not None:
                    cell = f"{letters.get(column, '')}{rows[offset]}"
                    entry = (sheet, cell, field, value, problem)
                    found.append((rows[offset], position, entry))
                values[offset, position] = typed
            elif typed is not value:
                values[offset, position] = typed
    problems.extend(entry for _, _, entry in sorted(found, key=lambda item: item[:2]))
    # Index objects are immutable: the typed frame shares them with the frame as read.
    return pd.DataFrame(values, index=frame.index, columns=frame.columns, dtype=object, copy=False)


def _unit_percents(table: Any, frame: pd.DataFrame, values: Any, place: tuple, found: list) -> None:
    """Numbers of a row with a unit that were typed with « % » (or that the cell shows as
    a percentage, see ``extract.as_displayed``): « 70 % » is 70 in that unit. When the
    row's unit is not « % », 70 is kept and the group told to check the unit."""
    sheet, letters, rows = place
    columns = list(frame.columns)
    unit_at = columns.index(table.unit_column)
    numbers = _decimal_positions(table, tuple(columns))
    units = values[:, unit_at].tolist()
    percent_rows = [offset for offset, unit in enumerate(units) if percent_unit(unit)]
    for position, field in numbers:  # a column at a time: a « % » is rare
        texts = [
            (offset, value)
            for offset, value in enumerate(values[:, position].tolist())
            if type(value) is str and "%" in value
        ]
        for offset, value in texts:
            number = percent_text(value)
            if number is None:
                continue
            values[offset, position] = number
            unit = units[offset]
            if percent_unit(unit):
                continue
            shown = display_value(number)
            if isinstance(unit, str) and clean_spaces(unit):
                reason = (
                    f"la cellule montre un pourcentage alors que l'unité de l'indicateur est "
                    f"« {display_value(unit)} » : {shown} a été retenu"
                )
            else:
                reason = (
                    "la cellule montre un pourcentage mais l'unité de l'indicateur n'est pas "
                    f"indiquée : {shown} a été retenu"
                )
            cell = f"{letters.get(columns[position], '')}{rows[offset]}"
            problem = Problem("valeur-pourcentage-unite", reason)
            found.append((rows[offset], position, (sheet, cell, field, value, problem)))
    for offset in percent_rows:
        _small_shares(values, offset, numbers, (sheet, letters, rows, columns), found)


@cache
def _decimal_positions(table: Any, columns: tuple[str, ...]) -> tuple[tuple[int, Field], ...]:
    """(position, field) of the table's plain number columns (an indicator's values)."""
    fields = {field.id: field for field in table.columns}
    return tuple(
        (position, fields[column])
        for position, column in enumerate(columns)
        if column in fields and fields[column].type is FieldType.DECIMAL
    )


def _small_shares(values: Any, offset: int, numbers: list, place: tuple, found: list) -> None:
    """In an indicator counted in %, a number below 1 beside numbers of 10 and more is
    most likely « 70 % » typed in a cell that kept its number format: LibreOffice stores
    it as 0,7 and shows « 0,7 ». Kept as it is, and the group asked to check."""
    sheet, letters, rows, columns = place
    typed = [
        (position, field, value)
        for position, field in numbers
        if type(value := values[offset, position]) in (int, float)
    ]
    if not typed or max(abs(value) for _, _, value in typed) < 10:
        return
    for position, field, value in typed:
        if 0 < abs(value) < 1:
            as_percent = display_value(value * 100)
            reason = (
                f"l'indicateur est en % et ses autres valeurs sont bien plus grandes : si vous "
                f"avez tapé « {as_percent} % », votre tableur l'a enregistré comme "
                f"{display_value(value)}, valeur gardée telle quelle"
            )
            cell = f"{letters.get(columns[position], '')}{rows[offset]}"
            problem = Problem("valeur-pourcentage-douteuse", reason)
            found.append((rows[offset], position, (sheet, cell, field, value, problem)))
