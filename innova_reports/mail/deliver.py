"""Send a batch of drafts exactly once, with the ledger as the memory between runs.

The rules (section « Serveur lent, occupé ou qui limite » of the coordinator guide
says the same in French):

- Per address of each recipient list: already sent (or uncertain) → skipped unless
  ``resend``. Every answer is written to the ledger as soon as it comes, so whatever
  a run leaves unsent (a refusal, a stop, Ctrl-C) is exactly what the next run sends.
- A temporary refusal of the whole message (4xx to MAIL or DATA, 421, server out of
  reach) is retried for that message after backoff, 2×, 4× … (5 + 10 + 20 = 35 s by
  default). If it outlasts the retries the server is deferring: the batch stops at
  once, the rest is not tried message by message.
- A temporary refusal of one recipient (4xx to RCPT, greylisting) is retried for that
  recipient alone, on the same schedule, while the other messages go on. When every
  recipient of ``ALL_REFUSED_STOP`` messages in a row is refused so (more than one
  address), it is the server that defers, not a mailbox: the batch stops as above.
- An answer that names a rate limit pauses the whole batch (``rate_pause``, 60 s),
  then goes on; at most ``retries`` pauses for one message, then the batch stops.
- ``max_per_minute`` keeps at most that many transactions in any 60 seconds.
- Ctrl-C (KeyboardInterrupt, usually raised during a wait) ends the batch cleanly:
  the outcomes say what was sent, the rest stays to send.
- A permanent refusal (5xx) is reported while the other addresses are served; a
  certificate or login refusal stops the batch at once.

Each step is told through ``progress`` as a French line (the CLI prints it on stderr).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from innova_reports.frenchfmt import count_words
from innova_reports.mail.compose import Draft
from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Ledger
from innova_reports.mail.pace import Clock, Pacer, SystemClock
from innova_reports.mail.smtp import (
    ConnectionFailure,
    Delivery,
    Session,
    SmtpConfig,
    names_rate_limit,
    transact,
)

NOT_TRIED = "pas encore tenté : l'envoi s'est arrêté avant (voir la raison ci-dessous)"
INTERRUPTED = "envoi interrompu (Ctrl-C) avant ce message"
INTERRUPTED_DURING_DATA = (
    "envoi interrompu (Ctrl-C) pendant la transmission : vérifiez auprès du destinataire, "
    "puis relancez avec --resend si besoin"
)


@dataclass
class Outcome:
    """What happened to one recipient list, in French for the summary."""

    key: str
    label: str
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # sent by an earlier run
    failed: dict[str, str] = field(default_factory=dict)  # address -> French reason
    uncertain: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.uncertain

    @property
    def status(self) -> str:
        if self.failed:
            return "non envoyé" if not self.sent else "envoyé en partie"
        if self.uncertain:
            return "incertain"
        return "envoyé" if self.sent else "déjà envoyé"


@dataclass
class Batch:
    """The outcomes in the drafts' order, and whether the batch ended early."""

    outcomes: list[Outcome]
    stopped: str = ""  # French: why the batch stopped before the end ("" if it did not)
    interrupted: bool = False  # Ctrl-C


def send_drafts(
    drafts: Sequence[Draft],
    config: SmtpConfig,
    ledger: Ledger,
    period: str,
    *,
    resend: bool = False,
    clock: Clock | None = None,
    progress: Callable[[str], None] | None = None,
) -> Batch:
    """Send every draft not sent yet; ``clock`` and ``progress`` are injectable."""
    sender = _Sender(config, ledger, period, clock or SystemClock(), progress or _quiet)
    return sender.run(drafts, resend)


def _quiet(line: str) -> None:
    pass


@dataclass
class _Failure:
    """A temporary (or fatal) refusal of the whole transaction."""

    addresses: list[str]
    answer: str  # the server's words, "" when it never answered
    reason: str  # French, for the progress line
    fatal: bool = False


@dataclass
class _Retry:
    """One recipient refused for now at RCPT, waiting for its own next attempt."""

    draft: Draft
    outcome: Outcome
    address: str
    attempts: int  # attempts made so far
    due: float
    answer: str


