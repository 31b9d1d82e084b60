"""The alt-text rule reads show_figure calls and the long descriptions that show_figure stores."""

import matplotlib.pyplot as plt

from trotsky_edu.lessonkit.figure_alt import alt_problems, figure_calls, long_descriptions
from trotsky_edu.plots.alttext import FigureDescription, attach_description, describe_figure, figure_html


def test_calls_are_found_by_reading_the_code_not_the_text():
    source = "\n".join([
        "%matplotlib inline",
        "# show_figure(ax) in a comment does not count",
        'print("show_figure(ax) in a string does not count")',
        'plots.show_figure(ax, alt="An alt written " "in two parts")',
        "show_figure(ax, alt=f'For {year}: posts held by each leader, one bar per post')",
    ])
    calls = figure_calls(source)
    assert [(c.line, c.alt) for c in calls] == [(4, "An alt written in two parts"),
                                                (5, "For  : posts held by each leader, one bar per post")]


def test_the_long_description_show_figure_stores_is_what_the_rule_compares_with():
    fig, ax = plt.subplots()
    attach_description(ax, FigureDescription(what="A chart of eight posts held by Trotsky", span="1917 to 1921",
                                             details=("War Commissar, 1918 to 1925",)))
    markup = figure_html(ax, alt="His posts move from diplomacy to the army within five months.")
    assert long_descriptions(markup) == [" ".join(describe_figure(ax, details=True).replace("- ", "").split())]
    copied = 'show_figure(ax, alt="A chart of eight posts held by Trotsky, 1917 to 1921.")'
    assert "repeats the generated description" in alt_problems(copied, long_descriptions(markup))[0]
    own = 'show_figure(ax, alt="His posts move from diplomacy to the army within five months.")'
    assert alt_problems(own, long_descriptions(markup)) == []


def test_a_cell_that_is_not_python_has_no_calls_to_check():
    assert figure_calls("show_figure(ax, alt=") == []
