"""The course's house style: a colour-blind-safe palette and sizes that read on a projector.

The style is opt-in and scoped, like seaborn's ``axes_style``: :func:`house_style` works
as a context manager and as a decorator, and every setting it makes is undone when the
block or the decorated function ends. Importing this module changes nothing.

The plot functions take their colours from :data:`OKABE_ITO` whether or not the style is
on, so every chart can be told apart by readers with any common colour-vision deficiency;
words drawn in a palette colour use :func:`text_colour`, a darker shade that reads at 4.5:1.
Text in a chart follows the projector rule of :func:`readable_points`: at least one point per
inch of the figure's width, and 10 points, so the charts' own figures are 10 inches wide.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

#: Okabe & Ito's palette of eight colours distinguishable with any common colour-vision
#: deficiency (Okabe and Ito, "Color Universal Design", 2008), yellow last because it is
#: faint on white.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish green": "#009E73",
    "orange": "#E69F00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}

#: The palette as a list, in the order charts use it.
PALETTE = list(OKABE_ITO.values())

#: Grey for land, grid lines and other background that must not compete with the data.
BACKGROUND_GREY = "#E6E6E6"
#: Darker grey for secondary text and outlines.
MUTED_GREY = "#666666"


#: The projector rule for text in figures: at least one point per inch of the figure's width, and 10 points.
#: A notebook shows a figure as wide as its column, so this keeps chart text no smaller than the lesson's
#: own text beside it (tests/test_plots_readability.py states the reasoning and checks every chart).
MIN_TEXT_POINTS = 10.0
POINTS_PER_INCH_OF_WIDTH = 1.0


def readable_points(fig) -> float:
    """The smallest text size the projector rule allows in ``fig`` (a matplotlib Figure), in points."""
    return max(MIN_TEXT_POINTS, POINTS_PER_INCH_OF_WIDTH * fig.get_size_inches()[0])


def contrast_ratio(foreground, background) -> float:
    """WCAG's contrast ratio of two matplotlib colours (1 to 21); text needs 4.5 for AA."""
    from matplotlib.colors import to_rgb

    def luminance(colour) -> float:
        channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(colour: str, background: str = "white") -> str:
    """``colour`` darkened (same hue) until text in it reads at 4.5:1 on ``background``: a palette colour for words."""
    import colorsys

    from matplotlib.colors import to_hex, to_rgb

    hue, lightness, saturation = colorsys.rgb_to_hls(*to_rgb(colour))
    while contrast_ratio(colorsys.hls_to_rgb(hue, lightness, saturation), background) < 4.6 and lightness > 0:
        lightness = max(lightness - 0.01, 0.0)
    return to_hex(colorsys.hls_to_rgb(hue, lightness, saturation))


def colour_for(index: int) -> str:
    """The palette colour for the ``index``-th group (cycling after eight)."""
    return PALETTE[index % len(PALETTE)]


def house_rc(*, projector: bool = True) -> dict[str, object]:
    """The matplotlib settings of the house style; ``projector`` makes text and lines larger."""
    from cycler import cycler

    scale = 1.25 if projector else 1.0
    return {
        "axes.prop_cycle": cycler(color=PALETTE),
        "font.size": 12 * scale,
        "axes.titlesize": 15 * scale,
        "axes.titleweight": "bold",
        "axes.labelsize": 12 * scale,
        "xtick.labelsize": 11 * scale,
        "ytick.labelsize": 11 * scale,
        "legend.fontsize": 10.5 * scale,
        "legend.frameon": False,
        "lines.linewidth": 2 * scale,
        "lines.markersize": 7 * scale,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": MUTED_GREY,
        "axes.grid": False,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.dpi": 150,
    }


@contextmanager
def house_style(*, projector: bool = True) -> Iterator[None]:
    """Use the course's style inside a ``with`` block or a decorated function.

    >>> with house_style():          # doctest: +SKIP
    ...     ax = plot_timeline(years=(1917, 1921))

    or, on a function of your own, ``@house_style()``. Settings are restored afterwards,
    even when an error is raised. ``projector=False`` keeps the normal text sizes.
    """
    import matplotlib as mpl

    with mpl.rc_context(house_rc(projector=projector)):
        yield
