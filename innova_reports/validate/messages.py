"""French message templates, one per issue type of the validation stage.

Each message says what is wrong and how to fix it, naming the cell: a group member
reads it in the feedback file without any other help. Placeholders are filled by
``validate`` from the failure case and the row it belongs to.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

from innova_reports.fields import FieldType
from innova_reports.frenchfmt import month_label
from innova_reports.report.issue import display_value

TEMPLATES: dict[str, str] = {
    "champ-obligatoire": (
        "Le champ « {label} » est obligatoire mais il est vide : complétez {where}."
    ),
    "type-invalide": (
        "La valeur « {value} » du champ « {label} » n'est pas {expected} : corrigez {where}."
    ),
    "valeur-hors-liste": (
        "La valeur « {value} » du champ « {label} » ne fait pas partie de la liste autorisée "
        "({allowed}) : choisissez une valeur de la liste déroulante dans {where}."
    ),
    "code-action-invalide": (
        "Le code action « {value} » n'a pas la forme attendue A<axe>.<numéro> "
        "(par exemple A3.2) : corrigez {where}."
    ),
    "code-action-axe-incoherent": (
        "Le code action « {value} » ne correspond pas à l'axe {axe} du document "
        "(il devrait commencer par A{axe}.) : corrigez {where} ou le numéro d'axe."
    ),
    "fin-avant-debut": (
        "La date de fin ({fin}) est antérieure à la date de début ({debut}) : corrigez {where}."
    ),
    "date-maj-future": (
        "La date de mise à jour ({value}) est postérieure à aujourd'hui ({today}) : "
        "indiquez la date réelle de la mise à jour dans {where}."
    ),
    "date-maj-avant-programme": (
        "La date de mise à jour ({value}) est antérieure au début du programme ({start}) : "
        "corrigez {where}."
    ),
    "avancement-hors-bornes": (
        "L'avancement ({value}) doit être compris entre 0 % et 100 % : corrigez {where}."
    ),
    "tache-faite-incomplete": (
        "La tâche est marquée « Fait » mais son avancement est de {value} : indiquez 100 % "
        "dans {where} ou changez le statut de la tâche."
    ),
    "cible-incoherente": (
        "La cible ({cible}) ne va pas dans le sens « {sens} » par rapport à la valeur "
        "initiale ({valeur_initiale}) : vérifiez {where}, le sens ou la valeur initiale."
    ),
    "valeur-mois-non-numerique": (
        "La valeur saisie pour {label} (« {value} ») n'est pas un nombre : saisissez "
        "uniquement un nombre dans {where}."
    ),
    "valeur-mois-futur": (
        "Une valeur ({value}) est saisie pour {label}, un mois postérieur à la période "
        "consolidée ({period}) : vérifiez {where}."
    ),
    "nombre-actions-annoncees": (
        "Nombre d'actions annoncées par la feuille de route : {value}, alors que 2 à 3 "
        "actions sont attendues : complétez ou réduisez le tableau des actions de {where}."
    ),
    "montant-negatif": (
        "Le montant ({value}) est négatif : saisissez un montant positif ou nul dans {where}."
    ),
    "date-realisee-future": (
        "La date réalisée ({value}) est postérieure à aujourd'hui ({today}) : un jalon ne "
        "peut pas être atteint dans le futur ; corrigez {where}."
    ),
    "jalon-atteint-sans-date": (
        "Le jalon est marqué « Atteint » mais sa date réalisée est vide : complétez {where}."
    ),
    "controle-impossible": (
        "La valeur « {value} » du champ « {label} » n'a pas pu être contrôlée : vérifiez {where}."
    ),
}

EXPECTED = {
    FieldType.TEXT: "un texte",
    FieldType.LONG_TEXT: "un texte",
    FieldType.DATE: "une date (JJ/MM/AAAA)",
    FieldType.INTEGER: "un nombre entier",
    FieldType.DECIMAL: "un nombre",
    FieldType.PERCENT: "un pourcentage (de 0 % à 100 %)",
    FieldType.MONEY: "un montant en euros",
    FieldType.CHOICE: "une valeur de la liste",
}


def where(sheet: str, cell: str) -> str:
    """« la cellule E12 de la feuille Tâches », as far as the place is known."""
    if sheet and cell:
        return f"la cellule {cell} de la feuille {sheet}"
    if sheet:
        return f"la feuille {sheet}"
    return "le fichier"


def shown(value: Any, field_type: FieldType | None = None) -> str:
    """A value as the group typed it: percentages as « 150 % », decimals with a comma."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if field_type is FieldType.PERCENT and isinstance(value, numbers.Real):
        return _french_number(float(value) * 100) + " %"
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return _french_number(float(value))
    return display_value(value)


def period_label(period: str) -> str:
    return month_label(period)


def render(issue_type: str, **context: Any) -> str:
    """The French message of one issue; unknown types fall back to a generic sentence."""
    return render_map(issue_type, context)


def render_map(issue_type: str, context: Mapping[str, Any]) -> str:
    """``render`` with a mapping that may compute its values only when a template asks
    for them (a row's context holds every field, a message names two or three)."""
    template = TEMPLATES.get(issue_type, TEMPLATES["controle-impossible"])
    try:
        return template.format_map(context)
    except (KeyError, IndexError):
        return TEMPLATES["controle-impossible"].format_map(_Blank(context))


def _french_number(number: float) -> str:
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""
