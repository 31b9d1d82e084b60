"""A Gantt chart of posts held: Trotsky's offices and the party leadership through the 1920s."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.arguments import (
    LAST_YEAR,
    categories_of,
    check_choices,
    check_data,
    check_years,
    with_shared_docs,
    year_span_text,
)
from trotsky_edu.plots.canvas import axes_for, draw_empty, new_axes, set_title, wants_new_figure
from trotsky_edu.plots.names import name_lookup, name_of, people_table
from trotsky_edu.plots.style import MUTED_GREY, colour_for
from trotsky_edu.plots.label_layout import RowLabel, stack_labels
from trotsky_edu.plots.text_metrics import axes_size_inches, line_height_inches, text_width_inches
from trotsky_edu.plots.wording import format_when

#: The columns of ``load_offices()`` that the chart reads.
COLUMNS = ("office_id", "person_id", "post", "body", "start", "end")
#: Shaded periods of the succession struggle, taken from the factions data.
PERIOD_NAMES = {
    "troika": "Troika",
    "left_opposition": "Left Opposition",
    "new_opposition": "New Opposition",
    "united_opposition": "United Opposition",
}
PERIOD_ROW = 1.1  # height of one row of period labels, in bar rows
TWO_LINE_ROW = 1.5  # height of a row whose label takes two lines
LABEL_WIDTH = 56  # characters per line of a row label
# 10 inches wide with 10-point text, the projector rule (tests/test_plots_readability.py)
FIGURE_WIDTH = 10.0
#: Each body's bars are hatched as well as coloured, so colour never tells them apart alone.
HATCHES = ("", "//", "..", "xx", "\\\\", "++")


def _end_dates(offices: pd.DataFrame, people: pd.DataFrame, limit: pd.Timestamp) -> pd.Series:
    """Each post's end: its ``end``, else the holder's death ("held until death"), else ``limit``."""
    died = dict(zip(people["person_id"].astype(str), people["died"])) if "died" in people else {}
    ends = offices["end"].copy()
    for index in ends[ends.isna()].index:
        death = died.get(str(offices.at[index, "person_id"]))
        ends.at[index] = death if death is not None and pd.notna(death) else limit
    return pd.to_datetime(ends).clip(upper=limit)


@with_shared_docs
def plot_offices(
    data: pd.DataFrame | None = None,
    *,
    person: str | list[str] | None = None,
    body: str | list[str] | None = None,
    years: int | tuple[int, int] | None = None,
    periods: bool = True,
    people: pd.DataFrame | None = None,
    factions: pd.DataFrame | None = None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw a Gantt chart of posts: one bar per post and holder, coloured by kind of body.

    Rows that share a post (such as "Politburo member") sit together, so the chart shows
    who sat in the leadership at any date, and where each person dropped out. A post with
    no end date runs to the holder's death (or the chart's edge; an arrowhead says it goes
    on). With ``periods=True`` the troika and the oppositions are marked above the bars and
    shaded behind them.

    Parameters
    ----------
    {data}
    person : str or list of str, optional
        Only these holders (``person_id``), e.g. ``"trotsky"``.
    body : str or list of str, optional
        Only these kinds of body: soviet, government, military, party, comintern.
    {years}
        Default: from the first start to the last end shown (at most 1940).
    periods : bool
        Shade the periods of the succession struggle (from ``load_factions()``).
    {people_table}
    factions : pandas.DataFrame, optional
        The factions table for ``periods`` (default: ``load_factions()``).
    {ax}
    {kwargs}

    Returns
    -------
    {returns}
    """
    if data is None:
        from trotsky_edu.datasets import load_offices

        data = load_offices()
    check_data(data, COLUMNS, function="plot_offices", like="load_offices()")
    span = check_years(years)
    persons = check_choices(person, sorted(set(data["person_id"].astype(str))), what="person id")
    bodies = check_choices(body, categories_of(data["body"]), what="body")
    people = people_table(people)
    names = name_lookup(people)

    chosen = data
    if persons is not None:
        chosen = chosen[chosen["person_id"].astype(str).isin(persons)]
    if bodies is not None:
        chosen = chosen[chosen["body"].astype(str).isin(bodies)]
    limit = pd.Timestamp(span[1] + 1, 1, 1) if span else pd.Timestamp(LAST_YEAR + 1, 1, 1)
    chosen = chosen.assign(shown_end=_end_dates(chosen, people, limit))
    if span is not None:
        chosen = chosen[(chosen["start"].dt.year <= span[1]) & (chosen["shown_end"].dt.year >= span[0])]
    chosen = _ordered(chosen)
    if span is None and not chosen.empty:
        span = (int(chosen["start"].dt.year.min()), min(int(chosen["shown_end"].dt.year.max()), LAST_YEAR))
    first, last = span if span else (1917, 1929)

    single = persons is not None and len(persons) == 1
    rows = chosen.to_dict("records")
    labels = [_row_label(row, names, single=single) for row in rows]
    heights = [TWO_LINE_ROW if "\n" in label else 1.0 for label in labels]
    centres = [sum(heights[:i]) + h / 2 - 0.5 for i, h in enumerate(heights)]
    if wants_new_figure(ax):
        height = max(sum(heights) * line_height_inches(size="medium") * 1.25, 2.0)
        ax = new_axes(width=FIGURE_WIDTH, height=height + 2.0, margins=(4.4, 0.3, 0.9, 1.1))
    else:
        ax = axes_for(ax, figsize=(FIGURE_WIDTH, 7))

    x_low, x_high = mdates.date2num(dt.datetime(first, 1, 1)), mdates.date2num(dt.datetime(last + 1, 1, 1))
    all_bodies = categories_of(data["body"])
    for y, row in zip(centres, rows):
        start, end = mdates.date2num(row["start"]), mdates.date2num(row["shown_end"])
        colour = colour_for(all_bodies.index(str(row["body"])))
        ax.barh(y, max(end - start, 12), left=start, height=0.62, gid=str(row["office_id"]),
                **_look(all_bodies.index(str(row["body"]))), **kwargs)
        if pd.isna(row["end"]) and row["shown_end"] >= limit:  # still held beyond the chart
            ax.plot([min(end, x_high)], [y], marker=">", color=colour, markersize=8, clip_on=False)
    top = -0.6
    if periods:
        found = _periods(factions, x_low, x_high)
        per_inch = (x_high - x_low) / axes_size_inches(ax)[0]
        rows = stack_labels([_period_extent(name, start, end, per_inch) for name, start, end in found],
                            gap=0.1 * per_inch)
        _draw_periods(ax, found, rows, top=top)
        top -= (max(rows, default=-1) + 1) * PERIOD_ROW
    ax.set_yticks(centres, labels)
    ax.set_ylim(sum(heights) - 0.5 if len(chosen) else 1, top)
    ax.set_xlim(x_low, x_high)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=14))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0, labelsize="medium")
    used = [b for b in all_bodies if b in set(chosen["body"].astype(str))]
    if len(used) > 1:
        ax.legend(handles=[Patch(**_look(all_bodies.index(b)), label=b) for b in used],
                  title="body", loc="upper left", bbox_to_anchor=(0, -0.06 * 7 / max(ax.figure.get_size_inches()[1], 1)),
                  ncols=len(used), frameon=False)
    who = name_of(persons[0], names) if single else None
    title = f"Posts held by {who}" if who else "Posts and leadership membership"
    set_title(ax, f"{title}, {first}–{last}")
    if chosen.empty:
        draw_empty(ax, f"No posts {year_span_text(first, last)}")
    attach_description(ax, _description(chosen, names, first, last, title))
    return ax


