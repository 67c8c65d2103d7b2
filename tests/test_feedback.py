"""Feedback workbooks: each group gets, cell by cell, what it must fix."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from innova_reports.fields import ACTION
from innova_reports.template.samples import action_values
from tests.factories import make_workbook
from tests.test_consolidate import run, sample_action, samples_copy


@pytest.fixture(scope="module")
def with_mistakes(tmp_path_factory, settings):
    """The samples with two mistakes in A2.1 (a task ending before it starts, a bad weather)."""
    base = tmp_path_factory.mktemp("feedback")
    workbooks = samples_copy(base)
    action = sample_action("A2.1")
    task = list(action.taches[0])
    task[3] = task[2] - dt.timedelta(days=10)  # fin before debut
    values = action_values(dataclasses.replace(action, taches=(tuple(task), *action.taches[1:])))
    values["fields"]["meteo"] = "Bleu"
    make_workbook(workbooks / "axe-2" / "fiche_action_A2.1.xlsx", ACTION, settings, **values)
    return run(settings, workbooks, base / "out")


def rows_of(path, table: str) -> list[dict]:
    sheet = openpyxl.load_workbook(path)["À corriger"]
    ref = dict(sheet.tables.items())[table]
    cells = [[c.value for c in row] for row in sheet[ref]]
    rows = [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]
    return [r for r in rows if any(v is not None for v in r.values())]


def test_one_feedback_file_per_axis(with_mistakes, settings):
    paths = with_mistakes.feedback_paths
    assert sorted(paths) == list(settings.axis_numbers)
    for axis, path in paths.items():
        assert path == with_mistakes.period_dir / "retours" / f"axe-{axis}.xlsx"
        assert path.exists()


def test_the_group_sees_each_issue_with_its_cell(with_mistakes):
    anomalies = with_mistakes.snapshot.table("anomalies")
    expected = anomalies[anomalies["axe"] == 2]
    assert len(expected) >= 2
    rows = rows_of(with_mistakes.feedback_paths[2], "a_corriger")
    assert len(rows) == len(expected)
    own = [r for r in rows if r["Fichier"] == "fiche_action_A2.1.xlsx"]
    assert {r["Gravité"] for r in own} >= {"Erreur"}
    assert all(r["Cellule"] and r["Feuille"] and r["Ce qu'il faut corriger"] for r in own)
    assert any(r["Valeur trouvée"] == "Bleu" for r in own)
    sheet = openpyxl.load_workbook(with_mistakes.feedback_paths[2])["À corriger"]
    assert sheet["A1"].value.startswith("Axe 2 – Prospective / planification")
    errors = int((expected["gravite"] == "erreur").sum())
    assert errors >= 2
    assert sheet["A3"].value.startswith(
        f"{len(expected)} points à revoir : {errors} erreurs à corriger avant la prochaine "
        "consolidation"
    )
    assert [r["N°"] for r in rows] == list(range(1, len(rows) + 1))
    assert sheet.freeze_panes == "A8" and sheet.print_title_rows == "$7:$7"
    assert "Erreur :" in sheet["A5"].value and "Avertissement :" in sheet["A5"].value


def test_summary_sentence_agrees_in_number():
    from innova_reports.xlsx.feedback import summary_sentence

    one_warning = [{"gravite": "avertissement"}]
    assert summary_sentence(one_warning) == (
        "1 point à revoir : 1 avertissement à vérifier. Merci d'avance !"
    )
    mixed = [{"gravite": "erreur"}, {"gravite": "erreur"}, {"gravite": "avertissement"}]
    assert summary_sentence(mixed) == (
        "3 points à revoir : 2 erreurs à corriger avant la prochaine consolidation, "
        "1 avertissement à vérifier. Merci d'avance !"
    )
    assert "(s)" not in summary_sentence(mixed)


def test_a_group_with_nothing_to_fix_is_told_so(with_mistakes):
    sheet = openpyxl.load_workbook(with_mistakes.feedback_paths[1])["À corriger"]
    assert sheet["A3"].value == "Aucune correction demandée ce mois-ci : merci !"
    assert sheet["A4"].value is None  # no instructions for an empty list
    assert rows_of(with_mistakes.feedback_paths[1], "a_corriger") == []


def test_documents_still_expected_are_listed(with_mistakes):
    suivi = with_mistakes.snapshot.table("suivi")
    missing = suivi[(suivi["axe"] == 4) & ~suivi["recu"].astype(bool)]
    assert len(missing) == 1
    rows = rows_of(with_mistakes.feedback_paths[4], "non_recus")
    assert [(r["Document"], r["Code action"]) for r in rows] == [
        ("Fiche action", missing.iloc[0]["code"])
    ]


@pytest.mark.parametrize("typed", ["<r>Bleu</r>", "=HYPERLINK(\"http://x\")", "😀" * 20_000,
                                   "_x0041_", "a\x01b"])  # fmt: skip
def test_any_value_a_group_typed_is_shown_as_text(settings, tmp_path, typed):
    """The value found is quoted back to the group: whatever its shape or length, the
    feedback workbook opens and shows it as text (cut to a cell's limit when too long)."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    from innova_reports.model import Snapshot
    from innova_reports.xlsx.feedback import write_feedback
    from innova_reports.xlsx.sheet_body import MAX_TEXT, utf16_length
    from tests.snapshot_factory import make_snapshot

    snapshot = make_snapshot(settings)
    anomalies = snapshot.table("anomalies")
    issue = {column: None for column in anomalies.columns}
    issue.update(axe=1, gravite="erreur", fichier="axe-1/fiche_action_A1.1.xlsx",
                 feuille="Fiche action", cellule="C9", champ="meteo", libelle="Météo",
                 type="valeur-hors-liste", valeur=typed, message="Choisissez dans la liste.")  # fmt: skip
    tables = {**snapshot.tables, "anomalies": pd.DataFrame([issue], columns=anomalies.columns)}
    snapshot = Snapshot(snapshot.period, snapshot.reporting_date, snapshot.created, tables)
    path = write_feedback(tmp_path, snapshot, settings)[1]
    (row,) = rows_of(path, "a_corriger")
    shown = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("À corriger").to_python()
    value = next(r[6] for r in shown if r[0] == 1)
    assert utf16_length(value) <= MAX_TEXT and typed.startswith(value)
    assert len(value) >= min(len(typed), MAX_TEXT // 2)
    assert row["Valeur trouvée"] is not None and row["Gravité"] == "Erreur"
