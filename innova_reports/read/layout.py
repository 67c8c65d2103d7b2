"""Where a table's values are, once people have typed around it and renamed its headers.

Two questions, answered the same way for every table of both templates:

- **Which rows.** Rows typed right under a table belong to it (Excel grows the table,
  LibreOffice does not). Rows typed after one or two blank rows, in the table's columns,
  are read into it too, and said so (*avertissement* naming them). Anything further
  down (after more blank rows, or under a totals row) and anything beside the table is
  not read, and said so with its cells (*avertissement*): nothing typed near a table
  vanishes in silence.
- **Which columns.** Headers are matched to the template's columns by their folded text.
  A renamed header that can only mean one column (similar words, ``frenchfmt.similar_words``,
  and at that column's place between its neighbours) is read as that column, and said
  so. A missing required column is an *erreur*, a missing optional one an
  *avertissement*, a column of a field newer than the file's template version is simply
  absent, and follow-up months the file never had are one *info*. The other columns are
  read whatever is missing: a row always reaches the master with what could be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from innova_reports.fields import Field, Table, month_of_field_id
from innova_reports.frenchfmt import count_words, month_label, similar_words
from innova_reports.read.safety import column_letters
from innova_reports.read.sheet import Sheet
from innova_reports.read.xlsx import fold  # cached: headers repeat in every file
from innova_reports.report import catalogue
from innova_reports.report.issue import Issue
from innova_reports.versions import predates

MAX_GAP = 2  # blank rows under a table after which what is typed still belongs to it
_LISTED = 5  # cells named in a message; the rest is « … »


@dataclass
class Span:
    """A table's place on its sheet: ``first_col``..``last_col``, header row, data rows
    ``first_data``..``last_data`` as declared, and the totals row count."""

    sheet: str
    first_col: int
    last_col: int
    header_row: int
    first_data: int
    last_row: int
    totals_rows: int


@dataclass
class Rows:
    """The rows read as the table's (declared or typed under it), and what was said."""

    rows: list[int]
    end: int  # last row of the table as read (its declared end, or the last row taken)
    issues: list[Issue] = field(default_factory=list)


def table_rows(file: str, table: Table, sheet: Sheet, span: Span) -> Rows:
    """The table's rows, grown by the rows typed under it (see the module docstring)."""
    rows = list(range(span.first_data, span.last_row - span.totals_rows + 1))
    end, flagged = span.last_row, []
    if span.totals_rows == 0:
        row, gap, crossed = span.last_row + 1, 0, False
        while row <= len(sheet.grid):
            if sheet.filled(row, span.first_col, span.last_col):
                if gap > MAX_GAP:
                    break
                crossed = crossed or gap > 0
                rows.append(row)
                if crossed:
                    flagged.append(row)
                end, gap = row, 0
            else:
                gap += 1
            row += 1
    result = Rows(rows, end)
    if flagged:
        result.issues.append(
            catalogue.issue(
                "lignes-sous-tableau", file, sheet=span.sheet,
                cell=f"{column_letters(span.first_col)}{flagged[0]}", table=table.title,
                rows=("La ligne " if len(flagged) == 1 else "Les lignes ") + rows_text(flagged),
                read_as="a été lue comme une ligne" if len(flagged) == 1
                else "ont été lues comme des lignes",
            )
        )  # fmt: skip
    result.issues += outside_values(file, table, sheet, span, end)
    return result


def outside_values(file: str, table: Table, sheet: Sheet, span: Span, end: int) -> list[Issue]:
    """Values typed beside the table (from its header to its last row) or below it (after
    more than ``MAX_GAP`` blank rows, or under its totals row): not read, and said so."""
    beside, below = [], []
    first, last = span.first_col, span.last_col
    for row in range(span.header_row, len(sheet.grid) + 1):
        line = sheet.grid[row - 1]
        if row <= end:
            if len(line) <= last and first == 1:
                continue  # the common case: nothing beside the table on this row
            columns = [c for c in range(1, len(line) + 1) if c < first or c > last]
            target = beside
        else:
            columns = range(1, len(line) + 1)
            target = below
        target += [f"{column_letters(c)}{row}" for c in columns if line[c - 1] != ""]
    issues = []
    for cells, place in ((beside, "beside"), (below, "below")):
        if not cells:
            continue
        if place == "beside":
            where_out = "à côté de ses colonnes"
        elif span.totals_rows:
            where_out = "sous sa ligne de total"
        else:
            where_out = f"sous lui, après plus de {MAX_GAP} lignes vides"
        issues.append(
            catalogue.issue(
                "valeurs-hors-tableau", file, sheet=span.sheet, cell=cells[0],
                table=table.title, cells=cells_text(cells), place=where_out,
                count=count_words(len(cells), "valeur saisie", "valeurs saisies"),
                taken="elle n'a pas été reprise" if len(cells) == 1
                else "elles n'ont pas été reprises",
            )
        )  # fmt: skip
    return issues


