"""``output/<period>/index.html``: the coordinator's month at a glance.

Top to bottom: the programme's figures (those of the synthesis) and how they moved
since the previous month, the axes side by side, the programme's documents; the files
refused or of no axis; then each axis: what came in (with its date and file), what is
still expected, what must be fixed (with the feedback list and the annotated copies),
its emails and their state, its documents. Only files present on disk are linked.
"""

from __future__ import annotations

import datetime as dt

from innova_reports.cockpit.emails import NOT_WRITTEN, MessageState
from innova_reports.cockpit.markup import (
    Markup,
    anchor,
    bullets,
    join,
    link,
    page,
    paragraph,
    state,
    table,
    tag,
)
from innova_reports.cockpit.outputs import Link, PeriodFiles
from innova_reports.cockpit.status import AxisStatus, Document, FileProblem, PeriodStatus
from innova_reports.consolidate.counts import COUNT_KEYS, COUNT_LABELS
from innova_reports.fields import ACTION, WEATHERS
from innova_reports.frenchfmt import (
    count_words,
    format_long_date,
    format_long_datetime,
    format_number,
    month_label,
)
from innova_reports.mail.ledger import SENT
from innova_reports.paths import INDEX_FILE
from innova_reports.rules import ON_TRACK_DEFINITION
from innova_reports.settings import Settings

MONTHS_PAGE = f"../{INDEX_FILE}"


def period_page(
    status: PeriodStatus,
    settings: Settings,
    files: PeriodFiles,
    messages: dict[int | None, list[MessageState]],
    *,
    today: dt.date | None = None,
) -> str:
    """The page's HTML; ``messages``: each axis' emails (key None: the copil's)."""
    month = month_label(status.period)
    subtitle = f"Point au {format_long_date(status.reporting_date)}"
    if today is not None:
        subtitle += f" · page mise à jour le {format_long_date(today)}"
    sections = [
        _programme(status, settings, files, messages),
        _problems(status.problems, files),
        *(_axis(axis, files, messages.get(axis.axis.number, [])) for axis in status.axes),
    ]
    footer = tag("footer", paragraph(join([
        link(MONTHS_PAGE, "Tous les mois consolidés"),
        " · page produite par innova-reports à chaque consolidation, tableau de bord et envoi",
    ])))  # fmt: skip
    return page(
        f"{settings.programme} – état du mois de {month}",
        f"{settings.programme} – état du mois de {month}",
        subtitle,
        join([*sections, footer]),
        nav=_contents(status),
    )


def _contents(status: PeriodStatus) -> Markup:
    items = [
        anchor("chiffres", "Les chiffres du programme"),
        anchor("fichiers", "Fichiers refusés ou sans axe"),
        *(anchor(f"axe-{a.axis.number}", f"Axe {a.axis.number}") for a in status.axes),
        link(MONTHS_PAGE, "Tous les mois"),
    ]
    return tag("nav", bullets(items), aria_label="Sommaire")


def _section(fragment: str, title: str, *content: object) -> Markup:
    return tag("section", join([tag("h2", title, id=fragment), *content]),
               aria_labelledby=fragment)  # fmt: skip


# -- the programme -------------------------------------------------------------------


def _programme(
    status: PeriodStatus,
    settings: Settings,
    files: PeriodFiles,
    messages: dict[int | None, list[MessageState]],
) -> Markup:
    return _section(
        "chiffres",
        "Les chiffres du programme",
        paragraph(
            "Les mêmes chiffres que la synthèse pour le comité de pilotage et que la "
            "feuille « Synthèse » du plan d'actions.",
            class_="muted",
        ),
        _figures(status, len(settings.axes)),
        paragraph(ON_TRACK_DEFINITION, class_="muted"),
        tag("h3", "Par rapport au mois précédent"),
        _comparison(status),
        tag("h3", "Les axes en un coup d'œil"),
        _overview(status, messages),
        tag("h3", "Documents du programme"),
        _links(
            files.programme(),
            "Aucun document du programme n'a encore été produit.",
            pictures=files.synthesis_pictures(),
        ),
        tag("h3", "Courriel au comité de pilotage"),
        _messages_table("Courriel au comité de pilotage", messages.get(None, []), files),
    )


