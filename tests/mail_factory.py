"""Fake period outputs and synthetic snapshots for the mail tests.

The mail stage only needs the file layout of the dashboards and consolidation stages
(``tableaux/axe-<n>.html|.pdf``, ``synthese.*``, ``retours/axe-<n>.xlsx``) and two
snapshot tables (``suivi``, ``anomalies``), so the tests build exactly that.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pandas as pd

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.model import Snapshot, snapshot_columns
from innova_reports.settings import Settings

PERIOD = "2018-05"
# A real 1×1 PNG, so that the inline image parts carry believable bytes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def fake_pdf(label: str) -> bytes:
    return (
        b"%PDF-1.4\n% fake dashboard " + label.encode() + b"\n" + bytes(range(256)) + b"\n%%EOF\n"
    )


def make_outputs(settings: Settings, output_dir: Path, period: str = PERIOD) -> Path:
    """Write a period folder as the dashboards and consolidation stages would."""
    period_dir = output_dir / period
    boards = period_dir / "tableaux"
    boards.mkdir(parents=True, exist_ok=True)
    (period_dir / "retours").mkdir(exist_ok=True)
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    for axis in settings.axes:
        n = axis.number
        (boards / f"axe-{n}-avancement.png").write_bytes(PNG + bytes([n]))
        (boards / f"axe-{n}.html").write_text(
            f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head><body>'
            f"<h1>Tableau de bord – Axe {n}</h1>"
            f'<img src="{data_uri}" alt="météo"><img src="axe-{n}-avancement.png" alt="x">'
            f"<p>Tâche &lt;script&gt; échappée</p></body></html>",
            encoding="utf-8",
        )
        (boards / f"axe-{n}.pdf").write_bytes(fake_pdf(f"axe {n}"))
        (period_dir / "retours" / f"axe-{n}.xlsx").write_bytes(
            b"PK\x03\x04 fake xlsx " + bytes([n])
        )
    (boards / "synthese.html").write_text(
        f'<html><body><h1>Synthèse</h1><img src="{data_uri}"></body></html>', encoding="utf-8"
    )
    (boards / "synthese.pdf").write_bytes(fake_pdf("synthese"))
    return period_dir


def make_snapshot(
    settings: Settings,
    period: str = PERIOD,
    *,
    missing: dict[int, list[str]] | None = None,
    anomalies: list[dict] | None = None,
) -> Snapshot:
    """A snapshot with only ``suivi`` and ``anomalies`` filled in.

    ``missing`` maps an axis to the documents not received: "roadmap" or an action code.
    """
    missing = {3: ["A3.3"], 6: ["roadmap", "A6.1"]} if missing is None else missing
    columns = snapshot_columns(settings)
    tables = {name: pd.DataFrame(columns=list(cols)) for name, cols in columns.items()}
    suivi = []
    for axis in settings.axes:
        n = axis.number
        gone = missing.get(n, [])
        suivi.append(_suivi(n, ROADMAP, "", f"Feuille de route axe {n}", "roadmap" not in gone))
        for index in (1, 2):
            code = f"A{n}.{index}"
            suivi.append(_suivi(n, ACTION, code, f"Action {code}", code not in gone))
        for code in gone:
            if code != "roadmap" and code[-1] not in "12":
                suivi.append(_suivi(n, ACTION, code, f"Action {code}", False))
    tables["suivi"] = pd.DataFrame(suivi, columns=list(columns["suivi"]))
    tables["anomalies"] = pd.DataFrame(
        anomalies if anomalies is not None else default_anomalies(),
        columns=list(columns["anomalies"]),
    )
    year, month = (int(p) for p in period.split("-"))
    return Snapshot(
        period=period,
        reporting_date=dt.date(year, month, 28),
        created=dt.datetime(year, month, 28, 9, 0),
        tables=tables,
    )


def _suivi(axis: int, document: str, code: str, title: str, received: bool) -> dict:
    return {
        "axe": axis, "document": document, "code": code, "intitule": title, "recu": received,
        "date_maj": dt.date(2018, 5, 2) if received else None,
        "fichier": f"axe{axis}/{code or 'fdr'}.xlsx" if received else "",
    }  # fmt: skip


def default_anomalies() -> list[dict]:
    return [
        _anomaly(2, "axe2/A2.1.xlsx", "Tâches", "E7", "fin", "Fin", "erreur",
                 "date-fin-avant-debut", "01/02/2018",
                 "La date de fin est antérieure au début : corrigez la date de fin."),
        _anomaly(2, "axe2/A2.1.xlsx", "Indicateurs", "H9", "cible", "Cible", "avertissement",
                 "cible-manquante", "", "La cible de l'indicateur est vide."),
        _anomaly(2, "axe2/A2.1.xlsx", "Fiche", "C4", "titre", "Titre", "info",
                 "titre-long", "", "Titre long (pour information)."),
        _anomaly(1, "axe1/A1.1.xlsx", "Tâches", "B5", "tache", "Tâche", "erreur",
                 "texte-vide", "<script>alert(1)</script>", "Le nom de la tâche est vide."),
    ]  # fmt: skip


def _anomaly(axis, file, sheet, cell, field, label, severity, kind, value, message) -> dict:
    return {
        "fichier": file, "feuille": sheet, "cellule": cell, "champ": field, "libelle": label,
        "gravite": severity, "type": kind, "valeur": value, "message": message, "axe": axis,
    }  # fmt: skip
