"""Who stood with whom in the succession struggle at one moment: groups drawn as coloured clusters."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.arguments import FIRST_YEAR, LAST_YEAR, categories_of, check_data, with_shared_docs
from trotsky_edu.plots.canvas import axes_for, axes_off, draw_empty, set_title
from trotsky_edu.plots.names import name_lookup, name_of, people_table
from trotsky_edu.plots.style import OKABE_ITO, colour_for, readable_points, text_colour
from trotsky_edu.plots.wording import format_when

#: The columns of ``load_factions()`` that the chart reads.
COLUMNS = ("alignment", "person_id", "start", "end")
#: How each grouping is named on the chart.
ALIGNMENT_NAMES = {
    "troika": "Troika",
    "new_opposition": "New Opposition",
    "united_opposition": "United Opposition",
    "left_opposition": "Left Opposition",
    "majority": "Stalin's majority",
}
#: The named moments, each a grouping whose time is shown.
MOMENTS = ("troika", "new_opposition", "united_opposition", "left_opposition", "majority")
FOCUS = "trotsky"


def moment_date(factions: pd.DataFrame, moment: str | pd.Timestamp) -> pd.Timestamp:
    """The date a moment stands for: a named grouping's midpoint, or the date given (1879–1940)."""
    if isinstance(moment, str) and moment in MOMENTS:
        rows = factions[factions["alignment"].astype(str) == moment]
        if rows.empty:
            raise ValueError(f"The factions data has no {moment!r} grouping to show.")
        start, end = rows["start"].min(), rows["end"].max()
        return (start + (end - start) / 2).normalize()
    try:
        date = pd.Timestamp(moment)
    except (ValueError, TypeError):
        raise ValueError(
            f"Unknown moment {moment!r}; choose one of: {', '.join(MOMENTS)}, or a date such as '1926-06-01'."
        ) from None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"The date {moment!r} is outside the course; choose a date from {FIRST_YEAR} to {LAST_YEAR}.")
    return date


def groups_on(factions: pd.DataFrame, date: pd.Timestamp) -> dict[str, list[str]]:
    """alignment → person ids of those in it on ``date`` (start inclusive, end exclusive), in category order."""
    active = factions[(factions["start"] <= date) & (date < factions["end"])]
    order = categories_of(factions["alignment"])
    return {
        key: list(dict.fromkeys(active.loc[active["alignment"].astype(str) == key, "person_id"].astype(str)))
        for key in order
        if (active["alignment"].astype(str) == key).any()
    }


