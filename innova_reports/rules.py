"""The business rules every output shares, each written once.

The master workbook, the dashboards, the stored key counts, the booklet, the status
page and the emails all answer the same questions — is this indicator on track, which
is its latest value, is this task late, is it finished, how do action codes sort — by
calling these functions, so that the copil never gets two numbers for one fact.
Values come in as the snapshot holds them (``values`` reads them defensively).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from innova_reports.fields import DIRECTION, TASK_STATUS, WEATHER, Meaning, month_end
from innova_reports.frenchfmt import format_date
from innova_reports.settings import Settings
from innova_reports.values import as_bool, as_date, as_float, as_text, plain

# -- action codes ---------------------------------------------------------------------

ACTION_CODE = re.compile(r"^A(\d+)\.(\d+)$")
"""An action's code: A, the axis number, a dot, the action's number (A3.2)."""


def action_code(axis: int, number: int) -> str:
    """The one written form of an action's code: ``action_code(3, 2)`` is « A3.2 »."""
    return f"A{axis}.{number}"


def action_code_parts(code: Any) -> tuple[int, int] | None:
    """(axis, number) of a well-formed code, None for anything else."""
    match = ACTION_CODE.match(str(code or "").strip())
    return (int(match[1]), int(match[2])) if match else None


def action_code_key(code: Any) -> tuple:
    """Sort key of action codes: A1.2 before A1.10 before A2.1; odd codes last, by text."""
    return _code_key(str(code or "").strip())


@functools.lru_cache(maxsize=65_536)  # a code is sorted once per row of its action
def _code_key(code: str) -> tuple:
    match = ACTION_CODE.match(code)
    return (0, int(match[1]), int(match[2]), "") if match else (1, 0, 0, code)


# -- tasks ----------------------------------------------------------------------------

FINISHED = (Meaning.DONE, Meaning.ABANDONED)
LATE_STATE = "En retard"  # a task's state on the dashboards when it is late
NO_STATUS_STATE = "Sans statut"


def is_done_task(status: Any) -> bool:
    return TASK_STATUS.meaning(plain(status)) is Meaning.DONE


def is_finished_task(status: Any) -> bool:
    """Done or abandoned: nothing more is expected of the task."""
    return TASK_STATUS.meaning(plain(status)) in FINISHED


def is_late(end: Any, status: Any, reporting_date: dt.date) -> bool:
    """Late: not finished, and its end date is before the reporting date."""
    end = as_date(end)
    return bool(end and not is_finished_task(status) and end < reporting_date)


def weather_rank(weather: Any) -> int | None:
    """0 for green, up to red; None for no weather."""
    return WEATHER.rank(as_text(weather))


# -- indicators -----------------------------------------------------------------------

ON_TRACK = "dans la trajectoire"
OFF_TRACK = "en retard sur la trajectoire"
NOT_JUDGED = "pas encore mesurable"
ON_TRACK_DEFINITION = (
    "Indicateur dans la trajectoire : la part du chemin parcouru de la valeur initiale vers "
    "la cible (dernière valeur mesurée) est au moins égale à la part du temps écoulé entre "
    "le premier mois de suivi et l'échéance de l'indicateur (le dernier mois de suivi s'il "
    "n'en a pas) ; une cible atteinte l'est toujours, même après l'échéance."
)


@dataclass(frozen=True)
class TargetSpan:
    """The way from an indicator's baseline to its target."""

    initial: float
    span: float

    def share(self, value: Any) -> float | None:
        value = plain(value)
        if not _number(value):
            return None
        return round((value - self.initial) / self.span, 4) + 0.0  # no "-0.0"


def target_span(direction: Any, initial: Any, target: Any) -> TargetSpan | None:
    """Baseline and span of an indicator that can be judged (see ``share_of_target``)."""
    meaning = DIRECTION.meaning(_direction(direction))
    initial, target = plain(initial), plain(target)
    if meaning is None or not _number(target):
        return None
    if initial is None:
        if meaning is Meaning.FALLING:
            return None
        initial = 0.0
    if not _number(initial):
        return None
    span = target - initial
    if span == 0 or (span < 0) != (meaning is Meaning.FALLING):
        return None
    return TargetSpan(float(initial), float(span))


def share_of_target(direction: Any, initial: Any, target: Any, value: Any) -> float | None:
    """Share of the way from the baseline to the target (1 = reached), respecting ``sens``.

    Without a baseline a rising indicator starts from 0; a falling one cannot be judged.
    A target on the wrong side of the baseline, or equal to it, cannot be judged (None).
    """
    span = target_span(direction, initial, target)
    return span.share(value) if span is not None else None


