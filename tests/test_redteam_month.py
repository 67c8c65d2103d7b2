"""A month as it really arrives: the sample workbooks plus the red-team's folder mess.

Last month's files left beside this month's updates (one with a typo in its date de
mise à jour, one whose date cannot be read), files refused for every reason in axis
folders and at the root, a file with a wrong axis but a readable code. One real ``run``
over it, then: every problem reaches the group it concerns (its email and feedback
workbook), duplicates are decided by a rule the message states, the files nothing
attributes come first in the summary, ``check`` says what ``consolidate`` does, and no
field id reaches anything a person reads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
import zipfile
from email import message_from_bytes, policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from innova_reports.consolidate.history import History
from innova_reports.fields import all_specs
from innova_reports.mail.findings import corrections_for
from innova_reports.mail.texts import corrections_text
from innova_reports.pipeline.check import check_paths
from innova_reports.validate.render import issues_table
from tests import hostile
from tests.conftest import ROOT, SETTINGS_FILE
from tests.redteam import workbooks as w

PERIOD = "2018-05"
NOW = time.time()
LAST_MONTH = NOW - 30 * 86400


def _action(path: Path, settings, code: str, date_maj, when: float, **fields) -> Path:
    axis = int(code[1])
    w.action(path, settings, fields={"code_action": code, "axe": axis, "date_maj": date_maj,
                                     **fields})  # fmt: skip
    os.utime(path, (when, when))
    return path


@pytest.fixture(scope="module")
def month(tmp_path_factory, settings):
    """The folder, the run's result and its output folder."""
    root = tmp_path_factory.mktemp("mois")
    folder = root / "workbooks"
    shutil.copytree(ROOT / "workbooks", folder)
    for path in folder.rglob("*.xlsx"):
        os.utime(path, (NOW - 3600, NOW - 3600))
    may, april = dt.date(2018, 5, 15), dt.date(2018, 4, 14)
    # this month's update and last month's file left in the folder
    _action(folder / "axe-3" / "fiche_action_A3.2.xlsx", settings, "A3.2", may, NOW)
    _action(folder / "axe-3" / "ancien" / "fiche_action_A3.2_avril.xlsx", settings, "A3.2",
            april, LAST_MONTH)  # fmt: skip
    # this month's update with a date that cannot be read
    _action(folder / "axe-2" / "fiche_action_A2.1.xlsx", settings, "A2.1", "15/05/20188", NOW)
    _action(folder / "axe-2" / "fiche_action_A2.1_avril.xlsx", settings, "A2.1", april,
            LAST_MONTH)  # fmt: skip
    # this month's update with a typo that makes it older than last month's file
    _action(folder / "axe-4" / "fiche_action_A4.1.xlsx", settings, "A4.1",
            dt.date(2018, 4, 5), NOW)  # fmt: skip
    _action(folder / "axe-4" / "fiche_action_A4.1_ancien.xlsx", settings, "A4.1", april,
            LAST_MONTH)  # fmt: skip
    # refused files: a clue in the folder, in the name (code, « axe N »), or none
    hostile.random_bytes(folder / "axe-5" / "copie.xlsx")
    hostile.empty(folder / "fiche_action_A6.2.xlsx")
    hostile.truncated(folder / "axe-3" / "fiche_action_A3.1.xlsx",
                      folder / "feuille de route axe 1.xlsx")  # fmt: skip
    hostile.random_bytes(folder / "scan.xlsx")
    # read, left out for its axis, attributed by its code
    w.action(folder / "fiche.xlsx", settings, fields={"code_action": "A1.2", "axe": 9})
    output = root / "sortie"
    arguments = ["run", "--period", PERIOD, "--workbooks", str(folder), "--output",
                 str(output), "--settings", str(SETTINGS_FILE)]  # fmt: skip
    result = CliRunner().invoke(cli, arguments, env={"INNOVA_SMTP_HOST": None})
    assert result.exit_code == 0, result.output
    snapshot = History(output / "historique.sqlite").load(PERIOD)
    return folder, result, output / PERIOD, snapshot


def _anomalies(snapshot, name: str) -> list[dict]:
    from innova_reports.consolidate.selection import record_dicts

    table = snapshot.table("anomalies")
    return record_dicts(table[table["fichier"] == name])


# -- every problem reaches its group -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "axis"),
    [("axe-5/copie.xlsx", 5), ("fiche_action_A6.2.xlsx", 6), ("feuille de route axe 1.xlsx", 1),
     ("fiche.xlsx", 1)],
)  # fmt: skip
def test_a_refused_or_left_out_file_reaches_its_group(month, settings, name, axis):
    folder, _, period_dir, snapshot = month
    rows = _anomalies(snapshot, name)
    assert rows and {row["axe"] for row in rows} == {axis}, rows
    corrections = corrections_for(snapshot, axis)
    listed = [c for c in corrections if c.place.startswith(Path(name).name)]
    assert listed and listed[0].severity == "erreur"
    assert "Aucune correction" not in corrections_text(corrections)
    feedback = openpyxl.load_workbook(period_dir / "retours" / f"axe-{axis}.xlsx")
    cells = {str(c.value) for row in feedback.active.iter_rows() for c in row if c.value}
    assert Path(name).name in cells
    draft = message_from_bytes((period_dir / "mail" / f"axe-{axis}.eml").read_bytes(),
                               policy=policy.default)  # fmt: skip
    assert Path(name).name in draft.get_body(("plain",)).get_content()


