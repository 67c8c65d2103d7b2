"""The red-team's edits typed by real LibreOffice (fr-FR), through its own input line.

What LibreOffice does to what people type is not what openpyxl writes: « 70 % » typed
in a cell with a number format stays in that format (0,7 shown), « 50% » in a General
cell takes a percentage format, 30 typed in a percentage cell is stored as 30 (shown
« 3000 % »), a row typed under a table does not grow it, and a header retyped renames
the table's column. One headless LibreOffice run types every edit (``tests/lo_macro``);
each file is then checked alone, as its group would.
"""

from __future__ import annotations

import datetime as dt

import pytest

from innova_reports.pipeline.check import check_paths
from tests.libreoffice import XLSX_FILTER
from tests.lo_macro import Typing, run_macro, type_into
from tests.redteam import workbooks as w

pytestmark = pytest.mark.libreoffice

EDITS = {
    "pourcentage-dans-un-indicateur": [Typing("Indicateurs", "K6", "70 %")],
    "pourcentage-dans-un-commentaire": [Typing("Tâches", "G6", "50%")],
    "avancement-150": [Typing("Tâches", "F6", "150 %")],
    "avancement-30": [Typing("Tâches", "F6", "30")],
    "ligne-apres-une-ligne-vide": [Typing("Tâches", "A18", "Former les agents"),
                                   Typing("Tâches", "E18", "À faire")],
    "note-a-droite": [Typing("Tâches", "I6", "voir avec la DSI")],
    "en-tete-retape": [Typing("Tâches", "F4", "Avancement (%)")],
    "statut-sans-e": [Typing("Fiche action", "B9", "Terminé")],
    "date-tapee": [Typing("Tâches", "D6", "15/06/2018")],
}  # fmt: skip


@pytest.fixture(scope="module")
def typed(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("lo-saisies")
    source = w.action(folder / "source.xlsx", settings)
    outputs = {name: folder / f"{name}.xlsx" for name in EDITS}
    scripts = [type_into(source, EDITS[name], {outputs[name]: XLSX_FILTER}) for name in EDITS]
    run_macro(scripts, list(outputs.values()))
    return {
        name: check_paths([path], settings, period=w.PERIOD, today=w.TODAY)
        for name, path in outputs.items()
    }


def _issues(checked) -> set[tuple[str, str, str, str]]:
    return {issue.flat()[1:] for issue in checked.batch.issues}


def _data(checked):
    (outcome,) = checked.batch.outcomes
    return outcome.data


def test_percent_typed_where_libreoffice_keeps_the_number_format(typed):
    checked = typed["pourcentage-dans-un-indicateur"]
    assert _data(checked).tables["t_indicateurs"].loc[6, "mois_2018_05"] == 0.7
    (issue,) = checked.batch.issues
    assert issue.flat()[1:] == ("Indicateurs", "K6", "valeur-pourcentage-douteuse",
                                "avertissement")  # fmt: skip
    assert "« 70 % »" in issue.message and "« 0,7 »" in issue.message


def test_percent_typed_in_a_text_column_is_read_as_shown(typed):
    checked = typed["pourcentage-dans-un-commentaire"]
    assert _data(checked).tables["t_taches"].loc[6, "commentaire"] == "50 %"
    assert checked.batch.issues == []


def test_150_percent_is_said_as_150_percent(typed):
    (issue,) = typed["avancement-150"].batch.issues
    assert issue.flat()[1:] == ("Tâches", "F6", "avancement-hors-bornes", "erreur")
    assert "(150 %)" in issue.message and "1,5" not in issue.message


def test_a_bare_number_in_a_percent_cell_means_that_many_percent(typed):
    checked = typed["avancement-30"]
    assert _data(checked).tables["t_taches"].loc[6, "avancement"] == 0.3
    assert checked.batch.issues == []


def test_a_row_typed_after_a_blank_row_is_read_and_said(typed):
    checked = typed["ligne-apres-une-ligne-vide"]
    tasks = _data(checked).tables["t_taches"]
    assert tasks.loc[18, "tache"] == "Former les agents" and tasks.loc[18, "statut"] == "À faire"
    assert _issues(checked) == {("Tâches", "A18", "lignes-sous-tableau", "avertissement")}


def test_a_note_beside_the_table_is_said_not_read(typed):
    checked = typed["note-a-droite"]
    assert _issues(checked) == {("Tâches", "I6", "valeurs-hors-tableau", "avertissement")}


def test_a_header_retyped_in_libreoffice_is_understood(typed):
    checked = typed["en-tete-retape"]
    assert _issues(checked) == {("Tâches", "F4", "colonne-renommee", "avertissement")}
    assert _data(checked).tables["t_taches"].loc[6, "avancement"] == 0.5


def test_a_near_miss_typed_in_libreoffice_is_understood(typed):
    checked = typed["statut-sans-e"]
    assert _data(checked).value("statut") == "Terminée"
    assert _issues(checked) == {("Fiche action", "B9", "valeur-comprise", "avertissement")}


def test_a_date_typed_in_libreoffice_is_a_date(typed):
    checked = typed["date-tapee"]
    assert _data(checked).tables["t_taches"].loc[6, "fin"] == dt.date(2018, 6, 15)
    assert checked.batch.issues == []
