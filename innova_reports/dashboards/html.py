"""Self-contained HTML pages that email clients render: tables and inline styles only.

Two variants of every page are written side by side:
- ``axe-<n>.html`` / ``synthese.html``: images embedded as base64 ``data:`` URIs, for a
  browser or an attachment;
- ``axe-<n>.cid.html`` / ``synthese.cid.html``: images referenced as ``cid:<png name>``
  (e.g. ``cid:axe-1-gantt.png``), the form most mail clients display inline. The mailer
  calls :func:`mail_body` on that file and gets the HTML with the ``{cid: png bytes}`` to
  attach as related parts (each PNG is read from the same folder).

Every text typed by a user goes through :func:`esc` (``html.escape``).

The pages are read in browsers and in mail clients, so the layout is the one every
client renders (tables, inline styles) and a small style sheet in the head only adds
what a browser or a phone app can use: the narrow screen (tiles and table rows
stacked, so that nothing scrolls sideways at 390 px) and print. Titles are real
headings (one ``h1``, then ``h2``), data tables have their header cells
(``scope="col"``), images their alternative text, and every text colour reaches the
WCAG AA contrast on its background.
"""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

from innova_reports.dashboards import style
from innova_reports.dashboards.figures import on_track_label, progress_text
from innova_reports.dashboards.output import write_text
from innova_reports.dashboards.texts import (
    NOTHING_RECEIVED,
    axes_heading,
    header_lines,
    synthesis_subtitle,
    synthesis_title,
    tile_items,
)
from innova_reports.frenchfmt import format_date, format_share, month_label, number_words
from innova_reports.settings import Settings
from innova_reports.views import AxisView

FONT = "font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;"
MUTED = "#595959"  # 7.0:1 on white, 6.4:1 on the tiles' #F4F6F9
CELL = f"{FONT}font-size:13px;color:#333333;padding:6px 8px;border-bottom:1px solid #E3E3E3;overflow-wrap:break-word;"
HEAD = f"{FONT}font-size:12px;color:#1F3A5F;font-weight:bold;padding:6px 8px;text-align:left;border-bottom:2px solid #999999;"
# what a browser or a phone's mail app adds to the inline layout: narrow screens, print
STYLE = (
    "@media (max-width:600px){"
    ".page-pad{padding:12px 8px!important}"
    ".band{padding:14px 12px!important}"
    ".section-pad{padding-left:12px!important;padding-right:12px!important}"
    ".tile{display:block!important;width:auto!important;margin-bottom:8px}"
    ".tile-gap{display:none!important}"
    ".data,.data tbody,.data tr,.data td{display:block!important;width:auto!important}"
    ".data thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
    ".data tr{border-bottom:1px solid #E3E3E3;padding:4px 0}"
    ".data td{border:0!important;padding:2px 0!important}"
    '.data td[data-label]::before{content:attr(data-label) " : ";font-weight:bold;color:#1F3A5F}'
    "}"
    "@media print{body,.page-bg{background:#FFFFFF!important}"
    ".band{background:#FFFFFF!important;border-bottom:2px solid #000000}"
    ".band h1,.band div{color:#000000!important}"
    "tr{break-inside:avoid}h2{break-after:avoid}}"
)
CID_PATTERN = re.compile(r'src="cid:([^"]+)"')


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def write_pair(path: Path, text: str) -> Path:
    return write_text(path, text)


def mail_body(cid_html_path: Path) -> tuple[str, dict[str, bytes]]:
    """The ``.cid.html`` page and the PNG bytes of every ``cid:`` it references."""
    path = Path(cid_html_path)
    text = path.read_text(encoding="utf-8")
    images = {cid: (path.parent / cid).read_bytes() for cid in CID_PATTERN.findall(text)}
    return text, images


# -- building blocks -----------------------------------------------------------------------


def document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f'<body class="page-bg" style="margin:0;padding:0;background:#F4F6F9;">'
        '<table role="presentation" class="page-bg" width="100%" cellpadding="0" cellspacing="0" '
        'style="background:#F4F6F9;"><tr><td align="center" class="page-pad" style="padding:16px;">'
        '<table role="presentation" width="860" cellpadding="0" cellspacing="0" '
        f'style="background:#FFFFFF;max-width:860px;width:100%;">{body}</table>'
        "</td></tr></table></body></html>\n"
    )


def band(title: str, subtitle: str) -> str:
    return (
        f'<tr><td class="band" style="background:{style.BAND};padding:18px 24px;">'
        f'<h1 style="{FONT}font-size:22px;line-height:1.25;font-weight:bold;color:#FFFFFF;'
        f'margin:0;">{esc(title)}</h1>'
        f'<div style="{FONT}font-size:13px;color:#DCE6F2;padding-top:4px;">{esc(subtitle)}</div>'
        "</td></tr>"
    )


def section(title: str, content: str) -> str:
    return (
        f'<tr><td class="section-pad" style="padding:14px 24px 4px 24px;">'
        f'<h2 style="{FONT}font-size:16px;font-weight:bold;color:{style.BAND};margin:0;">'
        f"{esc(title)}</h2></td></tr>"
        f'<tr><td class="section-pad" style="padding:4px 24px 10px 24px;">{content}</td></tr>'
    )


