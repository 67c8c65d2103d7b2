"""Annotated copies: the group's own workbook, each problem cell marked and noted.

``annotate_workbook`` is the one entry point for a single file (the template's prefill
marks the values it could not take with it); ``copies`` makes the copies of a batch.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable

from innova_reports.annotate.ods import annotate_ods
from innova_reports.annotate.xlsx import annotate_xlsx
from innova_reports.annotate.xmltext import CannotAnnotate
from innova_reports.read.safety import Refusal
from innova_reports.report.issue import Issue

__all__ = ["CannotAnnotate", "annotate_workbook"]

FORMATS = {"xlsx": ".xlsx", "xlsm": ".xlsm", "ods": ".ods"}


def annotate_workbook(source: bytes, fmt: str, issues: Iterable[Issue]) -> bytes:
    """A copy of ``source`` (an ``fmt`` workbook: "xlsx", "xlsm" or "ods") with each
    *erreur* and *avertissement* of ``issues`` marked on its cell, with a note saying
    the fix, and listed on a first sheet « À corriger »; last time's marks removed.

    Raises ``CannotAnnotate`` for a file that cannot be copied safely (what the reader
    would refuse, or parts not shaped as Excel and LibreOffice write them)."""
    fmt = fmt.lower().lstrip(".")
    try:
        if fmt == "ods":
            return annotate_ods(source, issues)
        if fmt in FORMATS:
            return annotate_xlsx(source, issues, suffix=FORMATS[fmt])
    except Refusal as refusal:
        raise CannotAnnotate(refusal.message) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError, ValueError):
        raise CannotAnnotate("le classeur est abîmé") from None
    raise CannotAnnotate(f"format non pris en charge : {fmt}")
