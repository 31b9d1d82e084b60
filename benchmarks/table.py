"""Benchmark results as rows, each beside its floor, printed as a plain-text (markdown) table.

A figure on its own says little on a shared or noisy machine; the same figure divided by
a floor measured in the same run (the least the same job can cost) holds much better.
Each row keeps its value, its floor and its target, and says whether the target is met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Target:
    """A goal for one row: the words shown in the table and the test applied to the row."""

    text: str
    met: Callable[["Row"], bool]


def at_most_times_floor(limit: float) -> Target:
    """Met when the value is at most ``limit`` times the floor."""
    return Target(f"≤ {limit:g}× floor", lambda row: row.value <= limit * row.floor)


def at_most_above_floor(extra: float, unit: str) -> Target:
    """Met when the value exceeds the floor by at most ``extra`` (in ``unit``)."""
    return Target(f"≤ floor + {extra:g} {unit}", lambda row: row.value - row.floor <= extra)


def below(limit: float, unit: str) -> Target:
    """Met when the value is below ``limit`` (a target with no floor)."""
    return Target(f"< {limit:g} {unit}", lambda row: row.value < limit)


def p95_below(limit: float, unit: str) -> Target:
    """Met when the 95th percentile (or the value, when there is none) is below ``limit``."""
    return Target(f"p95 < {limit:g} {unit}", lambda row: (row.value if row.p95 is None else row.p95) < limit)


@dataclass(frozen=True)
class Row:
    """One measured figure: its median ``value``, its ``floor`` in the same unit, and an optional target.

    ``error`` replaces the figure when the measurement could not be made (it says why).
    """

    measure: str
    value: float | None
    floor: float | None
    unit: str
    target: Target | None = None
    p95: float | None = None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        """The value as a multiple of the floor (None without both)."""
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def passed(self) -> bool | None:
        """Whether the target is met: None without a target, False when the figure is missing."""
        if self.target is None:
            return None
        if self.error or self.value is None:
            return False
        return self.target.met(self)


def format_amount(value: float | None, unit: str) -> str:
    """``value`` with a sensible number of digits for its unit."""
    if value is None:
        return "—"
    digits = {"s": 2, "CPU s": 2, "ms": 2, "MiB": 0}.get(unit, 2)
    return f"{value:.{digits}f} {unit}"


def _value_cell(row: Row) -> str:
    if row.error:
        return "error (below)"
    text = format_amount(row.value, row.unit)
    if row.p95 is not None:
        text += f" (p95 {format_amount(row.p95, row.unit)})"
    return text


RESULT_WORDS = {True: "pass", False: "FAIL", None: "—"}
COLUMNS = ("measure", "median", "floor", "ratio", "target", "result")


def row_cells(row: Row) -> tuple[str, ...]:
    """The table cells of one row, in the order of :data:`COLUMNS`."""
    ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
    target = row.target.text if row.target else "—"
    return (row.measure, _value_cell(row), format_amount(row.floor, row.unit), ratio, target,
            RESULT_WORDS[row.passed])


def markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A pipe table that reads as plain text and renders as markdown (numbers right-aligned)."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    numeric = [all(_looks_numeric(r[i]) for r in rows) and bool(rows) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        padded = [cell.rjust(w) if num else cell.ljust(w) for cell, w, num in zip(cells, widths, numeric)]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join(("-" * (w - 1) + ":") if num else "-" * w for w, num in zip(widths, numeric)) + " |"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _looks_numeric(cell: str) -> bool:
    return cell == "—" or _NUMBER.match(cell) is not None


_NUMBER = re.compile(r"^-?\d[\d.]*(?:[ ×%]|$)")


def results_table(rows: list[Row]) -> str:
    """The main table: one line per row, with ratio, target and result columns."""
    return markdown_table(COLUMNS, [row_cells(row) for row in rows])
