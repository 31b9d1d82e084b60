"""Julian/Gregorian conversion and dual-date formatting."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trotsky_edu.calendar import (
    format_dual,
    gregorian_to_julian,
    julian_to_gregorian,
    offset_days,
    russia_used_julian,
)

# Gregorian days whose Julian twin exists as a Python date (Julian 29 Feb 1800/1900 does not).
ORDINARY_DAYS = st.dates(dt.date(1800, 1, 1), dt.date(1940, 12, 31)).filter(
    lambda d: d not in (dt.date(1800, 3, 12), dt.date(1900, 3, 13))
)


@given(ORDINARY_DAYS)
def test_round_trip_gregorian_julian_gregorian(day):
    assert julian_to_gregorian(gregorian_to_julian(day)) == day


@given(ORDINARY_DAYS)
def test_offset_is_12_days_in_19th_century_and_13_from_march_1900(day):
    """11 days until Julian 29 February 1800, 12 until Julian 29 February 1900, then 13."""
    expected = 11 if day < dt.date(1800, 3, 12) else 12 if day < dt.date(1900, 3, 13) else 13
    assert offset_days(day) == expected


@given(ORDINARY_DAYS)
def test_julian_date_is_always_earlier(day):
    assert gregorian_to_julian(day) < day


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("1879-10-26", "1879-11-07"),  # Trotsky's birth
        ("1905-10-13", "1905-10-26"),  # first meeting of the St Petersburg Soviet
        ("1917-10-25", "1917-11-07"),  # the October insurrection
        ("1918-01-31", "1918-02-13"),  # last Julian day in Soviet Russia
    ],
)
def test_known_conversions(old, new):
    assert julian_to_gregorian(old) == dt.date.fromisoformat(new)
    assert gregorian_to_julian(new) == dt.date.fromisoformat(old)


def test_julian_only_leap_day_has_a_clear_message():
    with pytest.raises(ValueError, match="29 February 1900 in the Julian calendar"):
        gregorian_to_julian("1900-03-13")
    assert offset_days("1900-03-13") == 12


def test_format_dual_as_historians_write_it():
    assert format_dual("1917-11-07") == "25 October [O.S.] / 7 November 1917"
    assert format_dual("1918-01-13") == "31 December 1917 [O.S.] / 13 January 1918"


def test_format_dual_after_the_switch_or_outside_russia_is_single():
    assert format_dual("1918-02-14") == "14 February 1918"
    assert format_dual("1917-01-13", russian=False) == "13 January 1917"
    assert not russia_used_julian("1918-02-14") and russia_used_julian("1918-02-13")


def test_bad_date_text_says_how_to_write_it():
    with pytest.raises(ValueError, match="write it as YYYY-MM-DD"):
        format_dual("7 Nov 1917")
