"""`mail`: the period's emails, written as drafts or sent exactly once, under the lock.

Two sendings at once could both send a message: the output folder's lock keeps one.
The period's status page is rewritten afterwards: it links the drafts and shows the
state of every message from the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from innova_reports.cockpit import write_cockpit
from innova_reports.consolidate.history import History
from innova_reports.mail.period import MailResult, mail_period
from innova_reports.model import Snapshot
from innova_reports.paths import history_path
from innova_reports.settings import Settings
from innova_reports.support.errors import UserError, writing_into
from innova_reports.support.lock import output_lock


class NotConsolidatedError(UserError):
    """A command that needs a consolidated period before it."""


def load_snapshot(output_dir: Path, period: str) -> Snapshot:
    """The period's snapshot from the history, or a French error saying what to run."""
    snapshot = History(history_path(output_dir)).load(period)
    if snapshot is None:
        raise NotConsolidatedError(
            f"la période {period} n'a pas été consolidée dans {output_dir} : lancez d'abord "
            f"« innova-reports consolidate --period {period} » (ou « innova-reports run »)."
        )
    return snapshot


def mail_month(
    settings: Settings,
    snapshot: Snapshot,
    output_dir: Path,
    *,
    send: bool,
    resend: bool = False,
    progress: Callable[[str], None] | None = None,
) -> MailResult:
    """Compose, write and maybe send; ``progress`` gets a French line per message and wait."""
    with writing_into(output_dir), output_lock(output_dir):
        try:
            return mail_period(
                settings, snapshot, output_dir, send=send, resend=resend, progress=progress
            )
        finally:  # also after Ctrl-C or a stop: what went out is in the ledger, and shown
            write_cockpit(settings, snapshot.period, output_dir=output_dir, snapshot=snapshot)
