"""The charts, each drawn on a given Axes so a PNG and a PDF page share one drawing.

Every function copes with nothing to draw by writing a French sentence in place of the
chart (never an empty plot). Colour is never the only carrier of meaning: bars and
segments also carry a text label or a legend word.
"""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from innova_reports.dashboards import scale, style
from innova_reports.frenchfmt import format_measure, format_share, format_short_month
from innova_reports.rules import judgement_of
from innova_reports.views import IndicatorView, TaskRow

PROGRESS_ROWS_PER_PAGE = 16
GANTT_ROWS_PER_PAGE = 24
TRENDS_PER_PAGE = 6


def new_figure(width: float, height: float) -> Figure:
    """A figure outside pyplot's global state (safe in worker processes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def empty_message(ax: Axes, message: str) -> None:
    """A readable sentence where a chart would be."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, style.wrap(message, 70), ha="center", va="center", fontsize=11,
            color=style.INK, style="italic", transform=ax.transAxes)  # fmt: skip


# -- indicators -------------------------------------------------------------------------


def progress_text(indicator: IndicatorView) -> str:
    """« 21 → 14 → 10 jours (baisse) · 64 % »: baseline → latest → target."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    path = " → ".join(
        format_measure(v) for v in (indicator.baseline, indicator.latest, indicator.target)
    )
    direction = f" ({indicator.direction.lower()})" if indicator.direction else ""
    return f"{path}{unit}{direction} · {format_share(indicator.share)}"


def on_track_label(indicator: IndicatorView) -> str:
    """The rule's own words (``rules.judgement_of``), as the booklet and the master say it."""
    return judgement_of(indicator.on_track)


def draw_progress(ax: Axes, indicators: list[IndicatorView]) -> None:
    """One bar per indicator: share of the way from baseline to target reached."""
    if not indicators:
        empty_message(ax, "Aucun indicateur n'a été déclaré dans les fiches action reçues.")
        return
    count = len(indicators)
    for row, indicator in enumerate(indicators):
        y = count - 1 - row
        ax.barh(y, 1.0, color=style.LIGHT_GREY, height=0.62, zorder=1)
        share = indicator.share
        colour = style.BLUE if indicator.on_track else style.ORANGE
        if share is not None:
            ax.barh(y, min(max(share, 0.0), 1.2), color=colour, height=0.62, zorder=2)
        text = progress_text(indicator) if share is not None else "pas encore de valeur"
        if share is None and indicator.latest is not None:
            text = progress_text(indicator)
        ax.text(1.25, y, style.wrap(f"{text} — {on_track_label(indicator)}", 58, 2),
                va="center", fontsize=7.5, color=style.INK)  # fmt: skip
    labels = [style.wrap(f"{i.action} · {i.name}", 42, 2) for i in indicators]
    ax.set_yticks(range(count - 1, -1, -1), labels, fontsize=7.5 if count > 8 else 8.5)
    ax.set_ylim(-0.6, count - 0.4)
    ax.set_xlim(0, 2.45)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "cible"])
    ax.axvline(1.0, color=style.INK, linewidth=0.8, zorder=3)
    ax.spines["bottom"].set_bounds(0, 1.2)
    ax.spines["left"].set_visible(False)
    ax.grid(False)