def _look(index: int) -> dict[str, object]:
    """The fill of the ``index``-th body's bars: its palette colour, hatched in white."""
    return {"facecolor": colour_for(index), "hatch": HATCHES[index % len(HATCHES)], "edgecolor": "white",
            "linewidth": 0}


def _ordered(offices: pd.DataFrame) -> pd.DataFrame:
    """Rows grouped by post (groups in order of their first start), by start within a group."""
    first_start = offices.groupby("post")["start"].transform("min")
    return offices.assign(_group=first_start).sort_values(["_group", "post", "start"], kind="stable").drop(
        columns="_group").reset_index(drop=True)


def _row_label(row: Mapping[str, object], names: dict[str, str], *, single: bool) -> str:
    text = str(row["post"]) if single else f"{name_of(str(row['person_id']), names)}: {row['post']}"
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH)) or text


def _periods(factions: pd.DataFrame | None, x_low: float, x_high: float) -> list[tuple[str, float, float]]:
    """(name, start, end) of each named grouping inside the chart, from its first start to its last end."""
    if factions is None:
        from trotsky_edu.datasets import load_factions

        factions = load_factions()
    found = []
    for key, name in PERIOD_NAMES.items():
        rows = factions[factions["alignment"].astype(str) == key]
        if rows.empty:
            continue
        start, end = mdates.date2num(rows["start"].min()), mdates.date2num(rows["end"].max())
        if end > x_low and start < x_high:
            found.append((name, max(start, x_low), min(end, x_high)))
    return found


