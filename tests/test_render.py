"""Issue rendering: the French table grouped by file and the same content in JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from innova_reports import render
from innova_reports.model import ReadOutcome, ReadStatus, SourceFile
from innova_reports.report import Issue, Severity


def outcome(name: str, status: ReadStatus = ReadStatus.READ, reason: str = "") -> ReadOutcome:
    source = SourceFile(Path(name), name, 10, "0" * 64, dt.datetime(2018, 5, 1))
    return ReadOutcome(source, status, reason=reason)


def issue(file: str, severity: Severity, cell: str = "D5", message: str = "") -> Issue:
    message = (
        message or f"La date de fin est fausse : corrigez la cellule {cell} de la feuille Tâches."
    )
    return Issue(file, "fin-avant-debut", severity, message, "Tâches", cell, "fin", "Fin", "01/03/2018", 3)  # fmt: skip


OUTCOMES = [
    outcome("a.xlsx"),
    outcome("b.xlsx"),
    outcome("c.xlsx", ReadStatus.REFUSED, "Le fichier est vide."),
    outcome("~$d.xlsx", ReadStatus.IGNORED, "Fichier de verrouillage d'Excel."),
]
ISSUES = [
    issue("b.xlsx", Severity.WARNING, "F7"),
    issue("b.xlsx", Severity.ERROR, "D12"),
    issue("b.xlsx", Severity.ERROR, "D5"),
    Issue("c.xlsx", "fichier-refuse", Severity.ERROR, "Le fichier est vide."),
]


def test_status_line_per_file():
    reports = render.file_reports(ISSUES, OUTCOMES)
    assert [(r.file, r.summary) for r in reports] == [
        ("a.xlsx", "✔ aucun problème"),
        ("b.xlsx", "2 erreurs, 1 avertissement"),
        ("c.xlsx", "refusé : Le fichier est vide."),
        ("~$d.xlsx", "ignoré : Fichier de verrouillage d'Excel."),
    ]


def test_table_groups_by_file_errors_first_in_reading_order():
    text = render.issues_table(ISSUES, OUTCOMES)
    lines = text.splitlines()
    assert lines[0] == "a.xlsx — ✔ aucun problème"
    start = lines.index("b.xlsx — 2 erreurs, 1 avertissement")
    rows = [line for line in lines[start + 3 : start + 6]]
    assert [row.split()[0] for row in rows] == ["erreur", "erreur", "avertissement"]
    assert "Tâches › D5" in rows[0] and "Tâches › D12" in rows[1] and "Tâches › F7" in rows[2]
    assert "corrigez la cellule D12 de la feuille Tâches." in rows[1]
    # the refusal reason is said once, on the status line
    assert text.count("Le fichier est vide.") == 1
    assert lines[-1] == (
        "Bilan : 4 fichiers contrôlés (1 sans erreur, 1 à corriger, 1 refusé, 1 ignoré) "
        "— 3 erreurs, 1 avertissement."
    )


def test_table_accepts_issues_without_outcomes():
    text = render.issues_table([issue("x.xlsx", Severity.WARNING)])
    assert text.startswith("x.xlsx — 1 avertissement\n")


def test_json_has_the_same_content():
    document = json.loads(render.issues_json(ISSUES, OUTCOMES))
    assert document["valid"] is False
    assert document["counts"] == {"erreur": 3, "avertissement": 1, "info": 0}
    files = {f["file"]: f for f in document["files"]}
    assert list(files) == ["a.xlsx", "b.xlsx", "c.xlsx", "~$d.xlsx"]
    assert files["c.xlsx"]["status"] == "refusé"
    assert files["b.xlsx"]["summary"] == "2 erreurs, 1 avertissement"
    first = files["b.xlsx"]["issues"][0]
    assert first == issue("b.xlsx", Severity.ERROR, "D5").as_dict()
    assert set(first) == {"file", "type", "severity", "message", "sheet", "cell", "field",
                          "label", "value", "axis"}  # fmt: skip


def test_a_refused_file_alone_makes_the_report_invalid():
    reports = render.file_reports([], [outcome("c.xlsx", ReadStatus.REFUSED, "Vide.")])
    assert render.is_valid(reports) is False
    assert render.is_valid(render.file_reports([], [outcome("a.xlsx")])) is True
    warnings_only = render.file_reports([issue("a.xlsx", Severity.WARNING)], [outcome("a.xlsx")])
    assert render.is_valid(warnings_only) is True


def test_counts_text_is_french_and_pluralised():
    assert render.counts_text([]) == ""
    one_each = [issue("a", Severity.ERROR), issue("a", Severity.WARNING), issue("a", Severity.INFO)]
    assert render.counts_text(one_each) == "1 erreur, 1 avertissement, 1 information"
    assert render.counts_text([issue("a", Severity.INFO)] * 2) == "2 informations"
