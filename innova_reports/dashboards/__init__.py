"""Per-axis dashboards and the programme synthesis (PDF, PNG, HTML) of one period.

``render_dashboards`` reads the period's snapshot from the history store, computes the
views in this process (plain picklable data) and draws each axis and the synthesis, one
A4 document each, through the ``map_jobs`` it is given: the pipeline hands it a map on
every core (``support.parallel.map_ordered``); by default each is drawn here, in turn,
and gives the same files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from innova_reports.consolidate.counts import key_counts
from innova_reports.consolidate.history import History, key_counts_by_period
from innova_reports.dashboards.axis import AxisOutput, render_axis, render_axis_view
from innova_reports.dashboards.synthesis import (
    SynthesisOutput,
    build_synthesis_from_counts,
    render_synthesis,
    render_synthesis_view,
)
from innova_reports.model import Snapshot
from innova_reports.paths import DASHBOARDS_DIR, history_path
from innova_reports.settings import Settings
from innova_reports.support.errors import UserError
from innova_reports.views import build_axis_view

__all__ = [
    "DashboardError",
    "DashboardResult",
    "render_axis",
    "render_dashboards",
    "render_synthesis",
]


class DashboardError(UserError):
    """A dashboard that cannot be drawn; the message is French, for the coordinator."""


@dataclass
class DashboardResult:
    period: str
    directory: Path  # output/<period>/tableaux
    axes: dict[int, AxisOutput] = field(default_factory=dict)
    synthesis: SynthesisOutput | None = None
    index: Path | None = None  # the period's status page, written by the pipeline after
    snapshot: Snapshot | None = None  # the period drawn, for whoever writes next

    @property
    def paths(self) -> list[Path]:
        """Every file written, in a stable order."""
        paths = []
        for output in [*(self.axes[n] for n in sorted(self.axes)), self.synthesis]:
            if output is not None:
                paths += [output.pdf, output.html, output.cid_html, *output.pngs.values()]
        return paths + ([self.index] if self.index else [])


def render_dashboards(
    settings: Settings,
    period: str,
    *,
    output_dir: Path = Path("output"),
    map_jobs: Callable[[Callable, Sequence], list] | None = None,
    history=None,
) -> DashboardResult:
    """Draw the period's dashboards into ``output_dir/<period>/tableaux``.

    ``history`` is anything with ``load(period)`` and ``periods()``, and optionally
    ``all_counts()`` (default: the store ``output_dir/historique.sqlite``). Dates on the
    dashboards come from the snapshot's reporting date. The period's status page, which
    links them, belongs to a later stage (``innova_reports.cockpit``): the pipeline
    writes it after. Raises DashboardError.
    """
    output_dir = Path(output_dir)
    history = history if history is not None else open_history(output_dir, period)
    snapshot = history.load(period)
    if snapshot is None:
        raise DashboardError(_never_consolidated(period))
    counts = [*_earlier_counts(history, period, settings), key_counts(snapshot, settings)]
    views = [build_axis_view(snapshot, settings, n) for n in settings.axis_numbers]  # once
    out_dir = output_dir / period / DASHBOARDS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    synthesis = build_synthesis_from_counts(snapshot, settings, counts, views)
    jobs: list[tuple] = [("synthese", synthesis, out_dir)]
    jobs += [("axe", view, out_dir, settings) for view in views]
    result = DashboardResult(period=period, directory=out_dir, snapshot=snapshot)
    for output in (map_jobs or _in_turn)(render_job, jobs):
        if isinstance(output, AxisOutput):
            result.axes[output.number] = output
        else:
            result.synthesis = output
    return result


def open_history(output_dir: Path, period: str):
    """The history store of the consolidation, or a French error when there is none."""
    path = history_path(output_dir)
    if not path.is_file():
        raise DashboardError(
            _never_consolidated(period) + f" (aucun historique dans {path.parent})"
        )
    return History(path)


def _never_consolidated(period: str) -> str:
    return (
        f"la période {period} n'a jamais été consolidée : lancez d'abord "
        f"« innova-reports consolidate --period {period} », puis relancez les tableaux de bord."
    )


def _earlier_counts(history, period: str, settings: Settings) -> list[dict]:
    """The key counts of every period before ``period``, oldest first (drawing
    dashboards never changes the history: see ``key_counts_by_period``)."""
    return list(key_counts_by_period(history, settings, before=period).values())


def render_job(job: tuple):
    """One document; top-level so worker processes can import it."""
    kind, view, out_dir, *rest = job
    if kind == "axe":
        return render_axis_view(view, rest[0], out_dir)
    return render_synthesis_view(view, out_dir)


def _in_turn(function: Callable, jobs: Sequence) -> list:
    return [function(job) for job in jobs]


def load_fonts() -> None:
    """Load matplotlib's font cache once, before worker processes are forked: they
    inherit it (measured 3.2 s against 6.2 s for the sample period on 2 cores)."""
    import matplotlib.font_manager  # noqa: F401
