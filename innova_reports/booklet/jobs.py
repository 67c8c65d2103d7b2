"""Typesetting the booklet and the action sheets on every core.

The booklet's PDF is one Typst compilation (its contents need every page number): at
1,000 action sheets it is the longest job, and the one that needs the memory (Typst
keeps the whole document's layout). The sheets' PDFs are a thousand small ones. So the
booklet goes to one worker process and the sheets, in chunks, to whichever is free,
while this process writes the DOCX. A worker's memory goes back to the system when it
ends.

Workers are forked when that is safe: Linux, and this process running a single thread
— counting the threads of Typst's own pool, which a compilation done here before would
have started (a forked copy of them would never run). Otherwise they come from a fork
server. ``workers=1`` does everything here, in order, and gives the same files.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from innova_reports.support.atomic import write_bytes

Progress = Callable[[str, int, int], None]
SHEETS_STEP = "Fiches action (PDF)"
CHUNK = 40  # sheets per job: small enough to share out, large enough to be worth a job


def typeset_booklet(data: str, timestamp: dt.datetime, path: str) -> bytes:
    """Write the booklet's PDF; return it (its page count is read from it)."""
    from innova_reports.booklet.typst_pdf import typesetter

    pdf = typesetter().pdf_from_json(data, timestamp)
    write_bytes(Path(path), pdf)
    return pdf


def typeset_sheets(items: Sequence[tuple[str, str]], timestamp: dt.datetime) -> int:
    """Write each (path, document JSON) as a PDF; return how many were written."""
    from innova_reports.booklet.typst_pdf import typesetter

    setter = typesetter()
    for path, data in items:
        target = Path(path)
        target.write_bytes(setter.pdf_from_json(data, timestamp))
        target.chmod(0o644)
    return len(items)


def run(
    booklet_job: tuple[str, dt.datetime, str],
    sheet_items: list[tuple[str, str]],
    meanwhile: Callable[[], None],
    *,
    workers: int | None,
    progress: Progress,
) -> bytes:
    """Typeset the booklet and the sheets, calling ``meanwhile`` here as they run;
    return the booklet's PDF. A job's exception is raised here."""
    timestamp = booklet_job[1]
    chunks = [sheet_items[i : i + CHUNK] for i in range(0, len(sheet_items), CHUNK)]
    count = min(workers or os.cpu_count() or 1, 1 + len(chunks))
    progress(SHEETS_STEP, 0, len(sheet_items))
    if count <= 1:
        meanwhile()
        pdf = typeset_booklet(*booklet_job)
        done = 0
        for chunk in chunks:
            done += typeset_sheets(chunk, timestamp)
            progress(SHEETS_STEP, done, len(sheet_items))
        return pdf
    with ProcessPoolExecutor(max_workers=count, mp_context=_context()) as pool:
        booklet = pool.submit(typeset_booklet, *booklet_job)
        pending = [pool.submit(typeset_sheets, chunk, timestamp) for chunk in chunks]
        meanwhile()
        done = 0
        for future in as_completed(pending):
            done += future.result()
            progress(SHEETS_STEP, done, len(sheet_items))
        return booklet.result()


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux") and threading.active_count() == 1 and _os_threads() == 1:
        return multiprocessing.get_context("fork")
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["innova_reports.booklet.typst_pdf"])
    return context


def _os_threads() -> int:
    """Threads of this process, Python's and native ones (Linux)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()
