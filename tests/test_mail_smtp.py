"""Sending against a real SMTP server (aiosmtpd on 127.0.0.1): exactly once, retries,
refusals, uncertainty, TLS verification."""

from __future__ import annotations

import pytest

from innova_reports.mail.ledger import UNCERTAIN, Ledger
from innova_reports.mail.period import mail_period
from innova_reports.mail.smtp import SmtpConfig, SmtpConfigError
from tests import smtp_server as fixtures
from tests.mail_factory import PERIOD, make_outputs, make_snapshot

smtp_server = fixtures.smtp_server
tls_server = fixtures.tls_server

LISTS = 9  # 6 axes, the copil, reminders to axes 3 and 6


@pytest.fixture
def output(settings, tmp_path):
    make_outputs(settings, tmp_path)
    return tmp_path


def send(settings, output, server, resend=False, **env):
    snapshot = make_snapshot(settings)
    return mail_period(settings, snapshot, output, send=True, resend=resend, env=server.env(**env))


def by_subject(server):
    return {r.message["Subject"]: r for r in server.handler.received}


def test_messages_arrive_with_recipients_subject_html_and_pdf_bytes(settings, output, smtp_server):
    result = send(settings, output, smtp_server)
    assert result.ok and len(smtp_server.handler.received) == LISTS
    received = by_subject(smtp_server)["INNOVA BRIVE – Axe 2 – tableau de bord de mai 2018"]
    assert received.rcpt_tos == ["julien.mazeyrie@example.org"]
    assert received.mail_from == "coordination@example.org"
    message = received.message
    assert "Tableau de bord – Axe 2" in message.get_body(("html",)).get_content()
    pdf = next(
        p
        for p in message.iter_attachments()
        if p.get_filename() == "tableau-de-bord_axe-2_2018-05.pdf"
    )
    assert pdf.get_content() == (output / PERIOD / "tableaux" / "axe-2.pdf").read_bytes()
    copil = by_subject(smtp_server)[
        "INNOVA BRIVE – Synthèse du programme – tableau de bord de mai 2018"
    ]
    assert sorted(copil.rcpt_tos) == sorted(r.address for r in settings.copil_recipients)
    on_disk = ["synthese", *(f"axe-{n}" for n in settings.axis_numbers)]
    attached = list(copil.message.iter_attachments())
    assert len(attached) == len(on_disk)
    for part, stem in zip(attached, on_disk, strict=True):
        assert part.get_content() == (output / PERIOD / "tableaux" / f"{stem}.pdf").read_bytes()


def test_sent_bytes_are_the_draft_bytes_but_the_unsent_mark(settings, output, smtp_server):
    send(settings, output, smtp_server)
    draft = (output / PERIOD / "mail" / "axe-1.eml").read_bytes()
    received = by_subject(smtp_server)["INNOVA BRIVE – Axe 1 – tableau de bord de mai 2018"]
    assert draft.startswith(b"X-Unsent: 1\r\n")
    sent = draft.removeprefix(b"X-Unsent: 1\r\n")
    assert received.data.replace(b"\r\n", b"\n") == sent.replace(b"\r\n", b"\n")
    assert b"X-Unsent" not in received.data


def test_rerun_after_success_sends_nothing(settings, output, smtp_server):
    send(settings, output, smtp_server)
    again = send(settings, output, smtp_server)
    assert again.ok and len(smtp_server.handler.received) == LISTS
    assert {o.status for o in again.outcomes} == {"déjà envoyé"}


def test_resend_forces_a_second_sending(settings, output, smtp_server):
    send(settings, output, smtp_server)
    send(settings, output, smtp_server, resend=True)
    assert len(smtp_server.handler.received) == 2 * LISTS


def test_a_recipient_refused_alone_is_reported_while_the_others_are_served(
    settings, output, smtp_server
):
    smtp_server.handler.refuse = {"elue.rh@example.org"}
    result = send(settings, output, smtp_server)
    copil = next(o for o in result.outcomes if o.key == "copil")
    assert copil.status == "envoyé en partie"
    assert (
        list(copil.failed) == ["elue.rh@example.org"]
        and "550" in copil.failed["elue.rh@example.org"]
    )
    assert len(copil.sent) == 3
    assert any("elue.rh@example.org" in line for line in result.problems)
    assert len(smtp_server.handler.received) == LISTS


