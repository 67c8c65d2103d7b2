"""Sending through a server that defers, greylists or limits the rate, and Ctrl-C.

Real aiosmtpd on 127.0.0.1; the time is injected (``FakeClock``): every wait of the
sender is recorded instead of waited, so the bounds are measured, not slept through.
"""

from __future__ import annotations

import pytest

from innova_reports.mail.deliver import NOT_TRIED
from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Ledger
from innova_reports.mail.period import mail_period
from innova_reports.mail.smtp import SmtpConfig, names_rate_limit
from tests import smtp_server as fixtures
from tests.mail_factory import PERIOD, make_outputs, make_snapshot
from tests.smtp_server import CONCURRENT, GREYLISTED, RATE_LIMITED, FakeClock

smtp_server = fixtures.smtp_server

DEFAULTS = {"INNOVA_SMTP_RETRIES": "", "INNOVA_SMTP_BACKOFF": ""}  # 3 retries: 5, 10, 20 s
LABELS = [f"Pilotes de l'axe {n}" for n in range(1, 7)] + [
    "Comité de pilotage", "Relance des pilotes de l'axe 3", "Relance des pilotes de l'axe 6",
]  # fmt: skip
DEFERRED = "451 4.3.0 Try again later"


@pytest.fixture
def output(settings, tmp_path):
    make_outputs(settings, tmp_path)
    return tmp_path


def send(settings, output, server, clock=None, lines=None, ledger=None, **env):
    env = server.env(**{**DEFAULTS, **env})
    progress = lines.append if lines is not None else None
    snapshot = make_snapshot(settings)
    if ledger is None:
        return mail_period(
            settings, snapshot, output, send=True, env=env, clock=clock or FakeClock(),
            progress=progress,
        )  # fmt: skip
    from innova_reports.mail.compose import compose_period
    from innova_reports.mail.deliver import send_drafts

    drafts = compose_period(settings, snapshot, output / PERIOD)
    return send_drafts(
        drafts, SmtpConfig.from_env(env), ledger, PERIOD, clock=clock, progress=progress
    )


def statuses(output):
    entries = Ledger(output / "historique.sqlite").entries(PERIOD)
    return {key: entry.status for key, entry in entries.items()}


def subjects(server):
    return [r.message["Subject"] for r in server.handler.received]


# -- a server that defers everything from the n-th message on ----------------------------


def test_a_deferring_server_stops_the_batch_within_one_messages_retry_window(
    settings, output, smtp_server
):
    smtp_server.handler.fail_after = 3  # « 451 try later » from the fourth message on
    clock, lines = FakeClock(), []
    result = send(settings, output, smtp_server, clock, lines)

    assert clock.sleeps == [5, 10, 20]  # the retries of one message, then the stop
    assert clock.waited == SmtpConfig.from_env(smtp_server.env(**DEFAULTS)).retry_window <= 40
    assert smtp_server.handler.data_answers.count(DEFERRED) == 4  # was 23 attempts
    assert len(smtp_server.handler.received) == 3
    assert not result.ok and "451 4.3.0" in result.stopped
    waiting = "4/9 Pilotes de l'axe 4 : nouvel essai dans {} (serveur occupé : " + DEFERRED + ")"
    assert [waiting.format(s) for s in ("5 s", "10 s", "20 s")] == lines[3:6]
    assert lines[:3] == [f"{n}/9 Pilotes de l'axe {n} : envoyé" for n in (1, 2, 3)]
    assert statuses(output) == {
        **{(f"axe-{n}", settings.axis(n).pilots[0].address): SENT for n in (1, 2, 3)},
        ("axe-4", settings.axis(4).pilots[0].address): FAILED,
    }  # the rest was not tried: nothing in the ledger, so the next run sends it
    assert result.rerun_report() == [
        "Envoi arrêté : le serveur diffère les envois (451 4.3.0 Try again later, après 3 "
        "nouveaux essais).",
        "Envoyés : " + ", ".join(LABELS[:3]),
        "Non envoyés : " + ", ".join(LABELS[3:]),
        "Relancez plus tard « innova-reports mail --period 2018-05 --send » : seuls les "
        "messages non envoyés partiront, aucun ne sera envoyé deux fois.",
    ]

    smtp_server.handler.fail_after = None
    again = send(settings, output, smtp_server)
    assert again.ok and again.rerun_report() == []
    assert [o.status for o in again.outcomes] == ["déjà envoyé"] * 3 + ["envoyé"] * 6
    assert len(subjects(smtp_server)) == 9 and len(set(subjects(smtp_server))) == 9


