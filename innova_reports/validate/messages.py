"""What a field expects, in French, for validation messages.

The messages themselves are the catalogue's (``report.catalogue``); ``validate`` fills
their placeholders from the failure case and the row it belongs to, showing each value
with ``report.issue.display_value`` (the one way a value is shown to users).
"""

from __future__ import annotations

from innova_reports.fields import FieldType

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
