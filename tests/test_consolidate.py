"""The monthly consolidation, end to end on the sample workbooks and variants of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from innova_reports.consolidate.archive import read_manifest
from innova_reports.consolidate.history import History
from innova_reports.consolidate.period import PeriodError
from innova_reports.fields import ACTION, ROADMAP
from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.rules import share_of_target
from innova_reports.settings import load_settings
from innova_reports.support.lock import OutputBusyError, output_lock
from innova_reports.template.samples import (
    ACTIONS,
    ROADMAPS,
    action_values,
    roadmap_values,
    write_samples,
)
from innova_reports.xlsx import master as master_module
from tests.factories import make_workbook

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2018, 7, 2)  # after every period used here: reporting date = month end


@functools.cache
def _samples() -> Path:
    """The sample workbooks, generated once per test session."""
    folder = Path(tempfile.mkdtemp(prefix="innova-samples-")) / "workbooks"
    write_samples(load_settings(ROOT / "programme.toml"), folder)
    return folder


def samples_copy(tmp_path: Path) -> Path:
    """A private copy of the sample workbooks that a test may change."""
    target = tmp_path / "workbooks"
    shutil.copytree(_samples(), target)
    return target


def run(settings, workbooks: Path, output: Path, period: str = "2018-05", **options):
    return consolidate_period(
        settings, period, workbooks_dir=workbooks, output_dir=output, today=TODAY, **options
    )


def sample_action(code: str):
    return next(a for a in ACTIONS if a.code == code)


def write_action(path: Path, settings, code: str, **changes) -> Path:
    values = action_values(dataclasses.replace(sample_action(code), **changes))
    return make_workbook(path, ACTION, settings, **values)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# -- share of the target -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sens", "initial", "target", "value", "expected"),
    [
        ("Hausse", 10, 20, 15, 0.5),
        ("Hausse", None, 40, 10, 0.25),
        ("Baisse", 21, 10, 15, 0.5455),
        ("Baisse", 21, 10, 21, 0.0),
        ("Baisse", 21, 10, 5, 1.4545),
        ("Baisse", None, 10, 5, None),  # a fall cannot be judged without a baseline
        ("Hausse", 20, 10, 15, None),  # target on the wrong side
        ("Hausse", 10, 10, 10, None),
        (None, 10, 20, 15, None),
        ("Hausse", 10, None, 15, None),
    ],
)
def test_share_of_target_respects_direction(sens, initial, target, value, expected):
    assert share_of_target(sens, initial, target, value) == expected


# -- the samples ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory, settings):
    """The samples plus a stray text file and a broken workbook, consolidated once."""
    base = tmp_path_factory.mktemp("samples")
    workbooks = samples_copy(base)
    (workbooks / "notes.txt").write_text("à lire", encoding="utf-8")
    (workbooks / "axe-1" / "cassé.xlsx").write_bytes(b"pas un classeur")
    return run(settings, workbooks, base / "output"), workbooks


def test_every_file_found_is_accounted_for(consolidated):
    result, workbooks = consolidated
    found = sorted(p.relative_to(workbooks).as_posix() for p in workbooks.rglob("*") if p.is_file())
    sources = result.snapshot.table("sources")
    assert sorted(sources["fichier"]) == found
    statuses = dict(zip(sources["fichier"], sources["statut"], strict=True))
    assert statuses.pop("notes.txt") == "ignoré"
    assert statuses.pop("axe-1/cassé.xlsx") == "écarté"
    assert set(statuses.values()) == {"consolidé"} and len(statuses) == 18
    assert result.counts == {"trouves": 20, "consolides": 18, "ecartes": 1, "ignores": 1}
    refused = sources[sources["fichier"] == "axe-1/cassé.xlsx"].iloc[0]
    assert refused["motif"] and refused["sha256"] == sha256(workbooks / "axe-1" / "cassé.xlsx")


def test_inputs_are_archived_with_their_hash(consolidated):
    result, workbooks = consolidated
    manifest = {line["fichier"]: line for line in read_manifest(result.period_dir / "archive")}
    assert len(manifest) == 20 and len(result.archived) == 20
    for name, line in manifest.items():
        assert line["sha256"] == sha256(workbooks / name)
        assert (result.period_dir / "archive" / name).read_bytes() == (
            workbooks / name
        ).read_bytes()


def test_snapshot_tables_follow_the_samples(consolidated, settings):
    snapshot = consolidated[0].snapshot
    assert len(snapshot.table("feuilles_de_route")) == len(ROADMAPS) == 6
    assert list(snapshot.table("actions")["code_action"]) == sorted(
        (a.code for a in ACTIONS), key=lambda c: tuple(int(p) for p in c[1:].split("."))
    )
    assert len(snapshot.table("taches")) == sum(len(a.taches) for a in ACTIONS)
    announced = sum(len(roadmap_values(r, settings)["tables"]["t_actions"]) for r in ROADMAPS)
    assert len(snapshot.table("actions_annoncees")) == announced
    suivi = snapshot.table("suivi")
    missing = suivi[~suivi["recu"].astype(bool)]
    expected_missing = {c for r in ROADMAPS for c, _, _ in r.extra_actions}
    assert set(missing["code"]) == expected_missing
    assert len(suivi) == 6 + len(ACTIONS) + len(expected_missing)


def test_late_tasks_at_the_reporting_date(consolidated):
    snapshot = consolidated[0].snapshot
    end = dt.date(2018, 5, 31)
    expected = sum(
        1
        for a in ACTIONS
        for t in a.taches
        if t[3] is not None and t[3] < end and t[4] not in ("Fait", "Abandonnée")
    )
    assert int(snapshot.table("taches")["en_retard"].sum()) == expected > 0


# -- conflicts and identity ----------------------------------------------------------------


def test_latest_update_wins_a_conflict_and_both_files_are_named(tmp_path, settings):
    workbooks = samples_copy(tmp_path)
    newer = write_action(workbooks / "axe-1" / "copie" / "A1.1_v2.xlsx", settings, "A1.1",
                         date_maj=dt.date(2018, 5, 29), statut="Terminée")  # fmt: skip
    make_workbook(workbooks / "axe-2" / "fdr_ancienne.xlsx", ROADMAP, settings,
                             **_roadmap(settings, 2, date_maj=dt.date(2018, 1, 15)))  # fmt: skip
    result = run(settings, workbooks, tmp_path / "out")
    snapshot = result.snapshot
    actions = snapshot.table("actions").set_index("code_action")
    assert actions.loc["A1.1", "fichier"] == "axe-1/copie/A1.1_v2.xlsx"
    assert actions.loc["A1.1", "statut"] == "Terminée"
    roadmaps = snapshot.table("feuilles_de_route").set_index("axe")
    assert roadmaps.loc[2, "fichier"] == "axe-2/feuille_de_route_axe-2.xlsx"
    sources = snapshot.table("sources").set_index("fichier")
    for loser, winner in (("axe-1/fiche_action_A1.1.xlsx", newer.name),
                          ("axe-2/fdr_ancienne.xlsx", "feuille_de_route_axe-2.xlsx")):  # fmt: skip
        assert sources.loc[loser, "statut"] == "écarté"
        assert winner in sources.loc[loser, "motif"]
    duplicates = [i for i in result.issues if i.type == "doublon"]
    assert {i.file for i in duplicates} == {
        "axe-1/fiche_action_A1.1.xlsx",
        "axe-2/fdr_ancienne.xlsx",
    }
    assert all(i.severity == "avertissement" for i in duplicates)
    assert "A1.1_v2.xlsx" in next(i for i in duplicates if i.axis == 1).message
    assert len(snapshot.table("taches").query("code_action == 'A1.1'")) == len(
        sample_action("A1.1").taches
    )


def test_same_update_date_the_latest_modified_file_wins(tmp_path, settings):
    workbooks = samples_copy(tmp_path)
    same_day = sample_action("A3.2").date_maj
    copy = write_action(workbooks / "axe-3" / "A3.2_bis.xlsx", settings, "A3.2",
                        date_maj=same_day, meteo="Rouge")  # fmt: skip
    original = workbooks / "axe-3" / "fiche_action_A3.2.xlsx"
    now = time.time()
    os.utime(original, (now, now))
    os.utime(copy, (now - 3600, now - 3600))
    actions = run(settings, workbooks, tmp_path / "out").snapshot.table("actions")
    kept = actions.set_index("code_action").loc["A3.2"]
    assert kept["fichier"] == "axe-3/fiche_action_A3.2.xlsx"
    assert kept["meteo"] == sample_action("A3.2").meteo


def test_a_file_without_identity_is_left_out_listed_and_archived(tmp_path, settings):
    workbooks = samples_copy(tmp_path)
    values = action_values(sample_action("A6.1"))
    values["fields"].pop("code_action")
    make_workbook(workbooks / "sans_code.xlsx", ACTION, settings, **values)
    result = run(settings, workbooks, tmp_path / "out")
    sources = result.snapshot.table("sources").set_index("fichier")
    assert sources.loc["sans_code.xlsx", "statut"] == "écarté"
    assert (
        sources.loc["sans_code.xlsx", "motif"]
        == "le code action (cellule B5) est vide ou illisible"
    )
    assert "sans_code.xlsx" not in set(result.snapshot.table("actions")["fichier"])
    assert (result.period_dir / "archive" / "sans_code.xlsx").exists()
    assert any(i.file == "sans_code.xlsx" and i.type == "fichier-ecarte" for i in result.issues)


def _roadmap(settings, axis: int, **changes):
    roadmap = next(r for r in ROADMAPS if r.axe == axis)
    return roadmap_values(dataclasses.replace(roadmap, **changes), settings)


# -- re-runs, failures, history ------------------------------------------------------------


def test_rerun_gives_the_same_bytes_and_the_same_history(tmp_path, settings):
    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    first = run(settings, workbooks, output)
    master, feedback = first.master_path.read_bytes(), first.feedback_paths[4].read_bytes()
    second = run(settings, workbooks, output)
    assert second.master_path.read_bytes() == master
    assert second.feedback_paths[4].read_bytes() == feedback
    history = History(output / "historique.sqlite")
    assert history.periods() == ["2018-05"]
    stored = history.load("2018-05")
    for name, table in first.snapshot.tables.items():
        pd.testing.assert_frame_equal(stored.table(name), table)


def test_a_run_dying_while_writing_keeps_previous_outputs_and_history(
    tmp_path, settings, monkeypatch
):
    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    first = run(settings, workbooks, output)
    master_before = first.master_path.read_bytes()
    write_action(workbooks / "axe-1" / "fiche_action_A1.1.xlsx", settings, "A1.1",
                 statut="Abandonnée", date_maj=dt.date(2018, 5, 30))  # fmt: skip
    calls = []
    real = master_module._MasterWriter._table_sheet

    def dying(self, *args):
        calls.append(args)
        if len(calls) == 4:
            raise KeyboardInterrupt  # as if the run were killed mid-write
        return real(self, *args)

    monkeypatch.setattr(master_module._MasterWriter, "_table_sheet", dying)
    with pytest.raises(KeyboardInterrupt):
        run(settings, workbooks, output)
    assert len(calls) == 4
    assert first.master_path.read_bytes() == master_before
    stored = History(output / "historique.sqlite").load("2018-05")
    assert stored.table("actions").set_index("code_action").loc["A1.1", "statut"] == "En cours"
    leftovers = [p.name for p in first.period_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_evolutions_between_two_periods(tmp_path, settings):
    workbooks, output = samples_copy(tmp_path), tmp_path / "out"
    run(settings, workbooks, output, period="2018-04")
    a11 = sample_action("A1.1")
    indicator = list(a11.indicateurs[0])
    indicator[6] = (99.0, *indicator[6][1:])  # January's value changed after the fact
    write_action(workbooks / "axe-1" / "fiche_action_A1.1.xlsx", settings, "A1.1",
                 statut="Terminée", meteo="Rouge", date_maj=dt.date(2018, 5, 30),
                 indicateurs=(tuple(indicator), *a11.indicateurs[1:]))  # fmt: skip
    (workbooks / "axe-6" / "fiche_action_A6.3.xlsx").unlink()
    result = run(settings, workbooks, output, period="2018-05")
    rows = result.snapshot.table("evolutions")
    changes = set(zip(rows["code_action"], rows["changement"], strict=True))
    assert {("A1.1", "Statut modifié"), ("A1.1", "Météo modifiée"),
            ("A1.1", "Valeur modifiée a posteriori"), ("A6.3", "Action disparue")} <= changes  # fmt: skip
    january = rows[(rows["changement"] == "Valeur modifiée a posteriori")].iloc[0]
    assert (january["avant"], january["apres"]) == ("21", "99")
    assert january["detail"].startswith("Valeur de janvier 2018 de l'indicateur « ")
    assert " modifiée après coup : 21 → 99" in january["detail"]
    status = rows[(rows["code_action"] == "A1.1") & (rows["changement"] == "Statut modifié")]
    assert status.iloc[0]["apres"] == "Terminée"
    # Every sample has a May value: they all appear as new values in May.
    new_values = rows[rows["changement"] == "Nouvelle valeur"]
    assert len(new_values) > 0
    assert (
        new_values["detail"]
        .str.match(r"^Nouvelle valeur de l'indicateur « .+ » pour mai 2018 : [0-9]")
        .all()
    )


# -- periods and locks ---------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2018-13", "mai", "2019-01", "2017-12"])
def test_bad_periods_are_refused(tmp_path, settings, period):
    with pytest.raises(PeriodError):
        run(settings, tmp_path, tmp_path / "out", period=period)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_reporting_date_is_today_within_the_current_month(tmp_path, settings):
    workbooks = samples_copy(tmp_path)
    result = consolidate_period(settings, "2018-05", workbooks_dir=workbooks,
                                output_dir=tmp_path / "out", today=dt.date(2018, 5, 17))  # fmt: skip
    assert result.snapshot.reporting_date == dt.date(2018, 5, 17)


def hold_lock(output: Path):
    """Another process holding the output lock until its stdin closes."""
    code = textwrap.dedent(f"""
        import sys
        from filelock import FileLock
        with FileLock({str(output / ".innova.lock")!r}):
            print("pris", flush=True)
            sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert process.stdout.readline().strip() == "pris"
    return process


