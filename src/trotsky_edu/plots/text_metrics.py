"""The size of text on the page, measured without a renderer so layouts work on any backend."""

from __future__ import annotations

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

POINTS_PER_INCH = 72.0
#: Line spacing as a multiple of the font size, with room between stacked labels.
LINE_SPACING = 1.5


def font_points(size: str | float) -> float:
    """A font size such as ``"small"`` in points, under the matplotlib settings now in force."""
    return FontProperties(size=size).get_size_in_points()


def text_width_inches(text: str, *, size: str | float) -> float:
    """Width of the widest line of ``text`` in inches at font ``size``."""
    prop = FontProperties(size=size)
    return max(
        (text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")),
        default=0.0,
    ) / POINTS_PER_INCH


def line_height_inches(*, size: str | float) -> float:
    """Height of one line of text at font ``size``, with spacing, in inches."""
    return font_points(size) * LINE_SPACING / POINTS_PER_INCH


def axes_size_inches(ax) -> tuple[float, float]:
    """Width and height of ``ax`` on the page, in inches."""
    fig_w, fig_h = ax.figure.get_size_inches()
    box = ax.get_position()
    return box.width * fig_w, box.height * fig_h
