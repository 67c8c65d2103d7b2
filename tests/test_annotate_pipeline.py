"""The annotated copies of a month (consolidate, run) and of a check (--annotate)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from innova_reports.annotate.plan import SHEET_TITLE
from innova_reports.cli import cli
from innova_reports.cli.summary import consolidation_lines
from innova_reports.pipeline.check import check_files
from innova_reports.pipeline.consolidate import consolidate_period
from tests import annotate_parts as parts
from tests import hostile
from tests.annotate_cases import base, clean_fields
from tests.conftest import SETTINGS_FILE

TODAY = dt.date(2018, 5, 20)


def folder_of_returns(root: Path, settings) -> Path:
    """Axis 3: one clean file, one to fix, one refused; and a file of no readable axis."""
    workbooks = root / "workbooks"
    (workbooks / "axe-3").mkdir(parents=True)
    base(workbooks / "axe-3" / "fiche_A3.1.xlsx", settings,
         fields={**clean_fields(settings), "code_action": "A3.1"})  # fmt: skip
    fields = {k: v for k, v in clean_fields(settings).items() if k != "meteo"}
    base(workbooks / "axe-3" / "fiche_A3.2.xlsx", settings, fields=fields)
    hostile.with_doctype(workbooks / "axe-3" / "fiche_A3.1.xlsx", workbooks / "axe-3" / "xxe.xlsx")
    no_axis = {**clean_fields(settings), "axe": None, "code_action": "A9.9"}
    base(workbooks / "inconnu.xlsx", settings, fields=no_axis)
    return workbooks


def test_consolidate_writes_a_copy_for_each_file_to_fix(tmp_path, settings):
    workbooks = folder_of_returns(tmp_path, settings)
    output = tmp_path / "out"
    result = consolidate_period(settings, "2018-05", workbooks_dir=workbooks, output_dir=output,
                                today=TODAY)  # fmt: skip
    retours = output / "2018-05" / "retours"
    copy = retours / "axe-3" / "fiche_A3.2_a-corriger.xlsx"
    assert sorted(p.relative_to(retours).as_posix() for p in retours.rglob("*_a-corriger.*")) == [
        "axe-3/fiche_A3.2_a-corriger.xlsx", "sans-axe/inconnu_a-corriger.xlsx",
    ]  # fmt: skip
    assert result.annotated == {3: [copy], None: [retours / "sans-axe" / "inconnu_a-corriger.xlsx"]}
    assert (retours / "axe-3.xlsx").is_file()  # the feedback list stays
    archived = output / "2018-05" / "archive" / "axe-3" / "fiche_A3.2.xlsx"
    assert archived.read_bytes() == (workbooks / "axe-3" / "fiche_A3.2.xlsx").read_bytes()
    assert list(parts.marks(copy, "Fiche action")) == ["B10"]
    original = check_files([workbooks / "axe-3" / "fiche_A3.2.xlsx"], settings, today=TODAY)
    again = check_files([copy], settings, today=TODAY)
    assert [i.flat()[1:] for i in again.issues] == [i.flat()[1:] for i in original.issues]
    assert any("1 copie annotée" in line or "2 copies annotées" in line
               for line in consolidation_lines(result, settings))  # fmt: skip


def test_a_fixed_file_leaves_no_stale_copy(tmp_path, settings):
    workbooks = folder_of_returns(tmp_path, settings)
    output = tmp_path / "out"
    consolidate_period(settings, "2018-05", workbooks_dir=workbooks, output_dir=output, today=TODAY)
    base(workbooks / "axe-3" / "fiche_A3.2.xlsx", settings)  # fixed
    (workbooks / "inconnu.xlsx").unlink()
    result = consolidate_period(settings, "2018-05", workbooks_dir=workbooks, output_dir=output,
                                today=TODAY)  # fmt: skip
    assert result.annotated == {}
    assert list((output / "2018-05" / "retours").rglob("*_a-corriger.*")) == []


def test_check_annotate_writes_the_copies_into_a_folder(tmp_path, settings):
    workbooks = folder_of_returns(tmp_path, settings)
    target = tmp_path / "copies"
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(workbooks / "axe-3"), "--json", "--annotate",
                                 str(target), "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert result.exit_code == 1
    json.loads(result.stdout)  # the report stays parseable: the copies are said on stderr
    assert "Copies annotées : 1 fichier dans" in result.stderr
    assert [p.name for p in target.iterdir()] == ["fiche_A3.2_a-corriger.xlsx"]
    assert (
        parts.members(target / "fiche_A3.2_a-corriger.xlsx")["xl/workbook.xml"]
        .decode()
        .count(SHEET_TITLE)
        >= 1
    )


def test_check_annotate_names_two_files_of_the_same_name_apart(tmp_path, settings):
    fields = {k: v for k, v in clean_fields(settings).items() if k != "meteo"}
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        base(tmp_path / folder / "fiche.xlsx", settings, fields=fields)
    shutil.rmtree(tmp_path / "copies", ignore_errors=True)
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(tmp_path / "a" / "fiche.xlsx"), str(tmp_path / "b" / "fiche.xlsx"),
                                 "--annotate", str(tmp_path / "copies"), "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == [
        "fiche_a-corriger-2.xlsx", "fiche_a-corriger.xlsx",
    ]  # fmt: skip


def test_a_copy_sent_back_is_annotated_under_its_own_name(tmp_path, settings):
    """The group sends its annotated copy back still wrong: the next copy is named as
    the first, not « _a-corriger_a-corriger »; beside the original it is told apart."""
    fields = {k: v for k, v in clean_fields(settings).items() if k != "meteo"}
    base(tmp_path / "fiche.xlsx", settings, fields=fields)
    runner = CliRunner()
    first = runner.invoke(cli, ["check", str(tmp_path / "fiche.xlsx"), "--annotate",
                                str(tmp_path / "un"), "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert first.exit_code == 1, first.output
    sent_back = tmp_path / "un" / "fiche_a-corriger.xlsx"
    again = runner.invoke(cli, ["check", str(sent_back), "--annotate", str(tmp_path / "deux"),
                                "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert again.exit_code == 1, again.output
    assert [p.name for p in (tmp_path / "deux").iterdir()] == ["fiche_a-corriger.xlsx"]
    both = runner.invoke(cli, ["check", str(tmp_path / "fiche.xlsx"), str(sent_back),
                               "--annotate", str(tmp_path / "trois"),
                               "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "trois").iterdir()) == [
        "fiche_a-corriger-2.xlsx", "fiche_a-corriger.xlsx",
    ]  # fmt: skip
    assert both.exit_code == 1