def test_a_server_deferring_from_the_first_message_costs_one_retry_window(
    settings, output, smtp_server
):
    smtp_server.handler.fail_after = 0
    clock = FakeClock()
    result = send(settings, output, smtp_server, clock)
    assert clock.waited == 35 and smtp_server.handler.mails == 4
    assert result.rerun_report()[1:3] == ["Envoyés : aucun", "Non envoyés : " + ", ".join(LABELS)]


def test_an_unreachable_server_also_stops_after_one_retry_window(settings, output, smtp_server):
    clock, lines = FakeClock(), []
    result = send(settings, output, smtp_server, clock, lines, INNOVA_SMTP_PORT="1")
    assert clock.sleeps == [5, 10, 20]
    assert "impossible de joindre le serveur 127.0.0.1:1" in result.stopped
    assert any("nouvel essai dans 5 s (impossible de joindre" in line for line in lines)
    assert statuses(output) == {("axe-1", "nathalie.roche@example.org"): FAILED}


# -- one recipient refused for now (greylisting) -----------------------------------------


def test_a_greylisted_recipient_is_retried_alone_while_the_others_go_on(
    settings, output, smtp_server
):
    smtp_server.handler.greylist = {"elue.rh@example.org": 1}
    clock, lines = FakeClock(), []
    result = send(settings, output, smtp_server, clock, lines)

    assert result.ok and clock.sleeps == [5]
    received = smtp_server.handler.received
    copil = [r for r in received if "Synthèse du programme" in r.message["Subject"]]
    assert [sorted(r.rcpt_tos) for r in copil] == [
        ["dga.ressources@example.org", "dgs@example.org", "innova@example.org"],
        ["elue.rh@example.org"],
    ]
    assert received[-1] is copil[1]  # the reminders went before the retry
    assert received[-2].message["Subject"].startswith("INNOVA BRIVE – Axe 6 – relance")
    assert (
        "7/9 Comité de pilotage – elue.rh@example.org : refusé pour l'instant (451 4.7.1 "
        "Greylisted, please try again later) ; nouvel essai pour ce destinataire dans 5 s, "
        "les autres envois continuent"
    ) in lines
    assert lines[-1] == "7/9 Comité de pilotage – elue.rh@example.org : envoyé"
    assert set(statuses(output).values()) == {SENT}


def test_a_recipient_greylisted_for_good_is_given_up_alone(settings, output, smtp_server):
    smtp_server.handler.greylist = {"elue.rh@example.org": 99}
    clock = FakeClock()
    result = send(settings, output, smtp_server, clock)
    assert not result.ok and not result.stopped
    assert clock.waited == 35  # its own retries, 5 + 10 + 20 s
    copil = next(o for o in result.outcomes if o.key == "copil")
    assert (
        list(copil.failed) == ["elue.rh@example.org"]
        and GREYLISTED in copil.failed["elue.rh@example.org"]
    )
    assert len(smtp_server.handler.received) == 9  # every list went, the copil to 3 of 4
    assert "Non envoyés : Comité de pilotage (elue.rh@example.org)" in result.rerun_report()

    smtp_server.handler.greylist = {}
    send(settings, output, smtp_server)
    assert smtp_server.handler.received[-1].rcpt_tos == ["elue.rh@example.org"]
    assert len(smtp_server.handler.received) == 10


class _EveryAddress(dict):
    """A greylist that refuses every recipient for now, for good."""

    def get(self, key, default=None):
        return 99

    def __getitem__(self, key):
        return 99

    def __setitem__(self, key, value):
        pass


