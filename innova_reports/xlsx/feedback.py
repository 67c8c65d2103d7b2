"""One feedback workbook per group: what it must fix, cell by cell, in French.

``output/<period>/retours/axe-<n>.xlsx`` is written for every axis, even one with
nothing to fix (it then says so), so the mail stage can always attach it. It lists the
anomalies of the group's files and the documents still expected from the group. Like the
master, every value is written typed (``sheet_body``: text stays text, whatever its
shape) and the file is atomic and byte-reproducible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath
from typing import Any

import pandas as pd
import xlsxwriter

from innova_reports.frenchfmt import count_words, format_date, month_label
from innova_reports.model import DOCUMENT_LABELS, Snapshot
from innova_reports.rules import return_text
from innova_reports.settings import Axis, Settings
from innova_reports.support.atomic import atomic_path
from innova_reports.values import plain
from innova_reports.xlsx.master import WORKBOOK_OPTIONS, MasterWriteError
from innova_reports.xlsx.sheet_body import BodyWorkbook, ColumnStyle

FEEDBACK_DIR = "retours"
ISSUE_COLUMNS = (
    ("numero", "N°", 5), ("gravite", "Gravité", 15), ("fichier", "Fichier", 30),
    ("feuille", "Feuille", 16), ("cellule", "Cellule", 9), ("libelle", "Champ", 24),
    ("valeur", "Valeur trouvée", 20), ("message", "Ce qu'il faut corriger", 70),
)  # fmt: skip
MISSING_COLUMNS = (
    ("document", "Document", 18), ("code", "Code action", 12), ("intitule", "Intitulé", 50),
    ("etat", "Retour", 34),
)  # fmt: skip
SEVERITY_WORDS = {"erreur": "Erreur", "avertissement": "Avertissement", "info": "Information"}
HOW_TO = (
    "Pour chaque ligne ci-dessous : ouvrez le fichier indiqué, allez à la feuille et à la "
    "cellule, corrigez comme indiqué, enregistrez, puis renvoyez le fichier à la coordination."
)
SEVERITY_NOTE = (
    "Erreur : la valeur n'est pas reprise dans le plan d'actions tant qu'elle n'est pas "
    "corrigée. Avertissement : la valeur est reprise, mais elle mérite d'être vérifiée."
)
HEADER_ROW = 6  # rows 0-4: title, period, summary, how to, severities
_WRAPPED = ("message", "libelle", "intitule")
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
        workbook = BodyWorkbook(str(temporary), WORKBOOK_OPTIONS)
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
        self.top = workbook.add_format({"valign": "top"})
        # explicit: LibreOffice does not draw the table style's header
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                           "font_color": "#FFFFFF", "bg_color": "#1F4E79"})  # fmt: skip
        self.error = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.warning = workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})

    def write(self, issues: pd.DataFrame, missing: pd.DataFrame) -> None:
        records = sorted(issues.to_dict("records"), key=_issue_key)
        for number, record in enumerate(records, start=1):
            # the French label (never the field id); the file as the group named it
            record["libelle"] = plain(record.get("libelle"))
            record["fichier"] = _file_name(record.get("fichier"))
            record["numero"] = number
        self._text(0, 0, f"{self.axis.label} — corrections demandées", self.title)
        self._text(1, 0, f"Période : {month_label(self.snapshot.period)} (contrôle du "
                         f"{format_date(self.snapshot.reporting_date)}).", self.note)  # fmt: skip
        self._text(2, 0, summary_sentence(records), self.bold)
        if records:
            self._text(3, 0, HOW_TO, self.note)
            self._text(4, 0, SEVERITY_NOTE, self.note)
        row = self._table(HEADER_ROW, "a_corriger", ISSUE_COLUMNS, records)
        if len(missing):
            self._text(
                row + 2,
                0,
                "Documents attendus et non reçus (ou pas mis à jour) ce mois-ci",
                self.bold,
            )
            self._text(row + 3, 0, "Merci de les envoyer à la coordination dès que possible "
                                   "(si c'est déjà fait, ne tenez pas compte de cette liste).",
                       self.note)  # fmt: skip
            expected = missing.to_dict("records")
            for record in expected:
                record["etat"] = return_text(record.get("recu"), record.get("etat"))
            self._table(row + 4, "non_recus", MISSING_COLUMNS, expected)
        self._page_setup()

    def _page_setup(self) -> None:
        """Printable on A4 like the templates: landscape, one page wide, header repeated."""
        self.sheet.freeze_panes(HEADER_ROW + 1, 0)
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(HEADER_ROW)
        self.sheet.set_footer(f"&L{self.axis.label.replace('&', '&&')}&RPage &P / &N")

    def _table(self, first: int, name: str, columns: tuple, records: list[dict]) -> int:
        values = [[_shown(column, record.get(column)) for record in records]
                  for column, _, _ in columns]  # fmt: skip
        styles = [ColumnStyle(number=self.top, text=self.wrap if column in _WRAPPED else self.top)
                  for column, _, _ in columns]  # fmt: skip
        self.sheet.write_body(first + 1, values, styles)
        last = first + max(len(records), 1)
        self._check(self.sheet.add_table(first, 0, last, len(columns) - 1, {
            "name": name, "style": "Table Style Medium 2",
            "columns": [{"header": label, "header_format": self.header} for _, label, _ in columns],
        }))  # fmt: skip
        for c, (column, _, width) in enumerate(columns):
            self.sheet.set_column(c, c, width, self.wrap if column in _WRAPPED else self.top)
            if column == "gravite":
                for text, fmt in (("Erreur", self.error), ("Avertissement", self.warning)):
                    self.sheet.conditional_format(first + 1, c, last, c, {
                        "type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt})  # fmt: skip
        return last

    def _text(self, row: int, col: int, text: str, fmt: Any) -> None:
        self._check(self.sheet.write_string(row, col, text, fmt))

    @staticmethod
    def _check(code: Any) -> None:
        if isinstance(code, int) and code < 0:
            raise MasterWriteError(f"écriture refusée par xlsxwriter (code {code})")


def _shown(column: str, value: Any) -> Any:
    """A value as the group reads it: numbers as numbers, anything else as its text."""
    value = plain(value)
    if column == "document":
        value = DOCUMENT_LABELS.get(value, value)
    if column == "gravite":
        value = SEVERITY_WORDS.get(value, value)
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return str(value)


def summary_sentence(records: list[dict[str, Any]]) -> str:
    """The bold line at the top: how much there is to do, with French plurals."""
    if not records:
        return "Aucune correction demandée ce mois-ci : merci !"
    errors = sum(r.get("gravite") == "erreur" for r in records)
    warnings = sum(r.get("gravite") == "avertissement" for r in records)
    parts = []
    if errors:
        parts.append(f"{count_words(errors, 'erreur')} à corriger avant la prochaine "
                     "consolidation")  # fmt: skip
    if warnings:
        parts.append(f"{count_words(warnings, 'avertissement')} à vérifier")
    detail = f" : {', '.join(parts)}" if parts else ""
    return f"{count_words(len(records), 'point')} à revoir{detail}. Merci d'avance !"


def _file_name(value: Any) -> str | None:
    """The file's own name: the sub-folder is the coordinator's filing, not the group's."""
    text = plain(value)
    return PurePath(str(text).replace("\\", "/")).name if text else None


def _issue_key(record: dict[str, Any]) -> tuple:
    return (str(record.get("fichier") or ""), _SEVERITY_RANK.get(record.get("gravite"), 3),
            str(record.get("feuille") or ""), str(record.get("cellule") or ""))  # fmt: skip
