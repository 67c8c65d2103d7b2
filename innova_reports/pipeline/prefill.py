"""`prefill`: the pre-filled workbooks of a consolidated period, from its snapshot.

The period's snapshot comes from the history (``consolidate`` stored it); the workbooks
are written under the output lock, in the current template version.
"""

from __future__ import annotations

from pathlib import Path

from innova_reports.cockpit import write_cockpit
from innova_reports.model import Snapshot
from innova_reports.paths import period_dir
from innova_reports.pipeline.mail import load_snapshot
from innova_reports.settings import Settings
from innova_reports.support.errors import writing_into
from innova_reports.support.lock import output_lock
from innova_reports.template.prefill import PrefillResult, Progress, write_prefilled


def prefill_period(
    settings: Settings, period: str, output_dir: Path, *, progress: Progress | None = None
) -> PrefillResult:
    """Write ``output/<period>/a-remplir/`` from the period's stored snapshot, then the
    period's status page, which links the workbooks."""
    with writing_into(output_dir), output_lock(output_dir):
        snapshot = load_snapshot(output_dir, period)
        result = prefill_snapshot(settings, snapshot, output_dir, progress=progress)
        write_cockpit(settings, period, output_dir=output_dir, snapshot=snapshot)
        return result


def prefill_snapshot(
    settings: Settings, snapshot: Snapshot, output_dir: Path, *, progress: Progress | None = None
) -> PrefillResult:
    """The same from a snapshot at hand (``run``, right after consolidating it)."""
    with writing_into(output_dir), output_lock(output_dir):
        folder = period_dir(output_dir, snapshot.period)
        return write_prefilled(snapshot, settings, folder, progress=progress)
