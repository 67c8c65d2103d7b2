"""What the emails say about a group, read from the period's snapshot.

Two questions only: what must the group fix (the snapshot's ``anomalies``) and which
expected documents did not come in this period (the snapshot's ``suivi``).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import pandas as pd

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.mail.texts import Correction
from innova_reports.model import Snapshot
from innova_reports.report.issue import SEVERITY_ORDER, Severity

# Info issues are not something to fix: they stay in the coordinator's report.
_TO_FIX = (Severity.ERROR, Severity.WARNING)


def corrections_for(snapshot: Snapshot, axis: int) -> list[Correction]:
    """The errors and warnings of one group's files, errors first, in reading order."""
    table = snapshot.table("anomalies")
    rows = [row for row in table.to_dict("records") if _axis_of(row.get("axe")) == axis]
    rows = [row for row in rows if _text(row.get("gravite")) in {str(s) for s in _TO_FIX}]
    rows.sort(
        key=lambda row: (
            SEVERITY_ORDER.get(Severity(_text(row["gravite"])), 9),
            _text(row.get("fichier")),
            _text(row.get("feuille")),
            _text(row.get("cellule")),
        )
    )
    return [_correction(row) for row in rows]


def _correction(row: dict[str, Any]) -> Correction:
    # the file's own name, as in the feedback workbook: the sub-folder is the coordinator's
    file_name = PurePath(_text(row.get("fichier")).replace("\\", "/")).name
    parts = (file_name, _text(row.get("feuille")), _text(row.get("cellule")))
    place = " › ".join(part for part in parts if part)
    return Correction(
        severity=_text(row.get("gravite")),
        place=place,
        label=_text(row.get("libelle")) or _text(row.get("champ")),
        value=_text(row.get("valeur")),
        message=_text(row.get("message")),
    )


def missing_documents(snapshot: Snapshot, axis: int) -> list[str]:
    """French descriptions of the documents of one axis not received this period."""
    missing = []
    for row in snapshot.table("suivi").to_dict("records"):
        if _axis_of(row.get("axe")) != axis or _received(row.get("recu")):
            continue
        if row.get("document") == ROADMAP:
            missing.append(f"la feuille de route de l'axe {axis}")
        elif row.get("document") == ACTION:
            code, title = _text(row.get("code")), _text(row.get("intitule"))
            missing.append(
                f"la fiche action {code} « {title} »" if title else f"la fiche action {code}"
            )
    return missing


def _axis_of(value: Any) -> int | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _received(value: Any) -> bool:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"oui", "true", "1", "vrai"}
    return bool(value)


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()
