"""Placing text labels so that they do not overlap: pure geometry, no drawing.

Two greedy layouts, both in the order the labels are given (so put the important ones first):

- :func:`stack_labels` puts timeline labels in rows above their markers, each in the lowest
  row where it overlaps no other label. (Leader lines from the marker up to a label may pass
  behind lower labels; the chart draws labels on an opaque background so they stay legible.)
- :func:`place_point_labels` picks, for each point on a map or a chart, one of eight positions
  around it where its label touches no other label, no other point and no other mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RowLabel:
    """A label to stack: the anchor ``x`` it points to, its left edge, width and height in rows."""

    x: float
    start: float
    width: float
    rows: int = 1

    @property
    def end(self) -> float:
        return self.start + self.width


def _clashes(a: RowLabel, row_a: int, b: RowLabel, row_b: int, gap: float) -> bool:
    """Whether two placed labels share a row and come closer than ``gap`` side by side."""
    top_a, top_b = row_a + a.rows, row_b + b.rows
    return row_a < top_b and row_b < top_a and a.start < b.end + gap and b.start < a.end + gap


def stack_labels(labels: Sequence[RowLabel], *, max_rows: int | None = None, gap: float = 0.0) -> list[int | None]:
    """The lowest free row for each label, or None where it fits in no row below ``max_rows``."""
    placed: list[tuple[RowLabel, int]] = []
    result: list[int | None] = []
    for label in labels:
        row = 0
        while True:
            if max_rows is not None and row + label.rows > max_rows:
                result.append(None)
                break
            if not any(_clashes(label, row, other, other_row, gap) for other, other_row in placed):
                placed.append((label, row))
                result.append(row)
                break
            row += 1
    return result


#: Where a label may go around its point, as (dx, dy) directions, most preferred first.
DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle."""

    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.bottom < other.top and other.bottom < self.top

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


def label_box(x: float, y: float, width: float, height: float, direction: tuple[int, int], offset: float) -> Box:
    """The box of a ``width`` × ``height`` label set ``offset`` away from (x, y) in ``direction``."""
    dx, dy = direction
    cx = x + dx * (offset + width / 2)
    cy = y + dy * (offset + height / 2)
    return Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def place_point_labels(
    points: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    *,
    offset: float,
    bounds: Box | None = None,
    obstacles: Sequence[Box] = (),
) -> list[tuple[int, int]]:
    """A direction from :data:`DIRECTIONS` for each point's label, avoiding clashes where possible.

    ``points`` and ``sizes`` share one unit (inches on the page, say). A label may not touch
    an earlier label, cover another point, cross one of the ``obstacles`` (other marks of the
    chart, such as lines) or leave ``bounds``. When every direction clashes, the one with the
    fewest clashes is used, so every label is still drawn.
    """
    placed: list[Box] = []
    chosen: list[tuple[int, int]] = []
    for index, ((x, y), (width, height)) in enumerate(zip(points, sizes)):
        others = [p for j, p in enumerate(points) if j != index and p != (x, y)]

        def clashes(box: Box) -> int:
            count = (sum(box.overlaps(b) for b in placed) + sum(box.contains(*p) for p in others)
                     + sum(box.overlaps(b) for b in obstacles))
            if bounds is not None and not (bounds.left <= box.left and box.right <= bounds.right
                                           and bounds.bottom <= box.bottom and box.top <= bounds.top):
                count += 1
            return count

        boxes = {d: label_box(x, y, width, height, d, offset) for d in DIRECTIONS}
        best = min(DIRECTIONS, key=lambda d: (clashes(boxes[d]), DIRECTIONS.index(d)))
        placed.append(boxes[best])
        chosen.append(best)
    return chosen


def axes_box_inches(ax) -> Box:
    """The box of a matplotlib Axes on its page, in inches: the ``bounds`` for labels kept inside it."""
    extent, dpi = ax.get_window_extent(), ax.figure.dpi
    return Box(extent.x0 / dpi, extent.y0 / dpi, extent.x1 / dpi, extent.y1 / dpi)


def alignment(direction: tuple[int, int]) -> dict[str, str]:
    """The ``ha`` and ``va`` that set a label's text on the ``direction`` side of its point."""
    dx, dy = direction
    return {"ha": {1: "left", 0: "center", -1: "right"}[dx], "va": {1: "bottom", 0: "center", -1: "top"}[dy]}
