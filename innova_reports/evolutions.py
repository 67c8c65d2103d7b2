"""What changed since the previous consolidation, for the *Évolutions* sheet.

Comparisons are made on the snapshots stored in the history, never on files, so a
group that renames or moves its workbook does not make an action "disappear". Values
are compared by their business keys: the action code, the task label within an action,
the indicator label and month within an action.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from innova_reports.fields import month_label
from innova_reports.history import plain
from innova_reports.model import Snapshot
from innova_reports.report import display_value

ACTION, TASK, INDICATOR = "Action", "Tâche", "Indicateur"
DONE = "Fait"

Row = tuple[Any, Any, str, str, str | None, str | None, str]


def compute_evolutions(previous: Snapshot | None, current: dict[str, pd.DataFrame]) -> list[Row]:
    """Rows (axe, code_action, objet, changement, avant, apres, detail).

    ``current`` holds the tables of the period being built (``actions``, ``taches``,
    ``indicateurs``). With no previous snapshot there is nothing to compare: no rows.
    """
    if previous is None:
        return []
    rows = [
        *_action_changes(previous.table("actions"), current["actions"]),
        *_task_changes(previous.table("taches"), current["taches"]),
        *_indicator_changes(previous.table("indicateurs"), current["indicateurs"]),
    ]
    return sorted(rows, key=lambda row: (_sortable(row[0]), str(row[1] or "")))


def _records(frame: pd.DataFrame, key: tuple[str, ...]) -> dict[tuple, dict[str, Any]]:
    """Rows by business key (the first row wins when a key repeats)."""
    records: dict[tuple, dict[str, Any]] = {}
    for record in frame.to_dict("records"):
        record = {name: plain(value) for name, value in record.items()}
        records.setdefault(tuple(record[k] for k in key), record)
    return records


def _action_changes(before: pd.DataFrame, after: pd.DataFrame) -> Iterator[Row]:
    old, new = _records(before, ("code_action",)), _records(after, ("code_action",))
    for key, action in new.items():
        code, axis = key[0], action["axe"]
        if key not in old:
            yield (axis, code, ACTION, "Nouvelle action", None, _text(action["titre"]),
                   "Action reçue pour la première fois.")  # fmt: skip
            continue
        for field, label in (("statut", "Statut modifié"), ("meteo", "Météo modifiée")):
            if old[key][field] != action[field]:
                yield (axis, code, ACTION, label, _text(old[key][field]), _text(action[field]),
                       _text(action["titre"]) or "")  # fmt: skip
    for key, action in old.items():
        if key not in new:
            yield (action["axe"], key[0], ACTION, "Action disparue", _text(action["titre"]),
                   None, "Aucune fiche reçue pour cette action ce mois-ci.")  # fmt: skip


def _task_changes(before: pd.DataFrame, after: pd.DataFrame) -> Iterator[Row]:
    key = ("code_action", "tache")
    old, new = _records(before, key), _records(after, key)
    for task_key, task in new.items():
        was = old.get(task_key)
        if task["en_retard"] and not (was and was["en_retard"]):
            yield (task["axe"], task["code_action"], TASK, "Tâche en retard",
                   None, _text(task["fin"]), f"{task['tache']} : échéance dépassée.")  # fmt: skip
        if task["statut"] == DONE and not (was and was["statut"] == DONE):
            yield (task["axe"], task["code_action"], TASK, "Tâche terminée",
                   _text(was["statut"]) if was else None, DONE, str(task["tache"]))  # fmt: skip


def _indicator_changes(before: pd.DataFrame, after: pd.DataFrame) -> Iterator[Row]:
    key = ("code_action", "indicateur", "mois")
    old, new = _records(before, key), _records(after, key)
    for value_key, value in new.items():
        detail = f"{value['indicateur']} — {month_label(value['mois'])}"
        was = old.get(value_key)
        if was is None:
            yield (value["axe"], value["code_action"], INDICATOR, "Nouvelle valeur",
                   None, _text(value["valeur"]), detail)  # fmt: skip
        elif was["valeur"] != value["valeur"]:
            yield (value["axe"], value["code_action"], INDICATOR,
                   "Valeur modifiée a posteriori", _text(was["valeur"]), _text(value["valeur"]),
                   detail)  # fmt: skip
    followed = {k[0] for k in new}  # actions still reporting indicators
    for value_key, was in old.items():
        if value_key not in new and value_key[0] in followed:
            yield (was["axe"], was["code_action"], INDICATOR, "Valeur supprimée",
                   _text(was["valeur"]), None,
                   f"{was['indicateur']} — {month_label(was['mois'])}")  # fmt: skip


def _text(value: Any) -> str | None:
    text = display_value(plain(value))
    return text or None


def _sortable(axis: Any) -> int:
    return axis if isinstance(axis, int) else 10**6
