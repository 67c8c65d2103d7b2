"""The French wording of every email: subjects, greetings, reminders, corrections.

Kept apart from the MIME plumbing so that the words can be reviewed (and changed) in
one place. Everything typed by a user (file names, values, action titles) is escaped
before it goes into HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_date

from innova_reports.settings import Axis, Recipient, Settings

MAX_LISTED_ISSUES = 200  # beyond, the feedback workbook attached says the rest


def month_words(period: str) -> str:
    """« mai 2018 » for "2018-05" (Babel, fr_FR)."""
    year, month = (int(part) for part in period.split("-"))
    return format_date(dt.date(year, month, 1), "MMMM y", locale="fr_FR")


def axis_subject(settings: Settings, axis: Axis, period: str) -> str:
    return f"{settings.programme} – Axe {axis.number} – tableau de bord de {month_words(period)}"


def copil_subject(settings: Settings, period: str) -> str:
    return (
        f"{settings.programme} – Synthèse du programme – tableau de bord de {month_words(period)}"
    )


def reminder_subject(settings: Settings, axis: Axis, period: str) -> str:
    return (
        f"{settings.programme} – Axe {axis.number} – relance : documents attendus pour "
        f"{month_words(period)}"
    )


def greeting(recipients: Sequence[Recipient]) -> str:
    if len(recipients) == 1:
        return f"Bonjour {recipients[0].name},"
    return "Bonjour à toutes et à tous,"


SIGNATURE = "Bien cordialement,\nLa coordination du programme"


# -- what a group must fix ---------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """One anomaly of the snapshot, as a pilot reads it."""

    severity: str
    place: str  # « fichier › feuille › cellule »
    label: str
    value: str
    message: str


def corrections_text(corrections: Sequence[Correction]) -> str:
    if not corrections:
        return "Aucune correction n'est demandée à votre groupe ce mois-ci. Merci !"
    lines = [f"Ce que votre groupe doit corriger ({len(corrections)}) :"]
    for item in corrections[:MAX_LISTED_ISSUES]:
        value = f" (valeur trouvée : « {item.value} »)" if item.value else ""
        lines.append(f"- [{item.severity}] {item.place} – {item.label}{value} : {item.message}")
    lines.extend(_more_line(len(corrections)))
    return "\n".join(lines)


def corrections_html(corrections: Sequence[Correction]) -> str:
    style = 'style="border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top"'
    if not corrections:
        return f"<p>{corrections_text(corrections)}</p>"
    head = "".join(
        f"<th {style}>{title}</th>"
        for title in ("Gravité", "Emplacement", "Champ", "Valeur trouvée", "Que faire")
    )
    rows = []
    for item in corrections[:MAX_LISTED_ISSUES]:
        cells = (item.severity, item.place, item.label, item.value, item.message)
        rows.append("<tr>" + "".join(f"<td {style}>{html.escape(c)}</td>" for c in cells) + "</tr>")
    more = "".join(f"<p>{html.escape(line)}</p>" for line in _more_line(len(corrections)))
    return (
        f"<h2>Ce que votre groupe doit corriger ({len(corrections)})</h2>"
        '<table style="border-collapse:collapse;font-family:sans-serif;font-size:13px">'
        f"<tr>{head}</tr>{''.join(rows)}</table>{more}"
    )


def _more_line(count: int) -> list[str]:
    if count <= MAX_LISTED_ISSUES:
        return []
    return [f"… et {count - MAX_LISTED_ISSUES} autres : voir le fichier de retour joint."]


# -- bodies --------------------------------------------------------------------------------


def axis_intro(settings: Settings, axis: Axis, period: str, feedback: bool) -> str:
    attached = "le tableau de bord (PDF)"
    if feedback:
        attached += " et le fichier de retour de votre groupe (Excel)"
    return (
        f"{greeting(axis.pilots)}\n\nVoici le tableau de bord de l'{axis.label} pour "
        f"{month_words(period)} ({settings.programme}). Vous trouverez en pièces jointes "
        f"{attached}."
    )


def copil_intro(settings: Settings, period: str, axis_count: int) -> str:
    return (
        f"{greeting(settings.copil_recipients)}\n\nVoici la synthèse du programme "
        f"{settings.programme} pour {month_words(period)}. La synthèse et les tableaux de bord "
        f"des {axis_count} axes sont joints en PDF."
    )


def reminder_text(settings: Settings, axis: Axis, period: str, missing: Sequence[str]) -> str:
    listed = "\n".join(f"- {item}" for item in missing)
    one = len(missing) == 1
    what, them = ("le document suivant", "le") if one else ("les documents suivants", "les")
    return "\n\n".join(
        [
            greeting(axis.pilots),
            f"Sauf erreur de notre part, nous n'avons pas encore reçu pour {month_words(period)} "
            f"{what} de l'{axis.label} :\n{listed}",
            f"Pourriez-vous nous {them} transmettre dès que possible, en répondant simplement à "
            "ce courriel avec les classeurs complétés ? Si vous les avez déjà envoyés, merci de "
            "ne pas tenir compte de ce message.",
            "Merci pour votre contribution au programme.",
            SIGNATURE,
        ]
    )


def text_to_html(text: str) -> str:
    """Plain paragraphs as a minimal HTML page (reminders have no dashboard)."""
    paragraphs = []
    for block in text.split("\n\n"):
        paragraphs.append("<p>" + html.escape(block).replace("\n", "<br>\n") + "</p>")
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"></head>'
        '<body style="font-family:sans-serif;font-size:14px">\n'
        + "\n".join(paragraphs)
        + "\n</body></html>\n"
    )


def intro_html(text: str) -> str:
    """A short French paragraph put above a dashboard in the email body."""
    return (
        '<div style="font-family:sans-serif;font-size:14px;margin-bottom:16px">'
        + "".join(
            "<p>" + html.escape(block).replace("\n", "<br>") + "</p>"
            for block in text.split("\n\n")
        )
        + "</div>"
    )
