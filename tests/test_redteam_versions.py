"""Files from an earlier template or an earlier programme calendar read without false errors.

A programme extended by six months, a field added in a later template version: what
the file never had is absent (at most one *info*), never an *erreur* asking a group to
« rétablir » a column it never saw; what the file had and lost is still said.
"""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from innova_reports import versions
from innova_reports.fields import ACTION, Field, FieldType, month_field_id, template_spec
from innova_reports.pipeline.check import check_paths
from innova_reports.read import layout
from innova_reports.read.extract import Extractor
from innova_reports.read.sheet import Sheet
from innova_reports.read.xlsx import Structure
from innova_reports.settings import Settings
from tests.redteam import workbooks as w


def _months(start: str, end: str) -> tuple[str, ...]:
    months, (year, month) = [], map(int, start.split("-"))
    while f"{year:04d}-{month:02d}" <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


@pytest.fixture
def extended(settings) -> Settings:
    """The programme followed until June 2019 instead of December 2018."""
    return dataclasses.replace(settings, months=_months("2018-01", "2019-06"))


def test_months_added_to_the_programme_are_one_info(tmp_path, settings, extended):
    path = w.action(tmp_path / "fiche_A3.2.xlsx", settings)  # made in 2018's calendar
    checked = check_paths([path], extended, period="2018-05", today=w.TODAY)
    issues = checked.batch.issues
    assert [(i.type, i.severity) for i in issues] == [("mois-absents", "info")], issues
    assert "janvier 2019 à juin 2019" in issues[0].message
    (outcome,) = checked.batch.outcomes
    assert outcome.data.tables["t_indicateurs"].loc[5, month_field_id("2018-04")] == 6
    assert checked.verdicts["fiche_A3.2.xlsx"] == "sera consolidé"


def test_a_month_deleted_inside_the_files_months_is_still_said(tmp_path, settings):
    path = w.action(tmp_path / "fiche_A3.2.xlsx", settings)
    w.edit(path, w.delete_column("Indicateurs", "juin 2018"))
    issues = check_paths([path], settings, period="2018-05", today=w.TODAY).batch.issues
    assert [(i.type, i.label) for i in issues] == [("colonne-facultative-manquante", "juin 2018")]


def test_a_file_from_a_longer_calendar_keeps_its_extra_months_said(tmp_path, settings, extended):
    """The other way round: a file of the extended programme read with the 2018 settings
    has month columns the settings do not follow any more; typed values there are said."""
    path = w.action(tmp_path / "fiche_A3.2.xlsx", extended)
    w.edit(path, w.type_cells("Indicateurs", {"S5": 9}))  # janvier 2019
    issues = check_paths([path], settings, period="2018-05", today=w.TODAY).batch.issues
    assert [(i.cell, i.type, i.severity) for i in issues] == [
        ("S4", "colonne-inconnue-remplie", "avertissement"),
        *[(c, "colonne-inconnue", "info") for c in ("T4", "U4", "V4", "W4", "X4")],
    ]


# -- fields added in a later template version --------------------------------------------


NEW_VERSION = "1.1"


@pytest.fixture
def two_versions(monkeypatch):
    monkeypatch.setattr(versions, "KNOWN_VERSIONS", (versions.TEMPLATE_VERSION, NEW_VERSION))


def _tasks_with_a_new_column(settings) -> object:
    tasks = template_spec(ACTION, settings).table("t_taches")
    added = Field("priorite", "Priorité", "Ordre de priorité.", FieldType.TEXT,
                  since=NEW_VERSION)  # fmt: skip
    return dataclasses.replace(tasks, columns=(*tasks.columns, added))


def _sheet(tasks) -> tuple[Sheet, layout.Span]:
    headers = [c.label for c in tasks.columns if c.since == "1.0"]
    grid = [[""] * len(headers) for _ in range(3)] + [headers, ["Recenser"] + [""] * 6]
    sheet = Sheet("Tâches", grid, {})
    return sheet, layout.Span("Tâches", 1, len(headers), 4, 5, 5, 0)


@pytest.mark.usefixtures("two_versions")
def test_a_column_newer_than_the_file_is_simply_absent(settings):
    tasks = _tasks_with_a_new_column(settings)
    sheet, span = _sheet(tasks)
    headers = tuple(sheet.grid[3])
    old = layout.match_headers("f.xlsx", tasks, headers, sheet, span, [5], "1.0")
    assert old.issues == [] and "priorite" not in old.positions
    new = layout.match_headers("f.xlsx", tasks, headers, sheet, span, [5], NEW_VERSION)
    assert [(i.type, i.label) for i in new.issues] == [("colonne-facultative-manquante",
                                                        "Priorité")]  # fmt: skip


@pytest.mark.usefixtures("two_versions")
def test_a_single_field_newer_than_the_file_is_simply_absent():
    field = Field("referent_rgpd", "Référent RGPD", "Qui.", FieldType.TEXT, since=NEW_VERSION)
    old = Extractor("f.xlsx", Structure(), {}, [], version="1.0")
    assert old.field(field) is None and old.issues == []
    new = Extractor("f.xlsx", Structure(), {}, [], version=NEW_VERSION)
    assert new.field(field) is None
    assert [(i.type, i.label) for i in new.issues] == [("champ-introuvable", "Référent RGPD")]


def test_predates_follows_the_known_versions_order(monkeypatch):
    monkeypatch.setattr(versions, "KNOWN_VERSIONS", ("1.0", "1.1", "2.0"))
    assert versions.predates("1.0", "1.1") and versions.predates("1.1", "2.0")
    assert not versions.predates("2.0", "1.1") and not versions.predates("1.1", "1.1")
    assert not versions.predates("9.9", "1.1")  # an unknown version predates nothing


def test_every_field_of_the_dictionary_exists_since_a_known_version(settings):
    for spec in (template_spec(ACTION, settings), template_spec("feuille_de_route", settings)):
        columns = [c for t in spec.tables for c in t.columns]
        assert all(f.since in versions.KNOWN_VERSIONS for f in (*spec.fields, *columns))


def test_a_renamed_service_keeps_its_value_and_shows_the_list(tmp_path, settings):
    """A service renamed in the settings: last month's file keeps the old name."""
    old_name = settings.services[3]
    path = w.action(tmp_path / "fiche_A3.2.xlsx", settings, fields={"service_pilote": old_name})
    renamed = dataclasses.replace(
        settings, services=(*settings.services[:3], "Direction du numérique",
                            *settings.services[4:])
    )  # fmt: skip
    checked = check_paths([path], renamed, period="2018-05", today=w.TODAY)
    (issue,) = checked.batch.issues
    assert (issue.type, issue.severity, issue.value) == (
        "valeur-hors-liste-actuelle",
        "avertissement",
        old_name,
    )
    assert "Direction du numérique" in issue.message
    assert checked.batch.actions["service_pilote"].tolist() == [old_name]
    # a fixed list stays strict
    workbook = openpyxl.load_workbook(path)
    workbook["Fiche action"]["B9"] = "Finie"
    workbook.save(path)
    issues = check_paths([path], settings, period="2018-05", today=w.TODAY).batch.issues
    assert [(i.type, i.severity) for i in issues] == [("valeur-hors-liste", "erreur")]
