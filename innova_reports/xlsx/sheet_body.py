"""A worksheet whose table bodies are rendered to sheet XML in one pass.

xlsxwriter keeps one Python object per written cell and serialises each one at
``close()``: about 4 µs a cell, 4.5 s for the million cells of 1,000 action sheets. A
table body of the master is known whole before it is written, column by column, so
``BodySheet.write_body`` renders it straight to ``<row>`` elements (well under 1 µs a
cell) and xlsxwriter writes everything else of the sheet as usual: title rows, the table
header, the Excel table, column widths and formats, conditional formats, print setup.

Values are typed as the master's typed writes always were: numbers as numbers, dates
and datetimes as Excel serials in their format, booleans as « Oui » / « Non », anything
else as text, never as a formula or a link. Text goes to the workbook's shared strings,
except a text shaped like ``<r>…</r>``: xlsxwriter's shared-string writer passes it
through as raw XML, which corrupts the workbook, and any group can type that; it is
written here as an escaped inline string.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

MAX_TEXT = 32_767  # UTF-16 code units in a cell, Excel's limit
BLOCK_ROWS = 2_000  # rows rendered together: short-lived lists, one string per block
_UNDERSCORE_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_TEXTS = frozenset({str, type(None)})
_NUMBERS = frozenset({int, float, type(None)})
_DATES = frozenset({dt.date, type(None)})
_BOOLEANS = frozenset({bool, type(None)})  # dates proper: a datetime has its own format


class BodyError(Exception):
    """A body overlapping cells written through xlsxwriter: a bug, not a user error."""


@dataclass(frozen=True)
class ColumnStyle:
    """Formats of one column's cells by kind of value. ``None``: the row's format if
    the row has one, else the column's (``set_column``, which must come first)."""

    number: Format | None = None
    text: Format | None = None
    date: Format | None = None
    datetime: Format | None = None


LongText = Callable[[int, int, str], str]  # (row, col, text) -> text of at most MAX_TEXT


def utf16_length(text: str) -> int:
    """Length as Excel counts it: a character outside the BMP (an emoji) counts two."""
    return len(text) if len(text) <= MAX_TEXT // 2 else len(text.encode("utf-16-le")) // 2


def utf16_prefix(text: str, units: int) -> str:
    """The longest start of ``text`` that fits in ``units`` UTF-16 code units."""
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore")


