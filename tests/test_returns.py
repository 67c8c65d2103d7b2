"""A month's returns mean this month: June consolidated with May's files still there."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import openpyxl
import pytest

from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.pipeline.month import run_month
from innova_reports.rules import (
    NOT_RECEIVED,
    NOT_UPDATED,
    RECEIVED,
    return_label,
    return_state,
    updated_for_period,
)
from innova_reports.views import build_axis_view
from tests.test_consolidate import TODAY, samples_copy, write_action

MAY_END = dt.date(2018, 5, 31)


def test_the_rule():
    assert updated_for_period(dt.date(2018, 6, 1), MAY_END)
    assert not updated_for_period(dt.date(2018, 5, 31), MAY_END)  # the day of May's point
    assert updated_for_period(dt.date(2018, 5, 2), None)  # the first month: all count
    assert updated_for_period(None, MAY_END)  # a refused date: its erreur says it
    assert return_state(False, None, MAY_END) == NOT_RECEIVED
    assert return_state(True, dt.date(2018, 6, 3), MAY_END) == RECEIVED
    assert return_state(True, dt.date(2018, 5, 14), MAY_END) == NOT_UPDATED
    assert return_label(NOT_UPDATED, dt.date(2018, 5, 14)) == "pas mis à jour depuis le 14/05/2018"
    assert return_label(RECEIVED, dt.date(2018, 6, 3)) == "reçu"


@pytest.fixture(scope="module")
def june(settings, tmp_path_factory):
    """May consolidated, then June with only A1.1 updated; the rest is May's files."""
    tmp = tmp_path_factory.mktemp("june")
    workbooks, output = samples_copy(tmp), tmp / "output"
    consolidate_period(settings, "2018-05", workbooks_dir=workbooks, output_dir=output, today=TODAY)
    write_action(workbooks / "axe-1" / "fiche_action_A1.1.xlsx", settings, "A1.1",
                 date_maj=dt.date(2018, 6, 12))  # fmt: skip
    month = run_month(settings, "2018-06", workbooks_dir=workbooks, output_dir=output, today=TODAY)
    return month, output / "2018-06"


def _follow_up(month):
    suivi = month.consolidation.snapshot.table("suivi")
    return {
        (row["document"], row["code"] if isinstance(row["code"], str) else row["axe"]): row
        for row in suivi.to_dict("records")
    }


def test_only_what_was_updated_is_received(june):
    month, _ = june
    rows = _follow_up(month)
    assert rows[("fiche_action", "A1.1")]["recu"] is True
    assert rows[("fiche_action", "A1.1")]["etat"] == "reçu"
    stale = rows[("fiche_action", "A1.2")]
    assert stale["recu"] is False and stale["etat"] == "pas mis à jour depuis le 22/05/2018"
    assert rows[("feuille_de_route", 1)]["etat"] == "pas mis à jour depuis le 07/05/2018"
    assert rows[("fiche_action", "A4.2")]["etat"] == "non reçu"  # never received: as before
    assert stale["fichier"]  # still consolidated: its values stay in the plan
    actions = month.consolidation.snapshot.table("actions")
    assert "A1.2" in set(actions["code_action"])


def test_the_master_and_the_dashboards_say_it(june, settings):
    month, period_dir = june
    sheet = openpyxl.load_workbook(period_dir / "plan_actions_2018-06.xlsx")["Suivi des retours"]
    texts = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert "pas mis à jour depuis le 22/05/2018" in texts
    view = build_axis_view(month.consolidation.snapshot, settings, 1)
    states = {c["code"]: c["etat"] for c in view.completeness}
    assert states["A1.2"] == "pas mis à jour depuis le 22/05/2018" and states["A1.1"] == "reçu"
    assert view.tiles.actions_received == 1  # of 2: A1.2 is May's
    page = (period_dir / "tableaux" / "axe-1.html").read_text(encoding="utf-8")
    assert "pas mis à jour depuis le 22/05/2018" in page
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    assert "a-remplir/axe-1/fiche_action_A1.2.xlsx" in index  # the cockpit links them


def test_the_reminder_lists_it_with_its_pre_filled_workbook(june):
    month, period_dir = june
    drafts = {d.key: d for d in month.mail.drafts}
    assert {"relance-axe-1", "relance-axe-2", "relance-axe-6"} <= set(drafts)
    message = message_from_bytes(drafts["relance-axe-1"].as_bytes(), policy=policy.default)
    body = message.get_body(("plain",)).get_content()
    assert "la fiche action A1.2" in body and "pas mis à jour depuis le 22/05/2018" in body
    assert "fiche action A1.1" not in body  # updated for June
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["feuille_de_route_axe-1.xlsx", "fiche_action_A1.2.xlsx"]
    attached = next(p for p in message.iter_attachments()
                    if p.get_filename() == "fiche_action_A1.2.xlsx")  # fmt: skip
    assert attached.get_content() == (period_dir / "a-remplir/axe-1/fiche_action_A1.2.xlsx"
                                      ).read_bytes()  # fmt: skip


def test_the_run_summary_says_it(june):
    from innova_reports.cli.summary import returns_line

    month, _ = june
    line = returns_line(month.consolidation.snapshot)
    assert line.startswith("1 reçu, 17 pas mis à jour, 1 non reçu")
    assert "A1.2 : pas mis à jour depuis le 22/05/2018" in line
    assert "… et 9 autres" in line
