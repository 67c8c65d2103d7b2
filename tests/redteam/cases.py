"""The red-team cases: one realistic way of filling a template each, and what must follow.

A case builds one workbook (``build(folder, settings) -> (path, typed cells)``) and says
what the reader must make of it: issues expected (sheet, cell, type, severity), values
read (``("t_taches", "avancement", 6)`` or ``("statut",)`` for a single field), issue
types that must not appear, words some message must hold, and whether the file is
consolidated. Every typed cell must be read or reported (``test_redteam_reading``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innova_reports.settings import Settings
from tests.redteam import workbooks as w
from tests.redteam.workbooks import Typed

Build = Callable[[Path, Settings], tuple[Path, list[Typed]]]
WARNING, ERROR, INFO = "avertissement", "erreur", "info"


@dataclass(frozen=True)
class Case:
    name: str
    story: str
    build: Build
    issues: tuple[tuple[str, str, str, str], ...] = ()
    values: dict[tuple, Any] = field(default_factory=dict)
    absent: tuple[str, ...] = ()  # issue types that must not appear
    says: tuple[str, ...] = ()  # words that some message must hold
    consolidated: bool = True


def _edited(change: Callable, typed: Callable[[Any], list[Typed]] = lambda wb: [], **base) -> Build:
    """A clean action sheet, then ``change``; ``typed`` lists the cells a user typed."""

    def build(folder: Path, settings: Settings) -> tuple[Path, list[Typed]]:
        import openpyxl

        path = w.action(folder / "fiche_A3.2.xlsx", settings, **base)
        w.edit(path, change)
        return path, typed(openpyxl.load_workbook(path))

    return build


def _below(rows: dict[int, dict[str, Any]]) -> Build:
    """Values typed under the task table, ``rows`` counted from its last row (1 = just
    under it): LibreOffice does not grow a table as Excel does."""

    def change(workbook):
        end = w.table_end(workbook, "Tâches")
        for offset, values in rows.items():
            for letter, value in values.items():
                workbook["Tâches"][f"{letter}{end + offset}"] = value

    def typed(workbook):
        end = w.table_end(workbook, "Tâches")  # the table did not grow: openpyxl, like LibreOffice
        return [Typed("Tâches", f"{letter}{end + offset}", value)
                for offset, values in rows.items() for letter, value in values.items()]  # fmt: skip

    return _edited(change, typed)


def _cells(sheet: str, values: dict[str, Any], number_format: str | None = None) -> Build:
    return _edited(
        w.type_cells(sheet, values, number_format),
        lambda wb: [Typed(sheet, cell, value) for cell, value in values.items()],
    )


TASK_ROW = 6  # the second task of the clean action sheet
MONTH_APRIL = "J"  # t_indicateurs' « avril 2018 » column


CASES: list[Case] = [
    # -- near a table -------------------------------------------------------------------
    Case("ligne-juste-sous-le-tableau", "a task typed right under the table (LibreOffice)",
         _below({1: {"A": "Former les agents", "E": "À faire"}}),
         values={("t_taches", "tache", 17): "Former les agents"},
         absent=("lignes-sous-tableau", "valeurs-hors-tableau")),
    Case("ligne-apres-une-ligne-vide", "a task typed after a blank row under the table",
         _below({2: {"A": "Former les agents", "E": "À faire"}}),
         issues=(("Tâches", "A18", "lignes-sous-tableau", WARNING),),
         values={("t_taches", "tache", 18): "Former les agents"}, says=("La ligne 18 ",)),
    Case("ligne-apres-deux-lignes-vides", "two blank rows, then two tasks",
         _below({3: {"A": "Former les agents"}, 4: {"A": "Évaluer", "E": "À faire"}}),
         issues=(("Tâches", "A19", "lignes-sous-tableau", WARNING),),
         values={("t_taches", "tache", 20): "Évaluer"}, says=("Les lignes 19 à 20 ",)),
    Case("ligne-loin-sous-le-tableau", "a note typed far under the table: reported, not read",
         _below({6: {"A": "Penser à relancer la DSI"}}),
         issues=(("Tâches", "A22", "valeurs-hors-tableau", WARNING),),
         says=("après plus de 2 lignes vides", "A22")),
    Case("notes-a-droite-du-tableau", "remarks typed in a column right of the table",
         _cells("Tâches", {"I5": "voir avec Paul", "I6": "urgent"}),
         issues=(("Tâches", "I5", "valeurs-hors-tableau", WARNING),),
         says=("à côté de ses colonnes", "I5, I6")),
    Case("colonne-ajoutee-remplie", "a « Remarques » column added to the table, filled",
         _edited(w.add_column("Tâches", "Remarques", {5: "RAS", 6: "en retard"}),
                 lambda wb: [Typed("Tâches", "H5", "RAS"), Typed("Tâches", "H6", "en retard")]),
         issues=(("Tâches", "H4", "colonne-inconnue-remplie", WARNING),),
         says=("ses 2 valeurs n'ont pas été reprises",)),
    Case("colonne-ajoutee-vide", "an empty column added to the table",
         _edited(w.add_column("Tâches", "Remarques", {})),
         issues=(("Tâches", "H4", "colonne-inconnue", INFO),)),
    Case("commentaire-a-cote-d-un-champ", "a remark typed beside the status, in column C",
         _cells("Fiche action", {"C9": "en attente du copil", "C10": "à revoir"}),
         issues=(("Fiche action", "C9", "valeurs-hors-champs", WARNING),),
         says=("C9, C10", "n'ont pas été reprises")),
    Case("note-sous-les-champs", "a note typed under the last field of the main sheet",
         _cells("Fiche action", {"A30": "NB : budget à confirmer"}),
         issues=(("Fiche action", "A30", "valeurs-hors-champs", WARNING),)),
    Case("tableau-converti-en-plage", "the task table turned into a plain range, a task "
         "added under it", _edited(w.then(w.to_range("Tâches"),
                                          w.type_cells("Tâches", {"A7": "Former", "E7": "À faire"}))),
         issues=(("Tâches", "A4", "tableau-en-plage", WARNING),),
         values={("t_taches", "tache", 7): "Former", ("t_taches", "avancement", 6): 0.5},
         absent=("tableau-introuvable",)),
    # -- headers ------------------------------------------------------------------------
    Case("en-tete-avec-unite", "« Avancement » retyped « Avancement (%) »",
         _edited(w.rename_header("Tâches", "Avancement", "Avancement (%)")),
         issues=(("Tâches", "F4", "colonne-renommee", WARNING),),
         values={("t_taches", "avancement", TASK_ROW): 0.5}, absent=("colonne-manquante",)),
    Case("en-tete-date-de-debut", "« Début » retyped « Date de début »",
         _edited(w.rename_header("Tâches", "Début", "Date de début")),
         issues=(("Tâches", "C4", "colonne-renommee", WARNING),),
         values={("t_taches", "debut", TASK_ROW): dt.date(2018, 4, 1)}),
    Case("en-tete-au-pluriel", "« Commentaire » retyped « Commentaires »",
         _edited(w.then(w.rename_header("Tâches", "Commentaire", "Commentaires"),
                        w.type_cells("Tâches", {"G6": "attente du devis"}))),
         issues=(("Tâches", "G4", "colonne-renommee", WARNING),),
         values={("t_taches", "commentaire", TASK_ROW): "attente du devis"}),
    Case("en-tete-de-mois-abrege", "« avril 2018 » retyped « avr. 2018 »",
         _edited(w.rename_header("Indicateurs", "avril 2018", "avr. 2018")),
         issues=(("Indicateurs", "J4", "colonne-renommee", WARNING),),
         values={("t_indicateurs", "mois_2018_04", 5): 6}),
    Case("colonne-facultative-supprimee", "the « Responsable » column deleted",
         _edited(w.delete_column("Tâches", "Responsable")),
         issues=(("Tâches", "A4", "colonne-facultative-manquante", WARNING),),
         values={("t_taches", "statut", TASK_ROW): "En cours"}, absent=("colonne-manquante",)),
    Case("colonne-obligatoire-renommee", "« Tâche » retyped « Action à mener »: not understood",
         _edited(w.rename_header("Tâches", "Tâche", "Action à mener"),
                 lambda wb: [Typed("Tâches", "A5", "Recenser les procédures")]),
         issues=(("Tâches", "A4", "colonne-manquante", ERROR),
                 ("Tâches", "A4", "colonne-inconnue-remplie", WARNING)),
         # the row's other values still reach the master
         values={("t_taches", "statut", TASK_ROW): "En cours",
                 ("t_taches", "avancement", TASK_ROW): 0.5},
         absent=("champ-obligatoire",)),
    Case("en-tete-ambigu", "« Date prévue » retyped « Date » while « Date réalisée » is gone",
         lambda folder, settings: _roadmap_dates(folder, settings),
         issues=(("Calendrier", "A4", "colonne-manquante", ERROR),),
         absent=("colonne-renommee",)),
    # -- values the spreadsheet converted -------------------------------------------------
    Case("pourcentage-indicateur-en-pourcent", "« 70 % » typed in an indicator counted in %",
         _cells("Indicateurs", {f"{MONTH_APRIL}6": 0.7}, "0%"),
         values={("t_indicateurs", "mois_2018_04", 6): 70},
         absent=("valeur-pourcentage-unite", "nombre-invalide")),
    Case("pourcentage-texte-indicateur", "« 72 % » typed as text in an indicator counted in %",
         _cells("Indicateurs", {"K6": "72 %"}),
         values={("t_indicateurs", "mois_2018_05", 6): 72}, absent=("nombre-invalide",)),
    Case("pourcentage-texte-sans-unite", "« 50 % » typed as the target of an indicator "
         "whose unit was left empty", _cells("Indicateurs", {"B5": None, "E5": "50 %"}),
         issues=(("Indicateurs", "E5", "valeur-pourcentage-unite", WARNING),),
         values={("t_indicateurs", "cible", 5): 50}, says=("n'est pas indiquée",)),
    Case("pourcentage-indicateur-en-nombre", "« 70 % » in an indicator counted in « nombre »",
         _cells("Indicateurs", {f"{MONTH_APRIL}5": 0.7}, "0%"),
         issues=(("Indicateurs", f"{MONTH_APRIL}5", "valeur-pourcentage-unite", WARNING),),
         values={("t_indicateurs", "mois_2018_04", 5): 70}, says=("« 70 % »", "« nombre »")),
    Case("pourcentage-libreoffice-garde-le-format", "« 70 % » typed where LibreOffice keeps "
         "the decimal format: 0,7 stored and shown", _cells("Indicateurs", {"K6": 0.7}),
         issues=(("Indicateurs", "K6", "valeur-pourcentage-douteuse", WARNING),),
         values={("t_indicateurs", "mois_2018_05", 6): 0.7}, says=("« 70 % »",)),
    Case("cible-en-pourcent-dans-un-message", "a target below the baseline of an indicator "
         "counted in %: the message shows « 40 % », as the cells read",
         _cells("Indicateurs", {"E6": 40}),
         issues=(("Indicateurs", "E6", "cible-incoherente", WARNING),), says=("(40 %)", "(55 %)")),
    Case("avancement-150-pourcent", "« 150 % » typed in a progress cell (Excel stores 1,5)",
         _cells("Tâches", {f"F{TASK_ROW}": 1.5}, "0%"),
         issues=(("Tâches", f"F{TASK_ROW}", "avancement-hors-bornes", ERROR),),
         says=("(150 %)",), absent=("valeur-ambigue",)),
    Case("avancement-tape-dans-libreoffice", "30 typed in a % cell in LibreOffice (shows "
         "3000 %): 30 % meant", _cells("Tâches", {f"F{TASK_ROW}": 30}),
         values={("t_taches", "avancement", TASK_ROW): 0.3}),
    Case("commentaire-en-pourcentage", "« 50% » typed in a comment: Excel made it 0,5 in %",
         _cells("Tâches", {f"G{TASK_ROW}": 0.5}, "0%"),
         values={("t_taches", "commentaire", TASK_ROW): "50 %"}),
    Case("budget-en-pourcentage", "a budget typed as « 70 % »",
         _cells("Fiche action", {"B25": 0.7}, "0%"),
         issues=(("Fiche action", "B25", "nombre-invalide", ERROR),), says=("« 70 % »",)),
    # -- near-misses in lists -------------------------------------------------------------
    Case("statut-sans-e-final", "« Terminé » for « Terminée »", _cells("Fiche action", {"B9": "Terminé"}),
         issues=(("Fiche action", "B9", "valeur-comprise", WARNING),),
         values={("statut",): "Terminée"}, says=("compris comme « Terminée »",)),
    Case("statut-de-tache-au-pluriel", "« Faits » for « Fait »",
         _cells("Tâches", {f"E{TASK_ROW}": "Faits"}),
         issues=(("Tâches", f"E{TASK_ROW}", "valeur-comprise", WARNING),),
         values={("t_taches", "statut", TASK_ROW): "Fait"}),
    Case("sens-avec-une-faute", "« Hause » for « Hausse »", _cells("Indicateurs", {"C5": "Hause"}),
         values={("t_indicateurs", "sens", 5): "Hausse"},
         issues=(("Indicateurs", "C5", "valeur-comprise", WARNING),)),
    Case("meteo-en-capitales-et-espaces", "« ORANGE  » for « Orange »: no warning needed",
         _cells("Fiche action", {"B10": " ORANGE  "}), values={("meteo",): "Orange"},
         absent=("valeur-comprise", "valeur-hors-liste")),
    Case("statut-inconnu", "« Bientôt fini » is no status: refused with the list",
         _cells("Fiche action", {"B9": "Bientôt fini"}),
         issues=(("Fiche action", "B9", "valeur-hors-liste", ERROR),), says=("À lancer, En cours",)),
    Case("service-renomme", "a service no longer in the settings' list",
         _cells("Fiche action", {"B18": "Direction du numérique"}),
         issues=(("Fiche action", "B18", "valeur-hors-liste-actuelle", WARNING),),
         values={("service_pilote",): "Direction du numérique"}, says=("Systèmes d'information",)),
    Case("service-au-pluriel", "« Service technique » for « Services techniques »",
         _cells("Fiche action", {"B18": "Service technique"}),
         values={("service_pilote",): "Services techniques"},
         issues=(("Fiche action", "B18", "valeur-comprise", WARNING),)),
    # -- identity -------------------------------------------------------------------------
    Case("code-et-axe-en-desaccord", "code A3.2 on an action sheet of axis 4",
         _cells("Fiche action", {"B6": 4}),
         issues=(("Fiche action", "B5", "fichier-ecarte", ERROR),
                 ("Fiche action", "B5", "code-action-axe-incoherent", ERROR)),
         says=("A3.2 (cellule B5) ne correspond pas à l'axe 4 (cellule B6)",),
         consolidated=False),
    Case("code-mal-forme", "code « A3-2 »", _cells("Fiche action", {"B5": "A3-2"}),
         issues=(("Fiche action", "B5", "fichier-ecarte", ERROR),),
         says=("« A3-2 » (cellule B5) n'a pas la forme",), consolidated=False),
]  # fmt: skip


def _roadmap_dates(folder: Path, settings: Settings) -> tuple[Path, list[Typed]]:
    path = w.roadmap(
        folder / "feuille_de_route_axe-3.xlsx", settings,
        tables={"t_calendrier": [{"jalon": "Copil 1", "date_prevue": dt.date(2018, 3, 1),
                                  "statut": "Atteint", "date_realisee": dt.date(2018, 3, 1)}]},
    )  # fmt: skip
    w.edit(path, w.then(w.delete_column("Calendrier", "Date réalisée"),
                        w.rename_header("Calendrier", "Date prévue", "Date")))  # fmt: skip
    return path, [Typed("Calendrier", "A5", "Copil 1"), Typed("Calendrier", "C5", "Atteint")]


def by_name(name: str) -> Case:
    return next(case for case in CASES if case.name == name)


def variant(case: Case, **changes: Any) -> Case:
    return dataclasses.replace(case, **changes)
