"""Arguments shared by the plot functions are checked with messages that name the valid values."""

import pandas as pd
import pytest

from trotsky_edu.plots.arguments import (
    categories_of,
    check_choice,
    check_choices,
    check_years,
    with_shared_docs,
    year_span_text,
)


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
