"""The French wording of every email: subjects, greetings, reminders, corrections.

Kept apart from the MIME plumbing so that the words can be reviewed (and changed) in
one place. Everything typed by a user (file names, values, action titles) is escaped
before it goes into HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from innova_reports.frenchfmt import format_measure, format_number, month_label
from innova_reports.settings import Axis, Recipient, Settings

MAX_LISTED_ISSUES = 200  # beyond, the feedback workbook attached says the rest


def month_words(period: str) -> str:
    """« mai 2018 » for "2018-05": the months' one French spelling (fields.month_label)."""
    return month_label(period)


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


def signature(settings: Settings) -> str:
    return f"Bien cordialement,\nLa coordination du programme {settings.programme}"


SEVERITY_WORDS = {"erreur": "Erreur", "avertissement": "Avertissement", "info": "Information"}


def _point_count(count: int) -> str:
    return f"{count} point" if count < 2 else f"{count} points"


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
    """Numbered points, each: severity and place on one line, what to do indented below."""
    if not corrections:
        return "Aucune correction n'est demandée à votre groupe ce mois-ci. Merci !"
    lines = [
        f"Ce que votre groupe doit corriger : {_point_count(len(corrections))}, repris "
        "dans le fichier de retour joint.",
        "Pour chacun : ouvrez le fichier, allez à la feuille et à la cellule indiquées, "
        "corrigez, puis renvoyez-nous le fichier.",
    ]
    for number, item in enumerate(corrections[:MAX_LISTED_ISSUES], start=1):
        where = f"{item.place} ({item.label})" if item.label else item.place
        value = f" – valeur trouvée : « {item.value} »" if item.value else ""
        severity = SEVERITY_WORDS.get(item.severity, item.severity)
        lines.append(f"\n{number}. {severity} – {where}{value}\n   {item.message}")
    lines.extend(_more_line(len(corrections)))
    return "\n".join(lines)


def corrections_html(corrections: Sequence[Correction]) -> str:
    """The same points as a table with inline styles: what every mail client renders."""
    style = 'style="border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top"'
    if not corrections:
        return f"<p>{html.escape(corrections_text(corrections))}</p>"
    head = "".join(
        f"<th {style}>{title}</th>"
        for title in ("N°", "Gravité", "Emplacement", "Champ", "Valeur trouvée", "Que faire")
    )
    rows = []
    for number, item in enumerate(corrections[:MAX_LISTED_ISSUES], start=1):
        severity = SEVERITY_WORDS.get(item.severity, item.severity)
        cells = (str(number), severity, item.place, item.label, item.value, item.message)
        rows.append("<tr>" + "".join(f"<td {style}>{html.escape(c)}</td>" for c in cells) + "</tr>")
    more = "".join(f"<p>{html.escape(line)}</p>" for line in _more_line(len(corrections)))
    return (
        '<div style="font-family:sans-serif;font-size:14px;margin:16px 0">'
        f'<h2 style="font-size:18px;color:#1F3A5F">Ce que votre groupe doit corriger '
        f"({_point_count(len(corrections))})</h2>"
        "<p>Pour chaque point : ouvrez le fichier, allez à la feuille et à la cellule "
        "indiquées, corrigez, puis renvoyez-nous le fichier. Le fichier de retour joint "
        "reprend la même liste.</p>"
        '<table role="presentation" cellpadding="0" cellspacing="0" '
        'style="border-collapse:collapse;font-family:sans-serif;font-size:13px">'
        f"<tr>{head}</tr>{''.join(rows)}</table>{more}</div>"
    )


def _more_line(count: int) -> list[str]:
    if count <= MAX_LISTED_ISSUES:
        return []
    return [f"… et {count - MAX_LISTED_ISSUES} autres : voir le fichier de retour joint."]


# -- bodies --------------------------------------------------------------------------------


def axis_intro(settings: Settings, axis: Axis, period: str, feedback: bool) -> str:
    attached = "le tableau de bord de l'axe (PDF, à imprimer ou à transférer)"
    if feedback:
        attached += " et le fichier de retour de votre groupe (Excel)"
    return (
        f"{greeting(axis.pilots)}\n\nVoici le tableau de bord de l'{axis.label} pour "
        f"{month_words(period)}, établi à partir des documents reçus par la coordination du "
        f"programme {settings.programme}. Vous trouverez en pièces jointes {attached}."
    )


def annotated_text(names: Sequence[str], folder: str, attached: bool) -> str:
    """What the pilot is told about the group's own files, marked up (« _a-corriger »)."""
    if not names:
        return ""
    listed = "\n".join(f"- {name}" for name in names)
    one = len(names) == 1
    what = "la copie annotée" if one else "les copies annotées"
    how = ("chaque cellule à revoir y est colorée et porte une note qui dit quoi faire ; "
           "la première feuille, « À corriger », en donne la liste")  # fmt: skip
    if attached:
        return f"Vous trouverez aussi en pièces jointes {what} de vos propres fichiers ({how}) :\n{listed}"
    heavy = "est trop lourde" if one else "sont trop lourdes"
    them = "vous la transmettra" if one else "vous les transmettra"
    return (
        f"{what.capitalize()} de vos propres fichiers ({how}) {heavy} pour être jointe"
        f"{'' if one else 's'} à ce courriel : la coordination {them} ; elle"
        f"{'' if one else 's'} se trouve{'' if one else 'nt'} dans le dossier {folder} :\n{listed}"
    )


