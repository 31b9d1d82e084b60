"""Check a data folder against ``datasets.toml`` and report every problem clearly.

Instructors edit these CSV files by hand, so a problem is reported as one line that
names the file, the line, the column and what to fix, e.g.::

    events.csv, line 12, column 'date': '1917-13-01' is not a date — write it as YYYY-MM-DD.

Nothing here raises on a malformed file: every check turns what it finds into a
:class:`Problem`, and :func:`validate_folder` returns them all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from trotsky_edu.calendar import SOVIET_SWITCH, julian_to_gregorian
from trotsky_edu.datasets import LIST_SEPARATOR, SCHEMA_FILE, Column, Dataset, data_dir, read_schema


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, and how to fix it."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Table:
    """A data file read as text: its rows as dicts, with the file line each starts on."""

    dataset: Dataset
    rows: list[dict[str, str]]
    lines: list[int]

    def cells(self, column: str):
        """(line, value) for each non-empty cell of ``column``."""
        for line, row in zip(self.lines, self.rows):
            value = row.get(column, "")
            if value:
                yield line, value


def validate_folder(folder: Path | Traversable | str | None = None) -> list[Problem]:
    """Every problem in the data folder (default: the bundled data); an empty list means all is well."""
    folder = data_dir() if folder is None else folder
    folder = Path(folder) if isinstance(folder, str) else folder
    if not (folder / SCHEMA_FILE).is_file():
        return [Problem(SCHEMA_FILE, f"not found in {folder} — the folder must hold datasets.toml beside the CSV files.")]
    try:
        schema = read_schema(folder)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, UnicodeDecodeError) as err:
        return [Problem(SCHEMA_FILE, f"cannot be read ({err}) — check its syntax against the comments at its top.")]

    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for ds in schema.values():
        table, found = read_table(ds, folder)
        problems += found
        if table is not None:
            problems += check_cells(table)
            problems += check_unique_ids(table)
            tables[ds.name] = table
    problems += check_references(tables)
    problems += check_dates(tables)
    problems += check_place_names(tables)
    problems += check_source_scope(tables)
    problems += check_disagreement_records(tables)
    problems += check_linked_dates(tables)
    return problems


def read_table(ds: Dataset, folder: Path | Traversable) -> tuple[Table | None, list[Problem]]:
    """Read one CSV file as text, reporting a missing file, bad encoding, a bad header or ragged rows."""
    path = folder / ds.file
    if not path.is_file():
        return None, [Problem(ds.file, f"file is missing — the dataset {ds.name!r} expects it (see {SCHEMA_FILE}).")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(ds.file, f"is not UTF-8 text (byte {raw[err.start]:#x}) — save the file with UTF-8 encoding.", line)]
    if not text.strip():
        header = ",".join(ds.columns)
        return None, [Problem(ds.file, f"file is empty — it needs at least the header line: {header}")]

    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader)]
    problems = [
        Problem(ds.file, f"required column {col.name!r} is missing from the header — add it ({col.description}).", 1)
        for col in ds.columns.values()
        if col.required and col.name not in header
    ]
    problems += [
        Problem(ds.file, f"unknown column {name!r} — remove it or declare it in {SCHEMA_FILE}.", 1)
        for name in header
        if name not in ds.columns
    ]
    rows, lines = [], []
    line = reader.line_num
    for fields in reader:
        start, line = line + 1, reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != len(header):
            hint = (
                "a comma inside a text field needs the whole field in double quotes"
                if len(fields) > len(header)
                else "a field is missing, or a quote is not closed"
            )
            problems.append(Problem(ds.file, f"has {len(fields)} fields but the header has {len(header)} — {hint}.", start))
            continue
        rows.append({name: field.strip() for name, field in zip(header, fields)})
        lines.append(start)
    return Table(ds, rows, lines), problems


def parse_date(value: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when the text is not one."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def check_cells(table: Table) -> list[Problem]:
    """Required cells filled, and every cell readable as its column's type and inside its bounds."""
    problems = []
    ds = table.dataset
    for line, row in zip(table.lines, table.rows):
        for col in ds.columns.values():
            if col.name not in row:
                continue
            value = row[col.name]
            if not value:
                if col.required:
                    problems.append(Problem(ds.file, f"is empty but required — {col.description}.", line, col.name))
                continue
            message = _cell_problem(col, value)
            if message:
                problems.append(Problem(ds.file, message, line, col.name))
    return problems


