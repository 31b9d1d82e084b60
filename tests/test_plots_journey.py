"""plot_journey numbers the stops, joins them by arrows in order, and fits the map to them."""

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import FancyArrowPatch

from trotsky_edu import load_residences, place_name
from trotsky_edu.plots.alttext import describe_figure
from trotsky_edu.plots.wording import format_when
from trotsky_edu.plots.journey import format_stay, place_label, plot_journey


def _stays(rows=None):
    rows = rows or [
        ("alma_ata", "Alma-Ata", "Almaty", 43.24, 76.89, "1928-01-25", "1929-01-20"),
        ("buyukada", "Prinkipo", "Büyükada", 40.86, 29.12, "1929-03-01", "1933-07-17"),
        ("barbizon", "Barbizon", "Barbizon", 48.44, 2.6, "1933-11-01", "1934-04-01"),
        ("honefoss", "Hønefoss", "Hønefoss", 60.17, 10.26, "1935-06-18", "1936-12-19"),
        ("coyoacan", "Coyoacán", "Coyoacán", 19.35, -99.16, "1937-01-09", None),
    ]
    frame = pd.DataFrame(rows, columns=["place_id", "name", "modern_name", "lat", "lon", "arrived", "departed"])
    frame["arrived"] = pd.to_datetime(frame["arrived"])
    frame["departed"] = pd.to_datetime(frame["departed"])
    frame.insert(0, "residence_id", range(1, len(frame) + 1))
    frame["precision"] = "day"
    frame["circumstance"] = "exile"
    return frame


def _legs(ax):
    arrows = [p for a in ax.figure.axes for p in a.patches if isinstance(p, FancyArrowPatch)]
    legs = [re.fullmatch(r"leg-(\d+):(\w+)->(\w+)", a.get_gid()).groups() for a in arrows]
    return sorted((int(n), a, b) for n, a, b in legs)


def test_arrows_join_the_stops_in_order():
    ax = plot_journey(_stays(), inset=False)
    assert _legs(ax) == [(1, "alma_ata", "buyukada"), (2, "buyukada", "barbizon"),
                         (3, "barbizon", "honefoss"), (4, "honefoss", "coyoacan")]


def test_arrows_keep_their_order_across_the_inset():
    ax = plot_journey(_stays())
    assert [n for n, _, _ in _legs(ax)] == [1, 2, 3, 4]
    assert len(ax.figure.axes) == 2  # the map and the enlarged Europe


def test_one_marker_per_place_and_numbers_for_repeat_visits():
    rows = [
        ("moscow", "Moscow", "Moscow", 55.75, 37.62, "1918-03-01", "1928-01-16"),
        ("alma_ata", "Alma-Ata", "Almaty", 43.24, 76.89, "1928-01-25", "1929-01-20"),
        ("moscow", "Moscow", "Moscow", 55.75, 37.62, "1929-01-21", "1929-01-22"),
    ]
    ax = plot_journey(_stays(rows))
    (stops,) = [c for c in ax.collections if c.get_gid() == "stops"]
    assert len(stops.get_offsets()) == 2
    numbers = sorted(t.get_text() for t in ax.texts if t.get_gid() == "stop-number")
    assert numbers == ["1, 3", "2"]


def test_arrows_are_clipped_to_the_map_and_not_measured_for_its_limits(monkeypatch):
    """The extent is fixed before the route is drawn; measuring each curved arrow for data limits is wasted."""
    from matplotlib.axes import Axes

    measured = []
    real = Axes._update_patch_limits
    monkeypatch.setattr(Axes, "_update_patch_limits", lambda ax, patch: measured.append(patch) or real(ax, patch))
    ax = plot_journey(_stays())
    arrows = [p for a in ax.figure.axes for p in a.patches if isinstance(p, FancyArrowPatch)]
    assert arrows and not any(isinstance(p, FancyArrowPatch) for p in measured)
    assert all(arrow.get_clip_box() is not None for arrow in arrows)  # clipped to the map, as add_patch does


def test_extent_covers_every_stop():
    ax = plot_journey(_stays(), inset=False)
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    assert west < -99.16 and east > 76.89 and south < 19.35 and north > 60.17


def test_years_select_overlapping_stays():
    ax = plot_journey(_stays(), start=1933, end=1935, inset=False)
    assert [n for n, _, _ in _legs(ax)] == [1, 2]
    assert ax.get_title(loc="left") == "Where Trotsky lived, 1933–1935"