def paragraph(text: str, italic: bool = False) -> str:
    slant = "font-style:italic;" if italic else ""
    return f'<p style="{FONT}font-size:13px;color:#333333;margin:4px 0;{slant}">{esc(text)}</p>'


def table(
    headers: list[str], rows: list[list[str]], colours: list[str | None] | None = None
) -> str:
    """A data table; ``colours`` marks a row with a side bar (its text says the same).

    Each cell carries its column's name (``data-label``): a narrow screen shows the
    rows one under the other, each value after its name."""
    head = "".join(f'<th scope="col" style="{HEAD}">{esc(h)}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        colour = colours[index] if colours else None
        mark = f"border-left:5px solid {colour};padding-left:8px;" if colour else ""
        cells = "".join(
            f'<td data-label="{esc(headers[position])}" '
            f'style="{CELL}{mark if position == 0 else ""}">{esc(cell)}</td>'
            for position, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        '<table class="data" width="100%" cellpadding="0" cellspacing="0" '
        f'style="border-collapse:collapse;"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def tiles(items: list[tuple[str, str, str, str | None]]) -> str:
    cells = []
    for value, label, detail, colour in items:
        border = f"border-left:6px solid {colour};" if colour else "border-left:6px solid #F4F6F9;"
        cells.append(
            f'<td class="tile" width="{100 // len(items)}%" valign="top" '
            f'style="background:#F4F6F9;{border}padding:10px 12px;">'
            f'<div style="{FONT}font-size:12px;color:#333333;">{esc(label)}'
            f'</div><div style="{FONT}font-size:26px;font-weight:bold;color:{style.BAND};">'
            f'{esc(value)}</div><div style="{FONT}font-size:11px;color:{MUTED};">{esc(detail)}'
            "</div></td>"
        )
    spacer = '<td class="tile-gap" width="8" style="font-size:1px;">&nbsp;</td>'
    return (
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>'
        f"{spacer.join(cells)}</tr></table>"
    )


def image(name: str, data: bytes, alt: str, mode: str) -> str:
    """``mode`` "data" embeds the PNG; "cid" references it for a multipart email."""
    if mode == "cid":
        source = f"cid:{name}"
    else:
        source = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return (
        f'<img src="{source}" alt="{esc(alt)}" width="812" '
        'style="display:block;width:100%;max-width:812px;height:auto;border:0;">'
    )


# -- the axis page -------------------------------------------------------------------------


def axis_documents(view: AxisView, settings: Settings, images: dict[str, bytes]) -> tuple[str, str]:
    """The axis page with embedded images, and the same page with ``cid:`` references."""
    return tuple(axis_html(view, settings, images, mode) for mode in ("data", "cid"))  # type: ignore[return-value]


def axis_html(
    view: AxisView, settings: Settings, images: dict[str, bytes], mode: str = "data"
) -> str:
    stem = f"axe-{view.number}"
    subtitle = f"{settings.programme} · tableau de bord de l'axe · {month_label(view.period)}"
    parts = [band(view.label, subtitle)]
    parts.append(section("En bref", "".join(paragraph(line) for line in header_lines(view))
                         + tiles(tile_items(view))))  # fmt: skip
    if view.is_empty:
        parts.append(section("Actions", paragraph(NOTHING_RECEIVED, italic=True)))
        return document(view.label, "".join(parts))
    parts.append(section("Actions : statut et météo", _actions_table(view)))

    def chart(key: str, title: str, alt: str, missing: str) -> None:
        content = image(f"{stem}-{key}.png", images[key], alt, mode) if key in images else \
            paragraph(missing, italic=True)  # fmt: skip
        parts.append(section(title, content))

    chart("indicateurs", "Indicateurs : progression vers la cible", _indicator_alt(view),
          "Aucun indicateur n'a été déclaré dans les fiches action reçues.")  # fmt: skip
    chart("tendances", "Évolution mensuelle des indicateurs", "Courbes mensuelles des indicateurs",
          "Aucun indicateur à suivre.")  # fmt: skip
    chart("taches", "Tâches par action", "Nombre de tâches par statut et par action",
          "Aucune tâche n'a été saisie dans les fiches action reçues.")  # fmt: skip
    chart("gantt", "Calendrier des tâches", "Diagramme de Gantt des tâches",
          "Aucune tâche datée.")  # fmt: skip
    parts.append(section(f"Tâches en retard ({len(view.late_tasks)})",
                         _task_table(view.late_tasks, "Aucune tâche en retard à la date du point.")))  # fmt: skip
    parts.append(section(f"Tâches à échéance dans les 30 prochains jours ({len(view.upcoming_tasks)})",
                         _task_table(view.upcoming_tasks, "Aucune tâche n'arrive à échéance dans les 30 prochains jours.")))  # fmt: skip
    parts.append(section("Actions annoncées sans fiche action", _announced(view)))
    parts.append(section("Ce qui a changé depuis le mois dernier", _changes(view)))
    parts.append(section("Complétude des modèles", _completeness(view)))
    return document(view.label, "".join(parts))


def _actions_table(view: AxisView) -> str:
    if not view.actions:
        return paragraph("Aucune fiche action reçue pour le moment.", italic=True)
    rows = [[a.code, a.title, a.status or "–", a.weather or "–", f"{a.tasks_done} / {a.tasks_total}",
             str(a.tasks_late), format_share(a.completeness)] for a in view.actions]  # fmt: skip
    colours = [style.WEATHER_COLOURS.get(a.weather) for a in view.actions]
    return table(["Code", "Action", "Statut", "Météo", "Tâches faites", "En retard", "Complétude"],
                 rows, colours)  # fmt: skip


def _indicator_alt(view: AxisView) -> str:
    return " ; ".join(f"{i.action} {i.name} : {progress_text(i)}, {on_track_label(i)}"
                      for i in view.indicators[:20])  # fmt: skip


def _task_table(tasks, empty: str) -> str:
    if not tasks:
        return paragraph(empty, italic=True)
    rows = [[t.action, t.name, t.owner or "–", format_date(t.end) or "–", t.status or "–"]
            for t in tasks]  # fmt: skip
    return table(["Action", "Tâche", "Responsable", "Fin prévue", "Statut"], rows)


def _announced(view: AxisView) -> str:
    if not view.announced_without_sheet:
        return paragraph("Toutes les actions annoncées ont leur fiche action.", italic=True)
    return table(
        ["Code", "Intitulé annoncé"], [list(item) for item in view.announced_without_sheet]
    )


def _changes(view: AxisView) -> str:
    if not view.changes:
        return paragraph("Aucun changement depuis le mois précédent (ou premier mois consolidé).",
                         italic=True)  # fmt: skip
    keys = ("code_action", "objet", "changement", "avant", "apres", "detail")
    return table(["Action", "Objet", "Changement", "Avant", "Après", "Détail"],
                 [[c.get(k, "") for k in keys] for c in view.changes])  # fmt: skip


def _completeness(view: AxisView) -> str:
    if not view.completeness:
        return paragraph("Aucun document attendu n'est connu pour cet axe.", italic=True)
    rows = [[c["document"], c["code"] or "–", c["intitule"] or "–", c["etat"],
             format_share(c["completude"])] for c in view.completeness]  # fmt: skip
    return table(["Document", "Code", "Intitulé", "Retour", "Complétude"], rows)


# -- the synthesis page ------------------------------------------------------------------------


def synthesis_documents(view, images: dict[str, bytes]) -> tuple[str, str]:
    return tuple(synthesis_html(view, images, mode) for mode in ("data", "cid"))  # type: ignore[return-value]


def synthesis_html(view, images: dict[str, bytes], mode: str = "data") -> str:
    """``view`` is a synthesis.SynthesisView."""
    parts = [band(synthesis_title(view), synthesis_subtitle(view))]
    rows = []
    colours = []
    for axis in view.axes:
        t = axis.tiles
        received = "rien reçu" if axis.is_empty else f"{t.actions_received} / {t.actions_announced}"
        rows.append([axis.label, received, f"{t.tasks_done} / {t.tasks_total}", str(t.tasks_late),
                     f"{t.indicators_on_track} / {t.indicators_total}", t.weather or "–"])  # fmt: skip
        colours.append(style.WEATHER_COLOURS.get(t.weather))
    headers = ["Axe", "Fiches reçues / annoncées", "Tâches faites", "En retard",
               "Indicateurs dans la trajectoire", "Météo"]  # fmt: skip
    parts.append(section(axes_heading(len(view.axes)), table(headers, rows, colours)))
    for key, heading, alt in (
        (
            "axes",
            "Les axes en un coup d'œil",
            f"Compteurs et météo des {number_words(len(view.axes))} axes",
        ),
        (
            "calendrier",
            "Calendrier du programme",
            "Jalons des axes, comités de pilotage et date du point",
        ),
        ("evolution", "Évolution des compteurs clés", "Compteurs clés mois après mois"),
    ):
        if key in images:
            parts.append(section(heading, image(f"synthese-{key}.png", images[key], alt, mode)))
        elif key == "evolution":
            parts.append(section(heading, paragraph(
                "Premier mois consolidé : l'évolution des compteurs apparaîtra dès le mois prochain.",
                italic=True)))  # fmt: skip
    if view.overdue:
        overdue = table(["Axe", "Action", "Tâche", "Responsable", "Fin prévue", "Retard"],
                        [[str(axis), t.action, t.name, t.owner or "–", format_date(t.end) or "–",
                          f"{days} jours"] for days, axis, t in view.overdue])  # fmt: skip
    else:
        overdue = paragraph(
            "Aucune tâche en retard dans le programme à la date du point.", italic=True
        )
    parts.append(section("Tâches les plus en retard", overdue))
    return document(synthesis_title(view), "".join(parts))