def draw_trend(ax: Axes, indicator: IndicatorView, months: tuple[str, ...]) -> None:
    """Monthly values of one indicator, with its target (and baseline) as lines."""
    ax.set_title(style.wrap(f"{indicator.action} · {indicator.name}", 48, 2), fontsize=8.5)
    if not indicator.values:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, "Pas encore de valeur mesurée.", ha="center", va="center",
                fontsize=9, style="italic", color=style.INK, transform=ax.transAxes)  # fmt: skip
        return
    shown = [m for m in months if m <= (indicator.latest_month or months[-1])] or list(months)
    position = {month: index for index, month in enumerate(shown)}
    points = [(position[m], v) for m, v in indicator.values if m in position]
    xs, ys = zip(*points, strict=True) if points else ((), ())
    ax.plot(xs, ys, marker="o", markersize=3.5, color=style.BLUE, linewidth=1.6, zorder=3)
    if indicator.target is not None:
        ax.axhline(indicator.target, color=style.GREEN, linestyle="--", linewidth=1.1)
        ax.text(len(shown) - 0.5, indicator.target, f"cible {format_measure(indicator.target)}",
                color=style.INK, fontsize=7, va="bottom", ha="right")  # fmt: skip
    if indicator.baseline is not None:
        ax.axhline(indicator.baseline, color=style.GREY, linestyle=":", linewidth=1)
        ax.text(
            -0.4,
            indicator.baseline,
            f"initiale {format_measure(indicator.baseline)}",
            color=style.GREY,
            fontsize=6.5,
            va="bottom",
            ha="left",
        )
    if ys:
        ax.annotate(format_measure(ys[-1]), (xs[-1], ys[-1]), textcoords="offset points",
                    xytext=(4, 4), fontsize=7.5, color=style.BLUE)  # fmt: skip
    step = max(1, len(shown) // 6)
    ticks = list(range(0, len(shown), step))
    ax.set_xticks(ticks, [format_short_month(shown[i]) for i in ticks], fontsize=7)
    ax.set_xlim(-0.5, len(shown) - 0.5)
    ax.grid(axis="y")
    ax.yaxis.set_major_formatter(lambda v, _pos: format_measure(v))
    if indicator.unit:
        ax.set_ylabel(indicator.unit, fontsize=7.5)


def draw_trend_grid(figure: Figure, indicators, months, rect=(0.06, 0.07, 0.9, 0.8)) -> None:
    """Small multiples, three per row, filling ``rect`` of the figure."""
    columns = 3
    rows = max(1, -(-len(indicators) // columns))
    grid = figure.add_gridspec(rows, columns, left=rect[0], bottom=rect[1],
                               right=rect[0] + rect[2], top=rect[1] + rect[3],
                               hspace=0.75, wspace=0.3)  # fmt: skip
    for index, indicator in enumerate(indicators):
        draw_trend(figure.add_subplot(grid[index // columns, index % columns]), indicator, months)


# -- tasks ------------------------------------------------------------------------------


def draw_task_status(
    ax: Axes, action_codes: list[str], tasks: list[TaskRow], limit: int | None = None
) -> None:
    """One stacked bar per action: how many tasks in each state, counts written on it.

    With ``limit``, at most that many actions, those furthest behind, and a line saying
    how many are left out.
    """
    codes, hidden = scale.charted_actions(action_codes, tasks, limit or len(tasks) + 1)
    if not codes:
        empty_message(ax, "Aucune tâche n'a été saisie dans les fiches action reçues.")
        return
    counts = scale.task_counts(tasks)
    for row, code in enumerate(codes):
        y = len(codes) - 1 - row
        left = 0
        for state in style.TASK_STATUS_ORDER:
            count = counts[code, state]
            if not count:
                continue
            colour = style.TASK_STATUS_COLOURS[state]
            ax.barh(y, count, left=left, color=colour, height=0.6, edgecolor="white", linewidth=1)
            dark = colour in style.DARK_ON
            ax.text(left + count / 2, y, str(count), ha="center", va="center", fontsize=8,
                    color="white" if dark else style.INK, fontweight="bold")  # fmt: skip
            left += count
    if hidden:
        more_note(ax, scale.more_line(hidden, "autres actions", "Tâches"))
    ax.set_yticks(range(len(codes) - 1, -1, -1), codes)
    ax.set_ylim(-0.6, len(codes) - 0.4)
    ax.set_xlabel("nombre de tâches")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines["left"].set_visible(False)
    states = {state for _, state in counts}
    present = [s for s in style.TASK_STATUS_ORDER if s in states]
    handles = [Patch(color=style.TASK_STATUS_COLOURS[s], label=s) for s in present]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=6, fontsize=7.5,
              handlelength=1, columnspacing=1)  # fmt: skip


def draw_gantt(ax: Axes, tasks: list[TaskRow], reporting_date: dt.date, copils) -> None:
    """Tasks as bars in time, with the reporting date and the copil dates as lines."""
    dated = [t for t in tasks if t.start or t.end]
    if not dated:
        empty_message(ax, "Aucune tâche datée : le diagramme de Gantt apparaîtra quand les "
                          "fiches action indiqueront les dates de début et de fin.")  # fmt: skip
        return
    count = len(dated)
    for row, task in enumerate(dated):
        y = count - 1 - row
        start = task.start or task.end
        end = task.end or task.start
        width = max((end - start).days, 1)
        ax.barh(y, width, left=mdates.date2num(start), height=0.55,
                color=style.TASK_STATUS_COLOURS.get(task.state, style.GREY))  # fmt: skip
        ax.text(
            mdates.date2num(end) + 2, y, t_state(task), va="center", fontsize=6.5, color=style.INK
        )
    labels = [style.wrap(f"{t.action} · {t.name}", 48, 1) for t in dated]
    ax.set_yticks(range(count - 1, -1, -1), labels, fontsize=7 if count > 12 else 8)
    ax.set_ylim(-0.8, count + 0.2)
    starts = [t.start or t.end for t in dated] + [reporting_date]
    ends = [t.end or t.start for t in dated] + [reporting_date]
    low, high = min(starts) - dt.timedelta(days=10), max(ends) + dt.timedelta(days=10)
    high += dt.timedelta(days=25)  # room for the state written after the last bar
    ax.set_xlim(mdates.date2num(low), mdates.date2num(high))
    _time_line(ax, reporting_date, "date du point", style.VERMILION, "-", -0.65)
    for number, copil in enumerate(copils, start=1):
        if low <= copil <= high:
            _time_line(ax, copil, f"copil {number}", style.INK, "--", count - 0.2)
    month_axis(ax, low, high)
    ax.spines["left"].set_visible(False)


def t_state(task: TaskRow) -> str:
    return task.state.lower()


def month_axis(ax: Axes, low: dt.date, high: dt.date) -> None:
    """Month ticks in French, thinned so that about eight labels fit."""
    months = (high.year - low.year) * 12 + high.month - low.month + 1
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, -(-months // 8))))
    ax.xaxis.set_major_formatter(
        lambda v, _p: format_short_month(mdates.num2date(v).strftime("%Y-%m"))
    )
    ax.grid(axis="x")


def _time_line(ax: Axes, day: dt.date, label: str, colour: str, line: str, y: float) -> None:
    x = mdates.date2num(day)
    ax.axvline(x, color=colour, linestyle=line, linewidth=1.2, zorder=4)
    ax.text(
        x,
        y,
        f" {label}",
        color=colour,
        fontsize=7.5,
        va="bottom",
        ha="left",
        fontweight="bold" if colour == style.VERMILION else "normal",
    )


def more_note(ax: Axes, text: str) -> None:
    """« … et N autres … » in italics under a chart that shows only part of the list."""
    ax.annotate(text, (0, 0), xycoords="axes fraction", xytext=(0, -34),
                textcoords="offset points", fontsize=8, style="italic", color=style.INK,
                va="top")  # fmt: skip


def task_legend(ax: Axes) -> None:
    """The Gantt's colours spelled out (the row labels also carry the state)."""
    handles = [Patch(color=c, label=s) for s, c in style.TASK_STATUS_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.06), ncols=6, fontsize=7.5)
