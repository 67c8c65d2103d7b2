"""The monthly consolidation: read, validate, build the snapshot, write, store.

Runs the whole month under a lock: read and validate the files (on every core), build
the snapshot, archive the inputs, write the master and the feedback workbooks, then
save the history, so that a run dying half-way leaves the previous outputs and
history intact; the period's status page and the months' index come after (they read
the history).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from innova_reports.cockpit import write_cockpit
from innova_reports.consolidate.archive import archive_inputs
from innova_reports.consolidate.evolutions import COMPARED_TABLES
from innova_reports.consolidate.history import (
    EncodedSnapshot,
    History,
    encode_snapshot,
)
from innova_reports.consolidate.period import ConsolidationError, check_period, reporting_date_of
from innova_reports.consolidate.selection import (
    CONSOLIDATED,
    IGNORED,
    LEFT_OUT,
    record_dicts,
    select_sources,
)
from innova_reports.consolidate.snapshot import build_snapshot
from innova_reports.model import ReadOutcome, Snapshot, ValidatedBatch
from innova_reports.paths import history_path
from innova_reports.report.issue import Issue, has_errors, sort_issues
from innova_reports.settings import Settings
from innova_reports.support.lock import output_lock
from innova_reports.support.parallel import Background, batch_mode

Progress = Callable[[str, int, int], None]


@dataclass
class ConsolidationResult:
    period: str
    snapshot: Snapshot
    batch: ValidatedBatch  # outcomes, single fields and issues; table frames released
    period_dir: Path
    master_path: Path
    feedback_paths: dict[int, Path]
    history_path: Path
    archived: list[Path]
    issues: list[Issue]
    counts: dict[str, int]  # files found / consolidated / left out / ignored
    issues_by_axis: dict[int | None, Counter]
    strict: bool = False
    # the annotated copies by axis (None: files of no known axis), and the files with
    # something to fix that got none, with the reason
    annotated: dict[int | None, list[Path]] = field(default_factory=dict)
    not_annotated: dict[str, str] = field(default_factory=dict)
    index: Path | None = None  # the period's status page
    # files with a problem that nothing attributes to an axis: the coordinator's to handle
    unattributed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)

    @property
    def failed(self) -> bool:
        """True when ``--strict`` asks for exit 1: some *erreur* in the batch."""
        return self.strict and self.has_errors


def folder_paths(workbooks_dir: Path) -> list[Path]:
    """Every file under the folder, sub-folders included, in reading order."""
    from innova_reports.read.files import discover

    if not Path(workbooks_dir).is_dir():
        raise ConsolidationError(f"dossier des classeurs introuvable : {workbooks_dir}")
    return [getattr(found, "path", found) for found in discover(Path(workbooks_dir))]


def consolidate_period(
    settings: Settings,
    period: str,
    *,
    workbooks_dir: Path = Path("workbooks"),
    output_dir: Path = Path("output"),
    strict: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ConsolidationResult:
    """The whole month: read, validate, consolidate, archive, write outputs, then history.

    ``workers``: processes reading the files (default: one per core for a large folder,
    see ``batch_read``); the outputs are the same whatever their number."""
    from innova_reports.annotate.copies import write_annotated
    from innova_reports.pipeline.batch import read_and_validate
    from innova_reports.xlsx.feedback import write_feedback
    from innova_reports.xlsx.master import axis_views, write_master

    check_period(period, settings, today)
    output_dir, period_dir = Path(output_dir), Path(output_dir) / period
    with output_lock(output_dir), batch_mode():
        paths = folder_paths(Path(workbooks_dir))

        def tick(done: int, total: int) -> None:
            _tick(progress, "Lecture et contrôle des classeurs", done, total)

        history = History(history_path(output_dir))
        previous: list[Snapshot | None] = []

        def load_previous() -> None:  # while the workers read: this process would wait
            previous.append(history.previous(period, COMPARED_TABLES))

        batch = read_and_validate(paths, settings, period=period, today=today,
                                  root=Path(workbooks_dir), workers=workers, progress=tick,
                                  meanwhile=load_previous)  # fmt: skip
        _tick(progress, "Consolidation", 0, 1)
        snapshot = build_snapshot(
            batch, settings, period, reporting_date_of(period, today), previous[0]
        )
        selection = select_sources(batch, settings)
        issues = sort_issues([*batch.issues, *selection.issues])
        batch = _without_file_frames(batch)
        steps = ("Archivage des fichiers", "Classeur maître", "Retours aux groupes", "Historique")
        _tick(progress, steps[0], 0, 4)
        # on the other core (background): the views of the master's chart sheets, then
        # the archive and the history's encoding, then the annotated copies (from the
        # files as read: the archive copies them byte for byte); the master here, then the feedback
        # (as before: no new feedback beside an old master). The history is stored last,
        # once every output is written.
        with Background() as side:
            views = side.submit(axis_views, snapshot, settings)
            outputs = side.submit(side_outputs, batch.outcomes, period_dir, snapshot, settings)
            copies = side.submit(write_annotated, batch.outcomes, issues, selection.axis_of,
                                 period_dir / "retours", settings.axis_numbers)  # fmt: skip
            side.start()
            _tick(progress, steps[1], 1, 4)
            master = write_master(period_dir / f"plan_actions_{period}.xlsx", snapshot, settings,
                                  views=views.result)  # fmt: skip
            _tick(progress, steps[2], 2, 4)
            feedback = write_feedback(period_dir, snapshot, settings)
            archived, encoded = outputs.result()
            annotated, not_annotated = copies.result()
        _tick(progress, steps[3], 3, 4)
        history.store(encoded)
        pages = write_cockpit(settings, period, output_dir=output_dir, snapshot=snapshot,
                              history=history, today=today)  # fmt: skip
        _tick(progress, "Terminé", 4, 4)
    return ConsolidationResult(
        period=period, snapshot=snapshot, batch=batch, period_dir=period_dir,
        master_path=master, feedback_paths=feedback, history_path=history.path,
        archived=archived, issues=issues, counts=_counts(snapshot),
        issues_by_axis=_issues_by_axis(snapshot), strict=strict, annotated=annotated,
        not_annotated=not_annotated, index=pages.period_page,
        unattributed=unattributed_files(snapshot),
    )  # fmt: skip


def side_outputs(
    outcomes: list[ReadOutcome], period_dir: Path, snapshot: Snapshot, settings: Settings
) -> tuple[list[Path], EncodedSnapshot]:
    """What the month does beside the master: the archive of the inputs, and the
    snapshot encoded for the history (stored by the caller, last). Top-level: it runs
    in a forked child (``Background``)."""
    archived = archive_inputs(outcomes, period_dir / "archive")
    return archived, encode_snapshot(snapshot, settings)


def _without_file_frames(batch: ValidatedBatch) -> ValidatedBatch:
    """The batch without its table frames once the snapshot is built from them: what is
    left is what the reports read (``validate.without_file_frames``)."""
    from innova_reports.validate.batch import without_file_frames

    return replace(without_file_frames(batch), tables={})


def _tick(progress: Progress | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)


def _counts(snapshot: Snapshot) -> dict[str, int]:
    statuses = Counter(snapshot.table("sources")["statut"])
    return {
        "trouves": int(sum(statuses.values())),
        "consolides": int(statuses.get(CONSOLIDATED, 0)),
        "ecartes": int(statuses.get(LEFT_OUT, 0)),
        "ignores": int(statuses.get(IGNORED, 0)),
    }


def _issues_by_axis(snapshot: Snapshot) -> dict[int | None, Counter]:
    by_axis: dict[int | None, Counter] = {}
    for record in record_dicts(snapshot.table("anomalies")):
        by_axis.setdefault(record["axe"], Counter())[record["gravite"]] += 1
    return by_axis


def unattributed_files(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(file, its first problem) of each file with an erreur or avertissement that no clue
    attributes to an axis (``attribution.axis_clue``): no group hears of it, so the
    coordinator must, first."""
    found: dict[str, str] = {}
    for record in record_dicts(snapshot.table("anomalies")):
        if record["axe"] is None and record["gravite"] in ("erreur", "avertissement"):
            found.setdefault(record["fichier"], record["message"])
    return list(found.items())
