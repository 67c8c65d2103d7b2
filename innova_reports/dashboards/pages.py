"""A4 landscape pages: title band, footer, tiles and text tables drawn with matplotlib.

Every page shares the same frame (band at the top, footer at the bottom, the same
margins), so the PDF reads as one document rather than a pile of default plots.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from innova_reports.dashboards import style
from innova_reports.dashboards.figures import new_figure

LEFT, RIGHT = 0.045, 0.955
CONTENT_TOP, CONTENT_BOTTOM = 0.86, 0.07
LINE_HEIGHT = 0.026  # figure fraction per text line in tables


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the table's width
    chars: int  # wrap width in characters


def page(title: str, subtitle: str, footer: str) -> Figure:
    """A blank A4 landscape page with its title band and footer."""
    figure = new_figure(*style.A4_LANDSCAPE)
    figure.add_artist(Rectangle((0, 0.905), 1, 0.095, transform=figure.transFigure,
                                color=style.BAND, zorder=0))  # fmt: skip
    figure.text(LEFT, 0.958, style.wrap(title, 95, 1), color="white", fontsize=16,
                fontweight="bold", va="center")  # fmt: skip
    figure.text(LEFT, 0.923, subtitle, color="#DCE6F2", fontsize=9.5, va="center")
    figure.text(LEFT, 0.025, footer, color=style.GREY, fontsize=7.5)
    return figure


def section_title(figure: Figure, y: float, text: str) -> None:
    figure.text(LEFT, y, text, fontsize=11.5, fontweight="bold", color=style.BAND, va="top")


def tiles(figure: Figure, y: float, items: list[tuple[str, str, str, str | None]]) -> None:
    """Boxes side by side: (big value, label, detail, colour of the side mark or None)."""
    gap = 0.012
    width = (RIGHT - LEFT - gap * (len(items) - 1)) / len(items)
    for index, (value, label, detail, colour) in enumerate(items):
        x = LEFT + index * (width + gap)
        figure.add_artist(Rectangle((x, y - 0.13), width, 0.13, transform=figure.transFigure,
                                    facecolor="#F4F6F9", edgecolor="none"))  # fmt: skip
        if colour:
            figure.add_artist(Rectangle((x, y - 0.13), 0.006, 0.13, transform=figure.transFigure,
                                        color=colour))  # fmt: skip
        figure.text(x + 0.015, y - 0.018, label, fontsize=8.5, color=style.INK, va="top")
        figure.text(x + 0.015, y - 0.055, value, fontsize=20, fontweight="bold",
                    color=style.BAND, va="top")  # fmt: skip
        figure.text(x + 0.015, y - 0.108, style.wrap(detail, 34, 1), fontsize=7.5,
                    color=style.GREY, va="top")  # fmt: skip


def wrapped_rows(columns: list[Column], rows: list[list[str]]) -> list[tuple[list[str], int]]:
    """Each row's cells wrapped (3 lines at most) and the row's height in lines."""
    result = []
    for row in rows:
        cells = [
            style.wrap(text, column.chars, 3) for column, text in zip(columns, row, strict=True)
        ]
        result.append((cells, max(cell.count("\n") + 1 for cell in cells)))
    return result


def paginate(rows: list[tuple[list[str], int]], available_lines: int) -> list[list]:
    """Split wrapped rows into pages of at most ``available_lines`` lines."""
    pages: list[list] = [[]]
    used = 0
    for row in rows:
        if pages[-1] and used + row[1] > available_lines:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += row[1]
    return pages


def draw_table(figure: Figure, top: float, columns: list[Column], rows: list, marks=None) -> float:
    """Draw wrapped rows under a header row; return the y below the table.

    ``marks`` maps a row index to a colour drawn as a small square before the first
    cell (the text of the row always says the same thing in words).
    """
    x_positions = _x_positions(columns)
    y = top
    for x, column in zip(x_positions, columns, strict=True):
        figure.text(x, y, column.title, fontsize=8, fontweight="bold", color=style.INK, va="top")
    y -= LINE_HEIGHT * 1.1
    figure.add_artist(_rule(y + 0.006))
    for index, (cells, height) in enumerate(rows):
        if marks and marks.get(index):
            figure.add_artist(Rectangle((LEFT - 0.014, y - 0.017), 0.008, 0.014,
                                        transform=figure.transFigure, color=marks[index]))  # fmt: skip
        for x, text in zip(x_positions, cells, strict=True):
            figure.text(x, y, text, fontsize=8, color=style.INK, va="top", linespacing=1.25)
        y -= LINE_HEIGHT * height + 0.006
        figure.add_artist(_rule(y + 0.004, style.LIGHT_GREY))
    return y


def _x_positions(columns: list[Column]) -> list[float]:
    span = RIGHT - LEFT
    positions, x = [], LEFT
    for column in columns:
        positions.append(x)
        x += column.width * span
    return positions


def _rule(y: float, colour: str = style.GREY) -> Rectangle:
    return Rectangle((LEFT, y), RIGHT - LEFT, 0.0012, color=colour)


def sentence(figure: Figure, y: float, text: str) -> float:
    """A French sentence in place of an empty table; return the y below it."""
    figure.text(LEFT, y, style.wrap(text, 130), fontsize=9.5, style="italic", color=style.INK,
                va="top")  # fmt: skip
    return y - 0.045


class Flow:
    """Sections and tables poured onto as many pages as they need."""

    def __init__(self, title: str, subtitle: str) -> None:
        self.title, self.subtitle = title, subtitle
        self.figures: list[Figure] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.figures.append(page(self.title, self.subtitle, ""))
        self.y = CONTENT_TOP

    @property
    def figure(self) -> Figure:
        return self.figures[-1]

    def room(self, lines: float) -> None:
        if self.y - lines * LINE_HEIGHT < CONTENT_BOTTOM:
            self.new_page()

    def section(self, text: str) -> None:
        self.room(5)
        if self.y < CONTENT_TOP:
            self.y -= 0.02
        section_title(self.figure, self.y, text)
        self.y -= 0.045

    def sentence(self, text: str) -> None:
        self.room(2)
        self.y = sentence(self.figure, self.y, text)

    def table(self, columns: list[Column], rows: list[list[str]], marks=None) -> None:
        wrapped = wrapped_rows(columns, rows)
        start = 0
        while start < len(wrapped):
            available = int((self.y - CONTENT_BOTTOM) / (LINE_HEIGHT + 0.006)) - 2
            if available < 2:
                self.new_page()
                continue
            chunk = paginate(wrapped[start:], available)[0]
            chunk_marks = {i: marks.get(start + i) for i in range(len(chunk))} if marks else None
            self.y = draw_table(self.figure, self.y, columns, chunk, chunk_marks) - 0.01
            start += len(chunk)
            if start < len(wrapped):
                self.new_page()


def add_footers(figures: list[Figure], text: str) -> None:
    for number, figure in enumerate(figures, start=1):
        figure.text(LEFT, 0.025, f"{text} · page {number} / {len(figures)}", color=style.GREY,
                    fontsize=7.5)  # fmt: skip