def latest_measure(rows: Iterable[Mapping[str, Any]]) -> tuple[str, float] | None:
    """(month, value) of the latest follow-up month with a value; for one month, the
    last row read wins."""
    values: dict[str, float] = {}
    for row in rows:
        month, value = as_text(row.get("mois")), as_float(row.get("valeur"))
        if month and value is not None:
            values[month] = value
    if not values:
        return None
    latest = max(values)
    return latest, values[latest]


def on_track(
    share: float | None, deadline: dt.date | None, reporting_date: dt.date, settings: Settings
) -> bool | None:
    """Dans la trajectoire: the way covered is at least the share of time elapsed.

    Time runs from the first follow-up month to the indicator's deadline (the last
    follow-up month when it has none); a reached target is always on track, even after
    the deadline. None when the indicator cannot be judged (no value, no usable target).
    """
    if share is None:
        return None
    if share >= 1:
        return True
    start = dt.date.fromisoformat(settings.months[0] + "-01")
    end = deadline or month_end(settings.months[-1])
    if end <= start:
        return False
    elapsed = (reporting_date - start).days / (end - start).days
    return share >= min(max(elapsed, 0.0), 1.0)


@dataclass(frozen=True)
class IndicatorProgress:
    """Where one indicator stands at the reporting date."""

    latest_month: str | None
    latest_value: float | None
    share: float | None  # of the way to the target reached by the latest value
    on_track: bool | None  # None: cannot be judged

    @property
    def judgement(self) -> str:
        """« dans la trajectoire », « en retard sur la trajectoire » or « pas encore mesurable »."""
        return judgement_of(self.on_track)


def judgement_of(on_track: bool | None) -> str:
    """The words every output uses for the « on track » answer (None: cannot be judged)."""
    if on_track is None:
        return NOT_JUDGED
    return ON_TRACK if on_track else OFF_TRACK


def indicator_progress(
    rows: list[Mapping[str, Any]], reporting_date: dt.date, settings: Settings
) -> IndicatorProgress:
    """The progress of one indicator from its snapshot rows (``indicateurs``: one per
    month with a value, or a single row without month when it has none yet); the first
    row carries its sens, baseline, target and deadline."""
    if not rows:
        return IndicatorProgress(None, None, None, None)
    first = rows[0]
    latest = latest_measure(rows)
    if latest is None:
        return IndicatorProgress(None, None, None, None)
    share = share_of_target(first.get("sens"), first.get("valeur_initiale"), first.get("cible"),
                            latest[1])  # fmt: skip
    deadline = as_date(first.get("echeance"))
    return IndicatorProgress(
        latest[0], latest[1], share, on_track(share, deadline, reporting_date, settings)
    )


def _direction(value: Any) -> Any:
    """« hausse » typed in another case still means Hausse (older snapshots, odd files)."""
    text = as_text(value)
    for choice in DIRECTION.values:
        if text.casefold() == choice.casefold():
            return choice
    return text


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- a month's returns ----------------------------------------------------------------

RECEIVED = "reçu"
NOT_RECEIVED = "non reçu"
NOT_UPDATED = "pas mis à jour"


def updated_for_period(date_maj: Any, previous_reporting_date: dt.date | None) -> bool:
    """A document counts as returned for a period only if it was updated for it: its
    « date de mise à jour » falls after the reporting date of the previous consolidated
    period. So May's file still in the folder when June is consolidated is not June's
    return. The first consolidated period has nothing before it: every document found
    counts; so does one whose date was refused (blank), its *erreur* already says so.
    """
    day = as_date(date_maj)
    if previous_reporting_date is None or day is None:
        return True
    return day > previous_reporting_date


def return_state(found: bool, date_maj: Any, previous_reporting_date: dt.date | None) -> str:
    """A document's state in the follow-up: « reçu », « pas mis à jour » or « non reçu »."""
    if not found:
        return NOT_RECEIVED
    return RECEIVED if updated_for_period(date_maj, previous_reporting_date) else NOT_UPDATED


def return_label(state: Any, date_maj: Any) -> str:
    """What every output says of it: « pas mis à jour depuis le 14/05/2018 »."""
    state = as_text(state) or NOT_RECEIVED
    day = as_date(date_maj)
    if state == NOT_UPDATED and day is not None:
        return f"{NOT_UPDATED} depuis le {format_date(day)}"
    return state


def return_text(received: Any, state_label: Any) -> str:
    """The follow-up's words for a row of ``suivi`` (``etat``; a snapshot stored before
    it existed has only ``recu``)."""
    return as_text(state_label) or (RECEIVED if as_bool(received) else NOT_RECEIVED)
