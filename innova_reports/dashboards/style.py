"""The one visual style of the dashboards: palette, style file, French formats.

Colours come from the Okabe–Ito palette (readable by colour-blind readers), and every
colour that carries a meaning is always paired with a text label, so a black-and-white
print still says everything. Numbers and dates are formatted by Babel in French.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from babel.dates import format_date  # noqa: E402
from babel.numbers import format_decimal, format_percent  # noqa: E402

STYLE_FILE = Path(__file__).with_name("innova.mplstyle")

# Okabe–Ito
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY, YELLOW, BLACK = "#CC79A7", "#56B4E9", "#F0E442", "#000000"
GREY, LIGHT_GREY, INK = "#999999", "#E3E3E3", "#333333"
BAND = "#1F3A5F"  # title band of every page

WEATHER_COLOURS = {"Vert": GREEN, "Orange": ORANGE, "Rouge": VERMILION}
TASK_STATUS_COLOURS = {
    "Fait": GREEN,
    "En cours": BLUE,
    "À faire": SKY,
    "En retard": VERMILION,
    "Abandonnée": GREY,
    "Sans statut": LIGHT_GREY,
}
TASK_STATUS_ORDER = tuple(TASK_STATUS_COLOURS)

A4_LANDSCAPE = (11.69, 8.27)  # inches
LOCALE = "fr_FR"


def style_context():
    """Context manager applying the pinned style (always Agg, never mathtext)."""
    import matplotlib.pyplot as plt

    return plt.style.context(str(STYLE_FILE))


def french_date(value: dt.date | None, pattern: str = "d MMMM y") -> str:
    """« 31 mai 2018 »; an empty string for a missing date."""
    if value is None:
        return ""
    return format_date(value, pattern, locale=LOCALE)


def short_date(value: dt.date | None) -> str:
    """« 31/05/2018 », for dense tables."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def french_number(value: float | None, digits: int = 1) -> str:
    """« 1 234,5 »; an en dash for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def french_percent(share: float | None) -> str:
    """« 75 % » from 0.75; an en dash for a missing value."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return format_percent(share, format="#,##0 %", locale=LOCALE)


def month_short(month: str) -> str:
    """« janv. 2018 » from "2018-01"."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(dt.date(year, number, 1), "MMM y", locale=LOCALE)


def wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """Wrap a long French title; cut with an ellipsis beyond max_lines."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)].rstrip() + "…"
    return "\n".join(lines)


def days_label(days: int) -> str:
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    if days > 0:
        return f"dans {days} jours"
    return f"il y a {-days} jours"
