"""Reading a folder of workbooks on every core.

Each file is read and normalised on its own (``read_workbook`` then
``normalise_workbook``): at 1,000 action sheets that is 2.5 s of one core, the largest
share of a consolidation. Above ``PARALLEL_FROM`` files the work goes to worker
processes, in chunks, and comes back in the order of the files, so the batch is the
same whatever the number of workers (tests/test_batch_read.py compares them).

Workers are forked on Linux when this process runs a single thread (they inherit the
imported modules: nothing to import again), else started by a fork server. A worker
that dies, which only a crash of the native spreadsheet reader could cause, costs just
its files: each is read again alone in a fresh process, and a file that stops its
reader again is refused with a French message while the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from innova_reports.model import ReadOutcome, ReadStatus
from innova_reports.normalise import normalise_workbook
from innova_reports.read import display_name, read_workbook, source_of
from innova_reports.report import Issue, Severity
from innova_reports.settings import Settings

PARALLEL_FROM = 64  # files: below, starting workers costs more than it saves
CHUNKS_PER_WORKER = 8  # several chunks each: balanced work, regular progress
READER_STOPPED = (
    "La lecture de ce classeur a interrompu le lecteur de fichiers : ouvrez-le, "
    "enregistrez-le à nouveau au format .xlsx et renvoyez-le."
)

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
    if count <= 1:
        outcomes = []
        for done, path in enumerate(paths, start=1):
            outcomes.append(read_one(path, settings, root))
            _tell(progress, done, len(paths))
        return outcomes
    size = max(1, -(-len(paths) // (count * CHUNKS_PER_WORKER)))
    chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
    results: list[list[ReadOutcome]] = []
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=_context()) as pool:
            jobs = pool.map(read_chunk, chunks, [settings] * len(chunks), [root] * len(chunks))
            for outcomes in jobs:
                results.append(outcomes)
                _tell(progress, sum(map(len, results)), len(paths))
    except BrokenProcessPool:
        for chunk in chunks[len(results) :]:
            results.append([_read_alone(path, settings, root) for path in chunk])
            _tell(progress, sum(map(len, results)), len(paths))
    return [outcome for outcomes in results for outcome in outcomes]


def worker_count(workers: int | None, files: int) -> int:
    """Processes to use: ``workers`` if given, else one per core available, and one
    when the batch is too small to gain from more."""
    if workers is None:
        if files < PARALLEL_FROM:
            return 1
        workers = _cores()
    return max(1, min(workers, files))


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
        with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
            return pool.submit(read_chunk, [path], settings, root).result()[0]
    except BrokenProcessPool:
        return _stopped(path, root)


def _stopped(path: Path, root: Path | None) -> ReadOutcome:
    try:
        data = path.read_bytes()  # for the archive's fingerprint, as for any file
    except OSError:
        data = None
    source = source_of(path, display_name(path, root), data)
    issue = Issue(source.name, "fichier-illisible", Severity.ERROR, READER_STOPPED)
    return ReadOutcome(source, ReadStatus.REFUSED, issues=[issue], reason=READER_STOPPED)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context():
    """fork when safe (Linux, a single thread): workers start at once with every module
    loaded; a fork server when threads run (a progress bar's, say); spawn elsewhere."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["innova_reports.batch_read"])
    return context


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