def test_a_second_concurrent_run_is_refused(tmp_path, settings):
    output = tmp_path / "out"
    output.mkdir()
    holder = hold_lock(output)
    try:
        with pytest.raises(OutputBusyError, match="déjà en cours"):
            run(settings, _samples(), output)
        assert not (output / "2018-05").exists()
    finally:
        holder.communicate("", timeout=30)
    assert run(settings, _samples(), output).master_path.exists()  # free again


def test_the_lock_is_reentrant_within_one_process(tmp_path, settings):
    output = tmp_path / "out"
    with output_lock(output):
        result = run(settings, _samples(), output)
    assert result.master_path.exists()


def test_the_period_key_counts_are_stored_with_the_snapshot(tmp_path, settings):
    """The dashboards read earlier months' counts from the history instead of reloading them."""
    from innova_reports.consolidate.counts import key_counts

    result = run(settings, samples_copy(tmp_path), tmp_path / "out")
    stored = History(result.history_path).counts("2018-05")
    assert stored == key_counts(result.snapshot, settings)
    assert stored["actions_received"] == 12


def test_an_indicator_without_any_value_yet_is_kept(settings, tmp_path):
    workbooks = samples_copy(tmp_path)
    action = sample_action("A1.1")
    declared = ("Agents formés à l'accueil", "nombre", "Hausse", 0, 40, dt.date(2018, 12, 31),
                (None, None, None, None, None))  # fmt: skip
    write_action(workbooks / "axe-1" / "fiche_action_A1.1.xlsx", settings, "A1.1",
                 indicateurs=(*action.indicateurs, declared))  # fmt: skip
    indicators = run(settings, workbooks, tmp_path / "output").snapshot.table("indicateurs")
    kept = indicators[indicators["indicateur"] == "Agents formés à l'accueil"]
    assert len(kept) == 1 and kept["mois"].isna().all() and kept["cible"].tolist() == [40]