def test_a_server_refusing_every_recipient_for_now_stops_the_batch(settings, output, smtp_server):
    """451 at RCPT for everyone is the server deferring, not one mailbox greylisting: the
    batch stops after three such messages instead of queueing every address."""
    smtp_server.handler.greylist = _EveryAddress()
    clock, lines = FakeClock(), []
    result = send(settings, output, smtp_server, clock, lines)
    assert result.stopped and "tous les destinataires de 3 messages de suite" in result.stopped
    assert "451 4.7.1 Greylisted" in result.stopped
    assert smtp_server.handler.received == []
    assert clock.waited <= 40  # bounded like a deferring server
    tried = [o for o in result.outcomes if o.failed and NOT_TRIED not in o.failed.values()]
    assert len(tried) == 3  # the three refused, then nothing more was tried
    assert "Non envoyés : " in "\n".join(result.rerun_report())
    assert SENT not in set(statuses(output).values())

    smtp_server.handler.greylist = {}
    again = send(settings, output, smtp_server)
    assert again.ok and len(smtp_server.handler.received) == 9  # the rerun sends them all


def test_one_mailbox_refused_in_messages_in_a_row_is_greylisting_not_a_stop(tmp_path):
    """The same single address refused in three messages in a row (one pilot for three
    axes) is that mailbox greylisted: only refusals of more than one address stop."""
    from innova_reports.mail.deliver import ALL_REFUSED_STOP, _Sender
    from innova_reports.mail.smtp import Delivery

    env = {"INNOVA_SMTP_HOST": "127.0.0.1", "INNOVA_MAIL_FROM": "innova@example.org"}
    sender = _Sender(SmtpConfig.from_env(env),
                     Ledger(tmp_path / "h.sqlite"), PERIOD, FakeClock(), lambda line: None)  # fmt: skip
    for _ in range(ALL_REFUSED_STOP):
        sender._count_refused(Delivery(greylisted={"pilote@example.org": GREYLISTED}),
                              ["pilote@example.org"])  # fmt: skip
    assert sender.refused_messages == ALL_REFUSED_STOP and sender.all_refused == {
        "pilote@example.org"
    }  # three in a row, but one mailbox: no stop (the condition needs more than one)
    sender._count_refused(Delivery(sent={"autre@example.org": "250 OK"}), ["autre@example.org"])
    assert sender.refused_messages == 0 and sender.all_refused == set()  # a message went


# -- rate limits -------------------------------------------------------------------------


def test_a_rate_limit_answer_pauses_the_batch_then_it_goes_on(settings, output, smtp_server):
    smtp_server.handler.mail_answers = {5: RATE_LIMITED}
    clock, lines = FakeClock(), []
    result = send(settings, output, smtp_server, clock, lines)
    assert result.ok and clock.sleeps == [60]
    assert len(smtp_server.handler.received) == 9
    assert (
        "5/9 Pilotes de l'axe 5 : le serveur limite le débit (451 4.7.0 Rate limit exceeded, "
        "try again later) : pause de 60 s, puis l'envoi reprend "
        "(INNOVA_SMTP_MAX_PER_MINUTE l'évite)"
    ) in lines


def test_the_pause_length_is_a_setting(settings, output, smtp_server):
    smtp_server.handler.mail_answers = {2: RATE_LIMITED}
    clock = FakeClock()
    assert send(settings, output, smtp_server, clock, INNOVA_SMTP_RATE_PAUSE="90").ok
    assert clock.sleeps == [90]


def test_microsofts_concurrent_connections_answer_is_a_rate_limit(settings, output, smtp_server):
    smtp_server.handler.ehlo_answers = {1: CONCURRENT}
    clock = FakeClock()
    result = send(settings, output, smtp_server, clock)
    assert result.ok and clock.sleeps == [60]
    assert len(smtp_server.handler.received) == 9


def test_a_rate_limit_that_lasts_stops_the_batch_after_bounded_pauses(
    settings, output, smtp_server
):
    smtp_server.handler.mail_answers = dict.fromkeys(range(5, 100), RATE_LIMITED)
    clock = FakeClock()
    result = send(settings, output, smtp_server, clock)
    assert clock.sleeps == [60, 60, 60]  # INNOVA_SMTP_RETRIES pauses for one message
    assert "limite toujours le débit" in result.stopped
    assert len(smtp_server.handler.received) == 4


