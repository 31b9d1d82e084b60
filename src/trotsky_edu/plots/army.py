"""Red Army strength, 1918–1921, with each figure drawn as what it is: a count, an estimate or a bound."""

from __future__ import annotations

import datetime as dt

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.arguments import check_data, check_years, with_shared_docs, year_span_text
from trotsky_edu.plots.canvas import axes_for, draw_empty, set_margins, set_title, wants_new_figure
from trotsky_edu.plots.label_layout import Box, alignment, axes_box_inches, place_point_labels
from trotsky_edu.plots.style import MUTED_GREY, OKABE_ITO
from trotsky_edu.plots.text_metrics import (POINTS_PER_INCH, font_points, legend_size_inches, line_height_inches,
                                            text_width_inches)
from trotsky_edu.plots.wording import date_span, format_when

#: The columns of ``load_red_army()`` that the chart reads.
COLUMNS = ("record_id", "date", "precision", "strength", "kind", "source")
#: How each kind of figure is drawn: colour, marker, filled or hollow, and its legend text.
KIND_STYLE = {
    "reported": (OKABE_ITO["blue"], "o", True, "reported count"),
    "estimate": (OKABE_ITO["vermillion"], "o", False, "estimate"),
    "lower bound": (OKABE_ITO["bluish green"], "^", True, "lower bound: at least this many (arrow)"),
    "upper bound": (OKABE_ITO["reddish purple"], "v", True, "upper bound: at most this many (dotted)"),
}
#: Each kind of figure in words, singular and plural, for the alt text.
KIND_NAMES = {
    "reported": ("reported count", "reported counts"),
    "estimate": ("estimate", "estimates"),
    "lower bound": ("lower bound", "lower bounds"),
    "upper bound": ("upper bound", "upper bounds"),
}
DEFAULT_YEARS = (1918, 1921)
#: Space between the bottom of the Axes and the legend under it, in legend font sizes: below the years.
LEGEND_GAP = 3.0
LABEL_OFFSET = 8.0  # points from a mark to its sources (clear of the 11-point marker)


def _millions(value: float, _pos=None) -> str:
    return "0" if value == 0 else f"{value / 1e6:.1f} million"


