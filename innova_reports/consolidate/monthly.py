"""Monthly consolidation: from a validated batch to the period's snapshot and outputs.

``build_snapshot`` is pure: which files are consolidated (identity, conflicts), the
snapshot tables of ``model.snapshot_columns``, the changes since the previous period.
``consolidate_period`` runs the whole month under a lock: read, validate, build,
archive the inputs, write the master and the feedback workbooks, then save the history
last, so that a run dying half-way leaves the previous outputs and history intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from innova_reports.consolidate.archive import archive_inputs
from innova_reports.consolidate.evolutions import COMPARED_TABLES, compute_evolutions
from innova_reports.consolidate.history import (
    DEFAULT_NAME,
    EncodedSnapshot,
    History,
    encode_snapshot,
    plain,
    plain_list,
    table_frame,
)
from innova_reports.fields import (
    ACTION,
    ROADMAP,
    FieldType,
    TemplateSpec,
    all_specs,
    is_period,
    month_end,
    month_field_id,
)
from innova_reports.frenchfmt import count_words
from innova_reports.model import (
    DOCUMENT_LABELS,
    ReadOutcome,
    ReadStatus,
    Snapshot,
    ValidatedBatch,
    snapshot_columns,
)
from innova_reports.report.issue import Issue, Severity, has_errors, sort_issues
from innova_reports.settings import Settings
from innova_reports.support import collector
from innova_reports.support.background import Background

Progress = Callable[[str, int, int], None]

CONSOLIDATED, LEFT_OUT, IGNORED = "consolidé", "écarté", "ignoré"
LOCK_NAME = ".innova.lock"
FINISHED_TASK_STATUSES = ("Fait", "Abandonnée")


class ConsolidationError(Exception):
    """A consolidation that cannot run; the message is French."""


class PeriodError(ConsolidationError):
    """A bad ``--period``: a usage error (exit 2)."""


class OutputBusyError(ConsolidationError):
    """Another run holds the output folder's lock."""


# -- which files are consolidated ------------------------------------------------------


@dataclass
class Selection:
    """The files kept, the files left out (with the French reason), and why."""

    kept: set[str] = field(default_factory=set)
    left_out: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    axis_of: dict[str, int] = field(default_factory=dict)
    code_of: dict[str, str] = field(default_factory=dict)


def select_sources(batch: ValidatedBatch, settings: Settings) -> Selection:
    """Keep each readable identity once: the latest ``date_maj``, then the latest file."""
    selection = Selection()
    modified = {o.source.name: o.source.modified for o in batch.outcomes}
    roadmaps = _identified(batch.roadmaps, ROADMAP, settings, selection)
    actions = _identified(batch.actions, ACTION, settings, selection)
    _resolve(roadmaps, "axe", ROADMAP, modified, selection)
    _resolve(actions, "code_action", ACTION, modified, selection)
    for outcome in batch.outcomes:
        name = outcome.source.name
        if outcome.status is ReadStatus.READ and name not in selection.kept:
            selection.left_out.setdefault(name, "aucune donnée consolidable dans ce fichier")
    return selection


def _identified(
    frame: pd.DataFrame, kind: str, settings: Settings, selection: Selection
) -> list[dict[str, Any]]:
    """Rows whose identity can be read; the others are left out with an issue."""
    records = []
    for record in _records(frame):
        name, axis, code = record.get("fichier"), record.get("axe"), record.get("code_action")
        if isinstance(axis, int) and axis in settings.axis_numbers:
            selection.axis_of[name] = axis
        missing = _missing_identity(kind, axis, code, settings)
        if missing:
            reason = f"identité illisible : {missing}"
            selection.left_out[name] = reason
            selection.issues.append(
                Issue(file=name, type="fichier-ecarte", severity=Severity.ERROR,
                      message=f"Ce fichier n'a pas été consolidé ({reason}). Corrigez "
                              "l'identification du document puis renvoyez-le.",
                      axis=selection.axis_of.get(name))
            )  # fmt: skip
            continue
        if kind == ACTION:
            selection.code_of[name] = code
        records.append(record)
    return records


