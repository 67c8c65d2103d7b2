"""One sheet (``table:table``) of an ODS ``content.xml``, edited as text.

ODS compresses runs of alike rows and cells (``number-rows-repeated``,
``number-columns-repeated``): a cell gets its own element, to carry a note, by splitting
the run it sits in into before / itself / after. Rows and cells past the last one
written are added as empty ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from innova_reports.annotate.xmltext import CannotAnnotate, attributes, element, start_tag

_ROW = "table:table-row"
_CELL_TAG = re.compile(r"<table:(table-cell|covered-table-cell)(?=[\s/>])")
_ROWS_REPEATED = "table:number-rows-repeated"
_COLUMNS_REPEATED = "table:number-columns-repeated"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _count(tag: str, name: str) -> int:
    value = attributes(tag).get(name, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _with_count(element_text: str, name: str, count: int) -> str:
    head = start_tag_of(element_text)
    rest = element_text[len(head) :]
    cleaned = re.sub(rf"""\s{re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""", "", head)
    if count > 1:
        close = len(cleaned) - (2 if cleaned.endswith("/>") else 1)
        cleaned = f'{cleaned[:close].rstrip()} {name}="{count}"{cleaned[close:]}'
    return cleaned + rest


def start_tag_of(element_text: str) -> str:
    match = re.match(
        r"<[^\s/>]+" + r"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""", element_text
    )
    if match is None:
        raise CannotAnnotate("élément de tableur illisible")
    return match.group(0)


def _split(element_text: str, name: str, offset: int, count: int) -> tuple[str, int]:
    """A run of ``count`` alike elements split so that the one at ``offset`` stands
    alone; returns the new text and where that element starts in it."""
    if count == 1:
        return element_text, 0
    before = _with_count(element_text, name, offset) if offset else ""
    alone = _with_count(element_text, name, 1)
    after = _with_count(element_text, name, count - offset - 1) if count - offset - 1 else ""
    return before + alone + after, len(before)


class Table:
    """The text of one ``table:table`` element."""

    def __init__(self, xml: str) -> None:
        self.xml = xml

    def rows(self) -> list[tuple[int, int, re.Match[str]]]:
        """(first row number, repeat count, element match) of every row, 1-based."""
        found, number = [], 1
        for match in element(_ROW).finditer(self.xml):
            count = _count(match.group(0), _ROWS_REPEATED)
            found.append((number, count, match))
            number += count
        return found

    def _row(self, row: int) -> Span:
        """The element of row ``row`` alone (split out of its run, or added)."""
        rows = self.rows()
        for first, count, match in rows:
            if first <= row < first + count:
                text, at = _split(match.group(0), _ROWS_REPEATED, row - first, count)
                self.xml = self.xml[: match.start()] + text + self.xml[match.end() :]
                alone = element(_ROW).match(self.xml, match.start() + at)
                return Span(alone.start(), alone.end())
        last = rows[-1][2].end() if rows else self._rows_insertion_point()
        missing = row - (rows[-1][0] + rows[-1][1] if rows else 1)
        filler = ""
        if missing > 0:
            repeat = f' {_ROWS_REPEATED}="{missing}"' if missing > 1 else ""
            filler = f"<table:table-row{repeat}><table:table-cell/></table:table-row>"
        alone = "<table:table-row><table:table-cell/></table:table-row>"
        self.xml = self.xml[:last] + filler + alone + self.xml[last:]
        start = last + len(filler)
        return Span(start, start + len(alone))

    def _rows_insertion_point(self) -> int:
        columns = list(start_tag("table:table-column").finditer(self.xml))
        if columns:
            tail = element("table:table-column").match(self.xml, columns[-1].start())
            return tail.end()
        return start_tag("table:table").match(self.xml).end()

    def cell(self, row: int, column: int) -> Span:
        """The element of the cell at (row, column), 1-based, standing alone."""
        row_span = self._row(row)
        row_xml = self.xml[row_span.start : row_span.end]
        head = start_tag_of(row_xml)
        body_start = row_span.start + len(head)
        position, number = body_start, 1
        while (found := _CELL_TAG.search(self.xml, position, row_span.end)) is not None:
            match = element(f"table:{found[1]}").match(self.xml, found.start())
            count = _count(match.group(0), _COLUMNS_REPEATED)
            if number <= column < number + count:
                text, at = _split(match.group(0), _COLUMNS_REPEATED, column - number, count)
                self.xml = self.xml[: match.start()] + text + self.xml[match.end() :]
                alone = element(f"table:{found[1]}").match(self.xml, match.start() + at)
                return Span(alone.start(), alone.end())
            number += count
            position = match.end()
        closing = self.xml.rfind(f"</{_ROW}>", row_span.start, row_span.end)
        if closing < 0:
            raise CannotAnnotate("ligne de tableur illisible")
        missing = column - number
        filler = f'<table:table-cell {_COLUMNS_REPEATED}="{missing}"/>' if missing > 1 else (
            "<table:table-cell/>" if missing == 1 else ""
        )  # fmt: skip
        cell = "<table:table-cell/>"
        self.xml = self.xml[:closing] + filler + cell + self.xml[closing:]
        start = closing + len(filler)
        return Span(start, start + len(cell))

    def merges(self) -> tuple[tuple[int, int, int, int], ...]:
        """(first row, first column, last row, last column) of each merged area."""
        found = []
        for first, count, match in self.rows():
            column = 1
            body = match.group(0)
            for cell in _CELL_TAG.finditer(body):
                tag = start_tag_of(body[cell.start() :])
                repeat = _count(tag, _COLUMNS_REPEATED)
                values = attributes(tag)
                rows = int(values.get("table:number-rows-spanned", "1") or 1)
                columns = int(values.get("table:number-columns-spanned", "1") or 1)
                if cell[1] == "table-cell" and (rows > 1 or columns > 1):
                    for r in range(first, first + count):
                        found.append((r, column, r + rows - 1, column + columns - 1))
                column += repeat
        return tuple(found)
