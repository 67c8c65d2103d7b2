"""`innova-reports templates`: files written, French help and errors, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "innova_reports", "templates", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_writes_blank_and_per_axis_templates(tmp_path, settings):
    result = run("--output", str(tmp_path / "modeles"))
    assert result.returncode == 0, result.stderr
    written = sorted(Path(line) for line in result.stdout.splitlines())
    assert len(written) == 2 + 2 * len(settings.axes)
    assert tmp_path / "modeles" / "fiche_action.xlsx" in written
    assert tmp_path / "modeles" / "axe-6" / "feuille_de_route_axe-6.xlsx" in written
    wb = openpyxl.load_workbook(tmp_path / "modeles" / "axe-6" / "fiche_action_axe-6.xlsx")
    assert wb.defined_names["innova_modele"].attr_text == '"fiche_action"'


def test_unwritable_place_gives_french_message_and_exit_1(tmp_path):
    blocker = tmp_path / "un_fichier"
    blocker.write_text("pas un dossier")
    for target in (blocker / "modeles", blocker):  # parent is a file; target is a file
        result = run("--output", str(target))
        assert result.returncode == 1
        assert result.stderr.startswith("Erreur : écriture impossible dans « ")
        assert "Traceback" not in result.stderr + result.stdout
    assert blocker.read_text() == "pas un dossier"


def test_help_is_french_with_an_example():
    result = run("--help")
    assert result.returncode == 0
    assert "Génère les modèles Excel" in result.stdout
    assert "innova-reports templates --output" in result.stdout
