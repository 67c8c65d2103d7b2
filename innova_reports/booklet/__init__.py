"""The plan d'actions as a document: the A4 booklet (PDF), its editable version (DOCX)
and one PDF per action sheet, from a period's snapshot in the history.

``write_booklet`` is what the ``booklet`` and ``run`` commands call. The content is
built once (``content.build_booklet``) and rendered twice: by Typst for the PDFs
(``typst_pdf``), by python-docx for the DOCX (``docx_render``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innova_reports import paths
from innova_reports.booklet.content import build_booklet, status_line
from innova_reports.settings import Settings
from innova_reports.support.errors import UserError

__all__ = ["BookletError", "BookletResult", "booklet_paths", "status_line", "write_booklet"]

Progress = Callable[[str, int, int], None]
MapJobs = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


class BookletError(UserError):
    """A booklet that cannot be written; the message is French, for the coordinator."""


@dataclass
class BookletResult:
    period: str
    pdf: Path
    docx: Path
    sheets: list[Path] = field(default_factory=list)  # fiches/<code>.pdf
    pages: int = 0

    @property
    def fiches(self) -> Path:
        return self.pdf.parent / "fiches"


def booklet_paths(output_dir: Path, period: str) -> tuple[Path, Path, Path]:
    """Where the booklet of ``period`` is: (PDF, DOCX, fiches folder)."""
    return (
        paths.booklet_pdf_path(output_dir, period),
        paths.booklet_docx_path(output_dir, period),
        paths.period_dir(output_dir, period) / paths.FICHES_DIR,
    )


def write_booklet(
    settings: Settings,
    period: str,
    *,
    output_dir: Path = Path("output"),
    history=None,
    map_jobs: MapJobs | None = None,
    progress: Progress | None = None,
) -> BookletResult:
    """Write the booklet of ``period`` into ``output_dir/<period>/``; raise BookletError.

    ``history`` is anything with ``load(period)`` (default: the store
    ``output_dir/historique.sqlite``). Dates in the documents come from the snapshot's
    reporting date, so re-running a period gives the same files. ``map_jobs(function,
    jobs)`` runs the typesetting jobs (``jobs.run_job``; default: one after the other
    here) and gives their results in order, as ``support.parallel.map_ordered`` does.
    """
    from innova_reports.booklet import jobs
    from innova_reports.booklet.fiches import sheet_items
    from innova_reports.booklet.typst_pdf import PdfError, as_json, booklet_document
    from innova_reports.support.atomic import atomic_dir

    tick = progress or (lambda step, done, total: None)
    tick(STEP, 0, 2)
    snapshot = _load(Path(output_dir), period, history)
    booklet = build_booklet(snapshot, settings)
    pdf_path, docx_path, fiches = booklet_paths(Path(output_dir), period)
    stamp = dt.datetime.combine(snapshot.reporting_date, dt.time(8), tzinfo=dt.UTC)
    map_jobs = map_jobs or jobs.in_this_process
    try:
        with atomic_dir(fiches) as folder:
            folder.chmod(0o755)  # mkdtemp makes it private; the sheets are shared documents
            items = sheet_items(booklet, folder)
            work = jobs.jobs_for(as_json(booklet_document(booklet)), booklet,
                                 snapshot.reporting_date, stamp, (pdf_path, docx_path), items)  # fmt: skip
            tick(STEP, 1, 2)
            pages = map_jobs(jobs.run_job, work)[0]
    except PdfError as exc:
        raise BookletError(f"le PDF du plan d'actions n'a pas pu être composé ({exc}).") from exc
    tick(STEP, 2, 2)
    sheets = [fiches / Path(path).name for path, _ in items]
    return BookletResult(period, pdf_path, docx_path, sheets, pages=pages)


STEP = "Plan d'actions (PDF, DOCX)"


def _load(output_dir: Path, period: str, history):
    if history is None:
        path = paths.history_path(output_dir)
        if not path.is_file():
            raise BookletError(
                _never_consolidated(period) + f" (aucun historique dans {output_dir})"
            )
        from innova_reports.consolidate.history import History

        history = History(path)
    snapshot = history.load(period)
    if snapshot is None:
        raise BookletError(_never_consolidated(period))
    return snapshot


def _never_consolidated(period: str) -> str:
    return (
        f"la période {period} n'a jamais été consolidée : lancez d'abord "
        f"« innova-reports consolidate --period {period} », puis relancez le plan d'actions."
    )
