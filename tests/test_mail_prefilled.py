"""Emails carry the pre-filled workbooks: the pilots' monthly email, and the reminders."""

from __future__ import annotations

from email import message_from_bytes, policy

from innova_reports.mail.compose import compose_period
from innova_reports.template.prefill import write_prefilled
from tests.mail_factory import make_outputs
from tests.snapshot_factory import make_snapshot


def _drafts(settings, tmp_path, **options):
    snapshot = make_snapshot(settings)
    period_dir = make_outputs(settings, tmp_path)
    write_prefilled(snapshot, settings, period_dir)
    return period_dir, {d.key: d for d in compose_period(settings, snapshot, period_dir, **options)}


def _message(draft):
    return message_from_bytes(draft.as_bytes(), policy=policy.default)


def test_the_pilots_get_their_workbooks_for_next_month(settings, tmp_path):
    period_dir, drafts = _drafts(settings, tmp_path)
    message = _message(drafts["axe-3"])
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names[-4:] == ["feuille_de_route_axe-3.xlsx", "fiche_action_A3.1.xlsx",
                          "fiche_action_A3.2.xlsx", "fiche_action_A3.3.xlsx"]  # fmt: skip
    body = message.get_body(("plain",)).get_content()
    assert "pour le mois prochain" in body and "sans changer leur nom" in body
    assert "pour le mois prochain" in message.get_body(("html",)).get_content()


def test_the_reminder_attaches_the_sheet_of_each_missing_action(settings, tmp_path):
    _, drafts = _drafts(settings, tmp_path)
    message = _message(drafts["relance-axe-3"])  # A3.3 announced, no sheet received
    assert [p.get_filename() for p in message.iter_attachments()] == ["fiche_action_A3.3.xlsx"]
    assert "fiche action A3.3" in message.get_body(("plain",)).get_content()
    roadmap = _message(drafts["relance-axe-6"])  # axis 6 sent nothing: its roadmap
    assert [p.get_filename() for p in roadmap.iter_attachments()] == ["feuille_de_route_axe-6.xlsx"]


def test_beyond_the_size_limit_they_are_named_with_their_folder(settings, tmp_path):
    pdf = tmp_path / "2018-05" / "tableaux" / "axe-3.pdf"
    period_dir, drafts = _drafts(settings, tmp_path, max_mb=0.02)  # the PDF fits, not all
    message = _message(drafts["axe-3"])
    names = [part.get_filename() for part in message.iter_attachments()]
    assert not any(name.endswith(".xlsx") and "fiche" in name for name in names)
    body = message.get_body(("plain",)).get_content()
    assert "dépassent la taille permise pour un courriel (0,02 Mo)" in body
    assert "- fiche_action_A3.2.xlsx" in body
    assert str(period_dir / "a-remplir" / "axe-3") in body
    assert pdf.is_file()
