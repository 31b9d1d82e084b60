"""The name a place went by at a date: Saint Petersburg in 1905, Petrograd in 1917, Leningrad in 1925.

``data/place_names.csv`` records each renaming of the places in ``places.csv`` with the
dates each name was in use. A date no record covers gets the place's ``name`` from
``places.csv``, the name of the period the course mostly meets it in. Maps, their lists of
stops and the routes in alt text all ask :class:`PlaceNames` for the name at the date.
"""

from __future__ import annotations

import datetime as dt
import difflib

import pandas as pd


class PlaceNames:
    """Every place's names by date, read once for many look-ups (a map asks once per stay)."""

    def __init__(self, names: pd.DataFrame, places: pd.DataFrame) -> None:
        self._default = dict(zip(places["place_id"].astype(str), places["name"].astype(str)))
        self._ranges: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, str]]] = {}
        for row in names.to_dict("records"):
            start = row["valid_from"] if pd.notna(row["valid_from"]) else pd.Timestamp.min
            end = row["valid_until"] if pd.notna(row["valid_until"]) else pd.Timestamp.max
            self._ranges.setdefault(str(row["place_id"]), []).append((start, end, str(row["name"])))

    @classmethod
    def bundled(cls) -> PlaceNames:
        """The names in the bundled ``place_names.csv`` and ``places.csv``."""
        from trotsky_edu.datasets import load_place_names, load_places

        return cls(load_place_names(), load_places())

    def at(self, place_id: str, when: object, *, default: str | None = None) -> str:
        """The name of ``place_id`` on the day ``when``; ``default`` (else places.csv's name) when no record covers it."""
        day = as_day(when)
        for start, end, name in self._ranges.get(place_id, ()):
            if start <= day <= end:
                return name
        if default is not None:
            return default
        if place_id in self._default:
            return self._default[place_id]
        near = difflib.get_close_matches(place_id, list(self._default), n=3)
        hint = f" Did you mean {', '.join(map(repr, near))}?" if near else ""
        raise ValueError(f"There is no place {place_id!r} in places.csv.{hint} The ids are listed by load_places().")


def as_day(when: object) -> pd.Timestamp:
    """``when`` (a date, a datetime, a Timestamp or 'YYYY-MM-DD') as a Timestamp; anything else is a ValueError."""
    if isinstance(when, (bool, int, float)) or when is None:
        raise ValueError(
            f"A place's name needs a full date, such as '1917-11-07', not {when!r}: "
            "some names changed in the middle of a year (Petrograd became Leningrad on 26 January 1924)."
        )
    if isinstance(when, (str, dt.date, pd.Timestamp)):
        try:
            day = pd.Timestamp(when)
        except ValueError:
            day = pd.NaT
        if pd.notna(day):
            return day.normalize()
    raise ValueError(f"{when!r} is not a date; write it as 'YYYY-MM-DD', such as '1917-11-07'.")


def place_name(place_id: str, when: object, *, default: str | None = None) -> str:
    """The name ``place_id`` went by on the day ``when``, e.g. ``place_name("st_petersburg", "1905-10-28")``.

    A date no record of ``place_names.csv`` covers gives ``default`` if you pass one, else
    the place's ``name`` in ``places.csv``. An unknown place id raises ``ValueError``
    suggesting the nearest ids.
    """
    return PlaceNames.bundled().at(place_id, when, default=default)
