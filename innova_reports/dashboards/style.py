"""The one visual style of the dashboards: palette, style file, French formats.

Colours come from the Okabe–Ito palette (readable by colour-blind readers), and every
colour that carries a meaning is always paired with a text label, so a black-and-white
print still says everything. Numbers and dates are formatted by Babel in French.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")


from innova_reports.fields import TASK_STATUS, WEATHERS  # noqa: E402
from innova_reports.fields import Meaning as M  # noqa: E402
from innova_reports.rules import LATE_STATE, NO_STATUS_STATE  # noqa: E402

STYLE_FILE = Path(__file__).with_name("innova.mplstyle")

# Okabe–Ito
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY, YELLOW, BLACK = "#CC79A7", "#56B4E9", "#F0E442", "#000000"
GREY, LIGHT_GREY, INK = "#999999", "#E3E3E3", "#333333"
BAND = "#1F3A5F"  # title band of every page

WEATHER_COLOURS = dict(zip(WEATHERS, (GREEN, ORANGE, VERMILION), strict=True))  # green to red
TASK_STATUS_COLOURS = {
    TASK_STATUS.value(M.DONE): GREEN,
    TASK_STATUS.value(M.IN_PROGRESS): BLUE,
    TASK_STATUS.value(M.NOT_STARTED): SKY,
    LATE_STATE: VERMILION,
    TASK_STATUS.value(M.ABANDONED): GREY,
    NO_STATUS_STATE: LIGHT_GREY,
}
DARK_ON = frozenset({GREEN, BLUE, VERMILION})  # fills on which text is white
TASK_STATUS_ORDER = tuple(TASK_STATUS_COLOURS)

A4_LANDSCAPE = (11.69, 8.27)  # inches
LOCALE = "fr_FR"


def style_context():
    """Context manager applying the pinned style (always Agg, never mathtext)."""
    import matplotlib.pyplot as plt

    return plt.style.context(str(STYLE_FILE))


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