def _figures(status: PeriodStatus, axis_count: int) -> Markup:
    counts, headline = status.headline.counts, status.headline
    red, *others = reversed(WEATHERS)
    weathers = ", ".join(f"{counts.weathers.get(w, 0)} en « {w} »" for w in others)
    severities = headline.severities
    items = [
        ("roadmaps_received", "Feuilles de route reçues", counts.roadmaps_received,
         f"sur {axis_count} axes"),
        ("actions_received", COUNT_LABELS["actions_received"], counts.actions_received,
         f"sur {format_number(counts.actions_announced)} actions annoncées"),
        ("tasks_done", COUNT_LABELS["tasks_done"], counts.tasks_done,
         f"sur {format_number(counts.tasks)} tâches"),
        ("tasks_late", COUNT_LABELS["tasks_late"], counts.tasks_late,
         "ni faites ni abandonnées, date de fin dépassée"),
        ("indicators_on_track", COUNT_LABELS["indicators_on_track"], counts.indicators_on_track,
         f"sur {format_number(counts.indicators)} indicateurs, dont "
         f"{format_number(counts.indicators_measured)} avec au moins une valeur"),
        ("weather_red", f"Actions en météo « {red} »", counts.weathers.get(red, 0), weathers),
        ("errors", "Erreurs relevées", severities["erreur"],
         f"et {count_words(severities['avertissement'], 'avertissement')}"),
    ]  # fmt: skip
    return tag("dl", join(
        tag("div", join([
            tag("dt", label),
            tag("dd", join([tag("span", format_number(value), class_="value"),
                            tag("span", detail, class_="detail")])),
        ]), class_="figure", data_key=key)
        for key, label, value, detail in items
    ), class_="figures")  # fmt: skip


def _comparison(status: PeriodStatus) -> Markup:
    headline = status.headline
    if headline.previous_counts is None or headline.previous_period is None:
        return paragraph(
            "Premier mois consolidé : la comparaison apparaîtra dès le mois suivant.",
            class_="muted",
        )
    rows = []
    for key in COUNT_KEYS:
        now, before = headline.key_counts.get(key, 0), headline.previous_counts.get(key, 0)
        rows.append([COUNT_LABELS[key], format_number(now), format_number(before),
                     _change(now - before)])  # fmt: skip
    return table(
        f"Chiffres clés de {month_label(status.period)} et de "
        f"{month_label(headline.previous_period)}",
        ["Chiffre", month_label(status.period), month_label(headline.previous_period),
         "Évolution"],
        rows,
    )  # fmt: skip


def _change(difference: int) -> str:
    if difference == 0:
        return "inchangé"
    sign = "+" if difference > 0 else "\u2212"  # a true minus sign
    return f"{sign}{format_number(abs(difference))}"


def _overview(status: PeriodStatus, messages: dict[int | None, list[MessageState]]) -> Markup:
    rows = []
    for axis in status.axes:
        number = axis.axis.number
        roadmap = next((d for d in axis.documents if d.kind != ACTION), None)
        if roadmap is not None and roadmap.received:
            roadmap_text = f"reçue, mise à jour le {format_long_date(roadmap.updated)}" \
                if roadmap.updated else "reçue"  # fmt: skip
        else:
            roadmap_text = roadmap.state if roadmap is not None and roadmap.state else "non reçue"
        main = next(iter(messages.get(number, [])), None)
        rows.append([
            anchor(f"axe-{number}", axis.axis.label),
            roadmap_text,
            f"{axis.counts.actions_received} / {axis.counts.actions_announced}",
            _to_fix(axis.severities),
            _message_state(main) if main else "–",
        ])  # fmt: skip
    return table("Les axes en un coup d'œil",
                 ["Axe", "Feuille de route", "Fiches action reçues / annoncées", "À corriger",
                  "Courriel aux pilotes"], rows)  # fmt: skip


def _to_fix(severities: dict[str, int]) -> str:
    errors, warnings = severities["erreur"], severities["avertissement"]
    if not errors and not warnings:
        return "rien"
    return f"{count_words(errors, 'erreur')}, {count_words(warnings, 'avertissement')}"


# -- files refused or of no axis -----------------------------------------------------


def _problems(problems: list[FileProblem], files: PeriodFiles) -> Markup:
    copies = files.annotated(None)
    if not problems:
        content = paragraph(
            "Aucun : chaque fichier trouvé a été consolidé et attribué à un axe.", class_="muted"
        )
    else:
        rows = [[
            p.file, "–" if p.axis is None else str(p.axis), p.status or "–", p.reason or "–",
            format_number(p.errors), format_number(p.warnings),
        ] for p in problems]  # fmt: skip
        content = join([
            paragraph("Fichiers trouvés dans le dossier des classeurs que la consolidation "
                      "n'a pas retenus, ou dont les problèmes ne se rattachent à aucun axe. "
                      "Le motif dit quoi faire."),
            table("Fichiers refusés ou sans axe",
                  ["Fichier", "Axe", "État", "Motif", "Erreurs", "Avertissements"], rows),
        ])  # fmt: skip
    if copies:
        content = join([content, tag("h3", "Copies annotées des fichiers sans axe"),
                        _links(copies, "")])  # fmt: skip
    return _section("fichiers", "Fichiers refusés ou sans axe", content)


# -- one axis ------------------------------------------------------------------------


