"""Templates that evolve: old files still check clean, and prefill moves them forward.

Three changes a programme lives through: its follow-up extended into the next year
(2018-01..2018-12 becomes 2018-01..2019-06), a service renamed in the settings, and a
field added to the dictionary (a variant of the dictionary, made here).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest

from innova_reports import fields as fd
from innova_reports import versions
from innova_reports.pipeline.check import check_files
from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.report.issue import Severity
from innova_reports.settings import load_settings
from innova_reports.template import writer
from innova_reports.template.prefill import write_prefilled
from tests.conftest import SETTINGS_FILE
from tests.test_consolidate import TODAY, samples_copy

OLD_SERVICE, NEW_SERVICE = "Accueil et citoyenneté", "Accueil des usagers et citoyenneté"


def _settings_file(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = SETTINGS_FILE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "programme.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def extended(tmp_path):
    return load_settings(_settings_file(tmp_path, ('dernier_mois = "2018-12"',
                                                   'dernier_mois = "2019-06"')))  # fmt: skip


@pytest.fixture
def renamed(tmp_path):
    return load_settings(_settings_file(tmp_path, (f'"{OLD_SERVICE}"', f'"{NEW_SERVICE}"')))


def _errors(batch) -> list[tuple]:
    return [i.flat() for i in batch.issues if i.severity is Severity.ERROR]


def _a11(folder: Path) -> Path:
    return folder / "axe-1" / "fiche_action_A1.1.xlsx"


# -- the follow-up extended ---------------------------------------------------------------


def test_files_of_the_old_template_check_clean_once_the_months_are_extended(
    extended, settings, tmp_path
):
    assert len(extended.months) == 18
    old = samples_copy(tmp_path)  # written with the 12-month templates
    assert (
        fd.template_spec(fd.ACTION, extended).version
        != fd.template_spec(fd.ACTION, settings).version
    )
    batch = check_files([old], extended, period="2018-05", today=TODAY, root=old)
    assert _errors(batch) == []
    infos = [i for i in batch.issues if i.file.endswith("A1.1.xlsx")
             and i.severity is Severity.INFO]  # fmt: skip
    assert len(infos) <= 1  # at most one line saying which months the file does not have


def test_prefill_carries_the_new_months_with_the_old_values(extended, tmp_path):
    old = samples_copy(tmp_path)
    result = consolidate_period(extended, "2018-05", workbooks_dir=old,
                                output_dir=tmp_path / "output", today=TODAY)  # fmt: skip
    prefilled = write_prefilled(result.snapshot, extended, result.period_dir)
    path = prefilled.path_of(fd.ACTION, 1, "A1.1")
    sheet = openpyxl.load_workbook(path)["Indicateurs"]
    headers = [c.value for c in sheet[4] if c.value]
    assert headers[6:] == [fd.month_label(m) for m in extended.months]
    assert headers[-1] == "juin 2019"
    assert [sheet.cell(5, 7 + k).value for k in range(18)] == [21, 20, 18, 16, 15] + [None] * 13
    again = check_files([path], extended, period="2018-05", today=TODAY)
    assert _errors(again) == [] and not [i for i in again.issues if i.type == "mois-absents"]


# -- a service renamed ----------------------------------------------------------------


def test_a_renamed_service_is_a_warning_showing_the_current_list(renamed, tmp_path):
    old = samples_copy(tmp_path)
    batch = check_files([_a11(old)], renamed, period="2018-05", today=TODAY)
    assert _errors(batch) == []
    (warning,) = [i for i in batch.issues if i.field == "service_pilote"]
    assert warning.severity is Severity.WARNING and warning.value == OLD_SERVICE
    assert NEW_SERVICE in warning.message  # the list as it is now
    result = consolidate_period(renamed, "2018-05", workbooks_dir=old,
                                output_dir=tmp_path / "output", today=TODAY)  # fmt: skip
    actions = result.snapshot.table("actions")
    kept = actions[actions["code_action"] == "A1.1"]["service_pilote"].tolist()
    assert kept == [OLD_SERVICE]  # kept, flagged
    prefilled = write_prefilled(result.snapshot, renamed, result.period_dir)
    wb = openpyxl.load_workbook(prefilled.path_of(fd.ACTION, 1, "A1.1"))
    assert wb["Fiche action"]["B18"].value == OLD_SERVICE  # the group picks the new name
    listed = [c.value for c in wb["Listes"]["D"] if c.value]
    assert NEW_SERVICE in listed and OLD_SERVICE not in listed


# -- a field added to the dictionary -----------------------------------------------------


@pytest.fixture
def with_priority(settings, monkeypatch):
    """The dictionary 1.1: the action sheet gains « Priorité » (since 1.1)."""
    original = fd._action_spec

    def variant(settings_):
        spec = original(settings_)
        added = fd.Field("priorite", "Priorité", "Priorité de l'action (1 à 3).",
                         fd.FieldType.INTEGER, since="1.1")  # fmt: skip
        first = spec.sections[0]
        sections = (dataclasses.replace(first, fields=(*first.fields, added)), *spec.sections[1:])
        version = "1.1+" + fd.settings_fingerprint(fd.ACTION, settings_)
        return dataclasses.replace(spec, sections=sections, version=version)

    log = {**versions.VERSION_LOG, "1.1": ("test", "« Priorité » sur la fiche action.")}
    monkeypatch.setattr(versions, "VERSION_LOG", log)
    monkeypatch.setattr(versions, "KNOWN_VERSIONS", tuple(log))
    monkeypatch.setattr(versions, "DICTIONARY_VERSION", "1.1")
    monkeypatch.setattr(fd, "_action_spec", variant)
    writer.skeleton.cache_clear()
    yield
    writer.skeleton.cache_clear()


def test_a_field_added_later_is_absent_from_older_files_without_an_erreur(
    settings, tmp_path, with_priority
):
    old = samples_copy(tmp_path)  # dictionary 1.0: no « Priorité »
    assert fd.template_spec(fd.ACTION, settings).version.startswith("1.1+")
    batch = check_files([_a11(old)], settings, period="2018-05", today=TODAY)
    assert _errors(batch) == []
    assert not [i for i in batch.issues if i.field == "priorite"]


def test_prefill_writes_the_new_field_and_files_of_1_1_need_it(settings, tmp_path, with_priority):
    old = samples_copy(tmp_path)
    result = consolidate_period(settings, "2018-05", workbooks_dir=old,
                                output_dir=tmp_path / "output", today=TODAY)  # fmt: skip
    prefilled = write_prefilled(result.snapshot, settings, result.period_dir)
    path = prefilled.path_of(fd.ACTION, 1, "A1.1")
    wb = openpyxl.load_workbook(path)
    assert wb.defined_names["innova_version"].attr_text.startswith('"1.1+')
    assert "priorite" in wb.defined_names
    clean = check_files([path], settings, period="2018-05", today=TODAY)
    assert _errors(clean) == []
    # a 1.1 file that lost the field's name is not an old file: that is said
    broken = tmp_path / "sans_priorite.xlsx"
    shutil.copy(path, broken)
    wb.defined_names.pop("priorite")
    wb.save(broken)
    missing = check_files([broken], settings, period="2018-05", today=TODAY)
    assert [i.type for i in missing.issues if i.field == "priorite"] == ["champ-introuvable"]


def test_a_month_removed_in_the_middle_is_still_said(extended, tmp_path):
    """Only months outside the file's own span are « never had »: a gap was made by hand,
    and is said (an avertissement: a month column is optional, issue 11)."""
    old = samples_copy(tmp_path)
    wb = openpyxl.load_workbook(_a11(old))
    sheet = wb["Indicateurs"]
    for column in sheet.tables["t_indicateurs"].tableColumns:
        if column.name == "mars 2018":
            column.name = "Mars (ancien)"
    for cell in sheet[4]:
        if cell.value == "mars 2018":
            cell.value = "Mars (ancien)"
    wb.save(_a11(old))
    batch = check_files([_a11(old)], extended, period="2018-05", today=TODAY)
    assert _errors(batch) == []
    warned = {(i.type, i.field or i.value) for i in batch.issues if i.severity is Severity.WARNING}
    assert ("colonne-facultative-manquante", "mois_2018_03") in warned
    # the renamed column's values are not read, and said so
    assert warned <= {("colonne-facultative-manquante", "mois_2018_03"),
                      ("colonne-inconnue-remplie", "Mars (ancien)")}  # fmt: skip
    (info,) = [i for i in batch.issues if i.type == "mois-absents"]
    assert "janvier 2019 à juin 2019" in info.message
