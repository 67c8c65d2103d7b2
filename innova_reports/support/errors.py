"""Failures a user can act on, each with its French message and its exit code.

Every stage raises a subclass of ``UserError`` for what the coordinator must fix (a bad
period, a folder in use, a server refusing mail); the command line turns any of them
into « Erreur : … » on stderr and the exit code the class declares, in one place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from innova_reports.support.oserrors import french_reason

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UserError(Exception):
    """``str()`` is a French sentence for the coordinator; ``exit_code`` ends the command."""

    exit_code = EXIT_PROBLEM


class UsageError(UserError):
    """A wrong option, period or settings value: the command was not run (exit 2)."""

    exit_code = EXIT_USAGE


class OutputError(UserError):
    """An output or input folder that cannot be written or read (disk full, no right)."""


@contextlib.contextmanager
def writing_into(folder: Path | str) -> Iterator[None]:
    """A system error while writing the outputs becomes one French ``OutputError``
    naming the folder and the reason."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"écriture impossible dans « {folder} » : {french_reason(exc)}.") from exc
