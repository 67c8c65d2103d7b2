"""What a dashboard shows, computed once from a Snapshot as plain picklable data.

The dashboards draw them and the master's « Tableau axe N » sheets chart them, so they
live outside the dashboards package: the consolidation imports no plotting library. The views are built in the main process and handed to the worker processes, so a
worker never touches the history store. Values from the snapshot are normalised
defensively (dates may arrive as ``datetime.date``, ``Timestamp`` or text; numbers as
text or NA) because a dashboard must draw whatever the consolidation kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from innova_reports.consolidate.counts import AxisCounts, axis_counts, indicator_groups, table_rows
from innova_reports.model import DOCUMENT_LABELS, Snapshot
from innova_reports.rules import (
    LATE_STATE,
    NO_STATUS_STATE,
    action_code_key,
    indicator_progress,
    is_done_task,
    is_finished_task,
    return_text,
    weather_rank,
)
from innova_reports.settings import Settings
from innova_reports.values import as_bool, as_date, as_float, as_int, as_text

UPCOMING_DAYS = 30


# -- normalisation ------------------------------------------------------------------


def _rows(frame: pd.DataFrame, axis: int | None = None) -> list[dict[str, Any]]:
    """The table's rows as dicts, only those of ``axis`` when given.

    The frame is filtered before it is turned into dicts: at 1,000 action sheets a
    table holds tens of thousands of rows and each axis needs a sixth of them.
    """
    if frame is None or frame.empty:
        return []
    if axis is not None:
        if "axe" not in frame.columns:
            return []
        frame = frame[_axis_mask(frame["axe"], axis)]
    # column lists zipped into dicts: the same values as to_dict("records"), 2x faster
    columns = list(frame.columns)
    values = [frame[column].tolist() for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _axis_mask(column: pd.Series, axis: int) -> Any:
    """Rows whose axis is ``axis``: vectorised for an integer column, else value by value
    (an axis typed as text or as a float still counts, as ``as_int`` reads it)."""
    if pd.api.types.is_integer_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy() == axis
    return [as_int(value) == axis for value in column.tolist()]


# -- the view objects ---------------------------------------------------------------


@dataclass
class ActionRow:
    code: str
    title: str
    status: str
    weather: str
    completeness: float | None
    updated: dt.date | None
    tasks_done: int = 0
    tasks_total: int = 0
    tasks_late: int = 0


@dataclass
class TaskRow:
    action: str
    name: str
    owner: str
    start: dt.date | None
    end: dt.date | None
    status: str
    progress: float | None
    late: bool
    comment: str

    @property
    def state(self) -> str:
        """Display status: « En retard » overrides the typed status."""
        if self.late:
            return LATE_STATE
        return self.status or NO_STATUS_STATE


@dataclass
class IndicatorView:
    action: str
    name: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    deadline: dt.date | None
    values: list[tuple[str, float]]  # (month "YYYY-MM", value), sorted
    share: float | None  # share of the way reached by the latest value
    on_track: bool | None  # None when it cannot be judged (no value)
    judgement: str = ""  # « dans la trajectoire », « en retard sur… », « pas encore mesurable »

    @property
    def latest(self) -> float | None:
        return self.values[-1][1] if self.values else None

    @property
    def latest_month(self) -> str | None:
        return self.values[-1][0] if self.values else None


@dataclass
class Tiles:
    actions_received: int
    actions_announced: int
    tasks_total: int
    tasks_done: int
    tasks_late: int
    indicators_total: int
    indicators_on_track: int
    indicators_measured: int
    weather: str  # worst weather of the axis' actions, "" when none


@dataclass
class AxisView:
    number: int
    name: str
    short_name: str
    label: str
    group: str
    pilot: str
    period: str
    reporting_date: dt.date
    data_date: dt.date | None
    next_copil: dt.date | None
    roadmap_received: bool
    actions: list[ActionRow]
    tasks: list[TaskRow]
    indicators: list[IndicatorView]
    announced_without_sheet: list[tuple[str, str]]
    changes: list[dict[str, str]]
    completeness: list[dict[str, Any]]
    copil_dates: tuple[dt.date, ...]
    tiles: Tiles

    @property
    def days_to_copil(self) -> int | None:
        if self.next_copil is None:
            return None
        return (self.next_copil - self.reporting_date).days

    @property
    def is_empty(self) -> bool:
        return not self.roadmap_received and not self.actions

    @property
    def late_tasks(self) -> list[TaskRow]:
        late = [task for task in self.tasks if task.late]
        return sorted(late, key=lambda task: (task.end or dt.date.max, task.action))

    @property
    def upcoming_tasks(self) -> list[TaskRow]:
        horizon = self.reporting_date + dt.timedelta(days=UPCOMING_DAYS)
        upcoming = [
            task
            for task in self.tasks
            if not task.late
            and not is_finished_task(task.status)
            and task.end is not None
            and self.reporting_date <= task.end <= horizon
        ]
        return sorted(upcoming, key=lambda task: (task.end, task.action))


def tiles_of(counts: AxisCounts) -> Tiles:
    """The tiles of an axis: its counts (``consolidate.counts``), the worst weather."""
    weathers = [w for w in counts.weathers if weather_rank(w) is not None]
    return Tiles(
        actions_received=counts.actions_received,
        actions_announced=counts.actions_announced,
        tasks_total=counts.tasks,
        tasks_done=counts.tasks_done,
        tasks_late=counts.tasks_late,
        indicators_total=counts.indicators,
        indicators_on_track=counts.indicators_on_track,
        indicators_measured=counts.indicators_measured,
        weather=max(weathers, key=weather_rank) if weathers else "",
    )


# -- building the views ---------------------------------------------------------------


def build_axis_view(snapshot: Snapshot, settings: Settings, number: int) -> AxisView:
    """Everything the dashboard of one axis draws, from the period's snapshot."""
    axis = settings.axis(number)
    roadmaps = _rows(snapshot.table("feuilles_de_route"), number)
    roadmap = roadmaps[0] if roadmaps else {}
    tasks = _tasks(snapshot, number)
    actions = _actions(snapshot, number, tasks)
    dates = [
        as_date(row.get("date_maj")) for row in [roadmap, *_rows(snapshot.table("actions"), number)]
    ]
    dates = [d for d in dates if d is not None]
    return AxisView(
        number=number,
        name=axis.name,
        short_name=axis.short_name,
        label=axis.label,
        group=as_text(roadmap.get("groupe")),
        pilot=as_text(roadmap.get("pilote")) or ", ".join(p.name for p in axis.pilots),
        period=snapshot.period,
        reporting_date=snapshot.reporting_date,
        data_date=max(dates) if dates else None,
        next_copil=next_copil(settings, snapshot.reporting_date),
        roadmap_received=bool(roadmap),
        actions=actions,
        tasks=tasks,
        indicators=_indicators(snapshot, settings, number),
        announced_without_sheet=_announced_without_sheet(snapshot, number, actions),
        changes=[
            {k: as_text(v) for k, v in row.items()}
            for row in _rows(snapshot.table("evolutions"), number)
        ],
        completeness=_completeness(snapshot, number),
        copil_dates=settings.copil_dates,
        tiles=tiles_of(axis_counts(snapshot, settings, number)),
    )