def outside_fields(file: str, sheet: Sheet, cells: list[tuple[int, int]]) -> list[Issue]:
    """Values typed on a sheet of single fields beside the input cells (to the right of
    their column) or below the last of them: not read, and said so with their cells.
    The template writes nothing there (labels sit left of the inputs)."""
    if not cells:
        return []
    last_row = max(row for row, _ in cells)
    last_col = max(column for _, column in cells)
    found = []
    for row, line in enumerate(sheet.grid, start=1):
        if len(line) <= last_col and row <= last_row + 1:
            continue  # the common case: nothing beyond the input column
        first = 1 if row > last_row + 1 else last_col + 1
        found += [f"{column_letters(c)}{row}" for c in range(first, len(line) + 1)
                  if line[c - 1] != ""]  # fmt: skip
    if not found:
        return []
    return [
        catalogue.issue(
            "valeurs-hors-champs", file, sheet=sheet.name, cell=found[0], cells=cells_text(found),
            count=count_words(len(found), "valeur saisie", "valeurs saisies"),
            taken="elle n'a pas été reprise" if len(found) == 1 else "elles n'ont pas été reprises",
        )
    ]  # fmt: skip


def find_headers(table: Table, sheet: Sheet) -> tuple[Span, tuple[str, ...]] | None:
    """The header row of a table that is no longer an Excel table: the first row holding
    the labels of at least half of the table's columns (and two), and the run of
    non-empty cells around them; its rows are then those typed under it."""
    index = header_index(table)
    wanted = max(2, (len(table.columns) + 1) // 2)
    for row, line in enumerate(sheet.grid, start=1):
        known = [c for c, value in enumerate(line, start=1)
                 if isinstance(value, str) and fold(value) in index]  # fmt: skip
        if len({index[fold(line[c - 1])].id for c in known}) < wanted:
            continue
        first, last = known[0], known[-1]
        while first > 1 and line[first - 2] != "":
            first -= 1
        while last < len(line) and line[last] != "":
            last += 1
        headers = tuple(str(value) for value in line[first - 1 : last])
        return Span(sheet.name, first, last, row, row + 1, row, 0), headers
    return None


# -- columns -----------------------------------------------------------------------------


@dataclass
class Columns:
    """Field id -> sheet column of each column read, and what was said about the others."""

    positions: dict[str, int]
    issues: list[Issue] = field(default_factory=list)


def match_headers(
    file: str,
    table: Table,
    headers: tuple[str, ...],
    sheet: Sheet,
    span: Span,
    rows: list[int],
    version: str,
) -> Columns:
    """Each header matched to a column of the template (see the module docstring)."""
    index = header_index(table)
    result = Columns({})
    first_of: dict[str, str] = {}  # field id -> header cell, for a repeated header
    unmatched: list[tuple[int, str]] = []  # (sheet column, header)
    for offset, header in enumerate(headers):
        column, position = index.get(fold(header)), span.first_col + offset
        cell = f"{column_letters(position)}{span.header_row}"
        if column is None:
            unmatched.append((position, header))
        elif column.id in result.positions:
            result.issues.append(
                _ignored_column("colonne-en-double", file, table, sheet, span, position,
                                header, rows, label=column.label, first=first_of[column.id])
            )  # fmt: skip
        else:
            result.positions[column.id] = position
            first_of[column.id] = cell
    expected = expected_columns(table, version)
    for position, column, header in _renamed(table, expected, unmatched, result.positions):
        result.positions[column.id] = position
        unmatched.remove((position, header))
        result.issues.append(
            catalogue.issue(
                "colonne-renommee", file, sheet=span.sheet,
                cell=f"{column_letters(position)}{span.header_row}", field=column.id,
                label=column.label, value=header, table=table.title,
            )
        )  # fmt: skip
    missing = [c for c in expected if c.id not in result.positions]
    for position, header in unmatched:
        result.issues.append(
            _ignored_column("colonne-inconnue", file, table, sheet, span, position, header,
                            rows, expected=_labels(missing))
        )  # fmt: skip
    result.issues += _missing_columns(file, table, span, missing, result.positions)
    return result


@lru_cache(maxsize=256)
def expected_columns(table: Table, version: str) -> tuple[Field, ...]:
    """The columns a file of template ``version`` has (those added later it never had)."""
    return tuple(c for c in table.columns if not predates(version, c.since))


@cache
def header_index(table: Table) -> dict[str, Field]:
    """Folded header text (label or field id) -> column of the spec."""
    index = {fold(column.label): column for column in table.columns}
    index.update({fold(column.id): column for column in table.columns})
    return index


def _renamed(
    table: Table,
    expected: tuple[Field, ...],
    unmatched: list[tuple[int, str]],
    found: dict[str, int],
) -> list[tuple[int, Field, str]]:
    """(sheet column, column, header) of each unknown header that can only mean one
    missing column: similar words, and at that column's place (after the columns that
    precede it in the template and before those that follow, as far as they were found).
    Each header and each column must be the other's only candidate."""
    missing = [c for c in expected if c.id not in found]
    if not missing or not unmatched:
        return []
    order = {column.id: rank for rank, column in enumerate(table.columns)}
    pairs = [
        (position, column, header)
        for position, header in unmatched
        for column in missing
        if similar_words(header, column.label) and _in_place(column, position, found, order)
    ]
    headers = [position for position, _, _ in pairs]
    columns = [column.id for _, column, _ in pairs]
    return [
        (position, column, header)
        for position, column, header in pairs
        if headers.count(position) == 1 and columns.count(column.id) == 1
    ]


def _in_place(column: Field, position: int, found: dict[str, int], order: dict[str, int]) -> bool:
    rank = order[column.id]
    before = [p for fid, p in found.items() if order.get(fid, -1) < rank]
    after = [p for fid, p in found.items() if order.get(fid, -1) > rank]
    return (not before or max(before) < position) and (not after or position < min(after))


def _ignored_column(
    issue_type: str,
    file: str,
    table: Table,
    sheet: Sheet,
    span: Span,
    position: int,
    header: str,
    rows: list[int],
    **values: str,
) -> Issue:
    """An unknown or repeated column: an *info* when it is empty, else an *avertissement*
    saying how many of its values were not read."""
    filled = sum(1 for row in rows if sheet.raw(row, position) is not None)
    if issue_type == "colonne-inconnue" and filled:
        issue_type = "colonne-inconnue-remplie"
    severity = None
    if issue_type == "colonne-en-double" and not filled:
        severity = catalogue.INFO  # an empty repeated header loses nothing
    return catalogue.issue(
        issue_type, file, sheet=span.sheet, cell=f"{column_letters(position)}{span.header_row}",
        value=header, table=table.title, severity=severity, taken=_taken(filled), **values,
    )  # fmt: skip


def _taken(filled: int) -> str:
    if filled == 0:
        return "elle est vide et a été ignorée"
    if filled == 1:
        return "sa valeur n'a pas été reprise"
    return f"ses {filled} valeurs n'ont pas été reprises"


def _missing_columns(
    file: str, table: Table, span: Span, missing: list[Field], found: dict[str, int]
) -> list[Issue]:
    """A required column missing is an *erreur*, an optional one an *avertissement*; the
    follow-up months a file never had (before its first month column or after its last)
    are one *info*."""
    months = sorted(m for m in map(month_of_field_id, found) if m)
    never, issues = [], []
    for column in missing:
        month = month_of_field_id(column.id)
        if month and not (months and months[0] < month < months[-1]):
            never.append(month)
            continue
        issues.append(
            catalogue.issue(
                "colonne-manquante" if column.required else "colonne-facultative-manquante",
                file, sheet=span.sheet, cell=f"{column_letters(span.first_col)}{span.header_row}",
                field=column.id, label=column.label, table=table.title, row=span.header_row,
            )
        )  # fmt: skip
    if never:
        issues.append(
            catalogue.issue(
                "mois-absents", file, sheet=span.sheet, table=table.title,
                months=months_text(never), example=month_label(never[0]),
            )
        )  # fmt: skip
    return issues


def _labels(columns: list[Field]) -> str:
    """« (colonne introuvable : « Avancement ») », or "" when none is missing."""
    if not columns:
        return ""
    shown = ", ".join(f"« {c.label} »" for c in columns[:_LISTED])
    noun = "colonne introuvable" if len(columns) == 1 else "colonnes introuvables"
    return f" ({noun} : {shown}{' …' if len(columns) > _LISTED else ''})"


# -- lists in messages ---------------------------------------------------------------------


def cells_text(cells: list[str]) -> str:
    """« H5, H6, H7, H8, H9 … »: the first cells, then an ellipsis."""
    return ", ".join(cells[:_LISTED]) + (" …" if len(cells) > _LISTED else "")


def rows_text(rows: list[int]) -> str:
    """« 14 à 16, 19 »: consecutive rows as ranges."""
    parts, start = [], None
    for index, row in enumerate(rows):
        if start is None:
            start = row
        if index + 1 == len(rows) or rows[index + 1] != row + 1:
            parts.append(str(row) if row == start else f"{start} à {row}")
            start = None
    return ", ".join(parts)


def months_text(months: list[str]) -> str:
    """« mars 2019 à juin 2019 »: the first and the last of the months."""
    labels = [month_label(m) for m in sorted(months)]
    return labels[0] if len(labels) == 1 else f"{labels[0]} à {labels[-1]}"
