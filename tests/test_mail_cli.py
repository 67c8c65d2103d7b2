"""`innova-reports mail`: drafts by default, sending with --send, French errors, exit codes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from innova_reports.consolidate.history import History
from tests import smtp_server as fixtures
from tests.conftest import SETTINGS_FILE
from tests.mail_factory import PERIOD, make_outputs, make_snapshot

smtp_server = fixtures.smtp_server
CLEAN_ENV = {name: None for name in (
    "INNOVA_SMTP_HOST", "INNOVA_SMTP_PORT", "INNOVA_SMTP_SECURITY", "INNOVA_SMTP_USER",
    "INNOVA_SMTP_PASSWORD", "INNOVA_MAIL_FROM", "INNOVA_MAIL_MAX_MB", "INNOVA_SMTP_TIMEOUT",
    "INNOVA_SMTP_RETRIES", "INNOVA_SMTP_BACKOFF", "INNOVA_SMTP_MAX_PER_MINUTE",
    "INNOVA_SMTP_RATE_PAUSE",
)}  # fmt: skip


@pytest.fixture
def output(settings, tmp_path):
    make_outputs(settings, tmp_path)
    History(tmp_path / "historique.sqlite").save(make_snapshot(settings))
    return tmp_path


def invoke(output, *args, env=None):
    arguments = ["mail", "--period", PERIOD, "--output", str(output),
                 "--settings", str(SETTINGS_FILE), *args]  # fmt: skip
    return CliRunner().invoke(cli, arguments, env={**CLEAN_ENV, **(env or {})})


def test_drafts_mode_writes_eml_and_sends_nothing(output, smtp_server):
    result = invoke(output, env=smtp_server.env())
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (output / PERIOD / "mail").glob("*.eml"))
    assert names == sorted([f"axe-{n}.eml" for n in range(1, 7)]
                           + ["copil.eml", "relance-axe-3.eml", "relance-axe-6.eml"])  # fmt: skip
    assert smtp_server.handler.received == []
    assert "brouillon écrit" in result.stdout


def test_send_then_rerun_sends_nothing(output, smtp_server):
    first = invoke(output, "--send", env=smtp_server.env())
    assert first.exit_code == 0, first.output
    assert len(smtp_server.handler.received) == 9
    second = invoke(output, "--send", env=smtp_server.env())
    assert second.exit_code == 0 and "déjà envoyé" in second.stdout
    assert len(smtp_server.handler.received) == 9


def test_451_mid_batch_exits_1_with_a_french_report_then_rerun_sends_the_rest(output, smtp_server):
    smtp_server.handler.fail_after = 4
    first = invoke(output, "--send", env=smtp_server.env())
    assert first.exit_code == 1
    assert "Messages non envoyés ou à vérifier" in first.stderr and "451" in first.stderr
    assert "  1/9 Pilotes de l'axe 1 : envoyé\n" in first.stderr  # a line per message
    assert (
        "  5/9 Pilotes de l'axe 5 : nouvel essai dans 0,01 s (serveur occupé : 451 4.3.0 Try "
        "again later)\n"
    ) in first.stderr
    assert "Envoi arrêté : le serveur diffère les envois (451 4.3.0 Try again later" in first.stderr
    assert "Envoyés : Pilotes de l'axe 1, Pilotes de l'axe 2, Pilotes de l'axe 3, Pilotes de " \
           "l'axe 4\n" in first.stderr  # fmt: skip
    again = (
        f"innova-reports mail --period 2018-05 --send --output {output} --settings {SETTINGS_FILE}"
    )
    assert f"Relancez plus tard « {again} »" in first.stderr  # the options it was run with
    assert smtp_server.handler.mails == 6  # 4 sent, then the fifth and its one retry
    smtp_server.handler.fail_after = None
    second = invoke(output, "--send", env=smtp_server.env())
    assert second.exit_code == 0, second.output
    assert len(smtp_server.handler.received) == 9
    assert "Relancez" not in second.stderr


def test_ctrl_c_during_a_wait_exits_130_and_a_rerun_sends_the_rest(
    output, smtp_server, monkeypatch
):
    from innova_reports.mail.pace import SystemClock

    def pressed(self, seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(SystemClock, "sleep", pressed)
    smtp_server.handler.fail_after = 2
    first = invoke(output, "--send", env=smtp_server.env())
    assert first.exit_code == 130
    assert "Envoi interrompu (Ctrl-C) : ce qui est parti est enregistré." in first.stderr
    assert "Traceback" not in first.output
    monkeypatch.undo()
    smtp_server.handler.fail_after = None
    second = invoke(output, "--send", env=smtp_server.env())
    assert second.exit_code == 0, second.output
    assert len(smtp_server.handler.received) == 9
    assert "déjà envoyé" in second.stdout


def test_a_bad_per_minute_cap_is_a_usage_error_naming_the_variable(output, smtp_server):
    result = invoke(output, "--send", env=smtp_server.env(INNOVA_SMTP_MAX_PER_MINUTE="beaucoup"))
    assert result.exit_code == 2
    assert "INNOVA_SMTP_MAX_PER_MINUTE vaut 'beaucoup'" in result.stderr
    assert smtp_server.handler.received == []


def test_drafts_without_any_sender_are_flagged(output, tmp_path):
    text = SETTINGS_FILE.read_text(encoding="utf-8")
    start = text.index("expediteur = ")
    bare = tmp_path / "sans-expediteur.toml"
    bare.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    result = invoke(output, "--settings", str(bare))
    assert result.exit_code == 0, result.output
    assert "aucun expéditeur" in result.stderr and "INNOVA_MAIL_FROM" in result.stderr
    assert "aucun expéditeur" not in invoke(output).stderr


def test_send_without_smtp_environment_exits_2_in_french(output):
    result = invoke(output, "--send")
    assert result.exit_code == 2
    assert "INNOVA_SMTP_HOST" in result.stderr and "Traceback" not in result.output


def test_oversized_attachment_is_refused_and_exits_1(output, smtp_server):
    (output / PERIOD / "tableaux" / "axe-2.pdf").write_bytes(b"%PDF" + b"0" * 200_000)
    result = invoke(output, "--send", env=smtp_server.env(INNOVA_MAIL_MAX_MB="0.1"))
    assert result.exit_code == 1
    assert "axe-2.pdf" in result.stderr and "INNOVA_MAIL_MAX_MB" in result.stderr
    assert len(smtp_server.handler.received) == 7  # every list but axis 2 and the copil


def test_period_not_consolidated_is_explained(output):
    result = invoke(output, "--period", "2018-04")
    assert result.exit_code == 1 and "consolidate --period 2018-04" in result.stderr


@pytest.mark.parametrize("period", ["2018-13", "mai", "2018-5"])
def test_bad_period_is_a_usage_error(output, period):
    result = CliRunner().invoke(cli, ["mail", "--period", period, "--output", str(output)])
    assert result.exit_code == 2 and "AAAA-MM" in result.stderr


def test_resend_needs_send(output):
    result = invoke(output, "--resend")
    assert result.exit_code == 2 and "--send" in result.stderr


def test_a_second_sending_while_one_is_going_is_refused(output, smtp_server):
    from filelock import FileLock

    from innova_reports.support.lock import LOCK_NAME

    with FileLock(output / LOCK_NAME):  # as another process's run would hold it
        result = invoke(output, "--send", env=smtp_server.env())
    assert result.exit_code == 1 and "déjà en cours" in result.stderr
    assert smtp_server.handler.received == []


def test_mail_alone_refreshes_the_index_with_the_drafts(output, settings):
    from innova_reports.cockpit import write_index

    write_index(output / PERIOD, settings, PERIOD)
    assert "copil.eml" not in (output / PERIOD / "index.html").read_text(encoding="utf-8")
    result = invoke(output)
    assert result.exit_code == 0, result.output
    assert "copil.eml" in (output / PERIOD / "index.html").read_text(encoding="utf-8")


def test_the_command_to_run_again_keeps_the_options_that_matter(tmp_path):
    from pathlib import Path

    from innova_reports.cli.summary import mail_again

    plain = mail_again("2018-05", Path("output"), Path("programme.toml"))
    assert plain == "innova-reports mail --period 2018-05 --send"
    spaced = mail_again("2018-05", tmp_path / "sorties du mois", Path("autre.toml"))
    assert spaced == (f"innova-reports mail --period 2018-05 --send --output "
                      f"'{tmp_path / 'sorties du mois'}' --settings autre.toml")  # fmt: skip
