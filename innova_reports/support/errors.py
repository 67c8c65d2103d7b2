"""Failures a user can act on, each with its French message and its exit code.

Every stage raises a subclass of ``UserError`` for what the coordinator must fix (a bad
period, a folder in use, a server refusing mail); the command line turns any of them
into « Erreur : … » on stderr and the exit code the class declares, in one place.
"""

from __future__ import annotations

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """``str()`` is a French sentence for the coordinator; ``exit_code`` ends the command."""

    exit_code = EXIT_PROBLEM


class UsageError(UserError):
    """A wrong option, period or settings value: the command was not run (exit 2)."""

    exit_code = EXIT_USAGE