def test_stop_list_gives_dates():
    ax = plot_journey(_stays())
    (listing,) = [t.get_text() for t in ax.figure.texts if t.get_gid() == "stop-list"]
    assert " 2  Prinkipo (Büyükada), Mar 1929–Jul 1933" in listing
    assert " 5  Coyoacán, from Jan 1937" in listing


def test_empty_selection_draws_an_empty_labelled_map():
    ax = plot_journey(_stays(), start=1879, end=1900)
    assert [t.get_text() for t in ax.texts if t.get_gid() == "empty-message"] == [
        "No residences between 1879 and 1900"]


def test_bad_years_raise():
    with pytest.raises(ValueError, match="1879 to 1940"):
        plot_journey(_stays(), start=1800)


def test_description_names_route_and_range():
    text = describe_figure(plot_journey(_stays()))
    assert "between 1879 and 1940" not in text
    assert "from 25 January 1928 to 1940, reaching from Coyoacán in the west to Alma-Ata in the east" in text
    assert "The longest stay is number 2, Prinkipo (Büyükada) (Mar 1929–Jul 1933)" in text
    assert ("Route: Alma-Ata (25 January 1928) → Prinkipo (1 March 1929) → Barbizon (1 November 1933) → "
            "Hønefoss (18 June 1935) → Coyoacán (9 January 1937).") in text


def test_each_stay_is_named_as_the_place_was_called_when_he_arrived():
    rows = [
        ("st_petersburg", "Petrograd", "Saint Petersburg", 59.94, 30.31, "1905-10-28", "1905-12-16"),
        ("st_petersburg", "Petrograd", "Saint Petersburg", 59.94, 30.31, "1905-12-16", "1907-01-01"),
        ("vienna", "Vienna", "Vienna", 48.21, 16.37, "1907-10-01", "1914-08-03"),
        ("st_petersburg", "Petrograd", "Saint Petersburg", 59.94, 30.31, "1917-05-17", "1918-03-01"),
    ]
    ax = plot_journey(_stays(rows), inset=False)
    (listing,) = [t.get_text() for t in ax.figure.texts if t.get_gid() == "stop-list"]
    assert " 1  Saint Petersburg, Oct 1905–Dec 1905" in listing
    assert " 4  Petrograd (Saint Petersburg), May 1917–Mar 1918" in listing
    route = describe_figure(ax)
    assert "Route: Saint Petersburg (28 October 1905) → Vienna (1 October 1907) → Petrograd (17 May 1917)." in route


def test_the_bundled_route_follows_the_residences_under_the_names_of_their_time():
    stays = load_residences(with_places=True)
    stays = stays[stays["departed"].isna() | (stays["departed"].dt.year >= 1929)].reset_index(drop=True)
    expected, before = [], None
    for row in stays.to_dict("records"):
        name = place_name(row["place_id"], row["arrived"])
        if before is None or (before[0], before[1], before[2]) != (row["place_id"], name, row["arrived"]):
            expected.append(f"{name} ({format_when(row['arrived'], str(row['precision']))})")
        before = (row["place_id"], name, row["departed"])
    text = describe_figure(plot_journey(start=1929, end=1940))
    assert f"Route: {' → '.join(expected)}." in text
    assert expected[:2] == ["Alma-Ata (January 1928)", "Constantinople (February 1929)"]


def test_draws_on_a_given_axes_with_a_corner_inset():
    fig, ax = plt.subplots(figsize=(10, 6))
    assert plot_journey(_stays(), ax=ax) is ax
    assert len(fig.axes) == 2


def test_wording_helpers():
    assert format_stay(pd.Timestamp("1879-11-07"), pd.Timestamp("1888-01-01"), "year") == "1879–1888"
    assert format_stay(pd.Timestamp("1917-04-03"), pd.Timestamp("1917-04-29"), "day") == "Apr 1917"
    assert place_label(pd.Series({"name": "Constantinople", "modern_name": "Istanbul"})) == "Constantinople (Istanbul)"
    assert place_label(pd.Series({"name": "Coyoacán", "modern_name": "Coyoacán, Mexico City"})) == "Coyoacán"


def test_bundled_exile_map_reaches_from_mexico_to_alma_ata():
    ax = plot_journey(start=1929, end=1940)
    west, east = ax.get_xlim()
    assert west < -99 and east > 76.9
    assert len(_legs(ax)) >= 5
