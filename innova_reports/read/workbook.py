"""Read returned workbooks: recognise the template, then read fields and tables by name.

Nothing here goes by fixed coordinates: single fields are workbook-scoped defined names
and tables are Excel tables whose columns are matched by header text, so inserted rows,
moved blocks and renamed sheets do not matter. Cell values come from python-calamine
(cached values of formulas, dates already typed); the workbook structure (names, tables,
relationships) from a few small XML parts parsed by ``safety.parse_xml`` (DOCTYPE refused),
each parsed once per distinct content. ``safety`` vets every
file before any of that, and ``read_workbook`` never raises for a file's content.
"""

from __future__ import annotations

from pathlib import Path

from innova_reports.model import ReadOutcome, ReadStatus, SourceFile
from innova_reports.read.extract import extract
from innova_reports.read.files import _ignored_reason, discover, display_name, source_of
from innova_reports.read.safety import (
    DEFAULT_LIMITS,
    Limits,
    Refusal,
)
from innova_reports.report import catalogue
from innova_reports.settings import Settings


def read_workbook(
    path: Path, settings: Settings, *, root: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> ReadOutcome:
    """Read one file of the workbooks folder; never raises for anything in the file.

    Where issues go: a READ outcome keeps them in ``data.issues`` (which normalisation
    extends), and its own ``issues`` stay empty so nothing is counted twice; an IGNORED
    or REFUSED outcome carries its one issue in ``issues``.
    """
    path = Path(path)
    name = display_name(path, root)
    try:
        return _read(path, name, settings, limits)
    except Refusal as refusal:
        return _refused(source_of(path, name, None), refusal)
    except Exception:  # a reader bug or an unforeseen file must not stop the batch
        return _unexpected(path, name)
    except BaseException as exc:
        # a panic of the native reader comes as pyo3's PanicException, which derives
        # from BaseException so that ``except Exception`` lets it through
        if type(exc).__name__ != "PanicException":
            raise
        return _unexpected(path, name)


def _unexpected(path: Path, name: str) -> ReadOutcome:
    return _refused(
        source_of(path, name, None),
        Refusal("fichier-illisible", what="contenu inattendu"),
    )


def read_folder(folder: Path, settings: Settings) -> list[ReadOutcome]:
    """Every file of the workbooks folder, read or said why not."""
    return [read_workbook(path, settings, root=folder) for path in discover(folder)]


def _refused(source: SourceFile, refusal: Refusal) -> ReadOutcome:
    issue = catalogue.issue(refusal.kind, source.name, **refusal.values)
    return ReadOutcome(source, ReadStatus.REFUSED, issues=[issue], reason=refusal.message)


def _read(path: Path, name: str, settings: Settings, limits: Limits) -> ReadOutcome:
    reason = _ignored_reason(name)
    if reason is not None:
        source = source_of(path, name, None)
        issue = catalogue.issue("fichier-ignore", name, reason=reason)
        return ReadOutcome(source, ReadStatus.IGNORED, issues=[issue], reason=reason)
    if path.stat().st_size > limits.max_file_bytes:
        raise Refusal("trop-volumineux", megabytes=str(limits.max_file_bytes // 1_000_000))
    data = path.read_bytes()
    source = source_of(path, name, data)
    try:
        workbook = extract(data, source, settings, limits)
    except Refusal as refusal:
        return _refused(source, refusal)
    return ReadOutcome(source, ReadStatus.READ, data=workbook)