@pytest.mark.parametrize(
    ("answer", "limited"),
    [
        (RATE_LIMITED, True),
        ("452 4.7.0 Too many messages, slow down", True),
        ("450 4.7.1 Throttled: try again in 60 seconds", True),
        (CONCURRENT, True),
        ("421 4.7.28 Our system has detected an unusual rate of unsolicited mail", True),
        (DEFERRED, False),
        (GREYLISTED, False),
        ("452 4.2.2 Mailbox full", False),
        ("421 4.4.2 Connection timed out", False),
    ],
)
def test_rate_limit_answers_are_recognised(answer, limited):
    assert names_rate_limit(answer) is limited


def test_the_per_minute_cap_spaces_the_messages(settings, output, smtp_server):
    clock, lines = FakeClock(), []
    smtp_server.handler.clock = clock
    result = send(settings, output, smtp_server, clock, lines, INNOVA_SMTP_MAX_PER_MINUTE="4")
    assert result.ok and len(smtp_server.handler.received) == 9
    times = [t - 1000 for t in smtp_server.handler.mail_times]
    assert times == [0] * 4 + [60] * 4 + [120]
    assert clock.sleeps == [60, 60]
    assert all(later - first >= 60 for first, later in zip(times, times[4:], strict=False))
    assert "limite de 4 messages par minute (INNOVA_SMTP_MAX_PER_MINUTE) : pause de 60 s" in lines


def test_without_a_cap_nothing_waits(settings, output, smtp_server):
    clock = FakeClock()
    smtp_server.handler.clock = clock
    assert send(settings, output, smtp_server, clock).ok
    assert clock.sleeps == [] and set(smtp_server.handler.mail_times) == {1000}


# -- Ctrl-C ------------------------------------------------------------------------------


def test_ctrl_c_during_a_wait_keeps_what_was_sent_and_leaves_the_rest_to_send(
    settings, output, smtp_server
):
    smtp_server.handler.fail_after = 3
    lines = []
    result = send(settings, output, smtp_server, FakeClock(interrupt_at=1), lines)
    assert result.interrupted and not result.ok and not result.stopped
    assert len(smtp_server.handler.received) == 3
    report = result.rerun_report()
    assert report[0] == "Envoi interrompu (Ctrl-C) : ce qui est parti est enregistré."
    assert report[1:3] == [
        "Envoyés : " + ", ".join(LABELS[:3]),
        "Non envoyés : " + ", ".join(LABELS[3:]),
    ]
    axis5 = next(o for o in result.outcomes if o.key == "axe-5")
    assert set(axis5.failed.values()) == {"envoi interrompu (Ctrl-C) avant ce message"}
    # the refused message is « échec » (to send), not « incertain » (to check by hand)
    assert statuses(output)[("axe-4", "patrick.chassagne@example.org")] == FAILED

    smtp_server.handler.fail_after = None
    again = send(settings, output, smtp_server)
    assert again.ok and len(smtp_server.handler.received) == 9
    assert len(set(subjects(smtp_server))) == 9


def test_ctrl_c_while_the_data_leaves_is_uncertain_and_not_sent_twice(
    settings, output, smtp_server
):
    class InterruptedLedger(Ledger):
        """Ctrl-C just after « transmission… » was recorded for the second message."""

        def record(self, period, key, addresses, digest, status, answer):
            super().record(period, key, addresses, digest, status, answer)
            if key == "axe-2" and status == UNCERTAIN:
                raise KeyboardInterrupt

    ledger = InterruptedLedger(output / "historique.sqlite")
    batch = send(settings, output, smtp_server, FakeClock(), ledger=ledger)
    assert batch.interrupted
    axis2 = next(o for o in batch.outcomes if o.key == "axe-2")
    assert (
        "interrompu (Ctrl-C) pendant la transmission"
        in axis2.uncertain["julien.mazeyrie@example.org"]
    )
    assert statuses(output)[("axe-2", "julien.mazeyrie@example.org")] == UNCERTAIN

    again = send(settings, output, smtp_server)
    assert not again.ok and "--resend" in " ".join(again.problems)
    assert "INNOVA BRIVE – Axe 2 – tableau de bord de mai 2018" not in subjects(smtp_server)
    assert len(smtp_server.handler.received) == 8