def _missing_identity(kind: str, axis: Any, code: Any, settings: Settings) -> str:
    if not (isinstance(axis, int) and axis in settings.axis_numbers):
        return "numéro d'axe absent ou invalide"
    if kind == ACTION and not (isinstance(code, str) and code.strip()):
        return "code action absent ou invalide"
    return ""


def _resolve(
    records: list[dict[str, Any]],
    key: str,
    kind: str,
    modified: dict[str, dt.datetime],
    selection: Selection,
) -> None:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record[key], []).append(record)
    for identity, group in groups.items():
        group.sort(
            key=lambda r: (_as_date(r.get("date_maj")) or dt.date.min,
                           modified.get(r["fichier"], dt.datetime.min), r["fichier"]),
            reverse=True,
        )  # fmt: skip
        winner = group[0]
        selection.kept.add(winner["fichier"])
        for loser in group[1:]:
            selection.left_out[loser["fichier"]] = f"doublon : remplacé par {winner['fichier']}"
            selection.issues.append(_duplicate_issue(kind, identity, loser, winner))


def _duplicate_issue(kind: str, identity: Any, loser: dict, winner: dict) -> Issue:
    what = f"la feuille de route de l'axe {identity}" if kind == ROADMAP else f"l'action {identity}"
    when = _as_date(winner.get("date_maj"))
    since = f", mis à jour le {when:%d/%m/%Y}" if when else ""
    return Issue(
        file=loser["fichier"], type="doublon", severity=Severity.WARNING,
        message=f"Deux fichiers pour {what} : « {loser['fichier']} » et « {winner['fichier']} ». "
                f"Le plus récent (« {winner['fichier']} »{since}) a été retenu et celui-ci "
                "écarté. Retirez l'ancien fichier du dossier.",
        field="code_action" if kind == ACTION else "axe", axis=winner.get("axe"),
    )  # fmt: skip


# -- the snapshot -----------------------------------------------------------------------


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
    tables["suivi"] = table_frame(columns["suivi"], _follow_up(tables, settings))
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
        for record in _records(frame):
            if record["fichier"] not in self.selection.kept:
                continue
            record["completude"] = self._completeness(record, spec)
            rows.append([_typed(record.get(c), types.get(c)) for c in columns])
        rows.sort(key=lambda row: row[0] if spec.kind == ROADMAP else _code_key(row[0]))
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
            values["en_retard"] = [self._late(end, status)
                                   for end, status in zip(values["fin"], values["statut"], strict=True)]  # fmt: skip
        return _sorted_table(columns, [values[c] for c in columns])

    def _late(self, end: Any, status: Any) -> bool:
        end = _as_date(end)
        return bool(end and status not in FINISHED_TASK_STATUSES and end < self.reporting_date)

    def indicators(
        self, spec: TemplateSpec, settings: Settings, period: str, columns: tuple
    ) -> pd.DataFrame:
        """Long format; months after the period are left out (not yet reported)."""
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
            for month, field_id in months:
                value = measures[field_id][i]
                if value is None:
                    continue
                picks.append(i)
                varied["mois"].append(month)
                varied["valeur"].append(_typed(value, value_type))
                share = span.share(value) if span is not None else None
                varied["part_cible"].append(_typed(share, share_type))
        values = [varied[c] if c in varying else [fixed[c][i] for i in picks] for c in columns]
        return _sorted_table(columns, values)


@dataclass(frozen=True)
class TargetSpan:
    """The way from an indicator's baseline to its target."""

    initial: float
    span: float

    def share(self, value: Any) -> float | None:
        value = plain(value)
        if not _numbers(value):
            return None
        return round((value - self.initial) / self.span, 4) + 0.0  # no "-0.0"


def target_span(direction: Any, initial: Any, target: Any) -> TargetSpan | None:
    """Baseline and span of an indicator that can be judged (see ``share_of_target``)."""
    direction = str(plain(direction) or "").strip().lower()
    initial, target = plain(initial), plain(target)
    if direction not in ("hausse", "baisse") or not _numbers(target):
        return None
    if initial is None:
        if direction == "baisse":
            return None
        initial = 0.0
    if not _numbers(initial):
        return None
    span = target - initial
    if span == 0 or (span < 0) != (direction == "baisse"):
        return None
    return TargetSpan(initial, span)