def _axis(axis: AxisStatus, files: PeriodFiles, messages: list[MessageState]) -> Markup:
    number = axis.axis.number
    counts = axis.counts
    weathers = ", ".join(f"{counts.weathers[w]} en « {w} »" for w in WEATHERS
                         if counts.weathers.get(w))  # fmt: skip
    facts = [
        f"Groupe : {axis.group or 'feuille de route non reçue'}",
        f"Pilote : {axis.pilot or '–'}",
        f"{COUNT_LABELS['actions_received']} : {counts.actions_received} / "
        f"{counts.actions_announced} annoncées",
        f"{COUNT_LABELS['tasks_done']} : {counts.tasks_done} / {counts.tasks}, "
        f"dont {counts.tasks_late} en retard",
        f"{COUNT_LABELS['indicators_on_track']} : {counts.indicators_on_track} / "
        f"{counts.indicators}",
        f"Météo des actions : {weathers or 'aucune'}",
    ]
    fixes = _to_fix(axis.severities)
    return _section(
        f"axe-{number}",
        axis.axis.label,
        bullets(facts, class_="facts"),
        tag("h3", "Documents reçus"),
        _received(axis, files),
        tag("h3", "Documents attendus, pas encore reçus"),
        _missing(axis.missing, files),
        tag("h3", "À corriger"),
        paragraph(
            "Rien à corriger : aucune erreur ni aucun avertissement."
            if fixes == "rien"
            else f"Relevé dans les fichiers de l'axe : {fixes}. La liste des corrections "
            "et les copies annotées sont pour le groupe (le courriel aux pilotes les joint)."
        ),
        _links([*files.feedback(number), *files.annotated(number)], ""),
        tag("h3", "Courriels"),
        _messages_table(f"Courriels de l'axe {number}", messages, files),
        tag("h3", "Documents de l'axe"),
        _links(
            [
                *files.dashboards(number),
                *files.sheets(axis.codes),
                *files.prefilled(number, axis.codes),
            ],
            "Aucun document produit pour cet axe pour le moment.",
            pictures=files.pictures(number),
        ),
    )


def _received(axis: AxisStatus, files: PeriodFiles) -> Markup:
    if not axis.received:
        return paragraph("Aucun document reçu pour cet axe ce mois-ci.", class_="muted")
    rows = [[
        _document_name(d), d.title or "–", format_long_date(d.updated) or "–",
        _file(d.file, files), format_number(d.errors), format_number(d.warnings),
    ] for d in axis.received]  # fmt: skip
    return table(f"Documents reçus de l'axe {axis.axis.number}",
                 ["Document", "Intitulé", "Mise à jour", "Fichier lu", "Erreurs",
                  "Avertissements"], rows)  # fmt: skip


def _document_name(document: Document) -> str:
    return f"{document.label} {document.code}" if document.code else document.label


def _file(name: str, files: PeriodFiles) -> Markup | str:
    """The file's name, linked to the copy the consolidation archived when present."""
    archived = files.archived(name)
    return link(archived[0].path, name) if archived else name or "–"


def _missing(documents: list[Document], files: PeriodFiles) -> Markup:
    """Each document expected and not returned for the period, with its state: not
    received, or not updated since a date (its file, still consolidated, linked)."""
    if not documents:
        return paragraph("Tous les documents attendus ont été reçus.", class_="muted")
    items = []
    for d in documents:
        name = f"{_document_name(d)} « {d.title} »" if d.title and d.code else _document_name(d)
        words: list[object] = [f"{name} : {d.state}"]
        if d.file:
            words += [" (", _file(d.file, files), ")"]
        items.append(join(words))
    return bullets(items)


def _messages_table(caption: str, messages: list[MessageState], files: PeriodFiles) -> Markup:
    if not messages:
        return paragraph("Aucun courriel.", class_="muted")
    rows = []
    for message in messages:
        draft = files.draft(message.key)
        rows.append([
            message.label,
            _message_state(message),
            _recipients(message),
            join([link(d.path, d.label) for d in draft]) if draft else "–",
        ])  # fmt: skip
    return table(caption, ["Message", "État", "Destinataires", "Brouillon"], rows)


def _message_state(message: MessageState) -> Markup:
    when = message.when
    if isinstance(when, dt.datetime):
        date = f" le {format_long_datetime(when)}"
    elif isinstance(when, dt.date):
        date = f" écrit le {format_long_date(when)}"
    else:
        date = ""
    if message.state == NOT_WRITTEN:
        return state(message.state, message.kind)
    return join([state(message.state, message.kind), date])


def _recipients(message: MessageState) -> Markup | str:
    if not message.addresses:
        return ", ".join(message.recipients) or "–"
    items = []
    for address in message.addresses:
        words = [address.address]
        if message.mixed or (address.answer and address.state != SENT):
            words.append(f" : {address.state}")
            if address.answer:
                words.append(f" ({address.answer})")
        items.append("".join(words))
    return bullets(items)


def _links(links: list[Link], empty: str, *, pictures: list[Link] | None = None) -> Markup:
    """One item per file: what it is (the link), then its path; ``pictures`` go on one
    item of their own (« Graphiques en images PNG : … »)."""
    items = [
        join([link(item.path, item.label), " ", tag("span", item.path, class_="path")])
        for item in links
    ]
    if pictures:
        charts = join([link(item.path, item.label) for item in pictures], " · ")
        items.append(join(["Graphiques en images PNG : ", charts]))
    if not items:
        return paragraph(empty, class_="muted") if empty else Markup("")
    return bullets(items)
