"""The plan of a copy: which cell gets which mark, and what the list says."""

from __future__ import annotations

import pytest

from innova_reports.annotate.plan import (
    AUTHOR,
    SHEET_MISSING,
    WHOLE_FILE,
    WHOLE_SHEET,
    build_plan,
    is_ours,
    our_ranges,
    strip_our_block,
    summary,
    visible_cell,
)
from innova_reports.report import catalogue
from innova_reports.report.issue import Severity

SHEETS = ("Fiche action", "Tâches", "Actions")


def plan_of(*issues, merges=()):
    return build_plan(issues, SHEETS, lambda sheet: merges)


def required(cell="B10", sheet="Fiche action"):
    return catalogue.issue("champ-obligatoire", "f.xlsx", sheet=sheet, cell=cell, label="Météo")


def test_only_errors_and_warnings_are_marked():
    info = catalogue.issue("colonne-inconnue", "f.xlsx", sheet="Tâches", cell="H4", value="x")
    plan = plan_of(required(), info)
    assert [p.cell for p in plan.points] == ["B10"]
    assert list(plan.marks) == ["Fiche action"]


def test_one_cell_two_problems_takes_the_worst_and_says_both():
    warning = catalogue.issue("texte-trop-long", "f.xlsx", sheet="Fiche action", cell="B10",
                              label="Météo", found="", reason="trop long", fix="Raccourcissez")  # fmt: skip
    plan = plan_of(warning, required())
    mark = plan.marks["Fiche action"]["B10"]
    assert mark.severity is Severity.ERROR
    assert [line.split(" : ")[0] for line in mark.lines] == ["Erreur", "Avertissement"]
    assert mark.note().split("\n")[0] == f"{AUTHOR} :"
    assert (plan.errors, plan.warnings) == (1, 1)
    assert summary(plan) == "1 erreur à corriger et 1 avertissement à vérifier dans ce classeur."


def test_a_cell_under_a_merge_is_marked_on_the_merge():
    plan = plan_of(required("B7"), merges=((7, 1, 7, 2),))
    assert list(plan.marks["Fiche action"]) == ["A7"]
    assert plan.points[0].cell == "A7"
    assert visible_cell("C3", ((1, 1, 2, 2),)) == "C3"


@pytest.mark.parametrize(
    ("issue", "where", "link"),
    [
        (
            catalogue.issue(
                "nombre-actions-annoncees",
                "f.xlsx",
                sheet="Actions",
                value="1",
                expected_range="2 à 3",
            ),
            WHOLE_SHEET,
            "A1",
        ),  # fmt: skip
        (
            catalogue.issue("tableau-introuvable", "f.xlsx", sheet="Moyens", table="Moyens"),
            SHEET_MISSING,
            "",
        ),  # fmt: skip
        (catalogue.issue("champ-introuvable", "f.xlsx", label="Titre"), WHOLE_FILE, ""),
    ],
    ids=["feuille", "feuille-absente", "classeur"],
)
def test_a_point_without_a_cell_says_where_to_look(issue, where, link):
    (point,) = plan_of(issue).points
    assert (point.cell, point.where, point.link) == ("", where, link)
    assert plan_of(issue).marks == {}


def test_a_message_on_several_lines_becomes_one_line():
    issue = catalogue.issue("code-action-invalide", "f.xlsx", sheet="Fiche action", cell="B5",
                            value="a\n\nb", label="Code action")  # fmt: skip
    assert "\n" in issue.message
    assert "« a b »" in plan_of(issue).points[0].message


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"{AUTHOR} :\nErreur : x", ""),
        (f"Note du groupe\n\n{AUTHOR} :\nErreur : x\nAvertissement : y", "Note du groupe"),
        (f"Note\n\n{AUTHOR} :\nErreur : x\n\nRéponse : fait", "Note\n\nRéponse : fait"),
        (f"{AUTHOR} :\nErreur : x\n\nRéponse", "Réponse"),
        ("Ligne 1\n\nLigne 2", "Ligne 1\n\nLigne 2"),
    ],
)
def test_our_block_is_taken_out_of_a_note_and_the_groups_text_kept(text, kept):
    assert strip_our_block(text) == kept
    spans, position, rest = our_ranges(text), 0, []
    for start, end in spans:  # the same cut, character by character (xlsx runs)
        rest.append(text[position:start])
        position = end
    assert "".join(rest) + text[position:] == kept
    assert is_ours(text) is (AUTHOR in text)