class BodySheet(Worksheet):
    """An xlsxwriter worksheet holding pre-rendered blocks of rows (bodies)."""

    def __init__(self) -> None:
        super().__init__()
        self._bodies: list[tuple[int, int, list[str]]] = []  # first, last row (0-based), XML
        self._serials: dict[Any, str] = {}  # Excel serials, by date
        self._charted: list[tuple[int, int, list[list[Any]]]] = []  # first row, col, columns
        self._elements: dict[str, str] = {}  # text -> the end of its cell element
        self._reused = 0  # shared-string references not yet counted in the string table

    def write_body(
        self,
        first_row: int,
        columns: Sequence[Sequence[Any]],
        styles: Sequence[ColumnStyle],
        *,
        first_col: int = 0,
        heights: Mapping[int, float] | None = None,
        row_formats: Mapping[int, Format] | None = None,
        long_text: LongText | None = None,
        charted: bool = False,
    ) -> int:
        """Render ``columns`` (one sequence of plain values per column) from ``first_row``
        and ``first_col``; return the number of rows.

        ``heights`` (points) and ``row_formats`` are keyed by 0-based row. A text over
        ``MAX_TEXT`` goes through ``long_text``, which shortens it (default: cut). Call
        before ``close()``; the rows of a body hold nothing else: no other body, no cell
        written through xlsxwriter, no ``set_row``. ``charted``: charts plot these cells,
        so their values are kept for the charts' cached data (``_get_range_data``).
        """
        heights_seen = {len(values) for values in columns}
        if len(heights_seen) > 1:
            raise BodyError(f"colonnes de longueurs différentes : {sorted(heights_seen)}")
        height = heights_seen.pop() if heights_seen else 0
        if height == 0:
            return 0
        last_row = first_row + height - 1
        if last_row >= self.xls_rowmax or first_col + len(columns) > self.xls_colmax:
            raise BodyError(
                f"{height} lignes à partir de la ligne {first_row + 1} : au-delà des "
                f"{self.xls_rowmax} lignes d'une feuille Excel"
            )
        for first, last, _ in self._bodies:
            if first <= last_row and first_row <= last:
                raise BodyError(f"deux corps de tableau se chevauchent (ligne {first_row + 1})")
        heights, row_formats = heights or {}, row_formats or {}
        renderers = [_ColumnRenderer(self, first_col + c, style, long_text)
                     for c, style in enumerate(styles)]  # fmt: skip
        chunks = []
        for start in range(0, height, BLOCK_ROWS):
            rows = range(first_row + start, first_row + min(start + BLOCK_ROWS, height))
            numbers = [str(row + 1) for row in rows]  # each row's number, once for all columns
            formatted = bool(row_formats) and any(row in row_formats for row in rows)
            cells = [renderer.cells(values[start : start + len(rows)], rows, numbers,
                                    row_formats if formatted else {})
                     for renderer, values in zip(renderers, columns, strict=True)]  # fmt: skip
            chunks.append("".join(
                f"{_row_start(row, heights.get(row), row_formats.get(row))}{''.join(line)}</row>"
                for row, line in zip(rows, zip(*cells, strict=True), strict=True)
            ))  # fmt: skip
        self.str_table.count += self._reused  # the references answered from _elements
        self._reused = 0
        self._bodies.append((first_row, last_row, chunks))
        self._bodies.sort(key=lambda body: body[0])
        if charted:
            self._charted.append((first_row, first_col, [list(values) for values in columns]))
        self._check_dimensions(first_row, first_col)
        self._check_dimensions(last_row, first_col + len(columns) - 1)
        return height

    def add_table(self, first_row, first_col, last_row, last_col, options=None):  # type: ignore[override]
        """xlsxwriter's ``add_table``, without its record of every cell of the range
        (one dict entry per cell to detect overlapping tables: 0.8 s and 100 MB for a
        million cells): declared over its header and first row, then stretched to
        ``last_row``. Overlaps are then only checked on those two rows: the sheets of
        this project put their tables one under the other, never across."""
        options = dict(options or {})
        if last_row >= self.xls_rowmax:
            return -1  # as xlsxwriter answers a range off the sheet
        if last_row - first_row <= 1 or "data" in options or options.get("total_row"):
            return super().add_table(first_row, first_col, last_row, last_col, options)
        code = super().add_table(first_row, first_col, first_row + 1, last_col, options)
        if code == 0:
            table = self.tables[-1]
            table["range"] = table["a_range"] = xl_range(first_row, first_col, last_row, last_col)
            if "autofilter" in table:
                table["autofilter"] = table["a_range"]
        return code

    def text_element(self, text: str) -> str:
        """The end of a ``<c …`` element holding ``text``: a shared string, written and
        escaped by xlsxwriter like any other, except the shape its writer would emit
        as raw XML (``<r>…</r>``), written here as an escaped inline string."""
        element = self._elements.get(text)
        if element is not None:
            if element[4] == "s":  # ' t="s"…': one more reference to a shared string
                self._reused += 1
            return element
        shown = text
        if _SURROGATE.search(shown):  # a lone surrogate (a file name's stray byte, say)
            shown = _SURROGATE.sub("\ufffd", shown)  # cannot be written as UTF-8
        if shown.startswith("<r>") and shown.endswith("</r>"):
            element = inline_string(shown)
        else:  # counts this reference; the later ones are added up in _reused
            element = f' t="s"><v>{self.str_table._get_shared_string_index(shown)}</v>'
        self._elements[text] = element
        return element

    def serial(self, value: dt.date) -> str:
        """A date or datetime as xlsxwriter's ``write_datetime`` stores it."""
        serial = self._serials.get(value)
        if serial is None:
            moment = value
            if not isinstance(moment, dt.datetime):
                moment = dt.datetime.combine(moment, dt.time(0))
            if moment.tzinfo is not None:  # Excel has no time zone: the wall-clock time
                moment = moment.replace(tzinfo=None)
            serial = self._serials[value] = f"{self._convert_date_time(moment):.16G}"
        return serial

    def _get_range_data(self, row_start, col_start, row_end, col_end):
        """The values a chart caches for a range (xlsxwriter reads them from its own
        cells): from a ``charted`` body when the range lies in one."""
        for first_row, first_col, columns in self._charted:
            height = len(columns[0]) if columns else 0
            if (first_row <= row_start <= row_end < first_row + height
                    and first_col <= col_start <= col_end < first_col + len(columns)):  # fmt: skip
                return [_cached(columns[col - first_col][row - first_row], self.serial)
                        for row in range(row_start, row_end + 1)
                        for col in range(col_start, col_end + 1)]  # fmt: skip
        return super()._get_range_data(row_start, col_start, row_end, col_end)

    def _write_sheet_data(self) -> None:
        """xlsxwriter's rows and the bodies, in row order."""
        if not self._bodies:
            super()._write_sheet_data()
            return
        for first, last, _ in self._bodies:
            overlap = [r for r in self.table if first <= r <= last and self.table[r]]
            overlap += [r for r in self.row_info if first <= r <= last]
            if overlap:
                raise BodyError(f"cellule écrite dans un corps de tableau (ligne {overlap[0] + 1})")
        top, bottom = self.dim_rowmin, self.dim_rowmax
        self._xml_start_tag("sheetData")
        try:
            above = top
            for first, last, chunks in self._bodies:
                if above < first:
                    self.dim_rowmin, self.dim_rowmax = above, first - 1
                    self._write_rows()
                for chunk in chunks:
                    self.fh.write(chunk)
                above = last + 1
            if above <= bottom:
                self.dim_rowmin, self.dim_rowmax = above, bottom
                self._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = top, bottom
        self._xml_end_tag("sheetData")


