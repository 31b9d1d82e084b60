"""Loaders for the bundled historical datasets.

The files in the repository's ``data/`` folder are the source of truth; they ship
inside the package as ``trotsky_edu/data`` and are found with ``importlib.resources``.
``data/datasets.toml`` is the one table of per-dataset settings: which file, which id
column, and each column's type, units and meaning. The loaders, :func:`describe` and
:mod:`trotsky_edu.validate` all read it, so a column is declared in one place only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from trotsky_edu.file_stamp import file_stamp

LIST_SEPARATOR = ";"
SCHEMA_FILE = "datasets.toml"


@dataclass(frozen=True)
class Column:
    """One column of a dataset as declared in ``datasets.toml``."""

    name: str
    type: str
    description: str
    required: bool = False
    refs: str | None = None
    units: str | None = None
    categories: tuple[str, ...] = ()
    min: float | str | None = None
    max: float | str | None = None
    #: For a column that names a record of another dataset (``refs``): the date column of this dataset
    #: that must agree with that record's date, because both give the same fact.
    agrees_with: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A dataset's settings: its file, id column, title and columns."""

    name: str
    file: str
    id: str
    title: str
    columns: dict[str, Column] = field(default_factory=dict)


def data_dir() -> Traversable:
    """The folder of bundled data files inside the installed package."""
    return files("trotsky_edu") / "data"


def read_schema(folder: Traversable | Path | None = None) -> dict[str, Dataset]:
    """Parse ``datasets.toml`` in ``folder`` (default: the bundled data) into settings."""
    folder = data_dir() if folder is None else folder
    raw = tomllib.loads((folder / SCHEMA_FILE).read_text(encoding="utf-8"))
    return {name: _dataset_from_toml(name, spec) for name, spec in raw.items()}


def _dataset_from_toml(name: str, spec: dict) -> Dataset:
    columns = {
        col: Column(
            name=col,
            type=opts["type"],
            description=opts.get("description", ""),
            required=opts.get("required", False),
            refs=opts.get("refs"),
            units=opts.get("units"),
            categories=tuple(opts.get("categories", ())),
            min=opts.get("min"),
            max=opts.get("max"),
            agrees_with=opts.get("agrees_with"),
        )
        for col, opts in spec["columns"].items()
    }
    return Dataset(name=name, file=spec["file"], id=spec["id"], title=spec["title"], columns=columns)


@cache
def _bundled_schema() -> dict[str, Dataset]:
    return read_schema()


def list_datasets() -> list[str]:
    """Names of the bundled datasets, each loadable with ``load_<name>()``."""
    return list(_bundled_schema())


def _settings(name: str) -> Dataset:
    schema = _bundled_schema()
    if name not in schema:
        raise ValueError(
            f"There is no dataset called {name!r}. "
            f"The datasets are: {', '.join(schema)} (see list_datasets())."
        )
    return schema[name]


def describe(name: str) -> str:
    """A plain-text description of a dataset: title, file, and each column with its units.

    The sources every record cites are listed by ``load_sources()``.
    """
    ds = _settings(name)
    lines = [f"{ds.title}", f"file: data/{ds.file}   id column: {ds.id}", "", "columns:"]
    for col in ds.columns.values():
        kind = col.type
        if col.categories:
            kind += " (" + ", ".join(col.categories) + ")"
        if col.refs:
            kind += f" -> {col.refs}"
            if col.agrees_with:
                kind += f" (its date agrees with {col.agrees_with})"
        extra = f" [{col.units}]" if col.units else ""
        flag = "" if col.required else " (optional)"
        lines.append(f"  {col.name}: {kind}{extra}{flag} — {col.description}")
    return "\n".join(lines)


def read_raw(ds: Dataset, folder: Traversable | Path | None = None) -> pd.DataFrame:
    """Read a dataset's CSV as strings, with empty cells as missing values."""
    folder = data_dir() if folder is None else folder
    with (folder / ds.file).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])


