"""Annotated .xlsx copies: the group's own file, each problem cell marked and noted,
everything else as it came, and still a valid input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from innova_reports.annotate import annotate_workbook
from innova_reports.annotate.plan import AUTHOR, MARKER_SUFFIX, SHEET_TITLE
from innova_reports.pipeline.check import check_files
from innova_reports.report.issue import Severity
from tests import annotate_parts as parts
from tests.annotate_cases import CASES, GROUP_AUTHOR, GROUP_NOTE, PERIOD, TODAY, Case
from tests.factories import libreoffice_resave_many

CASE_IDS = [case.name for case in CASES]


def check(path: Path, settings):
    return check_files([path], settings, period=PERIOD, today=TODAY)


def flat(batch) -> list[tuple]:
    return [issue.flat()[1:] for issue in batch.issues]


def annotated(source: Path, target: Path, settings) -> Path:
    target.write_bytes(
        annotate_workbook(source.read_bytes(), "xlsx", check(source, settings).issues)
    )
    return target


def assert_same_values(batch, other) -> None:
    (one,), (two,) = ([o.data for o in b.outcomes] for b in (batch, other))
    assert {k: (c.value, c.cell) for k, c in one.fields.items()} == {
        k: (c.value, c.cell) for k, c in two.fields.items()
    }
    assert one.tables.keys() == two.tables.keys()
    for name in one.tables:
        pd.testing.assert_frame_equal(one.tables[name], two.tables[name])


@pytest.fixture(scope="module")
def made(tmp_path_factory, settings) -> dict[str, tuple[Path, Path]]:
    """Each case's original and its annotated copy."""
    folder = tmp_path_factory.mktemp("cas")
    result = {}
    for case in CASES:
        original = case.build(folder / f"{case.name}.xlsx", settings)
        result[case.name] = (
            original,
            annotated(original, folder / f"{case.name}_a-corriger.xlsx", settings),
        )
    return result


# -- the marks ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_problem_cell_is_marked_with_its_severity(case: Case, made):
    _, copy = made[case.name]
    marked = parts.marks(copy, case.sheet)
    assert list(marked) == [case.cell]
    pattern, border = parts.dxf_looks(copy)[marked[case.cell]]
    # black and white: an error is hatched with a thick frame, a warning dashed
    assert (pattern, border) == (
        ("lightUp", "medium") if case.severity == "erreur" else ("solid", "dashed")
    )


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_problem_cell_has_a_note_with_the_fix(case: Case, made, settings):
    original, copy = made[case.name]
    (issue,) = [i for i in check(original, settings).issues if i.type == case.type]
    text = parts.notes(copy, case.sheet)[case.cell]
    severity = "Erreur" if case.severity == "erreur" else "Avertissement"
    assert text.endswith(f"{AUTHOR} :\n{severity} : {issue.message}")
    if case.name == "note-existante":  # the group's note first, then ours
        assert text == f"{GROUP_NOTE}\n\n{AUTHOR} :\n{severity} : {issue.message}"
    else:
        assert text.startswith(AUTHOR)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_first_sheet_lists_the_points_with_a_link(case: Case, made, settings):
    original, copy = made[case.name]
    batch = check(original, settings)
    shown = [i for i in batch.issues if i.severity in (Severity.ERROR, Severity.WARNING)]
    rows = parts.list_rows(copy)
    assert [row[0] for row in rows] == list(range(1, len(shown) + 1))
    number, severity, sheet, cell, label, _, message = rows[0]
    assert (sheet, cell, message) == (case.sheet, case.cell, shown[0].message)
    assert severity == ("Erreur" if case.severity == "erreur" else "Avertissement")
    assert parts.links(copy) == {"D7": f"'{case.sheet}'!{case.cell}"}