def _cell_problem(col: Column, value: str) -> str | None:
    if col.type == "date":
        day = parse_date(value)
        if day is None:
            return f"{value!r} is not a date — write it as YYYY-MM-DD (e.g. 1917-11-07)."
        if col.min and day < dt.date.fromisoformat(col.min) or col.max and day > dt.date.fromisoformat(col.max):
            return f"{value} is outside the range this column allows ({col.min} to {col.max})."
    elif col.type in ("int", "float"):
        try:
            number = int(value) if col.type == "int" else float(value)
        except ValueError:
            kind = "a whole number" if col.type == "int" else "a number"
            return f"{value!r} is not {kind} — write digits only (no spaces or thousands separators)."
        if col.min is not None and number < col.min or col.max is not None and number > col.max:
            return f"{value} is outside the range {col.min} to {col.max}."
    elif col.type == "category" and value not in col.categories:
        return f"{value!r} is not one of the allowed values: {', '.join(col.categories)}."
    return None


def check_unique_ids(table: Table) -> list[Problem]:
    """Each record's id appears once."""
    ds = table.dataset
    first_seen: dict[str, int] = {}
    problems = []
    for line, value in table.cells(ds.id):
        if value in first_seen:
            problems.append(
                Problem(ds.file, f"id {value!r} is used again (first on line {first_seen[value]}) — ids must be unique.", line, ds.id)
            )
        else:
            first_seen.setdefault(value, line)
    return problems


def check_references(tables: dict[str, Table]) -> list[Problem]:
    """Every id a record refers to (person, place, source, ...) exists in its dataset."""
    problems = []
    ids = {name: {row.get(t.dataset.id, "") for row in t.rows} for name, t in tables.items()}
    for table in tables.values():
        ds = table.dataset
        for col in ds.columns.values():
            if not col.refs or col.refs not in ids:
                continue
            target = tables[col.refs].dataset
            for line, value in table.cells(col.name):
                items = value.split(LIST_SEPARATOR) if col.type == "list" else [value]
                for item in (i.strip() for i in items):
                    if item and item not in ids[col.refs]:
                        problems.append(
                            Problem(ds.file, f"{item!r} is not a {target.id} in {target.file} — add it there or fix the spelling.", line, col.name)
                        )
    return problems


def check_dates(tables: dict[str, Table]) -> list[Problem]:
    """Dates that make sense together: order of start and end, lifetimes, and the two calendars."""
    problems = []
    lives = _lifetimes(tables.get("people"))
    for table in tables.values():
        ds = table.dataset
        for line, row in zip(table.lines, table.rows):
            problems += _order_problems(ds, row, line)
            problems += _lifetime_problems(ds, row, line, lives)
            if ds.name == "events":
                problems += _old_style_problems(ds, row, line)
    if "residences" in tables:
        problems += _overlapping_stays(tables["residences"])
    return problems


_PAIRS = (("born", "died"), ("arrived", "departed"), ("start", "end"), ("valid_from", "valid_until"))


def _order_problems(ds: Dataset, row: dict[str, str], line: int) -> list[Problem]:
    problems = []
    for first, second in _PAIRS:
        a, b = parse_date(row.get(first, "")), parse_date(row.get(second, ""))
        if a and b and a > b:
            problems.append(Problem(ds.file, f"{second} ({b}) comes before {first} ({a}) — swap or correct them.", line, second))
    if "low" in row and "high" in row:
        numbers = [_as_int(row.get(k, "")) for k in ("low", "strength", "high")]
        present = [n for n in numbers if n is not None]
        if present != sorted(present):
            problems.append(Problem(ds.file, "low, strength and high must be in rising order.", line, "strength"))
    return problems


def _as_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _lifetimes(people: Table | None) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    if people is None:
        return {}
    return {row.get("person_id", ""): (parse_date(row.get("born", "")), parse_date(row.get("died", ""))) for row in people.rows}


def _lifetime_problems(ds: Dataset, row: dict[str, str], line: int, lives: dict) -> list[Problem]:
    """A person can take part in an event or hold a post only while alive (by year, to allow for coarse dates)."""
    when_cols = [c for c in ("date", "start") if c in row and c in ds.columns]
    person_cols = [c for c in ("people", "person_id") if c in ds.columns and ds.columns[c].refs == "people"]
    if not when_cols or not person_cols:
        return []
    when = parse_date(row[when_cols[0]])
    if when is None:
        return []
    problems = []
    for col in person_cols:
        for person in (p.strip() for p in row.get(col, "").split(LIST_SEPARATOR)):
            born, died = lives.get(person, (None, None))
            if born and when.year < born.year or died and when.year > died.year:
                problems.append(
                    Problem(ds.file, f"{when} falls outside the life of {person!r} ({born or '?'} – {died or '?'}) — check the date or the person.", line, col)
                )
    return problems


