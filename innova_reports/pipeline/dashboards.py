"""`dashboards`: the period's dashboards, drawn on every core."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

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
) -> DashboardResult:
    """Each axis and the synthesis drawn in a worker process of its own (one per core
    by default; ``workers=1`` draws in turn here and gives the same files)."""
    map_jobs = functools.partial(
        map_ordered, workers=workers, preload=["innova_reports.dashboards"], before_fork=load_fonts
    )
    return render_dashboards(
        settings, period, output_dir=output_dir, map_jobs=map_jobs, today=today, history=history
    )