def _period_extent(name: str, start: float, end: float, per_inch: float) -> RowLabel:
    """The stretch of the x axis a period's bracket and centred name take up."""
    half = text_width_inches(name, size="medium") * per_inch / 2
    centre = (start + end) / 2
    left = min(start, centre - half)
    return RowLabel(x=centre, start=left, width=max(end, centre + half) - left)


def _draw_periods(ax: Axes, periods: list[tuple[str, float, float]], rows: list[int], *, top: float) -> None:
    """Each period as a labelled bracket above the bars, stacked where they overlap."""
    for (name, start, end), row in zip(periods, rows):
        y = top - (row + 0.5) * PERIOD_ROW
        ax.plot([start, start, end, end], [y + 0.45, y + 0.3, y + 0.3, y + 0.45], color=MUTED_GREY,
                linewidth=1.2, gid=f"period-{name}")
        ax.text((start + end) / 2, y - 0.05, name, ha="center", va="center", fontsize="medium", color="#333333")


def _description(chosen: pd.DataFrame, names: dict[str, str], first: int, last: int, title: str) -> FigureDescription:
    """What the bars show: which posts end inside the chart's years (and when), and which are still held after it."""
    caption = f"{title}, {first}–{last}. Data: offices.csv."
    if chosen.empty:
        return FigureDescription(what=f"An empty chart: no posts {year_span_text(first, last)}", span="",
                                 caption=caption)
    holders = list(dict.fromkeys(name_of(p, names) for p in chosen["person_id"].astype(str)))
    single = len(holders) == 1
    limit = pd.Timestamp(last + 1, 1, 1)

    def post(row) -> str:
        return str(row["post"]) if single else f"{row['post']} ({name_of(str(row['person_id']), names)})"

    ended = chosen[chosen["shown_end"] < limit].sort_values("shown_end", kind="stable")
    held = chosen[chosen["shown_end"] >= limit]
    parts = []
    if len(ended):
        parts.append(f"ended by {last}, in order: "
                     + "; ".join(f"{post(r)}, {_end_text(r)}" for r in ended.to_dict("records")))
    if len(held):
        parts.append(f"still held after {last}: " + "; ".join(post(r) for r in held.to_dict("records")))
    point = " — ".join(parts)
    details = tuple(
        f"{name_of(str(r['person_id']), names)}: {r['post']} ({r['body']}), from {_when(r, 'start')} "
        + (f"to {_when(r, 'end')}" if pd.notna(r["end"]) else "until death" if r["shown_end"] < limit else "onwards")
        for r in chosen.to_dict("records")
    )
    return FigureDescription(
        what=f"Gantt chart of {len(chosen)} posts held by {len(holders)} "
             f"{'person' if single else 'people'} ({', '.join(holders[:8])}{', …' if len(holders) > 8 else ''})",
        span=f"from {first} to {last}", point=point[:1].upper() + point[1:], details=details, caption=caption,
    )


def _when(row: Mapping[str, object], column: str) -> str:
    """A post's start or end as precisely as it is known."""
    return format_when(row[column], str(row.get("precision", "day")))


def _end_text(row: Mapping[str, object]) -> str:
    """'13 March 1918', or 'at death, 21 January 1924' for a post held until the holder died."""
    if pd.notna(row["end"]):
        return _when(row, "end")
    return f"at death, {format_when(row['shown_end'], 'day')}"
