"""Plots for the course: timelines, maps and charts a history class can put on the wall.

Every ``plot_*`` function takes its data (default: the bundled dataset), keyword-only
options and ``ax=None``, returns the Axes, and records alt text that
:func:`describe_figure` reads; :func:`show_figure` displays a figure with that text.
Nothing here changes matplotlib's settings unless you ask for :func:`house_style`.
"""

from trotsky_edu.plots.alliances import plot_alliances
from trotsky_edu.plots.alttext import describe_figure, show_figure
from trotsky_edu.plots.army import plot_army_strength
from trotsky_edu.plots.fates import plot_fates
from trotsky_edu.plots.journey import plot_journey
from trotsky_edu.plots.offices import plot_offices
from trotsky_edu.plots.style import OKABE_ITO, house_style
from trotsky_edu.plots.timeline import plot_timeline

__all__ = [
    "OKABE_ITO",
    "describe_figure",
    "house_style",
    "plot_alliances",
    "plot_army_strength",
    "plot_fates",
    "plot_journey",
    "plot_offices",
    "plot_timeline",
    "show_figure",
]
