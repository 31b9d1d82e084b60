"""The land outlines under the journey maps: Natural Earth 1:110m, shipped in ``data/basemap``.

The file is made once by ``tools/make_basemap.py`` (see ``data/basemap/README.md`` for
source, version and the public-domain licence); nothing is downloaded at run time. Maps
are drawn on plain longitude/latitude axes (an equirectangular projection), with
matplotlib only.
"""

from __future__ import annotations

import json
from functools import cache

from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from trotsky_edu.datasets import data_dir
from trotsky_edu.plots.style import MUTED_GREY

BASEMAP_FILE = ("basemap", "land_110m.json")
LAND_COLOUR = "#E8E4DA"
SEA_COLOUR = "#F2F7FA"


@cache
def load_land() -> tuple[tuple[tuple[tuple[float, float], ...], ...], ...]:
    """Land polygons as tuples of rings (outer ring first, then holes) of (lon, lat) points."""
    folder = data_dir()
    for part in BASEMAP_FILE:
        folder = folder / part
    document = json.loads(folder.read_text(encoding="utf-8"))
    return tuple(
        tuple(tuple((lon, lat) for lon, lat in ring) for ring in polygon) for polygon in document["polygons"]
    )


@cache
def land_path() -> Path:
    """All land as one compound path; holes run the other way round, so lakes and seas stay open."""
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in load_land():
        for ring in polygon:
            vertices.extend(ring)
            vertices.append(ring[0])
            codes.extend([Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY])
    return Path(vertices, codes)


def draw_land(ax: Axes) -> PathPatch:
    """Fill the land on ``ax`` (in lon/lat degrees) under everything else, with a pale sea behind.

    The land is added as a plain artist, leaving the data limits alone: the map sets its own
    extent, and working out the limits of the whole world's coastline would cost more than
    drawing it.
    """
    ax.set_facecolor(SEA_COLOUR)
    patch = PathPatch(land_path(), facecolor=LAND_COLOUR, edgecolor=MUTED_GREY, linewidth=0.4,
                      zorder=0, gid="basemap-land", transform=ax.transData)
    ax.add_artist(patch)
    return patch
