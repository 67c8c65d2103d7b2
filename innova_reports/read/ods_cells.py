"""Where each cell of an .ods is: the row and column of every cell element of content.xml.

An ODS sheet does not write its cells' addresses: a cell is where it falls, counted over
the ``table:table-row`` elements of its sheet (each standing for
``table:number-rows-repeated`` rows) and the ``table:table-cell`` and
``table:covered-table-cell`` elements of its row (each standing for
``table:number-columns-repeated`` columns). This module is the one place that counts
them, so the reader and anything that rewrites a returned .ods agree on which element is
which cell.

The part is tokenised by one regular expression, as the .xlsx sheets are scanned: a
full XML parse in Python costs three times what the whole read of a file may. The scan
is exact for well-formed XML: comments, CDATA sections and processing instructions are
consumed whole, so a tag inside them is never taken for a cell, and a '>' inside a quoted
attribute value does not end a tag. The caller has refused any DOCTYPE (``safety``), so no
entity can change the text either.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import NamedTuple

# The elements read, by their local names in the table namespace ("table:" prefix).
TABLE = b"table"
ROW = b"table-row"
CELL = b"table-cell"
COVERED = b"covered-table-cell"
NAMES = b"named-expressions"
DATABASE_RANGES = b"database-ranges"

_ATTRIBUTES = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*"
# Every tag read; comments, CDATA sections and processing instructions consumed whole;
# and a cell element with plain content (text, paragraphs: no table, comment or other
# cell inside) taken whole, start to end, in one token: half the tokens of a part. The
# quantifiers are possessive, so a cell that is not plain costs no backtracking.
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb"|<table:(table-cell|covered-table-cell)(" + _ATTRIBUTES + rb")\s*>"
    rb"(?:[^<]++|<(?!table:table[\s/>]|/table:(?:table-cell|covered-table-cell)>|[!?]))*+"
    rb"</table:\1>"
    rb"|<(/?)table:(table-cell|covered-table-cell|table-row|table|named-expressions"
    rb"|database-ranges)(" + _ATTRIBUTES + rb")\s*(/?)>",
    re.S,
)
_ATTRIBUTE = re.compile(rb"([^\s=]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ROWS_REPEATED = re.compile(rb"table:number-rows-repeated\s*=\s*[\"']([^\"']*)")
_COLUMNS_REPEATED = re.compile(rb"table:number-columns-repeated\s*=\s*[\"']([^\"']*)")
_TEXT = re.compile(rb"<text:p\b[^>]*?(?:/>|>(.*?)</text:p>)", re.S)
_SPACES = re.compile(rb"<text:s\b(?:[^>]*?\btext:c\s*=\s*[\"']([0-9]{1,4})[\"'])?[^>]*/>")
_BREAKS = re.compile(rb"<text:(?:line-break|tab)\b[^>]*/>")
_TAGS = re.compile(rb"<[^>]*>")
_ANNOTATION = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.S)


class OdsContentError(ValueError):
    """content.xml is not what any spreadsheet writes (a count that is not a number)."""


class CellRun(NamedTuple):
    """One cell element: the block of ``rows`` × ``columns`` cells it stands for.

    ``start`` and ``end`` are byte offsets of the element in content.xml (``end`` just
    after it), so a caller can rewrite exactly this cell; ``row_start`` is the offset of
    the row element whose ``rows`` repeats it shares. ``raw`` holds its attributes as
    written; ``attributes`` decodes them (on each call). A named tuple: a part holds
    hundreds of cells, and a frozen dataclass costs four times as much to build.
    """

    sheet: str
    row: int  # first row, 1-based
    column: int  # first column, 1-based
    rows: int
    columns: int
    raw: bytes
    start: int
    end: int
    row_start: int
    covered: bool = False

    @property
    def filled(self) -> bool:
        """Holds a value or a formula: what a reader shows as not empty."""
        return cell_filled(self.raw)

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_column(self) -> int:
        return self.column + self.columns - 1

    @property
    def attributes(self) -> dict[str, str]:
        return parse_attributes(self.raw)

    def text(self, xml: bytes) -> str:
        """The text the cell shows, from its paragraphs (one line each)."""
        return cell_text(xml[self.start : self.end])


@dataclass(frozen=True)
class RowRun:
    """One row element repeated: ``rows`` rows from ``row``, bytes ``start`` to ``end``
    (its start tag ends at ``tag_end``)."""

    sheet: str
    row: int
    rows: int
    start: int
    end: int
    tag_end: int


@dataclass
class ContentMap:
    """What one scan of content.xml found.

    ``runs`` are the cell elements kept (every one with ``all_cells``, else those filled
    or merged over others), ``repeated_rows`` the row elements standing for more than one
    row, ``filled`` the number of filled cells of each sheet (repeats included), and
    ``blocks`` the byte span of the workbook-level named expressions and database
    ranges.
    """

    sheets: list[str] = field(default_factory=list)
    runs: list[CellRun] = field(default_factory=list)
    repeated_rows: list[RowRun] = field(default_factory=list)
    filled: dict[str, int] = field(default_factory=dict)
    blocks: dict[bytes, tuple[int, int]] = field(default_factory=dict)


def cell_filled(raw: bytes) -> bool:
    """Whether cell attributes hold a value or a formula (any ``office:`` value attribute,
    or ``table:formula``); an empty cell repeated over the rest of a row is how
    LibreOffice ends every row, and is nothing."""
    return b"office:" in raw or b"table:formula" in raw


def map_content(
    xml: bytes,
    *,
    all_cells: bool = False,
    max_cells: int | None = None,
    area: tuple[int, int] | None = None,
) -> ContentMap:
    """Scan content.xml once: sheets, cell positions, filled counts, name blocks.

    With ``max_cells``, a sheet whose filled cells (repeats included) pass that count
    stops the scan at once with ``TooManyCells``: a few bytes can stand for millions
    of cells, and nothing is built for them. With ``area`` (last row, last column), a
    filled cell is kept only if a value reader may need more than its value: a formula,
    an error or a percentage, or a cell beyond the area; merged cells are always kept.
    """
    return _scan(xml, all_cells, max_cells, area)


def _scan(
    xml: bytes, all_cells: bool, max_cells: int | None, area: tuple[int, int] | None
) -> ContentMap:
    """The one pass of ``map_content``; its hot path (cells) first, kept flat."""
    found = ContentMap()
    runs = found.runs
    sheet, depth, count = "", 0, 0
    row, rows, row_start, row_tag_end, column = 1, 1, 0, 0, 1
    opened: list[tuple[int, bytes, int, int, bool] | None] = []
    blocks: dict[bytes, int] = {}
    limit = max_cells if max_cells is not None else -1
    last_row, last_column = area if area is not None else (0, 0)
    for match in _TOKEN.finditer(xml):
        whole, whole_raw, closing, tag, raw, empty = match.groups()
        if whole is not None:  # a whole cell element: as its start tag, closed at once
            tag, raw, empty = whole, whole_raw, b"/"
        if tag in (CELL, COVERED):
            if closing:
                entry = opened.pop() if opened else None
                if entry is not None:
                    start, raw, first, columns, covered = entry
                    runs.append(CellRun(sheet, row, first, rows, columns, raw, start,
                                        match.end(), row_start, covered))  # fmt: skip
                continue
            if depth != 1:
                if not empty:
                    opened.append(None)
                continue
            columns = _repeats(_COLUMNS_REPEATED, raw) if b"-repeated" in raw else 1
            filled = b"office:" in raw or b"table:formula" in raw
            if filled:
                count += rows * columns
                if count > limit >= 0:
                    raise TooManyCells(sheet)
            if filled and area is not None:
                filled = (
                    b"table:formula" in raw or b"error" in raw or b"percentage" in raw
                    or row + rows - 1 > last_row or column + columns - 1 > last_column
                )  # fmt: skip
            if all_cells or filled or b"-spanned" in raw:
                if empty:
                    runs.append(CellRun(sheet, row, column, rows, columns, raw, match.start(),
                                        match.end(), row_start, tag == COVERED))  # fmt: skip
                else:
                    opened.append((match.start(), raw, column, columns, tag == COVERED))
            elif not empty:
                opened.append(None)
            column += columns
        elif tag is None:  # a comment, CDATA or processing instruction
            continue
        elif tag == ROW:
            if depth != 1:
                continue
            if not closing:
                rows = _repeats(_ROWS_REPEATED, raw) if b"-repeated" in raw else 1
                row_start, row_tag_end, column = match.start(), match.end(), 1
            if closing or empty:
                if rows > 1:
                    found.repeated_rows.append(
                        RowRun(sheet, row, rows, row_start, match.end(), row_tag_end)
                    )
                row += rows
                rows = 1
        elif tag == TABLE:
            if closing:
                depth -= 1
                if depth == 0:
                    found.filled[sheet] = found.filled.get(sheet, 0) + count
                continue
            if empty:
                if depth == 0:
                    found.sheets.append(_table_name(raw))
                    found.filled.setdefault(found.sheets[-1], 0)
                continue
            depth += 1
            if depth == 1:
                sheet, count = _table_name(raw), 0
                found.sheets.append(sheet)
                row, rows = 1, 1
        elif depth == 0:  # the workbook's named expressions and database ranges
            if closing and tag in blocks:
                found.blocks[tag] = (blocks.pop(tag), match.end())
            elif not closing and not empty:
                blocks[tag] = match.start()
    return found


class TooManyCells(Exception):
    """A sheet of an .ods holds more filled cells than the limit."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        super().__init__(sheet)


