"""Validate a batch of returned workbooks at once and explain every problem in French.

Every READ workbook is normalised, then the single fields and each table are
concatenated over the whole batch and validated *once per schema* with ``lazy=True``:
pandera costs about the same per call whatever the size, so a month's forty files cost
nine calls, not three hundred. Each failure case is mapped back to the workbook, sheet
and A1 cell it came from and becomes an ``Issue`` whose message comes from
``messages``; pandera's English never leaves this module. A value with an *erreur* is
blanked (NA) in the returned frames; an *avertissement* keeps its value.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import pandera.pandas as pa

from innova_reports.fields import (
    ACTION,
    MILESTONE_STATUS,
    ROADMAP,
    TASK_STATUS,
    Field,
    FieldType,
    Meaning,
    Table,
    is_period,
    template_spec,
)
from innova_reports.frenchfmt import format_date, month_label, number_range
from innova_reports.model import ReadOutcome, ReadStatus, ValidatedBatch, WorkbookData
from innova_reports.read.normalise import normalise_workbook, percent_unit
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue, Severity, display_value, sort_issues
from innova_reports.settings import Settings
from innova_reports.validate import messages, schemas

# Issues that only restate that a value the normaliser already rejected is missing.
_RESTATING = {"champ-obligatoire", "type-invalide", "valeur-mois-non-numerique"}
# Reader issues saying a field or column could not be found at all: « required but
# empty » would only say it again, less precisely.
_LOST = {"champ-introuvable", "colonne-manquante"}
ANNOUNCED_LABEL = "Actions de l'axe"


@dataclass
class _Frame:
    """A frame to validate, and where each of its rows came from."""

    owner: str  # ROADMAP, ACTION or a table name
    frame: pd.DataFrame  # positional index
    sources: list[tuple[WorkbookData, int | None]]  # (workbook, Excel row) per position
    fields: dict[str, Field]
    sheet: str  # default sheet: main sheet or the table's sheet
    unit_column: str = ""  # the table's column of units (Table.unit_column), if any


@dataclass(frozen=True)
class _Run:
    """What every issue of one validation run needs to know."""

    settings: Settings
    schemas: schemas.BatchSchemas
    known: frozenset[tuple[str, str, str]]  # (file, sheet, cell) already reported
    # (file, table sheet or "" for a single field, field) that the reader could not find
    lost: frozenset[tuple[str, str, str]] = frozenset()


def validate_batch(
    outcomes: list[ReadOutcome],
    settings: Settings,
    *,
    period: str | None = None,
    today: dt.date | None = None,
) -> ValidatedBatch:
    """Normalise and validate every workbook read; list every issue of the batch."""
    today = today or dt.date.today()
    period = period or today.strftime("%Y-%m")
    if not is_period(period):
        raise ValueError(f"période invalide : {period!r} (format attendu AAAA-MM)")
    outcomes = [_normalised(outcome, settings) for outcome in outcomes]
    issues = _outcome_issues(outcomes)
    known = frozenset((i.file, i.sheet, i.cell) for i in issues if i.cell)
    lost = frozenset(
        (i.file, i.sheet if i.type == "colonne-manquante" else "", i.field)
        for i in issues
        if i.type in _LOST and i.field
    )
    run = _Run(settings, schemas.build_schemas(settings, today=today, period=period), known, lost)
    workbooks = [o.data for o in outcomes if o.status is ReadStatus.READ and o.data is not None]

    singles: dict[str, pd.DataFrame] = {}
    for kind, schema in ((ROADMAP, run.schemas.roadmap), (ACTION, run.schemas.action)):
        frame = _single_frame(kind, [w for w in workbooks if w.kind == kind], settings)
        issues += _validate(frame, schema, run)
        singles[kind] = frame.frame.drop(columns=[schemas.ANNOUNCED_ACTIONS], errors="ignore")
    codes = dict(zip(singles[ACTION]["fichier"], singles[ACTION]["code_action"], strict=True))
    tables = {}
    for kind in (ROADMAP, ACTION):
        for table in template_spec(kind, settings).tables:
            own = [w for w in workbooks if w.kind == kind]
            frame = _table_frame(table, kind, own, settings, codes)
            issues += _validate(frame, run.schemas.tables[table.name], run)
            tables[table.name] = _typed(frame.frame, frame.fields)
    return ValidatedBatch(
        outcomes=outcomes,
        roadmaps=_typed(singles[ROADMAP], template_fields(ROADMAP, settings)),
        actions=_typed(singles[ACTION], template_fields(ACTION, settings)),
        tables=tables,
        issues=sort_issues(_unique(issues)),
    )


def merge_batches(batches: Sequence[ValidatedBatch]) -> ValidatedBatch:
    """One batch from the batches of consecutive runs of files, as ``validate_batch``
    of all their files at once gives it: every rule is about one row of one file, so
    validating in parts and concatenating in order changes nothing (tested)."""
    if len(batches) == 1:
        return batches[0]
    names = dict.fromkeys(name for batch in batches for name in batch.tables)
    return ValidatedBatch(
        outcomes=[outcome for batch in batches for outcome in batch.outcomes],
        roadmaps=_concat([batch.roadmaps for batch in batches]),
        actions=_concat([batch.actions for batch in batches]),
        tables={
            name: _concat([b.tables[name] for b in batches if name in b.tables]) for name in names
        },  # fmt: skip
        issues=sort_issues(_unique([issue for batch in batches for issue in batch.issues])),
    )


def without_file_frames(batch: ValidatedBatch) -> ValidatedBatch:
    """The batch without each file's own table frames, once ``batch.tables`` holds them
    all: they were a tenth of the peak memory at 1,000 files, and they are what makes a
    batch slow to hand from one process to another. What is left (each outcome's
    source, status, reason, fields and issues; the batch's frames; the issues) is what
    the consolidation and the reports read."""
    outcomes = [
        replace(o, data=replace(o.data, tables={})) if o.data is not None and o.data.tables else o
        for o in batch.outcomes
    ]
    return replace(batch, outcomes=outcomes)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    filled = [frame for frame in frames if len(frame)]
    if not filled:
        return frames[0]
    return pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0]


def template_fields(kind: str, settings: Settings) -> dict[str, Field]:
    return {f.id: f for f in template_spec(kind, settings).fields}


# -- outcomes -----------------------------------------------------------------------------


def _normalised(outcome: ReadOutcome, settings: Settings) -> ReadOutcome:
    if outcome.status is not ReadStatus.READ or outcome.data is None:
        return outcome
    return replace(outcome, data=normalise_workbook(outcome.data, settings))


def _outcome_issues(outcomes: list[ReadOutcome]) -> list[Issue]:
    """Reader and normaliser issues, plus one issue for a file refused or ignored silently."""
    issues: list[Issue] = []
    for outcome in outcomes:
        own = list(outcome.issues) + (outcome.data.issues if outcome.data else [])
        issues += own
        if outcome.status is ReadStatus.REFUSED and not any(
            i.severity is Severity.ERROR for i in own
        ):
            issues.append(_file_issue(outcome, "fichier-refuse"))
        elif outcome.status is ReadStatus.IGNORED and not own:
            issues.append(_file_issue(outcome, "fichier-ignore"))
    return issues


def _file_issue(outcome: ReadOutcome, issue_type: str) -> Issue:
    return catalogue.issue(issue_type, outcome.source.name, reason=outcome.reason or "sans motif")


def _unique(issues: list[Issue]) -> list[Issue]:
    return list(dict.fromkeys(issues))


# -- frames -------------------------------------------------------------------------------


def _single_frame(kind: str, workbooks: list[WorkbookData], settings: Settings) -> _Frame:
    spec = template_spec(kind, settings)
    fields = template_fields(kind, settings)
    rows = []
    for data in workbooks:
        row: dict[str, Any] = {"fichier": data.source.name}
        row.update({fid: _clean(data.value(fid)) for fid in fields})
        if kind == ROADMAP:
            announced = data.tables.get("t_actions")
            row[schemas.ANNOUNCED_ACTIONS] = 0 if announced is None else len(announced)
        rows.append(row)
    columns = ["fichier", *fields] + ([schemas.ANNOUNCED_ACTIONS] if kind == ROADMAP else [])
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return _Frame(kind, frame, [(data, None) for data in workbooks], fields, spec.main_sheet)


def _table_frame(
    table: Table,
    kind: str,
    workbooks: list[WorkbookData],
    settings: Settings,
    codes: dict[str, Any],
) -> _Frame:
    """The rows of one table over the whole batch, built column by column as plain lists:
    one DataFrame per table, not one per file and a concat (30 times cheaper at 1,000)."""
    fields = {f.id: f for f in table.columns}
    keys = ["fichier", "ligne", "axe"] + (["code_action"] if kind == ACTION else [])
    columns: dict[str, list[Any]] = {name: [] for name in keys + list(fields)}
    sources: list[tuple[WorkbookData, int | None]] = []
    for data in workbooks:
        rows = data.tables.get(table.name)
        if rows is None or rows.empty:
            continue
        lines = [int(r) for r in rows.index]
        count = len(lines)
        columns["fichier"] += [data.source.name] * count
        columns["ligne"] += lines
        columns["axe"] += [_axis(data, settings)] * count
        if kind == ACTION:
            columns["code_action"] += [_clean(codes.get(data.source.name))] * count
        # One conversion per table: selecting a pandas column per field costs more.
        read = dict(zip(rows.columns, rows.to_numpy(dtype=object).T.tolist(), strict=True))
        for fid in fields:
            values = read.get(fid)
            columns[fid] += [None] * count if values is None else [_clean(v) for v in values]
        sources += [(data, line) for line in lines]
    frame = pd.DataFrame(columns, columns=keys + list(fields), dtype=object)
    return _Frame(table.name, frame, sources, fields, table.sheet, table.unit_column)


def _clean(value: Any) -> Any:
    """None for every kind of empty; a date for a datetime (the normaliser's contract)."""
    kind = type(value)
    if kind is str or kind is int:  # the common cases first: nothing to test
        return value
    if kind is float:
        return None if value != value else value
    if value is None or (not isinstance(value, str) and _is_na(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _axis(data: WorkbookData, settings: Settings) -> int | None:
    value = _clean(data.value("axe"))
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and value in settings.axis_numbers:
        return int(value)
    return None


def _typed(frame: pd.DataFrame, fields: dict[str, Field]) -> pd.DataFrame:
    """Numbers as nullable numeric columns for the stages after; the rest stays objects."""
    frame = frame.copy()
    for column in ("ligne", "axe"):
        if column in frame:
            frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for fid, field in fields.items():
        if fid == "axe" or fid not in frame:
            continue
        if field.type is FieldType.INTEGER and not field.choices:
            frame[fid] = pd.array(frame[fid].tolist(), dtype="Int64")
        elif field.type in (FieldType.DECIMAL, FieldType.MONEY, FieldType.PERCENT):
            frame[fid] = pd.array(frame[fid].tolist(), dtype="Float64")
    return frame.reset_index(drop=True)


# -- validation ---------------------------------------------------------------------------


def _validate(frame: _Frame, schema: pa.DataFrameSchema, run: _Run) -> list[Issue]:
    """One pandera call for the whole frame; failures become issues, errors are blanked."""
    if frame.frame.empty:
        return []
    try:
        schema.validate(frame.frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    # The values as validated, column by column: an issue reads its row from plain lists.
    columns = {name: frame.frame[name].tolist() for name in frame.frame.columns}
    issues, blanked = [], []
    for check, column, position in _failure_keys(failures, schema):
        rule = schemas.rule_for_check(check)
        issue = _issue(frame, columns, position, column, rule, run)
        if issue is None:
            continue
        issues.append(issue)
        if rule.severity is Severity.ERROR and column in frame.fields:
            blanked.append((position, column))
    for position, column in blanked:
        frame.frame.at[position, column] = None
    return issues


def _failure_keys(failures: pd.DataFrame, schema: pa.DataFrameSchema) -> list[tuple]:
    """(check, field, position) once each; a wide check names its target field."""
    keys: dict[tuple, None] = {}
    for record in failures.to_dict("records"):
        position, check = record.get("index"), str(record.get("check"))
        if position is None or _is_na(position):
            continue  # not about a row: cannot happen on frames we build ourselves
        if record.get("schema_context") == "DataFrameSchema":
            column = schemas.wide_check_target(schema, check) or record.get("column")
        else:
            column = record.get("column")
        keys[(check, str(column), int(position))] = None
    return list(keys)


def _issue(
    frame: _Frame,
    columns: dict[str, list[Any]],
    position: int,
    column: str,
    rule: schemas.Rule,
    run: _Run,
) -> Issue | None:
    data, row = frame.sources[position]
    sheet, cell = _place(frame, data, column, row, run.settings)
    if rule.type in _RESTATING and (
        (data.source.name, sheet, cell) in run.known
        or (data.source.name, sheet if row is not None else "", column) in run.lost
    ):
        return None
    field = frame.fields.get(column)
    raw = columns[column][position] if column in columns else None
    context = _Context(frame.fields, columns, position, _run_context(run), frame.unit_column)
    value = context.shown(column, raw) if field else display_value(raw)
    context.fixed.update(
        expected=messages.EXPECTED.get(field.type, "une valeur valide") if field else "",
        allowed=", ".join(str(c) for c in field.choices) if field else "",
        **_list_context(rule.type, value, field),
        axis_place=_axis_place(data, sheet),
    )
    return catalogue.issue(
        rule.type, data.source.name, sheet=sheet, cell=cell,
        field=column if field else "t_actions", label=field.label if field else ANNOUNCED_LABEL,
        value=value, axis=_axis(data, run.settings), severity=rule.severity, context=context,
    )  # fmt: skip


def _axis_place(data: WorkbookData, sheet: str) -> str:
    """« (cellule B6) », or with its sheet when it is another: where the document's axis is."""
    raw = data.fields.get("axe")
    if raw is None or not raw.cell:
        return ""
    return (
        f" (cellule {raw.cell})"
        if raw.sheet == sheet
        else f" ({catalogue.where(raw.sheet, raw.cell)})"
    )


def _list_context(issue_type: str, value: str, field: Field | None) -> dict[str, str]:
    """The list check shares the normaliser's message (« Label : « x » — reason. Fix »)."""
    if issue_type != "valeur-hors-liste" or field is None:
        return {}
    allowed = ", ".join(str(c) for c in field.choices)
    return {
        "found": f"« {value} » — " if value else "",
        "reason": "cette valeur n'est pas dans la liste",
        "fix": f"Choisissez une valeur de la liste déroulante ({allowed})",
    }


def _place(
    frame: _Frame, data: WorkbookData, column: str, row: int | None, settings: Settings
) -> tuple[str, str]:
    """The sheet and A1 cell of a value, from the provenance the reader kept."""
    if column == schemas.ANNOUNCED_ACTIONS:
        table = template_spec(ROADMAP, settings).table("t_actions")
        return data.table_sheets.get("t_actions", table.sheet), ""
    if row is None:
        raw = data.fields.get(column)
        return (raw.sheet, raw.cell) if raw else (frame.sheet, "")
    sheet = data.table_sheets.get(frame.owner, frame.sheet)
    letter = data.table_letters.get(frame.owner, {}).get(column)
    return sheet, f"{letter}{row}" if letter else ""


class _Context(Mapping[str, Any]):
    """Every value of the row, shown as typed, plus the run's dates, for the templates.

    A value is shown only when a template asks for it: a row has dozens of fields and a
    message names two or three, and a batch with many issues builds many contexts.
    """

    def __init__(
        self,
        fields: dict[str, Field],
        columns: dict[str, list[Any]],
        position: int,
        fixed: dict[str, Any],
        unit_column: str = "",
    ) -> None:
        self.fields, self.columns, self.position = fields, columns, position
        self.fixed = dict(fixed)
        self.unit_column = unit_column

    def shown(self, key: str, value: Any) -> str:
        """A value of the row as its cell shows it: an indicator's number with « % » when
        its unit is « % »."""
        field = self.fields[key]
        unit = ""
        if self.unit_column and field.type is FieldType.DECIMAL:
            unit = "%" if percent_unit(self._row_value(self.unit_column)) else ""
        return display_value(value, field.type, unit=unit)

    def _row_value(self, key: str) -> Any:
        column = self.columns.get(key)
        return None if column is None else column[self.position]

    def __getitem__(self, key: str) -> Any:
        if key in self.fixed:
            return self.fixed[key]
        if key == "axe":  # shown untyped even where « axe » is a field of the frame
            return display_value(self._row_value("axe"))
        if key in self.fields:
            return self.shown(key, self._row_value(key))
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.fields, "axe", *self.fixed]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self.fields, "axe", *self.fixed]))


@functools.cache
def _dates(today: dt.date, start: dt.date, period: str) -> tuple[tuple[str, str], ...]:
    return (
        ("today", format_date(today)),
        ("start", format_date(start)),
        ("period", month_label(period)),
        ("done", TASK_STATUS.value(Meaning.DONE)),
        ("reached", MILESTONE_STATUS.value(Meaning.REACHED)),
    )


def _run_context(run: _Run) -> dict[str, Any]:
    """The run's dates in French and the programme's facts, computed once per run rather
    than once per issue."""
    low, high = run.settings.announced_actions
    return {
        **dict(_dates(run.schemas.today, run.settings.start, run.schemas.period)),
        "expected_range": number_range(low, high),
    }
