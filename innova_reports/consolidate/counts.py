"""The period's figures per axis: one computation for every output that counts.

The master's Synthèse sheet, its « Tableau axe N » sheets, the dashboards' tiles, the
status page and the key counts the history stores (drawn as « évolution des principaux
chiffres ») all take their numbers from ``axis_counts``, which applies the rules of
``innova_reports.rules``. The history can call it (it imports no plotting library), so
a dashboards run reads one stored row per earlier month instead of every snapshot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.model import Snapshot
from innova_reports.report.issue import Severity
from innova_reports.rules import ON_TRACK, action_code_key, indicator_progress, is_done_task
from innova_reports.settings import Settings
from innova_reports.values import as_bool, as_int, as_text

COUNT_KEYS = ("actions_received", "tasks_done", "tasks_late", "indicators_on_track")
COUNT_LABELS = {
    "actions_received": "Fiches action reçues",
    "tasks_done": "Tâches faites",
    "tasks_late": "Tâches en retard",
    "indicators_on_track": f"Indicateurs {ON_TRACK}",
}  # the words of each key count, on the synthesis chart and the status pages


@dataclass(frozen=True)
class AxisCounts:
    """What is counted of one axis (or of the whole programme)."""

    actions_received: int = 0
    actions_announced: int = 0  # codes announced by the roadmap, or received without it
    roadmaps_received: int = 0  # returned for the period, as the action sheets
    tasks: int = 0
    tasks_done: int = 0
    tasks_late: int = 0
    indicators: int = 0
    indicators_measured: int = 0  # with at least one value
    indicators_on_track: int = 0
    weathers: Counter = field(default_factory=Counter)  # météo -> number of actions


COUNTED_TABLES = ("actions", "actions_annoncees", "taches", "indicateurs", "feuilles_de_route",
                  "suivi")  # fmt: skip


def axis_counts(snapshot: Snapshot, settings: Settings, axis: int | None) -> AxisCounts:
    """The counts of ``axis``; None: the whole programme, over the settings' axes (rows of
    an axis the settings do not know are left out, as every output leaves them out).

    Computed once per snapshot for every output that asks (the master's Synthèse, the
    status page, the tiles: 0.7 s at 1,000 action sheets each time)."""
    frames = [snapshot.tables.get(name) for name in COUNTED_TABLES]
    key = ("axis_counts", axis, settings, snapshot.reporting_date)
    known = snapshot.derived.get(key)
    if known is None or any(a is not b for a, b in zip(known[0], frames, strict=True)):
        known = snapshot.derived[key] = (frames, _count(snapshot, settings, axis))
    return known[1]


def _count(snapshot: Snapshot, settings: Settings, axis: int | None) -> AxisCounts:
    axes = set(settings.axis_numbers) if axis is None else {axis}
    actions = table_rows(snapshot, "actions", axes, ("code_action", "meteo"))
    announced = table_rows(snapshot, "actions_annoncees", axes, ("code",))
    tasks = table_rows(snapshot, "taches", axes, ("statut", "en_retard"))
    indicators = _indicator_counts(snapshot, settings, axis)
    codes = {as_text(row["code"]) for row in announced} | {
        as_text(row["code_action"]) for row in actions
    }
    return AxisCounts(
        actions_received=_returned(snapshot, axes, ACTION, len(actions)),
        roadmaps_received=_returned(
            snapshot, axes, ROADMAP, len(table_rows(snapshot, "feuilles_de_route", axes, ()))
        ),
        actions_announced=len(codes - {""}),
        tasks=len(tasks),
        tasks_done=sum(is_done_task(row["statut"]) for row in tasks),
        tasks_late=sum(as_bool(row["en_retard"]) for row in tasks),
        indicators=indicators[0],
        indicators_measured=indicators[1],
        indicators_on_track=indicators[2],
        weathers=Counter(as_text(row["meteo"]) for row in actions if as_text(row["meteo"])),
    )


def _indicator_counts(
    snapshot: Snapshot, settings: Settings, axis: int | None
) -> tuple[int, int, int]:
    """(indicators, measured, on track) of ``axis``; the programme's are the sum of its
    axes' (an indicator's rows are all of one axis), so the rule runs once per indicator."""
    if axis is None:
        per_axis = [axis_counts(snapshot, settings, number) for number in settings.axis_numbers]
        return (sum(c.indicators for c in per_axis), sum(c.indicators_measured for c in per_axis),
                sum(c.indicators_on_track for c in per_axis))  # fmt: skip
    rows = table_rows(snapshot, "indicateurs", {axis}, INDICATOR_COLUMNS)
    progress = [indicator_progress(group, snapshot.reporting_date, settings)
                for group in indicator_groups(rows)]  # fmt: skip
    return (len(progress), sum(i.latest_value is not None for i in progress),
            sum(bool(i.on_track) for i in progress))  # fmt: skip


def key_counts(snapshot: Snapshot, settings: Settings) -> dict[str, Any]:
    """The period's key counts over the programme: ``{"period", *COUNT_KEYS}``."""
    return key_counts_of(axis_counts(snapshot, settings, None), snapshot.period)