def next_copil(settings: Settings, reporting_date: dt.date) -> dt.date | None:
    upcoming = [d for d in settings.copil_dates if d >= reporting_date]
    return min(upcoming) if upcoming else None


def _tasks(snapshot: Snapshot, number: int) -> list[TaskRow]:
    tasks = []
    for row in _rows(snapshot.table("taches"), number):
        progress = as_float(row.get("avancement"))
        tasks.append(
            TaskRow(
                action=as_text(row.get("code_action")),
                name=as_text(row.get("tache")) or "(tâche sans nom)",
                owner=as_text(row.get("responsable")),
                start=as_date(row.get("debut")),
                end=as_date(row.get("fin")),
                status=as_text(row.get("statut")),
                progress=progress,
                late=as_bool(row.get("en_retard")),
                comment=as_text(row.get("commentaire")),
            )
        )
    return tasks


def _actions(snapshot: Snapshot, number: int, tasks: list[TaskRow]) -> list[ActionRow]:
    by_action: dict[str, list[TaskRow]] = {}
    for task in tasks:
        by_action.setdefault(task.action, []).append(task)
    actions = []
    for row in _rows(snapshot.table("actions"), number):
        code = as_text(row.get("code_action"))
        own = by_action.get(code, [])
        actions.append(
            ActionRow(
                code=code,
                title=as_text(row.get("titre")),
                status=as_text(row.get("statut")),
                weather=as_text(row.get("meteo")),
                completeness=as_float(row.get("completude")),
                updated=as_date(row.get("date_maj")),
                tasks_done=sum(is_done_task(task.status) for task in own),
                tasks_total=len(own),
                tasks_late=sum(task.late for task in own),
            )
        )
    return sorted(actions, key=lambda action: action_code_key(action.code))


