"""Where a problem can sit in a returned workbook, built in code for the annotator's tests.

Each case writes a workbook holding one kind of problem, made the way a user's
spreadsheet makes it, and says which cell the annotated copy must mark (the visible
cell: a merge's top-left one) with which severity and issue type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

from innova_reports.fields import ACTION
from innova_reports.settings import Settings
from tests.factories import make_workbook

PERIOD, TODAY = "2018-05", dt.date(2018, 5, 20)
GROUP_NOTE = "Vu avec Paul : la météo sera donnée jeudi."
GROUP_AUTHOR = "Marie Dupont"


def clean_fields(settings: Settings) -> dict:
    return {
        "code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
        "date_maj": dt.date(2018, 5, 3), "statut": "En cours", "meteo": "Vert",
        "service_pilote": settings.services[0], "chef_projet": "Sandrine Lavergne",
        "budget_eur": 12500,
    }  # fmt: skip


TASKS = [
    {"tache": "Recenser les procédures", "debut": dt.date(2018, 3, 1), "fin": dt.date(2018, 4, 1),
     "statut": "Fait", "avancement": 1},
    {"tache": "Choisir l'outil", "responsable": "DSI", "debut": dt.date(2018, 4, 2),
     "fin": dt.date(2018, 6, 30), "statut": "En cours", "avancement": 0.5},
]  # fmt: skip
LATE_END = {**TASKS[1], "fin": dt.date(2018, 3, 1)}  # ends before it starts: row 6, cell D6
INDICATORS = [{"indicateur": "Procédures en ligne", "unite": "nombre", "sens": "Hausse",
               "valeur_initiale": 2, "cible": 20, "mois_2018_03": 4}]  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, Settings], Path]
    sheet: str  # the sheet the mark is on, as named in the workbook
    cell: str  # the marked (visible) cell
    type: str
    severity: str


def base(path: Path, settings: Settings, *, fields: dict | None = None, tasks=None) -> Path:
    values = clean_fields(settings) if fields is None else fields
    return make_workbook(path, ACTION, settings, fields=values,
                         tables={"t_taches": tasks or TASKS, "t_indicateurs": INDICATORS})  # fmt: skip


def edited(path: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    workbook = openpyxl.load_workbook(path)
    edit(workbook)
    workbook.save(path)
    return path


def _no_weather(path: Path, settings: Settings) -> Path:
    fields = {k: v for k, v in clean_fields(settings).items() if k != "meteo"}
    return base(path, settings, fields=fields)


def _late_task(path: Path, settings: Settings) -> Path:
    return base(path, settings, tasks=[TASKS[0], LATE_END])


def _renamed_header(path: Path, settings: Settings) -> Path:
    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["Tâches"]
        # an optional column renamed beyond recognition, left empty: one avertissement at
        # the table's header (issue 11: a missing optional column is no erreur)
        for column in sheet.tables["t_taches"].tableColumns:
            if column.name == "Avancement":
                column.name = "Progression"
        for cell in sheet[4]:
            if cell.value == "Avancement":
                cell.value = "Progression"

    tasks = [{k: v for k, v in task.items() if k != "avancement"} for task in TASKS]
    return edited(base(path, settings, tasks=tasks), edit)


def _merged(path: Path, settings: Settings) -> Path:
    return edited(base(path, settings), lambda wb: wb["Fiche action"].merge_cells("A7:B7"))


def _renamed_sheet(path: Path, settings: Settings) -> Path:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Tâches"].title = "Suivi des tâches"

    return edited(_late_task(path, settings), edit)


def _noted(path: Path, settings: Settings) -> Path:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook["Fiche action"]["B10"].comment = Comment(GROUP_NOTE, GROUP_AUTHOR)

    return edited(_no_weather(path, settings), edit)


CASES = (
    Case("champ", _no_weather, "Fiche action", "B10", "champ-obligatoire", "erreur"),
    Case("tableau", _late_task, "Tâches", "D6", "fin-avant-debut", "erreur"),
    Case(
        "en-tete", _renamed_header, "Tâches", "A4", "colonne-facultative-manquante", "avertissement"
    ),
    Case("fusion", _merged, "Fiche action", "A7", "cellule-fusionnee", "avertissement"),
    Case("feuille-renommee", _renamed_sheet, "Suivi des tâches", "D6", "fin-avant-debut", "erreur"),
    Case("note-existante", _noted, "Fiche action", "B10", "champ-obligatoire", "erreur"),
)
