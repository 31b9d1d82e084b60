"""Getting an Axes to draw on, and drawing the message of an empty selection."""

from __future__ import annotations

from matplotlib.axes import Axes

from trotsky_edu.plots.style import MUTED_GREY


def axes_for(ax: Axes | None, *, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, else the current Axes of an open figure, else a new figure of ``figsize``.

    A new figure gets a size that suits the chart; a figure the caller opened (for example
    with ``plt.figure(figsize=...)``) is respected, as seaborn does with ``plt.gca()``.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    if plt.get_fignums():
        return plt.gca()
    return plt.figure(figsize=figsize).add_subplot()


def draw_empty(ax: Axes, message: str) -> None:
    """Write ``message`` in the middle of ``ax``, so an empty selection is visibly empty."""
    ax.text(
        0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
        fontsize="large", color=MUTED_GREY, gid="empty-message",
    )


def wants_new_figure(ax: Axes | None) -> bool:
    """Whether a plot function will make its own figure (no ``ax`` given, no figure open)."""
    if ax is not None:
        return False
    import matplotlib.pyplot as plt

    return not plt.get_fignums()


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
