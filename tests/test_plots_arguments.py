"""Arguments shared by the plot functions are checked with messages that name the valid values."""

import pandas as pd
import pytest

from trotsky_edu import datasets, plots
from trotsky_edu.plots import alliances, army, fates, journey, offices, timeline
from trotsky_edu.plots.arguments import (
    categories_of,
    check_choice,
    check_choices,
    check_data,
    check_years,
    with_shared_docs,
    year_span_text,
)
from trotsky_edu.plots.png import figure_png


def test_years_accepts_one_year_or_a_pair():
    assert check_years(1917) == (1917, 1917)
    assert check_years((1917, 1921)) == (1917, 1921)
    assert check_years(None) is None


@pytest.mark.parametrize("years", [1878, 1941, (1900, 1950)])
def test_years_outside_the_course_name_the_valid_range(years):
    with pytest.raises(ValueError, match="from 1879 to 1940"):
        check_years(years)


def test_years_backwards_suggest_the_fix():
    with pytest.raises(ValueError, match=r"\(1917, 1921\)"):
        check_years((1921, 1917))


def test_years_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="pair of years"):
        check_years("1917")


def test_unknown_choice_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown lesson 'war'; choose from: early, revolution"):
        check_choices(["early", "war"], ["early", "revolution"], what="lesson")
    assert check_choices("early", ["early"], what="lesson") == ["early"]
    assert check_choice("a", "ab", what="letter") == "a"


def test_categories_of_keeps_declared_order():
    column = pd.Series(pd.Categorical(["b"], categories=["a", "b"], ordered=True))
    assert categories_of(column) == ["a", "b"]
    assert categories_of(pd.Series(["y", "x", "y"])) == ["y", "x"]


def test_year_span_text():
    assert year_span_text(1917, 1917) == "in 1917"
    assert year_span_text(1930, 1931) == "between 1930 and 1931"


def test_shared_docs_fill_placeholders():
    @with_shared_docs
    def f():
        """Draw.

        {ax}
        """

    assert "Axes to draw on" in f.__doc__


def test_check_data_names_the_missing_columns_and_the_table_that_has_them():
    table = pd.DataFrame({"date": [], "title": []})
    assert check_data(table, ("date",), function="plot_x", like="load_x()") is table
    with pytest.raises(ValueError, match=r"plot_x\(\) needs the columns lesson, people, .*like load_x\(\)"):
        check_data(table, ("date", "lesson", "people"), function="plot_x", like="load_x()")
    with pytest.raises(TypeError, match=r"a pandas DataFrame; got list"):
        check_data([1, 2], ("date",), function="plot_x", like="load_x()")


# (plot function, the module declaring its columns, the bundled table it draws, extra arguments)
CHARTS = [
    (plots.plot_timeline, timeline.COLUMNS, datasets.load_events, {}),
    (plots.plot_journey, journey.COLUMNS, lambda: datasets.load_residences(with_places=True), {}),
    (plots.plot_army_strength, army.COLUMNS, datasets.load_red_army, {}),
    (plots.plot_offices, offices.COLUMNS, datasets.load_offices, {"person": "trotsky"}),
    (plots.plot_alliances, alliances.COLUMNS, datasets.load_factions, {"moment": "1926-06-01"}),
    (plots.plot_fates, fates.COLUMNS["family"], datasets.load_people, {"group": "family"}),
    (plots.plot_fates, fates.COLUMNS["trials"], datasets.load_trials, {"group": "trials"}),
]
CHART_IDS = ["timeline", "journey", "army", "offices", "alliances", "fates-family", "fates-trials"]


@pytest.mark.parametrize(("plot", "columns", "load", "options"), CHARTS, ids=CHART_IDS)
def test_the_declared_columns_are_all_a_chart_needs(plot, columns, load, options):
    ax = plot(load()[list(columns)], **options)
    assert figure_png(ax.figure).startswith(b"\x89PNG")


@pytest.mark.parametrize(("plot", "columns", "load", "options"), CHARTS, ids=CHART_IDS)
def test_another_dataset_or_a_list_gets_a_message_not_a_key_error(plot, columns, load, options):
    wrong = datasets.load_sources()
    with pytest.raises(ValueError, match=r"needs the column.*which this table lacks\. It draws tables like load_"):
        plot(wrong, **options)
    with pytest.raises(ValueError, match=rf"needs the column {columns[-1]}, which"):
        plot(load().drop(columns=[columns[-1]]), **options)
    with pytest.raises(TypeError, match=r"a pandas DataFrame; got list"):
        plot([1, 2, 3], **options)
