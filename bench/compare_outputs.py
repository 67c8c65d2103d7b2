"""Compare the workbooks of two runs cell by cell: what changed between two versions.

Give it two output folders (``output/`` or ``output/2018-05/``) or two workbooks. It
pairs the master workbooks (``plan_actions_*.xlsx``) by their path relative to each
folder, and with ``--feedback`` the feedback workbooks too (``retours/**.xlsx``),
then prints every cell whose value differs (sheet, cell, old, new), the sheets present
on one side only, and a count per sheet. Values are compared as openpyxl reads them
(formats and styles are not compared); the document properties are not cells.

Rows are aligned first (difflib on whole rows), so that one row inserted in a table is
said once — « row inserted » with its cells — instead of shifting every row below it
into a difference; rows changed in place are compared cell by cell. ``--no-align``
compares strictly by position (row N with row N).

    .venv/bin/python bench/compare_outputs.py OLD_DIR NEW_DIR [--feedback] [--limit N]
        [--no-align]

Exit code 0 when every paired workbook is identical, 1 when something differs, 2 on a
usage error (a folder without any workbook to compare).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import math
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

MASTER_GLOB = "plan_actions_*.xlsx"
FEEDBACK_GLOB = "retours/**/*.xlsx"


@dataclass(frozen=True)
class Difference:
    workbook: str
    sheet: str
    cell: str  # "B12"; "" for a sheet present on one side only
    old: object
    new: object


def workbooks(folder: Path, feedback: bool) -> dict[str, Path]:
    """The workbooks to compare under ``folder``, by path relative to it."""
    if folder.is_file():
        return {folder.name: folder}
    found = {}
    globs = [MASTER_GLOB, f"*/{MASTER_GLOB}"]
    if feedback:
        globs += [FEEDBACK_GLOB, f"*/{FEEDBACK_GLOB}"]
    for pattern in globs:
        for path in folder.glob(pattern):
            found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


def compare_workbooks(name: str, old: Path, new: Path, align: bool = True) -> Iterator[Difference]:
    """Every differing cell of two workbooks, sheet by sheet in the new one's order."""
    before = openpyxl.load_workbook(old, read_only=True, data_only=True)
    after = openpyxl.load_workbook(new, read_only=True, data_only=True)
    try:
        for sheet in _sheet_order(before.sheetnames, after.sheetnames):
            if sheet not in after.sheetnames:
                yield Difference(name, sheet, "", "(feuille présente)", "(feuille absente)")
            elif sheet not in before.sheetnames:
                yield Difference(name, sheet, "", "(feuille absente)", "(feuille présente)")
            else:
                compare = _aligned_sheets if align else _compare_sheets
                yield from compare(name, sheet, before[sheet], after[sheet])
    finally:
        before.close()
        after.close()


def _sheet_order(old: list[str], new: list[str]) -> list[str]:
    return [*new, *(sheet for sheet in old if sheet not in new)]


def _compare_sheets(name: str, sheet: str, old, new) -> Iterator[Difference]:
    rows = zip_longest(old.iter_rows(values_only=True), new.iter_rows(values_only=True),
                       fillvalue=())  # fmt: skip
    for number, (before, after) in enumerate(rows, start=1):
        for column, (a, b) in enumerate(zip_longest(before, after), start=1):
            if not same(a, b):
                yield Difference(name, sheet, f"{get_column_letter(column)}{number}", a, b)


