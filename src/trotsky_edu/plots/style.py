"""The course's house style: a colour-blind-safe palette and sizes that read on a projector.

The style is opt-in and scoped, like seaborn's ``axes_style``: :func:`house_style` works
as a context manager and as a decorator, and every setting it makes is undone when the
block or the decorated function ends. Importing this module changes nothing.

The plot functions take their colours from :data:`OKABE_ITO` whether or not the style is
on, so every chart can be told apart by readers with any common colour-vision deficiency.
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