def _old_style_problems(ds: Dataset, row: dict[str, str], line: int) -> list[Problem]:
    new, old = parse_date(row.get("date", "")), parse_date(row.get("date_os", ""))
    if not (new and old):
        return []
    if row.get("precision") != "day":
        return [Problem(ds.file, "an Old Style date is given for an event not known to the day — leave date_os empty or make the date exact.", line, "date_os")]
    if new >= SOVIET_SWITCH:
        return [Problem(ds.file, "an Old Style date is given for a day after Russia changed calendar (14 February 1918) — leave date_os empty.", line, "date_os")]
    if julian_to_gregorian(old) != new:
        return [
            Problem(ds.file, f"Old Style {old} is {julian_to_gregorian(old)} in the Gregorian calendar, not {new} — one of the two dates is wrong.", line, "date_os")
        ]
    return []


def _overlapping_stays(table: Table) -> list[Problem]:
    """Stays in order of residence_id must not start before the previous one began."""
    problems = []
    ordered = sorted(
        (r for r in zip(table.lines, table.rows) if _as_int(r[1].get("residence_id", "")) is not None),
        key=lambda r: _as_int(r[1]["residence_id"]),
    )
    for (_, before), (line, after) in zip(ordered, ordered[1:]):
        a, b = parse_date(before.get("arrived", "")), parse_date(after.get("arrived", ""))
        if a and b and b < a:
            problems.append(
                Problem(table.dataset.file, f"stay {after['residence_id']} begins ({b}) before stay {before['residence_id']} ({a}) — renumber the stays in order.", line, "arrived")
            )
    return problems


def check_place_names(tables: dict[str, Table]) -> list[Problem]:
    """Each place had one name at a time, and the name it has kept to this day is its modern_name in places.csv."""
    names = tables.get("place_names")
    if names is None:
        return []
    problems: list[Problem] = []
    by_place: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in zip(names.lines, names.rows):
        by_place.setdefault(row.get("place_id", ""), []).append((line, row))
    modern = {row.get("place_id", ""): row.get("modern_name", "") for row in tables["places"].rows} if "places" in tables else {}
    for place, records in by_place.items():
        problems += _overlapping_names(names, place, records)
        current = [(line, row) for line, row in records if not row.get("valid_until")]
        if place in modern and current and current[-1][1].get("name") != modern[place]:
            line, row = current[-1]
            problems.append(Problem(
                names.dataset.file,
                f"{place!r} is still called {row.get('name')!r} here (no valid_until) but its modern_name in places.csv is "
                f"{modern[place]!r} — make them the same, or give this name a valid_until and add the name in use today.",
                line, "name",
            ))
    return problems


