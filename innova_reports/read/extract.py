"""Extraction: single fields by defined name, tables by header text, with their cells.

Nothing goes by fixed coordinates, so inserted rows, moved blocks and renamed sheets
do not matter; every value keeps its sheet and cell for the messages.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from innova_reports.fields import Table, month_of_field_id, template_spec
from innova_reports.frenchfmt import month_label
from innova_reports.model import FORMAT_LABELS, RawCell, SourceFile, WorkbookData
from innova_reports.read.ods import load_ods_sheets, read_ods_structure
from innova_reports.read.safety import (
    DEFAULT_LIMITS,
    ODS,
    Limits,
    Refusal,
    check_directory,
    check_is_workbook,
    column_letters,
    column_number,
    misnamed,
    open_zip,
)
from innova_reports.read.sheet import Sheet, load_sheets
from innova_reports.read.xlsx import (
    Structure,
    TableInfo,
    _identity,
    fold,
    parse_ref,
    read_structure,
)
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue
from innova_reports.settings import Settings
from innova_reports.versions import predates

_RANGE = re.compile(r"^([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)$")


def extract(
    data: bytes, source: SourceFile, settings: Settings, limits: Limits = DEFAULT_LIMITS
) -> WorkbookData:
    """A vetted template's fields and tables, with the issues met while reading."""
    suffix = source.path.suffix
    archive = open_zip(data, suffix)
    check_directory(archive, limits)
    fmt = check_is_workbook(archive, suffix)
    structure, load = _package(fmt, data, archive, source.name, limits)
    kind, version = _identity(archive, structure)
    spec = template_spec(kind, settings)
    _check_main_sheet(spec, structure)
    sheets, issues = load(_needed_parts(spec, structure))
    if _has_macros(archive):
        issues.insert(0, _macros_issue(source.name))
    if misnamed(fmt, suffix):
        issues.insert(0, _misnamed_issue(source.name, fmt, suffix))
    extractor = Extractor(source.name, structure, sheets, issues, version)
    fields = {}
    for spec_field in spec.fields:
        raw = extractor.field(spec_field)
        if raw is not None:
            fields[spec_field.id] = raw
    result = WorkbookData(source, kind, version, fields, {}, {}, {}, issues, format=fmt)
    for table in spec.tables:
        frame, sheet, letters = extractor.table(table)
        result.tables[table.name] = frame
        result.table_sheets[table.name] = sheet
        result.table_letters[table.name] = letters
    return result


Loader = Callable[[dict[str, str]], tuple[dict[str, Sheet], list[Issue]]]


def _package(
    fmt: str, data: bytes, archive: zipfile.ZipFile, file: str, limits: Limits
) -> tuple[Structure, Loader]:
    """The workbook's structure in its format, and how to load the sheets it needs:
    what follows (identity, fields, tables) is the same for .xlsx and .ods."""
    if fmt == ODS:
        content = read_ods_structure(archive, limits)

        def load_ods(parts: dict[str, str]) -> tuple[dict[str, Sheet], list[Issue]]:
            return load_ods_sheets(data, archive, content, parts, file, limits)

        return content.structure, load_ods
    structure = read_structure(archive)

    def load_xlsx(parts: dict[str, str]) -> tuple[dict[str, Sheet], list[Issue]]:
        return load_sheets(data, archive, parts, file, limits, structure.vetted)

    return structure, load_xlsx


def _has_macros(archive: zipfile.ZipFile) -> bool:
    """A VBA project (.xlsm) or LibreOffice Basic modules (an .ods's Basic/ folder)."""
    names = archive.NameToInfo
    return "xl/vbaProject.bin" in names or any(name.startswith("Basic/") for name in names)


def _misnamed_issue(file: str, fmt: str, suffix: str) -> Issue:
    what = f"un classeur {FORMAT_LABELS[fmt]}"
    return catalogue.issue(
        "extension-trompeuse", file, what=what, suffix=suffix.lower() or "(aucune)",
        expected=f".{fmt}",
    )  # fmt: skip


def _needed_parts(spec: Any, structure: Structure) -> dict[str, str]:
    """Zip member of every sheet that holds one of our names or tables."""
    sheets = set()
    for spec_field in spec.fields:
        parsed = parse_ref(structure.names.get(spec_field.id, ""))
        if parsed is not None:
            sheets.add(parsed[0])
    for table in spec.tables:
        info = structure.tables.get(fold(table.name))
        if info is not None:
            sheets.add(info.sheet)
    return {
        sheet: structure.sheet_parts[sheet]
        for sheet in sorted(sheets)
        if sheet in structure.sheet_parts
    }