def copil_intro(settings: Settings, period: str, axis_count: int) -> str:
    return (
        f"{greeting(settings.copil_recipients)}\n\nVoici la synthèse du programme "
        f"{settings.programme} pour {month_words(period)} : les {axis_count} axes côte à côte, "
        "le calendrier des comités de pilotage et les tâches les plus en retard. La synthèse "
        f"et les tableaux de bord des {axis_count} axes sont joints en PDF."
    )


def booklet_sentence(period: str, path: Path, attached: bool, max_mb: float) -> str:
    """The plan d'actions: attached, or too heavy to be with the dashboards, and then
    where it is."""
    if attached:
        return (
            f"Le plan d'actions de {month_words(period)} (livret à imprimer, avec les fiches "
            "action) est joint en PDF."
        )
    size = format_number(path.stat().st_size / 1024 / 1024, 1)
    limit = format_number(max_mb, 0 if float(max_mb).is_integer() else 1)
    return (
        f"Le plan d'actions de {month_words(period)} n'est pas joint : son PDF pèse {size} Mo "
        f"et, avec les tableaux de bord, le message dépasserait la limite de {limit} Mo des "
        f"pièces jointes (variable INNOVA_MAIL_MAX_MB). Il se trouve dans « {path} », avec "
        "sa version modifiable (DOCX) ; demandez-le à la coordination si vous n'y avez pas "
        "accès."
    )


def reminder_text(settings: Settings, axis: Axis, period: str, missing: Sequence[str]) -> str:
    listed = "\n".join(f"- {item}" for item in missing)
    if len(missing) == 1:
        what, ask = "le document suivant", "Pourriez-vous nous le transmettre"
        workbooks, sent = "le classeur complété", "Si vous l'avez déjà envoyé"
    else:
        what, ask = "les documents suivants", "Pourriez-vous nous les transmettre"
        workbooks, sent = "les classeurs complétés", "Si vous les avez déjà envoyés"
    return "\n\n".join(
        [
            greeting(axis.pilots),
            f"Sauf erreur de notre part, nous n'avons pas encore reçu pour {month_words(period)} "
            f"{what} de l'{axis.label} :\n{listed}",
            f"{ask} dès que possible, en répondant simplement à ce courriel avec {workbooks} ? "
            f"{sent}, merci de ne pas tenir compte de ce message.",
            "Merci pour votre contribution au programme.",
            signature(settings),
        ]
    )


def text_to_html(text: str) -> str:
    """Plain paragraphs as a minimal HTML page (reminders have no dashboard)."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        items = [line[2:] for line in lines if line.startswith("- ")]
        if items and len(items) == len(lines) - 1:  # « intro :\n- a\n- b » is a list
            listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
            paragraphs.append(f"<p>{html.escape(lines[0])}</p>\n<ul>{listed}</ul>")
            continue
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


def card_html(inner: str) -> str:
    """``inner`` in a white block as wide as the dashboard below it (table layout, inline
    styles: what Outlook and webmail clients render alike)."""
    return (
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="background:#F4F6F9;"><tr><td align="center" style="padding:16px 16px 0 16px;">'
        '<table role="presentation" width="860" cellpadding="0" cellspacing="0" '
        'style="background:#FFFFFF;max-width:860px;width:100%;"><tr>'
        '<td style="padding:12px 24px;font-family:Arial,Helvetica,sans-serif;font-size:14px;'
        f'color:#333333;text-align:left;">{inner}</td></tr></table></td></tr></table>'
    )


# -- pre-filled workbooks ----------------------------------------------------------------


def prefilled_text(attached: Sequence[str], named: Sequence[str], folder: str,
                   max_mb: float, *, reminder: bool) -> str:  # fmt: skip
    """What the message says of the pre-filled workbooks it carries (or cannot carry)."""
    what = (
        "les classeurs de ces documents, déjà remplis avec ce que nous avons reçu"
        if reminder else "les classeurs de votre groupe pour le mois prochain, déjà remplis "
        "avec tout ce qui a été consolidé ce mois-ci"
    )  # fmt: skip
    how = (
        "Repartez de ces fichiers : mettez à jour ce qui a changé (et la date de mise à "
        "jour), complétez ce qui manque, corrigez les cellules colorées, puis renvoyez-les "
        "sans changer leur nom."
    )
    if attached:
        listed = "\n".join(f"- {name}" for name in attached)
        return f"Vous trouverez en pièces jointes {what} :\n{listed}\n\n{how}"
    if not named:
        return ""
    listed = "\n".join(f"- {name}" for name in named)
    return (
        f"Nous avons préparé {what} ; ensemble, ils dépassent la taille permise pour un "
        f"courriel ({format_measure(max_mb, 2)} Mo) et ne sont donc pas joints. La coordination vous les "
        f"transmet par un autre moyen (ils sont dans le dossier {folder}) :\n{listed}\n\n{how}"
    )
