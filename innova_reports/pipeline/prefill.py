"""`prefill`: the pre-filled workbooks of a consolidated period, from its snapshot.

The period's snapshot comes from the history (``consolidate`` stored it); the workbooks
are written under the output lock, in the current template version.
"""

from __future__ import annotations

from pathlib import Path

from innova_reports.consolidate.history import DEFAULT_NAME, History
from innova_reports.settings import Settings
from innova_reports.support.errors import UserError
from innova_reports.support.lock import output_lock
from innova_reports.template.prefill import PrefillResult, Progress, write_prefilled


class NotConsolidatedError(UserError):
    """The period asked for has no snapshot in the history."""


def prefill_period(
    settings: Settings, period: str, output_dir: Path, *, progress: Progress | None = None
) -> PrefillResult:
    """Write ``output/<period>/a-remplir/`` from the period's stored snapshot."""
    output_dir = Path(output_dir)
    with output_lock(output_dir):
        snapshot = History(output_dir / DEFAULT_NAME).load(period)
        if snapshot is None:
            raise NotConsolidatedError(
                f"la période {period} n'a pas été consolidée dans {output_dir} : lancez "
                f"d'abord « innova-reports consolidate --period {period} » (ou "
                "« innova-reports run »)."
            )
        return write_prefilled(snapshot, settings, output_dir / period, progress=progress)
