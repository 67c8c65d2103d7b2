"""bench/compare_outputs.py: the before/after comparison of two runs' workbooks."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from compare_outputs import compare_workbooks, main, same  # noqa: E402

HEADER = ("Axe", "Indicateur", "Valeur")
ROWS = [(1, "Délai", 15), (1, "Satisfaction", 80.0), (2, "Démarches", 12)]


def book(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def differences(old: Path, new: Path, align: bool = True) -> list[tuple]:
    return [(d.sheet, d.cell, d.old, d.new) for d in compare_workbooks("m", old, new, align)]


def test_identical_workbooks_have_no_difference(tmp_path):
    old = book(tmp_path / "a.xlsx", {"Synthèse": [HEADER, *ROWS]})
    new = book(tmp_path / "b.xlsx", {"Synthèse": [HEADER, *ROWS]})
    assert differences(old, new) == [] and differences(old, new, align=False) == []


def test_a_changed_cell_is_named_with_both_values(tmp_path):
    old = book(tmp_path / "a.xlsx", {"Synthèse": [HEADER, *ROWS]})
    new = book(
        tmp_path / "b.xlsx", {"Synthèse": [HEADER, ROWS[0], (1, "Satisfaction", 81), ROWS[2]]}
    )
    assert differences(old, new) == [("Synthèse", "C3", 80, 81)]


def test_an_inserted_row_is_said_once_when_aligned(tmp_path):
    old = book(tmp_path / "a.xlsx", {"Indicateurs": [HEADER, *ROWS]})
    new = book(tmp_path / "b.xlsx", {"Indicateurs": [HEADER, ROWS[0], (1, "Nouveau", None),
                                                     *ROWS[1:]]})  # fmt: skip
    assert differences(old, new) == [("Indicateurs", "ligne 3", "(ligne ajoutée)",
                                      "1 | Nouveau")]  # fmt: skip
    by_position = differences(old, new, align=False)
    assert ("Indicateurs", "B3", "Satisfaction", "Nouveau") in by_position
    assert ("Indicateurs", "A5", None, 2) in by_position


def test_a_deleted_row_and_a_missing_sheet_are_said(tmp_path):
    old = book(tmp_path / "a.xlsx", {"Synthèse": [HEADER, *ROWS], "Ancienne": [("x",)]})
    new = book(tmp_path / "b.xlsx", {"Synthèse": [HEADER, ROWS[0], ROWS[2]]})
    assert differences(old, new) == [
        ("Synthèse", "ligne 3 (ancienne)", "1 | Satisfaction | 80", "(ligne supprimée)"),
        ("Ancienne", "", "(feuille présente)", "(feuille absente)"),
    ]  # fmt: skip


def test_values_equal_as_a_reader_sees_them():
    assert same(3, 3.0) and same("", None) and same(0.1 + 0.2, 0.3)
    assert not same(0.5455, 0.5454545454545454)  # a rounding is a difference
    assert not same(True, 1) and not same(0, None) and not same("1", 1)
    assert not same(dt.datetime(2018, 5, 31), dt.date(2018, 5, 31))


def test_the_script_pairs_masters_and_feedback_and_counts_per_sheet(tmp_path, capsys):
    for side, value in (("old", 1), ("new", 2)):
        book(
            tmp_path / side / "2018-05" / "plan_actions_2018-05.xlsx",
            {"Synthèse": [HEADER, (1, "x", value)]},
        )
        book(tmp_path / side / "2018-05" / "retours" / "axe-1.xlsx", {"À corriger": [(side,)]})
    assert main([str(tmp_path / "old"), str(tmp_path / "new")]) == 1
    out = capsys.readouterr().out
    assert "2018-05/plan_actions_2018-05.xlsx › Synthèse › C2: 1  →  2" in out
    assert "retours" not in out and "1 workbook(s) compared" in out
    assert main([str(tmp_path / "old"), str(tmp_path / "new"), "--feedback"]) == 1
    out = capsys.readouterr().out
    assert "2018-05/retours/axe-1.xlsx › À corriger › A1: old  →  new" in out
    assert "     2  differing cells in all" in out
    assert main([str(tmp_path / "old"), str(tmp_path / "old")]) == 0
    assert "identical, cell by cell" in capsys.readouterr().out
    assert main([str(tmp_path / "empty"), str(tmp_path / "old")]) == 2
