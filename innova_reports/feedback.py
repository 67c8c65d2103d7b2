"""One feedback workbook per group: what it must fix, cell by cell, in French.

``output/<period>/retours/axe-<n>.xlsx`` is written for every axis, even one with
nothing to fix (it then says so), so the mail stage can always attach it. It lists the
anomalies of the group's files and the documents still expected from the group. Like the
master, every value is written with a typed write and the file is atomic and
byte-reproducible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from innova_reports.atomic import atomic_path
from innova_reports.fields import month_label
from innova_reports.history import plain
from innova_reports.master import WORKBOOK_OPTIONS, MasterWriteError
from innova_reports.model import DOCUMENT_LABELS, Snapshot
from innova_reports.settings import Axis, Settings

FEEDBACK_DIR = "retours"
ISSUE_COLUMNS = (
    ("fichier", "Fichier", 34), ("feuille", "Feuille", 16), ("cellule", "Cellule", 9),
    ("libelle", "Champ", 24), ("gravite", "Gravité", 14), ("message", "Ce qu'il faut corriger", 70),
    ("valeur", "Valeur trouvée", 24),
)  # fmt: skip
MISSING_COLUMNS = (
    ("document", "Document", 18), ("code", "Code action", 12), ("intitule", "Intitulé", 50),
)  # fmt: skip
_SEVERITY_RANK = {"erreur": 0, "avertissement": 1, "info": 2}


def feedback_path(period_dir: Path, axis: int) -> Path:
    return Path(period_dir) / FEEDBACK_DIR / f"axe-{axis}.xlsx"


def write_feedback(period_dir: Path, snapshot: Snapshot, settings: Settings) -> dict[int, Path]:
    """Write the feedback workbook of every axis; return the paths by axis number."""
    issues = snapshot.table("anomalies")
    suivi = snapshot.table("suivi")
    paths = {}
    for axis in settings.axes:
        path = feedback_path(period_dir, axis.number)
        _write_one(path, snapshot, settings, axis,
                   issues[issues["axe"] == axis.number],
                   suivi[(suivi["axe"] == axis.number) & ~suivi["recu"].astype(bool)])  # fmt: skip
        paths[axis.number] = path
    return paths


def _write_one(path: Path, snapshot: Snapshot, settings: Settings, axis: Axis,
               issues: pd.DataFrame, missing: pd.DataFrame) -> None:  # fmt: skip
    with atomic_path(path) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), WORKBOOK_OPTIONS)
        try:
            workbook.set_properties({
                "title": f"Corrections demandées — {axis.label}",
                "author": settings.programme,
                "created": dt.datetime.combine(snapshot.reporting_date, dt.time(0)),
            })  # fmt: skip
            _Sheet(workbook, snapshot, axis).write(issues, missing)
            workbook.close()
        except BaseException:
            workbook.fileclosed = True
            raise


class _Sheet:
    def __init__(self, workbook: xlsxwriter.Workbook, snapshot: Snapshot, axis: Axis):
        self.workbook, self.snapshot, self.axis = workbook, snapshot, axis
        self.sheet = workbook.add_worksheet("À corriger")
        self.title = workbook.add_format({"bold": True, "font_size": 14, "font_color": "#1F4E79"})
        self.note = workbook.add_format({"italic": True, "font_color": "#595959"})
        self.bold = workbook.add_format({"bold": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.error = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.warning = workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})

    def write(self, issues: pd.DataFrame, missing: pd.DataFrame) -> None:
        records = sorted(issues.to_dict("records"), key=_issue_key)
        for record in records:  # the French label when known, else the field id
            record["libelle"] = plain(record.get("libelle")) or plain(record.get("champ"))
        errors = sum(r["gravite"] == "erreur" for r in records)
        self._text(0, 0, f"{self.axis.label} — corrections demandées", self.title)
        self._text(1, 0, f"Période : {month_label(self.snapshot.period)} (contrôle du "
                         f"{self.snapshot.reporting_date:%d/%m/%Y}).", self.note)  # fmt: skip
        summary = (f"{len(records)} point(s) à revoir, dont {errors} erreur(s) à corriger "
                   "avant la prochaine consolidation." if records
                   else "Aucune correction demandée ce mois-ci : merci !")  # fmt: skip
        self._text(2, 0, summary, self.bold)
        self._text(3, 0, "Ouvrez le fichier indiqué, allez à la feuille et à la cellule, "
                         "corrigez puis renvoyez le fichier à la coordination.", self.note)  # fmt: skip
        row = self._table(5, "a_corriger", ISSUE_COLUMNS, records)
        if len(missing):
            self._text(row + 2, 0, "Documents attendus et non reçus ce mois-ci", self.bold)
            self._table(row + 3, "non_recus", MISSING_COLUMNS, missing.to_dict("records"))
        self.sheet.freeze_panes(6, 0)
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)

    def _table(self, first: int, name: str, columns: tuple, records: list[dict]) -> int:
        for r, record in enumerate(records, start=first + 1):
            for c, (column, _, _) in enumerate(columns):
                self._value(r, c, column, record.get(column))
        last = first + max(len(records), 1)
        self._check(self.sheet.add_table(first, 0, last, len(columns) - 1, {
            "name": name, "style": "Table Style Medium 2",
            "columns": [{"header": label} for _, label, _ in columns],
        }))  # fmt: skip
        for c, (column, _, width) in enumerate(columns):
            self.sheet.set_column(c, c, width, self.wrap if column == "message" else None)
            if column == "gravite":
                for text, fmt in (("erreur", self.error), ("avertissement", self.warning)):
                    self.sheet.conditional_format(first + 1, c, last, c, {
                        "type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt})  # fmt: skip
        return last

    def _value(self, row: int, col: int, column: str, value: Any) -> None:
        value = plain(value)
        if column == "document":
            value = DOCUMENT_LABELS.get(value, value)
        if value is None:
            code = self.sheet.write_blank(row, col, None)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            code = self.sheet.write_number(row, col, value)
        else:
            text = str(value)[:32_000]
            code = self.sheet.write_string(
                row, col, text, self.wrap if column == "message" else None
            )
        self._check(code)

    def _text(self, row: int, col: int, text: str, fmt: Any) -> None:
        self._check(self.sheet.write_string(row, col, text, fmt))

    @staticmethod
    def _check(code: Any) -> None:
        if isinstance(code, int) and code < 0:
            raise MasterWriteError(f"écriture refusée par xlsxwriter (code {code})")


def _issue_key(record: dict[str, Any]) -> tuple:
    return (str(record.get("fichier") or ""), _SEVERITY_RANK.get(record.get("gravite"), 3),
            str(record.get("feuille") or ""), str(record.get("cellule") or ""))  # fmt: skip
