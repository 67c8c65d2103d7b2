"""`innova-reports check`: French table, JSON, exit codes, no traceback, fast imports."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from innova_reports.fields import ACTION
from tests import factories
from tests.conftest import ROOT, SETTINGS_FILE

ENGLISH = ("Traceback", "SchemaError", "failure", "Error:", "DataFrame", "not_nullable")


def action_file(folder: Path, settings, name: str = "fiche_A3.2.xlsx", **changes) -> Path:
    fields = {
        "code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
        "date_maj": dt.date(2018, 5, 15), "statut": "En cours", "meteo": "Vert",
        "service_pilote": settings.services[0], "chef_projet": "Sophie Marty",
    } | changes.pop("fields", {})  # fmt: skip
    tables = {
        "t_taches": [{"tache": "Cartographier", "debut": dt.date(2018, 3, 1),
                      "fin": dt.date(2018, 4, 30), "statut": "En cours", "avancement": 0.5}],
    } | changes.pop("tables", {})  # fmt: skip
    return factories.make_workbook(folder / name, ACTION, settings, fields=fields, tables=tables)


def invoke(*args: str):
    runner = CliRunner()
    return runner.invoke(cli, ["check", *args, "--settings", str(SETTINGS_FILE)])


def _no_english(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, word


def test_a_clean_file_exits_0(tmp_path, settings):
    path = action_file(tmp_path, settings)
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    assert "fiche_A3.2.xlsx — ✔ aucun problème" in result.output
    _no_english(result.output)


def test_errors_are_listed_by_cell_and_exit_1(tmp_path, settings):
    bad_task = {"tache": "T", "debut": dt.date(2018, 4, 30), "fin": dt.date(2018, 3, 1),
                "statut": "Fait", "avancement": 0.8}  # fmt: skip
    path = action_file(
        tmp_path, settings, fields={"meteo": "Violet"}, tables={"t_taches": [bad_task]}
    )
    result = invoke(str(path))
    assert result.exit_code == 1, result.output
    assert "2 erreurs, 1 avertissement" in result.output
    assert (
        "La date de fin (01/03/2018) est antérieure à la date de début (30/04/2018)"
        in result.output
    )
    assert "Tâches › " in result.output
    _no_english(result.output)


def test_json_has_the_same_issues_as_the_table(tmp_path, settings):
    path = action_file(tmp_path, settings, fields={"chef_projet": None, "code_action": "A4.1"})
    table = invoke(str(path))
    as_json = invoke(str(path), "--json")
    assert as_json.exit_code == table.exit_code == 1
    document = json.loads(as_json.output)
    (entry,) = document["files"]
    assert entry["file"] == "fiche_A3.2.xlsx" and document["valid"] is False
    types = sorted(i["type"] for i in entry["issues"])
    assert types == ["champ-obligatoire", "code-action-axe-incoherent", "fichier-ecarte"]
    assert entry["consolidated"] is False and entry["verdict"].startswith("ne sera pas consolidé")
    for found in entry["issues"]:
        assert found["message"] in table.output
        assert found["cell"] and found["sheet"] == "Fiche action"


def test_folders_are_discovered_and_refused_files_make_exit_1(tmp_path, settings):
    action_file(tmp_path, settings)
    (tmp_path / "vide.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("bonjour")
    result = invoke(str(tmp_path), "--json")
    assert result.exit_code == 1
    statuses = {f["file"]: f["status"] for f in json.loads(result.output)["files"]}
    assert statuses == {"fiche_A3.2.xlsx": "lu", "vide.xlsx": "refusé", "notes.txt": "ignoré"}


def test_period_decides_future_months_but_warnings_keep_exit_0(tmp_path, settings):
    row = {"indicateur": "Délai", "sens": "Baisse", "valeur_initiale": 30, "cible": 15,
           "mois_2018_07": 20}  # fmt: skip
    path = action_file(tmp_path, settings, tables={"t_indicateurs": [row]})
    result = invoke(str(path), "--period", "2018-05")
    assert result.exit_code == 0, result.output
    assert "1 avertissement" in result.output and "juillet 2018" in result.output
    assert "✔ aucun problème" in invoke(str(path), "--period", "2018-07").output


@pytest.mark.parametrize(
    "args, expected",
    [([], "Argument manquant"), (["--period", "2018-13", "x"], "AAAA-MM"),
     (["inexistant.xlsx"], "introuvable")],
)  # fmt: skip
def test_usage_errors_exit_2(tmp_path, args, expected):
    if args and args[-1] == "x":
        args = [*args[:-1], str(tmp_path)]
    result = invoke(*args)
    assert result.exit_code == 2
    assert expected in result.output
    _no_english(result.output)


def test_bad_settings_exit_2(tmp_path):
    broken = tmp_path / "programme.toml"
    broken.write_text("[programme]\nnom = 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--settings", str(broken)])
    assert result.exit_code == 2
    assert "Erreur :" in result.output


def test_an_unexpected_failure_is_french_unless_debug(tmp_path, settings, monkeypatch):
    import innova_reports.pipeline.check as validate

    def boom(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(validate, "check_paths", boom)
    path = action_file(tmp_path, settings)
    result = invoke(str(path))
    assert result.exit_code == 1
    assert "Relancez avec --debug" in result.output and "Traceback" not in result.output
    debug = CliRunner().invoke(
        cli, ["--debug", "check", str(path), "--settings", str(SETTINGS_FILE)]
    )
    assert isinstance(debug.exception, RuntimeError)


def test_help_is_french_with_an_example():
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0
    assert "Exemples :" in result.output and "innova-reports check" in result.output
    assert "Utilisation :" in result.output


def test_check_never_imports_the_plotting_or_writing_stack(tmp_path, settings):
    path = action_file(tmp_path, settings)
    probe = (
        "import sys\n"
        "from innova_reports.cli import main\n"
        "try:\n"
        f"    main(['check', {str(path)!r}, '--settings', {str(SETTINGS_FILE)!r}])\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "heavy = [m for m in ('matplotlib', 'xlsxwriter', 'innova_reports.pipeline.consolidate',\n"
        "         'innova_reports.dashboards', 'innova_reports.xlsx.master') if m in sys.modules]\n"
        "print('LOURD', heavy, 'CODE', code)\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    elapsed = time.perf_counter() - started
    assert "LOURD [] CODE 0" in done.stdout, done.stdout + done.stderr
    assert elapsed < 3.0  # about 0.7 s on the reference machine; generous for a busy CI


def test_a_named_file_that_is_not_a_workbook_fails_the_check(tmp_path):
    """Nothing was checked: exit 1, and the report says so."""
    notes = tmp_path / "compte-rendu.docx"
    notes.write_bytes(b"PK\x03\x04 not really a document")
    result = invoke(str(notes))
    assert result.exit_code == 1, result.output
    assert "compte-rendu.docx — ignoré : " in result.output
    assert "rien n'a été contrôlé" in result.output
    assert "Bilan : aucun fichier contrôlé ; 1 fichier nommé n'est pas un classeur" in result.output
    assert "fichier contrôlé (" not in result.output  # never counted as checked
    as_json = json.loads(invoke(str(notes), "--json").output)
    assert as_json["valid"] is False and as_json["files"][0]["checked"] is False


def test_a_folder_scan_only_ignores_a_file_that_is_not_a_workbook(tmp_path, settings):
    action_file(tmp_path, settings)
    (tmp_path / "compte-rendu.docx").write_bytes(b"PK\x03\x04")
    result = invoke(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "compte-rendu.docx — ignoré : " in result.output
    assert "rien n'a été contrôlé" not in result.output
    assert "fiche_A3.2.xlsx — ✔ aucun problème — sera consolidé" in result.output


def test_check_says_a_duplicate_is_left_out_as_consolidate_does(tmp_path, settings):
    import os

    first = action_file(tmp_path, settings, fields={"date_maj": dt.date(2018, 5, 15)})
    second = action_file(tmp_path, settings, name="fiche_A3.2_avril.xlsx",
                         fields={"date_maj": dt.date(2018, 4, 14)})  # fmt: skip
    os.utime(second, (time.time() - 86400, time.time() - 86400))
    result = invoke(str(first), str(second))
    assert "fiche_A3.2.xlsx — ✔ aucun problème — sera consolidé" in result.output
    assert ("fiche_A3.2_avril.xlsx — 1 avertissement — ne sera pas consolidé : doublon : "
            "remplacé par fiche_A3.2.xlsx") in result.output  # fmt: skip
    assert "sa date de mise à jour (15/05/2018) est plus récente" in result.output


def test_two_folders_with_the_same_file_names_are_told_apart(tmp_path, settings):
    """« axe-3/fiche.xlsx » in two folders: each named with its folder, never mixed."""
    for folder, changes in (("mai", {}), ("avril", {"fields": {"meteo": "Violet"}})):
        (tmp_path / folder / "axe-3").mkdir(parents=True)
        action_file(tmp_path / folder / "axe-3", settings, **changes)
    result = invoke(str(tmp_path / "mai"), str(tmp_path / "avril"))
    lines = [line for line in result.output.splitlines() if " — " in line and "xlsx" in line]
    assert [line.split(" — ")[:2] for line in lines] == [
        ["mai/axe-3/fiche_A3.2.xlsx", "1 avertissement"],  # the same action twice: a duplicate
        ["avril/axe-3/fiche_A3.2.xlsx", "1 erreur"],
    ]
