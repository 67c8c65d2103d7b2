"""Row heights that show a row's whole text, in Excel and in LibreOffice, on screen and on A4.

Neither Excel nor LibreOffice fits a row to its wrapped text when it opens a file: a
row keeps the height written in the file (or the default one line), and text that
needs more lines overlaps the next row or is cut. So every row holding wrapped text
gets its height written, computed from the text and the width of its column.

A column's width counts characters of the sheet's default font (its digit width), so
a text takes about as many lines in Excel with Calibri as in LibreOffice with its
fallback font: 1.13 to 1.19 characters of French text fit in one unit of width
(measured on LibreOffice's PDF, DejaVu Sans). The estimate counts 1.0, and lines as
tall as Excel makes them (15 points, LibreOffice takes 13): a text ends with a little
room below it, never cut. ``tests/test_heights.py`` measures the texts with the real
font instead (DejaVu Sans, through Pillow) and checks they fit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

DEFAULT_HEIGHT = 15.0  # points: one line of 11-point text, the sheets' default row
LINE_HEIGHT = 15.0  # points per line of 11-point text (Excel: 14.3; LibreOffice: 13.6)
PADDING = 3.0  # points: the cell's top and bottom margins
MAX_HEIGHT = 409.0  # points: the tallest row Excel allows
CHARS_PER_UNIT = 1.0  # characters of regular 11-point text per unit of column width
BOLD_FACTOR = 0.88  # bold characters are up to 13 % wider
ITALIC_FACTOR = 0.97


def line_count(text: str, width: float, *, size: float = 11, bold: bool = False,
               italic: bool = False) -> int:  # fmt: skip
    """Lines that ``text`` takes once wrapped in a column ``width`` units wide."""
    per_line = width * CHARS_PER_UNIT * 11 / size
    per_line *= BOLD_FACTOR if bold else 1.0
    per_line *= ITALIC_FACTOR if italic else 1.0
    per_line = max(int(per_line), 1)
    return sum(_paragraph_lines(paragraph, per_line) for paragraph in str(text).split("\n"))


def _paragraph_lines(paragraph: str, per_line: int) -> int:
    """Greedy word wrap, as both programs do it: a word too long for a line is cut."""
    lines, used = 1, 0
    for word in paragraph.split():
        size = len(word)
        if used and used + 1 + size <= per_line:
            used += 1 + size
            continue
        if used:
            lines += 1
        lines += (size - 1) // per_line if size > per_line else 0
        used = size % per_line or min(size, per_line)
    return lines


def text_height(text: str, width: float, *, size: float = 11, bold: bool = False,
                italic: bool = False) -> float:  # fmt: skip
    """Points a cell needs to show ``text`` wrapped in a column ``width`` units wide."""
    lines = line_count(text, width, size=size, bold=bold, italic=italic)
    return min(math.ceil(lines * LINE_HEIGHT * size / 11 + PADDING), MAX_HEIGHT)


def row_height(cells: Iterable[tuple[str, float, bool]], *, least: float = DEFAULT_HEIGHT,
               size: float = 11) -> float:  # fmt: skip
    """The height of a row of (text, column width, bold) cells: the tallest one's need,
    and at least ``least`` (the row's own height, e.g. room to type a long text)."""
    need = least
    for text, width, bold in cells:
        if text:
            need = max(need, text_height(text, width, size=size, bold=bold))
    return min(need, MAX_HEIGHT)
