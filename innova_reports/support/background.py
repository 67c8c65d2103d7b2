"""Work done on the other core while this process goes on.

A consolidation ends with outputs that do not depend on each other: the master
workbook (the longest) on one side; the views its chart sheets draw, the archive, the
feedback workbooks and the encoding of the history snapshot on the other.
``Background`` runs the second side, job after job, in one forked child process, and
hands back each job's result, or its exception, when asked.

The jobs' arguments are not sent to the child: they are left in this module before
the fork, so the child inherits them as they are. (``ProcessPoolExecutor`` pickles the
arguments of every call, even to a forked child: a million-cell snapshot took the
parent 0.3 s each time.) Only the results travel back, pickled.

Forking is only safe while this process runs a single thread: otherwise (a progress
bar's thread, say) and off Linux, each job is simply done in this process when its
result is first asked for, and gives the same result.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_UNSET: Any = object()
_INHERITED: dict[int, tuple[Callable[..., Any], tuple]] = {}  # job number -> (function, args)
_NUMBERS = itertools.count()


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def worker_context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """How to start worker processes: fork when safe (Linux, a single thread: workers
    start at once with every module loaded), else a fork server that imports
    ``preload`` once (threads run: forking them is unsafe), spawn off Linux."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    if can_fork():
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
                except BrokenProcessPool:
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
        self.close(cancel=kind is not None)  # on an error, no job not yet begun


def ignore_interrupts() -> None:
    """In a child: Ctrl-C (sent to every process of the terminal) is for the parent,
    which stops the run; a child finishes its job in progress and takes no other."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
