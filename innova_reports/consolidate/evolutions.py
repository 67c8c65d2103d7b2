"""What changed since the previous consolidation, for the *Évolutions* sheet.

Comparisons are made on the snapshots stored in the history, never on files, so a
group that renames or moves its workbook does not make an action "disappear". Values
are compared by their business keys: the action code, the task label within an action,
the indicator label and month within an action.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from innova_reports.frenchfmt import format_number, month_label
from innova_reports.model import Snapshot
from innova_reports.report.issue import display_value
from innova_reports.rules import is_done_task
from innova_reports.values import plain, plain_list

ACTION, TASK, INDICATOR = "Action", "Tâche", "Indicateur"
COMPARED_TABLES = ("actions", "taches", "indicateurs")  # of the previous snapshot

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


def _records(frame: pd.DataFrame, key: tuple[str, ...], columns: tuple[str, ...]
             ) -> dict[tuple, dict[str, Any]]:  # fmt: skip
    """Rows by business key (the first row wins when a key repeats), plain values of the
    ``columns`` compared and shown only.

    Column by column (``plain_list``) rather than ``to_dict("records")``: the tables of
    1,000 action sheets hold some 150,000 rows, compared twice a month.
    """
    names = list(dict.fromkeys([*key, *columns]))
    values = [plain_list(frame[name]) if name in frame.columns else [None] * len(frame)
              for name in names]  # fmt: skip
    width = len(key)
    records: dict[tuple, dict[str, Any]] = {}
    for row in zip(*values, strict=True):
        row_key = row[:width]
        if row_key not in records:
            records[row_key] = dict(zip(names, row, strict=True))
    return records


def _action_changes(before: pd.DataFrame, after: pd.DataFrame) -> Iterator[Row]:
    key, shown = ("code_action",), ("axe", "titre", "statut", "meteo")
    old, new = _records(before, key, shown), _records(after, key, shown)
    for key, action in new.items():
        code, axis, title = key[0], action["axe"], _text(action["titre"])
        if key not in old:
            yield (axis, code, ACTION, "Nouvelle action", None, title,
                   f"Nouvelle action{_quoted(title)}, reçue pour la première fois")  # fmt: skip
            continue
        for name, label, what in (("statut", "Statut modifié", "Statut"),
                                  ("meteo", "Météo modifiée", "Météo")):  # fmt: skip
            if old[key][name] != action[name]:
                before_text, after_text = _text(old[key][name]), _text(action[name])
                yield (axis, code, ACTION, label, before_text, after_text,
                       f"{what}{_of_action(title)} : {before_text or '(vide)'} → "
                       f"{after_text or '(vide)'}")  # fmt: skip
    for key, action in old.items():
        if key not in new:
            title = _text(action["titre"])
            yield (action["axe"], key[0], ACTION, "Action disparue", title, None,
                   f"Aucune fiche reçue ce mois-ci pour l'action{_quoted(title) or ' ' + key[0]}")  # fmt: skip


def _task_changes(before: pd.DataFrame, after: pd.DataFrame) -> Iterator[Row]:
    key, shown = ("code_action", "tache"), ("axe", "en_retard", "fin", "statut")
    old, new = _records(before, key, shown), _records(after, key, shown)
    for task_key, task in new.items():
        was = old.get(task_key)
        label = f"La tâche « {task['tache']} »"
        if task["en_retard"] and not (was and was["en_retard"]):
            end = _text(task["fin"])
            planned = f" : fin prévue le {end}" if end else ""
            yield (task["axe"], task["code_action"], TASK, "Tâche en retard",
                   None, end, f"{label} est en retard{planned}")  # fmt: skip
        if is_done_task(task["statut"]) and not (was and is_done_task(was["statut"])):
            previous = _text(was["statut"]) if was else None
            since = f" (statut précédent : {previous})" if previous else ""
            yield (task["axe"], task["code_action"], TASK, "Tâche terminée",
                   previous, _text(task["statut"]), f"{label} est terminée{since}")  # fmt: skip


def _indicator_changes(before: pd.DataFrame, after: pd.DataFrame) -> Iterator[Row]:
    key, shown = ("code_action", "indicateur", "mois"), ("axe", "valeur", "unite")
    old, new = _measured(_records(before, key, shown)), _measured(_records(after, key, shown))
    for value_key, value in new.items():
        was = old.get(value_key)
        name, month, unit = value["indicateur"], value["mois"], value.get("unite")
        if was is None:
            yield (value["axe"], value["code_action"], INDICATOR, "Nouvelle valeur",
                   None, _number(value["valeur"]),
                   f"Nouvelle valeur de l'indicateur « {name} » pour {month_label(month)} : "
                   f"{_amount(value['valeur'], unit)}")  # fmt: skip
        elif was["valeur"] != value["valeur"]:
            yield (value["axe"], value["code_action"], INDICATOR,
                   "Valeur modifiée a posteriori", _number(was["valeur"]), _number(value["valeur"]),
                   f"Valeur {_of_month(month)} de l'indicateur « {name} » modifiée après coup : "
                   f"{_number(was['valeur']) or '(vide)'} → {_amount(value['valeur'], unit)}")  # fmt: skip
    followed = {k[0] for k in new}  # actions still reporting indicators
    for value_key, was in old.items():
        if value_key not in new and value_key[0] in followed:
            yield (was["axe"], was["code_action"], INDICATOR, "Valeur supprimée",
                   _number(was["valeur"]), None,
                   f"Valeur {_of_month(was['mois'])} de l'indicateur « {was['indicateur']} » "
                   f"supprimée (elle était de {_amount(was['valeur'], was.get('unite'))})")  # fmt: skip


def _measured(records: dict[tuple, dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """The monthly values only: an indicator without a value yet has a row without month."""
    return {key: row for key, row in records.items() if key[2] is not None}


def _text(value: Any) -> str | None:
    text = display_value(plain(value))
    return text or None


def _number(value: Any) -> str | None:
    """A value as a French reader writes it: « 12 500 », « 12,5 »; text left as it is."""
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _text(value)
    if not math.isfinite(value):
        return None
    digits = format(float(value), ".15g").partition(".")[2].partition("e")[0]
    return format_number(value, min(len(digits), 6))


def _amount(value: Any, unit: Any) -> str:
    """« 15 jours », or « (vide) » for a cleared value."""
    shown = _number(value)
    if shown is None:
        return "(vide)"
    unit = _text(unit)
    return f"{shown} {unit}" if unit and unit != "%" else shown + ("\u00a0%" if unit else "")


def _quoted(title: str | None) -> str:
    return f" « {title} »" if title else ""


def _of_action(title: str | None) -> str:
    return f" de l'action « {title} »" if title else ""


def _of_month(month: str) -> str:
    """« d'avril 2018 », « de mai 2018 »: French elision before a vowel."""
    label = month_label(month)
    return f"d'{label}" if label[0] in "aeiou" else f"de {label}"


def _sortable(axis: Any) -> int:
    return axis if isinstance(axis, int) else 10**6
