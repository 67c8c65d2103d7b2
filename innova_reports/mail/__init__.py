"""The period's emails: compose, write as drafts, or send exactly once.

``mail_period`` is what the ``mail`` and ``run`` commands call; the pieces
(``compose_period``, ``write_drafts``, ``send_drafts``, ``Ledger``, ``SmtpConfig``)
are usable on their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from innova_reports.mail.compose import DEFAULT_MAX_MB, Draft, Layout, compose_period
from innova_reports.mail.deliver import Outcome, send_drafts
from innova_reports.mail.drafts import write_drafts
from innova_reports.mail.headers import MailHeaderError, check_address
from innova_reports.mail.ledger import Ledger
from innova_reports.mail.smtp import SmtpConfig, SmtpConfigError
from innova_reports.model import Snapshot
from innova_reports.settings import Settings

__all__ = [
    "Draft", "Layout", "Ledger", "MailResult", "Outcome", "SmtpConfig", "SmtpConfigError",
    "compose_period", "mail_period", "max_mb_from_env", "send_drafts", "write_drafts",
]  # fmt: skip

LEDGER_NAME = "historique.sqlite"  # the history store's file: the ledger is a table in it


@dataclass
class MailResult:
    """Everything the CLI needs to print its summary and choose its exit code."""

    drafts: list[Draft]
    written: list[Path] = field(default_factory=list)
    outcomes: list[Outcome] | None = None  # None in drafts mode

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
        return not self.problems


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
) -> MailResult:
    """Compose the period's messages; write them as drafts, and send them if asked.

    The drafts are always written (they are what was sent). Raises SmtpConfigError
    before anything is written when the environment is not usable.
    """
    env = os.environ if env is None else env
    max_mb = max_mb_from_env(env)
    config = SmtpConfig.from_env(env) if send else None
    sender = config.sender if config else _optional_sender(env)
    period_dir = Path(output_dir) / snapshot.period
    drafts = compose_period(settings, snapshot, period_dir, sender=sender, max_mb=max_mb)
    result = MailResult(drafts, write_drafts(drafts, Layout(period_dir).mail_dir))
    if config is not None:
        ledger = Ledger(Path(output_dir) / LEDGER_NAME)
        result.outcomes = send_drafts(drafts, config, ledger, snapshot.period, resend=resend)
    return result


def _optional_sender(env: Mapping[str, str]) -> str | None:
    sender = env.get("INNOVA_MAIL_FROM", "").strip()
    if not sender:
        return None
    try:
        check_address(sender, "INNOVA_MAIL_FROM")
    except MailHeaderError as exc:
        raise SmtpConfigError(f"variable d'environnement : {exc}") from None
    return sender