class BodyWorkbook(xlsxwriter.Workbook):
    """A workbook whose worksheets are ``BodySheet``s (xlsxwriter's own way to extend
    its worksheets: the ``worksheet_class`` of the workbook)."""

    worksheet_class = BodySheet


class _ColumnRenderer:
    """The ``<c>`` elements of one column, typed value by value."""

    def __init__(self, sheet: BodySheet, col: int, style: ColumnStyle,
                 long_text: LongText | None) -> None:  # fmt: skip
        self.sheet, self.col, self.style = sheet, col, style
        self.letter = xl_col_to_name(col)
        self.long_text = long_text
        info = sheet.col_info.get(col)
        self.column_format = info.column_format if info is not None else None
        self.attributes = self._attributes(None)

    def _attributes(self, row_format: Format | None) -> dict[str, str]:
        """The ``s`` attribute of each kind of cell, given the row's format."""
        style, fallback = self.style, row_format or self.column_format
        kinds = {"number": style.number, "text": style.text, "date": style.date,
                 "datetime": style.datetime}  # fmt: skip
        return {kind: _style_attribute(fmt or fallback) for kind, fmt in kinds.items()}

    def cells(self, values: Sequence[Any], rows: range, numbers: list[str],
              row_formats: Mapping[int, Format]) -> list[str]:  # fmt: skip
        """One element per row ("" for an empty cell); ``numbers``: the rows' numbers as
        text; ``row_formats``: those of these rows, if any."""
        if not row_formats:
            kinds = set(map(type, values))
            if kinds <= _TEXTS and max(map(len, filter(None, values)), default=0) <= MAX_TEXT // 2:
                return self._texts(values, numbers)
            if kinds <= _NUMBERS and all(map(math.isfinite, filter(None, values))):
                return self._numbers(values, numbers)
            if kinds <= _DATES:
                return self._dates(values, numbers)
            if kinds <= _BOOLEANS:
                words = [None if v is None else "Oui" if v else "Non" for v in values]
                return self._texts(words, numbers)
        return [
            self._cell(row, value, row_formats) for row, value in zip(rows, values, strict=True)
        ]

    def _texts(self, values: Sequence[str | None], numbers: list[str]) -> list[str]:
        """A column of short texts, the commonest kind (fast path)."""
        start, element = f'<c r="{self.letter}', self.sheet.text_element
        style = self.attributes["text"]
        return [f'{start}{number}"{style}{element(value)}</c>' if value else ""
                for number, value in zip(numbers, values, strict=True)]  # fmt: skip

    def _numbers(self, values: Sequence[float | None], numbers: list[str]) -> list[str]:
        """A column of finite numbers (fast path)."""
        start, style = f'<c r="{self.letter}', self.attributes["number"]
        return [f"{start}{number}\"{style}><v>{value:.16G}</v></c>" if value is not None else ""
                for number, value in zip(numbers, values, strict=True)]  # fmt: skip

    def _dates(self, values: Sequence[dt.date | None], numbers: list[str]) -> list[str]:
        """A column of dates, without times (fast path)."""
        start, style, serial = f'<c r="{self.letter}', self.attributes["date"], self.sheet.serial
        return [f"{start}{number}\"{style}><v>{serial(value)}</v></c>" if value is not None else ""
                for number, value in zip(numbers, values, strict=True)]  # fmt: skip

    def _cell(self, row: int, value: Any, row_formats: Mapping[int, Format]) -> str:
        if value is None or value == "" or (type(value) is float and value != value):
            return ""
        at = self.attributes if row not in row_formats else self._attributes(row_formats[row])
        ref, sheet = f"{self.letter}{row + 1}", self.sheet
        if isinstance(value, bool):
            return f'<c r="{ref}"{at["text"]}{sheet.text_element("Oui" if value else "Non")}</c>'
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                # Excel has no infinite number: an error value, never a formula
                return f'<c r="{ref}"{at["number"]} t="e"><v>#NUM!</v></c>'
            return f'<c r="{ref}"{at["number"]}><v>{value:.16G}</v></c>'
        if isinstance(value, dt.datetime):
            return f'<c r="{ref}"{at["datetime"]}><v>{sheet.serial(value)}</v></c>'
        if isinstance(value, dt.date):
            return f'<c r="{ref}"{at["date"]}><v>{sheet.serial(value)}</v></c>'
        text = value if isinstance(value, str) else str(value)
        if len(text) > MAX_TEXT // 2 and utf16_length(text) > MAX_TEXT:
            text = self._shortened(row, text)
        return f'<c r="{ref}"{at["text"]}{sheet.text_element(text)}</c>'

    def _shortened(self, row: int, text: str) -> str:
        shortened = self.long_text(row, self.col, text) if self.long_text else text
        if utf16_length(shortened) > MAX_TEXT:
            shortened = utf16_prefix(shortened, MAX_TEXT)
        return shortened


