"""The copil's email carries the plan d'actions: attached within INNOVA_MAIL_MAX_MB,
otherwise the message says where the PDF is (and still goes, with the dashboards)."""

from __future__ import annotations

import html
from email import message_from_bytes, policy

from innova_reports.mail.compose import compose_period
from tests.mail_factory import PERIOD, fake_pdf, make_outputs, make_snapshot

BOOKLET = f"plan_actions_{PERIOD}.pdf"


def copil(settings, period_dir, **options):
    drafts = compose_period(settings, make_snapshot(settings), period_dir, **options)
    draft = next(d for d in drafts if d.key == "copil")
    assert not draft.problem, draft.problem
    return message_from_bytes(draft.as_bytes(), policy=policy.default)


def test_copil_email_attaches_the_booklet(settings, tmp_path):
    period_dir = make_outputs(settings, tmp_path)
    (period_dir / BOOKLET).write_bytes(fake_pdf("plan d'actions"))
    message = copil(settings, period_dir)
    attachments = {p.get_filename(): p for p in message.iter_attachments()}
    assert BOOKLET in attachments
    assert attachments[BOOKLET].get_content() == (period_dir / BOOKLET).read_bytes()
    assert attachments[BOOKLET].get_content_type() == "application/pdf"
    text = message.get_body(("plain",)).get_content()
    assert "Le plan d'actions de mai 2018 (livret à imprimer" in text and "est joint" in text
    assert "Le plan d'actions de mai 2018" in html.unescape(
        message.get_body(("html",)).get_content()
    )


def test_a_booklet_over_the_limit_is_not_attached_and_the_email_says_where_it_is(
    settings, tmp_path
):
    period_dir = make_outputs(settings, tmp_path)
    (period_dir / BOOKLET).write_bytes(b"%PDF-1.7\n" + b"0" * 300_000)  # 0.3 MB
    message = copil(settings, period_dir, max_mb=0.2)  # the dashboards' fakes are smaller
    assert BOOKLET not in [p.get_filename() for p in message.iter_attachments()]
    text = " ".join(message.get_body(("plain",)).get_content().split())
    assert (
        "n'est pas joint : son PDF pèse 0,3 Mo et, avec les tableaux de bord, le message "
        "dépasserait la limite de 0,2 Mo" in text
    )
    assert str(period_dir / BOOKLET) in text and "INNOVA_MAIL_MAX_MB" in text


def test_without_a_booklet_the_email_is_as_before(settings, tmp_path):
    period_dir = make_outputs(settings, tmp_path)
    message = copil(settings, period_dir)
    assert all(p.get_filename() != BOOKLET for p in message.iter_attachments())
    assert "plan d'actions de mai" not in message.get_body(("plain",)).get_content()
