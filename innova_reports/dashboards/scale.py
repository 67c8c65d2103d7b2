"""What an axis dashboard shows when the axis is large: bounded, legible, and said so.

An axis may hold hundreds of actions and thousands of tasks. A page with a thousand
Gantt bars is unreadable and costs minutes to draw, so the dashboard shows the most
useful part (the actions furthest behind, the first indicators, the first late tasks),
says in French how many are left out, and points to the master workbook that holds
them all. The cost of an axis is then bounded, not linear in its tasks.
"""

from __future__ import annotations

from collections import Counter
from typing import TypeVar

from innova_reports.fields import TASK_STATUS
from innova_reports.fields import Meaning as M
from innova_reports.frenchfmt import format_measure
from innova_reports.rules import LATE_STATE, NO_STATUS_STATE, action_code_key, is_done_task
from innova_reports.views import AxisView, TaskRow

GANTT_TASKS_MAX = 40  # above this, the Gantt shows one bar per action
GANTT_ROWS_MAX = 24  # bars of the Gantt at most (one page)
ACTIONS_CHARTED = 30  # actions in the task-status chart
STATUS_SHARES_PAGE = 6  # above this many actions, the task-status chart has its own page
TABLE_ROWS_MAX = 30  # rows of a text table (actions, late tasks, documents…)
INDICATORS_MAX = 48  # indicators in the progress chart (three pages)
TRENDS_MAX = 42  # small multiples of indicator trends (seven pages): 40 are all shown
PNG_INDICATORS_MAX = 24  # the PNG charts of the HTML page and the mail stay small
PNG_TRENDS_MAX = 12

# The state shown for an action's bar: the most pressing state among its tasks.
ACTION_STATE_PRIORITY = (
    LATE_STATE, TASK_STATUS.value(M.IN_PROGRESS), TASK_STATUS.value(M.NOT_STARTED),
    NO_STATUS_STATE, TASK_STATUS.value(M.DONE), TASK_STATUS.value(M.ABANDONED),
)  # fmt: skip
MASTER_HINT = "voir le classeur maître"

T = TypeVar("T")


def capped(items: list[T], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` items and how many are left out."""
    return items[:limit], max(len(items) - limit, 0)


def more_line(hidden: int, what: str, where: str = "") -> str:
    """« … et 1 234 autres actions : voir le classeur maître (feuille Tâches). »"""
    place = f" (feuille {where})" if where else ""
    return f"… et {format_measure(hidden, 0)} {what} : {MASTER_HINT}{place}."


def task_counts(tasks: list[TaskRow]) -> Counter:
    """Tasks per (action, display state), counted once."""
    return Counter((task.action, task.state) for task in tasks)


def charted_actions(codes: list[str], tasks: list[TaskRow], limit: int) -> tuple[list[str], int]:
    """Actions of the task-status chart: all of them in code order when they fit, else
    the ``limit`` with the most late tasks (then the most tasks), furthest behind first."""
    counts = task_counts(tasks)
    present = {action for action, _ in counts}
    ordered = [c for c in codes if c in present] + sorted(present - set(codes))
    if len(ordered) <= limit:
        return ordered, 0
    totals = Counter(task.action for task in tasks)
    rank = sorted(ordered, key=lambda c: (-counts[c, LATE_STATE], -totals[c], action_code_key(c)))
    return rank[:limit], len(ordered) - limit


def gantt_rows(view: AxisView) -> tuple[list[TaskRow], int, bool]:
    """Rows of the Gantt, how many are left out, and whether a row is an action.

    Up to GANTT_TASKS_MAX tasks, one bar per task; beyond, one bar per action, from its
    earliest start to its latest end, in the most pressing state of its tasks.
    """
    if len(view.tasks) <= GANTT_TASKS_MAX:
        return view.tasks, 0, False
    spans = action_spans(view.tasks)
    if len(spans) > GANTT_ROWS_MAX:
        late = Counter(task.action for task in view.tasks if task.late)
        spans = sorted(spans, key=lambda s: (-late[s.action], action_code_key(s.action)))
    shown, hidden = capped(spans, GANTT_ROWS_MAX)
    return shown, hidden, True


def action_spans(tasks: list[TaskRow]) -> list[TaskRow]:
    """One summary row per action, in code order (a TaskRow, so the Gantt draws it)."""
    grouped: dict[str, list[TaskRow]] = {}
    for task in tasks:
        grouped.setdefault(task.action, []).append(task)
    spans = []
    for code in sorted(grouped, key=action_code_key):
        own = grouped[code]
        starts = [d for t in own for d in (t.start, t.end) if d is not None]
        states = {t.state for t in own}
        state = next(s for s in (*ACTION_STATE_PRIORITY, *sorted(states)) if s in states)
        done = sum(is_done_task(t.status) for t in own)
        spans.append(TaskRow(
            action=code, name=f"{len(own)} tâches, {done} faites", owner="",
            start=min(starts) if starts else None, end=max(starts) if starts else None,
            status=state, progress=None, late=state == "En retard", comment="",
        ))  # fmt: skip
    return spans
