"""Can the class read every chart on a projector, whatever its colour vision?

The rule for text size: every piece of text in a figure is at least one point tall per inch
of the figure's width (1/72 of the width), and never under 10 points. A notebook shows a
figure as wide as its column, so this is a share of the screen: in JupyterLab on a
1280-pixel projector (a column of about 1,100 pixels) it is at least 15 pixels, a little more
than the lesson's own 14-pixel text. Zoom the page until the lesson reads at the back of the
room and the charts read too. Contrast: every text against what is behind it (its box, else
the Axes, else the figure) at least 4.5:1, WCAG's AA for text. Colour: marks that a legend
tells apart by colour alone are also named in words on the chart.

The figures are drawn as the lessons draw them.
"""

from collections.abc import Callable

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

from trotsky_edu import (
    load_events,
    plot_alliances,
    plot_army_strength,
    plot_fates,
    plot_journey,
    plot_offices,
    plot_timeline,
)
from trotsky_edu.classreport.charts import plot_choices
from trotsky_edu.plots.style import contrast_ratio

MIN_POINTS = 10.0


def _revolution_timeline():
    events = load_events()
    wanted = ["1917-tsar-abdicates", "1917-arrives-petrograd", "1917-october-insurrection", "1918-brest-treaty-signed"]
    return plot_timeline(events[events["event_id"].isin(wanted)], dual_dates=True, label="all").figure


def _alliances_side_by_side():
    fig, (before, after) = plt.subplots(1, 2, figsize=(13, 5))  # as lesson 03 draws them
    plot_alliances(moment="1924-06-01", ax=before)
    plot_alliances(moment="1926-06-01", ax=after)
    return fig


def _class_report_chart():
    import pandas as pd

    options = pd.DataFrame({"option": ["Martov's, because he wanted a broad party", "Lenin's, for a small party",
                                       "Neither side", "Plekhanov's"],
                            "correct": [True, False, False, False], "chosen_first_try": [12, 9, 3, 1]})
    return plot_choices(options, question_id="demo-split-1903").figure


CHARTS: dict[str, Callable[[], Figure]] = {
    "timeline, lesson 00": lambda: plot_timeline(label=["1879-birth", "1917-october-insurrection", "1940-mercader-attack"]).figure,
    "timeline, every event": lambda: plot_timeline().figure,
    "timeline, 1917 in both calendars": _revolution_timeline,
    "timeline, 1939-1940": lambda: plot_timeline(lessons="exile", years=(1939, 1940)).figure,
    "journey, whole life": lambda: plot_journey().figure,
    "journey, to 1917": lambda: plot_journey(end=1917).figure,
    "journey, exile": lambda: plot_journey(start=1929, end=1940).figure,
    "offices, Trotsky 1917-1921": lambda: plot_offices(person="trotsky", years=(1917, 1921)).figure,
    "offices, 1922-1926": lambda: plot_offices(years=(1922, 1926)).figure,
    "army strength": lambda: plot_army_strength().figure,
    "alliances, 1926": lambda: plot_alliances(moment="1926-06-01").figure,
    "alliances, side by side": _alliances_side_by_side,
    "fates, trials": lambda: plot_fates(group="trials").figure,
    "fates, family": lambda: plot_fates(group="family").figure,
    "class report, first answers": _class_report_chart,
}


def _texts(fig: Figure) -> list[Text]:
    """Every visible piece of text the drawn figure shows."""
    fig.canvas.draw()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0]


def _behind(text: Text, fig: Figure) -> tuple[float, float, float]:
    box = text.get_bbox_patch()
    if box is not None and box.get_alpha() != 0 and box.get_facecolor()[3] > 0:
        return box.get_facecolor()[:3]
    if text.axes is not None and text.axes.patch.get_visible() and text.axes.get_facecolor()[3] > 0:
        return text.axes.get_facecolor()[:3]
    return to_rgb(fig.get_facecolor())


@pytest.fixture(params=list(CHARTS), scope="module")
def chart(request):
    fig = CHARTS[request.param]()
    yield fig
    plt.close(fig)


def test_every_text_is_large_enough_for_a_projector(chart):
    """At least 1 pt per inch of the figure's width, and 10 pt."""
    least = max(MIN_POINTS, chart.get_size_inches()[0])
    small = {(t.get_text()[:30], round(t.get_fontsize(), 1)) for t in _texts(chart) if t.get_fontsize() < least - 0.05}
    assert small == set(), f"a {chart.get_size_inches()[0]:.1f}-inch figure needs {least:.1f} pt at least"


def test_every_text_contrasts_at_least_4_5_to_1_with_what_is_behind_it(chart):
    low = {(t.get_text()[:30], round(contrast_ratio(t.get_color(), _behind(t, chart)), 2))
           for t in _texts(chart) if contrast_ratio(t.get_color(), _behind(t, chart)) < 4.5}
    assert low == set()


def _looks(handle) -> tuple:
    """What tells a legend entry's mark apart, colour aside."""
    def get(name: str):
        return getattr(handle, f"get_{name}", lambda: None)()

    return (type(handle).__name__, get("marker"), get("linestyle"), get("hatch"), get("markerfacecolor") == "white")


def test_colour_is_never_the_only_thing_that_tells_marks_apart(chart):
    """Legend entries that differ only in colour must be named in words on the chart itself as well."""
    legends = chart.findobj(Legend)
    in_legends = {id(text) for legend in legends for text in legend.get_texts()}
    words = " ".join(t.get_text() for t in _texts(chart) if id(t) not in in_legends)
    for legend in legends:
        entries = list(zip(legend.legend_handles, (t.get_text() for t in legend.get_texts())))
        for handle, label in entries:
            twins = [other for other, _ in entries if other is not handle and _looks(other) == _looks(handle)]
            if twins:
                assert label in words, f"'{label}' is told apart by colour alone"