def _check_main_sheet(spec: Any, structure: Structure) -> None:
    """One clear refusal when the main sheet is gone, rather than one error per field.

    Renaming a sheet in Excel or LibreOffice updates the defined names, so the fields
    are still found: only when no field leads to a sheet of the workbook (names turned
    into #REF! by a deletion, or still naming the old sheet) is the sheet lost.
    """
    if spec.main_sheet in structure.sheet_parts or not spec.fields:
        return
    for spec_field in spec.fields:
        parsed = parse_ref(structure.names.get(spec_field.id, ""))
        if parsed is not None and parsed[0] in structure.sheet_parts:
            return
    raise Refusal("feuille-introuvable", name=spec.main_sheet)


def _macros_issue(file: str) -> Issue:
    return catalogue.issue("macros-ignorees", file)


class Extractor:
    """Reads values by defined name and by table, recording issues with their cell."""

    def __init__(
        self,
        file: str,
        structure: Structure,
        sheets: dict[str, Sheet],
        issues: list[Issue],
        version: str = "",
    ) -> None:
        self.file = file
        self.structure = structure
        self.sheets = sheets
        self.issues = issues
        self.version = version  # the file's template version: what it could not have

    def field(self, spec_field: Any) -> RawCell | None:
        parsed = parse_ref(self.structure.names.get(spec_field.id, ""))
        if parsed is None and predates(self.version, spec_field.since):
            return None  # added to the dictionary after this file was made: simply absent
        if parsed is None or parsed[0] not in self.sheets:
            self.issues.append(
                catalogue.issue(
                    "champ-introuvable", self.file, field=spec_field.id, label=spec_field.label
                )
            )
            return None
        sheet, cell = parsed
        letters = cell.rstrip("0123456789")
        row, column = int(cell[len(letters) :]), column_number(letters)
        if self.sheets[sheet].merges:
            self._check_merge(self.sheets[sheet], row, column, cell, spec_field)
        value = self.value(self.sheets[sheet], row, column, spec_field)
        return RawCell(value, sheet, cell)

    def _check_merge(self, sheet: Sheet, row: int, column: int, cell: str, spec_field: Any) -> None:
        """A cell merged under another one shows that cell's value: what was typed in it
        is hidden, and lost at the next save. Said once, with the cell to unmerge."""
        top_left = sheet.merged_into(row, column)
        if top_left is None:
            return
        owner = f"{column_letters(top_left[1])}{top_left[0]}"
        self.issues.append(
            catalogue.issue(
                "cellule-fusionnee", self.file, sheet=sheet.name, cell=cell,
                field=spec_field.id, label=spec_field.label, owner=owner,
            )
        )  # fmt: skip

    def value(self, sheet: Sheet, row: int, column: int, spec_field: Any) -> Any:
        if sheet.specials:
            cell = f"{column_letters(column)}{row}"
            special = sheet.specials.get(cell)
            if special is not None:
                self.issues.append(_special_issue(self.file, sheet.name, cell, spec_field, special))
                return None
        return sheet.raw(row, column)

    def table(self, table: Table) -> tuple[pd.DataFrame, str, dict[str, str]]:
        """The table's rows indexed by Excel row, columns matched by header text."""
        ids = [column.id for column in table.columns]
        info = self.structure.tables.get(fold(table.name))
        match = _RANGE.match(info.ref) if info is not None else None
        if info is None or match is None or info.sheet not in self.sheets:
            self.issues.append(_missing_table_issue(self.file, table))
            return _frame([], [], ids), table.sheet, {}
        sheet = self.sheets[info.sheet]
        first_col, first_row = column_number(match[1]), int(match[2])
        last_col, last_row = column_number(match[3]), int(match[4])
        positions = self._match_headers(table, info, first_col, first_row)
        rows = list(range(first_row + info.header_rows, last_row - info.totals_rows + 1))
        if info.totals_rows == 0:  # rows typed just below the table belong to it
            extra = last_row + 1
            while extra <= len(sheet.grid) and sheet.filled(extra, first_col, last_col):
                rows.append(extra)
                extra += 1
        kept, records = [], []
        for row in rows:
            if sheet.filled(row, first_col, last_col):
                kept.append(row)
                records.append(self._record(sheet, row, table, positions))
        letters = {field_id: column_letters(col) for field_id, col in positions.items()}
        return _frame(records, kept, ids), info.sheet, letters

    def _record(self, sheet: Sheet, row: int, table: Table, positions: dict[str, int]) -> list:
        if sheet.specials:  # slow path: some cells need an issue
            return [
                None if column.id not in positions
                else self.value(sheet, row, positions[column.id], column)
                for column in table.columns
            ]  # fmt: skip
        line = sheet.grid[row - 1] if row <= len(sheet.grid) else []
        width = len(line)
        return [
            None if not 0 < (position := positions.get(column.id, 0)) <= width
            or (value := line[position - 1]) == "" else value
            for column in table.columns
        ]  # fmt: skip

    def _match_headers(
        self, table: Table, info: TableInfo, first_col: int, header_row: int
    ) -> dict[str, int]:
        by_header = _header_index(table)
        positions: dict[str, int] = {}
        for offset, header in enumerate(info.headers):
            column = by_header.get(fold(header))
            cell = f"{column_letters(first_col + offset)}{header_row}"
            if column is None or column.id in positions:
                self.issues.append(
                    catalogue.issue(
                        "colonne-inconnue", self.file, sheet=info.sheet, cell=cell,
                        value=header, table=table.title,
                    )
                )  # fmt: skip
                continue
            positions[column.id] = first_col + offset
        never = _months_never_had(table, positions)
        for column in table.columns:
            if column.id in never or predates(self.version, column.since):
                continue  # the file never had it: no erreur
            if column.id not in positions:
                self.issues.append(
                    catalogue.issue(
                        "colonne-manquante", self.file, sheet=info.sheet,
                        cell=f"{column_letters(first_col)}{header_row}", field=column.id,
                        label=column.label, table=table.title, row=header_row,
                    )
                )  # fmt: skip
        if never:
            months = sorted(never.values())
            self.issues.append(
                catalogue.issue(
                    "mois-absents", self.file, sheet=info.sheet, table=table.title,
                    months=_months_text(months), example=month_label(months[0]),
                )
            )  # fmt: skip
        return positions


