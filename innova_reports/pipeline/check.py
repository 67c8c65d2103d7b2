"""`check`: read and validate the files a group or the coordinator names, at once.

The one step a group member may ask for about their own file, so it must answer fast:
it goes through the read and validate stages only (never the plotting or writing
stack).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from innova_reports.consolidate.selection import select_sources, verdict
from innova_reports.model import ReadStatus, ValidatedBatch

if TYPE_CHECKING:
    from innova_reports.annotate.copies import Copies
from innova_reports.read.files import discover
from innova_reports.read.workbook import read_workbook
from innova_reports.report.issue import sort_issues
from innova_reports.settings import Settings
from innova_reports.validate.batch import validate_batch


@dataclass
class CheckResult:
    """What ``check`` says: the batch (with the consolidation's own issues: files left
    out, duplicates), what becomes of each file, and the files named that are not
    workbooks at all (nothing was checked in them: the check fails)."""

    batch: ValidatedBatch
    verdicts: dict[str, str] = field(default_factory=dict)
    not_checked: list[str] = field(default_factory=list)


def check_paths(
    paths: Iterable[Path],
    settings: Settings,
    *,
    period: str | None = None,
    today: dt.date | None = None,
    root: Path | None = None,
) -> CheckResult:
    """Read files and folders (each folder through ``discover``), validate them together,
    and run the consolidation's selection on them: ``check`` says of each file whether
    it will be consolidated, by the very rule ``consolidate`` applies (a duplicate
    among the files checked together is said too).

    A file named twice (directly and through its folder) is read once; a file named
    directly that is not a workbook is « not checked », while a folder's such files
    are only ignored, as ``consolidate`` ignores them.
    """
    targets: dict[Path, tuple[Path, Path | None, bool]] = {}  # resolved -> (path, root, named)
    paths = [Path(path) for path in paths]
    # several folders: each file named with its folder, or two « axe-1/fiche.xlsx » mix
    several = sum(path.is_dir() for path in paths) > 1
    for path in paths:
        if path.is_dir():
            base = root or (path.resolve().parent if several else path)
            for file in discover(path):
                shown = file.resolve() if several and root is None else file
                targets.setdefault(file.resolve(), (shown, base, False))
        else:
            file, base, _ = targets.get(path.resolve(), (path, root, True))
            targets[path.resolve()] = (file, base, True)
    outcomes = [read_workbook(file, settings, root=base) for file, base, _ in targets.values()]
    batch = validate_batch(outcomes, settings, period=period, today=today)
    selection = select_sources(batch, settings)
    batch = dataclasses.replace(batch, issues=sort_issues([*batch.issues, *selection.issues]))
    named = [named for _, _, named in targets.values()]
    return CheckResult(
        batch,
        verdicts={o.source.name: verdict(o, selection) for o in batch.outcomes},
        not_checked=[
            o.source.name
            for o, was_named in zip(batch.outcomes, named, strict=True)
            if was_named and o.status is ReadStatus.IGNORED
        ],
    )


def check_files(
    paths: Iterable[Path],
    settings: Settings,
    *,
    period: str | None = None,
    today: dt.date | None = None,
    root: Path | None = None,
) -> ValidatedBatch:
    """``check_paths``' batch: every issue ``check`` reports, the selection's included."""
    return check_paths(paths, settings, period=period, today=today, root=root).batch


def annotate_files(batch: ValidatedBatch, folder: Path) -> tuple[list[Path], Copies]:
    """``check --annotate``: the annotated copy of each file with something to fix,
    written into ``folder``, as ``consolidate`` writes them for the groups. Imported
    only when asked: a plain ``check`` stays as fast as it was."""
    from innova_reports.annotate.copies import make_copies, write_flat

    copies = make_copies(batch.outcomes, batch.issues)
    return write_flat(copies.made, Path(folder)), copies
