"""The speed machinery, behind one small interface: work on every core, jobs on the
other core, the collector paused during a batch.

Stages know nothing of processes: the pipeline hands them ``map_ordered`` (or runs
``Background`` jobs beside them), and the number of workers is decided here, by
``worker_count``.

- ``map_ordered(function, items, workers)``: the results in the order of the items,
  in worker processes when more than one is asked for.
- ``process_pool(workers)``: the pool itself, for a caller that submits its own jobs
  (the reading of a folder, which recovers from a worker that dies).
- ``Background``: jobs done in one forked child while this process goes on. The jobs'
  arguments are not sent to the child: they are left in this module before the fork,
  so the child inherits them as they are (``ProcessPoolExecutor`` pickles every
  argument, even to a forked child: a million-cell snapshot took the parent 0.3 s each
  time). Only the results travel back, pickled.
- ``batch_mode()``: Python's cycle collector paused while a batch builds its data
  (measured at 1,000 sheets: 1.0 s of a 6.3 s consolidation walking millions of live
  objects for nothing to collect; reference counting still frees everything).

Workers are forked on Linux when this process runs a single thread (they inherit the
imported modules), else started by a fork server; off Linux they are spawned. Ctrl-C is
left to this process: a child finishes its job in progress and takes no other.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool as WorkerDied
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_UNSET: Any = object()
_INHERITED: dict[int, tuple[Callable[..., Any], tuple]] = {}  # job number -> (function, args)
_NUMBERS = itertools.count()


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def worker_context(
    preload: Sequence[str], *, fork: bool = True
) -> multiprocessing.context.BaseContext:
    """How to start worker processes: fork when safe (Linux, a single thread: workers
    start at once with every module loaded), else a fork server that imports
    ``preload`` once (threads run: forking them is unsafe), spawn off Linux.
    ``fork=False``: the caller knows a reason of its own not to fork (a library's native
    threads running here, which ``can_fork`` cannot see)."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    if fork and can_fork():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context


def _run_inherited(number: int) -> Any:
    """In the child: the job left in ``_INHERITED`` before the fork."""
    function, args = _INHERITED[number]
    return function(*args)


class Job(Generic[T]):
    """One job's result: from the child, or computed here on first request."""

    def __init__(self, background: Background, number: int) -> None:
        self.background, self.number = background, number
        self.future: Future[T] | None = None
        self.value: Any = _UNSET

    def result(self) -> T:
        """The function's result; its exception is raised here, wherever it ran. A child
        that died (killed for lack of memory, say) leaves the job to this process: the
        jobs write their files atomically, so doing one again is safe."""
        if self.value is _UNSET:
            self.background.start()
            value: Any = _UNSET
            if self.future is not None:
                try:
                    value = self.future.result()
                except WorkerDied:
                    value = _UNSET
            if value is _UNSET:
                function, args = _INHERITED[self.number]
                value = function(*args)
            self.value = value
        return self.value


class Background:
    """A forked child doing the jobs submitted, in order, once started."""

    def __init__(self, *, fork: bool | None = None) -> None:
        self.fork = can_fork() if fork is None else fork
        self.jobs: list[Job] = []
        self.pool: ProcessPoolExecutor | None = None
        self.started = False

    @property
    def forked(self) -> bool:
        return self.pool is not None

    def submit(self, function: Callable[..., T], *args: Any) -> Job[T]:
        """Add ``function(*args)`` (top-level, its result picklable) to the jobs; every
        job is submitted before ``start``, which forks the child."""
        if self.started:
            raise RuntimeError("Background: tâche ajoutée après le démarrage")
        number = next(_NUMBERS)
        _INHERITED[number] = (function, args)
        job: Job[T] = Job(self, number)
        self.jobs.append(job)
        return job

    def start(self) -> None:
        """Fork the child (when safe) and give it every job, in order."""
        if self.started:
            return
        self.started = True
        if self.fork and self.jobs:
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                            initializer=ignore_interrupts)  # fmt: skip
            for job in self.jobs:  # the child is forked at the first submit
                job.future = self.pool.submit(_run_inherited, job.number)

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the child's job in progress (it always finishes it: nothing
        half-written), and for the others unless ``cancel``; then forget the jobs'
        arguments."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None
        for job in self.jobs:
            _INHERITED.pop(job.number, None)

    def __enter__(self) -> Background:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        # Ctrl-C: no job not yet begun. Another error still lets the child finish its
        # jobs (each writes its output atomically): the archive of the inputs is kept
        # even when the master could not be written.
        self.close(cancel=kind is not None and issubclass(kind, KeyboardInterrupt))


def ignore_interrupts() -> None:
    """In a child: Ctrl-C (sent to every process of the terminal) is for the parent,
    which stops the run; a child finishes its job in progress and takes no other."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- how many workers, and a pool of them ------------------------------------------------


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, items: int, *, parallel_from: int = 2) -> int:
    """Processes to use: ``requested`` if given, else one per core, and one when fewer
    than ``parallel_from`` items would not gain from more (starting workers costs)."""
    if requested is None:
        if items < parallel_from:
            return 1
        requested = cores()
    return max(1, min(requested, items))


@contextlib.contextmanager
def process_pool(
    workers: int, preload: Sequence[str] = (), *, fork: bool = True
) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that leave Ctrl-C to this one; on any error (an interrupt
    included), the jobs not yet begun are dropped instead of done for nothing.
    ``preload``: modules a fork server imports once (when forking is not safe)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(preload, fork=fork),
                               initializer=ignore_interrupts)  # fmt: skip
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def map_ordered(
    function: Callable[[Any], T],
    items: Sequence[Any],
    workers: int | None = None,
    *,
    preload: Sequence[str] = (),
    before_fork: Callable[[], object] | None = None,
    fork: bool = True,
) -> list[T]:
    """``[function(item) for item in items]``, on ``worker_count(workers, …)`` processes
    (``function`` top-level, results picklable). ``before_fork`` loads in this process
    what every worker would otherwise load again (a font cache, say); ``fork=False``
    starts the workers from a fork server even when forking looks safe."""
    count = worker_count(workers, len(items))
    if count <= 1:
        return [function(item) for item in items]
    if before_fork is not None and can_fork():
        before_fork()
    with process_pool(count, preload, fork=fork) as pool:
        return list(pool.map(function, items))


# -- the collector -------------------------------------------------------------------------


@contextlib.contextmanager
def batch_mode() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_for_exit() -> None:
    """Before the process ends: the objects still alive are frozen out of the collector,
    so Python's last collection does not walk them all again on the way out (0.2 s after
    a consolidation of 1,000 sheets). Files are closed and exit handlers run as usual."""
    gc.freeze()