def share_of_target(direction: Any, initial: Any, target: Any, value: Any) -> float | None:
    """Share of the way from the baseline to the target (1 = reached), respecting ``sens``.

    Without a baseline a rising indicator starts from 0; a falling one cannot be judged.
    A target on the wrong side of the baseline, or equal to it, gives NA.
    """
    span = target_span(direction, initial, target)
    return span.share(value) if span is not None else None


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
            prefix = prefixes[(axe, code, name)] = (axe or 0, _code_key(code), str(name))
        keys.append((prefix, line or 0, str(month or "")))
    order = sorted(range(count), key=keys.__getitem__)
    if count > 1:  # each column gathered in C, then the rows zipped
        gather = operator.itemgetter(*order)
        values = [gather(column) for column in values]
    return table_frame(columns, zip(*values, strict=True), plain_values=True)


def _follow_up(tables: dict[str, pd.DataFrame], settings: Settings) -> list[list[Any]]:
    """One row per expected document: every axis roadmap, every announced or received action."""
    roadmaps = {r["axe"]: r for r in _records(tables["feuilles_de_route"])}
    received = {r["code_action"]: r for r in _records(tables["actions"])}
    announced: dict[str, dict[str, Any]] = {}
    for record in _records(tables["actions_annoncees"]):
        if isinstance(record.get("code"), str):
            announced.setdefault(record["code"].strip(), record)
    rows = []
    for axis in settings.axes:
        got = roadmaps.get(axis.number)
        rows.append([axis.number, ROADMAP, None, axis.name, got is not None,
                     got and got["date_maj"], got and got["fichier"]])  # fmt: skip
        codes = {c for c, r in announced.items() if r["axe"] == axis.number}
        codes |= {c for c, r in received.items() if r["axe"] == axis.number}
        for code in sorted(codes, key=_code_key):
            got = received.get(code)
            title = announced[code]["intitule"] if code in announced else got["titre"]
            rows.append([axis.number, ACTION, code, title, got is not None,
                         got and got["date_maj"], got and got["fichier"]])  # fmt: skip
    return rows


def issue_rows(issues: list[Issue], axis_of: dict[str, int]) -> list[list[Any]]:
    """Rows of the ``anomalies`` table, in ``snapshot_columns`` order."""
    return [
        [i.file, i.sheet or None, i.cell or None, i.field or None, i.label or None,
         str(i.severity), i.type, i.value or None, i.message,
         i.axis if i.axis is not None else axis_of.get(i.file)]
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
                     data.version if data else None, source.sha256, source.size,
                     source.modified.replace(microsecond=0)])  # fmt: skip
    return rows


