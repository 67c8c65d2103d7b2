"""The cells of the sheets a template's names and tables point to, read with calamine.

Each sheet's XML is vetted first (cell counts, stray far cells set aside), then the
values come from python-calamine: cached results of formulas, dates already typed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook

from innova_reports.read.safety import (
    Limits,
    Refusal,
    column_letters,
    read_member,
    rebuilt_zip,
    scan_sheet,
    vet_member,
    without_cells,
)
from innova_reports.read.xlsx import merged_ranges, special_cells
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue


@dataclass
class Sheet:
    name: str
    grid: list[list[Any]]
    specials: dict[str, tuple[str, str]]
    merges: tuple[tuple[int, int, int, int], ...] = ()
    percent_cells: frozenset[str] = frozenset()  # A1 cells displayed as percentages

    def merged_into(self, row: int, column: int) -> tuple[int, int] | None:
        """The top-left cell of the merge hiding (row, column), if another cell is it."""
        for first_row, first_col, last_row, last_col in self.merges:
            inside = first_row <= row <= last_row and first_col <= column <= last_col
            if inside and (row, column) != (first_row, first_col):
                return first_row, first_col
        return None

    def raw(self, row: int, column: int) -> Any:
        if row <= len(self.grid):
            line = self.grid[row - 1]
            if column <= len(line):
                value = line[column - 1]
                return None if value == "" else value
        return None

    def filled(self, row: int, first: int, last: int) -> bool:
        """Whether a row holds anything between two columns (errors and formulas count)."""
        if row <= len(self.grid) and any(v != "" for v in self.grid[row - 1][first - 1 : last]):
            return True
        return bool(self.specials) and any(
            f"{column_letters(col)}{row}" in self.specials for col in range(first, last + 1)
        )


def load_sheets(
    data: bytes,
    archive: zipfile.ZipFile,
    parts: dict[str, str],
    file: str,
    limits: Limits,
    vetted: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict[str, Sheet], list[Issue]]:
    """Vet each needed sheet's XML, set stray far cells aside, then read with calamine."""
    for part in archive.NameToInfo:  # every small XML part: a DOCTYPE anywhere is refused
        if part in vetted or part.startswith("xl/worksheets/sheet"):
            continue
        if part.endswith((".xml", ".rels")):
            vet_member(archive, part)
    specials, merges, replaced, issues = {}, {}, {}, []
    for sheet, part in parts.items():
        try:
            xml = read_member(archive, part)
        except KeyError:
            raise Refusal("zip-tronque", damage=f"la feuille « {sheet} » est absente") from None
        scan = scan_sheet(xml, sheet, limits)
        if scan.far_cells:
            replaced[part] = without_cells(xml, scan.far_cells)
            issues.append(far_cells_issue(file, sheet, scan.far_cells))
        specials[sheet] = special_cells(xml)
        merges[sheet] = merged_ranges(xml)
    if replaced:
        data = rebuilt_zip(archive, replaced)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = {
            sheet: book.get_sheet_by_name(sheet).to_python(skip_empty_area=False) for sheet in parts
        }
    except Exception:  # calamine raises its own error types for broken parts
        raise Refusal("fichier-illisible", what="son contenu est abîmé") from None
    sheets = {name: Sheet(name, grids[name], specials[name], merges[name]) for name in parts}
    return sheets, issues


def far_cells_issue(file: str, sheet: str, cells: tuple[str, ...]) -> Issue:
    """Cells set aside because they lie far outside the template (see ``safety.Limits``)."""
    shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
    return catalogue.issue("cellules-hors-zone", file, sheet=sheet, cell=cells[0], cells=shown)
