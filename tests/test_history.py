"""The history store: typed round trip, one snapshot per period, atomic replacement."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from innova_reports.consolidate import history as history_module
from innova_reports.consolidate.history import History, table_frame
from innova_reports.model import Snapshot, snapshot_columns


def _snapshot(settings, period: str, statut: str = "En cours", n_tasks: int = 2) -> Snapshot:
    """A small snapshot with every table of snapshot_columns and typed values."""
    columns = snapshot_columns(settings)
    tables = {name: table_frame(cols, []) for name, cols in columns.items()}
    action = {c: None for c in columns["actions"]}
    action.update(code_action="A1.1", axe=1, titre="Accueil", date_maj=dt.date(2018, 5, 3),
                  statut=statut, meteo="Vert", budget_eur=1200.5, completude=0.75,
                  fichier="axe-1/a.xlsx")  # fmt: skip
    tables["actions"] = table_frame(columns["actions"], [list(action.values())])
    tasks = []
    for n in range(n_tasks):
        task = {c: None for c in columns["taches"]}
        task.update(axe=1, code_action="A1.1", tache=f"Tâche {n}", fin=dt.date(2018, 4, 30),
                    statut="À faire", avancement=0.5 if n else None, en_retard=bool(n),
                    fichier="axe-1/a.xlsx", ligne=5 + n)  # fmt: skip
        tasks.append(list(task.values()))
    tables["taches"] = table_frame(columns["taches"], tasks)
    source = ["axe-1/a.xlsx", "consolidé", None, "Fiche action", "1.0", "Excel (.xlsx)", "ab" * 32, 1234,
              dt.datetime(2018, 5, 3, 10, 42, 7)]  # fmt: skip
    tables["sources"] = table_frame(columns["sources"], [source])
    return Snapshot(period, dt.date(2018, 5, 31), dt.datetime(2018, 6, 1, 9, 0), tables)


def _assert_same(left: Snapshot, right: Snapshot) -> None:
    assert (left.period, left.reporting_date, left.created) == (
        right.period,
        right.reporting_date,
        right.created,
    )
    assert list(left.tables) == list(right.tables)
    for name in left.tables:
        pd.testing.assert_frame_equal(left.tables[name], right.tables[name], check_like=False)


def test_round_trip_keeps_types_and_columns(tmp_path, settings):
    history = History(tmp_path / "historique.sqlite")
    snapshot = _snapshot(settings, "2018-05")
    history.save(snapshot)
    loaded = history.load("2018-05")
    _assert_same(snapshot, loaded)
    for name, columns in snapshot_columns(settings).items():
        assert tuple(loaded.table(name).columns) == columns
    tasks = loaded.table("taches")
    assert isinstance(tasks.loc[0, "fin"], dt.date)
    assert tasks["en_retard"].tolist() == [False, True]
    assert pd.isna(tasks.loc[0, "avancement"]) and pd.isna(tasks.loc[0, "commentaire"])
    assert loaded.table("sources").loc[0, "modifie"] == pd.Timestamp(2018, 5, 3, 10, 42, 7)


def test_save_replaces_the_period_and_keeps_the_others(tmp_path, settings):
    history = History(tmp_path / "h.sqlite")
    history.save(_snapshot(settings, "2018-04", statut="À lancer"))
    history.save(_snapshot(settings, "2018-05", n_tasks=3))
    history.save(_snapshot(settings, "2018-05", statut="Terminée", n_tasks=1))
    assert history.periods() == ["2018-04", "2018-05"]
    may = history.load("2018-05")
    assert may.table("actions")["statut"].tolist() == ["Terminée"]
    assert len(may.table("taches")) == 1
    assert history.previous("2018-05").table("actions")["statut"].tolist() == ["À lancer"]
    assert history.previous("2018-04") is None
    assert history.previous("2018-09").period == "2018-05"
    assert history.load("2018-06") is None


def test_a_save_dying_half_way_leaves_the_stored_snapshot_intact(tmp_path, settings, monkeypatch):
    history = History(tmp_path / "h.sqlite")
    before = _snapshot(settings, "2018-05")
    history.save(before)
    calls = []
    real = history_module._encode_table

    def dying(frame):
        calls.append(frame)
        if len(calls) == 2:  # after the period was deleted and one table written
            raise OSError("disque plein")
        return real(frame)

    monkeypatch.setattr(history_module, "_encode_table", dying)
    with pytest.raises(OSError):
        history.save(_snapshot(settings, "2018-05", statut="Terminée"))
    monkeypatch.undo()
    _assert_same(before, history.load("2018-05"))


def test_missing_file_means_no_history(tmp_path):
    history = History(tmp_path / "absent.sqlite")
    assert history.periods() == [] and history.load("2018-05") is None
    assert not history.path.exists()


def test_connection_lets_other_stages_keep_their_tables(tmp_path, settings):
    history = History(tmp_path / "h.sqlite")
    history.save(_snapshot(settings, "2018-05"))
    with history.connection() as db:
        db.execute("CREATE TABLE IF NOT EXISTS envois (cle TEXT PRIMARY KEY)")
        db.execute("INSERT INTO envois VALUES ('2018-05/axe-1')")
    with pytest.raises(RuntimeError), history.connection() as db:
        db.execute("INSERT INTO envois VALUES ('2018-05/axe-2')")
        raise RuntimeError("rolled back")
    rows = sqlite3.connect(history.path).execute("SELECT cle FROM envois").fetchall()
    assert rows == [("2018-05/axe-1",)]
    assert history.periods() == ["2018-05"]


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(min_value=dt.date(1900, 1, 1)),
)


@hypothesis_settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(_values, _values, _values), max_size=5))
def test_any_table_round_trips(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "h.sqlite"
    frame = table_frame(("a", "b", "c"), rows)
    snapshot = Snapshot("2018-05", dt.date(2018, 5, 31), dt.datetime(2018, 6, 1), {"t": frame})
    History(path).save(snapshot)
    pd.testing.assert_frame_equal(History(path).load("2018-05").table("t"), frame)


def test_a_history_written_row_by_row_is_still_read(tmp_path, settings):
    """Schema 1 stored one JSON object per table row: such files load the same."""
    snapshot = _snapshot(settings, "2018-05")
    path = tmp_path / "h.sqlite"
    History(path).save(snapshot)
    db = sqlite3.connect(path)
    with db:
        for name, frame in snapshot.tables.items():
            columns = [str(c) for c in frame.columns]
            for position, row in enumerate(frame.itertuples(index=False, name=None)):
                data = {c: history_module._encode(v) for c, v in zip(columns, row, strict=True)}
                db.execute(
                    "INSERT INTO snapshot_rows VALUES (?, ?, ?, ?)",
                    ("2018-05", name, position, json.dumps(data, ensure_ascii=False)),
                )
        db.execute("DELETE FROM snapshot_data")
    db.close()
    _assert_same(snapshot, History(path).load("2018-05"))


def test_one_stored_row_per_table_not_per_table_row(tmp_path, settings):
    history = History(tmp_path / "h.sqlite")
    snapshot = _snapshot(settings, "2018-05", n_tasks=3)
    history.save(snapshot)
    db = sqlite3.connect(history.path)
    stored = db.execute("SELECT COUNT(*) FROM snapshot_data").fetchone()[0]
    per_row = db.execute("SELECT COUNT(*) FROM snapshot_rows").fetchone()[0]
    db.close()
    assert (stored, per_row) == (len(snapshot.tables), 0)


def test_save_stores_the_key_counts_the_dashboards_compute(tmp_path, settings):
    from innova_reports.dashboards.synthesis import period_counts
    from tests.snapshot_factory import make_snapshot

    history = History(tmp_path / "h.sqlite")
    april, may = (
        make_snapshot(settings, "2018-04"),
        make_snapshot(settings, "2018-05", empty_axes=()),
    )
    history.save(april, settings)
    history.save(may, settings)
    assert history.counts("2018-04") == period_counts(april, settings)
    assert history.all_counts() == {
        "2018-04": period_counts(april, settings),
        "2018-05": period_counts(may, settings),
    }
    assert history.counts("2018-05")["tasks_done"] > history.counts("2018-04")["tasks_done"]


def test_counts_follow_the_snapshot_they_were_saved_with(tmp_path, settings):
    history = History(tmp_path / "h.sqlite")
    history.save(_snapshot(settings, "2018-05", n_tasks=3), settings)
    assert history.counts("2018-05")["tasks_late"] == 2
    history.save(_snapshot(settings, "2018-05", n_tasks=1), settings)
    assert history.counts("2018-05")["tasks_late"] == 0
    history.save(_snapshot(settings, "2018-05", n_tasks=3))  # no settings: no counts
    assert history.counts("2018-05") is None and history.all_counts() == {}
    assert len(history.load("2018-05").table("taches")) == 3


def test_a_save_dying_half_way_keeps_the_stored_counts(tmp_path, settings, monkeypatch):
    history = History(tmp_path / "h.sqlite")
    history.save(_snapshot(settings, "2018-05", n_tasks=3), settings)
    before = history.all_counts()
    monkeypatch.setattr(history_module, "_encode_table", _dying_encoder)
    with pytest.raises(OSError):
        history.save(_snapshot(settings, "2018-05", n_tasks=1), settings)
    monkeypatch.undo()
    assert history.all_counts() == before and before["2018-05"]["tasks_late"] == 2


def _dying_encoder(frame):
    raise OSError("disque plein")


def test_no_counts_without_a_history_file(tmp_path):
    history = History(tmp_path / "absent.sqlite")
    assert history.counts("2018-05") is None and history.all_counts() == {}
    assert not history.path.exists()


def test_only_the_tables_asked_for_are_loaded(tmp_path, settings):
    """A month's comparison needs three tables: the others are not decoded at all."""
    from tests.snapshot_factory import make_snapshot

    history = History(tmp_path / "h.sqlite")
    earlier, later = make_snapshot(settings, "2018-04"), make_snapshot(settings, "2018-05")
    history.save(earlier, settings)
    history.save(later, settings)
    partial = history.previous("2018-05", ("actions", "taches", "indicateurs"))
    whole = history.load("2018-04")
    assert partial.period == "2018-04" and set(partial.tables) == {
        "actions",
        "taches",
        "indicateurs",
    }
    for name in partial.tables:
        pd.testing.assert_frame_equal(partial.tables[name], whole.tables[name])
    assert len(whole.tables) == len(snapshot_columns(settings)) > 3
