"""``output/index.html``: every period of the history, the archive of the months.

One row a month, newest first: its status page, its key counts (those the synthesis
draws month after month, stored with each snapshot) and its main documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from innova_reports.cockpit.markup import Markup, join, link, page, paragraph, table, tag
from innova_reports.cockpit.outputs import PeriodFiles
from innova_reports.consolidate.counts import COUNT_KEYS, COUNT_LABELS
from innova_reports.frenchfmt import count_words, format_number, month_label
from innova_reports.paths import INDEX_FILE
from innova_reports.settings import Settings


@dataclass(frozen=True)
class Month:
    period: str
    counts: dict[str, Any] | None  # key counts; None when the period has none
    files: PeriodFiles


def months_page(months: list[Month], settings: Settings) -> str:
    """The page's HTML; ``months`` in any order (shown newest first)."""
    ordered = sorted(months, key=lambda m: m.period, reverse=True)
    if ordered:
        rows = [_row(month) for month in ordered]
        content = table(
            "Les mois consolidés, du plus récent au plus ancien",
            ["Mois", *(COUNT_LABELS[k] for k in COUNT_KEYS), "Documents"],
            rows,
        )
        words = count_words(len(ordered), "mois consolidé", "mois consolidés")
    else:
        content = paragraph("Aucun mois n'a encore été consolidé.", class_="muted")
        words = "aucun mois consolidé"
    body = tag("section", join([
        tag("h2", "Tous les mois", id="mois"),
        paragraph("Chaque mois ouvre sa page d'état : chiffres, retours des groupes, "
                  "corrections, courriels. Les chiffres sont ceux de la synthèse."),
        content,
    ]), aria_labelledby="mois")  # fmt: skip
    title = f"{settings.programme} – tous les mois"
    return page(title, title, f"Historique des consolidations : {words}", body)


def _row(month: Month) -> list[object]:
    own_page = f"{month.period}/{INDEX_FILE}"
    label = month_label(month.period)
    name: Markup | str = label
    if (month.files.root / INDEX_FILE).is_file():
        name = link(own_page, label)
    counts = month.counts or {}
    values = [format_number(counts[k]) if k in counts else "–" for k in COUNT_KEYS]
    documents = [
        *month.files.master(),
        *month.files.synthesis_page(),
        *month.files.booklet(),
    ]
    links = (
        join([link(f"{month.period}/{d.path}", d.label) for d in documents], " · ")
        if documents
        else "–"
    )
    return [name, *values, links]
