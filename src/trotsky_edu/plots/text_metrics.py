"""The size of text on the page, measured without a renderer so layouts work on any backend.

Label layouts measure hundreds of labels per chart, and asking FreeType to lay out each
whole string costs about half a millisecond. A line's width is the sum of its glyphs'
advance widths plus kerning, so :func:`text_width_inches` looks each glyph and pair up
once and adds them; a line with a character the font lacks (which matplotlib would draw
from a fallback font) is measured whole, the slow way.
"""

from __future__ import annotations

from functools import cache

import matplotlib as mpl
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import Kerning, LoadFlags
from matplotlib.textpath import text_to_path

POINTS_PER_INCH = 72.0
#: Line spacing as a multiple of the font size, with room between stacked labels.
LINE_SPACING = 1.5
#: The size glyphs are measured at; widths scale linearly with the font size.
_MEASURE_POINTS = 100.0


def font_points(size: str | float) -> float:
    """A font size such as ``"small"`` in points, under the matplotlib settings now in force."""
    return FontProperties(size=size).get_size_in_points()


def text_width_inches(text: str, *, size: str | float) -> float:
    """Width of the widest line of ``text`` in inches at font ``size``."""
    prop = FontProperties(size=size)
    path = findfont(prop)
    return max((_line_width_points(line, path, prop) for line in text.split("\n")), default=0.0) / POINTS_PER_INCH


def line_height_inches(*, size: str | float) -> float:
    """Height of one line of text at font ``size``, with spacing, in inches."""
    return font_points(size) * LINE_SPACING / POINTS_PER_INCH


def legend_size_inches(labels: list[str], *, title: str = "", columns: int = 1) -> tuple[float, float]:
    """Width and height of a legend of ``labels`` with the current legend settings, in inches.

    Lets a chart leave room for a legend outside its Axes before anything is drawn; it
    matches matplotlib's own legend to within a few hundredths of an inch for one-line
    labels and marker or line handles.
    """
    rc = mpl.rcParams
    size = rc["legend.fontsize"]
    em = font_points(size) / POINTS_PER_INCH
    rows = -(-len(labels) // columns)
    widths = [text_width_inches(label, size=size) for label in labels]
    column_widths = [max(widths[c * rows:(c + 1) * rows], default=0.0) for c in range(columns)]
    handles = columns * (rc["legend.handlelength"] + rc["legend.handletextpad"]) * em
    spacing = (columns - 1) * rc["legend.columnspacing"] * em
    frame = 2 * (rc["legend.borderpad"] + rc["legend.borderaxespad"]) * em
    title_size = rc["legend.title_fontsize"] or size
    title_width = text_width_inches(title, size=title_size) if title else 0.0
    width = max(sum(column_widths) + handles + spacing, title_width) + frame
    line = font_points(size) * (1 + rc["legend.labelspacing"]) / POINTS_PER_INCH
    height = rows * line + (font_points(title_size) * 1.2 / POINTS_PER_INCH if title else 0.0) + frame
    return width, height


def axes_size_inches(ax) -> tuple[float, float]:
    """Width and height of ``ax`` on the page, in inches."""
    fig_w, fig_h = ax.figure.get_size_inches()
    box = ax.get_position()
    return box.width * fig_w, box.height * fig_h


def _line_width_points(line: str, path: str, prop: FontProperties) -> float:
    """One line's width in points: glyph advances and kerning, or FreeType's whole-line layout."""
    total, previous = 0.0, None
    for char in line:
        advance = _advance(path, char)
        if advance is None:
            return text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
        total += advance + (_kerning(path, previous, char) if previous is not None else 0.0)
        previous = char
    return total * prop.get_size_in_points()


def _measuring_font(path: str):
    font = get_font(path)
    font.set_size(_MEASURE_POINTS, POINTS_PER_INCH)
    return font


@cache
def _advance(path: str, char: str) -> float | None:
    """The advance width of ``char`` for a 1-point font, or None when the font has no glyph for it."""
    font = _measuring_font(path)
    if font.get_char_index(ord(char)) == 0:
        return None
    return font.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / _MEASURE_POINTS


@cache
def _kerning(path: str, left: str, right: str) -> float:
    """The kerning between two glyphs for a 1-point font."""
    font = _measuring_font(path)
    pair = font.get_char_index(ord(left)), font.get_char_index(ord(right))
    return font.get_kerning(*pair, Kerning.UNFITTED) / 64 / _MEASURE_POINTS