def _cached(value: Any, serial: Callable[[dt.date], str]) -> Any:
    """A cell's value as xlsxwriter caches it for a chart: numbers and dates as the text
    of their number, None for an empty cell."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, (int, float)):
        return f"{value:.16g}"
    if isinstance(value, dt.date):
        return serial(value)
    return str(value)


def _style_attribute(fmt: Format | None) -> str:
    return f' s="{fmt._get_xf_index()}"' if fmt is not None else ""


def _row_start(row: int, height: float | None, row_format: Format | None) -> str:
    start = f'<row r="{row + 1}"'
    if row_format is not None:
        start += f' s="{row_format._get_xf_index()}" customFormat="1"'
    if height is not None:
        start += f' ht="{height:.16G}" customHeight="1"'
    return start + ">"


def inline_string(text: str) -> str:
    """The end of a ``<c …`` element holding ``text`` as an inline string.

    Escaped as Excel does: XML markup as entities, control characters as ``_xHHHH_``
    (and a literal ``_xHHHH_`` as ``_x005F_xHHHH_``); a lone surrogate, which UTF-8
    cannot carry, becomes U+FFFD.
    """
    if "_x" in text:
        text = _UNDERSCORE_ESCAPE.sub(r"_x005F\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{text.translate(_XML)}</t></is>'
