"""Where the outputs of a month live: one name for each, for every stage that opens it.

``output/`` holds the history store and one folder per consolidated period; the names
below are a contract with the coordinator (DESIGN.md), and the stages that write a file
and those that read or link it take its name from here.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from innova_reports.fields import ACTION, ROADMAP

HISTORY_FILE = "historique.sqlite"  # the history store; the mail ledger is a table in it
FEEDBACK_DIR = "retours"
DASHBOARDS_DIR = "tableaux"
MAIL_DIR = "mail"
ARCHIVE_DIR = "archive"
INDEX_FILE = "index.html"


def history_path(output_dir: Path) -> Path:
    return Path(output_dir) / HISTORY_FILE


def period_dir(output_dir: Path, period: str) -> Path:
    return Path(output_dir) / period


def master_path(output_dir: Path, period: str) -> Path:
    return period_dir(output_dir, period) / f"plan_actions_{period}.xlsx"


FICHES_DIR = "fiches"  # one PDF per action sheet, beside the booklet


def booklet_pdf_path(output_dir: Path, period: str) -> Path:
    """The plan d'actions booklet to print (``innova-reports booklet``)."""
    return period_dir(output_dir, period) / f"plan_actions_{period}.pdf"


def booklet_docx_path(output_dir: Path, period: str) -> Path:
    """The booklet's editable version."""
    return period_dir(output_dir, period) / f"plan_actions_{period}.docx"


# -- per axis: the annotated copies, the pre-filled workbooks --------------------------

NO_AXIS = "sans-axe"  # the folder of a file whose axis nothing tells
ANNOTATED_SUFFIX = "_a-corriger"  # retours/axe-<n>/<stem>_a-corriger.<ext>
PREFILL_DIR = "a-remplir"  # <period>/a-remplir/axe-<n>/…
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def axis_folder(axis: int | None) -> str:
    return f"axe-{axis}" if axis is not None else NO_AXIS


def prefill_folder(period_dir: Path) -> Path:
    return Path(period_dir) / PREFILL_DIR


def prefilled_file(kind: str, axis: int, code: str = "") -> PurePosixPath:
    """``axe-3/feuille_de_route_axe-3.xlsx`` or ``axe-3/fiche_action_A3.2.xlsx``."""
    folder = PurePosixPath(axis_folder(axis))
    if kind == ROADMAP:
        return folder / f"{ROADMAP}_axe-{axis}.xlsx"
    return folder / f"{ACTION}_{_UNSAFE.sub('_', code) or 'sans-code'}.xlsx"


def sheet_pdf_name(code: str, taken: set[str]) -> str:
    """« A1.1.pdf » in ``fiches/``; a code with characters a file name cannot hold (it
    passed the code rule, so it should not) is made safe, and never overwrites another
    sheet (``taken``: the names given so far, lowered)."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", code).strip("._") or "fiche"
    name, suffix = f"{stem}.pdf", 2
    while name.lower() in taken:
        name, suffix = f"{stem}-{suffix}.pdf", suffix + 1
    taken.add(name.lower())
    return name
