"""`check`: read and validate the files a group or the coordinator names, at once.

The one step a group member may ask for about their own file, so it must answer fast:
it goes through the read and validate stages only (never the plotting or writing
stack).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from innova_reports.model import ValidatedBatch

if TYPE_CHECKING:
    from innova_reports.annotate.copies import Copies
from innova_reports.read.files import discover
from innova_reports.read.workbook import read_workbook
from innova_reports.settings import Settings
from innova_reports.validate.batch import validate_batch


def check_files(
    paths: Iterable[Path],
    settings: Settings,
    *,
    period: str | None = None,
    today: dt.date | None = None,
    root: Path | None = None,
) -> ValidatedBatch:
    """Read files and folders (each folder through ``discover``) and validate them together.

    A file named twice (directly and through its folder) is read once.
    """
    targets: dict[Path, tuple[Path, Path | None]] = {}  # resolved -> (path, display root)
    for path in map(Path, paths):
        if path.is_dir():
            for file in discover(path):
                targets.setdefault(file.resolve(), (file, root or path))
        else:
            targets.setdefault(path.resolve(), (path, root))
    outcomes = [read_workbook(file, settings, root=base) for file, base in targets.values()]
    return validate_batch(outcomes, settings, period=period, today=today)


def annotate_files(batch: ValidatedBatch, folder: Path) -> tuple[list[Path], Copies]:
    """``check --annotate``: the annotated copy of each file with something to fix,
    written into ``folder``, as ``consolidate`` writes them for the groups. Imported
    only when asked: a plain ``check`` stays as fast as it was."""
    from innova_reports.annotate.copies import make_copies, write_flat

    copies = make_copies(batch.outcomes, batch.issues)
    return write_flat(copies.made, Path(folder)), copies
