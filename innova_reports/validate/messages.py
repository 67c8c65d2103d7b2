"""How validation messages show a value and what a field expects, in French.

The messages themselves are the catalogue's (``report.catalogue``); ``validate`` fills
their placeholders from the failure case and the row it belongs to, with these.
"""

from __future__ import annotations

import numbers
from typing import Any

from innova_reports.fields import FieldType
from innova_reports.report.issue import display_value

EXPECTED = {
    FieldType.TEXT: "un texte",
    FieldType.CODE: "un code action (A<axe>.<numéro>)",
    FieldType.LONG_TEXT: "un texte",
    FieldType.DATE: "une date (JJ/MM/AAAA)",
    FieldType.INTEGER: "un nombre entier",
    FieldType.DECIMAL: "un nombre",
    FieldType.PERCENT: "un pourcentage (de 0 % à 100 %)",
    FieldType.MONEY: "un montant en euros",
    FieldType.CHOICE: "une valeur de la liste",
}


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


def _french_number(number: float) -> str:
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")
