"""One piece of work done on the other core while this process goes on.

A consolidation ends with outputs that do not depend on each other: the master
workbook (the longest) on one side; the archive, the feedback workbooks and the
encoding of the history snapshot on the other. ``Background`` runs the second side in
a forked child process, which inherits the snapshot as it is (nothing to copy in), and
hands back its result, or its exception, when asked.

Forking is only safe while this process runs a single thread: otherwise (a progress
bar's thread, say) and off Linux, the work is simply done in this process when its
result is asked for, and gives the same result.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Background(Generic[T]):
    """``function(*args)`` started now in a forked child when that is safe."""

    def __init__(self, function: Callable[..., T], *args: Any, fork: bool | None = None) -> None:
        self.function, self.args = function, args
        self.pool: ProcessPoolExecutor | None = None
        self.future: Future[T] | None = None
        if can_fork() if fork is None else fork:
            self.pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            )
            self.future = self.pool.submit(function, *args)

    @property
    def forked(self) -> bool:
        return self.future is not None

    def result(self) -> T:
        """The function's result; its exception is raised here, wherever it ran."""
        if self.future is None:
            return self.function(*self.args)
        try:
            return self.future.result()
        finally:
            self.close()

    def close(self) -> None:
        """Wait for the child, if any (it always finishes its work: nothing half-written)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
