"""Atomic outputs: write beside the target, then move into place in one step.

A run that dies half-way must leave the previous outputs intact, so no output is
ever written where a reader (the coordinator, Excel, the mail stage) may see it half
done. Every stage writes through these helpers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; replace the target on success.

    The temporary file keeps the target's suffix (xlsxwriter and LibreOffice look at
    it). On any exception the temporary file is removed and the target is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; outputs are shared documents
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces ``target`` entirely.

    The old folder is first moved aside, then the new one renamed into place, then the
    old one removed: at every instant either the old or the new folder is complete.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    previous = None
    if target.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        previous.rmdir()
        os.replace(target, previous)
    os.replace(temporary, target)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def write_bytes(target: Path, data: bytes) -> Path:
    """Write a whole file atomically."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return Path(target)


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))