@with_shared_docs
def plot_alliances(
    data: pd.DataFrame | None = None,
    *,
    moment: str = "troika",
    people: pd.DataFrame | None = None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw who stood with whom at one moment of the succession struggle, 1922–1927.

    Each grouping active on that date is a coloured cluster; its members are nodes joined
    to one another, with their names beside them. Trotsky is drawn larger. A named moment
    ("troika", "new_opposition", "united_opposition", "left_opposition", "majority")
    shows the midpoint of that grouping's time; a date such as ``"1926-06-01"`` shows that day.

    Parameters
    ----------
    {data}
    moment : str
        A named moment or an ISO date.
    {people_table}
    {ax}
    {kwargs}

    Returns
    -------
    {returns}
    """
    if data is None:
        from trotsky_edu.datasets import load_factions

        data = load_factions()
    check_data(data, COLUMNS, function="plot_alliances", like="load_factions()")
    date = moment_date(data, moment)
    groups = groups_on(data, date)
    names = name_lookup(people_table(people))
    ax = axes_for(ax, figsize=(10, 5.5))
    size = readable_points(ax.figure)  # names grow with a wide figure (two charts side by side, say)
    when = format_when(date, "month")
    set_title(ax, f"Who stood with whom, {when}", fontsize=size * 1.2)
    ax.set_aspect("equal")
    axes_off(ax)
    if not groups:
        first, last = data["start"].min().year, data["end"].max().year
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        draw_empty(ax, f"No groupings recorded in {when} (the data covers {first}–{last})")
        attach_description(ax, FigureDescription(what=f"An empty chart: no groupings recorded in {when}", span="",
                                                 caption=f"Who stood with whom, {when}."))
        return ax

    all_keys = categories_of(data["alignment"])
    radii = [1.0 + 0.28 * len(members) for members in groups.values()]
    x = 0.0
    for index, ((key, members), radius) in enumerate(zip(groups.items(), radii)):
        x += radius if index else 0.0
        _draw_cluster(ax, key, members, (x, 0.0), radius, colour_for(all_keys.index(key)), names, size, kwargs)
        x += radius + 1.6
    right = x - 1.6
    ax.set_xlim(-radii[0] - 1.8, right + 1.8)
    top = max(radii)
    ax.set_ylim(-top - 1.0, top + 1.8)
    attach_description(ax, _description(groups, names, when, moment))
    return ax


def _draw_cluster(ax, key, members, centre, radius, colour, names, size, kwargs) -> None:
    cx, cy = centre
    ax.add_patch(Circle(centre, radius + 0.35, facecolor=colour, alpha=0.13, edgecolor=colour, linewidth=2,
                        gid=f"group-{key}"))
    ax.text(cx, cy + radius + 0.55, ALIGNMENT_NAMES.get(key, key), ha="center", va="bottom",
            fontsize=size * 1.2, fontweight="bold", color=text_colour(colour))
    n = len(members)
    ring = 0.0 if n == 1 else radius * 0.62
    points = [(cx + ring * math.cos(math.pi / 2 - 2 * math.pi * i / n),
               cy + ring * math.sin(math.pi / 2 - 2 * math.pi * i / n)) for i in range(n)]
    edges = [(points[i], points[j]) for i in range(n) for j in range(i + 1, n)]
    ax.add_collection(LineCollection(edges, colors=colour, linewidths=1.0, alpha=0.45, zorder=1))
    sizes = [260 if person == FOCUS else 120 for person in members]
    ax.scatter([p[0] for p in points], [p[1] for p in points], s=sizes, color=colour, edgecolor="white",
               linewidth=1.5, zorder=3, gid=f"members-{key}", **kwargs)
    for (px, py), person in zip(points, members):
        dx, dy = px - cx, py - cy
        outward = math.hypot(dx, dy) or 1.0
        ha = "center" if abs(dx) < 0.2 * outward else ("left" if dx > 0 else "right")
        va = "bottom" if dy >= 0 else "top"
        label = name_of(person, names).split()[-1]
        ax.annotate(label, (px, py), xytext=(8 * dx / outward, 8 * dy / outward if n > 1 else 10),
                    textcoords="offset points", ha=ha, va=va, zorder=4, fontsize=size,
                    fontweight="bold" if person == FOCUS else "normal",
                    color=OKABE_ITO["black"], gid=f"name-{person}")


def _description(groups: dict[str, list[str]], names: dict[str, str], when: str, moment) -> FigureDescription:
    parts = [f"{ALIGNMENT_NAMES.get(k, k)}: {', '.join(name_of(p, names) for p in members)}"
             for k, members in groups.items()]
    sides = [ALIGNMENT_NAMES.get(k, k) for k, members in groups.items() if FOCUS in members]
    point = (f"Trotsky stands with the {', '.join(sides)}" if sides else "Trotsky is in none of these groups")
    sizes = sorted((len(members), k) for k, members in groups.items())
    if len(sizes) > 1 and sizes[-1][0] > sizes[-2][0]:
        size, biggest = sizes[-1]
        point += f"; the largest group is the {ALIGNMENT_NAMES.get(biggest, biggest)} ({size} people)"
    return FigureDescription(
        what=f"Network of {len(groups)} grouping{'s' if len(groups) != 1 else ''} in the succession struggle: "
             + "; ".join(parts),
        span=f"as they stood in {when}" + (f" (the {ALIGNMENT_NAMES.get(moment, moment)} moment)"
                                           if isinstance(moment, str) and moment in MOMENTS else ""),
        point=point, details=tuple(parts),
        caption=f"Who stood with whom, {when}. Data: factions.csv.",
    )
