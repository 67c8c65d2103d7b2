"""Which group a file concerns, from anything that tells: THE one attribution rule.

A refused or unreadable file must still reach its group (its email and feedback
workbook list it), so every clue counts, in this order, the first one found deciding:

1. what could be read of it: its « Axe d'innovation », else the axis of its action
   code (A3.2 is axis 3);
2. its folder: ``axe-3/…`` (the coordinator's filing, or the group's);
3. its name: an action code (``fiche_A3.2.xlsx``), else « axe 3 » (``feuille_axe-3.ods``).

Only a file with no clue at all goes to the coordinator's « sans axe » list.
"""

from __future__ import annotations

import re
from typing import Any

from innova_reports.frenchfmt import fold
from innova_reports.model import ReadOutcome
from innova_reports.rules import ACTION_CODE
from innova_reports.settings import Settings

_FOLDER = re.compile(r"(?:^| )axe ?(?:n ?[°o]? ?)?0*(\d{1,3})(?!\d)")
_CODE_IN_NAME = re.compile(r"(?<![a-z0-9])a0*(\d{1,3})[.,_ -]0*\d{1,3}(?!\d)")


def axis_clue(outcome: ReadOutcome, settings: Settings) -> int | None:
    """The axis a file concerns, from its content, its folder or its name; None without
    any clue (see the module docstring for the order)."""
    axes = settings.axis_numbers
    data = outcome.data
    if data is not None:
        axis = _axis(data.value("axe"), axes)
        if axis is None:
            axis = _code_axis(data.value("code_action"), axes)
        if axis is not None:
            return axis
    return name_axis(outcome.source.name, axes)


def name_axis(name: str, axes: tuple[int, ...]) -> int | None:
    """The axis a file's display name tells: its folders first, then its own name."""
    *folders, base = name.replace("\\", "/").split("/")
    for folder in reversed(folders):
        match = _FOLDER.search(fold(folder))
        if match and int(match[1]) in axes:
            return int(match[1])
    stem = base.rsplit(".", 1)[0] if "." in base else base
    for pattern, text in ((_CODE_IN_NAME, stem.lower()), (_FOLDER, fold(stem))):
        for match in pattern.finditer(text):
            if int(match[1]) in axes:
                return int(match[1])
    return None


def _axis(value: Any, axes: tuple[int, ...]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value in axes else None


def _code_axis(code: Any, axes: tuple[int, ...]) -> int | None:
    match = ACTION_CODE.match(code) if isinstance(code, str) else None
    return int(match[1]) if match and int(match[1]) in axes else None
