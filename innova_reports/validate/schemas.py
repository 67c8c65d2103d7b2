"""Pandera schemas of the returned workbooks, derived from the field dictionary.

What a schema *is* lives here; how a batch is checked and how failures become French
issues lives in ``validate``. Every check is named after the stable issue type it
reports, and each rule's severity is declared in ``RULES`` right beside it, so a failure
case (``schema_context, column, check, failure_case, index``) maps to an issue without
reading pandera's English.

Schemas validate *normalised* frames: object columns holding typed Python values
(``str``, ``datetime.date``, ``int``, ``float``) and ``None`` where empty. Type checks
are a safety net behind the normaliser; the programme rules are the real content.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from innova_reports.fields import (
    ACTION,
    DIRECTION,
    MILESTONE_STATUS,
    ROADMAP,
    Field,
    FieldType,
    Meaning,
    month_of_field_id,
    template_spec,
)
from innova_reports.report import catalogue
from innova_reports.report.issue import Severity
from innova_reports.rules import action_code_parts, is_done_task
from innova_reports.settings import Settings

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# pandera's own name for a null in a non-nullable column.
NOT_NULLABLE = "not_nullable"
# Validation-only column of the roadmap frame: rows of its t_actions table.
ANNOUNCED_ACTIONS = "nb_actions"


@dataclass(frozen=True)
class Rule:
    """One programme rule: the issue type it reports and how serious it is (the
    type's severity in the catalogue)."""

    type: str

    @property
    def severity(self) -> Severity:
        return catalogue.default_severity(self.type)


RULES: dict[str, Rule] = {
    type: Rule(type)
    for type in (
        "champ-obligatoire", "type-invalide", "valeur-hors-liste", "code-action-invalide",
        "code-action-axe-incoherent", "fin-avant-debut", "date-maj-future",
        "date-maj-avant-programme", "avancement-hors-bornes", "tache-faite-incomplete",
        "cible-incoherente", "valeur-mois-non-numerique", "valeur-mois-futur",
        "nombre-actions-annoncees", "montant-negatif", "date-realisee-future",
        "jalon-atteint-sans-date",
        "controle-impossible",  # any pandera failure we did not foresee
    )
}  # fmt: skip
CHECK_TO_TYPE = {NOT_NULLABLE: "champ-obligatoire"}


def rule_for_check(check: str) -> Rule:
    """The rule behind a pandera failure case's ``check`` column."""
    return RULES.get(CHECK_TO_TYPE.get(check, check), RULES["controle-impossible"])


@dataclass(frozen=True)
class BatchSchemas:
    """The schemas of one validation run (they depend on today and the period)."""

    roadmap: pa.DataFrameSchema
    action: pa.DataFrameSchema
    tables: dict[str, pa.DataFrameSchema]
    today: dt.date
    period: str


def wide_check_target(schema: pa.DataFrameSchema, check: str) -> str | None:
    """The field whose cell a failed wide (row-level) check names."""
    return (schema.metadata or {}).get("targets", {}).get(check)


@cache
def build_schemas(settings: Settings, *, today: dt.date, period: str) -> BatchSchemas:
    """Every schema of a batch; cached because building them costs more than using them."""
    context = _Context(settings, today, period)
    roadmap, action = template_spec(ROADMAP, settings), template_spec(ACTION, settings)
    tables = {
        table.name: _table_schema(table.name, table.columns, context)
        for spec in (roadmap, action)
        for table in spec.tables
    }
    return BatchSchemas(
        roadmap=_single_schema(ROADMAP, roadmap.fields, context),
        action=_single_schema(ACTION, action.fields, context),
        tables=tables,
        today=today,
        period=period,
    )


@dataclass(frozen=True)
class _Context:
    settings: Settings
    today: dt.date
    period: str


# -- schemas ------------------------------------------------------------------------------


def _single_schema(kind: str, fields: Iterable[Field], context: _Context) -> pa.DataFrameSchema:
    columns = {f.id: _column(kind, f, context) for f in fields}
    checks, targets = [], {}
    if kind == ROADMAP:
        low, high = context.settings.announced_actions
        columns[ANNOUNCED_ACTIONS] = pa.Column(
            checks=[_element("nombre-actions-annoncees", lambda n: low <= n <= high)]
        )
    else:
        checks.append(_code_matches_axis("code_action", context.settings.axis_numbers))
        targets["code-action-axe-incoherent"] = "code_action"
    return pa.DataFrameSchema(
        columns, checks=checks, name=kind, metadata={"targets": targets}, strict=False
    )


def _table_schema(name: str, fields: Iterable[Field], context: _Context) -> pa.DataFrameSchema:
    columns = {f.id: _column(name, f, context) for f in fields}
    checks, targets = [], {}
    for rule_type, target, check in _wide_checks(name, context.settings.axis_numbers):
        checks.append(check)
        targets[rule_type] = target
    return pa.DataFrameSchema(
        columns, checks=checks, name=name, metadata={"targets": targets}, strict=False
    )


# Rules the templates' status panel also shows (template/panel.py): declared once here.
DATE_ORDER = {"t_taches": ("debut", "fin")}  # table -> (start, end): end not before start
PERCENT_BOUNDS = (0, 1)  # a percentage field holds a share from 0 % to 100 %


def _wide_checks(table: str, axes: tuple[int, ...]) -> list[tuple[str, str, pa.Check]]:
    """Row rules spanning several columns: (issue type, field named, check)."""
    if table == "t_actions":
        return [("code-action-axe-incoherent", "code", _code_matches_axis("code", axes))]
    if table == "t_taches":
        start, end = DATE_ORDER[table]
        return [
            ("fin-avant-debut", end, _rowwise("fin-avant-debut", (start, end), _le)),
            ("tache-faite-incomplete", "avancement",
             _rowwise("tache-faite-incomplete", ("statut", "avancement"), _done_is_complete)),
        ]  # fmt: skip
    if table == "t_indicateurs":
        columns = ("sens", "valeur_initiale", "cible")
        return [("cible-incoherente", "cible", _rowwise("cible-incoherente", columns, _towards))]
    if table == "t_calendrier":
        check = _rowwise(
            "jalon-atteint-sans-date", ("statut", "date_realisee"), _reached_dated, na=True
        )
        return [("jalon-atteint-sans-date", "date_realisee", check)]
    return []


def _column(owner: str, field: Field, context: _Context) -> pa.Column:
    """A column from its declaration: required → not null, type, closed list, rules."""
    month = month_of_field_id(field.id)
    type_rule = "valeur-mois-non-numerique" if month else "type-invalide"
    checks = [_element(type_rule, _TYPE_TESTS[field.type])]
    if field.choices and not field.settings_list:  # a settings list: the normaliser warns
        allowed = frozenset(field.choices)
        checks.append(_element("valeur-hors-liste", lambda value: value in allowed))
    checks.extend(_field_rules(owner, field, context))
    if month and month > context.period:
        checks.append(_element("valeur-mois-futur", lambda value: False))
    return pa.Column(nullable=not field.required, checks=checks, required=True)


def _field_rules(owner: str, field: Field, context: _Context) -> list[pa.Check]:
    """The programme rules that concern one field on its own."""
    rules: list[pa.Check] = []
    if field.type is FieldType.CODE:
        rules.append(
            _element("code-action-invalide", lambda code: action_code_parts(code) is not None)
        )
    if field.id == "date_maj":
        today, start = context.today, context.settings.start
        rules.append(_element("date-maj-future", lambda day: day <= today))
        rules.append(_element("date-maj-avant-programme", lambda day: day >= start))
    if field.id == "date_realisee":
        today = context.today
        rules.append(_element("date-realisee-future", lambda day: day <= today))
    if field.type is FieldType.PERCENT:
        low, high = PERCENT_BOUNDS
        rules.append(_element("avancement-hors-bornes", lambda share: low <= share <= high))
    if field.type is FieldType.MONEY:
        rules.append(_element("montant-negatif", lambda amount: amount >= 0))
    return rules


# -- checks -------------------------------------------------------------------------------


def _element(name: str, test: Callable[[Any], bool]) -> pa.Check:
    """An element-wise check that never raises: a value of the wrong type passes here
    (the type check reports it) instead of turning into pandera's English."""

    def safe(value: Any) -> bool:
        try:
            return bool(test(value))
        except (TypeError, ValueError, AttributeError):
            return True

    return pa.Check(safe, element_wise=True, name=name, ignore_na=True)


def _rowwise(
    name: str, columns: tuple[str, ...], test: Callable[..., bool], *, na: bool = False
) -> pa.Check:
    """A row check over a few columns; rows with an empty value pass unless ``na``."""

    def check(frame: pd.DataFrame) -> pd.Series:
        rows = zip(*(frame[column] for column in columns), strict=True)
        return pd.Series([_row_ok(test, values, na) for values in rows], index=frame.index)

    return pa.Check(check, name=name, ignore_na=False)


def _row_ok(test: Callable[..., bool], values: tuple[Any, ...], na: bool) -> bool:
    if not na and any(_missing(value) for value in values):
        return True
    try:
        return bool(test(*values))
    except (TypeError, ValueError, AttributeError):
        return True


def _code_matches_axis(code_column: str, axes: tuple[int, ...]) -> pa.Check:
    """A3.2 belongs to axis 3; an axis outside the list has its own issue, not this one."""

    def consistent(code: Any, axis: Any) -> bool:
        parts = action_code_parts(code) if isinstance(code, str) else None
        return parts is None or axis not in axes or parts[0] == int(axis)

    return _rowwise("code-action-axe-incoherent", (code_column, "axe"), consistent)


def _le(first: Any, second: Any) -> bool:
    return first <= second


def _done_is_complete(status: Any, progress: Any) -> bool:
    return not is_done_task(status) or progress >= 1


def _towards(direction: Any, initial: Any, target: Any) -> bool:
    meaning = DIRECTION.meaning(direction)
    if meaning is Meaning.RISING:
        return target > initial
    if meaning is Meaning.FALLING:
        return target < initial
    return True


def _reached_dated(status: Any, realised: Any) -> bool:
    return MILESTONE_STATUS.meaning(status) is not Meaning.REACHED or not _missing(realised)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


_TYPE_TESTS: dict[FieldType, Callable[[Any], bool]] = {
    FieldType.TEXT: lambda value: isinstance(value, str),
    FieldType.CODE: lambda value: isinstance(value, str),
    FieldType.LONG_TEXT: lambda value: isinstance(value, str),
    FieldType.DATE: lambda value: isinstance(value, dt.date) and not isinstance(value, dt.datetime),
    FieldType.INTEGER: lambda value: (
        isinstance(value, numbers.Integral) and not isinstance(value, bool)
    ),
    FieldType.DECIMAL: _is_number,
    FieldType.PERCENT: _is_number,
    FieldType.MONEY: _is_number,
    FieldType.CHOICE: lambda value: isinstance(value, str | int) and not isinstance(value, bool),
}
