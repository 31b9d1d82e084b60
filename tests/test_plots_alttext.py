"""Figures describe themselves, and show_figure displays them with escaped alt text."""

import html
import re

import matplotlib.pyplot as plt
import pytest

from trotsky_edu.plots import alttext
from trotsky_edu.plots.alttext import (
    FigureDescription,
    attach_description,
    describe_figure,
    figure_html,
    show_figure,
)


def _described_axes():
    fig, ax = plt.subplots()
    ax.plot([1917, 1921], [0, 1])
    attach_description(ax, FigureDescription(what="A test chart", span="from 1917 to 1921",
                                             point="It rises", details=("one", "two"), caption="Cap <b>"))
    return ax


def test_description_says_what_range_and_point():
    text = describe_figure(_described_axes())
    assert text == "A test chart, from 1917 to 1921. It rises."


def test_details_add_one_line_per_mark():
    assert describe_figure(_described_axes(), details=True).endswith("- one\n- two")


def test_figure_and_axes_give_the_same_description():
    ax = _described_axes()
    assert describe_figure(ax.figure) == describe_figure(ax)


def test_undescribed_axes_fall_back_to_title_and_limits():
    fig, ax = plt.subplots()
    ax.set_title("Plain")
    ax.set_xlim(1917, 1921)
    text = describe_figure(ax)
    assert "Plain" in text and "from 1917 to 1921" in text


def test_describe_refuses_other_objects():
    with pytest.raises(TypeError, match="Axes or Figure"):
        describe_figure("not a figure")


def test_html_has_png_image_with_escaped_alt_and_caption():
    ax = _described_axes()
    markup = figure_html(ax, alt='Says "hi" <script>')
    assert markup.startswith("<figure")
    assert 'src="data:image/png;base64,' in markup
    assert 'alt="Says &quot;hi&quot; &lt;script&gt;"' in markup
    assert "<figcaption>Cap &lt;b&gt;</figcaption>" in markup


def test_html_alt_defaults_to_the_description():
    ax = _described_axes()
    alt = re.search(r'alt="([^"]*)"', figure_html(ax)).group(1)
    assert html.unescape(alt) == describe_figure(ax)


def test_show_figure_displays_html_and_closes_the_figure(monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", shown.append)
    ax = _described_axes()
    number = ax.figure.number
    assert show_figure(ax, alt="x & y") is None
    assert 'alt="x &amp; y"' in shown[0].data
    assert number not in plt.get_fignums()


def test_descriptions_are_forgotten_with_their_axes():
    ax = _described_axes()
    assert alttext.description_of(ax) is not None
    fig, other = plt.subplots()
    assert alttext.description_of(other) is None