def test_a_file_without_any_clue_comes_first_in_the_summary(month):
    _, result, _, snapshot = month
    assert {row["axe"] for row in _anomalies(snapshot, "scan.xlsx")} == {None}
    out = result.stdout
    assert "Sans axe (coordination)" in out
    assert out.index("Sans axe (coordination)") < out.index("Fichiers trouvés")
    assert "scan.xlsx" in out[: out.index("Fichiers trouvés")]


# -- duplicates --------------------------------------------------------------------------


def _duplicate(snapshot, name: str) -> str:
    (row,) = [r for r in _anomalies(snapshot, name) if r["type"] == "doublon"]
    return row["message"]


def test_last_months_file_is_left_out_by_its_date(month):
    snapshot = month[3]
    message = _duplicate(snapshot, "axe-3/ancien/fiche_action_A3.2_avril.xlsx")
    assert "« axe-3/fiche_action_A3.2.xlsx » a été retenu" in message
    assert "sa date de mise à jour (15/05/2018) est plus récente que celle de ce fichier-ci " \
           "(14/04/2018)" in message  # fmt: skip
    assert "Attention" not in message


def test_an_unreadable_date_is_never_the_oldest(month):
    snapshot = month[3]
    kept = snapshot.table("actions").set_index("code_action").loc["A2.1", "fichier"]
    assert kept == "axe-2/fiche_action_A2.1.xlsx"  # the file modified this month
    message = _duplicate(snapshot, "axe-2/fiche_action_A2.1_avril.xlsx")
    assert "la date de mise à jour manque ou n'a pas été acceptée" in message
    assert "cellule B8 de « axe-2/fiche_action_A2.1.xlsx » : « 15/05/20188 »" in message
    assert "départagés par leur date de modification" in message


def test_a_typo_that_makes_this_months_file_older_is_told(month):
    snapshot = month[3]
    message = _duplicate(snapshot, "axe-4/fiche_action_A4.1.xlsx")
    assert "« axe-4/fiche_action_A4.1_ancien.xlsx » a été retenu" in message
    assert "Attention : ce fichier-ci a pourtant été modifié plus récemment" in message
    assert "cellule B8 de « axe-4/fiche_action_A4.1.xlsx » : « 05/04/2018 »" in message
    # the group is told too: the warning is among its corrections
    assert any("Attention" in c.message for c in corrections_for(snapshot, 4))


# -- check agrees with consolidate ---------------------------------------------------------


def test_check_says_what_consolidate_does_for_every_file(month, settings):
    folder, _, _, snapshot = month
    checked = check_paths([folder], settings, period=PERIOD)
    statuses = snapshot.table("sources").set_index("fichier")["statut"].to_dict()
    assert set(checked.verdicts) == set(statuses)
    for name, verdict in checked.verdicts.items():
        expected = {"consolidé": "sera consolidé", "écarté": "ne sera pas consolidé",
                    "ignoré": "ignoré"}[statuses[name]]  # fmt: skip
        assert verdict.startswith(expected), (name, verdict, statuses[name])
    assert checked.verdicts["fiche.xlsx"].startswith(
        "ne sera pas consolidé : « 9 » (cellule B6) n'est pas un numéro d'axe du programme"
    )


# -- no field id reaches people ------------------------------------------------------------


def _field_ids(settings) -> set[str]:
    ids = set()
    for spec in all_specs(settings):
        ids |= {f.id for f in spec.fields} | {t.name for t in spec.tables}
        ids |= {c.id for t in spec.tables for c in t.columns}
    return {i for i in ids if "_" in i}  # « axe », « statut »: French words as well as ids


def _xlsx_texts(path: Path) -> str:
    """Every string a person reads in a workbook: shared and inline strings."""
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist()
                 if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/sheet")]  # fmt: skip
        xml = " ".join(archive.read(n).decode("utf-8") for n in parts)
    texts = re.findall(r"<t[^>]*>([^<]*)</t>", xml)
    return " ".join(texts)


def test_no_field_id_in_any_output_a_person_reads(month, settings):
    folder, result, period_dir, snapshot = month
    read = [result.stdout, issues_table(check_paths([folder], settings, period=PERIOD).batch)]
    outputs = [p for p in period_dir.rglob("*.xlsx") if "archive" not in p.parts]  # not inputs
    assert len(outputs) >= 7  # the master and a feedback workbook per axis
    read += [_xlsx_texts(p) for p in outputs]
    for draft in (period_dir / "mail").glob("*.eml"):
        message = message_from_bytes(draft.read_bytes(), policy=policy.default)
        read += [part.get_content() for part in message.walk()
                 if part.get_content_type() in ("text/plain", "text/html")]  # fmt: skip
    read += [p.read_text(encoding="utf-8") for p in period_dir.rglob("*.html")]
    ids = _field_ids(settings)
    assert {"code_action", "date_maj", "mois_2018_05", "t_taches"} <= ids
    pattern = re.compile(r"\b(" + "|".join(sorted(ids)) + r")\b")
    found = {match for text in read for match in pattern.findall(text)}
    assert not found, found


def test_no_field_id_in_the_groups_guide(settings):
    guide = (ROOT / "docs" / "guide-groupes.md").read_text(encoding="utf-8")
    pattern = re.compile(r"\b(" + "|".join(sorted(_field_ids(settings))) + r")\b")
    assert not pattern.findall(guide)
