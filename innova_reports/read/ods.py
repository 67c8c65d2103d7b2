"""The structure and the sheets of an .ods package, as the extractor reads an .xlsx.

A template saved by LibreOffice as .ods keeps its workbook-scoped defined names as
named ranges (and its constant names, ``innova_modele`` among them, as named
expressions), turns its Excel tables into database ranges whose first row holds the
headers, and writes its custom document properties into meta.xml. All the sheets are
in one part, content.xml: it is vetted like an .xlsx sheet (DOCTYPE refused, cells
counted with their repeats before any parser sees them, cells far outside the template
set aside), its name blocks are parsed by ``safety.stream_xml``, and the cell values
come from python-calamine, as for an .xlsx.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from python_calamine import CalamineWorkbook

from innova_reports.read.ods_cells import (
    DATABASE_RANGES,
    NAMES,
    CellRun,
    ContentMap,
    OdsContentError,
    TooManyCells,
    map_content,
)
from innova_reports.read.safety import (
    Limits,
    Refusal,
    column_letters,
    column_number,
    parse_xml,
    read_member,
    rebuilt_zip,
    stream_xml,
    too_many_cells,
    too_many_cells_in_workbook,
    vet_member,
)
from innova_reports.read.sheet import Sheet, far_cells_issue
from innova_reports.read.xlsx import Structure, TableInfo, fold
from innova_reports.report.issue import Issue

CONTENT = "content.xml"
META = "meta.xml"
MANIFEST = "META-INF/manifest.xml"
MAX_MERGES = 10_000  # a template has a few dozen; beyond, the rest says nothing more

# One cell of an ODS address: $'Fiche action'.$B$5, Tâches.A4, .$A$7 (same sheet).
_CELL = r"(?:\$?(?:'((?:[^']|'')*)'|([^'.:$#][^.:]*?)))?\.\$?([A-Z]{1,3})\$?([0-9]{1,7})"
_ADDRESS = re.compile(rf"^{_CELL}(?::{_CELL})?$")


@dataclass
class OdsContent:
    """What is read of an .ods before its values: the structure the extractor uses, and
    the scan of content.xml that its sheets are built from."""

    structure: Structure
    xml: bytes
    found: ContentMap


def read_ods_structure(archive: zipfile.ZipFile, limits: Limits) -> OdsContent:
    """Sheets, workbook-scoped names, database ranges (headers still unread) and the
    custom properties of an .ods; refused if encrypted, hostile or too large."""
    _check_not_encrypted(archive)
    try:
        xml = read_member(archive, CONTENT)
    except KeyError:
        raise Refusal(
            "zip-tronque", damage="le contenu du classeur (content.xml) est absent"
        ) from None
    try:
        found = map_content(
            xml, max_cells=limits.max_cells, area=(limits.max_row, limits.max_column)
        )
    except TooManyCells as too_many:
        raise too_many_cells(too_many.sheet, limits) from None
    except OdsContentError:
        raise Refusal("zip-tronque", damage=f"la partie {CONTENT} est illisible") from None
    if sum(found.filled.values()) > limits.max_cells_total:
        raise too_many_cells_in_workbook(limits)
    structure = Structure(vetted={CONTENT, MANIFEST, META, "mimetype"})
    structure.sheet_parts = dict.fromkeys(found.sheets, CONTENT)
    structure.names = _names(xml, found)
    structure.tables = _tables(xml, found)
    structure.properties = _meta_properties(archive)
    return OdsContent(structure, xml, found)


def load_ods_sheets(
    data: bytes,
    archive: zipfile.ZipFile,
    content: OdsContent,
    needed: Iterable[str],
    file: str,
    limits: Limits,
) -> tuple[dict[str, Sheet], list[Issue]]:
    """The needed sheets read by calamine, with their special, merged and percent cells;
    the headers of the database ranges on them filled in from their first row."""
    for part in archive.NameToInfo:  # every XML part: a DOCTYPE anywhere is refused
        if part not in content.structure.vetted and part.endswith((".xml", ".rdf")):
            vet_member(archive, part)
    needed = [sheet for sheet in needed if sheet in content.structure.sheet_parts]
    cells = {sheet: _SheetCells() for sheet in needed}
    far: dict[str, list[CellRun]] = {}
    for run in content.found.runs:  # only those that may matter (see map_content)
        beyond = run.last_row > limits.max_row or run.last_column > limits.max_column
        if beyond and run.filled:
            far.setdefault(run.sheet, []).append(run)
        if run.sheet in cells:
            cells[run.sheet].add(run, content.xml, limits)
    issues = []
    if far:
        xml = _without_far_cells(content.xml, content.found, far, limits)
        data = rebuilt_zip(archive, {CONTENT: xml})
        issues = [far_cells_issue(file, sheet, _far_addresses(runs, limits))
                  for sheet, runs in far.items()]  # fmt: skip
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = {sheet: book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                 for sheet in needed}  # fmt: skip
    except Exception:  # calamine raises its own error types for broken parts
        raise Refusal("fichier-illisible", what="son contenu est abîmé") from None
    sheets = {sheet: cells[sheet].sheet(sheet, grids[sheet]) for sheet in needed}
    _fill_headers(content, sheets)
    return sheets, issues


# -- structure ---------------------------------------------------------------------------


def _check_not_encrypted(archive: zipfile.ZipFile) -> None:
    """A password-protected .ods lists its encrypted parts in its manifest."""
    if MANIFEST not in archive.NameToInfo:
        return
    if b"encryption-data" in read_member(archive, MANIFEST):
        raise Refusal("protege-par-mot-de-passe")


def _block_elements(xml: bytes, found: ContentMap, block: bytes) -> list[tuple[str, dict]]:
    """(element name, attributes) inside one workbook-level block of content.xml."""
    span = found.blocks.get(block)
    if span is None:
        return []
    elements: list[tuple[str, dict]] = []

    def bind(parser: Any) -> None:
        parser.StartElementHandler = lambda name, attributes: elements.append((name, attributes))

    stream_xml(xml[span[0] : span[1]], CONTENT, bind)
    return elements


def _names(xml: bytes, found: ContentMap) -> dict[str, str]:
    """Workbook-scoped names as the .xlsx reader holds them: "'Sheet'!$B$5" for a cell,
    '="text"' for a constant."""
    names = {}
    for element, attributes in _block_elements(xml, found, NAMES):
        name = attributes.get("table:name", "")
        if element == "table:named-range":
            names[name] = excel_reference(attributes.get("table:cell-range-address", ""))
        elif element == "table:named-expression":
            expression = attributes.get("table:expression", "").strip()
            names[name] = "=" + expression.removeprefix("of:").lstrip("=")
    return names


def _tables(xml: bytes, found: ContentMap) -> dict[str, TableInfo]:
    """Database ranges as tables; their headers are read from the cells later."""
    tables = {}
    for element, attributes in _block_elements(xml, found, DATABASE_RANGES):
        if element != "table:database-range":
            continue
        parsed = parse_address(attributes.get("table:target-range-address", ""))
        if parsed is None or parsed[2] is None:
            continue
        sheet, first, last = parsed
        name = attributes.get("table:name", "")
        header = attributes.get("table:contains-header", "true") != "false"
        tables[fold(name)] = TableInfo(name, sheet, f"{first}:{last}", (), int(header), 0)
    return tables


def parse_address(address: str) -> tuple[str, str, str | None] | None:
    """``$'Fiche action'.$B$5`` -> ("Fiche action", "B5", None);
    ``Tâches.A4:Tâches.G16`` -> ("Tâches", "A4", "G16"); None for anything else."""
    match = _ADDRESS.match(address.strip())
    if match is None:
        return None
    quoted, plain, letters, digits, quoted2, plain2, letters2, digits2 = match.groups()
    if quoted is None and plain is None:
        return None
    sheet = quoted.replace("''", "'") if quoted is not None else plain
    if quoted2 is not None or plain2 is not None:
        other = quoted2.replace("''", "'") if quoted2 is not None else plain2
        if other != sheet:
            return None
    last = f"{letters2}{digits2}" if letters2 else None
    return sheet, f"{letters}{digits}", last


def excel_reference(address: str) -> str:
    """An ODS cell address in the .xlsx form ``read.xlsx.parse_ref`` reads, or the
    address as it is when it leads nowhere (a deleted sheet: #REF!)."""
    parsed = parse_address(address)
    if parsed is None:
        return address
    sheet, first, last = parsed
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{_absolute(first)}" + (f":{_absolute(last)}" if last else "")


def _absolute(cell: str) -> str:
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters) :]}"


