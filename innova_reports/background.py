"""Work done on the other core while this process goes on.

A consolidation ends with outputs that do not depend on each other: the master
workbook (the longest) on one side; the views its chart sheets draw, the archive, the
feedback workbooks and the encoding of the history snapshot on the other.
``Background`` runs the second side, job after job, in one forked child process, which
inherits the snapshot as it is (nothing to copy in), and hands back each job's result,
or its exception, when asked.

Forking is only safe while this process runs a single thread: otherwise (a progress
bar's thread, say) and off Linux, each job is simply done in this process when its
result is first asked for, and gives the same result.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_UNSET: Any = object()


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Job(Generic[T]):
    """One job's result: from the child, or computed here on first request."""

    def __init__(self, function: Callable[..., T], args: tuple, future: Future[T] | None):
        self.function, self.args, self.future = function, args, future
        self.value: Any = _UNSET

    def result(self) -> T:
        """The function's result; its exception is raised here, wherever it ran."""
        if self.value is _UNSET:
            self.value = self.future.result() if self.future else self.function(*self.args)
        return self.value


class Background:
    """A forked child doing the jobs submitted, in order, when forking is safe."""

    def __init__(self, *, fork: bool | None = None) -> None:
        self.pool: ProcessPoolExecutor | None = None
        if can_fork() if fork is None else fork:
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)

    @property
    def forked(self) -> bool:
        return self.pool is not None

    def submit(self, function: Callable[..., T], *args: Any) -> Job[T]:
        """Start ``function(*args)`` (top-level, its result picklable) after the jobs
        already submitted."""
        future = self.pool.submit(function, *args) if self.pool is not None else None
        return Job(function, args, future)

    def close(self) -> None:
        """Wait for the child's jobs (it always finishes them: nothing half-written)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
