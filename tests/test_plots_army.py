"""plot_army_strength draws counts, estimates, ranges and bounds differently, each with its source."""

import re

import pandas as pd
import pytest

from trotsky_edu.plots.alttext import describe_figure
from trotsky_edu.plots.army import plot_army_strength


def _figures():
    rows = [
        ("r1", "1918-05-01", "month", 300000, "upper bound", None, None, "wp-a"),
        ("r2", "1918-10-01", "day", 1000000, "estimate", 800000, 1200000, "wp-b"),
        ("r3", "1919-06-01", "year", 3000000, "reported", None, None, "wp-c"),
        ("r4", "1920-06-01", "day", 5000000, "lower bound", None, None, "wp-d"),
    ]
    frame = pd.DataFrame(rows, columns=["record_id", "date", "precision", "strength", "kind", "low", "high", "source"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["low"] = frame["low"].astype("Int64")
    frame["high"] = frame["high"].astype("Int64")
    frame["source"] = frame["source"].map(lambda s: [s])
    frame["note"] = "note"
    return frame


def _gids(ax, prefix):
    return sorted(a.get_gid() for a in [*ax.lines, *ax.texts] if (a.get_gid() or "").startswith(prefix))


def test_one_point_per_figure_with_its_source_written_beside_it():
    ax = plot_army_strength(_figures())
    assert _gids(ax, "point-") == ["point-r1", "point-r2", "point-r3", "point-r4"]
    sources = sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("source-"))
    assert sources == ["wp-a", "wp-b", "wp-c", "wp-d"]


def test_estimates_are_hollow_and_counts_filled():
    ax = plot_army_strength(_figures())
    points = {line.get_gid(): line for line in ax.lines}
    assert points["point-r2"].get_markerfacecolor() == "white"
    assert points["point-r3"].get_markerfacecolor() != "white"


def test_ranges_and_bounds_are_drawn():
    ax = plot_army_strength(_figures())
    (bar,) = [line for line in ax.lines if line.get_gid() == "range-r2"]
    assert list(bar.get_ydata()) == [800000, 1200000]
    assert _gids(ax, "bound-") == ["bound-r1", "bound-r4"]


def test_axis_starts_at_zero_and_covers_the_default_years():
    ax = plot_army_strength(_figures())
    assert ax.get_ylim()[0] == 0
    import matplotlib.dates as mdates

    assert [mdates.num2date(x).year for x in ax.get_xlim()] == [1918, 1922]


def test_legend_explains_each_kind_used():
    ax = plot_army_strength(_figures())
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("estimate" in t for t in texts) and any("at least" in t for t in texts)
    assert any("range" in t for t in texts)  # r2 has one


def test_legend_explains_the_range_bar_only_when_one_is_drawn():
    figures = _figures()
    figures["low"] = figures["high"] = pd.NA
    texts = [t.get_text() for t in plot_army_strength(figures).get_legend().get_texts()]
    assert "estimate" in texts and not any("range" in t or "vertical" in t for t in texts)


def test_description_lists_each_source_in_details():
    text = describe_figure(plot_army_strength(_figures()), details=True)
    assert "between 1918 and 1921" in text
    assert "at most 300,000 (upper bound), source wp-a" in text


def test_empty_years_give_an_empty_labelled_chart():
    ax = plot_army_strength(_figures(), years=(1930, 1931))
    assert [t.get_text() for t in ax.texts if t.get_gid() == "empty-message"] == [
        "No Red Army figures between 1930 and 1931"]


def test_bad_years_raise():
    with pytest.raises(ValueError, match="1879 to 1940"):
        plot_army_strength(_figures(), years=(1918, 1950))


def test_bundled_figures_draw():
    ax = plot_army_strength()
    assert _gids(ax, "point-")


def test_description_gives_the_range_the_kinds_and_a_fall():
    figures = _figures()
    figures.loc[3, "strength"] = 2000000  # below the 1919 count
    text = describe_figure(plot_army_strength(figures))
    assert text.startswith("Chart of 4 Red Army strength figures (1 upper bound, 1 estimate, 1 reported count, "
                           "1 lower bound), between 1918 and 1921.")
    assert ("The figures go from at most 300,000 (May 1918) to at least 2,000,000 (1 June 1920); the largest is "
            "3,000,000 (1919); they do not rise steadily: at least 2,000,000 (1 June 1920) is below 3,000,000 (1919); "
            "only 1 of them is a reported count.") in text


def test_bundled_description_agrees_with_the_figures():
    from trotsky_edu import load_red_army

    figures = load_red_army()
    largest = f"{int(figures['strength'].max()):,}"
    text = describe_figure(plot_army_strength())
    assert f"Chart of {len(figures)} Red Army strength figures" in text
    named = re.search(r"([\d,]+) \([^)]*\), the largest|the largest is (?:about |at least |at most )?([\d,]+)", text)
    assert largest in named.groups()
    assert f"only {(figures['kind'] == 'reported').sum()} of them" in text


def test_bundled_sources_cross_no_other_label_and_no_date_span():
    """Each source is written where it covers no other source and no line of the chart (October 1918 once ran into 1919's)."""
    import matplotlib.pyplot as plt

    ax = plot_army_strength()
    renderer = ax.figure.canvas.get_renderer()
    labels = [t.get_window_extent(renderer) for t in ax.texts if (t.get_gid() or "").startswith("source-")]
    spans = [line.get_window_extent(renderer) for line in ax.lines
             if not (line.get_gid() or "").startswith(("point-", "bound-")) and len(line.get_xdata()) == 2]
    try:
        assert len(labels) >= 5 and spans
        assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if a.overlaps(b)]
        assert not [(a, b) for a in labels for b in spans if a.overlaps(b)]
    finally:
        plt.close(ax.figure)