def key_counts_of(counts: AxisCounts, period: str) -> dict[str, Any]:
    """``key_counts`` from the programme's counts already computed."""
    return {"period": period, **{key: getattr(counts, key) for key in COUNT_KEYS}}


def severity_counts(snapshot: Snapshot, axis: int | None) -> dict[str, int]:
    """Erreurs and avertissements recorded for ``axis`` (None: every issue of the period,
    those of no axis included), as the master's Synthèse sheet and the status page show
    them: ``{"erreur": n, "avertissement": n}``."""
    frame = snapshot.tables.get("anomalies")
    counted = {str(Severity.ERROR): 0, str(Severity.WARNING): 0}
    if frame is None or frame.empty:
        return counted
    rows = zip(frame["gravite"].tolist(), _axes(frame["axe"]), strict=True)
    for severity, number in rows:
        if severity in counted and (axis is None or number == axis):
            counted[severity] += 1
    return counted


# -- rows of the snapshot -------------------------------------------------------------

INDICATOR_COLUMNS = (
    "code_action", "fichier", "ligne", "indicateur", "unite", "sens", "valeur_initiale",
    "cible", "echeance", "mois", "valeur",
)  # fmt: skip


def indicator_groups(rows: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows of each indicator (one row of a file's indicator table), in the order of
    the plan: by action code, then by its row in the action sheet."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        key = (
            as_text(row.get("code_action")),
            as_text(row.get("fichier")),
            as_int(row.get("ligne")),
        )
        groups.setdefault(key, []).append(row)
    order = sorted(groups, key=lambda key: (action_code_key(key[0]), key[2] or 0, key[1]))
    return [groups[key] for key in order]


def _returned(snapshot: Snapshot, axes: set[int], kind: str, consolidated: int) -> int:
    """Documents of ``kind`` returned for the period (``suivi.recu``: one not updated
    since the previous consolidation is consolidated, not returned); ``consolidated``
    when the follow-up is not at hand."""
    if "suivi" not in snapshot.tables:
        return consolidated
    rows = table_rows(snapshot, "suivi", axes, ("document", "recu"))
    return sum(as_bool(row["recu"]) for row in rows if row["document"] == kind)


def table_rows(
    snapshot: Snapshot, name: str, axes: set[int], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The rows of a snapshot table whose axis is one of ``axes``, with only ``columns``
    (and ``axe``, read as an integer); a missing column reads as None."""
    frame = snapshot.tables.get(name)
    if frame is None or frame.empty or "axe" not in frame.columns:
        return []
    numbers = _axes(frame["axe"])
    keep = [i for i, number in enumerate(numbers) if number in axes]
    lists = {
        column: frame[column].tolist() if column in frame.columns else [None] * len(numbers)
        for column in columns
    }
    return [{"axe": numbers[i], **{column: lists[column][i] for column in columns}} for i in keep]


def _axes(column: pd.Series) -> list[int | None]:
    if pd.api.types.is_integer_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.tolist()
    return [as_int(value) for value in column.tolist()]