def _meta_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    """The custom document properties (meta:user-defined) of meta.xml."""
    if META not in archive.NameToInfo:
        return {}
    properties = {}
    for element in parse_xml(read_member(archive, META), META).iter():
        if element.tag.endswith("}user-defined"):
            name = next((v for k, v in element.attrib.items() if k.endswith("}name")), "")
            properties[name] = (element.text or "").strip()
    return properties


# -- cells -------------------------------------------------------------------------------


class _SheetCells:
    """Special, merged and percent cells of one sheet, from its cell elements."""

    def __init__(self) -> None:
        self.specials: dict[str, tuple[str, str]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.percent: set[str] = set()

    def add(self, run: CellRun, xml: bytes, limits: Limits) -> None:
        raw = run.raw
        if b"-spanned" in raw and len(self.merges) < MAX_MERGES:
            self._merge(run, limits)
        if not run.filled:
            return
        special = _special(run, xml)
        percent = b"percentage" in raw and run.attributes.get("office:value-type") == "percentage"
        if special is None and not percent:
            return
        for cell in _positions(run, limits):
            if special is not None:
                self.specials[cell] = special
            if percent:
                self.percent.add(cell)

    def _merge(self, run: CellRun, limits: Limits) -> None:
        attributes = run.attributes
        columns = _span(attributes.get("table:number-columns-spanned"))
        rows = _span(attributes.get("table:number-rows-spanned"))
        if columns == 1 and rows == 1:
            return
        for row in range(run.row, min(run.last_row, limits.max_row) + 1):
            for column in range(run.column, min(run.last_column, limits.max_column) + 1):
                if len(self.merges) >= MAX_MERGES:
                    return
                self.merges.append((row, column, row + rows - 1, column + columns - 1))

    def sheet(self, name: str, grid: list[list[Any]]) -> Sheet:
        return Sheet(name, grid, self.specials, tuple(self.merges), frozenset(self.percent))


def _special(run: CellRun, xml: bytes) -> tuple[str, str] | None:
    """("error", what the cell shows) for a formula in error (calamine reads its 0),
    ("formula", "") for a formula saved without its result."""
    raw = run.raw
    if b"table:formula" not in raw and b"error" not in raw:
        return None
    attributes = run.attributes
    if attributes.get("calcext:value-type") == "error":
        return "error", run.text(xml) or "#ERREUR"
    if "table:formula" in attributes and "office:value-type" not in attributes:
        return "formula", ""
    return None


def _positions(run: CellRun, limits: Limits) -> Iterable[str]:
    for row in range(run.row, min(run.last_row, limits.max_row) + 1):
        for column in range(run.column, min(run.last_column, limits.max_column) + 1):
            yield f"{column_letters(column)}{row}"


def _span(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) <= 7 else 1


def _fill_headers(content: OdsContent, sheets: dict[str, Sheet]) -> None:
    """Each database range's headers: the text of its first row, as the user sees it
    (a header LibreOffice took for a date or a number is read as it shows)."""
    shown: dict[tuple[str, int, int], str] | None = None
    for key, info in content.structure.tables.items():
        if info.header_rows == 0 or info.sheet not in sheets:
            continue
        sheet = sheets[info.sheet]
        first, last = info.ref.split(":")
        letters, last_letters = first.rstrip("0123456789"), last.rstrip("0123456789")
        row = int(first[len(letters) :])
        start, end = column_number(letters), column_number(last_letters)
        headers = []
        for column in range(start, min(end, start + 16_384) + 1):
            value = sheet.raw(row, column)
            if value is None or isinstance(value, str):
                headers.append(value or "")
                continue
            if shown is None:  # rare: every cell's text, from a second scan
                shown = _texts(content.xml)
            headers.append(shown.get((info.sheet, row, column), str(value)))
        content.structure.tables[key] = replace(info, headers=tuple(headers))


def _texts(xml: bytes) -> dict[tuple[str, int, int], str]:
    """(sheet, row, column) -> the text a filled cell shows, from its first cell."""
    return {(run.sheet, run.row, run.column): run.text(xml)
            for run in map_content(xml, all_cells=True).runs if run.filled}  # fmt: skip


# -- cells far outside the template ------------------------------------------------------


def _far_addresses(runs: list[CellRun], limits: Limits) -> tuple[str, ...]:
    """The first far cell of each run, as the message lists them."""
    cells = []
    for run in runs:
        if run.row > limits.max_row or run.column > limits.max_column:
            row, column = run.row, run.column
        elif run.last_column > limits.max_column:
            row, column = run.row, limits.max_column + 1
        else:
            row, column = limits.max_row + 1, run.column
        cells.append(f"{column_letters(column)}{row}")
    return tuple(cells)


_ROWS_ATTRIBUTE = re.compile(rb"table:number-rows-repeated\s*=\s*[\"'][0-9]+[\"']")
_COLUMNS_ATTRIBUTE = re.compile(rb"table:number-columns-repeated\s*=\s*[\"'][0-9]+[\"']")


def _empty_cells(columns: int) -> bytes:
    if columns == 1:
        return b"<table:table-cell/>"
    return f'<table:table-cell table:number-columns-repeated="{columns}"/>'.encode()


def _without_far_cells(
    xml: bytes, found: ContentMap, far: dict[str, list[CellRun]], limits: Limits
) -> bytes:
    """content.xml with the filled cells beyond the read area emptied, every other cell
    left where it was: a reader would otherwise allocate every cell up to them.

    A cell repeated across the border keeps its part inside; a row repeated across it is
    split, its rows beyond made empty.
    """
    edits: list[tuple[int, int, bytes]] = []
    split_rows: dict[int, int] = {}  # row element offset -> rows kept
    for runs in far.values():
        for run in runs:
            element = xml[run.start : run.end]
            if run.row > limits.max_row or run.column > limits.max_column:
                edits.append((run.start, run.end, _empty_cells(run.columns)))
                continue
            if run.last_column > limits.max_column:
                inside = limits.max_column - run.column + 1
                kept = _COLUMNS_ATTRIBUTE.sub(
                    f'table:number-columns-repeated="{inside}"'.encode(), element, count=1
                )
                edits.append((run.start, run.end, kept + _empty_cells(run.columns - inside)))
            if run.last_row > limits.max_row:
                split_rows[run.row_start] = limits.max_row - run.row + 1
    for row in found.repeated_rows:
        kept = split_rows.get(row.start)
        if kept is None:
            continue
        tag = _ROWS_ATTRIBUTE.sub(
            f'table:number-rows-repeated="{kept}"'.encode(), xml[row.start : row.tag_end], count=1
        )
        empty = f'<table:table-row table:number-rows-repeated="{row.rows - kept}">'
        edits.append((row.start, row.tag_end, tag))
        edits.append((row.end, row.end, (empty + "<table:table-cell/></table:table-row>").encode()))
    pieces, position = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        pieces += [xml[position:start], replacement]
        position = end
    pieces.append(xml[position:])
    return b"".join(pieces)
