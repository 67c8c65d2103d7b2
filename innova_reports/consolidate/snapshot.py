"""The period's snapshot, built from the files kept: pure, the batch and settings in.

``build_snapshot`` gives the tables of ``model.snapshot_columns`` (see model.Snapshot):
documents, their tables in long format, the follow-up of expected documents, the
anomalies, the sources, and the changes since the previous period.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from typing import Any

import pandas as pd

from innova_reports.consolidate.evolutions import compute_evolutions
from innova_reports.consolidate.history import table_frame
from innova_reports.consolidate.selection import (
    CONSOLIDATED,
    IGNORED,
    LEFT_OUT,
    Selection,
    record_dicts,
    select_sources,
)
from innova_reports.fields import (
    ACTION,
    ROADMAP,
    FieldType,
    TemplateSpec,
    all_specs,
    month_field_id,
)
from innova_reports.model import (
    DOCUMENT_LABELS,
    FORMAT_LABELS,
    ReadOutcome,
    ReadStatus,
    Snapshot,
    ValidatedBatch,
    snapshot_columns,
)
from innova_reports.report.issue import Issue, sort_issues
from innova_reports.rules import (
    RECEIVED,
    action_code_key,
    is_late,
    return_label,
    return_state,
    target_span,
)
from innova_reports.settings import Settings
from innova_reports.values import plain, plain_list


def build_snapshot(
    batch: ValidatedBatch,
    settings: Settings,
    period: str,
    reporting_date: dt.date,
    previous: Snapshot | None,
    *,
    created: dt.datetime | None = None,
) -> Snapshot:
    """The period's tables, exactly as ``model.snapshot_columns`` (see model.Snapshot)."""
    selection = select_sources(batch, settings)
    columns = snapshot_columns(settings)
    roadmap_spec, action_spec = all_specs(settings)
    builder = _Builder(batch, selection, reporting_date)
    tables = {
        "feuilles_de_route": builder.documents(batch.roadmaps, roadmap_spec,
                                               columns["feuilles_de_route"]),
        "actions": builder.documents(batch.actions, action_spec, columns["actions"]),
        "actions_annoncees": builder.rows("t_actions", roadmap_spec, columns["actions_annoncees"]),
        "taches": builder.rows("t_taches", action_spec, columns["taches"]),
        "indicateurs": builder.indicators(action_spec, settings, period, columns["indicateurs"]),
    }  # fmt: skip
    for name, table in (("acteurs", "t_acteurs"), ("calendrier", "t_calendrier"),
                        ("moyens", "t_moyens"), ("livrables", "t_livrables")):  # fmt: skip
        tables[name] = builder.rows(table, roadmap_spec, columns[name])
    previous_date = previous.reporting_date if previous is not None else None
    tables["suivi"] = table_frame(columns["suivi"], _follow_up(tables, settings, previous_date))
    issues = sort_issues([*batch.issues, *selection.issues])
    tables["anomalies"] = table_frame(columns["anomalies"], issue_rows(issues, selection.axis_of))
    tables["sources"] = table_frame(columns["sources"], _source_rows(batch.outcomes, selection))
    tables["evolutions"] = table_frame(columns["evolutions"], compute_evolutions(previous, tables))
    return Snapshot(
        period=period,
        reporting_date=reporting_date,
        created=created or dt.datetime.now().replace(microsecond=0),
        tables={name: tables[name] for name in columns},
    )


