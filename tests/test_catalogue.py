"""The issue catalogue: every type renders, in French, naming its place."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from innova_reports.report import catalogue
from innova_reports.report.catalogue import CATALOGUE
from innova_reports.report.issue import Severity

PACKAGE = Path(__file__).resolve().parents[1] / "innova_reports"
SAMPLE = {
    "label": "Date de fin", "value": "12/13/2018", "cell": "D7", "sheet": "Tâches",
    "reason": "ce n'est pas une date", "what": "un classeur Excel 97-2003 (.xls)",
    "detail": "il occupe 900 Mo une fois décompressé", "damage": "la partie xl/styles.xml est illisible",
    "part": "xl/workbook.xml", "limit": "100 000", "megabytes": "20", "version": "0.9",
    "expected": "1.0", "name": "Fiche action", "cells": "ZZ9000", "owner": "B7",
    "table": "Tâches de l'action", "row": 4, "found": "« 12/13/2018 » — ",
    "fix": "Saisissez une date complète", "allowed": "Vert, Orange, Rouge", "axe": 3,
    "fin": "01/02/2018", "debut": "01/03/2018", "today": "31/05/2018", "start": "01/01/2018",
    "done": "Fait", "cible": "10", "sens": "Hausse", "valeur_initiale": "20",
    "period": "mai 2018", "expected_range": "2 à 3", "reached": "Atteint",
    "winner": "fiche_A3.2_v2.xlsx", "rule": "sa date de mise à jour (15/05/2018) est plus récente",
    "rows": "1 100 000", "kept": "1 048 575", "gap": 2,
    "first": "E4", "months": "janvier 2019 à juin 2019", "example": "janvier 2019",
    "place": "à côté de ses colonnes", "axis_place": " (cellule B6)", "read_as": "ont été lues comme des lignes", "taken": "ses 3 valeurs n'ont pas été reprises", "copies": 2, "count": "3 valeurs saisies", "suffix": ".xlsx",
}  # fmt: skip
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|de|du|des|un|une|est|sont|dans|pas|ce|cette|et|ou|à)\b", re.IGNORECASE
)


@pytest.mark.parametrize("type", sorted(CATALOGUE))
def test_every_type_renders_in_french_with_its_place(type):
    entry = CATALOGUE[type]
    fields = {name for _, name, _, _ in string.Formatter().parse(entry.template) if name}
    assert fields <= {*SAMPLE, "where", "file"}, f"{type}: unknown placeholders"
    values = dict(SAMPLE)
    if entry.template == "{reason}":  # a sentence of its own: an ignored or refused file's
        values["reason"] = "Le fichier est un verrou d'Excel, ignoré sans conséquence."
    issue = catalogue.issue(type, "axe-3/fiche_A3.2.xlsx", **values)
    assert issue.type == type and issue.severity is entry.severity
    assert "{" not in issue.message and "}" not in issue.message
    assert issue.message.rstrip().endswith((".", "»", ")")), issue.message
    assert len(FRENCH_WORDS.findall(issue.message)) >= 2, issue.message
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", issue.message), "a field id reaches users"
    if "{where}" in entry.template:
        assert "la cellule D7 de la feuille « Tâches »" in issue.message
    assert issue.place == "axe-3/fiche_A3.2.xlsx › Tâches › D7"


def test_user_text_is_never_a_template():
    issue = catalogue.issue(
        "colonne-inconnue", "f.xlsx", value="{label} {0} {__class__}", table="T"
    )
    assert "« {label} {0} {__class__} »" in issue.message


def test_a_missing_value_leaves_the_message_readable():
    message = catalogue.message("colonne-manquante", {"label": "Fin", "sheet": "Tâches"})
    assert message.startswith("La colonne obligatoire « Fin » du tableau «  » est introuvable")


def test_an_explicit_severity_overrides_the_default():
    issue = catalogue.issue("doublon", "f.xlsx", severity=Severity.ERROR, what="x", winner="y")
    assert issue.severity is Severity.ERROR


def test_issues_are_only_made_through_the_catalogue():
    """No module builds an Issue by hand: one grep finds every message."""
    makers = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "catalogue.py" or path.parent.name == "report" and path.name == "issue.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Issue":
                makers.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert makers == []


def test_every_type_raised_in_the_code_is_registered():
    found = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'catalogue\.issue\(\s*"([a-z0-9-]+)"', text))
        found |= set(re.findall(r'Refusal\(\s*"([a-z0-9-]+)"', text))
        found |= set(re.findall(r'Problem\(\s*"([a-z0-9-]+)"', text))
    assert found and found <= set(CATALOGUE), found - set(CATALOGUE)
