"""A timeline of events in lanes (one per lesson, or one per person), with labels that do not overlap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import chain

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.arguments import (
    FIRST_YEAR,
    LAST_YEAR,
    categories_of,
    check_choice,
    check_choices,
    check_data,
    check_years,
    with_shared_docs,
    year_span_text,
)
from trotsky_edu.plots.canvas import axes_for, draw_empty, new_axes, set_title, wants_new_figure
from trotsky_edu.plots.label_layout import RowLabel, stack_labels
from trotsky_edu.plots.style import MUTED_GREY, colour_for, text_colour
from trotsky_edu.plots.wording import date_span, format_when
from trotsky_edu.plots.text_metrics import axes_size_inches, line_height_inches, text_width_inches

#: The columns of ``load_events()`` that the timeline reads.
COLUMNS = ("event_id", "date", "title", "lesson", "people")
#: How lessons are named on the chart.
LESSON_NAMES = {
    "early": "Early life",
    "revolution": "Revolution",
    "civil_war": "Civil War",
    "succession": "Succession",
    "exile": "Exile",
}
LABEL_SIZE = "medium"
#: Label rows per lane when ``label="auto"`` and the function makes its own figure.
AUTO_ROWS = 4
#: 10 inches wide, so the 10-point labels meet the projector rule (1 pt per inch of width; tests/test_plots_readability.py).
FIGURE_WIDTH = 10.0
MARGINS = (1.7, 0.3, 0.7, 0.6)  # left, right, bottom, top, inches
LABEL_MODES = ("auto", "all", "none")


def _to_num(dates: pd.Series) -> list[float]:
    return list(mdates.date2num(pd.to_datetime(dates).dt.to_pydatetime()))


def _label_text(row: Mapping[str, object], *, dual_dates: bool) -> str:
    """The event's title; with ``dual_dates``, its day under it, in both calendars if it has an Old Style date."""
    title = str(row["title"])
    if not dual_dates or row.get("precision") != "day":
        return title
    return f"{title}\n{format_when(row['date'], 'day', dual=pd.notna(row.get('date_os')))}"


def _select(events: pd.DataFrame, span, lessons, people) -> pd.DataFrame:
    keep = pd.Series(True, index=events.index)
    if span is not None:
        keep &= events["date"].dt.year.between(*span)
    if lessons is not None:
        keep &= events["lesson"].astype(str).isin(lessons)
    if people is not None:
        keep &= events["people"].map(lambda who: any(p in who for p in people))
    return events[keep].sort_values("date", kind="stable").reset_index(drop=True)


def _lanes(events: pd.DataFrame, *, lanes: str, lessons, people, all_lessons) -> list[tuple[str, str, pd.DataFrame]]:
    """(key, display name, events) for each lane, top to bottom."""
    if lanes == "person":
        return [(p, p, events[events["people"].map(lambda who, p=p: p in who)]) for p in people]
    keys = lessons if lessons is not None else [k for k in all_lessons if (events["lesson"].astype(str) == k).any()]
    return [(k, LESSON_NAMES.get(k, k), events[events["lesson"].astype(str) == k]) for k in keys]


def _x_limits(events: pd.DataFrame, span) -> tuple[float, float]:
    if span is not None:
        first, last = span
        return mdates.date2num(dt.datetime(first, 1, 1)), mdates.date2num(dt.datetime(last + 1, 1, 1))
    if events.empty:
        return mdates.date2num(dt.datetime(FIRST_YEAR, 1, 1)), mdates.date2num(dt.datetime(LAST_YEAR + 1, 1, 1))
    low, high = _to_num(events["date"].iloc[[0, -1]])
    pad = max((high - low) * 0.02, 120)
    return low - pad, high + pad


def _drawn_dates(frame: pd.DataFrame) -> pd.Series:
    """Where each event is drawn: its day, or the middle of the month or year it is known to."""
    if "precision" not in frame:
        return frame["date"]
    middles = [date_span(date, str(precision))[1] for date, precision in zip(frame["date"], frame["precision"])]
    return pd.Series(middles, index=frame.index)


def _layout(lane_events, *, x_limits, width_in, label, max_rows, dual_dates):
    """Rows for every lane's labels: a list of (texts, x positions, label starts, rows) per lane."""
    low, high = x_limits
    per_inch = (high - low) / width_in
    gap = 0.12 * per_inch
    layouts = []
    for frame in lane_events:
        xs = _to_num(_drawn_dates(frame))
        texts = [_label_text(row, dual_dates=dual_dates) for row in frame.to_dict("records")]
        wanted = [
            label == "all" or label == "auto" or (isinstance(label, list) and event_id in label)
            for event_id in frame["event_id"]
        ] if label != "none" else [False] * len(frame)
        items, where = [], []
        for i in _label_order(frame):
            if not wanted[i]:
                continue
            x, text = xs[i], texts[i]
            width = text_width_inches(text, size=LABEL_SIZE) * per_inch
            start = x if x + width <= high else max(x - width, low)  # near the right edge, end at the marker
            items.append(RowLabel(x=x, start=start, width=width, rows=text.count("\n") + 1))
            where.append(i)
        rows = stack_labels(items, max_rows=max_rows, gap=gap)
        placed = {i: (item, row) for i, item, row in zip(where, items, rows) if row is not None}
        layouts.append((xs, texts, placed))
    return layouts


