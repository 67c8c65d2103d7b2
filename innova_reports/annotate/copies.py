"""The annotated copies of a batch: which files get one, their names, where they go.

A copy is made for every file that was read and has at least one *erreur* or
*avertissement*. A refused or ignored file gets none (its refusal is reported as
before), nor does a file that changed on disk since it was read (its issues would not
be its own), nor one the annotator cannot patch safely (``CannotAnnotate``): the reason
is handed back for the caller to say.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from innova_reports.annotate import CannotAnnotate, annotate_workbook
from innova_reports.annotate.plan import MARKED
from innova_reports.model import ReadOutcome, ReadStatus
from innova_reports.paths import ANNOTATED_SUFFIX, axis_folder
from innova_reports.report.issue import Issue
from innova_reports.support.atomic import atomic_dir, write_bytes

_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsm", ".ods": "ods"}


@dataclass(frozen=True)
class Copy:
    source: str  # display name of the file, as in the issues
    axis: int | None
    name: str  # file name of the copy
    data: bytes


@dataclass
class Copies:
    made: list[Copy] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # display name -> French reason


def copy_name(source: str, fmt: str | None = None) -> str:
    """« fiche_A3.2.xlsx » -> « fiche_A3.2_a-corriger.xlsx »: same format, same stem.
    A file whose name belies its format (an .ods named .xlsx) gets its real extension; a
    copy sent back keeps its name (« fiche_A3.2_a-corriger.xlsx », not ``…_a-corriger``
    twice). Two files that would share a name are told apart by ``_unique_names``."""
    path = PurePath(source.replace("\\", "/"))
    suffix = path.suffix.lower()
    if fmt is not None and _FORMATS.get(suffix) != fmt:
        suffix = f".{fmt}"
    stem, ours = path.stem, len(ANNOTATED_SUFFIX)
    while stem.casefold().endswith(ANNOTATED_SUFFIX) and len(stem) > ours:
        stem = stem[:-ours]  # a copy sent back: its next copy is named as the first
    return f"{stem}{ANNOTATED_SUFFIX}{suffix}"


def _format_of(outcome: ReadOutcome) -> str | None:
    """The annotator to use: the format the reader found (``WorkbookData.format``), the
    name telling only .xlsm from .xlsx."""
    by_name = _FORMATS.get(outcome.source.path.suffix.lower())
    real = outcome.data.format if outcome.data is not None else None
    if real is None or (real == "xlsx" and by_name == "xlsm"):
        return by_name
    return real


def make_copies(
    outcomes: Iterable[ReadOutcome],
    issues: Iterable[Issue],
    axis_of: Mapping[str, int] | None = None,
) -> Copies:
    """The copy of each file read that has something to fix, in file order."""
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.file, []).append(issue)
    result = Copies()
    for outcome in sorted(outcomes, key=lambda o: o.source.name):
        name = outcome.source.name
        own = by_file.get(name, [])
        if outcome.status is not ReadStatus.READ or not any(i.severity in MARKED for i in own):
            continue
        fmt = _format_of(outcome)
        try:
            data = _source_bytes(outcome, fmt)
            data = annotate_workbook(data, fmt, own)
        except (CannotAnnotate, OSError) as exc:
            result.skipped[name] = f"pas de copie annotée : {exc}"
            continue
        except Exception:  # a bug of ours or an unforeseen file must not stop the month
            result.skipped[name] = "pas de copie annotée : contenu inattendu"
            continue
        # the file's group by the one attribution rule (consolidate.attribution), as the
        # anomalies, emails and feedback files have it; else as its issues say
        axis = axis_of.get(name) if axis_of else None
        if axis is None:
            axis = next((i.axis for i in own if i.axis is not None), None)
        result.made.append(Copy(name, axis, copy_name(name, fmt), data))
    return result


def _source_bytes(outcome: ReadOutcome, fmt: str | None) -> bytes:
    """The file's bytes, if they are still the ones that were read."""
    if fmt is None:
        raise CannotAnnotate("ce format n'en a pas")
    try:
        data = outcome.source.path.read_bytes()
    except OSError as exc:
        raise CannotAnnotate(f"fichier illisible ({exc.strerror or exc})") from None
    if hashlib.sha256(data).hexdigest() != outcome.source.sha256:
        raise CannotAnnotate("le fichier a changé depuis sa lecture, relancez le contrôle")
    return data


def write_flat(copies: Iterable[Copy], folder: Path) -> list[Path]:
    """Write copies into ``folder`` (``check --annotate``), each atomically; a name
    already taken by another copy of this batch gets « -2 », « -3 »."""
    written = []
    for copy, name in _unique_names(copies):
        written.append(write_bytes(Path(folder) / name, copy.data))
    return written


def write_by_axis(
    copies: Iterable[Copy], folder: Path, axes: Iterable[int]
) -> dict[int | None, list[Path]]:
    """Write copies into ``folder/axe-<n>/`` (``sans-axe`` for a file of no known
    axis). Each axis folder is replaced as a whole, so a copy of last run for a file
    fixed since does not linger; an axis with nothing to fix has no folder."""
    groups: dict[int | None, list[Copy]] = {}
    for copy in copies:
        groups.setdefault(copy.axis, []).append(copy)
    written: dict[int | None, list[Path]] = {}
    for axis in [*axes, None]:
        target = Path(folder) / axis_folder(axis)
        if axis not in groups:
            shutil.rmtree(target, ignore_errors=True)
            continue
        paths = []
        with atomic_dir(target) as temporary:
            for copy, name in _unique_names(groups[axis]):
                (temporary / name).write_bytes(copy.data)
                paths.append(target / name)
        written[axis] = paths
    return written


def _unique_names(copies: Iterable[Copy]) -> list[tuple[Copy, str]]:
    taken: set[str] = set()
    named = []
    for copy in copies:
        name, number = copy.name, 2
        path = PurePath(copy.name)
        while name.casefold() in taken:
            name, number = f"{path.stem}-{number}{path.suffix}", number + 1
        taken.add(name.casefold())
        named.append((copy, name))
    return named


def write_annotated(
    outcomes: Iterable[ReadOutcome],
    issues: Iterable[Issue],
    axis_of: Mapping[str, int],
    folder: Path,
    axes: Iterable[int],
) -> tuple[dict[int | None, list[Path]], dict[str, str]]:
    """The month's copies under ``retours/axe-<n>/``: the paths written by axis, and the
    files that got none with the reason. Top-level: it runs as a background job."""
    copies = make_copies(outcomes, issues, axis_of)
    return write_by_axis(copies.made, folder, axes), copies.skipped
