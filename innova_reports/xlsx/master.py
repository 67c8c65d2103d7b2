"""The master workbook, the *plan d'actions* the copil adopts: one sheet per table.

Written with xlsxwriter, each table body rendered in one pass by ``sheet_body`` with the
typing of xlsxwriter's typed writes (``write_string``, ``write_number``,
``write_datetime``), never ``write()``: a title a group typed as ``=HYPERLINK(…)`` or
``file:///…`` stays plain text. The other cells go through typed writes whose return
codes are checked. A table longer than a sheet is cut and said in *Anomalies*. The
creation date is pinned to the reporting date so the same inputs give the same bytes,
and the file is written atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from innova_reports.consolidate.counts import axis_counts, severity_counts
from innova_reports.fields import WEATHERS, FieldType, all_specs
from innova_reports.frenchfmt import format_date, format_number, month_label
from innova_reports.model import DOCUMENT_LABELS, Snapshot, snapshot_columns
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue, Severity
from innova_reports.rules import ON_TRACK_DEFINITION
from innova_reports.settings import Settings
from innova_reports.support.atomic import atomic_path
from innova_reports.values import plain, plain_list
from innova_reports.xlsx import master_charts
from innova_reports.xlsx.sheet_body import (
    MAX_TEXT,
    BodySheet,
    BodyWorkbook,
    ColumnStyle,
    utf16_length,
    utf16_prefix,
)

TRUNCATION_MARKER = " […] (texte tronqué : trop long pour une cellule Excel)"
HEADER_ROW = 3  # rows 0-1: title and subtitle; row 3: table header
MAX_ROWS = 1_048_576 - (HEADER_ROW + 1)  # table rows that fit under the header of a sheet
LONG_WIDTH, MAX_LINES = 50, 8  # paragraphs: column width, most lines shown per row
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}


# -- layout: sheets, French headers, formats ----------------------------------------------

# (snapshot table, sheet title, description under the title), after the Synthèse sheet.
SHEETS = (
    ("feuilles_de_route", "Feuilles de route", "Une ligne par feuille de route consolidée."),
    ("actions_annoncees", "Actions annoncées", "Les actions annoncées dans les feuilles de route."),
    ("actions", "Actions", "Une ligne par fiche action consolidée."),
    ("taches", "Tâches", "Les tâches de chaque action ; « En retard » à la date d'arrêté."),
    ("indicateurs", "Indicateurs",
     "Une ligne par indicateur et par mois renseigné, avec la part de la cible atteinte."),
    ("acteurs", "Acteurs", "Les acteurs de chaque axe."),
    ("calendrier", "Calendrier", "Les jalons de chaque axe."),
    ("moyens", "Moyens", "Les moyens nécessaires à chaque axe."),
    ("livrables", "Livrables", "Les livrables de chaque axe."),
    ("evolutions", "Évolutions", "Ce qui a changé depuis la consolidation précédente."),
    ("suivi", "Suivi des retours",
     "Chaque document attendu (feuille de route de chaque axe, fiche de chaque action) : reçu "
     "pour le mois, pas mis à jour depuis la consolidation précédente, ou non reçu."),
    ("anomalies", "Anomalies", "Une ligne par anomalie relevée : fichier, feuille, cellule, message."),
    ("sources", "Sources",
     "Chaque fichier trouvé dans le dossier des classeurs : consolidé, écarté ou ignoré, et pourquoi."),
)  # fmt: skip

_OVERRIDES = {"axe": "Axe", "code_action": "Code action", "fichier": "Fichier", "ligne": "Ligne"}
_DERIVED = {
    "completude": "Complétude", "en_retard": "En retard", "mois": "Mois", "valeur": "Valeur",
    "part_cible": "Part de la cible atteinte", "document": "Document", "code": "Code action",
    "intitule": "Intitulé", "recu": "Reçu", "date_maj": "Date de mise à jour", "etat": "Retour",
    "feuille": "Feuille", "cellule": "Cellule", "champ": "Champ", "libelle": "Libellé du champ",
    "gravite": "Gravité", "type": "Type", "message": "Message", "statut": "Statut",
    "motif": "Motif", "modele": "Modèle", "version": "Version", "format": "Format", "sha256": "Empreinte SHA-256",
    "taille": "Taille (octets)", "modifie": "Modifié le", "objet": "Objet",
    "changement": "Changement", "avant": "Avant", "apres": "Après", "detail": "Détail",
    "valeur_trouvee": "Valeur trouvée",
}  # fmt: skip
# Sheets whose columns read better in another order than the snapshot's: the coordinator
# acts on an anomaly by axis and severity, and the technical ids come last.
DISPLAY_ORDER = {
    "anomalies": ("axe", "gravite", "fichier", "feuille", "cellule", "libelle", "valeur",
                  "message", "type"),
}  # fmt: skip
HIDDEN = {"anomalies": ("champ",)}
_SHEET_LABELS = {"anomalies": {"champ": "Identifiant du champ", "type": "Code de l'anomalie"}}
_SPEC_TABLES = {"actions_annoncees": "t_actions", "taches": "t_taches",
                "indicateurs": "t_indicateurs", "acteurs": "t_acteurs",
                "calendrier": "t_calendrier", "moyens": "t_moyens", "livrables": "t_livrables"}  # fmt: skip
_SOURCE_TABLES = ("suivi", "anomalies", "sources", "evolutions")

# the master's number formats: by field type for what groups type, by column for what
# the consolidation derives (shares, sizes, line numbers)
TYPE_FORMATS = {FieldType.PERCENT: "0%", FieldType.MONEY: '#,##0 "€"', FieldType.INTEGER: "0"}
DERIVED_FORMATS = {"completude": "0%", "part_cible": "0%", "completude_moyenne": "0%",
                   "taille": "#,##0", "ligne": "0"}  # fmt: skip


def number_formats(settings: Settings) -> dict[str, str]:
    """Column → number format: each field's from its type, then the derived columns'."""
    formats = {}
    for spec in all_specs(settings):
        columns = [*spec.fields, *(c for t in spec.tables for c in t.columns)]
        formats.update({f.id: TYPE_FORMATS[f.type] for f in columns if f.type in TYPE_FORMATS})
    return {**formats, **DERIVED_FORMATS}


def column_labels(settings: Settings) -> dict[str, list[str]]:
    """French headers of every snapshot table, from the field dictionary."""
    roadmap, action = all_specs(settings)
    spec_labels = {"feuilles_de_route": {f.id: f.label for f in roadmap.fields},
                   "actions": {f.id: f.label for f in action.fields}}  # fmt: skip
    for name, table in _SPEC_TABLES.items():
        spec = action if table in ("t_taches", "t_indicateurs") else roadmap
        spec_labels[name] = {f.id: f.label for f in spec.table(table).columns}
    labels = {}
    for name, columns in snapshot_columns(settings).items():
        known = {} if name in _SOURCE_TABLES else spec_labels.get(name, {})
        known = {**known, **_SHEET_LABELS.get(name, {})}
        headers = [_OVERRIDES.get(c) or known.get(c) or _DERIVED.get(c, c) for c in columns]
        labels[name] = _unique(headers)
    return labels


def long_columns(settings: Settings) -> frozenset[str]:
    """Columns holding paragraphs: wide and wrapped."""
    ids = {f.id for spec in all_specs(settings) for f in spec.fields
           if f.type is FieldType.LONG_TEXT}  # fmt: skip
    ids |= {c.id for spec in all_specs(settings) for t in spec.tables for c in t.columns
            if c.type is FieldType.LONG_TEXT}  # fmt: skip
    return frozenset(ids | {"message", "motif", "detail"})


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        unique.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return unique


# -- the synthesis sheet -------------------------------------------------------------------

SYNTHESIS_COLUMNS = (
    ("axe", "Axe"), ("nom", "Axe d'innovation"),
    ("feuille_de_route_recue", "Feuille de route reçue"),
    ("date_maj", "Mise à jour de la feuille de route"),
    ("actions_annoncees", "Actions annoncées"), ("actions_recues", "Fiches action reçues"),
    ("taches", "Tâches"), ("taches_faites", "Tâches faites"),
    ("taches_en_retard", "Tâches en retard"), ("indicateurs", "Indicateurs suivis"),
    ("indicateurs_dans_la_trajectoire", "Indicateurs dans la trajectoire"),
    ("meteo_verte", "Météo verte"), ("meteo_orange", "Météo orange"),
    ("meteo_rouge", "Météo rouge"), ("completude_moyenne", "Complétude moyenne"),
    ("erreurs", "Erreurs"), ("avertissements", "Avertissements"),
)  # fmt: skip
SYNTHESIS_NOTE = (
    "Actions annoncées : codes distincts des feuilles de route, et des fiches reçues "
    "qu'aucune n'annonce ; fiches action reçues : fiches consolidées ce mois-ci.",
    "Tâche en retard : ni faite ni abandonnée, et date de fin dépassée à la date d'arrêté.",
    ON_TRACK_DEFINITION,
    "Complétude : part moyenne des champs et tableaux renseignés dans les documents de l'axe.",
)


def synthesis_rows(snapshot: Snapshot, settings: Settings) -> list[list[Any]]:
    """One row per axis, then the programme total (same columns as SYNTHESIS_COLUMNS)."""
    rows = [_axis_figures(snapshot, settings, axis.number, axis.name) for axis in settings.axes]
    total = _axis_figures(snapshot, settings, None, "Programme")
    total[3] = None
    return [*rows, total]


def _axis_figures(snapshot: Snapshot, settings: Settings, axis: int | None,
                  name: str) -> list[Any]:  # fmt: skip
    def of(table: str) -> pd.DataFrame:
        frame = snapshot.table(table)
        return frame if axis is None else frame[frame["axe"] == axis]

    roadmaps, actions = of("feuilles_de_route"), of("actions")
    counts = axis_counts(snapshot, settings, axis)
    severities = severity_counts(snapshot, axis)
    completeness = [*roadmaps["completude"].dropna(), *actions["completude"].dropna()]
    received = counts.roadmaps_received if axis is None else bool(counts.roadmaps_received)
    weathers = [counts.weathers.get(value, 0) for value in WEATHERS]
    return [
        axis, name, received,
        plain(roadmaps["date_maj"].iloc[0]) if len(roadmaps) and axis is not None else None,
        counts.actions_announced, counts.actions_received,
        counts.tasks, counts.tasks_done, counts.tasks_late,
        counts.indicators, counts.indicators_on_track, *weathers,
        round(sum(completeness) / len(completeness), 4) if completeness else None,
        severities[str(Severity.ERROR)], severities[str(Severity.WARNING)],
    ]  # fmt: skip


class MasterWriteError(Exception):
    """xlsxwriter refused a write: a bug, not a user error."""


def write_master(
    path,
    snapshot: Snapshot,
    settings: Settings,
    issues: Sequence[Issue] | None = None,
    outcomes: Sequence[Any] | None = None,
    *,
    views: Callable[[], Any] | None = None,
):
    """Write the plan d'actions atomically; return its path.

    ``issues`` and ``outcomes`` are accepted for callers holding them, but the
    *Anomalies* and *Sources* sheets are drawn from the snapshot's own tables, so the
    master always shows what the history records. ``views``: gives ``axis_views`` of
    the snapshot when the chart sheets are written (computed elsewhere meanwhile);
    by default they are computed then.
    """
    with atomic_path(path) as temporary:
        workbook = BodyWorkbook(str(temporary), WORKBOOK_OPTIONS)
        try:
            _MasterWriter(workbook, snapshot, settings, views).write()
            workbook.close()
        except BaseException:
            workbook.fileclosed = True  # nothing to flush: the temporary file is dropped
            raise
    return path


@dataclass
class _Formats:
    title: Any
    header: Any
    subtitle: Any
    note: Any
    text: Any
    wrap: Any
    date: Any
    datetime: Any
    month: Any
    numbers: dict[str, Any]
    fills: dict[str, Any]
    total: Any


class _MasterWriter:
    def __init__(self, workbook: xlsxwriter.Workbook, snapshot: Snapshot, settings: Settings,
                 views: Callable[[], Any] | None = None) -> None:  # fmt: skip
        self.workbook, self.snapshot, self.settings = workbook, snapshot, settings
        self.views = views
        self.formats = _formats(workbook, number_formats(settings))
        self.truncated: list[Issue] = []
        self.row_formats: dict[str, dict[int, Any]] = {}
        self.labels = column_labels(settings)
        self.long = long_columns(settings)

    def write(self) -> None:
        created = dt.datetime.combine(self.snapshot.reporting_date, dt.time(0))
        self.workbook.set_properties({
            "title": f"Plan d'actions {self.settings.programme} — {month_label(self.snapshot.period)}",
            "subject": "Consolidation mensuelle",
            "author": self.settings.programme,
            "company": ", ".join(self.settings.councils),
            "created": created,
        })  # fmt: skip
        synthesis = self.workbook.add_worksheet("Synthèse")
        sheets = {name: self.workbook.add_worksheet(title) for name, title, _ in SHEETS}
        self._synthesis(synthesis)
        for name, title, description in SHEETS:
            if name != "anomalies":
                self._table_sheet(sheets[name], name, title, description)
        self._table_sheet(sheets["anomalies"], "anomalies", "Anomalies", SHEETS[-2][2])
        synthesis.activate()
        _add_chart_sheets(self.workbook, self.snapshot, self.settings, self.views)

    # -- sheets ------------------------------------------------------------------------

    def _heading(self, sheet: Worksheet, title: str, description: str) -> None:
        period = month_label(self.snapshot.period)
        self._check(sheet.write_string(0, 0, f"{title} — {period}", self.formats.title))
        self._check(sheet.write_string(1, 0, description, self.formats.subtitle))
        sheet.set_row(0, 22)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(HEADER_ROW)

    def _synthesis(self, sheet: BodySheet) -> None:
        self._heading(sheet, f"Plan d'actions {self.settings.programme}",
                      f"Synthèse par axe, arrêtée au {format_date(self.snapshot.reporting_date)}.")  # fmt: skip
        rows = synthesis_rows(self.snapshot, self.settings)
        self.row_formats["synthese"] = {HEADER_ROW + len(rows): self.formats.total}  # the total
        columns = [c for c, _ in SYNTHESIS_COLUMNS]
        labels = [label for _, label in SYNTHESIS_COLUMNS]
        self._table(sheet, "synthese", columns, labels, list(zip(*rows, strict=True)))
        note_row = HEADER_ROW + max(len(rows), 1) + 2
        for offset, line in enumerate(SYNTHESIS_NOTE):
            self._check(sheet.write_string(note_row + offset, 0, line, self.formats.note))

    def _table_sheet(self, sheet: Worksheet, name: str, title: str, description: str) -> None:
        self._heading(sheet, title, description)
        frame = self.snapshot.table(name)
        columns = [str(c) for c in frame.columns]
        labels = self.labels[name]
        if len(frame) > MAX_ROWS:
            self.truncated.append(_rows_cut_issue(title, len(frame)))
            frame = frame.iloc[:MAX_ROWS]
        # column by column straight from the frame: no row-major copy of a large table
        data = [plain_list(frame[c]) for c in frame.columns]
        if name == "anomalies" and self.truncated:
            extra = [_issue_row(issue) for issue in self.truncated]
            data = [
                [*values, *added]
                for values, added in zip(data, zip(*extra, strict=True), strict=True)
            ]
        if name in DISPLAY_ORDER:
            columns, labels, data = _reordered(DISPLAY_ORDER[name], columns, labels, data)
        if name in HIDDEN:  # field ids are for the history and machines, not for people
            shown = [i for i, column in enumerate(columns) if column not in HIDDEN[name]]
            columns, labels = [columns[i] for i in shown], [labels[i] for i in shown]
            data = [data[i] for i in shown]
        self._table(sheet, name, columns, labels, data)

    def _table(self, sheet: BodySheet, name: str, columns: list[str],
               labels: list[str], data: Sequence[Sequence[Any]]) -> None:  # fmt: skip
        """Declare the columns (width, format), render the typed cells (``data``: one
        sequence of plain values per column, see ``history.plain_list``) in one pass, then the
        Excel table (filters) over them."""
        data = data or [() for _ in columns]
        height = len(data[0]) if data else 0
        values = [[_displayed(column, plain(v)) for v in data[c]] if column in _DISPLAYED
                  else data[c] for c, column in enumerate(columns)]  # fmt: skip
        for c, column in enumerate(columns):
            long = column in self.long
            width = _width(long, labels[c], values[c])
            sheet.set_column(c, c, width, self.formats.wrap if long else self.formats.text)
        paragraphs = [values[c] for c, column in enumerate(columns) if column in self.long]
        sheet.write_body(
            HEADER_ROW + 1, values, [self._style(column) for column in columns],
            heights=_paragraph_heights(paragraphs, HEADER_ROW + 1),
            row_formats=self.row_formats.get(name),
            long_text=self._truncated(sheet, columns, labels),
        )  # fmt: skip
        last_row = HEADER_ROW + max(height, 1)
        self._check(sheet.add_table(HEADER_ROW, 0, last_row, len(columns) - 1, {
            "name": f"plan_{name}", "style": "Table Style Medium 2",
            "columns": [{"header": label, "header_format": self.formats.header}
                        for label in labels],
        }))  # fmt: skip
        sheet.set_row(HEADER_ROW, 30)
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        for c, column in enumerate(columns):
            _conditional(sheet, self.formats, f"{name}.{column}", HEADER_ROW + 1, last_row, c)

    def _style(self, column: str) -> ColumnStyle:
        """Formats of a column's cells: its number format, wrapped paragraphs, dates."""
        f = self.formats
        return ColumnStyle(
            number=f.numbers.get(column), text=f.wrap if column in self.long else None,
            date=f.month if column == "mois" else f.date, datetime=f.datetime,
        )  # fmt: skip

    def _truncated(self, sheet: BodySheet, columns: list[str], labels: list[str]):
        """Cut a text too long for a cell, with a marker, and say so in Anomalies."""

        def cut(row: int, col: int, text: str) -> str:
            self.truncated.append(catalogue.issue(
                "texte-tronque", "", field=columns[col], label=labels[col],
                sheet=sheet.get_name(),
                cell=xlsxwriter.utility.xl_rowcol_to_cell(row, col),
            ))  # fmt: skip
            kept = MAX_TEXT - utf16_length(TRUNCATION_MARKER)
            return utf16_prefix(text, kept) + TRUNCATION_MARKER

        return cut

    @staticmethod
    def _check(code: Any) -> None:
        if isinstance(code, int) and code < 0:
            raise MasterWriteError(f"écriture refusée par xlsxwriter (code {code})")


