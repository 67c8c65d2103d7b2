"""Building and editing workbooks as groups do, for the red-team cases.

``action``/``roadmap`` write a clean, fully valid template (``check`` finds nothing);
the edit helpers then change it the way a spreadsheet user does, with openpyxl (which
keeps names, tables and validations as Excel does). A typed cell is recorded as a
``Typed`` so that the tests can tell, for every value a user typed, whether it was read
or reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.table import TableColumn

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.settings import Settings
from tests.factories import make_workbook

TODAY = dt.date(2018, 6, 2)
PERIOD = "2018-05"


@dataclass(frozen=True)
class Typed:
    """A value a user typed (or left) in a cell: it must be read, or reported."""

    sheet: str
    cell: str
    value: Any


def action_fields(settings: Settings, **changes: Any) -> dict[str, Any]:
    return {
        "code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
        "date_maj": dt.date(2018, 5, 15), "statut": "En cours", "meteo": "Vert",
        "service_pilote": settings.services[3], "chef_projet": "Sandrine Lavergne",
        "budget_eur": 12500,
    } | changes  # fmt: skip


TASKS = [
    {"tache": "Recenser les procédures", "responsable": "DSI", "debut": dt.date(2018, 3, 1),
     "fin": dt.date(2018, 4, 30), "statut": "Fait", "avancement": 1},
    {"tache": "Choisir l'outil", "responsable": "DSI", "debut": dt.date(2018, 4, 1),
     "fin": dt.date(2018, 6, 30), "statut": "En cours", "avancement": 0.5},
]  # fmt: skip
INDICATORS = [
    {"indicateur": "Procédures en ligne", "unite": "nombre", "sens": "Hausse",
     "valeur_initiale": 2, "cible": 20, "mois_2018_03": 4, "mois_2018_04": 6},
    {"indicateur": "Usagers satisfaits", "unite": "%", "sens": "Hausse",
     "valeur_initiale": 55, "cible": 80, "mois_2018_04": 60},
]  # fmt: skip


def action(
    path: Path, settings: Settings, *, fields: dict | None = None, tables: dict | None = None
) -> Path:
    """A clean action sheet (A3.2), with ``fields`` and ``tables`` changed."""
    all_tables = {"t_taches": TASKS, "t_indicateurs": INDICATORS} | (tables or {})
    return make_workbook(
        path, ACTION, settings, fields=action_fields(settings, **(fields or {})), tables=all_tables
    )


def roadmap(path: Path, settings: Settings, *, axis: int = 3, **changes: Any) -> Path:
    fields = {"axe": axis, "groupe": "Process", "pilote": "Jean Dupuy",
              "date_maj": dt.date(2018, 5, 14)} | changes.pop("fields", {})  # fmt: skip
    tables = {
        "t_actions": [{"code": f"A{axis}.1", "intitule": "Dématérialisation"},
                      {"code": f"A{axis}.2", "intitule": "Communication interne"}],
    } | changes.pop("tables", {})  # fmt: skip
    return make_workbook(path, ROADMAP, settings, fields=fields, tables=tables)


def edit(
    path: Path, change: Callable[[openpyxl.Workbook], None], target: Path | None = None
) -> Path:
    """The workbook after ``change``, saved in place (or to ``target``)."""
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(target or path)
    return target or path


def table_of(workbook: openpyxl.Workbook, sheet: str):
    (table,) = workbook[sheet].tables.values()
    return table


def table_end(workbook: openpyxl.Workbook, sheet: str) -> int:
    """The last row of the sheet's table."""
    return int(table_of(workbook, sheet).ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def column_of(workbook: openpyxl.Workbook, sheet: str, header: str) -> str:
    """The letter of a table column, by its header."""
    table = table_of(workbook, sheet)
    first = column_index_from_string(table.ref.split(":")[0].rstrip("0123456789"))
    for offset, column in enumerate(table.tableColumns):
        if column.name == header:
            return get_column_letter(first + offset)
    raise KeyError(header)


def type_cells(
    sheet: str, values: dict[str, Any], number_format: str | None = None
) -> Callable[[openpyxl.Workbook], None]:
    """Type values in cells (as Excel stores them: « 70 % » is 0.7 with a % format)."""

    def change(workbook: openpyxl.Workbook) -> None:
        for cell, value in values.items():
            workbook[sheet][cell] = value
            if number_format:
                workbook[sheet][cell].number_format = number_format

    return change


def rename_header(sheet: str, old: str, new: str) -> Callable[[openpyxl.Workbook], None]:
    """A header retyped: Excel renames the table column with its cell."""

    def change(workbook: openpyxl.Workbook) -> None:
        table = table_of(workbook, sheet)
        letter = column_of(workbook, sheet, old)
        for column in table.tableColumns:
            if column.name == old:
                column.name = new
        row = int(table.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        workbook[sheet][f"{letter}{row}"] = new

    return change


def add_column(sheet: str, header: str, values: dict[int, Any]) -> Callable:
    """A column added at the right end of the table (Excel grows the table)."""

    def change(workbook: openpyxl.Workbook) -> None:
        table = table_of(workbook, sheet)
        start, end = table.ref.split(":")
        last = column_index_from_string(end.rstrip("0123456789")) + 1
        end_row = end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        letter = get_column_letter(last)
        table.ref = f"{start}:{letter}{end_row}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
        table.tableColumns.append(TableColumn(id=len(table.tableColumns) + 1, name=header))
        header_row = int(start.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        workbook[sheet][f"{letter}{header_row}"] = header
        for row, value in values.items():
            workbook[sheet][f"{letter}{row}"] = value

    return change


def delete_column(sheet: str, header: str) -> Callable[[openpyxl.Workbook], None]:
    """A table column deleted (Excel shifts the columns on its right and the table)."""

    def change(workbook: openpyxl.Workbook) -> None:
        table = table_of(workbook, sheet)
        letter = column_of(workbook, sheet, header)
        index = column_index_from_string(letter)
        ws = workbook[sheet]
        ws.delete_cols(index)
        table.tableColumns = [c for c in table.tableColumns if c.name != header]
        for position, column in enumerate(table.tableColumns, start=1):
            column.id = position
        start, end = table.ref.split(":")
        last = column_index_from_string(end.rstrip("0123456789")) - 1
        table.ref = f"{start}:{get_column_letter(last)}{end.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref

    return change


def then(*changes: Callable[[openpyxl.Workbook], None]) -> Callable[[openpyxl.Workbook], None]:
    def change(workbook: openpyxl.Workbook) -> None:
        for step in changes:
            step(workbook)

    return change


def to_range(sheet: str) -> Callable[[openpyxl.Workbook], None]:
    """« Convertir en plage »: the table is gone, its cells stay."""

    def change(workbook: openpyxl.Workbook) -> None:
        table = table_of(workbook, sheet)
        del workbook[sheet].tables[table.name]

    return change