def apply_types(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Give each column its declared type: datetimes, categoricals, nullable numbers, lists."""
    out = frame.copy()
    for col in ds.columns.values():
        if col.name not in out:
            continue
        values = out[col.name]
        if col.type == "date":
            out[col.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif col.type == "int":
            out[col.name] = pd.to_numeric(values).astype("Int64")
        elif col.type == "float":
            out[col.name] = pd.to_numeric(values).astype("float64")
        elif col.type == "category":
            out[col.name] = pd.Categorical(values, categories=list(col.categories), ordered=True)
        elif col.type == "list":
            out[col.name] = values.map(_split_list)
        else:
            out[col.name] = values.astype("string")
    return out


def _split_list(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


class DataError(ValueError):
    """A bundled data file cannot be read; the message says what to fix."""


def load(name: str) -> pd.DataFrame:
    """Load any bundled dataset by name, typed as ``datasets.toml`` declares.

    A file an instructor has broken raises :class:`DataError` listing the problems
    that ``trotsky-edu validate`` finds in it, instead of a pandas traceback.
    """
    ds = _settings(name)
    with _readable(ds):
        return _copy(ds, _typed_table(ds))


def records(name: str) -> dict[str, dict]:
    """Each record of dataset ``name`` as a plain dict, by its id; the same dicts until its file changes.

    For code that reads a few fields of one record at a time, again and again: a lesson's
    disagreement blocks each read a dozen. A dict lookup takes microseconds where a DataFrame
    lookup takes about a tenth of a millisecond, and a fresh :func:`load` a third of one. The
    dicts are shared by every caller, so they are for reading; :func:`load` gives a table to change.
    """
    ds = _settings(name)
    with _readable(ds):
        table = _typed_table(ds)
    cached = _RECORDS.get(name)
    if cached is None or cached[0] is not table:
        columns = {column: table[column].tolist() for column in table.columns}
        by_id = {row_id: {column: values[i] for column, values in columns.items()}
                 for i, row_id in enumerate(columns[ds.id])}
        cached = _RECORDS[name] = (table, by_id)
    return cached[1]


#: The records of each dataset by id, with the typed table they were made from.
_RECORDS: dict[str, tuple[pd.DataFrame, dict[str, dict]]] = {}


@contextmanager
def _readable(ds: Dataset) -> Iterator[None]:
    """Inside this block, a file that cannot be read or typed raises :class:`DataError` naming its problems."""
    try:
        yield
    except (ValueError, TypeError, KeyError, OSError, pd.errors.ParserError) as err:
        from trotsky_edu.validate import validate_folder

        problems = [str(p) for p in validate_folder() if p.file == ds.file] or [f"{ds.file}: {err}"]
        shown = "\n".join(problems[:10])
        raise DataError(
            f"The {ds.name!r} dataset cannot be loaded:\n{shown}\n"
            "Fix these in the data folder, then check with `trotsky-edu validate`."
        ) from None


def _typed_table(ds: Dataset) -> pd.DataFrame:
    """``ds`` read and typed, and read again only when its file has changed.

    A lesson loads the same few tables again and again (every chart loads its own), and
    reading and typing a file costs a few milliseconds each time; an instructor who edits
    a file still gets the new version on the next load, without restarting the kernel.
    """
    folder = data_dir()
    path = folder / ds.file
    stamp = file_stamp(path)
    cached = _TABLES.get(str(path))
    if cached is None or stamp is None or cached[0] != stamp:
        cached = (stamp, apply_types(ds, read_raw(ds, folder)))
        _TABLES[str(path)] = cached
    return cached[1]


#: The tables read so far: file path -> (its modification time and size when read, the typed table).
_TABLES: dict[str, tuple[tuple[int, int] | None, pd.DataFrame]] = {}


def _copy(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` that shares nothing with it, list cells included, so callers may change it freely."""
    out = table.copy()
    for col in ds.columns.values():
        if col.type == "list" and col.name in out:
            out[col.name] = out[col.name].map(list)
    return out


def _check_lesson(lesson: str | None, frame: pd.DataFrame) -> None:
    valid = list(frame["lesson"].cat.categories)
    if lesson is not None and lesson not in valid:
        raise ValueError(f"Unknown lesson {lesson!r}; choose one of: {', '.join(valid)}.")


def load_events(*, lesson: str | None = None) -> pd.DataFrame:
    """Events of Trotsky's life and times, 1879–1940, in date order.

    ``lesson`` keeps only one part of the course (early, revolution, civil_war,
    succession, exile). ``date`` is Gregorian; ``date_os`` is the Julian date of
    Russian events before the calendar change of February 1918.
    """
    events = load("events").sort_values(["date", "event_id"], ignore_index=True)
    _check_lesson(lesson, events)
    if lesson is not None:
        events = events[events["lesson"] == lesson].reset_index(drop=True)
    return events


def load_people() -> pd.DataFrame:
    """People around Trotsky, with name variants, dates, roles and fate."""
    return load("people")


def load_places() -> pd.DataFrame:
    """Places in Trotsky's life with period and modern names and coordinates."""
    return load("places")


def load_place_names() -> pd.DataFrame:
    """The names each place has had, with the dates each was in use (see :func:`trotsky_edu.place_name`)."""
    return load("place_names").sort_values(["place_id", "valid_from"], na_position="first", ignore_index=True)


def load_residences(*, with_places: bool = False) -> pd.DataFrame:
    """Where Trotsky lived, in order; ``with_places`` adds each place's name and coordinates."""
    stays = load("residences").sort_values("residence_id", ignore_index=True)
    if with_places:
        places = load_places()[["place_id", "name", "modern_name", "country", "lat", "lon"]]
        stays = stays.merge(places, on="place_id", how="left")
    return stays


def load_red_army() -> pd.DataFrame:
    """Red Army strength figures, 1918–1921, each marked as a count, estimate or bound."""
    return load("red_army").sort_values("date", ignore_index=True)


def load_offices(*, person: str | None = None) -> pd.DataFrame:
    """Posts held by Trotsky and leadership membership in the 1920s; ``person`` filters by id."""
    offices = load("offices").sort_values(["start", "office_id"], ignore_index=True)
    if person is not None:
        known = set(offices["person_id"])
        if person not in known:
            raise ValueError(f"No posts recorded for {person!r}; people with posts: {', '.join(sorted(known))}.")
        offices = offices[offices["person_id"] == person].reset_index(drop=True)
    return offices


def load_factions() -> pd.DataFrame:
    """Who stood with whom in the succession struggle, 1923–1927."""
    return load("factions").sort_values(["start", "record_id"], ignore_index=True)


def load_trials() -> pd.DataFrame:
    """Defendants of the Moscow trials of 1936–1938 and their sentences."""
    return load("trials").sort_values(["date", "record_id"], ignore_index=True)


def load_sources() -> pd.DataFrame:
    """The bibliography: every ``source`` id the other datasets cite, down to the section."""
    return load("sources")


def load_disagreements() -> pd.DataFrame:
    """Places where the course's sources contradict each other, with both sides."""
    return load("disagreements")