def _aligned_sheets(name: str, sheet: str, old, new) -> Iterator[Difference]:
    before = [_trimmed(row) for row in old.iter_rows(values_only=True)]
    after = [_trimmed(row) for row in new.iter_rows(values_only=True)]
    keys = ([_key(row) for row in before], [_key(row) for row in after])
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(paired):  # changed in place: cell by cell
            a, b = before[i1 + offset], after[j1 + offset]
            for column, (x, y) in enumerate(zip_longest(a, b), start=1):
                if not same(x, y):
                    yield Difference(
                        name, sheet, f"{get_column_letter(column)}{j1 + offset + 1}", x, y
                    )
        for index in range(i1 + paired, i2):  # only in the old sheet
            yield Difference(name, sheet, f"ligne {index + 1} (ancienne)", _row_text(before[index]),
                             "(ligne supprimée)")  # fmt: skip
        for index in range(j1 + paired, j2):  # only in the new sheet
            yield Difference(name, sheet, f"ligne {index + 1}", "(ligne ajoutée)",
                             _row_text(after[index]))  # fmt: skip


def _trimmed(row: tuple) -> tuple:
    values = [_blank(value) for value in row]
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _key(row: tuple) -> tuple:
    """A row as difflib compares it: floats to 12 significant digits (see ``same``)."""
    return tuple(float(f"{v:.12g}") if isinstance(v, float) else v for v in row)


def _row_text(row: tuple) -> str:
    return " | ".join(show(value) for value in row)


def same(old: object, new: object) -> bool:
    """Equal as a reader sees them: an empty string is an empty cell, 3 is 3.0, and
    floats within a relative 1e-12 (the last digit of a float written by two writers)."""
    old, new = _blank(old), _blank(new)
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if isinstance(old, bool) or isinstance(new, bool):
            return old is new
        return math.isclose(old, new, rel_tol=1e-12, abs_tol=0.0)
    if _dated(old, new):  # a date is not a datetime at midnight
        return type(old) is type(new) and old == new
    return old == new


def _dated(old: object, new: object) -> bool:
    return isinstance(old, (dt.date, dt.time)) or isinstance(new, (dt.date, dt.time))


def _blank(value: object) -> object:
    return None if value == "" else value


def show(value: object) -> str:
    if value is None:
        return "(vide)"
    text = repr(value) if not isinstance(value, str) else value
    return text.replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="output folder (or workbook) of the old version")
    parser.add_argument("new", type=Path, help="output folder (or workbook) of the new version")
    parser.add_argument("--feedback", action="store_true",
                        help="compare the feedback workbooks (retours/) too")  # fmt: skip
    parser.add_argument("--no-align", action="store_true",
                        help="compare row N with row N, without aligning inserted rows")  # fmt: skip
    parser.add_argument("--limit", type=int, default=0,
                        help="print at most N differing cells per sheet (0: all)")  # fmt: skip
    args = parser.parse_args(argv)
    old, new = workbooks(args.old, args.feedback), workbooks(args.new, args.feedback)
    if args.old.is_file() and args.new.is_file():
        old, new = {"classeur": args.old}, {"classeur": args.new}
    if not old or not new:
        print(f"no workbook to compare in {args.old if not old else args.new}", file=sys.stderr)
        return 2
    per_sheet: Counter[tuple[str, str]] = Counter()
    shown: Counter[tuple[str, str]] = Counter()
    for name in sorted(set(old) | set(new)):
        if name not in old or name not in new:
            side = "old" if name in old else "new"
            print(f"{name}: only in the {side} folder")
            per_sheet[(name, "(workbook)")] += 1
            continue
        for difference in compare_workbooks(name, old[name], new[name], not args.no_align):
            key = (difference.workbook, difference.sheet)
            per_sheet[key] += 1
            if args.limit and shown[key] >= args.limit:
                continue
            shown[key] += 1
            print(f"{difference.workbook} › {difference.sheet} › {difference.cell or '-'}: "
                  f"{show(difference.old)}  →  {show(difference.new)}")  # fmt: skip
    print()
    print(f"{len(set(old) & set(new))} workbook(s) compared")
    if not per_sheet:
        print("identical, cell by cell")
        return 0
    for (workbook, sheet), count in sorted(per_sheet.items()):
        print(f"{count:6d}  {workbook} › {sheet}")
    print(f"{sum(per_sheet.values()):6d}  differing cells in all")
    return 1


if __name__ == "__main__":
    sys.exit(main())
