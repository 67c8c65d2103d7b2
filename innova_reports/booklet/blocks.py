"""The booklet's content as plain blocks, shared by the PDF and the DOCX renderers.

The content module decides *what* is said (French words, labels from the field
dictionary, values formatted once by ``frenchfmt``); a renderer only decides how a
heading, a table or a paragraph looks. Every string in a block is final display
text: renderers never format, translate or interpret it — in particular it is never
markup (the Typst renderer hands it over as JSON data).
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_FILLED = "non renseigné"
SHEET_TO_COME = "fiche à venir"


@dataclass(frozen=True)
class Heading:
    """Level 1: a part (the programme, an axis, the annex), named in the running header;
    level 2: a roadmap or an action sheet, listed in the contents; level 3: a section."""

    level: int
    text: str
    new_page: bool = False


@dataclass(frozen=True)
class Paragraphs:
    """Free text: one string per paragraph; a single ``\\n`` inside is a line break."""

    paragraphs: tuple[str, ...]
    note: bool = False  # set apart (italic): « fiche à venir », explanations


@dataclass(frozen=True)
class Fields:
    """Label / value pairs, one per line (the single fields of a template)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats on every page it runs over.

    ``widths`` are relative column widths; ``numeric`` columns are right-aligned;
    ``total`` is a last row set in bold (sums), or None.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...] = ()
    total: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        count = len(self.columns)
        if len(self.widths) != count or any(len(row) != count for row in self.rows):
            raise ValueError("every row of a table has one cell per column")
        if not self.numeric:
            object.__setattr__(self, "numeric", (False,) * count)


Block = Heading | Paragraphs | Fields | Table


@dataclass(frozen=True)
class Cover:
    programme: str
    councils: tuple[str, ...]
    title: str  # « Plan d'actions »
    subtitle: str
    status: str  # « adopté par le comité de pilotage du … » or « document de travail — … »
    edition: str  # the consolidation it comes from


@dataclass(frozen=True)
class ActionSheet:
    """One action of an axis: its sheet, or the announcement of a sheet to come."""

    code: str
    title: str
    axis: int
    axis_label: str
    blocks: tuple[Block, ...]
    received: bool = True


@dataclass(frozen=True)
class AxisPart:
    number: int
    label: str  # « Axe 1 – Demandes / relations usagers »: the running header
    roadmap: tuple[Block, ...]
    sheets: tuple[ActionSheet, ...]


@dataclass(frozen=True)
class Booklet:
    """The whole plan d'actions of one period, ready to render."""

    period: str
    title: str  # document title (PDF and DOCX properties)
    author: str
    cover: Cover
    programme: tuple[Block, ...]
    axes: tuple[AxisPart, ...]
    annex: tuple[Block, ...]
    contents_title: str = "Sommaire"

    @property
    def sheets(self) -> tuple[ActionSheet, ...]:
        return tuple(sheet for axis in self.axes for sheet in axis.sheets)

    def body(self) -> list[Block]:
        """Every block after the contents, in reading order."""
        blocks: list[Block] = [*self.programme]
        for axis in self.axes:
            blocks += [*axis.roadmap]
            for sheet in axis.sheets:
                blocks += [*sheet.blocks]
        return blocks + [*self.annex]
