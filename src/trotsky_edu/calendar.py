"""Julian (Old Style) and Gregorian (New Style) dates, and how historians write them.

Russia kept the Julian calendar until February 1918: 31 January 1918 was followed by
14 February. The gap was 12 days through the 19th century and 13 days from March 1900
(Julian). The arithmetic is done by ``convertdate``; this module adds the rules of
the Russian change-over and the "25 October [O.S.] / 7 November 1917" style.
"""

from __future__ import annotations

import datetime as dt

#: First day of the Gregorian calendar in Soviet Russia (New Style).
SOVIET_SWITCH = dt.date(1918, 2, 14)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def julian_to_gregorian(day: dt.date | str) -> dt.date:
    """The Gregorian date of a Julian (Old Style) date; accepts a date or 'YYYY-MM-DD'."""
    day = _as_date(day)
    return dt.date(*_julian().to_gregorian(day.year, day.month, day.day))


def gregorian_to_julian(day: dt.date | str) -> dt.date:
    """The Julian (Old Style) date of a Gregorian date; accepts a date or 'YYYY-MM-DD'."""
    day = _as_date(day)
    year, month, mday = _julian().from_gregorian(day.year, day.month, day.day)
    try:
        return dt.date(year, month, mday)
    except ValueError:  # 29 February of 1700, 1800 or 1900: Julian only
        raise ValueError(
            f"{format_day(day)} is 29 February {year} in the Julian calendar, "
            "a day the Gregorian calendar (and Python's date type) does not have."
        ) from None


def offset_days(day: dt.date | str) -> int:
    """How many days the Gregorian calendar was ahead of the Julian on a Gregorian date."""
    day = _as_date(day)
    year, month, mday = _julian().from_gregorian(day.year, day.month, day.day)
    # Count from the 28th so that a Julian-only 29 February still gives a number.
    label = dt.date(year, month, min(mday, 28)).toordinal() + max(mday - 28, 0)
    return day.toordinal() - label


def _julian():
    """convertdate's Julian calendar, imported when first needed.

    Importing it loads every calendar convertdate has (about 7 ms); lessons set after
    1918, and every chart whose dates are all Gregorian, never convert a date.
    """
    from convertdate import julian

    return julian


def russia_used_julian(day: dt.date | str) -> bool:
    """Whether a Gregorian date falls before Soviet Russia's switch on 14 February 1918."""
    return _as_date(day) < SOVIET_SWITCH


def format_day(day: dt.date) -> str:
    """A date as '7 November 1917'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_dual(day: dt.date | str, *, russian: bool = True) -> str:
    """Write a Gregorian date with its Old Style twin when Russia still used the Julian calendar.

    >>> format_dual("1917-11-07")
    '25 October [O.S.] / 7 November 1917'
    >>> format_dual("1918-03-03")
    '3 March 1918'

    ``russian=False`` (an event outside Russia) gives the Gregorian date alone.
    """
    day = _as_date(day)
    if not (russian and russia_used_julian(day)):
        return format_day(day)
    old = gregorian_to_julian(day)
    if old.year != day.year:
        return f"{format_day(old)} [O.S.] / {format_day(day)}"
    old_text = f"{old.day} {MONTHS[old.month - 1]}"
    return f"{old_text} [O.S.] / {format_day(day)}"


def _as_date(day: dt.date | str) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(str(day).strip())
    except ValueError:
        raise ValueError(f"{day!r} is not a date; write it as YYYY-MM-DD, e.g. 1917-10-25.") from None
