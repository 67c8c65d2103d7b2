"""Display text for the booklet: every value goes through here once, in French.

Dates, amounts and numbers come from ``frenchfmt`` (the programme's one set of display
formats) and every string gets French typography (``frenchfmt.french_typography``),
so the PDF and the DOCX read alike.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from innova_reports.booklet.blocks import NOT_FILLED, Paragraphs
from innova_reports.frenchfmt import (
    format_long_date,
    format_money,
    format_number,
    format_percent,
    french_typography,
)
from innova_reports.values import as_date, as_float, as_text

EMPTY_CELL = "—"  # an empty cell of a table (« non renseigné » is for single fields)
TITLE_LIMIT = 160  # characters of a title in headings, the contents and tables
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")


def text(value: Any, empty: str = NOT_FILLED) -> str:
    """A single field as printed: its text with French typography, or ``empty``."""
    shown = as_text(value)
    return french_typography(shown) if shown else empty


def cell(value: Any) -> str:
    """A table cell: as ``text``, an empty one shows a dash."""
    return text(value, EMPTY_CELL)


def paragraphs(value: Any) -> Paragraphs:
    """A long text, split where the writer left a blank line; « non renseigné » if empty."""
    shown = as_text(value).replace("\r\n", "\n").replace("\r", "\n")
    parts = [part.strip() for part in _PARAGRAPH_BREAK.split(shown) if part.strip()]
    if not parts:
        return Paragraphs((NOT_FILLED,), note=True)
    return Paragraphs(tuple(french_typography(part) for part in parts))


def date(value: Any, empty: str = NOT_FILLED) -> str:
    """« 20 septembre 2018 »."""
    day = as_date(value)
    return format_long_date(day) if day is not None else empty


def money(value: Any, empty: str = NOT_FILLED) -> str:
    """« 12 500 € »."""
    amount = as_float(value)
    return format_money(amount) if amount is not None and math.isfinite(amount) else empty


def number(value: Any, empty: str = EMPTY_CELL) -> str:
    """« 12 500 », « 12,5 »: as many decimals as the value has (at most 6)."""
    amount = as_float(value)
    if amount is None or not math.isfinite(amount):
        return empty
    digits = format(amount, ".15g").partition(".")[2].partition("e")[0]
    return format_number(amount, min(len(digits), 6))


def percent(share: float | None, empty: str = EMPTY_CELL) -> str:
    """A share 0–1 as « 45 % »."""
    return format_percent(share) if share is not None else empty


def with_unit(shown: str, unit: str) -> str:
    """« 14 jours », « 62 % »."""
    if not unit or shown == EMPTY_CELL:
        return shown
    return f"{shown}\u00a0{french_typography(unit)}"


def short_title(title: str) -> str:
    """A title for headings, contents and tables: cut at a word after TITLE_LIMIT
    characters, with « … »; the action sheet itself prints it whole."""
    if len(title) <= TITLE_LIMIT:
        return title
    cut = title[:TITLE_LIMIT]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_LIMIT // 2 else cut).rstrip() + " …"


def ordinal(rank: int) -> str:
    """« 1er », « 2e », « 3e »."""
    return "1er" if rank == 1 else f"{rank}e"


def is_past(day: dt.date | None, reference: dt.date) -> bool:
    return day is not None and day <= reference
