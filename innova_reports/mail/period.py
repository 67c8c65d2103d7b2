"""A period's emails: ``mail_period`` is what the ``mail`` and ``run`` commands call;
the pieces (``compose.compose_period``, ``drafts.write_drafts``, ``deliver.send_drafts``,
``ledger.Ledger``, ``smtp.SmtpConfig``) are usable on their own."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from innova_reports.mail.compose import DEFAULT_MAX_MB, Draft, Layout, compose_period
from innova_reports.mail.deliver import Outcome, send_drafts
from innova_reports.mail.drafts import write_drafts
from innova_reports.mail.headers import MailHeaderError, check_address
from innova_reports.mail.ledger import Ledger
from innova_reports.mail.pace import Clock
from innova_reports.mail.smtp import SmtpConfig, SmtpConfigError
from innova_reports.model import Snapshot
from innova_reports.paths import history_path
from innova_reports.settings import Recipient, Settings


@dataclass
class MailResult:
    """Everything the CLI needs to print its summary and choose its exit code."""

    drafts: list[Draft]
    written: list[Path] = field(default_factory=list)
    outcomes: list[Outcome] | None = None  # None in drafts mode
    stopped: str = ""  # French: why sending stopped before the end (server deferring)
    interrupted: bool = False  # Ctrl-C during the sending
    sender: Recipient | None = None  # the From of every message; None: none was named
    period: str = ""

    @property
    def problems(self) -> list[str]:
        """French lines: every message not written or not (surely) sent."""
        lines = [f"{d.label} ({d.key}) : {d.problem}" for d in self.drafts if d.problem]
        for outcome in self.outcomes or []:
            for address, reason in outcome.failed.items():
                if not any(d.key == outcome.key and d.problem for d in self.drafts):
                    lines.append(f"{outcome.label} – {address} : non envoyé, {reason}")
            for address, reason in outcome.uncertain.items():
                lines.append(f"{outcome.label} – {address} : {reason}")
        return lines

    @property
    def ok(self) -> bool:
        return not self.problems and not self.interrupted

    def rerun_report(self, again: str | None = None) -> list[str]:
        """French lines after a sending that left messages unsent: what went, what did
        not, and that running ``again`` (the command, with its own options) later sends
        exactly the rest."""
        outcomes = self.outcomes or []
        unsent = [o for o in outcomes if o.failed]
        if not (self.stopped or self.interrupted or unsent):
            return []
        lines = []
        if self.interrupted:
            lines.append("Envoi interrompu (Ctrl-C) : ce qui est parti est enregistré.")
        elif self.stopped:
            lines.append(f"Envoi arrêté : {self.stopped}.")
        lines.append("Envoyés : " + (_labels(o for o in outcomes if o.sent) or "aucun"))
        earlier = [o for o in outcomes if o.already and not o.sent]
        if earlier:
            lines.append("Déjà envoyés lors d'une exécution précédente : " + _labels(earlier))
        lines.append("Non envoyés : " + (_labels(unsent, partial=True) or "aucun"))
        again = again or f"innova-reports mail --period {self.period} --send"
        lines.append(
            f"Relancez plus tard « {again} » : seuls les messages non envoyés partiront, "
            "aucun ne sera envoyé deux fois."
        )
        return lines


def _labels(outcomes, partial: bool = False) -> str:
    """« Pilotes de l'axe 4, Comité de pilotage (elue.rh@example.org) »."""
    words = []
    for outcome in outcomes:
        if partial and outcome.sent:
            words.append(f"{outcome.label} ({', '.join(outcome.failed)})")
        else:
            words.append(outcome.label)
    return ", ".join(words)


def max_mb_from_env(env: Mapping[str, str]) -> float:
    raw = env.get("INNOVA_MAIL_MAX_MB", "").strip()
    if not raw:
        return DEFAULT_MAX_MB
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1
    if not 0 < value <= 1000:
        raise SmtpConfigError(
            f"la variable d'environnement INNOVA_MAIL_MAX_MB vaut {raw!r} : une taille en Mo "
            "entre 0 et 1000 est attendue (par exemple 10)."
        )
    return value


def mail_period(
    settings: Settings,
    snapshot: Snapshot,
    output_dir: Path,
    *,
    send: bool = False,
    resend: bool = False,
    env: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    progress: Callable[[str], None] | None = None,
) -> MailResult:
    """Compose the period's messages; write them as drafts, and send them if asked.

    The drafts are always written (they are what was sent). Raises SmtpConfigError
    before anything is written when the environment is not usable. ``progress``
    receives a French line per message and per wait; ``clock`` is what waits.
    """
    env = os.environ if env is None else env
    max_mb = max_mb_from_env(env)
    config = SmtpConfig.from_env(env) if send else None
    sender = sender_for(settings, env)
    period_dir = Path(output_dir) / snapshot.period
    drafts = compose_period(settings, snapshot, period_dir, sender=sender, max_mb=max_mb)
    written = write_drafts(drafts, Layout(period_dir).mail_dir)
    result = MailResult(drafts, written, sender=sender, period=snapshot.period)
    if config is not None:
        ledger = Ledger(history_path(output_dir))
        batch = send_drafts(
            drafts, config, ledger, snapshot.period, resend=resend, clock=clock, progress=progress
        )
        result.outcomes, result.stopped = batch.outcomes, batch.stopped
        result.interrupted = batch.interrupted
    return result


def sender_for(settings: Settings, env: Mapping[str, str]) -> Recipient | None:
    """The From of the messages: INNOVA_MAIL_FROM if set, else ``programme.expediteur``.

    The address of the variable wins (it is the mailbox the server lets us send
    from); the name of the settings goes with it only when both name the same
    address, so a From never pairs a person's name with somebody else's mailbox.
    """
    address = env.get("INNOVA_MAIL_FROM", "").strip()
    named = settings.sender
    if not address:
        return named
    try:
        check_address(address, "INNOVA_MAIL_FROM")
    except MailHeaderError as exc:
        raise SmtpConfigError(f"variable d'environnement : {exc}") from None
    same = named is not None and named.address.lower() == address.lower()
    return Recipient(name=named.name if same and named else "", address=address)
