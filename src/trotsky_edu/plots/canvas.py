"""Getting an Axes to draw on, and drawing the message of an empty selection."""

from __future__ import annotations

import sys

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from trotsky_edu.plots.style import MUTED_GREY


def axes_for(ax: Axes | None, *, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, else an empty figure the caller opened, else a new figure of ``figsize``.

    Every call without ``ax`` draws a chart of its own, so two plot calls in one cell give
    two charts rather than one drawn over the other (or an error from matplotlib). A figure
    the caller opened and left empty (for example with ``plt.figure(figsize=...)``) is
    used, so its size is respected; to combine charts, pass ``ax=``.
    """
    if ax is not None:
        return ax
    fig = _empty_open_figure()
    if fig is not None:
        return fig.add_subplot()
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize).add_subplot()


def axes_off(ax: Axes) -> None:
    """Hide ``ax``'s frame and axes, for a diagram with no scale (a network, a grid of names).

    The axes also get no ticks: matplotlib lays out the ticks of an Axes that is merely
    turned off (to place its title), which took the alliance chart about a quarter of its drawing.
    """
    ax.set_axis_off()
    ax.xaxis.set_major_locator(NullLocator())
    ax.yaxis.set_major_locator(NullLocator())


def set_title(ax: Axes, title: str, **kwargs) -> None:
    """Title ``ax`` at the left of its top edge, where matplotlib would place it, without the measuring.

    Without a ``y`` of its own, matplotlib works out a title's height on every draw, measuring
    the tick labels of both axes to keep clear of any along the top: about a tenth of the
    drawing of each chart. The course's charts put nothing above their Axes, so the title
    goes at the top edge (``y=1``), the place the measuring arrives at (``tests/test_plots_canvas.py``
    compares the two for every chart).
    """
    ax.set_title(title, loc="left", y=1.0, **kwargs)


def draw_empty(ax: Axes, message: str) -> None:
    """Write ``message`` in the middle of ``ax``, so an empty selection is visibly empty."""
    ax.text(
        0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
        fontsize="large", color=MUTED_GREY, gid="empty-message",
    )


def wants_new_figure(ax: Axes | None) -> bool:
    """Whether a plot function will make its own figure (no ``ax`` given, no empty figure open)."""
    return ax is None and _empty_open_figure() is None


def _empty_open_figure() -> Figure | None:
    """pyplot's current figure if one is open and holds no Axes yet, else None.

    pyplot is not imported just to ask: if it was never imported, no figure can be open.
    """
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None or not pyplot.get_fignums():
        return None
    fig = pyplot.gcf()
    return None if fig.axes else fig


def new_axes(*, width: float, height: float, margins: tuple[float, float, float, float]) -> Axes:
    """A new figure ``width`` × ``height`` inches with one Axes inside ``margins`` (left, right, bottom, top, inches)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width, height))
    return fig.add_axes(_inside(fig, margins))


def set_margins(ax: Axes, margins: tuple[float, float, float, float]) -> None:
    """Place ``ax`` so its figure keeps ``margins`` (left, right, bottom, top, inches) around it.

    Charts whose legend or long labels sit outside the Axes leave room for them this way,
    measured with :mod:`~trotsky_edu.plots.text_metrics` before drawing, so that the whole
    chart is inside the figure and can be rendered in one pass.
    """
    ax.set_position(_inside(ax.figure, margins))


def _inside(fig, margins: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The rectangle (figure fraction) that leaves ``margins`` (left, right, bottom, top, inches) free."""
    width, height = fig.get_size_inches()
    left, right, bottom, top = margins
    return (left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height)
