"""Checking and documenting the arguments that the plot functions share.

A bad argument raises a ``ValueError`` that names the valid values, so a student sees
what to type instead of a traceback from deep inside pandas or matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import pandas as pd

#: The years the course covers: Trotsky's lifetime.
FIRST_YEAR, LAST_YEAR = 1879, 1940

#: Parameter descriptions written once and reused by every plot function's docstring.
SHARED_DOCS = {
    "data": (
        "data : pandas.DataFrame, optional\n"
        "        Rows to draw, with the columns of the bundled dataset (see ``describe(...)``).\n"
        "        Default: the bundled dataset. Pass your own frame to plot a selection or a variant."
    ),
    "years": (
        "years : int or (int, int), optional\n"
        f"        One year or an inclusive range of years between {FIRST_YEAR} and {LAST_YEAR}."
    ),
    "people_table": (
        "people : pandas.DataFrame, optional\n"
        "        The people table used for names (default: ``load_people()``)."
    ),
    "ax": (
        "ax : matplotlib.axes.Axes, optional\n"
        "        Axes to draw on. Default: a new figure of a suitable size (so each call is a chart of\n"
        "        its own), or an empty figure you opened, e.g. with ``plt.figure(figsize=(8, 4))``."
    ),
    "kwargs": "**kwargs\n        Passed on to the matplotlib call that draws the main marks.",
    "returns": (
        "matplotlib.axes.Axes\n"
        "        The Axes drawn on, also when the selection is empty. ``describe_figure(ax)``\n"
        "        gives its alt text and ``show_figure(ax)`` displays it with that text."
    ),
}

Function = TypeVar("Function", bound=Callable)


def with_shared_docs(func: Function) -> Function:
    """Fill the ``{ax}``, ``{data}``, ... placeholders of a docstring from :data:`SHARED_DOCS`."""
    func.__doc__ = func.__doc__.format(**SHARED_DOCS)
    return func


def check_data(data: object, columns: Iterable[str], *, function: str, like: str) -> pd.DataFrame:
    """``data`` after checking that it is a DataFrame holding ``columns``, the ones ``function`` reads.

    Passing another dataset, a list, or a selection that dropped a needed column would
    otherwise end in a KeyError from deep inside pandas; the message says which columns
    are missing and which table (``like``, e.g. ``"load_events()"``) has them.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{function}() draws a table like {like}, a pandas DataFrame; got {type(data).__name__}.")
    missing = [column for column in columns if column not in data.columns]
    if missing:
        raise ValueError(
            f"{function}() needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which this table "
            f"lacks. It draws tables like {like}: did you pass another dataset, or leave out a column?"
        )
    return data


def check_years(years: int | tuple[int, int] | None) -> tuple[int, int] | None:
    """``years`` as an inclusive (first, last) pair, or None; out-of-range years raise ValueError."""
    if years is None:
        return None
    pair = (years, years) if isinstance(years, int) else tuple(years)
    if len(pair) != 2 or not all(isinstance(y, int) for y in pair):
        raise ValueError(f"years must be a year or a pair of years, such as 1917 or (1917, 1921); got {years!r}.")
    first, last = pair
    for year in pair:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                f"The year {year} is outside the course; choose years from {FIRST_YEAR} to {LAST_YEAR}."
            )
    if first > last:
        raise ValueError(f"years must run forwards: ({first}, {last}) starts after it ends; try ({last}, {first}).")
    return first, last


def check_choices(values: str | Iterable[str] | None, valid: Iterable[str], *, what: str) -> list[str] | None:
    """``values`` (one or several) as a list, after checking each is one of ``valid``."""
    if values is None:
        return None
    chosen = [values] if isinstance(values, str) else list(values)
    allowed = list(dict.fromkeys(valid))
    unknown = [value for value in chosen if value not in allowed]
    if unknown:
        raise ValueError(f"Unknown {what} {unknown[0]!r}; choose from: {', '.join(map(str, allowed))}.")
    return chosen


def check_choice(value: str, valid: Iterable[str], *, what: str) -> str:
    """``value`` after checking it is one of ``valid``."""
    return check_choices([value], valid, what=what)[0]


def categories_of(column: pd.Series) -> list[str]:
    """The declared categories of a categorical column, or its distinct values in order of appearance."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return [str(v) for v in pd.unique(column.dropna())]


def year_span_text(first: int, last: int) -> str:
    """'in 1917' or 'between 1917 and 1921'."""
    return f"in {first}" if first == last else f"between {first} and {last}"
