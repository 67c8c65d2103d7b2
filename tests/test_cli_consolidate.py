"""`innova-reports consolidate`: French help, exit codes, stdout summary, stderr progress."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from innova_reports.fields import ACTION
from innova_reports.template.samples import action_values
from tests.factories import make_workbook
from tests.test_consolidate import ROOT, hold_lock, sample_action, samples_copy


def invoke(*args: str):
    return CliRunner().invoke(cli, ["consolidate", *args], catch_exceptions=False)


def test_help_is_french_with_an_example():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Exemple" in result.output
    assert "innova-reports consolidate --period 2018-05" in result.output
    for english in ("Usage:", "Show this message", "[required]", "default:"):
        assert english not in result.output


def test_samples_consolidate_with_summary_on_stdout_and_progress_on_stderr(tmp_path, settings):
    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    result = invoke("--period", "2018-05", "--workbooks", str(workbooks), "--output", str(output),
                    "--settings", str(ROOT / "programme.toml"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Fichiers trouvés : 18 — consolidés : 18, écartés : 0, ignorés : 0" in result.stdout
    assert "Bilan : 18 fichiers contrôlés" in result.stdout
    lines = result.stdout.splitlines()
    assert "    Axe 5 : 0 erreur, 1 avertissement, 0 information" in lines
    assert "(s)" not in result.stdout  # French agreement, not « avertissement(s) »
    assert any(line.endswith("(18 fichiers archivés)") for line in lines)
    assert str(output / "2018-05" / "plan_actions_2018-05.xlsx") in result.stdout
    assert (
        "Lecture et contrôle des classeurs" in result.stderr and "Classeur maître" in result.stderr
    )
    assert "Lecture" not in result.stdout
    assert (output / "2018-05" / "retours" / "axe-6.xlsx").exists()


def test_workers_option_gives_the_same_master_and_says_each_step(tmp_path, settings):
    """The folder is read in two processes: each step is said once on stderr, even though
    the files are counted by chunks, and the master is the one one process writes."""
    workbooks = samples_copy(tmp_path)
    masters = []
    for workers in ("1", "2"):
        output = tmp_path / f"out-{workers}"
        result = invoke("--period", "2018-05", "--workbooks", str(workbooks),
                        "--output", str(output), "--workers", workers)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        steps = result.stderr.splitlines()
        assert steps[0] == "Lecture et contrôle des classeurs…", steps
        assert len(steps) == len(set(steps)) and steps[-1] == "Terminé"
        masters.append((output / "2018-05" / "plan_actions_2018-05.xlsx").read_bytes())
    assert masters[0] == masters[1]
    assert invoke("--period", "2018-05", "--workers", "0").exit_code == 2


def test_strict_exits_1_on_an_error_but_still_writes_the_outputs(tmp_path, settings):
    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    values = action_values(dataclasses.replace(sample_action("A1.2")))
    values["fields"]["statut"] = "Peut-être"
    make_workbook(workbooks / "axe-1" / "fiche_action_A1.2.xlsx", ACTION, settings, **values)
    args = ("--period", "2018-05", "--workbooks", str(workbooks), "--output", str(output))
    assert invoke(*args).exit_code == 0
    strict = invoke(*args, "--strict")
    assert strict.exit_code == 1
    assert "--strict" in strict.stderr and "Erreur" in strict.stderr
    assert (output / "2018-05" / "plan_actions_2018-05.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2018-13"), "n'est pas un mois au format AAAA-MM"),
        (("--period", "2030-01"), "hors du suivi"),
        ((), "--period"),
        (("--period", "2018-05", "--workbooks", "absent"), "introuvable"),
        (("--period", "2018-05", "--settings", "absent.toml"), "introuvable"),
    ],
)
def test_usage_and_settings_errors_exit_2_in_french(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workbooks").mkdir()
    defaults = ("--settings", str(ROOT / "programme.toml"), "--output", str(tmp_path / "out"))
    result = invoke(*defaults, *args)  # the last occurrence of an option wins
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "2018-05").exists()


def test_a_second_concurrent_run_is_refused_with_exit_1(tmp_path):
    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    output.mkdir()
    holder = hold_lock(output)
    try:
        command = [sys.executable, "-m", "innova_reports", "consolidate", "--period", "2018-05",
                   "--workbooks", str(workbooks), "--output", str(output),
                   "--settings", str(ROOT / "programme.toml")]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        holder.communicate("", timeout=30)
    assert done.returncode == 1
    assert "une autre exécution est déjà en cours" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (output / "2018-05").exists()


def test_a_file_name_that_is_not_utf8_is_shown_readable_everywhere(tmp_path, settings):
    """A workbook from an old Windows zip: « é » as the byte E9 in its name. Every output
    (report, master, archive manifest, history) names it readably; nothing fails."""
    import os

    import openpyxl

    from innova_reports.consolidate.history import History

    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    old = workbooks / "axe-1" / "fiche_action_A1.1.xlsx"
    os.rename(bytes(old), bytes(old.parent) + b"/fiche_action_A1.1_\xe9t\xe9.xlsx")
    result = invoke("--period", "2018-05", "--workbooks", str(workbooks), "--output", str(output))
    assert result.exit_code == 0, result.stderr
    assert "axe-1/fiche_action_A1.1_été.xlsx — ✔ aucun problème" in result.stdout
    period = output / "2018-05"
    assert "axe-1/fiche_action_A1.1_été.xlsx" in (period / "archive" / "manifeste.csv").read_text()
    sources = openpyxl.load_workbook(period / "plan_actions_2018-05.xlsx")["Sources"]
    assert "axe-1/fiche_action_A1.1_été.xlsx" in [c.value for c in sources["A"]]
    stored = History(output / "historique.sqlite").load("2018-05").table("actions")
    assert "axe-1/fiche_action_A1.1_été.xlsx" in set(stored["fichier"])
