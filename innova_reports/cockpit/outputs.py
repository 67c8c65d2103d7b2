"""The outputs of a period on disk, by the names of the contract (DESIGN.md), each
taken from the stage that writes it (``paths``, ``annotate.copies``, ``booklet.fiches``,
``template.prefill``).

The status page links a file only when it exists at the moment the page is written
(the pipeline rewrites the page after each step), so every link opens something.
Each method returns ``Link``s, relative to the period's folder, in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from innova_reports.consolidate.archive import archived_copy
from innova_reports.fields import ACTION, ROADMAP
from innova_reports.paths import (
    ANNOTATED_SUFFIX,
    ARCHIVE_DIR,
    DASHBOARDS_DIR,
    FEEDBACK_DIR,
    FICHES_DIR,
    MAIL_DIR,
    PREFILL_DIR,
    axis_folder,
    booklet_docx_path,
    booklet_pdf_path,
    master_path,
    prefilled_file,
    sheet_pdf_name,
)
from innova_reports.rules import action_code_key

# the charts of the dashboards (``tableaux/axe-<n>-<chart>.png``, ``synthese-<chart>.png``)
CHART_NAMES = {
    "indicateurs": "progression des indicateurs", "tendances": "évolution des indicateurs",
    "taches": "tâches par action", "gantt": "calendrier des tâches",
    "axes": "les axes côte à côte", "calendrier": "calendrier du programme",
    "evolution": "évolution des chiffres clés",
}  # fmt: skip


@dataclass(frozen=True)
class Link:
    """A file of the period: what it is, in French, and where (relative to the period)."""

    label: str
    path: str  # POSIX, relative to the period's folder


class PeriodFiles:
    """What exists in ``output/<period>/``."""

    def __init__(self, period_dir: Path, period: str) -> None:
        self.root = Path(period_dir)
        self.period = period

    def _existing(self, items: Iterable[tuple[str, str]]) -> list[Link]:
        return [Link(label, path) for label, path in items if (self.root / path).is_file()]

    def _folder(self, folder: str, pattern: str) -> list[str]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        found = [p for p in directory.glob(pattern) if p.is_file() and not _temporary(p)]
        return [f"{folder}/{p.name}" for p in sorted(found, key=lambda p: _natural(p.name))]

    # -- the programme ---------------------------------------------------------------

    def programme(self) -> list[Link]:
        """The master workbook, the booklet, the synthesis for the copil."""
        return self._existing([
            ("Plan d'actions : classeur maître (Excel)", self._own(master_path)),
            ("Plan d'actions : livret à imprimer (PDF)", self._own(booklet_pdf_path)),
            ("Plan d'actions : version modifiable (Word, LibreOffice)",
             self._own(booklet_docx_path)),
            ("Synthèse pour le comité de pilotage (page web)", f"{DASHBOARDS_DIR}/synthese.html"),
            ("Synthèse pour le comité de pilotage (PDF)", f"{DASHBOARDS_DIR}/synthese.pdf"),
        ])  # fmt: skip

    def _own(self, path_of) -> str:
        """A file named by ``paths`` (``path_of(output_dir, period)``), relative here."""
        return path_of(self.root.parent, self.period).relative_to(self.root).as_posix()

    def synthesis_pictures(self) -> list[Link]:
        return self._pictures("synthese")

    def master(self) -> list[Link]:
        return self._existing([("Plan d'actions (Excel)", self._own(master_path))])

    def synthesis_page(self) -> list[Link]:
        return self._existing([("Synthèse (page web)", f"{DASHBOARDS_DIR}/synthese.html")])

    def booklet(self) -> list[Link]:
        return self._existing([("Livret (PDF)", self._own(booklet_pdf_path))])

    # -- one axis ----------------------------------------------------------------------

    def dashboards(self, axis: int) -> list[Link]:
        return self._existing([
            ("Tableau de bord (page web)", f"{DASHBOARDS_DIR}/axe-{axis}.html"),
            ("Tableau de bord à imprimer (PDF)", f"{DASHBOARDS_DIR}/axe-{axis}.pdf"),
        ])  # fmt: skip

    def pictures(self, axis: int) -> list[Link]:
        """The charts of the axis' dashboard as PNG images (to paste in a slide)."""
        return self._pictures(f"axe-{axis}")

    def _pictures(self, stem: str) -> list[Link]:
        order = list(CHART_NAMES)  # the dashboard's order, then any other chart by name
        links = []
        for path in self._folder(DASHBOARDS_DIR, f"{stem}-*.png"):
            chart = Path(path).stem.removeprefix(f"{stem}-")
            links.append((order.index(chart) if chart in order else len(order), chart, path))
        return [Link(CHART_NAMES.get(chart, chart), path) for _, chart, path in sorted(links)]

    def feedback(self, axis: int) -> list[Link]:
        return self._existing(
            [("Liste des corrections (Excel)", f"{FEEDBACK_DIR}/axe-{axis}.xlsx")]
        )

    def annotated(self, axis: int | None) -> list[Link]:
        """The group's own files with every problem cell marked (``None``: the files of
        no known axis)."""
        folder = f"{FEEDBACK_DIR}/{axis_folder(axis)}"
        return [
            Link("Copie annotée", path)
            for path in self._folder(folder, f"*{ANNOTATED_SUFFIX}.*")
            if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".ods")
        ]

    def sheets(self, codes: Iterable[str]) -> list[Link]:
        """The booklet's PDF of each action sheet of ``codes`` (named by the booklet)."""
        return self._existing(
            (f"Fiche action {code} (PDF)", f"{FICHES_DIR}/{sheet_pdf_name(code, set())}")
            for code in sorted(set(codes), key=action_code_key)
            if code
        )

    def prefilled(self, axis: int, codes: Iterable[str] = ()) -> list[Link]:
        """Next month's workbooks of the axis (``innova-reports prefill``): its roadmap,
        then the sheet of each action of ``codes``, then any other workbook there."""
        folder = f"{PREFILL_DIR}/axe-{axis}"
        known = [("Feuille de route pré-remplie", prefilled_file(ROADMAP, axis))] + [
            (f"Fiche action {code} pré-remplie", prefilled_file(ACTION, axis, code))
            for code in sorted(set(codes), key=action_code_key)
        ]
        links = self._existing((label, f"{PREFILL_DIR}/{path}") for label, path in known)
        named = {link.path for link in links}
        others = [p for p in self._folder(folder, "*.xlsx") if p not in named]
        return links + [Link("Classeur pré-rempli", path) for path in others]

    def draft(self, key: str) -> list[Link]:
        return self._existing([("Brouillon (.eml)", f"{MAIL_DIR}/{key}.eml")])

    def archived(self, name: str) -> list[Link]:
        """The copy of a returned file that the consolidation archived."""
        if not name:
            return []
        copy = archived_copy(self.root / ARCHIVE_DIR, name)
        if not copy.is_file():
            return []
        return [Link(Path(name).name, copy.relative_to(self.root).as_posix())]


def _temporary(path: Path) -> bool:
    """An atomic write in progress (``.<stem>.<random>.tmp<suffix>``) or a lock file."""
    return path.name.startswith((".", "~$"))


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
