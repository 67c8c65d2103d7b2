"""The ledger of sent messages lives beside the snapshots, in the history file."""

from __future__ import annotations

import sqlite3

from innova_reports.consolidate.history import History
from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Ledger
from tests.mail_factory import make_snapshot


def test_records_are_kept_per_period_list_and_address(tmp_path):
    ledger = Ledger(tmp_path / "historique.sqlite")
    ledger.record("2018-05", "copil", ["a@example.org", "b@example.org"], "h1", UNCERTAIN, "")
    ledger.record("2018-05", "copil", ["a@example.org"], "h1", SENT, "250 OK")
    ledger.record("2018-04", "copil", ["a@example.org"], "h0", FAILED, "451 plus tard")
    entries = ledger.entries("2018-05")
    assert {k: e.status for k, e in entries.items()} == {
        ("copil", "a@example.org"): SENT,
        ("copil", "b@example.org"): UNCERTAIN,
    }
    assert entries[("copil", "a@example.org")].answer == "250 OK"
    assert ledger.entries("2018-04", "copil")[("copil", "a@example.org")].digest == "h0"


def test_the_ledger_shares_the_history_file_without_disturbing_it(settings, tmp_path):
    path = tmp_path / "historique.sqlite"
    History(path).save(make_snapshot(settings))
    Ledger(path).record("2018-05", "axe-1", ["x@example.org"], "h", SENT, "250 OK")
    assert History(path).load("2018-05") is not None
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"envois", "snapshots"} <= tables
