"""Issue rendering: the French table grouped by file and the same content in JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from innova_reports.model import ReadOutcome, ReadStatus, SourceFile
from innova_reports.report.issue import Issue, Severity
from innova_reports.validate import render


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
    rows = table_entries(lines[start + 3 : lines.index("", start)])
    assert len(rows) == 3
    assert [row.split()[0] for row in rows] == ["erreur", "erreur", "avertissement"]
    assert "Tâches › D5" in rows[0] and "Tâches › D12" in rows[1] and "Tâches › F7" in rows[2]
    assert "corrigez la cellule D12 de la feuille Tâches." in rows[1]
    # the refusal reason is said once, on the status line
    assert text.count("Le fichier est vide.") == 1
    assert lines[-1] == (
        "Bilan : 4 fichiers contrôlés (1 sans erreur, 1 à corriger, 1 refusé, 1 ignoré) "
        "— 3 erreurs, 1 avertissement."
    )


def table_entries(lines: list[str]) -> list[str]:
    """One string per issue: a table row and the wrapped lines of its message, joined."""
    entries: list[str] = []
    for line in lines:
        if line.startswith("  ") and not line.startswith("   "):
            entries.append(line.strip())
        else:
            entries[-1] += " " + line.strip()
    return entries


def test_table_fits_80_columns_and_the_message_wraps_in_its_column():
    long = issue("b.xlsx", Severity.ERROR, "AB1234", "Un message " + "très long " * 30 + "fin.")
    text = render.issues_table([long], [outcome("b.xlsx")], width=80)
    lines = text.splitlines()
    table = lines[1 : lines.index("")]
    assert all(len(line) <= 80 for line in table), table
    column = table[0].index("Message")
    assert table[2].index("Un message") == column
    assert all(line[:column].strip() == "" for line in table[3:]) and len(table) > 4
    assert table_entries(table[2:]) == [f"erreur         Tâches › AB1234  {long.message}"]


def test_places_too_wide_put_the_message_under_its_place():
    sheet = "Une feuille au nom vraiment très long ajoutée par le groupe"
    wide = Issue("b.xlsx", "x", Severity.WARNING, "Vérifiez " * 20, sheet, "XFD1048576")
    table = render.issues_table([wide], [outcome("b.xlsx")], width=80).splitlines()[1:-2]
    assert table[2] == f"  avertissement  {sheet} › XFD1048576"
    assert all(line.startswith("      Vérifiez") and len(line) <= 80 for line in table[3:])


def test_without_a_width_each_issue_is_one_line():
    long = issue("b.xlsx", Severity.ERROR, "D5", "Un message " + "très long " * 30 + "fin.")
    lines = render.issues_table([long], [outcome("b.xlsx")]).splitlines()
    assert lines[3] == f"  erreur         Tâches › D5  {long.message}" and lines[4] == ""
    assert render.terminal_width(40) == 80 and render.terminal_width(300) == 120


def test_text_from_a_workbook_cannot_drive_the_terminal():
    hostile = Issue("b\x1b[2J.xlsx", "x", Severity.ERROR, "Valeur « \x1b[31mrouge\u202e » :\nfin",
                    "Tâches\x07", "D5")  # fmt: skip
    text = render.issues_table([hostile])
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "Valeur « [31mrouge » : fin" in text and text.startswith("b[2J.xlsx — 1 erreur\n")


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