def test_timeout_after_data_is_uncertain_and_not_resent(settings, output, smtp_server):
    smtp_server.handler.stall = 1.5
    first = send(settings, output, smtp_server, INNOVA_SMTP_TIMEOUT="0.3", INNOVA_SMTP_RETRIES="0")
    assert not first.ok
    axis = next(o for o in first.outcomes if o.key == "axe-1")
    assert "délai dépassé après transmission" in axis.uncertain["nathalie.roche@example.org"]
    entries = Ledger(output / "historique.sqlite").entries(PERIOD)
    assert entries[("axe-1", "nathalie.roche@example.org")].status == UNCERTAIN

    smtp_server.handler.stall = 0
    count = len(smtp_server.handler.received)
    second = send(settings, output, smtp_server)
    assert len(smtp_server.handler.received) == count  # nothing resent
    assert not second.ok and "--resend" in " ".join(second.problems)


def test_starttls_with_a_self_signed_certificate_is_refused(settings, output, tls_server):
    result = send(settings, output, tls_server, INNOVA_SMTP_SECURITY="starttls")
    assert not result.ok
    assert tls_server.handler.received == []
    assert any("certificat" in line for line in result.problems)


def test_unreachable_server_stops_the_batch_and_lists_everything(settings, output, smtp_server):
    env = smtp_server.env(INNOVA_SMTP_PORT="1")
    result = mail_period(settings, make_snapshot(settings), output, send=True, env=env)
    assert not result.ok
    assert len([line for line in result.problems if "non envoyé" in line]) == 12


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"INNOVA_SMTP_HOST": ""}, "INNOVA_SMTP_HOST"),
        ({"INNOVA_SMTP_SECURITY": "tls"}, "INNOVA_SMTP_SECURITY"),
        ({"INNOVA_SMTP_PORT": "abc"}, "INNOVA_SMTP_PORT"),
        ({"INNOVA_MAIL_FROM": "a@b.fr\r\nBcc: x@y.fr"}, "INNOVA_MAIL_FROM"),
        ({"INNOVA_SMTP_USER": "moi"}, "INNOVA_SMTP_PASSWORD"),
        ({"INNOVA_SMTP_USER": "moi", "INNOVA_SMTP_PASSWORD": "x"}, "en clair"),
        ({"INNOVA_SMTP_MAX_PER_MINUTE": "0"}, "INNOVA_SMTP_MAX_PER_MINUTE vaut '0'"),
        ({"INNOVA_SMTP_MAX_PER_MINUTE": "trente"}, "INNOVA_SMTP_MAX_PER_MINUTE"),
        ({"INNOVA_SMTP_MAX_PER_MINUTE": "2.5"}, "entre 1 et 10000"),
        ({"INNOVA_SMTP_RATE_PAUSE": "0"}, "INNOVA_SMTP_RATE_PAUSE"),
    ],
)
def test_bad_environment_is_explained(change, expected):
    env = {
        "INNOVA_SMTP_HOST": "smtp.example.org",
        "INNOVA_SMTP_SECURITY": "none",
        "INNOVA_MAIL_FROM": "coordination@example.org",
        **change,
    }
    with pytest.raises(SmtpConfigError, match=expected):
        SmtpConfig.from_env(env)


def env_of(config: SmtpConfig) -> dict[str, str]:
    return {"INNOVA_SMTP_HOST": config.host, "INNOVA_MAIL_FROM": config.sender}


def test_defaults_are_safe():
    config = SmtpConfig.from_env(
        {"INNOVA_SMTP_HOST": "smtp.example.org", "INNOVA_MAIL_FROM": "c@example.org"}
    )
    assert (config.security, config.port, config.timeout) == ("starttls", 587, 30.0)
    assert (config.max_per_minute, config.rate_pause, config.retry_window) == (None, 60.0, 35.0)
    capped = SmtpConfig.from_env({**env_of(config), "INNOVA_SMTP_MAX_PER_MINUTE": " 30 "})
    assert capped.max_per_minute == 30
    assert "password" not in repr(SmtpConfig.from_env({
        "INNOVA_SMTP_HOST": "h", "INNOVA_MAIL_FROM": "c@example.org",
        "INNOVA_SMTP_USER": "u", "INNOVA_SMTP_PASSWORD": "secret-value",
    })).replace("password=", "")  # fmt: skip
