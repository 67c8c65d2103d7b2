"""The cells of the sheets a template's names and tables point to, read with calamine.

Each sheet's XML is vetted first (cell counts, stray far cells set aside), then the
values come from python-calamine: cached results of formulas, dates already typed.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from python_calamine import CalamineWorkbook

from innova_reports.read.safety import (
    Limits,
    Refusal,
    column_letters,
    parse_xml,
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
    # Cells whose number format shows a percentage (« 70 % » typed is stored as 0.7 with
    # such a format, by Excel and LibreOffice alike): what the user sees is the number
    # times 100. Empty cells may be listed too; only numbers are affected.
    percent_cells: frozenset[str] = frozenset()

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
    specials, merges, percents, replaced, issues = {}, {}, {}, {}, []
    styles = _percent_styles_of(archive)
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
        percents[sheet] = percent_cells(xml, styles)
    if replaced:
        data = rebuilt_zip(archive, replaced)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = {
            sheet: book.get_sheet_by_name(sheet).to_python(skip_empty_area=False) for sheet in parts
        }
    except Exception:  # calamine raises its own error types for broken parts
        raise Refusal("fichier-illisible", what="son contenu est abîmé") from None
    sheets = {
        name: Sheet(name, grids[name], specials[name], merges[name], percents[name])
        for name in parts
    }
    return sheets, issues


# -- cells shown as a percentage ------------------------------------------------------

STYLES_PART = "xl/styles.xml"
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}  # Excel's built-in number formats with a %
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str) -> bool:
    """Whether a number format code shows a number as a percentage: a % in its first
    section, outside quoted text, escapes and [colour] or [locale] brackets."""
    first = _QUOTED.sub("", code).split(";", 1)[0]
    return "%" in first


def _percent_styles_of(archive: zipfile.ZipFile) -> frozenset[int]:
    if STYLES_PART not in archive.NameToInfo:
        return frozenset()
    return percent_styles(read_member(archive, STYLES_PART))


@lru_cache(maxsize=256)
def percent_styles(xml: bytes) -> frozenset[int]:
    """Indices (a cell's ``s``) of the cell formats of styles.xml that show a percentage;
    cached on the part's bytes: files made from one template share it."""
    root = parse_xml(xml, STYLES_PART)
    formats = dict(_BUILTIN_PERCENT)
    found: set[int] = set()
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "numFmt":
            try:
                formats[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
            except ValueError:
                continue
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "cellXfs":
            continue
        for index, xf in enumerate(child for child in element if child.tag.endswith("xf")):
            try:
                code = formats.get(int(xf.get("numFmtId", "0")))
            except ValueError:
                continue
            if code is not None and is_percent_format(code):
                found.add(index)
        break
    return frozenset(found)


def percent_cells(xml: bytes, styles: frozenset[int]) -> frozenset[str]:
    """The cells of a sheet whose format is one of ``styles``. Found by searching each
    style's ``s="N"`` and going back to its cell's ``r``: the template's percentage
    columns are a few dozen cells in a sheet of thousands, and a byte search is far
    cheaper than a pattern over every cell. Every writer (Excel, LibreOffice, openpyxl,
    xlsxwriter) puts ``r`` first, as the schema orders the attributes."""
    if not styles:
        return frozenset()
    end = xml.rfind(b"</sheetData>")
    end = end if end >= 0 else len(xml)
    found = []
    for index in styles:
        token = b' s="%d"' % index
        at = xml.find(token, 0, end)
        while at >= 0:
            start = xml.rfind(b"<c ", 0, at)
            if start >= 0 and xml.find(b">", start, at) < 0:  # the same tag
                match = _REF.match(xml, start)
                if match:
                    found.append(match[1].decode())
            at = xml.find(token, at + len(token), end)
    return frozenset(found)


_REF = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')


def far_cells_issue(file: str, sheet: str, cells: tuple[str, ...]) -> Issue:
    """Cells set aside because they lie far outside the template (see ``safety.Limits``)."""
    shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
    return catalogue.issue("cellules-hors-zone", file, sheet=sheet, cell=cells[0], cells=shown)