def _announced_without_sheet(
    snapshot: Snapshot, number: int, actions: list[ActionRow]
) -> list[tuple[str, str]]:
    received = {action.code for action in actions}
    missing = {}
    for row in _rows(snapshot.table("actions_annoncees"), number):
        code = as_text(row.get("code"))
        if code and code not in received:
            missing[code] = as_text(row.get("intitule"))
    return sorted(missing.items(), key=lambda item: action_code_key(item[0]))


def _completeness(snapshot: Snapshot, number: int) -> list[dict[str, Any]]:
    """One row per expected document: received or not, and how complete."""
    shares = {}
    for row in _rows(snapshot.table("feuilles_de_route"), number):
        shares[("feuille_de_route", "")] = as_float(row.get("completude"))
    for row in _rows(snapshot.table("actions"), number):
        shares[("fiche_action", as_text(row.get("code_action")))] = as_float(row.get("completude"))
    rows = []
    for row in _rows(snapshot.table("suivi"), number):
        document = as_text(row.get("document"))
        code = as_text(row.get("code"))
        key = (document, code if document == "fiche_action" else "")
        rows.append(
            {
                "document": DOCUMENT_LABELS.get(document, document),
                "code": code,
                "intitule": as_text(row.get("intitule")),
                "recu": as_bool(row.get("recu")),
                "etat": return_text(row.get("recu"), row.get("etat")),
                "completude": shares.get(key),
            }
        )
    return rows


def _indicators(snapshot: Snapshot, settings: Settings, number: int) -> list[IndicatorView]:
    rows = table_rows(snapshot, "indicateurs", {number}, INDICATOR_VIEW_COLUMNS)
    return [_indicator(group, snapshot, settings) for group in indicator_groups(rows)]


INDICATOR_VIEW_COLUMNS = (
    "code_action", "fichier", "ligne", "indicateur", "unite", "sens", "valeur_initiale",
    "cible", "echeance", "mois", "valeur",
)  # fmt: skip


def _indicator(rows, snapshot: Snapshot, settings: Settings) -> IndicatorView:
    first = rows[0]
    values = {}
    for row in rows:
        month, value = as_text(row.get("mois")), as_float(row.get("valeur"))
        if month and value is not None:
            values[month] = value
    progress = indicator_progress(rows, snapshot.reporting_date, settings)
    return IndicatorView(
        action=as_text(first.get("code_action")),
        name=as_text(first.get("indicateur")) or "(indicateur sans nom)",
        unit=as_text(first.get("unite")),
        direction=as_text(first.get("sens")),
        baseline=as_float(first.get("valeur_initiale")),
        target=as_float(first.get("cible")),
        deadline=as_date(first.get("echeance")),
        values=[(m, values[m]) for m in sorted(values)],
        share=progress.share,
        on_track=progress.on_track,
        judgement=progress.judgement,
    )
