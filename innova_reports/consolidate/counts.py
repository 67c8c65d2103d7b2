"""The key counts of one period, and the value rules they share with the dashboards.

The synthesis chart « évolution des principaux chiffres » draws four counts per
consolidated period. They are computed here, once, by ``key_counts``: the history
stores them when it saves a period, so a dashboards run reads a number per earlier
month instead of loading and re-reading every earlier snapshot (1.3 s a month at
1,000 action sheets). This module imports neither matplotlib nor the dashboards
package, so the history can use it; the dashboards' views import the value rules
(``as_text``, ``on_track``, …) from here so the tiles and the stored counts agree.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from innova_reports.fields import month_end
from innova_reports.model import Snapshot
from innova_reports.settings import Settings

COUNT_KEYS = ("actions_received", "tasks_done", "tasks_late", "indicators_on_track")


# -- value rules ----------------------------------------------------------------------


def as_date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def as_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def as_text(value: Any) -> str:
    if type(value) is str:  # nearly every value: skip the NA tests
        return value.strip()
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def as_int(value: Any) -> int | None:
    number = as_float(value)
    return None if number is None else int(number)


def as_bool(value: Any) -> bool:
    if value is None:
        return False
    try:
        if pd.isna(value):
            return False
    except (TypeError, ValueError):
        pass
    return bool(value)


def progress_share(baseline: float | None, target: float | None, value: float) -> float | None:
    """Share of the way from baseline to target; the sign of (target - baseline) is the sens."""
    if baseline is None or target is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


def on_track(share, deadline, reporting_date: dt.date, settings: Settings) -> bool | None:
    """On track when the way covered is at least the share of time elapsed.

    Time runs from the first follow-up month to the indicator's deadline (or the last
    follow-up month when it has none); a reached target is always on track.
    """
    if share is None:
        return None
    if share >= 1:
        return True
    start = dt.date.fromisoformat(settings.months[0] + "-01")
    end = deadline or month_end(settings.months[-1])
    if end <= start:
        return share >= 1
    elapsed = (reporting_date - start).days / (end - start).days
    return share >= min(max(elapsed, 0.0), 1.0)


def latest_share(rows: list[dict[str, Any]]) -> float | None:
    """The share of the way reached by an indicator's latest month with a value.

    ``rows``: the indicator's rows in table order (the first one carries its baseline
    and target); a later row for the same month replaces an earlier one.
    """
    values: dict[str, float] = {}
    shares: dict[str, float | None] = {}
    for row in rows:
        month, value = as_text(row.get("mois")), as_float(row.get("valeur"))
        if month and value is not None:
            values[month] = value
            shares[month] = as_float(row.get("part_cible"))
    if not values:
        return None
    latest = max(values)
    share = shares[latest]
    if share is None:
        first = rows[0]
        share = progress_share(
            as_float(first.get("valeur_initiale")), as_float(first.get("cible")), values[latest]
        )
    return share


# -- the counts ------------------------------------------------------------------------


def key_counts(snapshot: Snapshot, settings: Settings) -> dict[str, Any]:
    """The period's key counts over the programme's axes: ``{"period", *COUNT_KEYS}``.

    The same numbers as the sum of the axis tiles of the dashboards: rows of an axis the
    settings do not know are left out, as the axis views leave them out.
    """
    axes = set(settings.axis_numbers)
    tasks = _rows(snapshot, "taches", axes, ("statut", "en_retard"))
    indicators: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
    for row in _rows(snapshot, "indicateurs", axes, _INDICATOR_COLUMNS):
        key = (row["axe"], as_text(row["code_action"]), as_text(row["indicateur"]))
        indicators.setdefault(key, []).append(row)
    on_track_count = sum(
        bool(
            on_track(latest_share(rows), as_date(rows[0]["echeance"]), snapshot.reporting_date,
                     settings)
        )
        for rows in indicators.values()
    )  # fmt: skip
    return {
        "period": snapshot.period,
        "actions_received": len(_rows(snapshot, "actions", axes, ())),
        "tasks_done": sum(as_text(row["statut"]) == "Fait" for row in tasks),
        "tasks_late": sum(as_bool(row["en_retard"]) for row in tasks),
        "indicators_on_track": on_track_count,
    }


_INDICATOR_COLUMNS = (
    "code_action", "indicateur", "mois", "valeur", "part_cible", "valeur_initiale", "cible",
    "echeance",
)  # fmt: skip


def _rows(
    snapshot: Snapshot, name: str, axes: set[int], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The rows of a table whose axis is one of ``axes``, with only ``columns`` (and
    ``axe``, read as the axis views read it); a missing column reads as None."""
    frame = snapshot.tables.get(name)
    if frame is None or frame.empty or "axe" not in frame.columns:
        return []
    numbers = [as_int(value) for value in frame["axe"].tolist()]
    keep = [i for i, number in enumerate(numbers) if number in axes]
    lists = {
        column: frame[column].tolist() if column in frame.columns else [None] * len(numbers)
        for column in columns
    }
    return [{"axe": numbers[i], **{column: lists[column][i] for column in columns}} for i in keep]
