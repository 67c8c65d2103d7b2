"""The ``.eml`` drafts open ready to send: From, To, Subject, Date, MIME, unsent mark."""

from __future__ import annotations

import dataclasses
from email import policy
from email.parser import BytesParser

import pytest

from innova_reports.mail.period import mail_period, sender_for
from innova_reports.mail.smtp import SmtpConfigError
from innova_reports.settings import Recipient, SettingsError, load_settings
from tests.conftest import SETTINGS_FILE
from tests.mail_factory import PERIOD, make_outputs, make_snapshot


@pytest.fixture
def output(settings, tmp_path):
    make_outputs(settings, tmp_path)
    return tmp_path


def open_draft(output, key):
    """Read the file as a mail client does: the stdlib parser, nothing of ours."""
    with (output / PERIOD / "mail" / f"{key}.eml").open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


@pytest.mark.parametrize("key", ["axe-1", "copil", "relance-axe-6"])
def test_each_draft_opens_ready_to_send(settings, output, key):
    mail_period(settings, make_snapshot(settings), output, env={})
    message = open_draft(output, key)
    assert message["From"] == "Coordination INNOVA BRIVE <innova@example.org>"
    assert message["From"].addresses[0].addr_spec == settings.sender.address
    assert message["To"].addresses and all(a.addr_spec for a in message["To"].addresses)
    assert message["Subject"].startswith("INNOVA BRIVE – ")
    assert message["Date"].datetime.isoformat() == "2018-05-28T08:00:00+02:00"
    assert message["MIME-Version"] == "1.0"
    assert message["Message-ID"].endswith("@example.org>")
    assert message["X-Unsent"] == "1"  # Outlook opens it as a message to send
    assert message.get_body(("plain",)).get_content().startswith("Bonjour")
    assert "<html" in message.get_body(("html",)).get_content().lower()
    assert message.defects == [] and all(not part.defects for part in message.walk())


def test_the_drafts_name_the_sender_of_the_settings(settings, output):
    mail_period(settings, make_snapshot(settings), output, env={})
    senders = {
        str(open_draft(output, path.stem)["From"]) for path in (output / PERIOD / "mail").iterdir()
    }
    assert senders == {"Coordination INNOVA BRIVE <innova@example.org>"}


def test_innova_mail_from_gives_the_address_and_keeps_the_name_only_for_the_same_one(settings):
    assert sender_for(settings, {"INNOVA_MAIL_FROM": "INNOVA@example.org"}) == Recipient(
        "Coordination INNOVA BRIVE", "INNOVA@example.org"
    )
    assert sender_for(settings, {"INNOVA_MAIL_FROM": "c@brive.fr"}) == Recipient("", "c@brive.fr")
    assert sender_for(settings, {}) == settings.sender
    assert sender_for(dataclasses.replace(settings, sender=None), {}) is None
    with pytest.raises(SmtpConfigError, match="INNOVA_MAIL_FROM"):
        sender_for(settings, {"INNOVA_MAIL_FROM": "a@b.fr\r\nBcc: x@y.fr"})


def test_the_variable_overrides_the_settings_in_the_drafts(settings, output):
    mail_period(settings, make_snapshot(settings), output, env={"INNOVA_MAIL_FROM": "c@brive.fr"})
    message = open_draft(output, "axe-2")
    assert message["From"] == "c@brive.fr"
    assert message["Message-ID"].endswith("@brive.fr>")


def test_without_any_sender_the_result_says_so(settings, output):
    result = mail_period(
        dataclasses.replace(settings, sender=None), make_snapshot(settings), output, env={}
    )
    assert result.sender is None and open_draft(output, "axe-1")["From"] is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('expediteur = { nom = "Coordination", adresse = "pas-une-adresse" }',
         "programme.expediteur.adresse"),
        ('expediteur = { nom = "A, B", adresse = "a@example.org" }', "programme.expediteur.nom"),
        ('expediteur = "innova@example.org"', "programme.expediteur"),
        ('expediteur = { nom = "A", adresse = "a@example.org", tel = "05" }',
         "programme.expediteur.tel"),
    ],
)  # fmt: skip
def test_a_bad_sender_in_the_settings_names_the_key(tmp_path, line, expected):
    text = SETTINGS_FILE.read_text(encoding="utf-8")
    start = text.index("expediteur = ")
    end = text.index("\n", start)
    path = tmp_path / "programme.toml"
    path.write_text(text[:start] + line + text[end:], encoding="utf-8")
    with pytest.raises(SettingsError, match=expected.replace(".", r"\.")):
        load_settings(path)


def test_the_sender_is_optional_in_the_settings(tmp_path):
    text = SETTINGS_FILE.read_text(encoding="utf-8")
    start = text.index("expediteur = ")
    path = tmp_path / "programme.toml"
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    assert load_settings(path).sender is None