class _Builder:
    """Turns the kept rows of a batch into snapshot tables."""

    def __init__(self, batch: ValidatedBatch, selection: Selection, reporting_date: dt.date):
        self.batch, self.selection, self.reporting_date = batch, selection, reporting_date
        self.filled_tables: dict[str, set[str]] = {
            name: set(frame["fichier"]) if len(frame) else set()
            for name, frame in batch.tables.items()
        }

    def documents(self, frame: pd.DataFrame, spec: TemplateSpec, columns: tuple) -> pd.DataFrame:
        types = {f.id: f.type for f in spec.fields}
        rows = []
        for record in record_dicts(frame):
            if record["fichier"] not in self.selection.kept:
                continue
            record["completude"] = self._completeness(record, spec)
            rows.append([_typed(record.get(c), types.get(c)) for c in columns])
        rows.sort(key=lambda row: row[0] if spec.kind == ROADMAP else action_code_key(row[0]))
        return table_frame(columns, rows, plain_values=True)

    def _completeness(self, record: dict[str, Any], spec: TemplateSpec) -> float:
        filled = sum(_filled(record.get(f.id)) for f in spec.fields)
        filled += sum(record["fichier"] in self.filled_tables.get(t.name, ()) for t in spec.tables)
        return round(filled / (len(spec.fields) + len(spec.tables)), 4)

    def kept_frame(self, table: str) -> pd.DataFrame:
        """The rows of the table that come from kept files."""
        frame = self.batch.tables.get(table)
        if frame is None or frame.empty:
            return pd.DataFrame({"fichier": pd.Series([], dtype=object)})
        files = frame["fichier"].tolist()
        positions = [i for i, name in enumerate(files) if name in self.selection.kept]
        return frame if len(positions) == len(files) else frame.iloc[positions]

    def kept_columns(self, frame: pd.DataFrame, columns: tuple, types: dict) -> dict[str, list]:
        """``kept_frame``'s rows column by column, typed as ``_typed`` types them, with
        each row's axis and action code taken from its file's identity."""
        files = frame["fichier"].tolist()
        values = {
            column: _typed_values(frame[column].tolist(), types.get(column))
            if column in frame.columns else [None] * len(files)
            for column in columns
        }  # fmt: skip
        values["fichier"] = files
        values["axe"] = [self.selection.axis_of[name] for name in files]
        values["code_action"] = [self.selection.code_of.get(name) for name in files]
        return values

    def rows(self, table: str, spec: TemplateSpec, columns: tuple) -> pd.DataFrame:
        types = {f.id: f.type for f in spec.table(table).columns}
        values = self.kept_columns(self.kept_frame(table), columns, types)
        if "en_retard" in columns:
            values["en_retard"] = [is_late(end, status, self.reporting_date)
                                   for end, status in zip(values["fin"], values["statut"], strict=True)]  # fmt: skip
        return _sorted_table(columns, [values[c] for c in columns])

    def indicators(
        self, spec: TemplateSpec, settings: Settings, period: str, columns: tuple
    ) -> pd.DataFrame:
        """Long format: one row per month with a value; months after the period are left
        out (not yet reported); an indicator without any value yet keeps one row, without
        month, so that every output still lists it."""
        types = {f.id: f.type for f in spec.table("t_indicateurs").columns}
        months = [(m, month_field_id(m)) for m in settings.months if m <= period]
        varying = ("mois", "valeur", "part_cible")
        frame = self.kept_frame("t_indicateurs")
        fixed = self.kept_columns(frame, tuple(c for c in columns if c not in varying), types)

        def plain_column(column: str) -> list[Any]:
            return plain_list(frame[column]) if column in frame.columns else [None] * len(frame)

        measures = {field_id: plain_column(field_id) for _, field_id in months}
        raw = {c: plain_column(c) for c in ("sens", "valeur_initiale", "cible")}
        value_type, share_type = types.get("valeur"), types.get("part_cible")
        picks: list[int] = []  # the indicator row of each monthly row
        varied: dict[str, list[Any]] = {"mois": [], "valeur": [], "part_cible": []}
        for i in range(len(fixed["fichier"])):
            span = target_span(raw["sens"][i], raw["valeur_initiale"][i], raw["cible"][i])
            measured = False
            for month, field_id in months:
                value = measures[field_id][i]
                if value is None:
                    continue
                measured = True
                picks.append(i)
                varied["mois"].append(month)
                varied["valeur"].append(_typed(value, value_type))
                share = span.share(value) if span is not None else None
                varied["part_cible"].append(_typed(share, share_type))
            if not measured:
                picks.append(i)
                for column in varying:
                    varied[column].append(None)
        values = [varied[c] if c in varying else [fixed[c][i] for i in picks] for c in columns]
        return _sorted_table(columns, values)


def _sorted_table(columns: tuple, values: list[list[Any]]) -> pd.DataFrame:
    """The snapshot table of these columns (one list each), rows sorted by axis, action,
    file, row and month, as every table of the snapshot is."""
    where = _key_positions(columns)
    count = len(values[0]) if values else 0
    key_of = [values[i] if i >= 0 else [None] * count for i in where]
    prefixes: dict[tuple, tuple] = {}
    keys = []
    for axe, code, name, line, month in zip(*key_of, strict=True):
        prefix = prefixes.get((axe, code, name))
        if prefix is None:
            prefix = prefixes[(axe, code, name)] = (axe or 0, action_code_key(code), str(name))
        keys.append((prefix, line or 0, str(month or "")))
    order = sorted(range(count), key=keys.__getitem__)
    if count > 1:  # each column gathered in C, then the rows zipped
        gather = operator.itemgetter(*order)
        values = [gather(column) for column in values]
    return table_frame(columns, zip(*values, strict=True), plain_values=True)


