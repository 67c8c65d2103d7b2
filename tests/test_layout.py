"""read/layout: which rows and columns a table has, on sheets built in memory."""

from __future__ import annotations

import pytest

from innova_reports.fields import ACTION, template_spec
from innova_reports.frenchfmt import near_misses, similar_words
from innova_reports.read import layout
from innova_reports.read.sheet import Sheet


@pytest.fixture
def tasks(settings):
    return template_spec(ACTION, settings).table("t_taches")


def _sheet(headers: list[str], *rows: list[str]) -> tuple[Sheet, layout.Span]:
    width = max(len(headers), *(len(r) for r in rows)) if rows else len(headers)
    grid = [[""] * width for _ in range(3)]
    grid += [headers + [""] * (width - len(headers))]
    grid += [row + [""] * (width - len(row)) for row in rows]
    return Sheet("Tâches", grid, {}), layout.Span("Tâches", 1, len(headers), 4, 5, 4 + 1, 0)


def _match(tasks, headers, *rows):
    sheet, span = _sheet(headers, *rows)
    kept = list(range(5, 5 + len(rows)))
    return layout.match_headers("f.xlsx", tasks, tuple(headers), sheet, span, kept, "1.0")


LABELS = ["Tâche", "Responsable", "Début", "Fin", "Statut", "Avancement", "Commentaire"]


def test_the_template_headers_match_without_a_word(tasks):
    found = _match(tasks, LABELS, ["T", "", "", "", "Fait", "1", ""])
    assert found.issues == [] and found.positions["avancement"] == 6


def test_a_repeated_header_reads_the_first_and_says_the_second(tasks):
    found = _match(tasks, [*LABELS, "Statut"], ["T", "", "", "", "Fait", "1", "", "Fait"])
    assert found.positions["statut"] == 5
    (issue,) = found.issues
    assert (issue.type, issue.cell, issue.severity) == ("colonne-en-double", "H4", "avertissement")
    assert "en-tête en E4" in issue.message and "sa valeur n'a pas été reprise" in issue.message


def test_an_empty_repeated_header_is_only_an_info(tasks):
    found = _match(tasks, [*LABELS, "Statut"], ["T", "", "", "", "Fait", "1", ""])
    assert [(i.type, i.severity) for i in found.issues] == [("colonne-en-double", "info")]


def test_a_header_similar_to_two_missing_columns_is_not_guessed(tasks):
    headers = ["Tâche", "Responsable", "Date", "Date", "Statut", "Avancement", "Commentaire"]
    found = _match(tasks, headers, ["T", "", "01/03/2018", "30/04/2018", "Fait", "1", ""])
    assert "debut" not in found.positions and "fin" not in found.positions
    assert "colonne-renommee" not in {i.type for i in found.issues}


def test_a_similar_header_out_of_its_place_is_not_taken(tasks):
    """« Date de fin » before « Début »: similar words, but not where « Fin » is."""
    headers = ["Tâche", "Date de fin", "Début", "Statut", "Avancement"]
    found = _match(tasks, headers, ["T", "30/04/2018", "01/03/2018", "Fait", "1"])
    assert "fin" not in found.positions
    assert ("colonne-inconnue-remplie", "B4") in {(i.type, i.cell) for i in found.issues}


def test_rows_text_joins_consecutive_rows():
    assert layout.rows_text([14, 15, 16, 19]) == "14 à 16, 19"
    assert layout.rows_text([7]) == "7"


def test_no_header_row_means_no_table(tasks):
    sheet, _ = _sheet(["Notes", "diverses"], ["a", "b"])
    assert layout.find_headers(tasks, sheet) is None
    sheet, _ = _sheet(LABELS, ["T", "", "", "", "Fait", "1", ""])
    span, headers = layout.find_headers(tasks, sheet)
    assert (span.header_row, span.first_col, span.last_col) == (4, 1, 7)
    assert headers == tuple(LABELS)


@pytest.mark.parametrize(
    ("typed", "choices", "understood"),
    [
        ("Terminé", ("À lancer", "Terminée"), ("Terminée",)),
        ("encours", ("En cours", "En pause"), ("En cours",)),
        ("Humain", ("Humains", "Financiers"), ("Humains",)),
        ("Vers", ("Vert", "Orange"), ()),  # a short word: no letter-off guess
        ("Reporte", ("Reporté", "Reportée"), ("Reporté", "Reportée")),  # ambiguous
        ("A3.2", ("A3.1", "A3.3"), ()),  # numbers must be equal
    ],
)
def test_near_misses_are_one_rule(typed, choices, understood):
    assert near_misses(typed, choices) == understood


@pytest.mark.parametrize(
    ("header", "label", "similar"),
    [
        ("Avancement (%)", "Avancement", True),
        ("Valeur init.", "Valeur initiale", True),
        ("Montant en euros", "Montant (€)", True),
        ("Progression", "Avancement", False),
        ("janv. 2018", "juin 2018", False),
        ("Statut2", "Statut", False),
    ],
)
def test_similar_headers(header, label, similar):
    assert similar_words(header, label) is similar
