"""Reading a folder of workbooks on every core.

Each file is read and normalised on its own (``read_workbook`` then
``normalise_workbook``): at 1,000 action sheets that is 2.5 s of one core, the largest
share of a consolidation. Above ``PARALLEL_FROM`` files the work goes to worker
processes, in chunks, and comes back in the order of the files, so the batch is the
same whatever the number of workers (tests/test_batch_read.py compares them).
``read_and_validate`` also validates each chunk in its worker (every rule is about one
row of one file) and hands back one validated batch per chunk, its frames already
concatenated: a few large frames cross between processes instead of eight per file.

Workers are forked on Linux when this process runs a single thread (they inherit the
imported modules: nothing to import again), else started by a fork server. A worker
that dies (a crash of the native spreadsheet reader, or the system killing it for lack
of memory) costs just its files: each is read again alone in a fresh process, and a
file that stops its reader again is refused with a French message while the batch goes
on. Below ``PARALLEL_FROM`` files everything is read in this process, where the
reader's known crash (a stray cell at XFD1048576) is prevented by the pre-scan of
``read.load_sheets``. Ctrl-C is left to this process, which then drops the chunks not
yet begun.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from innova_reports.model import ReadOutcome, ReadStatus, ValidatedBatch
from innova_reports.read.files import display_name, source_of
from innova_reports.read.normalise import normalise_workbook
from innova_reports.read.workbook import read_workbook
from innova_reports.report import catalogue
from innova_reports.settings import Settings
from innova_reports.support.parallel import WorkerDied, process_pool
from innova_reports.support.parallel import worker_count as parallel_worker_count
from innova_reports.validate.batch import merge_batches, validate_batch, without_file_frames

PARALLEL_FROM = 64  # files: below, starting workers costs more than it saves
CHUNKS_PER_WORKER = 8  # several chunks each: balanced work, regular progress
VALIDATED_CHUNKS_PER_WORKER = 3  # fewer: each chunk also costs one validation pass
READER_STOPPED = "sa lecture a interrompu le lecteur de fichiers"

Progress = Callable[[int, int], None]  # (files done, files in all)


def read_files(
    paths: Sequence[Path],
    settings: Settings,
    *,
    root: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[ReadOutcome]:
    """Read and normalise every file, in the order given; never raises for a file."""
    paths = list(paths)
    count = worker_count(workers, len(paths))
    _tell(progress, 0, len(paths))
    if count <= 1:
        outcomes = []
        for done, path in enumerate(paths, start=1):
            outcomes.append(read_one(path, settings, root))
            _tell(progress, done, len(paths))
        return outcomes
    chunks = _chunks(paths, count * CHUNKS_PER_WORKER)
    results: list[list[ReadOutcome]] = []
    try:
        with _pool(count) as pool:
            jobs = pool.map(read_chunk, chunks, [settings] * len(chunks), [root] * len(chunks))
            for outcomes in jobs:
                results.append(outcomes)
                _tell(progress, sum(map(len, results)), len(paths))
    except WorkerDied:
        for chunk in chunks[len(results) :]:
            results.append([_read_alone(path, settings, root) for path in chunk])
            _tell(progress, sum(map(len, results)), len(paths))
    return [outcome for outcomes in results for outcome in outcomes]


def read_and_validate(
    paths: Sequence[Path],
    settings: Settings,
    *,
    period: str,
    today: dt.date | None = None,
    root: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> ValidatedBatch:
    """``validate_batch`` of every file read and normalised, without each file's own
    frames (``without_file_frames``), the same whatever the number of workers.

    ``meanwhile`` is called once while the workers read (this process would only wait),
    or first when there are none.
    """
    paths, today = list(paths), today or dt.date.today()  # one day for every worker
    count = worker_count(workers, len(paths))
    meanwhile = _once(meanwhile)
    if count <= 1:  # read_files tells the progress from 0
        meanwhile()
        outcomes = read_files(paths, settings, root=root, workers=1, progress=progress)
        return without_file_frames(validate_batch(outcomes, settings, period=period, today=today))
    chunks = _chunks(paths, count * VALIDATED_CHUNKS_PER_WORKER)
    batches: list[ValidatedBatch] = []
    _tell(progress, 0, len(paths))
    try:
        with _pool(count) as pool:
            jobs = [pool.submit(validate_chunk, chunk, settings, root, period, today)
                    for chunk in chunks]  # fmt: skip
            meanwhile()
            for job in jobs:
                batches.append(job.result())
                _tell(progress, sum(len(b.outcomes) for b in batches), len(paths))
    except WorkerDied:
        meanwhile()  # if the pool broke before it could run
        for chunk in chunks[len(batches) :]:
            outcomes = [_read_alone(path, settings, root) for path in chunk]
            batch = validate_batch(outcomes, settings, period=period, today=today)
            batches.append(without_file_frames(batch))
            _tell(progress, sum(len(b.outcomes) for b in batches), len(paths))
    return merge_batches(batches)


def validate_chunk(paths: Sequence[Path], settings: Settings, root: Path | None,
                   period: str, today: dt.date | None) -> ValidatedBatch:  # fmt: skip
    """Top-level, so that worker processes can run it."""
    batch = validate_batch(read_chunk(paths, settings, root), settings, period=period, today=today)
    return without_file_frames(batch)


def _chunks(paths: list[Path], pieces: int) -> list[list[Path]]:
    """``paths`` in consecutive runs of nearly equal length, ``pieces`` at most."""
    size = max(1, -(-len(paths) // pieces))
    return [paths[start : start + size] for start in range(0, len(paths), size)]


def _once(function: Callable[[], object] | None) -> Callable[[], None]:
    """``function``, called at most once however often the result is called."""
    todo = [function] if function is not None else []

    def call() -> None:
        while todo:
            todo.pop()()

    return call


def worker_count(workers: int | None, files: int) -> int:
    """Processes to use: ``workers`` if given, else one per core available, and one
    when the batch is too small to gain from more."""
    return parallel_worker_count(workers, files, parallel_from=PARALLEL_FROM)


def read_one(path: Path, settings: Settings, root: Path | None) -> ReadOutcome:
    """One file read and normalised (what validation would otherwise normalise)."""
    outcome = read_workbook(path, settings, root=root)
    if outcome.status is ReadStatus.READ and outcome.data is not None:
        outcome = replace(outcome, data=normalise_workbook(outcome.data, settings))
    return outcome


def read_chunk(paths: Sequence[Path], settings: Settings, root: Path | None) -> list[ReadOutcome]:
    """Top-level, so that worker processes can run it."""
    return [read_one(path, settings, root) for path in paths]


def _read_alone(path: Path, settings: Settings, root: Path | None) -> ReadOutcome:
    """One file in a fresh process of its own: if it stops that process, it is refused."""
    try:
        with _pool(1) as pool:
            return pool.submit(read_chunk, [path], settings, root).result()[0]
    except WorkerDied:
        return _stopped(path, root)


def _stopped(path: Path, root: Path | None) -> ReadOutcome:
    try:
        data = path.read_bytes()  # for the archive's fingerprint, as for any file
    except OSError:
        data = None
    source = source_of(path, display_name(path, root), data)
    issue = catalogue.issue("fichier-illisible", source.name, what=READER_STOPPED)
    return ReadOutcome(source, ReadStatus.REFUSED, issues=[issue], reason=issue.message)


def _pool(workers: int):
    return process_pool(workers, preload=["innova_reports.pipeline.batch"])


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