def _follow_up(
    tables: dict[str, pd.DataFrame], settings: Settings, previous: dt.date | None
) -> list[list[Any]]:
    """One row per expected document: every axis roadmap, every announced or received
    action. ``recu``: returned for this period (``rules.updated_for_period``: a file still
    there from last month is not); ``etat``: what the outputs say of it."""
    roadmaps = {r["axe"]: r for r in record_dicts(tables["feuilles_de_route"])}
    received = {r["code_action"]: r for r in record_dicts(tables["actions"])}
    announced: dict[str, dict[str, Any]] = {}
    for record in record_dicts(tables["actions_annoncees"]):
        if isinstance(record.get("code"), str):
            announced.setdefault(record["code"].strip(), record)

    def row(axis: int, document: str, code: Any, title: Any, got: dict | None) -> list[Any]:
        day = got["date_maj"] if got else None
        state = return_state(got is not None, day, previous)
        return [axis, document, code, title, state == RECEIVED, day,
                got["fichier"] if got else None, return_label(state, day)]  # fmt: skip

    rows = []
    for axis in settings.axes:
        rows.append(row(axis.number, ROADMAP, None, axis.name, roadmaps.get(axis.number)))
        codes = {c for c, r in announced.items() if r["axe"] == axis.number}
        codes |= {c for c, r in received.items() if r["axe"] == axis.number}
        for code in sorted(codes, key=action_code_key):
            got = received.get(code)
            title = announced[code]["intitule"] if code in announced else got["titre"]
            rows.append(row(axis.number, ACTION, code, title, got))
    return rows


def issue_rows(issues: list[Issue], axis_of: dict[str, int]) -> list[list[Any]]:
    """Rows of the ``anomalies`` table, in ``snapshot_columns`` order; each issue goes to
    its file's group (``attribution.axis_clue``, through the selection's ``axis_of``)."""
    return [
        [i.file, i.sheet or None, i.cell or None, i.field or None, i.label or None,
         str(i.severity), i.type, i.value or None, i.message,
         axis_of.get(i.file, i.axis)]
        for i in issues
    ]  # fmt: skip


def _source_rows(outcomes: list[ReadOutcome], selection: Selection) -> list[list[Any]]:
    rows = []
    for outcome in sorted(outcomes, key=lambda o: o.source.name):
        name, data, source = outcome.source.name, outcome.data, outcome.source
        if outcome.status is ReadStatus.IGNORED:
            status = IGNORED
        elif outcome.status is ReadStatus.READ and name in selection.kept:
            status = CONSOLIDATED
        else:
            status = LEFT_OUT
        reason = (
            None if status == CONSOLIDATED else (outcome.reason or selection.left_out.get(name))
        )
        rows.append([name, status, reason or None,
                     DOCUMENT_LABELS.get(data.kind) if data else None,
                     data.version if data else None,
                     FORMAT_LABELS.get(data.format) if data else None, source.sha256, source.size,
                     source.modified.replace(microsecond=0)])  # fmt: skip
    return rows


_UNTOUCHED = frozenset({int, bool, dt.date, type(None)})


def _typed_values(values: list[Any], kind: FieldType | None) -> list[Any]:
    """``_typed`` over a column, the values it would return as they are passed at once
    (nearly all of them: a million cells at 1,000 action sheets)."""
    untouched = _UNTOUCHED
    return [
        value
        if type(value) in untouched
        or (type(value) is str and value and not value[0].isspace())
        or (type(value) is float and value == value)
        else _typed(value, kind)
        for value in values
    ]


def _typed(value: Any, kind: FieldType | None) -> Any:
    value = plain(value)
    if kind is FieldType.DATE and isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _filled(value: Any) -> bool:
    return plain(value) is not None and not (isinstance(value, str) and not value.strip())


_KEY_COLUMNS = ("axe", "code_action", "fichier", "ligne", "mois")


@functools.cache
def _key_positions(columns: tuple) -> tuple[int, ...]:
    return tuple(columns.index(c) if c in columns else -1 for c in _KEY_COLUMNS)
