"""Which figure a plot function draws on: its own, unless given an Axes or an empty figure to fill."""

import sys

import matplotlib.pyplot as plt
import pytest

from trotsky_edu import plots
from trotsky_edu.plots import canvas
from trotsky_edu.plots.png import figure_png

CHARTS = {
    "timeline": lambda **kw: plots.plot_timeline(years=(1917, 1918), **kw),
    "journey": lambda **kw: plots.plot_journey(end=1917, **kw),
    "army": lambda **kw: plots.plot_army_strength(**kw),
    "offices": lambda **kw: plots.plot_offices(person="trotsky", **kw),
    "alliances": lambda **kw: plots.plot_alliances(moment="1926-06-01", **kw),
    "fates": lambda **kw: plots.plot_fates(group="family", **kw),
}


@pytest.mark.parametrize("second", CHARTS)
@pytest.mark.parametrize("first", ["timeline", "offices"])
def test_two_calls_in_a_row_make_two_charts(first, second):
    """The second chart neither lands on the first nor fails on its axes (timeline then journey used to)."""
    one = CHARTS[first]()
    axes_of_one = list(one.figure.axes)
    two = CHARTS[second]()
    assert two.figure is not one.figure
    assert one.figure.axes == axes_of_one
    assert figure_png(one.figure)[:4] == figure_png(two.figure)[:4] == b"\x89PNG"


@pytest.mark.parametrize("chart", ["timeline", "army", "alliances"])
def test_an_empty_figure_the_caller_opened_is_used_at_its_size(chart):
    fig = plt.figure(figsize=(7, 3))
    ax = CHARTS[chart]()
    assert ax.figure is fig
    assert tuple(fig.get_size_inches()) == (7, 3)


def test_a_given_axes_is_drawn_on_even_when_it_already_holds_a_chart():
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4))
    plots.plot_army_strength(ax=left)
    assert plots.plot_timeline(years=(1918, 1920), ax=right) is right
    assert plots.plot_offices(person="trotsky", ax=left) is left
    assert plt.get_fignums() == [fig.number]


def test_asking_about_open_figures_does_not_import_pyplot(monkeypatch):
    monkeypatch.delitem(sys.modules, "matplotlib.pyplot")
    assert canvas.wants_new_figure(None)
    assert "matplotlib.pyplot" not in sys.modules


@pytest.mark.parametrize("draw", [lambda: plots.plot_alliances(moment="1926-06-01"),
                                  lambda: plots.plot_fates(group="trials")], ids=["alliances", "trials"])
def test_a_diagram_with_its_axes_off_lays_out_no_ticks(monkeypatch, draw):
    """matplotlib places a title by laying out the ticks even of an Axes that is off; these have none to lay out."""
    from matplotlib.axis import Axis

    made = []
    real = Axis._get_tick
    monkeypatch.setattr(Axis, "_get_tick", lambda axis, major: made.append(axis) or real(axis, major))
    ax = draw()
    made.clear()  # an Axes starts with one tick of each kind
    figure_png(ax.figure)
    assert not ax.axison and made == []


def _class_report_chart():
    import pandas as pd

    from trotsky_edu.classreport.charts import plot_choices

    options = pd.DataFrame({"option": ["Lenin's", "Martov's"], "correct": [True, False], "chosen_first_try": [5, 3]})
    return plot_choices(options, question_id="demo")


@pytest.mark.parametrize("draw", [*CHARTS.values(), lambda: plots.plot_journey(start=1929, end=1940),
                                  _class_report_chart], ids=[*CHARTS, "journey with inset", "class report"])
def test_every_title_sits_where_matplotlib_would_place_it(monkeypatch, draw):
    """A title set at the top edge (no measuring) gives the very image matplotlib's own placement gives."""
    from matplotlib.axes import Axes

    fixed = figure_png(draw().figure)
    real = Axes.set_title
    monkeypatch.setattr(Axes, "set_title", lambda ax, label, *args, y=None, **kwargs: real(ax, label, *args, **kwargs))
    assert figure_png(draw().figure) == fixed
