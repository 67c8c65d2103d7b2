"""`booklet`: the plan d'actions as documents, under the output folder's lock.

The booklet reads the history while a consolidation could be rewriting it: the lock
keeps them apart. The period's status page is rewritten afterwards so that it links
the booklet, its DOCX and the fiches.
"""

from __future__ import annotations

import functools
from pathlib import Path

from innova_reports.booklet import BookletResult, Progress, write_booklet
from innova_reports.booklet.typst_pdf import compiled_here
from innova_reports.cockpit import write_cockpit
from innova_reports.settings import Settings
from innova_reports.support.errors import writing_into
from innova_reports.support.lock import output_lock
from innova_reports.support.parallel import map_ordered


def booklet_month(
    settings: Settings,
    period: str,
    output_dir: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    status_page: bool = True,
) -> BookletResult:
    """The booklet's typesetting jobs on ``workers`` processes (one per core by default;
    1: in turn here, the same files); ``status_page`` False leaves the period's status
    page to the caller (``run`` writes it after the emails)."""
    map_jobs = functools.partial(
        map_ordered, workers=workers, preload=["innova_reports.booklet.jobs"],
        fork=not compiled_here(),  # Typst's threads, once started here, do not survive a fork
    )  # fmt: skip
    with writing_into(output_dir), output_lock(output_dir):
        result = write_booklet(
            settings, period, output_dir=output_dir, map_jobs=map_jobs, progress=progress
        )
        if status_page:
            write_cockpit(settings, period, output_dir=output_dir)
    return result
