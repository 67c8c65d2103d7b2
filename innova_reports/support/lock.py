"""One run at a time on an output folder: a lock file beside the outputs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from innova_reports.support.errors import UserError

LOCK_NAME = ".innova.lock"


class OutputBusyError(UserError):
    """Another run holds the output folder's lock."""


_HELD_LOCKS: set[Path] = set()


@contextlib.contextmanager
def output_lock(output_dir: Path) -> Iterator[None]:
    """Refuse a second run on the same output folder while one is going.

    Re-entrant within one process, so that ``run`` may hold the lock around the whole
    month while calling ``consolidate_period``.
    """
    from filelock import FileLock, Timeout

    path = (Path(output_dir) / LOCK_NAME).resolve()
    if path in _HELD_LOCKS:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputBusyError(
            f"une autre exécution est déjà en cours sur le dossier {output_dir} "
            f"(verrou {path.name}). Attendez qu'elle se termine, puis relancez."
        ) from None
    _HELD_LOCKS.add(path)
    try:
        yield
    finally:
        _HELD_LOCKS.discard(path)
        lock.release()