# -- small helpers ------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain values; column by column (``tolist``), several times
    faster than ``to_dict("records")`` on the 150,000-row tables of 1,000 sheets."""
    if frame is None or frame.empty:
        return []
    columns = list(frame.columns)
    values = [[plain(v) for v in frame.iloc[:, i].tolist()] for i in range(len(columns))]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


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


def _as_date(value: Any) -> dt.date | None:
    value = plain(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _filled(value: Any) -> bool:
    return plain(value) is not None and not (isinstance(value, str) and not value.strip())


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _code_key(code: Any) -> tuple:
    return _code_key_of(str(code or "").strip())


@functools.lru_cache(maxsize=65_536)  # a code is sorted once per row of its action
def _code_key_of(code: str) -> tuple:
    match = _CODE.match(code)
    return (0, int(match[1]), int(match[2]), "") if match else (1, 0, 0, code)


_CODE = re.compile(r"^A(\d+)\.(\d+)$")
_KEY_COLUMNS = ("axe", "code_action", "fichier", "ligne", "mois")


@functools.cache
def _key_positions(columns: tuple) -> tuple[int, ...]:
    return tuple(columns.index(c) if c in columns else -1 for c in _KEY_COLUMNS)


# -- the monthly run ---------------------------------------------------------------------


@dataclass
class ConsolidationResult:
    period: str
    snapshot: Snapshot
    batch: ValidatedBatch  # outcomes, single fields and issues; table frames released
    period_dir: Path
    master_path: Path
    feedback_paths: dict[int, Path]
    history_path: Path
    archived: list[Path]
    issues: list[Issue]
    counts: dict[str, int]  # files found / consolidated / left out / ignored
    issues_by_axis: dict[int | None, Counter]
    strict: bool = False

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)

    @property
    def failed(self) -> bool:
        """True when ``--strict`` asks for exit 1: some *erreur* in the batch."""
        return self.strict and self.has_errors


def check_period(period: str, settings: Settings, today: dt.date | None = None) -> None:
    if not is_period(period):
        raise PeriodError(
            f"période invalide « {period} » : un mois au format AAAA-MM est attendu "
            "(par exemple 2018-05)."
        )
    if period not in settings.months:
        raise PeriodError(
            f"la période {period} est hors du suivi du programme "
            f"({settings.months[0]} à {settings.months[-1]}, clés « suivi.* » des paramètres)."
        )
    today = today or dt.date.today()
    if period > f"{today:%Y-%m}":
        raise PeriodError(f"la période {period} n'a pas encore commencé.")


def reporting_date_of(period: str, today: dt.date | None = None) -> dt.date:
    """The last day of the period, or today when the period is the current month."""
    today = today or dt.date.today()
    return today if f"{today:%Y-%m}" == period else month_end(period)


_HELD_LOCKS: set[Path] = set()


@contextlib.contextmanager
def output_lock(output_dir: Path) -> Iterator[None]:
    """Refuse a second run on the same output folder while one is going.

    Re-entrant within one process, so that ``run`` may hold the lock around the whole
    month while calling ``consolidate_period``.
    """
    from filelock import FileLock, Timeout

    path = (Path(output_dir) / LOCK_NAME).resolve()
    if path in _HELD_LOCKS:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputBusyError(
            f"une autre exécution est déjà en cours sur le dossier {output_dir} "
            f"(verrou {path.name}). Attendez qu'elle se termine, puis relancez."
        ) from None
    _HELD_LOCKS.add(path)
    try:
        yield
    finally:
        _HELD_LOCKS.discard(path)
        lock.release()


def folder_paths(workbooks_dir: Path) -> list[Path]:
    """Every file under the folder, sub-folders included, in reading order."""
    from innova_reports.read.workbook import discover

    if not Path(workbooks_dir).is_dir():
        raise ConsolidationError(f"dossier des classeurs introuvable : {workbooks_dir}")
    return [getattr(found, "path", found) for found in discover(Path(workbooks_dir))]


def consolidate_period(
    settings: Settings,
    period: str,
    *,
    workbooks_dir: Path = Path("workbooks"),
    output_dir: Path = Path("output"),
    strict: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ConsolidationResult:
    """The whole month: read, validate, consolidate, archive, write outputs, then history.

    ``workers``: processes reading the files (default: one per core for a large folder,
    see ``batch_read``); the outputs are the same whatever their number."""
    from innova_reports.pipeline.batch import read_and_validate
    from innova_reports.xlsx.feedback import write_feedback
    from innova_reports.xlsx.master import axis_views, write_master

    check_period(period, settings, today)
    output_dir, period_dir = Path(output_dir), Path(output_dir) / period
    with output_lock(output_dir), collector.paused():
        paths = folder_paths(Path(workbooks_dir))

        def tick(done: int, total: int) -> None:
            _tick(progress, "Lecture et contrôle des classeurs", done, total)

        history = History(output_dir / DEFAULT_NAME)
        previous: list[Snapshot | None] = []

        def load_previous() -> None:  # while the workers read: this process would wait
            previous.append(history.previous(period, COMPARED_TABLES))

        batch = read_and_validate(paths, settings, period=period, today=today,
                                  root=Path(workbooks_dir), workers=workers, progress=tick,
                                  meanwhile=load_previous)  # fmt: skip
        _tick(progress, "Consolidation", 0, 1)
        snapshot = build_snapshot(
            batch, settings, period, reporting_date_of(period, today), previous[0]
        )
        issues = sort_issues([*batch.issues, *select_sources(batch, settings).issues])
        batch = _without_file_frames(batch)
        steps = ("Archivage des fichiers", "Classeur maître", "Retours aux groupes", "Historique")
        _tick(progress, steps[0], 0, 4)
        # on the other core (background): the views of the master's chart sheets, then
        # the archive and the history's encoding; the master here, then the feedback
        # (as before: no new feedback beside an old master). The history is stored last,
        # once every output is written.
        with Background() as side:
            views = side.submit(axis_views, snapshot, settings)
            outputs = side.submit(side_outputs, batch.outcomes, period_dir, snapshot, settings)
            side.start()
            _tick(progress, steps[1], 1, 4)
            master = write_master(period_dir / f"plan_actions_{period}.xlsx", snapshot, settings,
                                  views=views.result)  # fmt: skip
            _tick(progress, steps[2], 2, 4)
            feedback = write_feedback(period_dir, snapshot, settings)
            archived, encoded = outputs.result()
        _tick(progress, steps[3], 3, 4)
        history.store(encoded)
        _tick(progress, "Terminé", 4, 4)
    return ConsolidationResult(
        period=period, snapshot=snapshot, batch=batch, period_dir=period_dir,
        master_path=master, feedback_paths=feedback, history_path=history.path,
        archived=archived, issues=issues, counts=_counts(snapshot),
        issues_by_axis=_issues_by_axis(snapshot), strict=strict,
    )  # fmt: skip


def side_outputs(
    outcomes: list[ReadOutcome], period_dir: Path, snapshot: Snapshot, settings: Settings
) -> tuple[list[Path], EncodedSnapshot]:
    """What the month does beside the master: the archive of the inputs, and the
    snapshot encoded for the history (stored by the caller, last). Top-level: it runs
    in a forked child (``Background``)."""
    archived = archive_inputs(outcomes, period_dir / "archive")
    return archived, encode_snapshot(snapshot, settings)


def _without_file_frames(batch: ValidatedBatch) -> ValidatedBatch:
    """The batch without its table frames once the snapshot is built from them: what is
    left is what the reports read (``validate.without_file_frames``)."""
    from innova_reports.validate.batch import without_file_frames

    return replace(without_file_frames(batch), tables={})


def _tick(progress: Progress | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)


def _counts(snapshot: Snapshot) -> dict[str, int]:
    statuses = Counter(snapshot.table("sources")["statut"])
    return {
        "trouves": int(sum(statuses.values())),
        "consolides": int(statuses.get(CONSOLIDATED, 0)),
        "ecartes": int(statuses.get(LEFT_OUT, 0)),
        "ignores": int(statuses.get(IGNORED, 0)),
    }


def _issues_by_axis(snapshot: Snapshot) -> dict[int | None, Counter]:
    by_axis: dict[int | None, Counter] = {}
    for record in _records(snapshot.table("anomalies")):
        by_axis.setdefault(record["axe"], Counter())[record["gravite"]] += 1
    return by_axis


def summary_lines(result: ConsolidationResult, settings: Settings) -> list[str]:
    """The French summary printed at the end of the run (stdout)."""
    counts, period_dir = result.counts, result.period_dir
    lines = [
        f"Consolidation de la période {result.period} "
        f"(arrêtée au {result.snapshot.reporting_date:%d/%m/%Y})",
        f"  Fichiers trouvés : {counts['trouves']} — consolidés : {counts['consolides']}, "
        f"écartés : {counts['ecartes']}, ignorés : {counts['ignores']}",
        "  Anomalies par groupe :",
    ]
    for axis in [*settings.axis_numbers, None]:
        found = result.issues_by_axis.get(axis, Counter())
        if axis is None and not found:
            continue
        label = f"Axe {axis}" if axis is not None else "Sans axe"
        lines.append(
            f"    {label} : {count_words(found.get('erreur', 0), 'erreur')}, "
            f"{count_words(found.get('avertissement', 0), 'avertissement')}, "
            f"{count_words(found.get('info', 0), 'information')}"
        )
    feedback = count_words(len(result.feedback_paths), "fichier de retour", "fichiers de retour")
    archived = count_words(len(result.archived), "fichier archivé", "fichiers archivés")
    lines += [
        "  Fichiers produits :",
        f"    {result.master_path}",
        f"    {period_dir / 'retours'} ({feedback})",
        f"    {period_dir / 'archive'} ({archived})",
        f"    {result.history_path}",
    ]
    return lines
