"""A map of Trotsky's residences: numbered stops joined by arrows in order, with dates.

Each stay is named as the place was called when he arrived (Saint Petersburg in 1905,
Petrograd in 1917: :mod:`trotsky_edu.place_names`), on the map's list of stops and in
the route that :func:`~trotsky_edu.plots.alttext.show_figure` adds to the alt text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch

from trotsky_edu.place_names import PlaceNames
from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.arguments import (
    FIRST_YEAR,
    LAST_YEAR,
    check_data,
    check_years,
    with_shared_docs,
    year_span_text,
)
from trotsky_edu.plots.basemap import draw_land
from trotsky_edu.plots.canvas import axes_for, draw_empty, set_title, wants_new_figure
from trotsky_edu.plots.fates import TROTSKY_DIED
from trotsky_edu.plots.label_layout import alignment, axes_box_inches, place_point_labels
from trotsky_edu.plots.style import MUTED_GREY, OKABE_ITO
from trotsky_edu.plots.text_metrics import axes_size_inches, font_points, line_height_inches, text_width_inches
from trotsky_edu.plots.wording import MONTH_ABBREVIATIONS, format_when

#: The columns of ``load_residences(with_places=True)`` that the map reads.
COLUMNS = ("residence_id", "place_id", "arrived", "departed", "precision", "name", "lat", "lon")
ROUTE_COLOUR = OKABE_ITO["blue"]
STOP_COLOUR = OKABE_ITO["vermillion"]
# 10-point text on a figure 10 inches wide, the projector rule (1 pt per inch of width; tests/test_plots_readability.py):
# so the list of stays goes below the map, not beside it.
NUMBER_SIZE = "medium"
LIST_SIZE = "medium"
MAP_WIDTH = 9.6  # with its margins, a figure 10 inches wide
LIST_ROWS = 24  # most lines in a column of the stop list below the map
MIN_SPAN = (16.0, 10.0)  # smallest extent shown, degrees of longitude and latitude
#: The crowded part of the map that gets an enlarged inset on wide maps (west, east, south, north).
EUROPE = (-12.0, 42.0, 36.0, 66.0)
INSET_WHEN_WIDER_THAN = 70.0  # degrees of longitude
INSET_SIZE = (0.42, 0.5)  # fraction of the map's width and height


def format_stay(arrived: pd.Timestamp, departed: pd.Timestamp, precision: str) -> str:
    """A stay's dates: 'Feb 1929–Jul 1933', '1879–1888', or 'from Jan 1937' for the last home."""

    def one(day: pd.Timestamp) -> str:
        return str(day.year) if precision == "year" else f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"

    if pd.isna(departed):
        return f"from {one(arrived)}"
    first, last = one(arrived), one(departed)
    return first if first == last else f"{first}–{last}"


def place_label(row: Mapping[str, object]) -> str:
    """The period name, with today's name in brackets when it differs ('Prinkipo (Büyükada)')."""
    name, modern = str(row["name"]), row.get("modern_name")
    if pd.isna(modern):
        return name
    modern = str(modern).split(" (")[0].split(",")[0]
    return name if modern in name else f"{name} ({modern})"


def _select(stays: pd.DataFrame, span: tuple[int, int] | None) -> pd.DataFrame:
    stays = stays.sort_values("residence_id", kind="stable")
    if span is not None:
        first, last = span
        departed = stays["departed"].fillna(pd.Timestamp(LAST_YEAR, 12, 31))
        stays = stays[(stays["arrived"].dt.year <= last) & (departed.dt.year >= first)]
    return stays.reset_index(drop=True)


def names_at_arrival(stays: pd.DataFrame, names: PlaceNames | None = None) -> pd.DataFrame:
    """``stays`` with each ``name`` replaced by the place's name when he arrived (kept where no record covers it)."""
    names = PlaceNames.bundled() if names is None else names
    period = [names.at(str(place), arrived, default=str(name)) if pd.notna(arrived) else str(name)
              for place, arrived, name in zip(stays["place_id"], stays["arrived"], stays["name"])]
    return stays.assign(name=period)


