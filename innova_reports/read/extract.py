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

from innova_reports.fields import FieldType, Table, template_spec
from innova_reports.frenchfmt import french_number
from innova_reports.model import FORMAT_LABELS, RawCell, SourceFile, WorkbookData
from innova_reports.read import layout
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
    issues += extractor.beside_fields(fields.values())
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
        else:  # a table turned into a plain range: its sheet, to find it by its headers
            sheets.add(table.sheet)
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
    """Reads values by defined name and by table, recording issues with their cell.

    ``version`` is the file's template version: a field newer than it is simply absent.
    """

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

    def beside_fields(self, cells: Any) -> list[Issue]:
        """What was typed beside the single fields' cells, on each of their sheets."""
        by_sheet: dict[str, list[tuple[int, int]]] = {}
        for raw in cells:
            letters = raw.cell.rstrip("0123456789")
            by_sheet.setdefault(raw.sheet, []).append(
                (int(raw.cell[len(letters) :]), column_number(letters))
            )
        tables = {info.sheet for info in self.structure.tables.values()}
        return [
            issue
            for name, positions in by_sheet.items()
            if name in self.sheets and name not in tables  # a table's sheet: see layout
            for issue in layout.outside_fields(self.file, self.sheets[name], positions)
        ]

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
        value = sheet.raw(row, column)
        if sheet.percent_cells and f"{column_letters(column)}{row}" in sheet.percent_cells:
            return as_displayed(value, spec_field)
        return value

    def table(self, table: Table) -> tuple[pd.DataFrame, str, dict[str, str]]:
        """The table's rows indexed by Excel row, columns matched by header text (see
        ``layout``: rows typed under the table, renamed and missing headers)."""
        ids = [column.id for column in table.columns]
        info = self.structure.tables.get(fold(table.name))
        match = _RANGE.match(info.ref) if info is not None else None
        if info is None or match is None or info.sheet not in self.sheets:
            return self._range_table(table, ids)
        sheet = self.sheets[info.sheet]
        first_row, last_row = int(match[2]), int(match[4])
        span = layout.Span(
            info.sheet, column_number(match[1]), column_number(match[3]), first_row,
            first_row + info.header_rows, last_row, info.totals_rows,
        )  # fmt: skip
        return self._read_span(table, sheet, span, info.headers)

    def _range_table(self, table: Table, ids: list[str]) -> tuple[pd.DataFrame, str, dict]:
        """A table turned into a plain range (« Convertir en plage »): its rows are found
        under its headers, said so; only when the headers are gone too is it lost."""
        sheet = self.sheets.get(table.sheet)
        found = layout.find_headers(table, sheet) if sheet is not None else None
        if found is None:
            self.issues.append(_missing_table_issue(self.file, table))
            return _frame([], [], ids), table.sheet, {}
        span, headers = found
        self.issues.append(
            catalogue.issue(
                "tableau-en-plage", self.file, sheet=span.sheet,
                cell=f"{column_letters(span.first_col)}{span.header_row}", table=table.title,
                row=span.header_row,
            )
        )  # fmt: skip
        return self._read_span(table, sheet, span, headers)

    def _read_span(
        self, table: Table, sheet: Sheet, span: layout.Span, headers: tuple[str, ...]
    ) -> tuple[pd.DataFrame, str, dict[str, str]]:
        ids = [column.id for column in table.columns]
        found = layout.table_rows(self.file, table, sheet, span)
        kept = [row for row in found.rows if sheet.filled(row, span.first_col, span.last_col)]
        columns = layout.match_headers(self.file, table, headers, sheet, span, kept, self.version)
        self.issues += columns.issues + found.issues
        positions = columns.positions
        percents = _percent_positions(sheet, table, positions)
        records = [self._record(sheet, row, table, positions, percents) for row in kept]
        letters = {field_id: column_letters(col) for field_id, col in positions.items()}
        return _frame(records, kept, ids), span.sheet, letters

    def _record(
        self,
        sheet: Sheet,
        row: int,
        table: Table,
        positions: dict[str, int],
        percents: dict[int, list[tuple[int, Any]]],
    ) -> list:
        if sheet.specials:  # slow path: some cells need an issue
            return [
                None if column.id not in positions
                else self.value(sheet, row, positions[column.id], column)
                for column in table.columns
            ]  # fmt: skip
        line = sheet.grid[row - 1] if row <= len(sheet.grid) else []
        width = len(line)
        record = [
            None if not 0 < (position := positions.get(column.id, 0)) <= width
            or (value := line[position - 1]) == "" else value
            for column in table.columns
        ]  # fmt: skip
        for index, column in percents.get(row, ()):
            record[index] = as_displayed(record[index], column)
        return record


def _percent_positions(
    sheet: Sheet, table: Table, positions: dict[str, int]
) -> dict[int, list[tuple[int, Any]]]:
    """Row -> (index in the record, column) of the table's cells shown as a percentage."""
    if not sheet.percent_cells:
        return {}
    by_position = {
        position: (index, column)
        for index, column in enumerate(table.columns)
        if (position := positions.get(column.id)) is not None
    }
    found: dict[int, list[tuple[int, Any]]] = {}
    for cell in sheet.percent_cells:
        letters = cell.rstrip("0123456789")
        entry = by_position.get(column_number(letters))
        if entry is not None:
            found.setdefault(int(cell[len(letters) :]), []).append(entry)
    return found


def as_displayed(value: Any, spec_field: Any) -> Any:
    """A number in a cell shown as a percentage, as the user meant it.

    « 70 % » typed is stored as 0.7 with a percentage format (Excel and LibreOffice), so
    in any field but a percentage one the value is the text the cell shows (« 70 % »),
    for normalisation to read (an indicator whose unit is « % » takes it as 70) or to
    refuse with that text. In a percentage field the share is what the cell means, with
    one exception: LibreOffice stores a bare number typed in a percentage cell as it is
    (30 typed shows « 3000 % »), so a whole number or one of 2 and more is left to the
    normaliser's rule (30 is 30 %); only between 1 and 2 (1,5 shows « 150 % », the
    share Excel stores for « 150 % » typed) does the cell's display decide."""
    if type(value) not in (int, float):
        return value
    if spec_field.type is FieldType.PERCENT:
        if not 1 < abs(value) < 2 or float(value).is_integer():
            return value
    elif spec_field.type in (FieldType.DATE, FieldType.CHOICE):
        return value
    return french_number(value * 100) + " %"


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
