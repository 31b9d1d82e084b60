"""How dates and spans are written in chart labels and alt text."""

from __future__ import annotations

import pandas as pd

from trotsky_edu.calendar import MONTHS, format_day, format_dual


def format_when(date: pd.Timestamp, precision: str = "day", *, dual: bool = False) -> str:
    """A date as precisely as it is known: '7 November 1917', 'November 1917' or '1917'.

    ``dual`` writes day-precise Russian dates before February 1918 in both calendars.
    """
    if pd.isna(date):
        return "unknown date"
    day = date.date()
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return format_dual(day) if dual else format_day(day)


def format_years(start: pd.Timestamp, end: pd.Timestamp | None, *, open_end: str = "") -> str:
    """'1917–1924', '1917' when both fall in one year, or '1929–' plus ``open_end`` when there is no end."""
    if end is None or pd.isna(end):
        return f"{start.year}–{open_end}".rstrip()
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"

#: Three-letter month names for compact labels.
MONTH_ABBREVIATIONS = tuple(month[:3] for month in MONTHS)


def date_span(date: pd.Timestamp, precision: str) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """Start, middle and end of the period a date stands for (a day, a month or a year).

    Charts draw a date known only to the month or year at the middle of that period, so
    "1918" does not look like 1 January 1918.
    """
    if precision == "year":
        start, end = pd.Timestamp(date.year, 1, 1), pd.Timestamp(date.year + 1, 1, 1)
    elif precision == "month":
        start = pd.Timestamp(date.year, date.month, 1)
        end = start + pd.offsets.MonthBegin(1)
    else:
        return date, date, date
    return start, start + (end - start) / 2, end
