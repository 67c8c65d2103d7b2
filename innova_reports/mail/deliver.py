"""Send a batch of drafts exactly once, with the ledger as the memory between runs.

Per address of each recipient list: already sent (or uncertain) → skipped unless
``resend``; otherwise sent, temporary failures retried with a doubling backoff,
permanent refusals reported while the other addresses are served. When the server
cannot be reached at all the batch stops, and what was not sent is listed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from innova_reports.mail.compose import Draft
from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Ledger
from innova_reports.mail.smtp import ConnectionFailure, Delivery, Session, SmtpConfig, transact


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


def send_drafts(
    drafts: Sequence[Draft],
    config: SmtpConfig,
    ledger: Ledger,
    period: str,
    *,
    resend: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    session = Session(config)
    outcomes: list[Outcome] = []
    stopped: str | None = None
    try:
        for draft in drafts:
            outcome = Outcome(draft.key, draft.label)
            outcomes.append(outcome)
            if draft.message is None:
                outcome.failed = dict.fromkeys(draft.addresses, draft.problem)
                continue
            pending = _pending(draft, ledger, period, resend, outcome)
            if pending and stopped:
                outcome.failed = dict.fromkeys(pending, f"non tenté : {stopped}")
            elif pending:
                stopped = _send_one(session, draft, pending, ledger, period, outcome, sleep)
    finally:
        session.close()
    return outcomes


def _pending(draft: Draft, ledger: Ledger, period: str, resend: bool, outcome: Outcome):
    entries = ledger.entries(period, draft.key)
    pending = []
    for address in draft.addresses:
        entry = entries.get((draft.key, address))
        if resend or entry is None or entry.status == FAILED:
            pending.append(address)
        elif entry.status == SENT:
            outcome.already.append(address)
            if entry.digest != draft.digest:
                outcome.notes.append(
                    f"{address} : le contenu a changé depuis l'envoi du {entry.timestamp[:10]} ; "
                    "utilisez --resend pour envoyer la nouvelle version."
                )
        else:
            outcome.uncertain[address] = (
                f"envoi incertain lors d'une exécution précédente ({entry.answer}) : vérifiez "
                "auprès du destinataire, puis relancez avec --resend si besoin"
            )
    return pending


def _send_one(session, draft, pending, ledger, period, outcome, sleep) -> str | None:
    """Send to ``pending`` with retries; return a French reason if the batch must stop."""
    config = session.config
    payload = draft.as_bytes()
    last: dict[str, str] = {}
    for attempt in range(config.retries + 1):
        if attempt:
            sleep(config.backoff * 2 ** (attempt - 1))
        try:
            session.ensure_open()
        except ConnectionFailure as exc:
            last = dict.fromkeys(pending, str(exc))
            if not exc.temporary:
                break
            continue

        def before_data(accepted: list[str]) -> None:
            ledger.record(period, draft.key, accepted, draft.digest, UNCERTAIN, "transmission…")

        delivery = transact(session, pending, payload, before_data)
        _record(delivery, draft, ledger, period, outcome)
        pending, last = list(delivery.deferred), delivery.deferred
        if not pending:
            return None
    for address, reason in last.items():
        ledger.record(period, draft.key, [address], draft.digest, FAILED, reason)
        outcome.failed[address] = reason
    unreachable = session.client is None and last
    return next(iter(last.values())) if unreachable else None


def _record(delivery: Delivery, draft: Draft, ledger: Ledger, period: str, outcome: Outcome):
    for address, answer in delivery.sent.items():
        ledger.record(period, draft.key, [address], draft.digest, SENT, answer)
        outcome.sent.append(address)
    for address, answer in delivery.refused.items():
        ledger.record(period, draft.key, [address], draft.digest, FAILED, answer)
        outcome.failed[address] = f"refusé par le serveur : {answer}"
    for address, answer in delivery.uncertain.items():
        ledger.record(period, draft.key, [address], draft.digest, UNCERTAIN, answer)
        outcome.uncertain[address] = answer
