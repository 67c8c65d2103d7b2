"""`dashboards`: the period's dashboards, drawn on every core, and the status page."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from innova_reports.cockpit import write_cockpit
from innova_reports.dashboards import DashboardResult, load_fonts, render_dashboards
from innova_reports.settings import Settings
from innova_reports.support.parallel import map_ordered


def draw_dashboards(
    settings: Settings,
    period: str,
    *,
    output_dir: Path = Path("output"),
    workers: int | None = None,
    today: dt.date | None = None,
    history=None,
    status_page: bool = True,
) -> DashboardResult:
    """Each axis and the synthesis drawn in a worker process of its own (one per core
    by default; ``workers=1`` draws in turn here and gives the same files), then the
    period's status page rewritten to link them (``today`` dates it; ``status_page``
    False leaves it to the caller, who writes it next: 1 s at 1,000 action sheets)."""
    map_jobs = functools.partial(
        map_ordered, workers=workers, preload=["innova_reports.dashboards"], before_fork=load_fonts
    )
    result = render_dashboards(
        settings, period, output_dir=output_dir, map_jobs=map_jobs, history=history
    )
    if status_page:
        pages = write_cockpit(settings, period, output_dir=output_dir, snapshot=result.snapshot,
                              history=history, today=today)  # fmt: skip
        result.index = pages.period_page
    return result
