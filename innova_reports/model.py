"""The data handed from one stage to the next: read → validate → consolidate → outputs.

These are contracts between modules. Keep them small and explicit: a stage only
imports the models of the stages before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from innova_reports.fields import ACTION, ROADMAP, TemplateSpec, all_specs
from innova_reports.report.issue import Issue
from innova_reports.settings import Settings

# -- read ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    """A file found in the workbooks folder."""

    path: Path
    name: str  # display name: path relative to the workbooks folder, with "/"
    size: int
    sha256: str
    modified: dt.datetime  # file modification time (local, naive)


@dataclass(frozen=True)
class RawCell:
    """A single value as read, with where it came from."""

    value: Any
    sheet: str
    cell: str  # A1 address, e.g. "C7"


@dataclass
class WorkbookData:
    """One template read back: single fields by defined name, tables by table name.

    ``tables[name]`` is indexed by the Excel row number (index name "row"); its columns
    are the field ids of the table in spec order, holding the values as read (object
    dtype; after normalisation: typed values, None where empty or rejected). Rows that
    are entirely empty are dropped. ``table_letters[name][field_id]`` is the column
    letter, so ``f"{letter}{row}"`` is the cell of any value.
    """

    source: SourceFile
    kind: str  # ROADMAP or ACTION
    version: str
    fields: dict[str, RawCell]
    tables: dict[str, pd.DataFrame]
    table_sheets: dict[str, str]
    table_letters: dict[str, dict[str, str]]
    issues: list[Issue] = field(default_factory=list)
    normalised: bool = False  # values typed by normalise.normalise_workbook (done once)
    format: str = "xlsx"  # the workbook's real format, "xlsx" or "ods" (whatever its name)

    def value(self, field_id: str) -> Any:
        cell = self.fields.get(field_id)
        return None if cell is None else cell.value

    def cell_of(self, table: str, field_id: str, row: int) -> str:
        return f"{self.table_letters[table][field_id]}{row}"


class ReadStatus(StrEnum):
    READ = "lu"  # a template, read (it may still carry issues)
    IGNORED = "ignoré"  # lock file, non-spreadsheet file: not ours, said so
    REFUSED = "refusé"  # broken, hostile, not a template: listed with the reason


@dataclass
class ReadOutcome:
    """What became of one file found in the workbooks folder."""

    source: SourceFile
    status: ReadStatus
    data: WorkbookData | None = None
    issues: list[Issue] = field(default_factory=list)
    reason: str = ""  # French, for IGNORED and REFUSED


# -- validate -----------------------------------------------------------------------------


@dataclass
class ValidatedBatch:
    """Every workbook of a batch, normalised and validated together.

    ``roadmaps`` has one row per roadmap read, ``actions`` one row per action sheet:
    columns ``fichier`` then the single-field ids (typed; a rejected value is NA).
    ``tables[name]`` concatenates that table over all files: columns ``fichier``,
    ``ligne`` (Excel row), ``axe`` (and ``code_action`` for the action sheet tables),
    then the field ids. Month columns of t_indicateurs stay wide here.
    """

    outcomes: list[ReadOutcome]
    roadmaps: pd.DataFrame
    actions: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    issues: list[Issue]


# -- consolidated snapshot ------------------------------------------------------------------

KEY_COLUMNS = ("fichier", "ligne")


def snapshot_columns(settings: Settings) -> dict[str, tuple[str, ...]]:
    """Column names of every table of a period's snapshot (history and master)."""
    roadmap, action = all_specs(settings)
    columns = {
        "feuilles_de_route": ("axe", *_ids(roadmap, skip={"axe"}), "completude", "fichier"),
        "actions": ("code_action", "axe", *_ids(action, skip={"code_action", "axe"}),
                    "completude", "fichier"),
        "actions_annoncees": ("axe", *_cols(roadmap, "t_actions"), *KEY_COLUMNS),
        "taches": ("axe", "code_action", *_cols(action, "t_taches"), "en_retard", *KEY_COLUMNS),
        "indicateurs": ("axe", "code_action", "indicateur", "unite", "sens", "valeur_initiale",
                        "cible", "echeance", "mois", "valeur", "part_cible", *KEY_COLUMNS),
        "acteurs": ("axe", *_cols(roadmap, "t_acteurs"), *KEY_COLUMNS),
        "calendrier": ("axe", *_cols(roadmap, "t_calendrier"), *KEY_COLUMNS),
        "moyens": ("axe", *_cols(roadmap, "t_moyens"), *KEY_COLUMNS),
        "livrables": ("axe", *_cols(roadmap, "t_livrables"), *KEY_COLUMNS),
        "suivi": ("axe", "document", "code", "intitule", "recu", "date_maj", "fichier", "etat"),
        "anomalies": ("fichier", "feuille", "cellule", "champ", "libelle", "gravite", "type",
                      "valeur", "message", "axe"),
        "sources": ("fichier", "statut", "motif", "modele", "version", "format", "sha256",
                    "taille", "modifie"),
        "evolutions": ("axe", "code_action", "objet", "changement", "avant", "apres", "detail"),
    }  # fmt: skip
    return columns


def _ids(spec: TemplateSpec, skip: set[str]) -> tuple[str, ...]:
    return tuple(f.id for f in spec.fields if f.id not in skip)


def _cols(spec: TemplateSpec, table: str) -> tuple[str, ...]:
    return tuple(f.id for f in spec.table(table).columns)


@dataclass
class Snapshot:
    """One consolidated period, as stored in the history and drawn by every output.

    ``tables`` holds a DataFrame for each name of ``snapshot_columns`` with exactly
    those columns. Meaning of the derived columns:
    - ``completude``: share (0–1) of the template's fields that are filled in;
    - ``taches.en_retard``: not done/abandoned and ``fin`` before the reporting date;
    - ``indicateurs``: one row per indicator and follow-up month that has a value
      (an indicator with no value yet: one row, ``mois`` and ``valeur`` empty);
      ``part_cible`` is the share of the way from ``valeur_initiale`` to ``cible``
      reached (respecting ``sens``; NA when it cannot be computed);
    - ``suivi``: one row per expected document (the roadmap of every axis, every action
      announced in a roadmap or received): ``document`` is ROADMAP or ACTION, ``recu``
      whether it was returned for this period (``rules.updated_for_period``: a file
      not updated since the previous consolidation is not), ``etat`` what the outputs
      say (« reçu », « pas mis à jour depuis le 14/05/2018 », « non reçu »);
    - ``evolutions``: what changed since the previous period's snapshot.
    """

    period: str  # "YYYY-MM"
    reporting_date: dt.date  # last day of the period, or today within the current month
    created: dt.datetime
    tables: dict[str, pd.DataFrame]
    # figures derived from the tables, computed once for every output that asks
    # (consolidate.counts); keyed by what they depend on, so a table replaced is recounted
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]


DOCUMENT_LABELS = {ROADMAP: "Feuille de route", ACTION: "Fiche action"}
# The workbook formats read (``WorkbookData.format``), as every output names them.
FORMAT_LABELS = {"xlsx": "Excel (.xlsx)", "ods": "LibreOffice (.ods)"}
