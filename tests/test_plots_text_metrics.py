"""Text widths from cached glyph advances agree with FreeType's own layout of the whole line."""

import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from trotsky_edu.plots.text_metrics import POINTS_PER_INCH, text_width_inches


def freetype_width_inches(text, size):
    prop = FontProperties(size=size)
    return max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
               for line in text.split("\n")) / POINTS_PER_INCH


@pytest.mark.parametrize("text", [
    "Trotsky arrives in Petrograd",
    "AVAST: To Yalta, 1917–1918 (Julian 25 Oct)",
    "Prinkipo (Büyükada), Apr 1929–Jul 1933",
    "Лев Давидович Троцкий",
    "short\na much longer second line",
    "",
])
@pytest.mark.parametrize("size", ["small", 10, 14.5])
def test_width_matches_freetype_layout(text, size):
    assert text_width_inches(text, size=size) == pytest.approx(freetype_width_inches(text, size), rel=1e-3, abs=1e-6)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_a_character_the_font_lacks_is_measured_the_slow_way():
    text = "Trotsky 托洛茨基"
    assert text_width_inches(text, size=10) == pytest.approx(freetype_width_inches(text, 10), rel=1e-6)
    assert text_width_inches(text, size=10) > text_width_inches("Trotsky", size=10)


@pytest.mark.parametrize(("labels", "title", "columns"), [
    (["natural death", "executed", "assassinated"], "fate", 1),
    (["reported count", "estimate (vertical bar: the range of figures given)", "upper bound", "month only"], "", 2),
    (["a"], "a title much longer than the only label", 1),
])
def test_legend_size_leaves_enough_room_but_not_much_more(labels, title, columns):
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from trotsky_edu.plots.text_metrics import legend_size_inches

    fig, ax = plt.subplots()
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, label=label) for label in labels]
    legend = ax.legend(handles=handles, title=title or None, ncols=columns)
    fig.canvas.draw()
    drawn = legend.get_window_extent(fig.canvas.get_renderer())
    width, height = legend_size_inches(labels, title=title, columns=columns)
    assert drawn.width / fig.dpi <= width <= drawn.width / fig.dpi + 0.3
    assert drawn.height / fig.dpi <= height <= drawn.height / fig.dpi + 0.3
