"""The programme synthesis for the copil: six axes side by side, calendar, overdue
tasks and the evolution of the key counts over every consolidated period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from innova_reports.consolidate.counts import COUNT_LABELS
from innova_reports.dashboards import figures as charts
from innova_reports.dashboards import html, pages, style
from innova_reports.dashboards.output import png_bytes, write_bytes, write_pdf
from innova_reports.dashboards.texts import axes_heading, synthesis_subtitle, synthesis_title
from innova_reports.fields import MILESTONE_STATUS, Meaning
from innova_reports.frenchfmt import (
    format_date,
    format_short_month,
    month_label,
)
from innova_reports.model import Snapshot
from innova_reports.settings import Settings
from innova_reports.views import AxisView, as_date, as_text, build_axis_view, next_copil

OVERDUE_SHOWN = 15


@dataclass
class Milestone:
    axis: int
    name: str
    planned: dt.date
    status: str


@dataclass
class SynthesisView:
    programme: str
    period: str
    reporting_date: dt.date
    next_copil: dt.date | None
    start: dt.date
    action_plan_date: dt.date
    copil_dates: tuple[dt.date, ...]
    months: tuple[str, ...]
    axes: list[AxisView]
    milestones: list[Milestone]
    counts: list[dict] = field(default_factory=list)  # one per period: {"period", *COUNT_LABELS}

    @property
    def overdue(self) -> list[tuple[int, int, object]]:
        """(days late, axis, task), most overdue first."""
        late = [((self.reporting_date - t.end).days if t.end else 0, a.number, t)
                for a in self.axes for t in a.tasks if t.late]  # fmt: skip
        return sorted(late, key=lambda item: (-item[0], item[1], item[2].name))[:OVERDUE_SHOWN]


@dataclass
class SynthesisOutput:
    pdf: Path
    html: Path
    cid_html: Path
    pngs: dict[str, Path]


def period_counts(
    snapshot: Snapshot, settings: Settings, views: list[AxisView] | None = None
) -> dict:
    """The key counts of one period, summed over the axes (``views``: the period's axis
    views when the caller already built them)."""
    if views is None:
        views = [build_axis_view(snapshot, settings, n) for n in settings.axis_numbers]
    counts = {key: sum(getattr(v.tiles, key) for v in views) for key in COUNT_LABELS}
    return {"period": snapshot.period, **counts}


def build_synthesis_view(
    snapshot: Snapshot, settings: Settings, history_snapshots=()
) -> SynthesisView:
    """``history_snapshots``: every consolidated snapshot (any order); the current period's
    counts are always taken from ``snapshot``."""
    counts = {
        s.period: period_counts(s, settings)
        for s in history_snapshots
        if s.period != snapshot.period
    }
    counts[snapshot.period] = period_counts(snapshot, settings)
    return build_synthesis_from_counts(snapshot, settings, [counts[p] for p in sorted(counts)])


def build_synthesis_from_counts(
    snapshot: Snapshot, settings: Settings, counts: list[dict], axes: list[AxisView] | None = None
) -> SynthesisView:
    """The synthesis of the period; ``axes``: its axis views when already built."""
    milestones = [
        Milestone(int(row["axe"]), as_text(row.get("jalon")), as_date(row.get("date_prevue")),
                  as_text(row.get("statut")))
        for row in snapshot.table("calendrier").to_dict("records")
        if as_date(row.get("date_prevue")) is not None
    ]  # fmt: skip
    return SynthesisView(
        programme=settings.programme,
        period=snapshot.period,
        reporting_date=snapshot.reporting_date,
        next_copil=next_copil(settings, snapshot.reporting_date),
        start=settings.start,
        action_plan_date=settings.action_plan_date,
        copil_dates=settings.copil_dates,
        months=settings.months,
        axes=axes
        if axes is not None
        else [build_axis_view(snapshot, settings, n) for n in settings.axis_numbers],  # fmt: skip
        milestones=milestones,
        counts=[c for c in counts if c["period"] <= snapshot.period],
    )


def render_synthesis(
    snapshot: Snapshot, settings: Settings, out_dir: Path, history_snapshots=()
) -> SynthesisOutput:
    return render_synthesis_view(
        build_synthesis_view(snapshot, settings, history_snapshots), Path(out_dir)
    )


def render_synthesis_view(view: SynthesisView, out_dir: Path) -> SynthesisOutput:
    with style.style_context():
        images = synthesis_pngs(view)
        pngs = {
            name: write_bytes(out_dir / f"synthese-{name}.png", data)
            for name, data in images.items()
        }
        pdf = write_pdf(
            out_dir / "synthese.pdf", synthesis_pages(view), f"{view.programme} – synthèse"
        )
    page, cid_page = html.synthesis_documents(view, images)
    return SynthesisOutput(pdf=pdf, html=html.write_pair(out_dir / "synthese.html", page),
                           cid_html=html.write_pair(out_dir / "synthese.cid.html", cid_page), pngs=pngs)  # fmt: skip


# -- charts ----------------------------------------------------------------------------------


def draw_axes_overview(ax: Axes, view: SynthesisView) -> None:
    """The six axes side by side: one column per axis, rows of counts, weather in words."""
    ax.set_axis_off()
    rows = [("Fiches reçues / annoncées", lambda t: f"{t.actions_received} / {t.actions_announced}"),
            ("Tâches faites / total", lambda t: f"{t.tasks_done} / {t.tasks_total}"),
            ("Tâches en retard", lambda t: str(t.tasks_late)),
            ("Indicateurs dans la trajectoire", lambda t: f"{t.indicators_on_track} / {t.indicators_total}"),
            ("Météo", lambda t: t.weather or "–")]  # fmt: skip
    width = 0.8 / len(view.axes)
    for column, axis in enumerate(view.axes):
        x = 0.2 + column * width
        ax.text(x + width / 2, 0.97, f"Axe {axis.number}\n" + style.wrap(axis.short_name, 13, 2),
                ha="center", va="top", fontsize=9, fontweight="bold", color=style.BAND)  # fmt: skip
        colour = style.WEATHER_COLOURS.get(axis.tiles.weather, style.LIGHT_GREY)
        ax.add_patch(_box(x + 0.006, 0.02, width - 0.012, 0.13, colour))
        for row, (_, value) in enumerate(rows):
            y = 0.72 - row * 0.155
            text = value(axis.tiles) if not axis.is_empty or row == len(rows) - 1 else "rien reçu"
            dark = row == len(rows) - 1 and colour in style.DARK_ON
            ax.text(x + width / 2, y, text, ha="center", va="center", fontsize=12 if row < 4 else 11,
                    fontweight="bold", color="white" if dark else style.INK)  # fmt: skip
    for row, (label, _) in enumerate(rows):
        ax.text(0.0, 0.72 - row * 0.155, label, va="center", fontsize=9, color=style.INK)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def _box(x, y, w, h, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, color=colour, zorder=0)


def draw_calendar(ax: Axes, view: SynthesisView) -> None:
    """Programme timeline: copils, action plan, reporting date and every axis' milestones."""
    low = min([view.start, *view.copil_dates, *(m.planned for m in view.milestones)])
    high = max([view.action_plan_date, *view.copil_dates, view.reporting_date,
                *(m.planned for m in view.milestones)])  # fmt: skip
    numbers = [a.number for a in view.axes]
    for milestone in view.milestones:
        y = len(numbers) - numbers.index(milestone.axis) if milestone.axis in numbers else 0
        ax.plot(mdates.date2num(milestone.planned), y, marker="D", markersize=6,
                color=style.GREEN if _reached(milestone.status) else style.BLUE)  # fmt: skip
    for number, copil in enumerate(view.copil_dates, start=1):
        ax.axvline(mdates.date2num(copil), color=style.INK, linestyle="--", linewidth=1.1)
        ax.text(mdates.date2num(copil), len(numbers) + 0.6, f" copil {number}\n {format_date(copil)}",
                fontsize=7.5, va="bottom", color=style.INK)  # fmt: skip
    ax.axvline(mdates.date2num(view.reporting_date), color=style.VERMILION, linewidth=1.4)
    ax.text(mdates.date2num(view.reporting_date), 0.3, " date du point", color=style.VERMILION,
            fontsize=7.5, fontweight="bold")  # fmt: skip
    ax.axvline(
        mdates.date2num(view.action_plan_date), color=style.GREEN, linewidth=1.4, linestyle="-."
    )
    ax.text(
        mdates.date2num(view.action_plan_date),
        0.3,
        " plan d'actions",
        color=style.INK,
        fontsize=7.5,
    )
    ax.set_yticks(range(len(numbers), 0, -1), [style.wrap(f"Axe {a.number} · {a.short_name}", 30, 1)
                                               for a in view.axes])  # fmt: skip
    ax.set_ylim(0, len(numbers) + 1.5)
    ax.set_xlim(
        mdates.date2num(low - dt.timedelta(days=10)), mdates.date2num(high + dt.timedelta(days=20))
    )
    charts.month_axis(ax, low, high)
    ax.spines["left"].set_visible(False)
    ax.plot([], [], marker="D", linestyle="none", color=style.BLUE, label="jalon prévu")
    ax.plot([], [], marker="D", linestyle="none", color=style.GREEN, label="jalon atteint")
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.08), ncols=2)


