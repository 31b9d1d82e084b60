"""place_name gives the name a place went by at a date, from data/place_names.csv."""

import datetime as dt

import pandas as pd
import pytest

from trotsky_edu import load_place_names, load_places, place_name
from trotsky_edu.place_names import PlaceNames


def test_each_record_gives_its_name_on_its_first_and_last_day():
    for row in load_place_names().to_dict("records"):
        for day in (row["valid_from"], row["valid_until"]):
            if pd.notna(day):
                assert place_name(row["place_id"], day) == row["name"], row["record_id"]


def test_the_capital_is_named_as_it_was_at_each_date():
    assert place_name("st_petersburg", "1905-10-28") == "Saint Petersburg"
    assert place_name("st_petersburg", "1914-08-30") == "Saint Petersburg"
    assert place_name("st_petersburg", "1914-08-31") == "Petrograd"
    assert place_name("st_petersburg", dt.date(1917, 11, 7)) == "Petrograd"
    assert place_name("st_petersburg", pd.Timestamp("1924-01-26")) == "Leningrad"
    assert place_name("constantinople", "1929-02-12") == "Constantinople"
    assert place_name("constantinople", "1930-03-28") == "Istanbul"
    assert place_name("tsaritsyn", "1918-10-01") == "Tsaritsyn"
    assert place_name("gatchina", "1925-06-01") == "Trotsk"


def test_every_renamed_place_is_in_places_and_ends_with_its_modern_name():
    places = load_places().set_index("place_id")
    for place, names in load_place_names().groupby("place_id"):
        assert place in places.index
        assert names.loc[names["valid_until"].isna(), "name"].tolist() == [places.at[place, "modern_name"]]


def test_a_date_no_record_covers_gives_the_default_or_the_places_name():
    assert place_name("moscow", "1920-01-01") == "Moscow"
    assert place_name("moscow", "1920-01-01", default="Moskva") == "Moskva"
    assert place_name("st_petersburg", "1917-11-07", default="ignored") == "Petrograd"


@pytest.mark.parametrize("when", [1917, None, "the October days", 1917.5])
def test_a_date_that_is_not_a_day_is_refused_with_the_fix(when):
    with pytest.raises(ValueError, match="1917-11-07"):
        place_name("st_petersburg", when)


def test_an_unknown_place_suggests_the_nearest_ids():
    with pytest.raises(ValueError, match="Did you mean 'st_petersburg'"):
        place_name("petersburg", "1917-11-07")


def test_names_from_tables_of_your_own():
    names = pd.DataFrame({"place_id": ["x"], "name": ["New"], "valid_from": [pd.Timestamp("1920-01-01")],
                          "valid_until": [pd.NaT]})
    lookup = PlaceNames(names, pd.DataFrame({"place_id": ["x"], "name": ["Old"]}))
    assert lookup.at("x", "1919-12-31") == "Old"
    assert lookup.at("x", "1920-01-01") == "New"