def _months_never_had(table: Table, positions: dict[str, int]) -> dict[str, str]:
    """Follow-up month columns a file never had: before its first month column or after
    its last (the follow-up was extended since); a month missing in between was removed."""
    found = sorted(m for m in map(month_of_field_id, positions) if m)
    never = {}
    for column in table.columns:
        month = month_of_field_id(column.id)
        if month and column.id not in positions and not (found and found[0] < month < found[-1]):
            never[column.id] = month
    return never


def _months_text(months: list[str]) -> str:
    """« janvier 2019 », or « janvier 2019 à juin 2019 »."""
    first, last = month_label(months[0]), month_label(months[-1])
    return first if first == last else f"{first} à {last}"


@cache
def _header_index(table: Table) -> dict[str, Any]:
    """Folded header text (or field id) -> column of the spec."""
    index = {fold(column.label): column for column in table.columns}
    index.update({fold(column.id): column for column in table.columns})
    return index


def _frame(records: list[list[Any]], rows: list[int], ids: list[str]) -> pd.DataFrame:
    """One object block built at once: much cheaper than a dict of columns."""
    values = np.empty((len(rows), len(ids)), dtype=object)
    if records:
        values[:, :] = records  # element by element: a cell's value is never a sequence
    index = pd.Index(np.asarray(rows, dtype=np.int64), name="row")
    return pd.DataFrame(values, index=index, columns=_columns(tuple(ids)), dtype=object, copy=False)


@cache
def _columns(ids: tuple[str, ...]) -> pd.Index:
    return pd.Index(ids)  # immutable, so shared by every frame of the table


def _missing_table_issue(file: str, table: Table) -> Issue:
    return catalogue.issue("tableau-introuvable", file, sheet=table.sheet, table=table.title)


def _special_issue(
    file: str, sheet: str, cell: str, spec_field: Any, special: tuple[str, str]
) -> Issue:
    kind, code = special
    if kind == "error":
        return catalogue.issue(
            "valeur-erreur-excel",
            file,
            sheet=sheet,
            cell=cell,
            field=spec_field.id,
            label=spec_field.label,
            value=code,
        )
    return catalogue.issue(
        "formule-sans-valeur",
        file,
        sheet=sheet,
        cell=cell,
        field=spec_field.id,
        label=spec_field.label,
    )