def draw_history(ax: Axes, view: SynthesisView) -> None:
    """The key counts over every consolidated period; one point is not yet a trend."""
    if len(view.counts) < 2:
        charts.empty_message(ax, "Premier mois consolidé : l'évolution des compteurs apparaîtra "
                                 "dès le mois prochain.")  # fmt: skip
        return
    periods = [c["period"] for c in view.counts]
    markers = ("o", "s", "^", "D")
    for (key, label), marker in zip(COUNT_LABELS.items(), markers, strict=True):
        values = [c[key] for c in view.counts]
        ax.plot(range(len(periods)), values, marker=marker, label=label, linewidth=1.8)
    ax.set_xticks(range(len(periods)), [format_short_month(p) for p in periods])
    ax.set_xlim(-0.3, len(periods) - 0.7)
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4)


# -- outputs -----------------------------------------------------------------------------------


def synthesis_pngs(view: SynthesisView) -> dict[str, bytes]:
    images = {}
    for name, size, rect, draw in (
        ("axes", (10, 3.4), (0.01, 0.03, 0.98, 0.94), draw_axes_overview),
        ("calendrier", (10, 3.6), (0.17, 0.12, 0.8, 0.7), draw_calendar),
        ("evolution", (10, 3.4), (0.06, 0.1, 0.92, 0.75), draw_history),
    ):
        if name == "evolution" and len(view.counts) < 2:
            continue
        figure = charts.new_figure(*size)
        draw(figure.add_axes(rect), view)
        images[name] = png_bytes(figure)
    return images