_DISPLAYED = frozenset({"document", "mois"})


def _displayed(column: str, value: Any) -> Any:
    """Values shown differently from how they are stored."""
    if column == "document" and value in DOCUMENT_LABELS:
        return DOCUMENT_LABELS[value]
    if column == "mois" and isinstance(value, str) and len(value) == 7:
        return dt.date(int(value[:4]), int(value[5:7]), 1)
    return value


def text_lines(text: str, width: int = LONG_WIDTH) -> int:
    """Lines a paragraph takes in a wrapped column ``width`` characters wide.

    Text runs about 10 % narrower than the digit « 0 » that measures a column, and each
    line typed with Alt+Entrée starts a new line.
    """
    per_line = int(width * 1.1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _paragraph_heights(paragraphs: list[list[Any]], first_row: int) -> dict[int, float]:
    """Taller rows for wrapped paragraphs (points, by row): nothing recomputes row
    heights when the workbook is opened."""
    heights = {}
    for offset, texts in enumerate(zip(*paragraphs, strict=True)):
        lines = max((text_lines(t) for t in texts if isinstance(t, str)), default=1)
        if lines > 1:
            heights[first_row + offset] = 15 * min(lines, MAX_LINES)
    return heights


def _reordered(order: Sequence[str], columns: list[str], labels: list[str],
               data: list[list[Any]]) -> tuple[list[str], list[str], list[list[Any]]]:  # fmt: skip
    """Columns of ``order`` first, in that order, then any other column as it came
    (``data``: one list per column)."""
    picked = [columns.index(c) for c in order if c in columns]
    picked += [i for i in range(len(columns)) if i not in picked]
    return ([columns[i] for i in picked], [labels[i] for i in picked],
            [data[i] for i in picked])  # fmt: skip


def _rows_cut_issue(title: str, rows: int) -> Issue:
    return catalogue.issue(
        "tableau-tronque", "", sheet=title, rows=format_number(rows), kept=format_number(MAX_ROWS)
    )


def _issue_row(issue: Issue) -> list[Any]:
    return [issue.file or None, issue.sheet, issue.cell, issue.field, issue.label or None,
            str(issue.severity), issue.type, None, issue.message, issue.axis]  # fmt: skip


def _width(long: bool, label: str, values: list[Any]) -> float:
    """Wide enough for the values; headers wrap on two lines."""
    if long:
        return LONG_WIDTH
    longest = max([min(len(label), 14)] + [len(_as_text(v)) for v in values[:500]])
    return float(min(max(longest + 2, 9), 45))


def _as_text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return "00/00/0000"
    return str(value)


def _formats(workbook: xlsxwriter.Workbook, numbers: dict[str, str]) -> _Formats:
    add = workbook.add_format
    fills = {
        "vert": add({"bg_color": "#C6EFCE", "font_color": "#006100"}),
        "orange": add({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "rouge": add({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
    }
    return _Formats(
        title=add({"bold": True, "font_size": 14, "font_color": "#1F4E79"}),
        header=add(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "font_color": "#FFFFFF",
                "bg_color": "#1F4E79",
            }
        ),  # fmt: skip
        subtitle=add({"italic": True, "font_color": "#595959"}),
        note=add({"italic": True, "font_color": "#595959", "font_size": 9}),
        text=add({"valign": "top"}),
        wrap=add({"text_wrap": True, "valign": "top"}),
        date=add({"num_format": "dd/mm/yyyy", "valign": "top"}),
        datetime=add({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"}),
        month=add({"num_format": "mm/yyyy", "valign": "top"}),
        numbers={
            column: add({"num_format": fmt, "valign": "top"}) for column, fmt in numbers.items()
        },  # fmt: skip
        total=add({"bold": True, "top": 1, "valign": "top"}),
        fills=fills,
    )


WEATHER_FILLS = ("vert", "orange", "rouge")  # the fills of the météo, green to red


def _conditional(sheet: Worksheet, formats: _Formats, where: str, first: int, last: int,
                 col: int) -> None:  # fmt: skip
    """Colour rules; ``where`` is "<table>.<column>" (e.g. "taches.en_retard")."""
    fills = formats.fills
    column = where.split(".", 1)[1]
    rules: list[dict[str, Any]] = []
    if column == "meteo":
        rules = [
            _equals(text, fills[fill]) for text, fill in zip(WEATHERS, WEATHER_FILLS, strict=True)
        ]
    elif column in ("en_retard", "taches_en_retard", "meteo_rouge", "erreurs"):
        rules = [_equals("Oui", fills["rouge"]),
                 {"type": "cell", "criteria": ">", "value": 0, "format": fills["rouge"]}]  # fmt: skip
    elif column == "recu" or column == "feuille_de_route_recue":
        rules = [_equals("Non", fills["orange"])]
    elif column == "gravite":
        rules = [_equals("erreur", fills["rouge"]), _equals("avertissement", fills["orange"])]
    elif where == "sources.statut":
        rules = [_equals("écarté", fills["orange"])]
    elif column == "part_cible":
        rules = [{"type": "3_color_scale", "min_type": "num", "min_value": 0,
                  "mid_type": "num", "mid_value": 0.5, "max_type": "num", "max_value": 1,
                  "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"}]  # fmt: skip
    elif column in ("completude", "completude_moyenne"):
        rules = [{"type": "data_bar", "bar_color": "#5B9BD5", "min_type": "num", "min_value": 0,
                  "max_type": "num", "max_value": 1}]  # fmt: skip
    for rule in rules:
        sheet.conditional_format(first, col, last, col, rule)


def _equals(text: str, fmt: Any) -> dict[str, Any]:
    escaped = text.replace('"', '""')
    return {"type": "cell", "criteria": "==", "value": f'"{escaped}"', "format": fmt}


def _add_chart_sheets(workbook: xlsxwriter.Workbook, snapshot: Snapshot, settings: Settings,
                      views: Callable[[], Any] | None = None) -> None:  # fmt: skip
    """Native Excel chart sheets per axis (``views``: the axes' views computed elsewhere)."""
    if views is None:
        master_charts.add_axis_sheets(workbook, snapshot, settings)
    else:
        master_charts.add_axis_sheets(workbook, snapshot, settings, views=views())


def axis_views(snapshot: Snapshot, settings: Settings) -> Any:
    """What the chart sheets draw of each axis (``write_master``'s ``views``). Top-level,
    so another process can compute it."""
    return master_charts.axis_views(snapshot, settings)