class _Sender:
    def __init__(self, config, ledger, period, clock: Clock, progress) -> None:
        self.config, self.ledger, self.period = config, ledger, period
        self.clock, self.say = clock, progress
        self.session = Session(config)
        self.pacer = Pacer(config.max_per_minute, clock)
        self.queue: list[_Retry] = []
        self.tags: dict[str, str] = {}  # draft key -> "3/9 Pilotes de l'axe 3"
        self.in_flight: set[tuple[str, str]] = set()  # data left, no answer recorded yet
        self.all_refused: set[str] = set()  # the addresses of the messages in a row whose
        self.refused_messages = 0  # every recipient was refused for now (RCPT 4xx)
        self.last_answer = ""

    def run(self, drafts: Sequence[Draft], resend: bool) -> Batch:
        batch = Batch([Outcome(draft.key, draft.label) for draft in drafts])
        plan = []
        for position, (draft, outcome) in enumerate(
            zip(drafts, batch.outcomes, strict=True), start=1
        ):
            self.tags[draft.key] = f"{position}/{len(drafts)} {draft.label}"
            plan.append((draft, outcome, self._pending(draft, outcome, resend)))
        try:
            for draft, outcome, pending in plan:
                if batch.stopped:
                    for address in pending:
                        outcome.failed[address] = NOT_TRIED
                    continue
                self._retry_due()
                batch.stopped = self._message(draft, outcome, pending)
            if not batch.stopped:
                self._drain()
        except KeyboardInterrupt:
            batch.interrupted = True
            self.session.drop()  # mid-transaction, a QUIT would be read as message data
            self._settle_interrupted(plan)
        finally:
            self.session.close()
        return batch

    # -- one message -----------------------------------------------------------------

    def _message(self, draft: Draft, outcome: Outcome, pending: list[str]) -> str:
        """Send one draft with its retries; return the French reason to stop, or ""."""
        tag = self.tags[draft.key]
        if draft.message is None:
            self.say(f"{tag} : non envoyé, le message n'a pas pu être préparé (voir le bilan)")
            return ""
        if not pending:
            self.say(f"{tag} : {outcome.status}")
            return ""
        retries = pauses = 0
        while True:
            failure = self._attempt(draft, outcome, pending)
            if self.refused_messages >= ALL_REFUSED_STOP and len(self.all_refused) > 1:
                return self._stop(
                    tag,
                    f"le serveur refuse pour l'instant tous les destinataires de "
                    f"{ALL_REFUSED_STOP} messages de suite ({self.last_answer}) : il diffère "
                    "les envois",
                )
            if failure is None:
                self.say(f"{tag} : {self._done(draft, outcome)}")
                return ""
            pending = failure.addresses
            if failure.fatal:
                self.say(f"{tag} : {failure.reason}")
                return failure.reason
            if names_rate_limit(failure.answer):
                if pauses >= self.config.retries:
                    return self._stop(
                        tag, f"le serveur limite toujours le débit ({failure.answer})"
                    )
                pauses += 1
                self._rate_pause(tag, failure.answer)
                continue
            if retries >= self.config.retries:
                return self._stop(tag, _deferring(failure, retries))
            delay = self.config.backoff * 2**retries
            retries += 1
            self.say(f"{tag} : nouvel essai dans {_seconds(delay)} ({failure.reason})")
            self.clock.sleep(delay)

    def _done(self, draft: Draft, outcome: Outcome) -> str:
        waiting = sum(1 for item in self.queue if item.draft is draft)
        if not waiting:
            return outcome.status
        sent = count_words(len(outcome.sent), "destinataire")
        return f"envoyé à {sent} sur {len(draft.addresses)}, {waiting} en attente d'un nouvel essai"

    def _stop(self, tag: str, reason: str) -> str:
        self.say(f"{tag} : non envoyé, {reason} : l'envoi s'arrête là.")
        return reason

    def _attempt(
        self, draft: Draft, outcome: Outcome, addresses: list[str], tried: int = 0
    ) -> _Failure | None:
        """One transaction; recipients refused for now at RCPT go to the retry queue."""
        self._pace()
        try:
            self.session.ensure_open()
        except ConnectionFailure as exc:
            for address in addresses:
                self._note_failure(draft, outcome, address, str(exc))
            return _Failure(addresses, exc.answer, str(exc), fatal=not exc.temporary)

        def before_data(accepted: list[str]) -> None:
            self.in_flight.update((draft.key, address) for address in accepted)
            self.ledger.record(
                self.period, draft.key, accepted, draft.digest, UNCERTAIN, "transmission…"
            )

        delivery = transact(self.session, addresses, draft.as_bytes(), before_data)
        if not tried:  # a message's own attempt, not a queued recipient's retry
            self._count_refused(delivery, addresses)
        for address, answer in list(delivery.greylisted.items()):
            if names_rate_limit(answer):  # the sender goes too fast, not this mailbox
                delivery.deferred[address] = delivery.greylisted.pop(address)
        self._record(delivery, draft, outcome)
        for address, answer in delivery.greylisted.items():
            self._queue(draft, outcome, address, answer, tried + 1)
        if not delivery.deferred:
            return None
        answer = next(iter(delivery.deferred.values()))
        return _Failure(list(delivery.deferred), answer, f"serveur occupé : {answer}")

    def _count_refused(self, delivery: Delivery, addresses: list[str]) -> None:
        """Messages in a row refused at every recipient, to more than one address: the
        server defers, not one greylisted mailbox (that one is retried alone)."""
        if addresses and len(delivery.greylisted) == len(addresses):
            self.refused_messages += 1
            self.all_refused.update(addresses)
            self.last_answer = next(iter(delivery.greylisted.values()))
        else:
            self.refused_messages, self.all_refused, self.last_answer = 0, set(), ""

    # -- waits -----------------------------------------------------------------------

    def _pace(self) -> None:
        delay = self.pacer.delay()
        if delay > 0:
            self.say(
                f"limite de {self.config.max_per_minute} messages par minute "
                f"(INNOVA_SMTP_MAX_PER_MINUTE) : pause de {_seconds(delay)}"
            )
            self.clock.sleep(delay)
        self.pacer.started()

    def _rate_pause(self, tag: str, answer: str) -> None:
        self.session.close()  # a limited server also counts the open connections
        hint = "" if self.config.max_per_minute else " (INNOVA_SMTP_MAX_PER_MINUTE l'évite)"
        self.say(
            f"{tag} : le serveur limite le débit ({answer}) : pause de "
            f"{_seconds(self.config.rate_pause)}, puis l'envoi reprend{hint}"
        )
        self.clock.sleep(self.config.rate_pause)

    # -- recipients refused for now (greylisting) --------------------------------------

    def _queue(self, draft: Draft, outcome: Outcome, address: str, answer: str, attempts: int):
        tag = f"{self.tags[draft.key]} – {address}"
        if attempts > self.config.retries:
            self.say(f"{tag} : toujours refusé pour l'instant ({answer}), non envoyé")
            return
        delay = self.config.backoff * 2 ** (attempts - 1)
        self.queue.append(
            _Retry(draft, outcome, address, attempts, self.clock.now() + delay, answer)
        )
        self.say(
            f"{tag} : refusé pour l'instant ({answer}) ; nouvel essai pour ce destinataire "
            f"dans {_seconds(delay)}, les autres envois continuent"
        )

    def _retry_due(self) -> None:
        """Retry the queued recipients whose time has come, before the next message."""
        for item in sorted(self.queue, key=lambda item: item.due):
            if item.due <= self.clock.now():
                self.queue.remove(item)
                self._retry(item)

    def _drain(self) -> None:
        """At the end of the batch: wait for each queued recipient in turn."""
        while self.queue:
            item = min(self.queue, key=lambda item: item.due)
            wait = item.due - self.clock.now()
            if wait > 0:
                self.say(
                    f"{self.tags[item.draft.key]} – {item.address} : nouvel essai dans "
                    f"{_seconds(wait)} (serveur occupé : {item.answer})"
                )
                self.clock.sleep(wait)
            self.queue.remove(item)
            self._retry(item)

    def _retry(self, item: _Retry) -> None:
        failure = self._attempt(item.draft, item.outcome, [item.address], item.attempts)
        if failure is not None:
            self._queue(
                item.draft, item.outcome, item.address, failure.answer or failure.reason,
                item.attempts + 1 if not failure.fatal else self.config.retries + 1,
            )  # fmt: skip
        elif item.address in item.outcome.sent:
            self.say(f"{self.tags[item.draft.key]} – {item.address} : envoyé")

    # -- the ledger and the outcomes -----------------------------------------------------

    def _pending(self, draft: Draft, outcome: Outcome, resend: bool) -> list[str]:
        if draft.message is None:
            outcome.failed = dict.fromkeys(draft.addresses, draft.problem)
            return []
        entries = self.ledger.entries(self.period, draft.key)
        pending = []
        for address in draft.addresses:
            entry = entries.get((draft.key, address))
            if resend or entry is None or entry.status == FAILED:
                pending.append(address)
            elif entry.status == SENT:
                outcome.already.append(address)
                if entry.digest != draft.digest:
                    outcome.notes.append(
                        f"{address} : le contenu a changé depuis l'envoi du "
                        f"{entry.timestamp[:10]} ; utilisez --resend pour envoyer la nouvelle "
                        "version."
                    )
            else:
                outcome.uncertain[address] = (
                    f"envoi incertain lors d'une exécution précédente ({entry.answer}) : "
                    "vérifiez auprès du destinataire, puis relancez avec --resend si besoin"
                )
        return pending

    def _record(self, delivery: Delivery, draft: Draft, outcome: Outcome) -> None:
        record = self.ledger.record
        for answered in (delivery.sent, delivery.refused, delivery.uncertain, delivery.deferred):
            self.in_flight.difference_update((draft.key, address) for address in answered)
        for address, answer in delivery.sent.items():
            record(self.period, draft.key, [address], draft.digest, SENT, answer)
            outcome.failed.pop(address, None)
            outcome.sent.append(address)
        for address, answer in delivery.refused.items():
            record(self.period, draft.key, [address], draft.digest, FAILED, answer)
            outcome.failed[address] = f"refusé par le serveur : {answer}"
        for address, answer in delivery.uncertain.items():
            record(self.period, draft.key, [address], draft.digest, UNCERTAIN, answer)
            outcome.failed.pop(address, None)
            outcome.uncertain[address] = answer
        for address, answer in {**delivery.deferred, **delivery.greylisted}.items():
            self._note_failure(draft, outcome, address, f"refus temporaire du serveur : {answer}")

    def _note_failure(self, draft: Draft, outcome: Outcome, address: str, reason: str) -> None:
        """Not sent, for now: in the ledger at once, so a stop or Ctrl-C keeps it to send."""
        self.ledger.record(self.period, draft.key, [address], draft.digest, FAILED, reason)
        outcome.failed[address] = reason

    def _settle_interrupted(self, plan) -> None:
        """After Ctrl-C: every address left without an answer says so, as the ledger does.

        An address whose data may have left is uncertain when the ledger says so (the
        next run will not send it again), else it simply was not sent.
        """
        for draft, outcome, pending in plan:
            flying = [a for a in pending if (draft.key, a) in self.in_flight]
            entries = self.ledger.entries(self.period, draft.key) if flying else {}
            for address in pending:
                entry = entries.get((draft.key, address))
                if address in flying and entry is not None and entry.status == UNCERTAIN:
                    outcome.failed.pop(address, None)
                    outcome.uncertain[address] = INTERRUPTED_DURING_DATA
                elif not any(address in d for d in (outcome.sent, outcome.uncertain)):
                    outcome.failed.setdefault(address, INTERRUPTED)


ALL_REFUSED_STOP = 3  # messages in a row refused at every recipient: the server defers


def _deferring(failure: _Failure, retries: int) -> str:
    tries = f"après {count_words(retries, 'nouvel essai', 'nouveaux essais')}"
    if not retries:
        tries = "sans nouvel essai"
    if failure.answer:
        return f"le serveur diffère les envois ({failure.answer}, {tries})"
    return f"{failure.reason} ({tries})"


def _seconds(value: float) -> str:
    """« 10 s », « 42 s » (rounded up: never shorter than the real wait), « 0,01 s »."""
    return f"{math.ceil(value)} s" if value >= 1 else f"{value:.2g} s".replace(".", ",")