def synthesis_pages(view: SynthesisView) -> list[Figure]:
    head, sub = synthesis_title(view), synthesis_subtitle(view)
    first = pages.page(head, sub, "")
    pages.section_title(first, 0.86, axes_heading(len(view.axes)))
    draw_axes_overview(first.add_axes((0.045, 0.47, 0.91, 0.36)), view)
    pages.section_title(first, 0.42, "Calendrier du programme et comités de pilotage")
    draw_calendar(first.add_axes((0.2, 0.08, 0.75, 0.26)), view)
    second = pages.page(head, sub, "")
    pages.section_title(second, 0.86, "Évolution des compteurs clés, mois après mois")
    draw_history(second.add_axes((0.07, 0.12, 0.88, 0.66)), view)
    flow = pages.Flow(head, sub)
    flow.section(f"Tâches les plus en retard ({len(view.overdue)})")
    if view.overdue:
        flow.table([pages.Column("Axe", 0.05, 4), pages.Column("Action", 0.07, 8),
                    pages.Column("Tâche", 0.42, 66), pages.Column("Responsable", 0.2, 30),
                    pages.Column("Fin prévue", 0.12, 14), pages.Column("Retard", 0.12, 16)],
                   [[str(axis), t.action, t.name, t.owner or "–", format_date(t.end) or "–",
                     f"{days} jours"] for days, axis, t in view.overdue],
                   {i: style.VERMILION for i in range(len(view.overdue))})  # fmt: skip
    else:
        flow.sentence("Aucune tâche en retard dans le programme à la date du point.")
    figures = [first, second, *flow.figures]
    pages.add_footers(figures, f"{view.programme} · synthèse · {month_label(view.period)}")
    return figures


def _reached(status: str) -> bool:
    return MILESTONE_STATUS.meaning(status) is Meaning.REACHED