def route_text(stays: pd.DataFrame) -> str:
    """The stops in order with the date of arrival: 'Alma-Ata (January 1928) → Constantinople (February 1929) → …'.

    A stay that begins the day the one before it ends, at the same place under the same
    name (a move within Coyoacán, prison after the Soviet in Saint Petersburg), is the same
    stop, dated by the first; a return after time away is a stop of its own.
    """
    stops: list[str] = []
    before: dict | None = None
    for row in stays.to_dict("records"):
        same_stop = (before is not None and (before["place_id"], before["name"]) == (row["place_id"], row["name"])
                     and before["departed"] == row["arrived"])
        if not same_stop:
            stops.append(f"{row['name']} ({format_when(row['arrived'], str(row['precision']))})")
        before = row
    return " → ".join(stops)


def _extent(lons: np.ndarray, lats: np.ndarray) -> tuple[float, float, float, float]:
    """A padded box around the stops: (west, east, south, north), never smaller than ``MIN_SPAN``."""
    west, east, south, north = lons.min(), lons.max(), lats.min(), lats.max()
    pad_lon = max((east - west) * 0.08, (MIN_SPAN[0] - (east - west)) / 2, 2.0)
    pad_lat = max((north - south) * 0.12, (MIN_SPAN[1] - (north - south)) / 2, 2.0)
    return (max(west - pad_lon, -180), min(east + pad_lon, 180),
            max(south - pad_lat, -85), min(north + pad_lat, 85))


