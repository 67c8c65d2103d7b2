""".ods wherever .xlsx: check, consolidate, the archive, the Sources sheet, the feedback."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from innova_reports.consolidate.archive import read_manifest
from innova_reports.fields import ACTION
from innova_reports.pipeline.check import check_files
from innova_reports.read.workbook import read_workbook
from innova_reports.report.issue import Severity
from innova_reports.template.samples import action_values
from tests.libreoffice import convert_many
from tests.ods_factory import make_ods
from tests.test_consolidate import run, sample_action, samples_copy

CONVERTED = ("axe-3/fiche_action_A3.2.xlsx", "axe-2/feuille_de_route_axe-2.xlsx")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def folders(tmp_path_factory, settings):
    """The samples consolidated as they are, and with two files returned by LibreOffice
    users as .ods instead (converted by real LibreOffice)."""
    base = tmp_path_factory.mktemp("ods-pipeline")
    plain, mixed = samples_copy(base / "xlsx"), samples_copy(base / "ods")
    for name in CONVERTED:
        source = mixed / name
        convert_many([source], source.parent, "ods")
        source.unlink()
    return (run(settings, plain, base / "out-xlsx"), run(settings, mixed, base / "out-ods"), mixed)


def _as_xlsx_names(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("fichier",):
        if column in frame:
            frame[column] = frame[column].str.replace(".ods", ".xlsx", regex=False)
    return frame


@pytest.mark.libreoffice
def test_an_ods_folder_makes_the_same_plan_d_actions(folders):
    plain, mixed, _ = folders
    assert mixed.counts == plain.counts == {"trouves": 18, "consolides": 18, "ecartes": 0,
                                            "ignores": 0}  # fmt: skip
    for name, frame in plain.snapshot.tables.items():
        if name == "sources":
            continue
        pd.testing.assert_frame_equal(_as_xlsx_names(mixed.snapshot.table(name)), frame,
                                      obj=name)  # fmt: skip


@pytest.mark.libreoffice
def test_the_sources_sheet_and_the_archive_show_the_ods(folders):
    _, mixed, workbooks = folders
    sources = mixed.snapshot.table("sources").set_index("fichier")
    row = sources.loc["axe-3/fiche_action_A3.2.ods"]
    assert (row["statut"], row["modele"], row["format"]) == (
        "consolidé", "Fiche action", "LibreOffice (.ods)")  # fmt: skip
    assert sources.loc["axe-2/feuille_de_route_axe-2.ods", "modele"] == "Feuille de route"
    assert sources.loc["axe-3/fiche_action_A3.1.xlsx", "format"] == "Excel (.xlsx)"
    sheet = openpyxl.load_workbook(mixed.period_dir / "plan_actions_2018-05.xlsx")["Sources"]
    lines = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    header = next(line for line in lines if "Fichier" in line)
    assert "Format" in header
    shown = next(line for line in lines if "axe-3/fiche_action_A3.2.ods" in line)
    assert shown[header.index("Format")] == "LibreOffice (.ods)"
    manifest = {line["fichier"]: line for line in read_manifest(mixed.period_dir / "archive")}
    ods = workbooks / "axe-3" / "fiche_action_A3.2.ods"
    assert manifest["axe-3/fiche_action_A3.2.ods"]["sha256"] == _sha256(ods)
    assert (mixed.period_dir / "archive" / "axe-3" / "fiche_action_A3.2.ods").read_bytes() == (
        ods.read_bytes()
    )


@pytest.mark.libreoffice
def test_check_reads_an_ods(folders):
    _, _, workbooks = folders
    ods = workbooks / "axe-3" / "fiche_action_A3.2.ods"
    result = CliRunner().invoke(cli, ["check", str(ods)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "fiche_action_A3.2.ods — ✔ aucun problème" in result.output


def test_a_problem_in_an_ods_reaches_its_group(tmp_path, settings):
    """An .ods with a wrong value: listed in the anomalies and its group's feedback."""
    workbooks = samples_copy(tmp_path)
    (workbooks / "axe-3" / "fiche_action_A3.3.xlsx").unlink()
    values = action_values(dataclasses.replace(sample_action("A3.3"), meteo="Violet"))
    make_ods(workbooks / "axe-3" / "fiche_action_A3.3.ods", ACTION, settings, **values)
    result = run(settings, workbooks, tmp_path / "out")
    anomalies = result.snapshot.table("anomalies")
    mine = anomalies[anomalies["fichier"] == "axe-3/fiche_action_A3.3.ods"]
    assert list(zip(mine["axe"], mine["feuille"], mine["gravite"], strict=True)) == [
        (3, "Fiche action", "erreur")
    ]
    feedback = openpyxl.load_workbook(result.period_dir / "retours" / "axe-3.xlsx")
    text = [str(v) for ws in feedback for r in ws.iter_rows(values_only=True) for v in r if v]
    assert any("fiche_action_A3.3.ods" in value for value in text)
    assert any("Violet" in value for value in text)
    check = CliRunner().invoke(cli, ["check", str(workbooks / "axe-3" / "fiche_action_A3.3.ods")])
    assert "fiche_action_A3.3.ods" in check.output and "Violet" in check.output

    # the group's annotated copy is its own .ods again, valid input: same values, same error
    copy = result.period_dir / "retours" / "axe-3" / "fiche_action_A3.3_a-corriger.ods"
    original = read_workbook(workbooks / "axe-3" / "fiche_action_A3.3.ods", settings).data
    again = read_workbook(copy, settings).data
    assert again.format == "ods"
    assert {k: c.value for k, c in again.fields.items()} == {
        k: c.value for k, c in original.fields.items()
    }

    def errors(path: Path) -> list[tuple]:
        batch = check_files([path], settings)
        return [i.flat()[1:] + (i.value,) for i in batch.issues if i.severity is Severity.ERROR]

    assert errors(copy) == errors(workbooks / "axe-3" / "fiche_action_A3.3.ods")
    assert [error[-1] for error in errors(copy)] == ["Violet"]


def test_an_ods_named_xlsx_gets_an_annotated_ods(tmp_path, settings):
    """Read as the .ods it is, with a warning; its annotated copy is an .ods by name too."""
    from innova_reports.annotate.copies import copy_name, make_copies

    values = action_values(dataclasses.replace(sample_action("A3.3"), meteo="Violet"))
    path = make_ods(tmp_path / "fiche_A3.3.xlsx", ACTION, settings, **values)
    batch = check_files([path], settings)
    (outcome,) = batch.outcomes
    assert outcome.data.format == "ods"
    assert "extension-trompeuse" in [i.type for i in batch.issues]
    (made,) = make_copies(batch.outcomes, batch.issues).made
    assert made.name == "fiche_A3.3_a-corriger.ods"
    assert made.data[30:77] == b"mimetypeapplication/vnd.oasis.opendocument.spre"
    assert copy_name("fiche.xlsm", "xlsm") == "fiche_a-corriger.xlsm"
    assert copy_name("fiche.xlsx") == "fiche_a-corriger.xlsx"
