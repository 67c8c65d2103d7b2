"""Where the outputs of a month live: one name for each, for every stage that opens it.

``output/`` holds the history store and one folder per consolidated period; the names
below are a contract with the coordinator (DESIGN.md), and the stages that write a file
and those that read or link it take its name from here.
"""

from __future__ import annotations

from pathlib import Path

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