def _label_order(frame: pd.DataFrame) -> list[int]:
    """Positions of a lane's events in labelling order: exactly dated events first, then by date."""
    exact = [str(p) == "day" for p in frame["precision"]] if "precision" in frame else [True] * len(frame)
    return sorted(range(len(frame)), key=lambda i: (not exact[i], i))


def _lane_height(placed) -> float:
    top = max((row + item.rows for item, row in placed.values()), default=0)
    return 1.0 + top + 0.4


@with_shared_docs
def plot_timeline(
    data: pd.DataFrame | None = None,
    *,
    years: int | tuple[int, int] | None = None,
    lessons: str | list[str] | None = None,
    people: str | list[str] | None = None,
    lanes: str = "lesson",
    dual_dates: bool = False,
    label: str | list[str] = "auto",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw events as a timeline with one lane per lesson (or per person) and readable labels.

    Labels are stacked in rows above their markers so that none overlap. With
    ``label="auto"`` each lane keeps a few rows; events with an exact date are labelled
    first, and events whose label does not fit show as markers only (``describe_figure(ax, details=True)``
    lists every event); ``label="all"`` adds rows until every label fits, ``"none"``
    draws markers only, and a list of event ids labels just those. A hollow marker means
    the date is known only to the month or year.

    Parameters
    ----------
    {data}
    {years}
    lessons : str or list of str, optional
        Keep only these lessons (early, revolution, civil_war, succession, exile).
    people : str or list of str, optional
        Keep only events in which one of these people (``person_id``) took part.
    lanes : {{"lesson", "person"}}
        One lane per lesson, or one per person given in ``people``.
    dual_dates : bool
        Write the day under the label of every event dated to the day: in both calendars
        for Russian events before February 1918, as "25 October [O.S.] / 7 November 1917",
        and once for the rest, as "3 March 1918", so the switch of calendars shows.
    label : {{"auto", "all", "none"}} or list of str
        Which events get a text label (see above).
    {ax}
    {kwargs}

    Returns
    -------
    {returns}
    """
    events = load_events_default() if data is None else check_data(data, COLUMNS, function="plot_timeline",
                                                                    like="load_events()")
    span = check_years(years)
    all_lessons = categories_of(events["lesson"])
    lessons = check_choices(lessons, all_lessons, what="lesson")
    known_people = sorted(set(chain.from_iterable(events["people"])))
    people = check_choices(people, known_people, what="person id")
    lanes = check_choice(lanes, ("lesson", "person"), what="lanes option")
    if lanes == "person" and not people:
        raise ValueError("lanes='person' needs people=[...]: the person ids to give a lane each.")
    if isinstance(label, str):
        label = check_choice(label, LABEL_MODES, what="label option")
    else:
        label = check_choices(label, list(events["event_id"]), what="event id")

    selected = _select(events, span, lessons, people)
    lane_list = _lanes(selected, lanes=lanes, lessons=lessons, people=people, all_lessons=all_lessons)
    x_limits = _x_limits(selected, span)

    own_figure = wants_new_figure(ax)
    line_in = line_height_inches(size=LABEL_SIZE)
    if own_figure:
        width_in = FIGURE_WIDTH - MARGINS[0] - MARGINS[1]
        max_rows = None if label == "all" else AUTO_ROWS
    else:
        ax = axes_for(ax, figsize=(FIGURE_WIDTH, 6))
        width_in, height_in = axes_size_inches(ax)
        rows_per_lane = height_in / line_in / max(len(lane_list), 1)
        max_rows = None if label == "all" else max(int(rows_per_lane - 1.4), 0)
    layouts = _layout([frame for _, _, frame in lane_list], x_limits=x_limits, width_in=width_in,
                      label=label, max_rows=max_rows, dual_dates=dual_dates)
    heights = [_lane_height(placed) for _, _, placed in layouts]
    total = sum(heights) if heights else 1.0
    if own_figure:
        ax = new_axes(width=FIGURE_WIDTH, height=max(total * line_in, 1.5) + MARGINS[2] + MARGINS[3],
                      margins=MARGINS)

    # Name the years the events cover, not the padded axis.
    if span:
        first_year, last_year = span
    elif not selected.empty:
        first_year, last_year = int(selected["date"].min().year), int(selected["date"].max().year)
    else:
        first_year, last_year = int(mdates.num2date(x_limits[0]).year), int(mdates.num2date(x_limits[1]).year)
    _draw(ax, lane_list, layouts, heights, total=total, x_limits=x_limits, kwargs=kwargs)
    title = "Trotsky's life and times" if span is None and lessons is None and people is None else "Events"
    set_title(ax, f"{title}, {first_year}–{last_year}" if first_year != last_year else f"{title}, {first_year}")
    if selected.empty:
        draw_empty(ax, _empty_message(span, lessons, people, first_year, last_year))
    attach_description(ax, _description(selected, lane_list, layouts, first_year, last_year, title))
    return ax


def load_events_default() -> pd.DataFrame:
    """The bundled events (kept apart so that the plots module stays free of loader details)."""
    from trotsky_edu.datasets import load_events

    return load_events()


def _draw(ax, lane_list, layouts, heights, *, total, x_limits, kwargs) -> None:
    base = total
    ticks, tick_names = [], []
    any_coarse = False
    for index, ((key, name, frame), (xs, texts, placed), height) in enumerate(zip(lane_list, layouts, heights)):
        base -= height
        colour = colour_for(index)
        if index % 2 == 1:
            ax.axhspan(base, base + height, color="#F3F3F3", zorder=0, linewidth=0)
        marker_y = base + 0.5
        ticks.append(marker_y)
        tick_names.append(name)
        coarse = [p != "day" for p in frame["precision"].astype(str)] if "precision" in frame else [False] * len(xs)
        any_coarse |= any(coarse)
        style = {"s": 60, "zorder": 3, "linewidths": 1.5, **kwargs}
        ax.scatter(xs, [marker_y] * len(xs), facecolors=["white" if c else colour for c in coarse],
                   edgecolors=colour, gid=f"lane-{key}", **style)
        leaders = []
        for i, (item, row) in placed.items():
            y = base + 1 + row + item.rows / 2
            ax.text(item.start, y, texts[i], ha="left", va="center", fontsize=LABEL_SIZE,
                    linespacing=1.2, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.5},
                    gid=f"label-{frame['event_id'].iloc[i]}")
            leaders.append([(item.x, marker_y), (item.x, base + 1 + row + 0.1)])
        ax.add_collection(LineCollection(leaders, colors=MUTED_GREY, linewidths=0.6, zorder=2))
    ax.set_xlim(*x_limits)
    ax.set_ylim(0, total)
    ax.set_yticks(ticks, tick_names)
    for tick, (i, _) in zip(ax.get_yticklabels(), enumerate(ticks)):
        tick.set_color(text_colour(colour_for(i)))
        tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=14))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if any_coarse:
        handles = [
            Line2D([], [], marker="o", linestyle="", color=MUTED_GREY, label="exact day known"),
            Line2D([], [], marker="o", linestyle="", markerfacecolor="white", color=MUTED_GREY,
                   label="month or year only"),
        ]
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2,
                  fontsize="medium", frameon=False, borderaxespad=0.2)


def _empty_message(span, lessons, people, first_year, last_year) -> str:
    message = f"No events {year_span_text(first_year, last_year)}"
    if lessons:
        message += f" in {', '.join(LESSON_NAMES.get(k, k) for k in lessons)}"
    if people:
        message += f" with {', '.join(people)}"
    return message


def _description(selected, lane_list, layouts, first_year, last_year, title) -> FigureDescription:
    n = len(selected)
    span = f"from {first_year} to {last_year}"
    if n == 0:
        return FigureDescription(what=f"An empty timeline: no events {year_span_text(first_year, last_year)}",
                                 span="", caption=f"{title}, {first_year}–{last_year}.")
    counts = [(len(frame), name) for _, name, frame in lane_list]
    lanes = ", ".join(f"{name} ({count})" for count, name in counts)
    first, last = selected.iloc[0], selected.iloc[-1]
    parts = [f"It runs from {first['title']} ({_when(first)}) to {last['title']} ({_when(last)})"]
    if len(counts) > 1:
        busiest = max(counts)
        parts.append(f"the busiest lane is {busiest[1]} with {busiest[0]} events")
    years = selected["date"].dt.year.value_counts()
    if len(years) > 1:
        parts.append(f"the busiest year is {years.idxmax()}, with {years.max()} events")
    labelled = [frame.iloc[i] for (_, _, frame), (_, _, placed) in zip(lane_list, layouts) for i in placed]
    if 0 < len(labelled) < n:
        labelled.sort(key=lambda row: row["date"])
        parts.append(f"the {len(labelled)} labelled events are: " + ", ".join(
            f"{row['title']} ({_when(row)})" for row in labelled) + f"; the other {n - len(labelled)} are markers only")
    elif not labelled:
        parts.append("no event is labelled")
    details = tuple(
        f"{format_when(row['date'], str(row.get('precision', 'day')), dual=pd.notna(row.get('date_os')))}: "
        f"{row['title']}"
        for row in selected.to_dict("records")
    )
    return FigureDescription(
        what=f"Timeline of {n} events in {len(lane_list)} lane{'s' if len(lane_list) != 1 else ''}: {lanes}",
        span=span, point="; ".join(parts), details=details,
        caption=f"{title}, {first_year}–{last_year}. Data: events.csv.",
    )


def _when(row) -> str:
    """An event's date as precisely as it is known, in both calendars when it has an Old Style date."""
    return format_when(row["date"], str(row.get("precision", "day")), dual=pd.notna(row.get("date_os")))
