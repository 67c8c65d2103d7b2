"""The plan of an annotated copy: which cell gets which mark and note, and the list
of points of the « À corriger » sheet, from a file's issues. Format-agnostic: the
.xlsx and .ods patchers both draw this plan.

Only *erreurs* and *avertissements* are marked: an *info* is nothing to fix (the
coordinator's report keeps it). A cell covered by a merge is marked on the merge's
visible cell, since what sits under a merge cannot be seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from innova_reports.annotate.text import plain
from innova_reports.frenchfmt import count_words
from innova_reports.read.safety import column_letters, column_number
from innova_reports.report.issue import Issue, Severity, sort_issues

AUTHOR = "INNOVA BRIVE – contrôle"
# Our block in a note starts with a line « <author> : »; next month it is found by this
# line (LibreOffice drops comment authors on save, so the author cannot be relied on).
MARKER_SUFFIX = " – contrôle :"
SHEET_TITLE = "À corriger"
MARKED = (Severity.ERROR, Severity.WARNING)
SEVERITY_WORDS = {Severity.ERROR: "Erreur", Severity.WARNING: "Avertissement"}
WHOLE_SHEET = "toute la feuille"
WHOLE_FILE = "tout le classeur"
SHEET_MISSING = "feuille absente du classeur"
STRIPPED = " Ces cellules ont été retirées de cette copie ; l'original est archivé tel quel."

_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")

Merges = tuple[tuple[int, int, int, int], ...]


@dataclass(frozen=True)
class Point:
    """One line of the « À corriger » sheet."""

    severity: Severity
    sheet: str  # as named in the workbook, "" for the whole file
    cell: str  # the marked cell, "" when the point has none
    where: str  # French, when there is no cell: where to look
    label: str
    value: str
    message: str

    @property
    def link(self) -> str:
        """The cell an internal link goes to ("" for none): A1 for a whole sheet."""
        if not self.sheet or self.where in (SHEET_MISSING, WHOLE_FILE):
            return ""
        return self.cell or "A1"


@dataclass
class Mark:
    """A cell to colour, and the lines of its note."""

    severity: Severity
    lines: list[str] = field(default_factory=list)

    def note(self, author: str = AUTHOR) -> str:
        return "\n".join([author + " :", *self.lines])


@dataclass
class Plan:
    points: list[Point]
    marks: dict[str, dict[str, Mark]]  # sheet -> cell -> mark

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.points)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.points)


def to_fix(issues: Iterable[Issue]) -> list[Issue]:
    """The issues a copy shows, in the order of the feedback: errors first."""
    return sort_issues(i for i in issues if i.severity in MARKED)


def build_plan(
    issues: Iterable[Issue],
    sheets: Collection[str],
    merges: Callable[[str], Merges],
    stripped: Collection[tuple[str, str]] = (),
) -> Plan:
    """Marks and points for ``issues`` in a workbook holding ``sheets``.

    ``merges(sheet)`` gives the merged ranges of a sheet; ``stripped`` the (sheet, cell)
    pairs that are not in the copy (stray far cells set aside by the reader)."""
    points, marks = [], {}
    for issue in to_fix(issues):
        sheet, cell = issue.sheet, issue.cell if _CELL.match(issue.cell or "") else ""
        # one line (a blank line ends our block in a note), the user's spaces kept
        message = re.sub(r"[ \t]*\n\s*", " ", plain(issue.message))
        if (sheet, cell) in stripped:
            cell, message = "", message + STRIPPED
        if cell and sheet in sheets:
            cell = visible_cell(cell, merges(sheet))
            mark = marks.setdefault(sheet, {}).setdefault(cell, Mark(issue.severity))
            mark.severity = worst(mark.severity, issue.severity)
            mark.lines.append(f"{SEVERITY_WORDS[issue.severity]} : {message}")
        where = "" if cell and sheet in sheets else _where(sheet, sheets)
        points.append(Point(issue.severity, sheet, cell if not where else "", where,
                            issue.label, issue.value, message))  # fmt: skip
    return Plan(points, marks)


def _where(sheet: str, sheets: Collection[str]) -> str:
    if not sheet:
        return WHOLE_FILE
    return WHOLE_SHEET if sheet in sheets else SHEET_MISSING


def visible_cell(cell: str, merges: Merges) -> str:
    """The top-left cell of the merge covering ``cell``, or ``cell`` itself."""
    match = _CELL.match(cell)
    if match is None or not merges:
        return cell
    row, column = int(match[2]), column_number(match[1])
    for first_row, first_col, last_row, last_col in merges:
        if first_row <= row <= last_row and first_col <= column <= last_col:
            return f"{column_letters(first_col)}{first_row}"
    return cell


def worst(a: Severity, b: Severity) -> Severity:
    return a if MARKED.index(a) <= MARKED.index(b) else b


def summary(plan: Plan) -> str:
    """The bold line of the « À corriger » sheet."""
    parts = []
    if plan.errors:
        parts.append(f"{count_words(plan.errors, 'erreur')} à corriger")
    if plan.warnings:
        parts.append(f"{count_words(plan.warnings, 'avertissement')} à vérifier")
    return (" et ".join(parts) or "Rien à corriger") + " dans ce classeur."


def our_lines(lines: Sequence[str]) -> set[int]:
    """The indexes of the lines of our blocks in a note, with their separator.

    Our block is the line « … – contrôle : » and the lines after it up to a blank line
    (our lines never hold one): what the group wrote before or after it, set apart by a
    blank line, is kept."""
    dropped: set[int] = set()
    i = 0
    while i < len(lines):
        if not lines[i].endswith(MARKER_SUFFIX):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip():
            j += 1
        start = i
        while start > 0 and not lines[start - 1].strip() and start - 1 not in dropped:
            start -= 1
        end = j
        if start == 0:  # nothing of the group's before: its blank lines after go too
            while end < len(lines) and not lines[end].strip():
                end += 1
        dropped.update(range(start, end))
        i = j
    return dropped


def our_ranges(text: str) -> list[tuple[int, int]]:
    """``our_lines`` as [start, end) character spans of ``text`` (newlines included)."""
    lines = text.split("\n")
    dropped = our_lines(lines)
    spans, position = [], 0
    for index, line in enumerate(lines):
        end = position + len(line) + (1 if index < len(lines) - 1 else 0)
        if index in dropped:
            if spans and spans[-1][1] == position:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((position, end))
        position = end
    # the newline ending the kept text just before a block at the end goes with it
    if spans and spans[-1][1] == len(text) and spans[-1][0] > 0 and text[spans[-1][0] - 1] == "\n":
        spans[-1] = (spans[-1][0] - 1, spans[-1][1])
    return spans


def strip_our_block(text: str) -> str:
    """A note's text without the blocks we added (``our_lines``)."""
    lines = text.split("\n")
    dropped = our_lines(lines)
    return "\n".join(line for index, line in enumerate(lines) if index not in dropped)


def is_ours(text: str) -> bool:
    return any(line.endswith(MARKER_SUFFIX) for line in text.split("\n"))


def joined(group_text: str, ours: str) -> str:
    """The group's note, then ours after a blank line."""
    return f"{group_text}\n\n{ours}" if group_text.strip() else ours


def sorted_cells(cells: Sequence[str]) -> list[str]:
    def key(cell: str) -> tuple[int, int]:
        match = _CELL.match(cell)
        return (int(match[2]), column_number(match[1])) if match else (0, 0)

    return sorted(cells, key=key)
