"""A sample month run for real: the shipped workbooks plus the files a month brings.

The six groups' sample workbooks, and beside them an action sheet whose title and
contributors are hostile text and whose tasks have a date that is not one (an
*erreur*), a file that is not a workbook at all (refused), a text file (ignored) and
an action sheet without an axis (left out, of no axis). ``run_month`` does the whole
month (drafts, nothing sent); then the ledger is given fixed states (one message
sent, one failed, the copil's uncertain) and the drafts a fixed day, and the status
page is written again: the pages are the same on every machine and every day, so
they can be compared with reviewed screenshots.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from innova_reports.cockpit import write_cockpit
from innova_reports.fields import ACTION
from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Ledger
from innova_reports.paths import history_path
from innova_reports.pipeline.month import MonthResult, run_month
from innova_reports.settings import Settings
from tests.conftest import ROOT
from tests.factories import make_workbook

PERIOD = "2018-05"
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="x'
HOSTILE_TITLE = f"Accueil {SCRIPT} {ATTRIBUTE}"
STAMP = "2018-06-02T09:30:00+02:00"
DRAFTS_DAY = dt.datetime(2018, 6, 1, 8, 0)


@dataclass(frozen=True)
class SampleMonth:
    workbooks: Path
    output: Path
    result: MonthResult

    @property
    def period_dir(self) -> Path:
        return self.output / PERIOD

    def html_pages(self) -> list[Path]:
        """Every HTML page of the run a person opens in a browser: the status page, the
        months' index, the axis and synthesis dashboards (not the ``.cid.html`` email
        bodies: their images are parts of the message, which only a mail client shows)."""
        pages = [self.period_dir / "index.html", self.output / "index.html"]
        boards = sorted((self.period_dir / "tableaux").glob("*.html"))
        return pages + [p for p in boards if not p.name.endswith(".cid.html")]


def build_sample_month(base: Path, settings: Settings) -> SampleMonth:
    workbooks, output = base / "workbooks", base / "output"
    shutil.copytree(ROOT / "workbooks", workbooks)
    _extra_files(workbooks, settings)
    result = run_month(settings, PERIOD, workbooks_dir=workbooks, output_dir=output)
    _fixed_states(output)
    write_cockpit(settings, PERIOD, output_dir=output)
    return SampleMonth(workbooks, output, result)


def _extra_files(workbooks: Path, settings: Settings) -> None:
    make_workbook(
        workbooks / "axe-2" / "fiche_action_A2.3.xlsx", ACTION, settings,
        fields={"code_action": "A2.3", "axe": 2, "titre": HOSTILE_TITLE,
                "date_maj": dt.date(2018, 5, 18), "statut": "En cours", "meteo": "Rouge",
                "service_pilote": settings.services[0], "contributeurs": ATTRIBUTE},
        tables={"t_taches": [
            {"tache": f"Relancer {SCRIPT}", "responsable": ATTRIBUTE,
             "debut": dt.date(2018, 4, 2), "fin": "le 31 du mois", "statut": "En cours"},
        ]},
    )  # fmt: skip
    make_workbook(
        workbooks / "fiche_sans_axe.xlsx", ACTION, settings,
        fields={"code_action": "A9.1", "titre": "Une fiche sans axe",
                "date_maj": dt.date(2018, 5, 2)},
    )  # fmt: skip
    (workbooks / "axe-5" / "tableau_cassé.xlsx").write_bytes(b"PK\x03\x04 pas un classeur")
    (workbooks / "notes de réunion.txt").write_text("ordre du jour", encoding="utf-8")


def _fixed_states(output: Path) -> None:
    ledger = Ledger(history_path(output))
    ledger.record(PERIOD, "axe-1", ["nathalie.roche@example.org"], "h", SENT, "250 OK")
    ledger.record(PERIOD, "axe-2", ["julien.mazeyrie@example.org"], "h", FAILED,
                  "550 5.1.1 boîte aux lettres inconnue")  # fmt: skip
    ledger.record(PERIOD, "copil", ["dgs@example.org", "innova@example.org"], "h", SENT, "250 OK")
    ledger.record(PERIOD, "copil", ["elue.rh@example.org"], "h", UNCERTAIN,
                  "connexion perdue pendant la transmission")  # fmt: skip
    with sqlite3.connect(history_path(output)) as db:
        db.execute("UPDATE envois SET horodatage = ?", (STAMP,))
    day = DRAFTS_DAY.timestamp()
    for draft in (output / PERIOD / "mail").glob("*.eml"):
        os.utime(draft, (day, day))
