"""Full dates in a lesson's text agree with ``data/``, or say where they come from.

A lesson retypes dates the datasets already hold, and a retyped date can go wrong: a day
dropped ("6 January" for 26 January), a calendar mixed up, a month-only fact given a day.
:func:`date_problems` finds every full date (day, month and year) in a paragraph written in the
course's own voice (quotations of historical actors are set aside by :mod:`.prose`) and looks it
up among the records of ``data/``:

- the date columns of every dataset (Gregorian; a ``*_os`` column is Julian), where the record
  is known to the day: its ``precision`` is ``day``, or, in a table without a precision column,
  the date is not the first of a month (which is how a month or a year is stored there);
- the full dates written in the records' text (summaries, notes, fates, claims).

A date marked Old Style ("25 October 1917 (O.S.)", "26 October [O.S.] / 7 November 1879") is
turned into the Gregorian calendar first; a range ("24–25 October 1917") agrees when either end
does. A date that matches no record is accepted when its paragraph carries a note saying where
it comes from, ``[from: ...]`` or ``[outside the four documents: ...]``; otherwise the message
names the nearest record (same day in the other calendar, the same month known only to the
month, or the closest day that shares words with the sentence) and the fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from trotsky_edu.calendar import MONTHS, format_day, format_dual, julian_to_gregorian, russia_used_julian
from trotsky_edu.datasets import Column, read_schema
from trotsky_edu.lessonkit.prose import Paragraph

NOTE = re.compile(r"\[(?:from|outside the four documents):[^\]]+\]", re.IGNORECASE)
NOTE_HINT = "[from: ...] or [outside the four documents: ...]"
#: How far (in days) a record may lie from a date and still be offered as the one meant.
NEAR_DAYS = 31

_MONTH = "(?:" + "|".join(MONTHS) + ")"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DASH = r"\s*[–—-]\s*"
_OLD = r"(?:\[O\.S\.\]|\(O\.S\.\)|\(Old Style\)|O\.S\.|Old Style)"
_NEW = r"(?:\[N\.S\.\]|\(N\.S\.\)|\(New Style\)|N\.S\.|New Style)"
# "26 October [O.S.] / 7 November 1879", "19 December 1905 [O.S.] / 1 January 1906", "24–25 October [O.S.] / 6–7 November 1917"
_DUAL = re.compile(
    rf"\b(?P<od>{_DAY})(?:{_DASH}(?P<od2>{_DAY}))?\s+(?P<om>{_MONTH})(?:\s+(?P<oy>\d{{4}}))?\s*{_OLD}\s*/\s*"
    rf"(?P<d>{_DAY})(?:{_DASH}(?P<d2>{_DAY}))?\s+(?P<m>{_MONTH}),?\s+(?P<y>\d{{4}})(?:\s*{_NEW})?"
)
# Wikipedia's "7 November [O.S. 26 October] 1879"
_BRACKETED = re.compile(
    rf"\b(?P<d>{_DAY})(?:{_DASH}(?P<d2>{_DAY}))?\s+(?P<m>{_MONTH})\s*\[(?:O\.S\.|Old Style):?\s*"
    rf"(?P<od>{_DAY})(?:{_DASH}(?P<od2>{_DAY}))?\s+(?P<om>{_MONTH})(?:\s+(?P<oy>\d{{4}}))?\s*\],?\s+(?P<y>\d{{4}})"
)
# "12 February 1929", "24–25 October 1917", "30 June – 2 July 1934", "25 October 1917 (O.S.)"
_SINGLE = re.compile(
    rf"\b(?:(?P<fd>{_DAY})\s+(?P<fm>{_MONTH}){_DASH})?(?P<d>{_DAY})(?:{_DASH}(?P<d2>{_DAY}))?\s+(?P<m>{_MONTH}),?"
    rf"\s+(?P<y>\d{{4}})\b(?P<mark>\s*(?:{_OLD}|{_NEW}))?"
)
# "February 12, 1929"
_MONTH_FIRST = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),\s+(?P<y>\d{{4}})\b(?P<mark>\s*(?:{_OLD}|{_NEW}))?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\d*_\"“(])")
_WORD = re.compile(r"[^\W\d_]{4,}")
# Words too common in the course to say which record a sentence is about.
_COMMON = frozenset(
    "that this with from were when which their there they them then than into after before about over also "
    "been have would could only under while where what first last next year years month days trotsky".split()
)
_LABEL_COLUMNS = ("title", "post", "name", "topic", "person_id", "place_id")


@dataclass(frozen=True)
class TextDate:
    """A full date as written: the day (two for a range) as typed, its calendar, and where it starts in the text."""

    text: str
    written: tuple[dt.date, ...]
    old_style: bool
    start: int
    # For "26 October [O.S.] / 7 November 1879": the Gregorian days its Old Style half stands for.
    old_half: tuple[dt.date, ...] = ()

    @property
    def days(self) -> tuple[dt.date, ...]:
        """The day (or the two ends of a range) in the Gregorian calendar."""
        return tuple(julian_to_gregorian(day) for day in self.written) if self.old_style else self.written


@dataclass(frozen=True)
class Record:
    """One dated fact in ``data/``: where it is, what it is, and how precisely its day is known."""

    where: str
    label: str
    day: dt.date
    precision: str
    words: frozenset[str] = field(default=frozenset(), compare=False)

    def describe(self) -> str:
        when = {"day": format_day(self.day), "month": f"{MONTHS[self.day.month - 1]} {self.day.year}",
                "year": str(self.day.year)}[self.precision]
        label = f" “{self.label}”" if self.label else ""
        return f"{self.where}{label}, {when}"


@dataclass(frozen=True)
class Records:
    """The dated records of a data folder, by Gregorian day (known to the day) and by month and year (coarser)."""

    by_day: dict[dt.date, list[Record]]
    coarse: list[Record]

    def near(self, day: dt.date) -> list[Record]:
        """Records that may be the one a mistyped ``day`` meant: within :data:`NEAR_DAYS`, the same day in
        another year of the decade, or known only to the month or year that ``day`` falls in."""
        found = [
            record
            for other, records in self.by_day.items()
            if abs((other - day).days) <= NEAR_DAYS
            or (other.day, other.month) == (day.day, day.month) and abs(other.year - day.year) <= 10
            for record in records
        ]
        return found + [record for record in self.coarse if _covers(record, day)]


def find_dates(text: str) -> list[TextDate]:
    """Every full date in ``text``, in order (dates without a year, like "27 March", are not full dates)."""
    found: list[TextDate] = []
    taken: list[tuple[int, int]] = []
    for match in (*_DUAL.finditer(text), *_BRACKETED.finditer(text)):
        dates = _dual(match)
        if dates:
            found.append(dates)
            taken.append(match.span())
    for pattern in (_SINGLE, _MONTH_FIRST):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            dates = _single(match)
            if dates:
                found.append(dates)
                taken.append(match.span())
    return sorted(found, key=lambda date: date.start)


def _dual(match: re.Match) -> TextDate | None:
    groups = match.groupdict()
    year = int(groups["y"])
    new_month, old_month = _month(groups["m"]), _month(groups["om"])
    old_year = int(groups["oy"]) if groups["oy"] else year - (old_month > new_month)
    new = _days(year, new_month, groups["d"], groups["d2"])
    old = _days(old_year, old_month, groups["od"], groups["od2"])
    if new is None or old is None:
        return None
    return TextDate(text=_flat(match.group(0)), written=new, old_style=False, start=match.start(),
                    old_half=tuple(julian_to_gregorian(day) for day in old))


def _single(match: re.Match) -> TextDate | None:
    groups = match.groupdict()
    year, month = int(groups["y"]), _month(groups["m"])
    days = _days(year, month, groups["d"], groups.get("d2"))
    if days is None:
        return None
    if groups.get("fd"):
        first_month = _month(groups["fm"])
        first = _days(year - (first_month > month), first_month, groups["fd"], None)
        if first is None:
            return None
        days = (first[0], days[-1])
    old_style = bool(groups["mark"]) and bool(re.search(_OLD, groups["mark"]))
    return TextDate(text=_flat(match.group(0)), written=days, old_style=old_style, start=match.start())


def _days(year: int, month: int, first: str, last: str | None) -> tuple[dt.date, ...] | None:
    try:
        days = [dt.date(year, month, int(first.rstrip("stndrh")))]
        if last:
            days.append(dt.date(year, month, int(last.rstrip("stndrh"))))
    except ValueError:
        return None
    return tuple(days)


def _month(name: str) -> int:
    return MONTHS.index(name) + 1


def _flat(text: str) -> str:
    return " ".join(text.split())


def _covers(record: Record, day: dt.date) -> bool:
    if record.precision == "month":
        return (record.day.year, record.day.month) == (day.year, day.month)
    return record.day.year == day.year


def load_records(folder: Traversable | Path) -> Records:
    """The dated records of the data folder ``folder`` (read once per folder and version of its files)."""
    return _load_records(str(folder), _stamps(folder), folder)


@lru_cache(maxsize=4)
def _load_records(_name: str, _stamps: tuple, folder: Traversable | Path) -> Records:
    by_day: dict[dt.date, list[Record]] = {}
    coarse: list[Record] = []
    for ds in read_schema(folder).values():
        if ds.name == "sources" or not (folder / ds.file).is_file():
            continue
        with (folder / ds.file).open("r", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        dates = [col.name for col in ds.columns.values() if col.type == "date"]
        texts = [col.name for col in ds.columns.values() if col.type == "string" and col.name != ds.id]
        for row in rows:
            label = next((row[col] for col in _LABEL_COLUMNS if row.get(col)), "")
            label = label if len(label) <= 60 else label[:57] + "..."
            words = frozenset(_words(" ".join(row.get(col) or "" for col in texts)))
            where = f"{ds.name}/{row.get(ds.id, '')}"
            for record in _column_records(ds.columns, row, dates, where, label, words):
                (by_day.setdefault(record.day, []) if record.precision == "day" else coarse).append(record)
            for col in texts:
                for date in find_dates(row.get(col) or ""):
                    for day in date.days + date.old_half:
                        by_day.setdefault(day, []).append(Record(f"{where} {col}", label, day, "day", words))
    return Records(by_day=by_day, coarse=coarse)


def _column_records(
    columns: dict[str, Column], row: dict[str, str], dates: list[str], where: str, label: str, words: frozenset[str],
) -> Iterator[Record]:
    """A record for each date column of ``row`` that holds a date, with how precisely the row knows it."""
    for col in dates:
        try:
            day = dt.date.fromisoformat((row.get(col) or "").strip())
        except ValueError:
            continue
        if col.endswith("_os"):
            yield Record(f"{where} {col}", label, julian_to_gregorian(day), "day", words)
            continue
        precision = row.get("precision") if "precision" in columns else _stored_precision(day)
        yield Record(f"{where} {col}", label, day, precision if precision in ("day", "month", "year") else "day", words)


def _stored_precision(day: dt.date) -> str:
    """How precise a date is in a table without a precision column: the first of a month stands for a month or year."""
    if day.day != 1:
        return "day"
    return "year" if day.month == 1 else "month"


def _stamps(folder: Traversable | Path) -> tuple:
    """When each file of ``folder`` last changed (empty where that cannot be known, as in a zipped install)."""
    try:
        return tuple(sorted((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in Path(str(folder)).iterdir()))
    except OSError:
        return ()


def _words(text: str) -> set[str]:
    """The words of ``text`` that can say what it is about (four letters or more, not too common)."""
    return {word for word in (w.lower() for w in _WORD.findall(text)) if word not in _COMMON}


def date_problems(paragraphs: list[Paragraph], records: Records) -> Iterator[str]:
    """A message for each full date in ``paragraphs`` that no record of ``data/`` gives and no note accounts for."""
    for paragraph in paragraphs:
        if NOTE.search(paragraph.raw):
            continue
        for date in find_dates(paragraph.own):
            message = _problem(date, paragraph.own, records)
            if message:
                yield message


def _problem(date: TextDate, text: str, records: Records) -> str | None:
    """What is wrong with one date of ``text``, or None: a range agrees when either end does."""
    if date.old_half and date.old_half[0] != date.days[0]:
        return (
            f"{date.text!r}: the Old Style half is {format_day(date.old_half[0])} in the Gregorian calendar, not "
            f"{format_day(date.days[0])} — one of the two is wrong (trotsky_edu.calendar.format_dual writes the pair)"
        )
    if any(day in records.by_day for day in date.days):
        return None
    sentence = _sentence(text, date.start)
    return f"{date.text!r} matches no record in data/ — {_fix(date, sentence, records)}"


def _fix(date: TextDate, sentence: str, records: Records) -> str:
    """What to do about a date no record gives, naming the record it most likely means."""
    day, written = date.days[0], date.written[0]
    as_new = julian_to_gregorian(written)
    if not date.old_style and not date.old_half and russia_used_julian(as_new) and as_new in records.by_day:
        return (
            f"it is the Old Style date of {records.by_day[as_new][0].describe()}: mark it '(O.S.)' or write both "
            f"calendars, like '{format_dual(as_new)}'"
        )
    if date.old_style and written in records.by_day:
        return (
            f"it is marked Old Style, but {records.by_day[written][0].describe()} gives it as the Gregorian date — "
            f"drop the mark, or give the Old Style day"
        )
    nearest = _nearest(day, sentence, records)
    if nearest is not None and nearest.precision != "day":
        unit = "month" if nearest.precision == "month" else "year"
        return (
            f"data/ knows this only to the {unit}: {nearest.describe()} — write the {unit} without the day, or add the day "
            f"to the record with its source, or mark where the day comes from: {NOTE_HINT}"
        )
    if nearest is not None:
        return (
            f"the nearest record is {nearest.describe()} — correct the date if that is the fact meant; otherwise add a "
            f"record with its source to data/, or mark where the date comes from right after it: {NOTE_HINT}"
        )
    return f"add the fact to data/ with its source, or mark where it comes from right after it: {NOTE_HINT}"


def _nearest(day: dt.date, sentence: str, records: Records) -> Record | None:
    """The record ``day`` most likely stands for: most words shared with the sentence, then the closest day."""
    words = _words(sentence)
    candidates = records.near(day)
    if not candidates:
        return None
    return min(candidates, key=lambda record: (-len(words & record.words), abs((record.day - day).days), record.where))


def _sentence(text: str, position: int) -> str:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() >= position:
            return text[start:match.start()]
        start = match.end()
    return text[start:]