def cell_runs(xml: bytes, sheet: str | None = None) -> list[CellRun]:
    """Every cell element of content.xml (of one sheet if named), in document order."""
    runs = map_content(xml, all_cells=True).runs
    return runs if sheet is None else [run for run in runs if run.sheet == sheet]


def _repeats(pattern: re.Pattern[bytes], raw: bytes) -> int:
    found = pattern.search(raw)
    if found is None:
        return 1
    value = found.group(1)
    if not value.isdigit() or len(value) > 12:
        raise OdsContentError(value)
    return max(int(value), 1)


def _table_name(raw: bytes) -> str:
    return parse_attributes(raw).get("table:name", "")


def parse_attributes(raw: bytes) -> dict[str, str]:
    """Attributes of a tag as written, values decoded (entities and character refs)."""
    return {
        key.decode("utf-8", "replace"): _decode(double if double is not None else single)
        for key, double, single in _ATTRIBUTE.findall(raw)
    }


def _decode(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def cell_text(element: bytes) -> str:
    """The text a cell element shows: its paragraphs, one line each, without markup."""
    lines = []
    if b"<office:annotation" in element:  # a comment on the cell is not its text
        element = _ANNOTATION.sub(b"", element)
    for (inner,) in (m.groups() for m in _TEXT.finditer(element)):
        if not inner:
            lines.append("")
            continue
        inner = _SPACES.sub(lambda m: b" " * int(m.group(1) or 1), inner)
        inner = _BREAKS.sub(b"\n", inner)
        lines.append(_decode(_TAGS.sub(b"", inner)))
    return "\n".join(lines)