def _overlapping_names(table: Table, place: str, records: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    """A place's names, in order of valid_from (an empty one first), must not overlap in time."""
    def span(row: dict[str, str]) -> tuple[dt.date, dt.date]:
        return parse_date(row.get("valid_from", "")) or dt.date.min, parse_date(row.get("valid_until", "")) or dt.date.max

    problems = []
    ordered = sorted(records, key=lambda record: span(record[1]))
    for (_, before), (line, after) in zip(ordered, ordered[1:]):
        (_, before_end), (after_start, _) = span(before), span(after)
        if after_start <= before_end:
            until = before.get("valid_until") or "today"
            problems.append(Problem(
                table.dataset.file,
                f"{place!r} has two names at once: {after.get('name')!r} from {after.get('valid_from') or 'the start'} and "
                f"{before.get('name')!r} until {until} — end the earlier name the day before the later one begins.",
                line, "valid_from",
            ))
    return problems


def check_source_scope(tables: dict[str, Table]) -> list[Problem]:
    """A course source names its file in the course's source folder; an outside source names none.

    Lessons mark facts whose records cite only outside sources, so the two kinds must not be confused.
    """
    sources = tables.get("sources")
    if sources is None or "scope" not in sources.dataset.columns:
        return []
    problems = []
    for line, row in zip(sources.lines, sources.rows):
        scope, document = row.get("scope", ""), row.get("document", "")
        if scope == "course" and not document:
            message = "scope is 'course' but no document is named — give the file name of the course document, or make the scope 'outside'."
        elif scope == "outside" and document:
            message = (f"scope is 'outside' but the document {document!r} is named — only the four course documents have a file; "
                       "make the scope 'course' or empty the document.")
        else:
            continue
        problems.append(Problem(sources.dataset.file, message, line, "scope"))
    return problems


RECORD_SEPARATOR = ":"
_PRECISION_ORDER = ("day", "month", "year")


def record_key(table: Table, row: dict[str, str]) -> str:
    """How a disagreement names this record: ``dataset:id`` (e.g. ``residences:46``)."""
    return f"{table.dataset.name}{RECORD_SEPARATOR}{row.get(table.dataset.id, '')}"


def check_disagreement_records(tables: dict[str, Table]) -> list[Problem]:
    """Each item of a disagreement's ``records`` is ``dataset:id`` and names a record that exists."""
    disagreements = tables.get("disagreements")
    if disagreements is None or "records" not in disagreements.dataset.columns:
        return []
    keys = {record_key(table, row) for table in tables.values() for row in table.rows}
    problems = []
    for line, value in disagreements.cells("records"):
        for item in (i.strip() for i in value.split(LIST_SEPARATOR)):
            if item and item not in keys:
                problems.append(Problem(
                    disagreements.dataset.file,
                    f"{item!r} names no record — write each item as dataset:id, e.g. events:1939-move-to-avenida-viena or residences:46.",
                    line, "records",
                ))
    return problems


def check_linked_dates(tables: dict[str, Table]) -> list[Problem]:
    """Two records declared to give the same fact agree on its date, or a disagreement names them both.

    A column with ``agrees_with`` in ``datasets.toml`` (e.g. ``arrival_event`` of residences) names the record of
    another dataset (an event) that gives the same fact as this row's date column (``arrived``). The dates are
    compared to the coarser of the two precisions: a stay known to the month agrees with any day of that month.
    """
    recorded = _recorded_pairs(tables.get("disagreements"))
    problems = []
    for table in tables.values():
        for col in table.dataset.columns.values():
            if not (col.agrees_with and col.refs in tables):
                continue
            target = tables[col.refs]
            by_id = {row.get(target.dataset.id, ""): (line, row) for line, row in zip(target.lines, target.rows)}
            target_date = next((c.name for c in target.dataset.columns.values() if c.type == "date"), None)
            for line, row in zip(table.lines, table.rows):
                linked = row.get(col.name, "")
                if not linked or linked not in by_id or target_date is None:
                    continue
                problem = _linked_date_problem(table, row, line, col.name, col.agrees_with, target, by_id[linked], target_date, recorded)
                if problem:
                    problems.append(problem)
    return problems


def _recorded_pairs(disagreements: Table | None) -> list[set[str]]:
    """The records each disagreement names: differences between them are known and shown to students."""
    if disagreements is None:
        return []
    return [{item.strip() for item in value.split(LIST_SEPARATOR)} for _, value in disagreements.cells("records")]


def _linked_date_problem(table: Table, row: dict[str, str], line: int, link: str, own: str, target: Table,
                         linked: tuple[int, dict[str, str]], target_date: str, recorded: list[set[str]]) -> Problem | None:
    target_line, target_row = linked
    here, there = record_key(table, row), record_key(target, target_row)
    mine = parse_date(row.get(own, ""))
    if mine is None:
        return Problem(table.dataset.file, f"{link} names {there} but {own} is empty — fill in {own} or clear {link}.", line, link)
    theirs = parse_date(target_row.get(target_date, ""))
    if theirs is None:
        return None
    precision = _coarser(row.get("precision"), target_row.get("precision"))
    if _same_at(mine, theirs, precision) or any({here, there} <= names for names in recorded):
        return None
    return Problem(
        table.dataset.file,
        f"{own} {mine} ({here}) disagrees with {target_date} {theirs} of {there} ({target.dataset.file}, line {target_line}), "
        f"which {link} names as the same fact (compared to the {precision}) — correct the wrong one, or, where the sources "
        f"disagree, add a row to disagreements.csv whose records column names {here};{there}.",
        line, own,
    )


def _coarser(first: str | None, second: str | None) -> str:
    """The coarser of two precisions; a table without a precision column gives its dates to the day."""
    ranks = [_PRECISION_ORDER.index(p) if p in _PRECISION_ORDER else 0 for p in (first, second)]
    return _PRECISION_ORDER[max(ranks)]


def _same_at(first: dt.date, second: dt.date, precision: str) -> bool:
    if precision == "year":
        return first.year == second.year
    if precision == "month":
        return (first.year, first.month) == (second.year, second.month)
    return first == second
