"""``output/<period>/index.html``: one page linking every output of the period on disk.

It only lists files that exist, so ``run`` can call it again once the email drafts
are written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

from innova_reports.dashboards.html import FONT, band, document, esc, paragraph, section
from innova_reports.dashboards.output import write_text
from innova_reports.frenchfmt import format_long_date, format_measure, month_label
from innova_reports.paths import FICHES_DIR, booklet_docx_path, booklet_pdf_path
from innova_reports.settings import Settings


def write_index(
    period_dir: Path, settings: Settings, period: str, *, today: dt.date | None = None
) -> Path:
    """Write (or rewrite) the period's index; ``today``, when given, dates the page
    (left out by default so that re-running a month gives the same bytes)."""
    period_dir = Path(period_dir)
    boards, mail = period_dir / "tableaux", period_dir / "mail"
    subtitle = "Tous les documents produits pour ce mois"
    if today is not None:
        subtitle += f" · page mise à jour le {format_long_date(today)}"
    parts = [band(f"{settings.programme} – {month_label(period)}", subtitle)]
    coordinator = [*sorted(period_dir.glob("plan_actions_*.xlsx")), *sorted(
        p for p in period_dir.glob("*")
        if p.is_file() and p.suffix in {".html", ".txt", ".json", ".md"} and p.name != "index.html"
    )]  # fmt: skip
    copil = [*_existing(boards, ["synthese.pdf", "synthese.html"]), *_existing(mail, ["copil.eml"])]
    pictures = sorted(boards.glob("*.png"), key=_natural)
    if coordinator:
        parts.append(section("Pour la coordination : le plan d'actions",
                             _links(period_dir, coordinator)))  # fmt: skip
    booklet = _booklet_links(period_dir, period)
    if booklet:
        parts.append(
            section("Le plan d'actions : livret à imprimer, version modifiable, fiches", booklet)
        )
    if copil:
        parts.append(section("Pour le comité de pilotage : la synthèse", _links(period_dir, copil)))
    axes = _axes_table(period_dir, settings)
    if axes:
        parts.append(section("Pour chaque groupe : tableau de bord, corrections, courriels", axes))
    if pictures:
        parts.append(section("Graphiques (images PNG, à coller dans une présentation)",
                             _links(period_dir, pictures)))  # fmt: skip
    if not (coordinator or booklet or copil or axes or pictures):
        parts.append(
            section(
                "Documents",
                paragraph("Aucun document n'a encore été produit pour ce mois.", italic=True),
            )
        )
    return write_text(
        period_dir / "index.html", document(f"{settings.programme} – {period}", "".join(parts))
    )


# what each file is, in words, by its name on disk
_KINDS = (
    (re.compile(r"plan_actions_.*\.xlsx"), "classeur maître (Excel)"),
    (re.compile(r"plan_actions_.*\.pdf"), "plan d'actions à imprimer (PDF)"),
    (re.compile(r"plan_actions_.*\.docx"), "plan d'actions modifiable (Word, LibreOffice)"),
    (re.compile(r"(axe-\d+|synthese)\.pdf"), "tableau de bord à imprimer (PDF)"),
    (re.compile(r"(axe-\d+|synthese)\.html"), "tableau de bord (page web)"),
    (re.compile(r"retours/axe-\d+\.xlsx"), "corrections demandées au groupe (Excel)"),
    (re.compile(r"a-remplir/.*\.xlsx"), "classeur pré-rempli pour le mois suivant (Excel)"),
    (re.compile(r"mail/relance-.*\.eml"), "brouillon de la relance"),
    (re.compile(r"mail/.*\.eml"), "brouillon du courriel"),
)


def describe(relative: str) -> str:
    """« tableau de bord à imprimer (PDF) » for "tableaux/axe-2.pdf"; "" when unknown."""
    for pattern, words in _KINDS:
        if pattern.search(relative):
            return words
    return ""


def _booklet_links(period_dir: Path, period: str) -> str:
    """The booklet (``innova-reports booklet``): its PDF, its DOCX and the fiches folder."""
    output_dir = period_dir.parent
    files = [path for path in (booklet_pdf_path(output_dir, period),
                               booklet_docx_path(output_dir, period)) if path.is_file()]  # fmt: skip
    sheets = len(list((period_dir / FICHES_DIR).glob("*.pdf")))
    if not files and not sheets:
        return ""
    folder = (
        f'<ul style="margin:0;padding-left:20px;"><li style="{FONT}font-size:14px;margin:3px 0;">'
        f'une fiche action par PDF – <a href="fiches/" style="color:#0072B2;">fiches/</a> '
        f'<span style="color:#777777;font-size:12px;">({sheets} fichiers)</span></li></ul>'
    )
    return (_links(period_dir, files) if files else "") + (folder if sheets else "")


def _axes_table(period_dir: Path, settings: Settings) -> str:
    rows = []
    for axis in settings.axes:
        n = axis.number
        files = [
            *_existing(period_dir / "tableaux", [f"axe-{n}.pdf", f"axe-{n}.html"]),
            *_existing(period_dir / "retours", [f"axe-{n}.xlsx"]),
            *sorted((period_dir / "a-remplir" / f"axe-{n}").glob("*.xlsx"), key=_natural),
            *_existing(period_dir / "mail", [f"axe-{n}.eml", f"relance-axe-{n}.eml"]),
        ]
        if files:
            rows.append(
                f'<tr><td valign="top" style="{FONT}font-size:14px;font-weight:bold;'
                f'color:#1F3A5F;padding:8px 12px 8px 0;border-top:1px solid #DDDDDD;">'
                f'{esc(axis.label)}</td><td valign="top" style="padding:4px 0;'
                f'border-top:1px solid #DDDDDD;">{_links(period_dir, files)}</td></tr>'
            )
    if not rows:
        return ""
    return (
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0">'
        f"{''.join(rows)}</table>"
    )


def _existing(folder: Path, names: list[str]) -> list[Path]:
    return [folder / name for name in names if (folder / name).is_file()]


def _natural(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def _links(root: Path, files: list[Path]) -> str:
    items = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        size = format_measure(path.stat().st_size / 1024, 0)
        words = describe(relative)
        label = f"{words} – " if words else ""
        items.append(
            f'<li style="{FONT}font-size:14px;margin:3px 0;">{esc(label)}<a href="{esc(quote(relative))}" '
            f'style="color:#0072B2;">{esc(relative)}</a> <span style="color:#777777;font-size:12px;">'
            f"({size} Ko)</span></li>"
        )
    return f'<ul style="margin:0;padding-left:20px;">{"".join(items)}</ul>'
