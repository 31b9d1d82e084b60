"""Convert Natural Earth 1:110m land (TopoJSON, from the npm package ``world-atlas``) into
the small basemap file the journey maps draw: ``data/basemap/land_110m.json``.

Run once, by hand, when the basemap should change; nothing downloads at run time::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_basemap.py /tmp/package/land-110m.json data/basemap/land_110m.json

TopoJSON stores each outline once as an "arc": a list of quantized points, each after the
first written as a step from the one before. A polygon ring names the arcs it follows
(``~i`` means arc ``i`` walked backwards). The output is plain lon/lat, rounded to two
decimals, each polygon a list of rings (outer ring counter-clockwise first, holes clockwise
after it), without Antarctica, which no map in the course reaches. Rings that cross the
180th meridian (Chukotka, Fiji) are unwrapped into one piece and drawn twice, once on each
side, so that a map cut at ±180° shows both halves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DECIMALS = 2
SOUTHERNMOST = -60.0  # rings wholly south of this (Antarctica) are left out


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a quantized TopoJSON topology as absolute (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs into one closed list of points; ``~i`` walks arc ``i`` backwards."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # each arc starts where the last ended
    return points


def unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Remove the 360° jumps where a ring crosses the 180th meridian, so it stays in one piece."""
    out = [points[0]]
    for lon, lat in points[1:]:
        previous = out[-1][0]
        lon += 360 * round((previous - lon) / 360)
        out.append((lon, lat))
    return out


def recentred(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Shift an unwrapped ring by whole turns so that as many points as possible lie in [-180, 180]."""
    def outside(shift: int) -> int:
        return sum(not -180 <= lon + shift <= 180 for lon, _ in points)

    shift = min((0, 360, -360), key=outside)
    return [(lon + shift, lat) for lon, lat in points]


def signed_area(points: list[tuple[float, float]]) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise on a lon/lat plane."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))


def rounded(points: list[tuple[float, float]], *, clockwise: bool) -> list[list[float]]:
    """Round to ``DECIMALS``, drop repeated points, and orient the ring as asked."""
    out: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    if (signed_area([tuple(p) for p in out]) < 0) != clockwise:
        out.reverse()
    return out


def land_polygons(topology: dict, *, object_name: str = "land") -> list[list[list[list[float]]]]:
    """The land polygons of a topology, each ``[outer, *holes]`` of ``[lon, lat]`` points."""
    arcs = decode_arcs(topology)
    polygons = []
    for geometry in topology["objects"][object_name]["geometries"]:
        shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for shape in shapes:
            rings = [ring_points(ring, arcs) for ring in shape]
            if max(lat for _, lat in rings[0]) < SOUTHERNMOST:
                continue
            outer = recentred(unwrapped(rings[0]))
            holes = [recentred(unwrapped(hole)) for hole in rings[1:]]
            polygon = [rounded(outer, clockwise=False)] + [rounded(hole, clockwise=True) for hole in holes]
            if len(polygon[0]) < 4:
                continue
            polygons.append(polygon)
            lons = [lon for lon, _ in polygon[0]]
            if max(lons) > 180 or min(lons) < -180:
                shift = -360 if max(lons) > 180 else 360
                polygons.append([[[round(lon + shift, DECIMALS), lat] for lon, lat in ring] for ring in polygon])
    return polygons


def main(source: Path, target: Path) -> None:
    """Read the TopoJSON file ``source`` and write the basemap file ``target``."""
    polygons = land_polygons(json.loads(source.read_text(encoding="utf-8")))
    document = {
        "name": "Natural Earth 1:110m land",
        "source": "world-atlas 2.0.2 (npm), land-110m.json, from Natural Earth 4.1.0",
        "licence": "public domain",
        "polygons": polygons,
    }
    target.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(ring) for polygon in polygons for ring in polygon)
    print(f"wrote {target}: {len(polygons)} polygons, {points} points")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
