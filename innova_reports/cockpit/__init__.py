"""The coordinator's cockpit: the status page of a period and the index of the months.

``write_cockpit`` writes ``output/<period>/index.html`` (the month at a glance: the
programme's figures, the files refused, each axis' returns, corrections, emails and
documents) and ``output/index.html`` (every period of the history). The pipeline calls
it after each step that changes what they show (consolidation, dashboards, emails), so
the pages always link exactly the files on disk. It reads the period's snapshot and
the history's key counts (``consolidate``), and the mail ledger (``mail``): it is the
last stage before the pipeline.

Both pages are self-contained HTML: they open from the folder (file://), load
nothing, need no script, and print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from innova_reports.cockpit.emails import message_states, period_entries
from innova_reports.cockpit.markup import join, link, page, paragraph, tag
from innova_reports.cockpit.months_page import Month, months_page
from innova_reports.cockpit.outputs import PeriodFiles
from innova_reports.cockpit.period_page import MONTHS_PAGE, period_page
from innova_reports.cockpit.status import period_status
from innova_reports.consolidate.history import History, key_counts_by_period
from innova_reports.frenchfmt import month_label
from innova_reports.model import Snapshot
from innova_reports.paths import INDEX_FILE, history_path
from innova_reports.settings import Settings
from innova_reports.support.atomic import write_text

__all__ = ["CockpitPages", "write_cockpit", "write_index"]


@dataclass(frozen=True)
class CockpitPages:
    period_page: Path  # output/<period>/index.html
    months_page: Path  # output/index.html


def write_cockpit(
    settings: Settings,
    period: str,
    *,
    output_dir: Path = Path("output"),
    snapshot: Snapshot | None = None,
    history: Any = None,
    today: dt.date | None = None,
) -> CockpitPages:
    """Write (or rewrite) the period's status page and the months' index, atomically.

    ``snapshot``: the period's, when the caller holds it (else loaded from the
    history); ``history``: anything with ``periods()``, ``load(period)`` and
    optionally ``all_counts()`` (default: ``output_dir/historique.sqlite``);
    ``today``, when given, dates the status page (left out by default, so that
    re-running a month gives the same page).
    """
    output_dir = Path(output_dir)
    history = history if history is not None else History(history_path(output_dir))
    if snapshot is None:
        snapshot = history.load(period)
    folder = output_dir / period
    files = PeriodFiles(folder, period)
    if snapshot is None:
        counts = key_counts_by_period(history, settings)
        text = _not_consolidated(settings, period)
    else:
        status = period_status(snapshot, settings)
        own = {period: status.headline.key_counts}
        counts = dict(sorted({**key_counts_by_period(history, settings, known=own),
                              **own}.items()))  # fmt: skip
        earlier = [p for p in counts if p < period]
        if earlier:
            status = replace(status, headline=replace(
                status.headline, previous_period=earlier[-1],
                previous_counts=counts[earlier[-1]]))  # fmt: skip
        entries = period_entries(output_dir, period)
        messages = {
            axis: message_states(settings, folder, entries, axis)
            for axis in [*settings.axis_numbers, None]
        }
        text = period_page(status, settings, files, messages, today=today)
    status_page = write_text(folder / INDEX_FILE, text)
    months = [Month(p, counts.get(p), PeriodFiles(output_dir / p, p)) for p in counts]
    index = write_text(output_dir / INDEX_FILE, months_page(months, settings))
    return CockpitPages(status_page, index)


def write_index(
    period_dir: Path, settings: Settings, period: str, *, today: dt.date | None = None
) -> Path:
    """The period's status page (and the months' index beside its folder); its path."""
    output_dir = Path(period_dir).parent
    return write_cockpit(settings, period, output_dir=output_dir, today=today).period_page


def _not_consolidated(settings: Settings, period: str) -> str:
    title = f"{settings.programme} – état du mois de {month_label(period)}"
    body = tag("section", join([
        tag("h2", "Mois non consolidé"),
        paragraph(f"Ce mois n'a pas encore été consolidé : lancez « innova-reports "
                  f"consolidate --period {period} », puis rouvrez cette page."),
        paragraph(link(MONTHS_PAGE, "Tous les mois consolidés")),
    ]))  # fmt: skip
    return page(title, title, "Aucune donnée pour ce mois", body)
