"""What the emails say about a group, read from the period's snapshot.

Two questions only: what must the group fix (the snapshot's ``anomalies``) and which
expected documents did not come in this period (the snapshot's ``suivi``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import pandas as pd

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.mail.texts import Correction
from innova_reports.model import Snapshot
from innova_reports.report.issue import SEVERITY_ORDER, Severity
from innova_reports.rules import NOT_UPDATED, return_text

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
        label=_text(row.get("libelle")),  # the French label, never the field id
        value=_text(row.get("valeur")),
        message=_text(row.get("message")),
    )


@dataclass(frozen=True)
class Expected:
    """A document of the group not returned for the period, as the reminder names it."""

    kind: str  # ROADMAP or ACTION
    code: str  # the action's code, "" for the roadmap
    text: str  # « la fiche action A1.1 « … » (pas mis à jour depuis le 14/05/2018) »


def expected_documents(snapshot: Snapshot, axis: int) -> list[Expected]:
    """The documents of one axis not returned this period: never received, or not
    updated since the previous consolidation (``suivi.recu``, ``rules.updated_for_period``)."""
    missing = []
    for row in snapshot.table("suivi").to_dict("records"):
        if _axis_of(row.get("axe")) != axis or _received(row.get("recu")):
            continue
        state = return_text(row.get("recu"), row.get("etat"))
        since = f" ({state})" if state.startswith(NOT_UPDATED) else ""
        if row.get("document") == ROADMAP:
            missing.append(Expected(ROADMAP, "", f"la feuille de route de l'axe {axis}{since}"))
        elif row.get("document") == ACTION:
            code, title = _text(row.get("code")), _text(row.get("intitule"))
            text = f"la fiche action {code} « {title} »" if title else f"la fiche action {code}"
            missing.append(Expected(ACTION, code, text + since))
    return missing


def missing_documents(snapshot: Snapshot, axis: int) -> list[str]:
    """French descriptions of the documents of one axis not returned this period."""
    return [expected.text for expected in expected_documents(snapshot, axis)]


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