@with_shared_docs
def plot_journey(
    data: pd.DataFrame | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
    stop_list: bool = True,
    inset: bool = True,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Map where Trotsky lived, in order: numbered stops, arrows from each stop to the next.

    The map covers the chosen stops with a margin (the 1929–1940 exile reaches from
    Alma-Ata to Mexico, so that map is wide). Each place is marked once; its label gives
    the numbers of every stay there, and the list below the map (beside a map you pass in
    ``ax``) gives each stay's place and dates. The land comes from Natural Earth (public domain), drawn on plain
    longitude/latitude axes.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Stays with the columns of ``load_residences(with_places=True)`` (default).
    start, end : int, optional
        Keep the stays that overlap these years (1879–1940), e.g. ``start=1929, end=1940``.
    stop_list : bool
        Write the numbered list of stays and dates below the map (beside it on ``ax``).
    inset : bool
        When the map is wide and several stops crowd into Europe, draw Europe again,
        enlarged (below the map in a figure of its own, else in a corner of ``ax``);
        the legs between European stops are drawn there.
    {ax}
    {kwargs}

    Returns
    -------
    {returns}
    """
    if data is None:
        from trotsky_edu.datasets import load_residences

        data = load_residences(with_places=True)
    check_data(data, COLUMNS, function="plot_journey", like="load_residences(with_places=True)")
    if start is not None or end is not None:
        span = check_years((FIRST_YEAR if start is None else start, LAST_YEAR if end is None else end))
    else:
        span = None
    stays = names_at_arrival(_select(data, span))
    first = span[0] if span else (int(stays["arrived"].dt.year.min()) if len(stays) else FIRST_YEAR)
    last = span[1] if span else LAST_YEAR

    if stays.empty:
        ax = axes_for(ax, figsize=(MAP_WIDTH, 6))
        _set_extent(ax, (-20, 80, 25, 70))
        draw_land(ax)
        draw_empty(ax, f"No residences {year_span_text(first, last)}")
        _finish(ax, first, last)
        attach_description(ax, FigureDescription(
            what=f"An empty map: no residences {year_span_text(first, last)}", span="",
            caption=f"Trotsky's residences, {first}–{last}."))
        return ax

    lons, lats = stays["lon"].to_numpy(float), stays["lat"].to_numpy(float)
    extent = _extent(lons, lats)
    places = _places(stays)
    inset_box = _inset_box(places, extent) if inset else None
    inside = set() if inset_box is None else set(places.loc[_within(places, inset_box), "place_id"])
    lines = _stop_lines(stays) if stop_list else []

    if wants_new_figure(ax):
        ax, zoom, rows, corner = _own_figure(extent, inset_box, lines)
    else:
        ax = axes_for(ax, figsize=(MAP_WIDTH, 6))
        _set_extent(ax, extent)
        zoom = _corner_inset(ax, places, inset_box) if inset_box else None
        rows = _list_rows(axes_size_inches(ax)[1])
        box = ax.get_position()
        corner = (box.x1 + 0.3 / ax.figure.get_size_inches()[0], box.y1)
    _set_extent(ax, extent)
    draw_land(ax)
    _draw_map(ax, stays, places, skip=inside, kwargs=kwargs)
    if zoom is not None:
        _set_extent(zoom, inset_box)
        draw_land(zoom)
        _draw_map(zoom, stays, places[places["place_id"].isin(inside)], keep_only=inside, kwargs=kwargs)
        zoom.set_xticks([])
        zoom.set_yticks([])
        set_title(zoom, "Europe, enlarged", fontsize="medium")
        ax.indicate_inset_zoom(zoom, edgecolor=MUTED_GREY, alpha=0.9)
    if lines:
        _draw_stop_list(ax, lines, rows=rows, corner=corner)
    _finish(ax, first, last)
    attach_description(ax, _description(stays, places, first, last, inset=bool(inside)))
    return ax


def _map_height(extent, width: float, *, low: float, high: float) -> float:
    """Height in inches that shows ``extent`` at ``width`` inches, kept between ``low`` and ``high``."""
    west, east, south, north = extent
    aspect = 1 / math.cos(math.radians((south + north) / 2))
    return min(max(width * (north - south) * aspect / (east - west), low), high)


def _list_rows(height: float) -> int:
    """How many lines of the stop list fit beside a map ``height`` inches tall."""
    return max(math.floor(height / line_height_inches(size=LIST_SIZE) * 1.1), 8)


def _own_figure(extent, inset_box, lines: list[str]) -> tuple[Axes, Axes | None, int, tuple[float, float]]:
    """A figure sized for the map, the enlarged Europe below it (if any), and the stop list below them.

    Returns the Axes, the enlarged Europe, the list's lines per column and its top left corner
    (figure fraction). The list takes as many columns as fit the map's width.
    """
    import matplotlib.pyplot as plt

    top_margin, gap, bottom_margin, left_margin = 0.6, 0.55, 0.35, 0.2
    main_h = _map_height(extent, MAP_WIDTH, low=3.5, high=7.0)
    zoom_h = _map_height(inset_box, MAP_WIDTH, low=4.0, high=6.5) if inset_box else 0.0
    maps_h = main_h + (gap + zoom_h if inset_box else 0.0)
    rows = _rows_to_fit(lines, MAP_WIDTH)
    list_h = (min(rows, len(lines)) * line_height_inches(size=LIST_SIZE) * 1.35 + gap) if lines else 0.0
    width = left_margin + MAP_WIDTH + 0.2
    height = top_margin + maps_h + list_h + bottom_margin
    fig = plt.figure(figsize=(width, height))

    def rect(bottom: float, h: float) -> tuple[float, float, float, float]:
        return (left_margin / width, bottom / height, MAP_WIDTH / width, h / height)

    maps_bottom = bottom_margin + list_h
    ax = fig.add_axes(rect(maps_bottom + maps_h - main_h, main_h))
    zoom = fig.add_axes(rect(maps_bottom, zoom_h)) if inset_box else None
    return ax, zoom, rows, (left_margin / width, (maps_bottom - gap) / height)


def _rows_to_fit(lines: list[str], width: float) -> int:
    """Lines per column of the stop list: as few columns as keep each to :data:`LIST_ROWS` lines and fit ``width``."""
    for columns in range(-(-len(lines) // LIST_ROWS), len(lines) + 1):
        rows = -(-len(lines) // columns)
        split = [lines[i:i + rows] for i in range(0, len(lines), rows)]
        if sum(max(text_width_inches(line, size=LIST_SIZE) for line in column) + 0.3 for column in split) <= width:
            return rows
    return max(len(lines), 1)


def _corner_inset(ax: Axes, places: pd.DataFrame, inset_box) -> Axes:
    """An enlarged-Europe Axes in the corner of a caller's map that hides the fewest stops."""
    x0, y0, w, h = _inset_corner(ax, places)
    box = ax.get_position()
    return ax.figure.add_axes((box.x0 + x0 * box.width, box.y0 + y0 * box.height, w * box.width, h * box.height))


def _set_extent(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    """Show at least ``extent`` at the map's aspect, widening it to fill the Axes' box exactly."""
    west, east, south, north = extent
    aspect = 1 / math.cos(math.radians((south + north) / 2))
    width, height = axes_size_inches(ax)
    lon_span, lat_span = east - west, north - south
    if lat_span * aspect / lon_span < height / width:
        grow = (lon_span * height / width / aspect - lat_span) / 2
        south, north = south - grow, north + grow
    else:
        grow = (lat_span * aspect * width / height - lon_span) / 2
        west, east = west - grow, east + grow
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(aspect, adjustable="box")


def _within(places: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.Series:
    west, east, south, north = box
    return places["lon"].between(west, east) & places["lat"].between(south, north)


def _inset_box(places: pd.DataFrame, extent) -> tuple[float, float, float, float] | None:
    """A zoomed box for the crowded European stops, when the whole map is too wide to read them."""
    west, east, south, north = extent
    crowded = places[_within(places, EUROPE)]
    if east - west < INSET_WHEN_WIDER_THAN or len(crowded) < 3 or len(crowded) == len(places):
        return None
    return _extent(crowded["lon"].to_numpy(float), crowded["lat"].to_numpy(float))


def _inset_corner(ax: Axes, places: pd.DataFrame) -> tuple[float, float, float, float]:
    """Inset bounds (axes fraction) in the corner that hides the fewest stops, Europe's included."""
    to_axes = ax.transAxes.inverted().transform
    points = to_axes(ax.transData.transform(places[["lon", "lat"]].to_numpy(float)))
    width, height = INSET_SIZE
    corners = [(1 - width - 0.01, 0.01), (0.01, 0.01), (1 - width - 0.01, 1 - height - 0.01),
               (0.01, 1 - height - 0.01)]

    def hidden(corner: tuple[float, float]) -> int:
        x0, y0 = corner
        return int(sum(x0 <= x <= x0 + width and y0 <= y <= y0 + height for x, y in points))

    x0, y0 = min(corners, key=hidden)
    return (x0, y0, width, height)


def _draw_map(ax: Axes, stays: pd.DataFrame, places: pd.DataFrame, *, skip: set[str] = frozenset(),
              keep_only: set[str] | None = None, kwargs: dict) -> None:
    """Route, stops and numbers on one map; ``skip`` places (shown in the inset) get no numbers and
    no legs among themselves; ``keep_only`` draws just the legs among those places."""
    _draw_route(ax, stays, skip=skip, keep_only=keep_only)
    ax.scatter(places["lon"], places["lat"], s=55, color=STOP_COLOUR, edgecolor="white", linewidth=1.2,
               zorder=4, gid="stops", **kwargs)
    _draw_numbers(ax, places[~places["place_id"].isin(skip)])


def _places(stays: pd.DataFrame) -> pd.DataFrame:
    """One row per place, with the numbers of every stay there, in order of first visit."""
    numbered = stays.assign(number=range(1, len(stays) + 1))
    grouped = numbered.groupby("place_id", sort=False)
    places = grouped.agg(lon=("lon", "first"), lat=("lat", "first"), name=("name", "first"),
                         numbers=("number", list)).reset_index()
    return places


def _draw_route(ax: Axes, stays: pd.DataFrame, *, skip: set[str], keep_only: set[str] | None) -> None:
    """One arrow per move, from each stop to the next; the gid ``leg-N:from->to`` gives the order."""
    points = list(zip(stays["lon"].astype(float), stays["lat"].astype(float)))
    ids = list(stays["place_id"])
    for leg, (a, b) in enumerate(zip(points, points[1:]), start=1):
        here, there = ids[leg - 1], ids[leg]
        if here == there or (here in skip and there in skip):
            continue
        if keep_only is not None and not (here in keep_only and there in keep_only):
            continue
        arrow = FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=14, connectionstyle="arc3,rad=0.18",
                                color=ROUTE_COLOUR, linewidth=1.4, alpha=0.85, shrinkA=4, shrinkB=6, zorder=3,
                                gid=f"leg-{leg}:{ids[leg - 1]}->{ids[leg]}")
        # add_artist, not add_patch: the map's limits are already fixed (_set_extent), and add_patch would
        # work out each curved, shrunk arrow in display space only to update data limits nothing reads.
        ax.add_artist(arrow)


def _numbers_text(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers))


def _draw_numbers(ax: Axes, places: pd.DataFrame) -> None:
    """The stay numbers beside each place, set where they cover no other label or stop."""
    dpi = ax.figure.dpi
    to_inches = ax.transData.transform(places[["lon", "lat"]].to_numpy(float)) / dpi
    texts = [_numbers_text(n) for n in places["numbers"]]
    height = font_points(NUMBER_SIZE) * 1.5 / 72
    sizes = [(text_width_inches(t, size=NUMBER_SIZE) + 0.08, height) for t in texts]
    directions = place_point_labels([tuple(p) for p in to_inches], sizes, offset=0.06, bounds=axes_box_inches(ax))
    for (lon, lat), text, (dx, dy) in zip(places[["lon", "lat"]].to_numpy(float), texts, directions):
        ax.annotate(text, (lon, lat), xytext=(dx * 6, dy * 6), textcoords="offset points", **alignment((dx, dy)),
                    fontsize=NUMBER_SIZE, fontweight="bold", zorder=5, gid="stop-number",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _stop_lines(stays: pd.DataFrame) -> list[str]:
    """'12  Prinkipo (Büyükada), Apr 1929–Nov 1932' for each stay."""
    return [
        f"{i:>2}  {place_label(row)}, {format_stay(row['arrived'], row['departed'], str(row['precision']))}"
        for i, row in enumerate(stays.to_dict("records"), start=1)
    ]


def _draw_stop_list(ax: Axes, lines: list[str], *, rows: int, corner: tuple[float, float]) -> None:
    """The numbered stays with dates, ``rows`` to a column, from ``corner`` (top left, figure fraction)."""
    fig = ax.figure
    fig_w = fig.get_size_inches()[0]
    x, top = corner
    for start in range(0, len(lines), rows):
        column = lines[start:start + rows]
        fig.text(x, top, "\n".join(column), ha="left", va="top", fontsize=LIST_SIZE, linespacing=1.35,
                 gid="stop-list")
        x += (max(text_width_inches(line, size=LIST_SIZE) for line in column) + 0.3) / fig_w


def _finish(ax: Axes, first: int, last: int) -> None:
    set_title(ax, f"Where Trotsky lived, {first}–{last}" if first != last else f"Where Trotsky lived, {first}")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.995, 0.005, "Land: Natural Earth (public domain)", transform=ax.transAxes, ha="right",
            va="bottom", fontsize="medium", color=MUTED_GREY)


def _description(stays: pd.DataFrame, places: pd.DataFrame, first: int, last: int, *, inset: bool) -> FigureDescription:
    rows = stays.to_dict("records")
    labels = [place_label(row) for row in rows]
    west = places.loc[places["lon"].idxmin(), "name"]
    east = places.loc[places["lon"].idxmax(), "name"]
    ends = stays["departed"].fillna(max(TROTSKY_DIED, stays["arrived"].max()))
    longest = int((ends - stays["arrived"]).idxmax())
    end = format_when(rows[-1]["departed"], str(rows[-1]["precision"])) if pd.notna(rows[-1]["departed"]) else str(last)
    details = tuple(
        f"{i}. {label}: {format_stay(row['arrived'], row['departed'], str(row['precision']))}"
        + (f" ({row['circumstance']})" if pd.notna(row.get("circumstance")) else "")
        for i, (label, row) in enumerate(zip(labels, rows), start=1)
    )
    return FigureDescription(
        what=f"Map of Trotsky's {len(stays)} stays at {len(places)} places, numbered and joined by arrows in order",
        span=f"from {format_when(rows[0]['arrived'], str(rows[0]['precision']))} to {end}, "
             f"reaching from {west} in the west to {east} in the east",
        point=f"The longest stay is number {longest + 1}, {labels[longest]} "
              f"({format_stay(rows[longest]['arrived'], rows[longest]['departed'], str(rows[longest]['precision']))})"
              + ("; an inset enlarges the European stops" if inset else ""),
        details=details,
        route=route_text(stays),
        caption=f"Where Trotsky lived, {first}–{last}. Data: residences.csv, places.csv, place_names.csv; "
                "land: Natural Earth.",
    )
