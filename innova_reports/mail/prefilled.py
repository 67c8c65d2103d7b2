"""Which pre-filled workbooks an email carries, and whether they fit in it.

The groups start their next update from the workbooks ``prefill`` wrote in
``output/<period>/a-remplir/axe-<n>/``: the pilots' monthly email carries all of their
axis's, a reminder those of the documents it asks for. Attachments that would take the
message beyond INNOVA_MAIL_MAX_MB are not attached: the text names them and says
where they are, and the coordinator forwards them another way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from innova_reports.mail.findings import Expected
from innova_reports.paths import axis_folder, prefill_folder, prefilled_file


@dataclass(frozen=True)
class Prefilled:
    """The pre-filled workbooks of one message: attached, or only named."""

    attached: list[Path] = field(default_factory=list)
    named: list[Path] = field(default_factory=list)  # too heavy together: said where they are
    folder: Path | None = None

    @property
    def any(self) -> bool:
        return bool(self.attached or self.named)


def for_axis(period_dir: Path, axis: int) -> list[Path]:
    """Every pre-filled workbook of an axis, roadmap first (none if prefill did not run)."""
    folder = prefill_folder(period_dir) / axis_folder(axis)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.xlsx"), key=lambda p: (not p.name.startswith("feuille"), p.name))
    return [path for path in files if path.is_file()]


def for_documents(period_dir: Path, axis: int, expected: Sequence[Expected]) -> list[Path]:
    """The pre-filled workbooks of the documents a reminder asks for, those that exist."""
    paths = [prefill_folder(period_dir) / prefilled_file(e.kind, axis, e.code) for e in expected]
    return [path for path in paths if path.is_file()]


def fit(paths: Sequence[Path], others: Sequence[Path], max_mb: float) -> Prefilled:
    """Attach ``paths`` if, with the message's ``others``, they stay within ``max_mb``."""
    if not paths:
        return Prefilled()
    budget = int(max_mb * 1024 * 1024) - sum(_size(p) for p in others)
    folder = paths[0].parent
    if sum(_size(p) for p in paths) <= budget:
        return Prefilled(attached=list(paths), folder=folder)
    return Prefilled(named=list(paths), folder=folder)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
