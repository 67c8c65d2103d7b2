"""``output/<period>/index.html``: one page linking every output of the period on disk.

It only lists files that exist, so ``run`` can call it again once the email drafts
are written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

from innova_reports.dashboards import style
from innova_reports.dashboards.html import FONT, band, document, esc, paragraph, section
from innova_reports.dashboards.output import write_text
from innova_reports.fields import month_label
from innova_reports.settings import Settings


def write_index(
    period_dir: Path, settings: Settings, period: str, *, today: dt.date | None = None
) -> Path:
    """Write (or rewrite) the period's index; ``today``, when given, dates the page
    (left out by default so that re-running a month gives the same bytes)."""
    period_dir = Path(period_dir)
    groups = [
        ("Plan d'actions (classeur maître)", sorted(period_dir.glob("plan_actions_*.xlsx"))),
        ("Synthèse pour le comité de pilotage", _existing(period_dir / "tableaux", ["synthese.pdf", "synthese.html"])),
        ("Tableaux de bord des axes", _axis_files(period_dir / "tableaux", settings)),
        ("Retours aux groupes (ce qu'il faut corriger)", sorted((period_dir / "retours").glob("*.xlsx"), key=_natural)),
        ("Rapport de contrôle", sorted(p for p in period_dir.glob("*") if p.is_file() and p.suffix in {".html", ".txt", ".json", ".md"} and p.name != "index.html")),
        ("Graphiques (images PNG)", sorted((period_dir / "tableaux").glob("*.png"), key=_natural)),
        ("Brouillons de courriels", sorted((period_dir / "mail").glob("*.eml"))),
    ]  # fmt: skip
    subtitle = "Tous les documents produits pour ce mois"
    if today is not None:
        subtitle += f" · page mise à jour le {style.french_date(today)}"
    parts = [band(f"{settings.programme} – {month_label(period)}", subtitle)]
    for heading, files in groups:
        if files:
            parts.append(section(heading, _links(period_dir, files)))
    if not any(files for _, files in groups):
        parts.append(
            section(
                "Documents",
                paragraph("Aucun document n'a encore été produit pour ce mois.", italic=True),
            )
        )
    return write_text(
        period_dir / "index.html", document(f"{settings.programme} – {period}", "".join(parts))
    )


def _existing(folder: Path, names: list[str]) -> list[Path]:
    return [folder / name for name in names if (folder / name).is_file()]


def _axis_files(folder: Path, settings: Settings) -> list[Path]:
    files = []
    for number in settings.axis_numbers:
        files += _existing(folder, [f"axe-{number}.pdf", f"axe-{number}.html"])
    return files


def _natural(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def _links(root: Path, files: list[Path]) -> str:
    items = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        size = style.french_number(path.stat().st_size / 1024, 0)
        items.append(
            f'<li style="{FONT}font-size:14px;margin:3px 0;"><a href="{esc(quote(relative))}" '
            f'style="color:#0072B2;">{esc(relative)}</a> <span style="color:#777777;font-size:12px;">'
            f"({size} Ko)</span></li>"
        )
    return f'<ul style="margin:0;padding-left:20px;">{"".join(items)}</ul>'
