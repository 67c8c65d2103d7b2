"""The booklet's work as independent jobs, for whoever runs them (``run_job``).

The booklet's PDF is one Typst compilation (its contents need every page number): at
1,000 action sheets it is the longest job, and the one that needs the memory (Typst
keeps the whole document's layout; a worker gives it back when it ends). The DOCX is
another job, and the sheets' PDFs are a thousand small ones, in chunks. The stage
knows nothing of processes: ``write_booklet`` gets a ``map_jobs`` from the pipeline
(``support.parallel.map_ordered``) and the jobs go to whichever worker is free.

One rule is the booklet's own: Typst runs a pool of native threads once it has
compiled in a process, and a process forked from that one inherits the pool's state
without its threads (its first compilation would wait forever). ``typst_pdf.compiled_here``
says so, and the pipeline then starts its workers from a fork server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from innova_reports.support.atomic import write_bytes

CHUNK = 40  # sheets per job: small enough to share out, large enough to be worth a job


def run_job(job: tuple[str, Any]) -> int:
    """One job: ("booklet", (data, stamp, path)) gives the booklet's page count,
    ("docx", (booklet, created, path)) and ("sheets", (items, stamp)) what they wrote."""
    kind, arguments = job
    if kind == "booklet":
        return typeset_booklet(*arguments)
    if kind == "docx":
        return write_docx(*arguments)
    return typeset_sheets(*arguments)


def jobs_for(
    booklet_data: str,
    booklet,
    created: dt.date,
    stamp: dt.datetime,
    paths: tuple[Path, Path],
    sheet_items: list[tuple[str, str]],
) -> list[tuple[str, Any]]:
    """The booklet first (the longest), then the DOCX, then the sheets in chunks."""
    pdf_path, docx_path = paths
    chunks = [sheet_items[i : i + CHUNK] for i in range(0, len(sheet_items), CHUNK)]
    return [
        ("booklet", (booklet_data, stamp, str(pdf_path))),
        ("docx", (booklet, created, str(docx_path))),
        *(("sheets", (chunk, stamp)) for chunk in chunks),
    ]


def typeset_booklet(data: str, timestamp: dt.datetime, path: str) -> int:
    """Write the booklet's PDF; its page count (the PDF itself stays where it is)."""
    from innova_reports.booklet.typst_pdf import typesetter

    pdf = typesetter().pdf_from_json(data, timestamp)
    write_bytes(Path(path), pdf)
    return page_count(pdf)


def write_docx(booklet, created: dt.date, path: str) -> int:
    from innova_reports.booklet.docx_render import docx_bytes

    write_bytes(Path(path), docx_bytes(booklet, created))
    return 1


def typeset_sheets(items: Sequence[tuple[str, str]], timestamp: dt.datetime) -> int:
    """Write each (path, document JSON) as a PDF; how many were written. The paths are
    in the fiches folder's temporary copy, swapped in whole once every job is done."""
    from innova_reports.booklet.typst_pdf import typesetter

    setter = typesetter()
    for path, data in items:
        target = Path(path)
        target.write_bytes(setter.pdf_from_json(data, timestamp))
        target.chmod(0o644)
    return len(items)


def page_count(pdf: bytes) -> int:
    """Pages of a PDF Typst wrote: the ``/Count`` of its page tree root."""
    counts = [int(m) for m in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(m) for m in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def in_this_process(function, items) -> list:
    """The default ``map_jobs``: every job here, in order."""
    return [function(item) for item in items]