# -- everything else as it came, and a valid input -------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_copy_reads_back_with_the_values_and_issues_of_the_original(case: Case, made, settings):
    original, copy = made[case.name]
    before, after = check(original, settings), check(copy, settings)
    assert flat(after) == flat(before)
    assert [i.message for i in after.issues] == [
        i.message.replace(original.name, copy.name) for i in before.issues
    ]
    assert_same_values(before, after)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_every_part_is_preserved_but_our_additions(case: Case, made):
    original, copy = made[case.name]
    old, new = parts.members(original), parts.members(copy)
    marked = parts.sheet_member(copy, case.sheet)
    for name, data in old.items():
        assert name in new, name
        if name == "xl/workbook.xml":
            assert parts.canonical(parts.without_our_sheet(new[name])) == parts.canonical(
                parts.without_views(data)
            )
        elif name == "xl/styles.xml":
            assert parts.children_prefix(data, new[name])
        elif name.endswith(".rels") or name == "[Content_Types].xml":
            assert parts.entries_kept(data, new[name]), name
        elif name.startswith("xl/worksheets/sheet"):
            assert parts.canonical(parts.without_marks(new[name])) == parts.canonical(
                parts.without_marks(data)
            ), name
            assert parts.sheet_data(new[name]) == parts.sheet_data(data), name
        elif name.startswith("xl/comments") and name in new:
            continue  # the note case: checked by its text above
        elif name.endswith(".vml"):
            shapes = re.compile(rb"<(?:[\w.-]+:)?shape[\s>]")  # any prefix (lxml: ns0…)
            assert len(shapes.findall(new[name])) >= len(shapes.findall(data)) > 0, name
        else:
            assert new[name] == data, name
    assert marked in new


def test_the_group_note_keeps_its_author(made):
    _, copy = made["note-existante"]
    comment = openpyxl.load_workbook(copy)["Fiche action"]["B10"].comment
    assert comment.author == GROUP_AUTHOR


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_copy_of_the_copy_carries_this_months_marks_only(case: Case, made, settings, tmp_path):
    original, copy = made[case.name]
    again = annotated(copy, tmp_path / "encore.xlsx", settings)
    assert again.read_bytes() == copy.read_bytes()


def test_a_fixed_copy_loses_its_marks_and_sheet(made, settings, tmp_path):
    _, copy = made["note-existante"]
    clean = annotate_workbook(copy.read_bytes(), "xlsx", [])
    target = tmp_path / "corrige.xlsx"
    target.write_bytes(clean)
    assert SHEET_TITLE not in parts.members(target)["xl/workbook.xml"].decode()
    assert parts.marks(target, "Fiche action") == {}
    assert parts.notes(target, "Fiche action") == {"B10": GROUP_NOTE}


def test_calamine_reads_the_copy(made):
    original, copy = made["tableau"]
    book = CalamineWorkbook.from_path(str(copy))
    assert book.sheet_names[0] == SHEET_TITLE
    listed = book.get_sheet_by_name(SHEET_TITLE).to_python()
    assert any("date de fin" in str(value) for row in listed for value in row)
    for sheet in CalamineWorkbook.from_path(str(original)).sheet_names:
        assert (
            book.get_sheet_by_name(sheet).to_python()
            == CalamineWorkbook.from_path(str(original)).get_sheet_by_name(sheet).to_python()
        )


# -- through LibreOffice --------------------------------------------------------------------


@pytest.fixture(scope="module")
def resaved(made, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each case's original and copy, both opened and saved again by LibreOffice."""
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = [path for pair in made.values() for path in pair]
    outputs = dict(zip(sources, libreoffice_resave_many(sources, folder), strict=True))
    return {name: (outputs[o], outputs[c]) for name, (o, c) in made.items()}


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_libreoffice_opens_and_saves_the_copy_which_reads_back(case: Case, resaved, settings):
    original, copy = resaved[case.name]
    before, after = check(original, settings), check(copy, settings)
    assert flat(after) == flat(before)
    assert_same_values(before, after)
    assert case.cell in parts.marks(copy, case.sheet)
    assert MARKER_SUFFIX in parts.notes(copy, case.sheet)[case.cell]
    assert parts.list_rows(copy)[0][3] == case.cell


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_next_month_a_copy_saved_by_libreoffice_is_cleared_first(
    case: Case, resaved, settings, tmp_path
):
    _, copy = resaved[case.name]
    shutil.copyfile(copy, tmp_path / "retour.xlsx")
    again = annotated(tmp_path / "retour.xlsx", tmp_path / "encore.xlsx", settings)
    book = parts.members(again)["xl/workbook.xml"].decode()
    assert book.count(f'name="{SHEET_TITLE}"') == 1
    assert list(parts.marks(again, case.sheet)) == [case.cell]
    text = parts.notes(again, case.sheet)[case.cell]
    assert text.count(MARKER_SUFFIX) == 1
    if case.name == "note-existante":
        assert text.startswith(GROUP_NOTE + "\n\n") and text.count(GROUP_NOTE) == 1
    assert flat(check(again, settings)) == flat(check(copy, settings))
