"""`run`: the whole month in one call, each stage after the one it needs.

consolidate → dashboards → booklet (the plan d'actions as PDF and DOCX) → pre-filled
workbooks → emails (drafts, or sending; they attach the pre-filled workbooks), the
status page rewritten after the consolidation and after the emails. The SMTP environment is
checked before any work, so that a typo in a variable does not cost a month's run;
with ``strict``, the month stops after the consolidation when a workbook has an erreur.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from innova_reports.booklet import BookletResult
from innova_reports.dashboards import DashboardResult
from innova_reports.mail.period import MailResult, max_mb_from_env
from innova_reports.mail.smtp import SmtpConfig
from innova_reports.pipeline.booklet import booklet_month
from innova_reports.pipeline.consolidate import ConsolidationResult, Progress, consolidate_period
from innova_reports.pipeline.dashboards import draw_dashboards
from innova_reports.pipeline.mail import mail_month
from innova_reports.pipeline.prefill import prefill_snapshot
from innova_reports.settings import Settings
from innova_reports.support.errors import writing_into
from innova_reports.support.lock import output_lock
from innova_reports.template.prefill import PrefillResult


@dataclass
class MonthResult:
    consolidation: ConsolidationResult
    dashboards: DashboardResult | None = None  # None: stopped after the consolidation
    booklet: BookletResult | None = None
    prefill: PrefillResult | None = None
    mail: MailResult | None = None

    @property
    def stopped(self) -> bool:
        """True when ``strict`` stopped the month after the consolidation."""
        return self.consolidation.failed


def run_month(
    settings: Settings,
    period: str,
    *,
    workbooks_dir: Path = Path("workbooks"),
    output_dir: Path = Path("output"),
    send: bool = False,
    strict: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    mail_progress: Callable[[str], None] | None = None,
) -> MonthResult:
    """The month, under one lock of the output folder."""
    check_mail_environment(send)
    with writing_into(output_dir), output_lock(output_dir):
        consolidation = consolidate_period(
            settings, period, workbooks_dir=workbooks_dir, output_dir=output_dir,
            strict=strict, today=today, progress=progress,
        )  # fmt: skip
        result = MonthResult(consolidation)
        if result.stopped:
            return result
        _tick(progress, "Tableaux de bord", 0, 1)
        # the status page is written by the consolidation, then by the emails (whatever
        # happens to them): not in between, where it costs 1 s at 1,000 action sheets
        result.dashboards = draw_dashboards(settings, period, output_dir=output_dir,
                                            today=today, status_page=False)  # fmt: skip
        _tick(progress, "Tableaux de bord", 1, 1)
        result.booklet = booklet_month(settings, period, output_dir, progress=progress,
                                       status_page=False)  # fmt: skip
        result.prefill = prefill_snapshot(
            settings, consolidation.snapshot, output_dir,
            progress=lambda done, total: _tick(progress, "Classeurs à remplir", done, total),
        )  # fmt: skip
        result.mail = mail_month(
            settings, consolidation.snapshot, output_dir, send=send, progress=mail_progress
        )
        result.dashboards.index = consolidation.index
    return result


def check_mail_environment(send: bool) -> None:
    """Refuse a bad SMTP environment (a French usage error) before the month's work."""
    max_mb_from_env(os.environ)
    if send:
        SmtpConfig.from_env(os.environ)


def _tick(progress: Progress | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)
