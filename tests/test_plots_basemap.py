"""The shipped basemap loads without network, and the converter decodes TopoJSON correctly."""

import importlib.util
import json
from pathlib import Path

import matplotlib.pyplot as plt

from trotsky_edu.plots.basemap import draw_land, land_path, load_land

TOOL = Path(__file__).parents[1] / "tools" / "make_basemap.py"


def _tool():
    spec = importlib.util.spec_from_file_location("make_basemap", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_land_has_continents_within_lon_lat_ranges():
    land = load_land()
    assert len(land) > 100
    lons = [lon for polygon in land for ring in polygon for lon, _ in ring]
    lats = [lat for polygon in land for ring in polygon for _, lat in ring]
    assert min(lats) > -60 and max(lats) < 85  # Antarctica left out
    assert min(lons) < -170 and max(lons) > 170


def test_moscow_is_on_land_and_the_caspian_is_a_hole():
    from matplotlib.path import Path as MplPath

    outers = [MplPath(polygon[0]) for polygon in load_land()]
    holes = [MplPath(hole) for polygon in load_land() for hole in polygon[1:]]
    assert any(outer.contains_point((37.6, 55.75)) for outer in outers)  # Moscow
    assert any(hole.contains_point((51.0, 42.0)) for hole in holes)  # Caspian Sea
    assert not any(outer.contains_point((-40.0, 30.0)) for outer in outers)  # Atlantic
    assert land_path().contains_point((37.6, 55.75))


def test_draw_land_adds_one_patch_under_the_data():
    fig, ax = plt.subplots()
    patch = draw_land(ax)
    assert list(ax.patches) == [patch] and patch.get_zorder() == 0


def test_basemap_file_states_source_and_licence():
    folder = Path(__file__).parents[1] / "data" / "basemap"
    document = json.loads((folder / "land_110m.json").read_text(encoding="utf-8"))
    assert document["licence"] == "public domain"
    assert "Natural Earth" in (folder / "README.md").read_text(encoding="utf-8")


def test_tool_decodes_delta_encoded_arcs_with_transform():
    tool = _tool()
    topology = {"transform": {"scale": [0.5, 0.25], "translate": [10, 20]}, "arcs": [[[0, 0], [2, 0], [0, 4]]]}
    assert tool.decode_arcs(topology) == [[(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]]


def test_tool_joins_arcs_and_reverses_negative_indices():
    tool = _tool()
    arcs = [[(0, 0), (1, 0)], [(1, 1), (1, 0)]]
    assert tool.ring_points([0, ~1], arcs) == [(0, 0), (1, 0), (1, 1)]


def test_tool_orients_outer_rings_anticlockwise_and_unwraps_the_dateline():
    tool = _tool()
    clockwise = [(0, 0), (0, 1), (1, 1), (1, 0)]
    assert tool.signed_area([tuple(p) for p in tool.rounded(clockwise, clockwise=False)]) > 0
    assert tool.unwrapped([(179.0, 0.0), (-179.0, 0.0)]) == [(179.0, 0.0), (181.0, 0.0)]