@with_shared_docs
def plot_army_strength(
    data: pd.DataFrame | None = None,
    *,
    years: int | tuple[int, int] | None = None,
    sources: bool = True,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Plot the Red Army's size as the sources give it, showing estimates and bounds as such.

    A filled circle is a reported count, a hollow circle an estimate (with a vertical bar
    when the source gives a range), an upward triangle with an arrow a lower bound ("at
    least"), and a downward triangle over a dotted line an upper bound ("at most"). A
    horizontal bar means the source gives only the month or year. Points are not joined
    by lines: the figures come from different sources and count differently.
    Each point's source is written beside it (``sources=True``), and
    ``describe_figure(ax, details=True)`` lists every figure with its note and source.

    Parameters
    ----------
    {data}
    {years}
        Default: 1918 to 1921.
    sources : bool
        Write each point's source id beside it.
    {ax}
    {kwargs}

    Returns
    -------
    {returns}
    """
    if data is None:
        from trotsky_edu.datasets import load_red_army

        data = load_red_army()
    check_data(data, COLUMNS, function="plot_army_strength", like="load_red_army()")
    first, last = check_years(years) or DEFAULT_YEARS
    selected = data[data["date"].dt.year.between(first, last)].sort_values("date", kind="stable")
    own_figure = wants_new_figure(ax)
    ax = axes_for(ax, figsize=(10, 6))  # 10-point text needs at most 10 inches (the projector rule, style.py)

    used_kinds = []
    ranged = False
    top = 0.0
    labels: list[tuple[tuple[float, float], str, str]] = []  # (point, text, gid): the sources, placed at the end
    marks: list[tuple[tuple[float, float], tuple[float, float]]] = []  # the date spans and ranges a label must not cross
    for row in selected.to_dict("records"):
        kind = str(row["kind"])
        colour, marker, filled, _ = KIND_STYLE[kind]
        start, middle, end = date_span(row["date"], str(row["precision"]))
        x = mdates.date2num(middle)
        y = float(row["strength"])
        style = {"marker": marker, "markersize": 11, "color": colour, "linestyle": "",
                 "markerfacecolor": colour if filled else "white", "markeredgewidth": 2, "zorder": 3, **kwargs}
        ax.plot([x], [y], gid=f"point-{row['record_id']}", **style)
        if start != end:
            span = ((mdates.date2num(start), y), (mdates.date2num(end), y))
            ax.plot(*zip(*span), color=colour, linewidth=2, alpha=0.6, solid_capstyle="butt", zorder=2)
            marks.append(span)
        low, high = row.get("low"), row.get("high")
        if pd.notna(low) and pd.notna(high):
            ax.plot([x, x], [float(low), float(high)], color=colour, linewidth=2, zorder=2,
                    gid=f"range-{row['record_id']}")
            marks.append(((x, float(low)), (x, float(high))))
            ranged = True
            top = max(top, float(high))
        if kind == "upper bound":  # anywhere from zero up to the figure
            ax.plot([x, x], [0, y], color=colour, linewidth=2, linestyle=":", zorder=2,
                    gid=f"bound-{row['record_id']}")
        if kind == "lower bound":  # the figure or more
            ax.annotate("", xy=(x, y), xytext=(0, 40), textcoords="offset points",
                        arrowprops={"arrowstyle": "<|-", "color": colour, "linewidth": 2, "shrinkA": 0,
                                    "shrinkB": 6, "mutation_scale": 18},
                        gid=f"bound-{row['record_id']}")
        top = max(top, y)
        if sources:
            labels.append(((x, y), ", ".join(row["source"]), f"source-{row['record_id']}"))
        if kind not in used_kinds:
            used_kinds.append(kind)

    ax.set_xlim(mdates.date2num(dt.datetime(first, 1, 1)), mdates.date2num(dt.datetime(last + 1, 1, 1)))
    ax.set_ylim(0, top * 1.15 if top else 1)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.yaxis.set_major_formatter(FuncFormatter(_millions))
    ax.set_ylabel("soldiers")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    set_title(ax, f"Red Army strength, {first}–{last}, as the sources give it")
    handles = [
        Line2D([], [], marker=KIND_STYLE[k][1], linestyle="", markersize=10, color=KIND_STYLE[k][0],
               markerfacecolor=KIND_STYLE[k][0] if KIND_STYLE[k][2] else "white", markeredgewidth=2,
               label=KIND_STYLE[k][3])
        for k in KIND_STYLE if k in used_kinds
    ]
    if ranged:  # explained only when drawn: a legend entry for a mark the chart lacks sends readers looking for it
        handles.append(Line2D([], [], color=MUTED_GREY, marker="|", linestyle="", markersize=14, markeredgewidth=2,
                              label="vertical bar: the range of figures the source gives"))
    if (selected["precision"].astype(str) != "day").any():
        handles.append(Line2D([], [], color=MUTED_GREY, linewidth=2, alpha=0.6, label="date known only to the month/year"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), ncols=2, borderaxespad=LEGEND_GAP)
    if own_figure:
        gap = LEGEND_GAP * font_points(mpl.rcParams["legend.fontsize"]) / POINTS_PER_INCH
        legend_height = legend_size_inches([h.get_label() for h in handles], columns=2)[1] if handles else 0.0
        set_margins(ax, (1.3, 0.3, gap + legend_height, 0.6))
    _draw_sources(ax, labels, marks)
    if selected.empty:
        draw_empty(ax, f"No Red Army figures {year_span_text(first, last)}")
    attach_description(ax, _description(selected, first, last))
    return ax


def _draw_sources(ax: Axes, labels: list[tuple[tuple[float, float], str, str]],
                  marks: list[tuple[tuple[float, float], tuple[float, float]]]) -> None:
    """Each figure's sources beside its mark, on the side where they cross no other label, mark or date span.

    Placed once the chart has its final size, in inches on the page, so that the check
    holds for the figure as drawn.
    """
    if not labels:
        return
    dpi = ax.figure.dpi
    to_inches = ax.transData.transform([point for point, _, _ in labels]) / dpi
    height = line_height_inches(size="medium")
    sizes = [(text_width_inches(text, size="medium") + 0.05, height) for _, text, _ in labels]
    obstacles = []
    for a, b in marks:
        (x0, y0), (x1, y1) = ax.transData.transform([a, b]) / dpi
        obstacles.append(Box(min(x0, x1) - 0.02, min(y0, y1) - 0.02, max(x0, x1) + 0.02, max(y0, y1) + 0.02))
    directions = place_point_labels([tuple(p) for p in to_inches], sizes, offset=LABEL_OFFSET / POINTS_PER_INCH,
                                    bounds=axes_box_inches(ax), obstacles=obstacles)
    for ((x, y), text, gid), (dx, dy) in zip(labels, directions):
        ax.annotate(text, (x, y), xytext=(dx * LABEL_OFFSET, dy * LABEL_OFFSET), textcoords="offset points",
                    **alignment((dx, dy)), fontsize="medium", color=MUTED_GREY, gid=gid)


def _description(selected: pd.DataFrame, first: int, last: int) -> FigureDescription:
    caption = f"Red Army strength, {first}–{last}. Data: red_army.csv; sources written beside each point."
    if selected.empty:
        return FigureDescription(what=f"An empty chart: no Red Army figures {year_span_text(first, last)}",
                                 span="", caption=caption)

    def figure(row) -> str:
        qualifier = {"lower bound": "at least ", "upper bound": "at most ", "estimate": "about "}.get(str(row["kind"]), "")
        text = f"{qualifier}{int(row['strength']):,}"
        if pd.notna(row.get("low")) and pd.notna(row.get("high")):
            text += f" (range {int(row['low']):,}–{int(row['high']):,})"
        return text

    rows = selected.to_dict("records")
    start, end = rows[0], rows[-1]
    biggest = selected.loc[selected["strength"].astype(float).idxmax()]
    kinds = selected["kind"].astype(str).value_counts()
    what = (f"Chart of {len(selected)} Red Army strength figure{'s' if len(selected) != 1 else ''} ("
            + ", ".join(f"{n} {KIND_NAMES[k][int(n != 1)]}" for k, n in kinds.items() if n) + ")")

    def at(row) -> str:
        return f"{figure(row)} ({format_when(row['date'], str(row['precision']))})"

    point = f"The figures go from {at(start)} to {at(end)}"
    if biggest["record_id"] != end["record_id"]:
        point += f"; the largest is {at(biggest)}"
    elif len(rows) > 1:
        point += ", the largest"
    falls = [(a, b) for a, b in zip(rows, rows[1:]) if float(b["strength"]) < float(a["strength"])]
    if falls:
        a, b = falls[0]
        point += f"; they do not rise steadily: {at(b)} is below {at(a)}"
    reported = int(kinds.get("reported", 0))
    if 0 < reported < len(rows):
        point += f"; only {reported} of them {'is a reported count' if reported == 1 else 'are reported counts'}"
    details = tuple(
        f"{format_when(r['date'], str(r['precision']))}: {figure(r)} ({r['kind']}), source {', '.join(r['source'])}. "
        f"{r['note'] if pd.notna(r.get('note')) else ''}".strip()
        for r in rows
    )
    return FigureDescription(what=what, span=f"{year_span_text(first, last)}", point=point, details=details,
                             caption=caption)
