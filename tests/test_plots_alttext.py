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
    assert markup.startswith('<div class="trotsky-edu-figure"><figure')
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


def _long_description(markup):
    """The text of the element the image names with aria-describedby."""
    identifier = re.search(r'aria-describedby="([^"]+)"', markup).group(1)
    inner = re.search(rf'<div id="{identifier}">(.*?)</div>', markup).group(1)
    return html.unescape(re.sub(r"<[^>]+>", " ", inner))


def test_the_authors_alt_is_the_alt_text_and_the_generated_description_the_long_description():
    markup = figure_html(_described_axes(), alt="The line rises from 1917 to 1921.")
    assert re.search(r'alt="([^"]*)"', markup).group(1) == "The line rises from 1917 to 1921."
    assert "<summary>Full description</summary>" in markup
    long = " ".join(_long_description(markup).split())
    assert long == "A test chart, from 1917 to 1921. It rises. one two"


def test_the_long_description_is_left_out_when_it_only_repeats_the_alt_text():
    fig, ax = plt.subplots()
    attach_description(ax, FigureDescription(what="A bare chart", span="1917"))
    markup = figure_html(ax)
    assert "aria-describedby" not in markup and "<details>" not in markup


def test_a_maps_route_follows_the_authors_point_in_the_alt_text_and_in_the_long_description():
    fig, ax = plt.subplots()
    attach_description(ax, FigureDescription(what="Map", span="1928 to 1929", point="He is pushed ever further",
                                             route="Alma-Ata (January 1928) → Constantinople (February 1929)"))
    markup = figure_html(ax, alt="He is pushed ever further from Moscow")
    alt = html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))
    assert alt == ("He is pushed ever further from Moscow. "
                   "Route: Alma-Ata (January 1928) → Constantinople (February 1929).")
    assert "Route: Alma-Ata (January 1928) → Constantinople (February 1929)." in _long_description(markup)
    assert alttext.alt_with_route(alt, ax) == alt  # given once, not twice


def test_the_description_id_depends_on_the_words_not_on_the_pixels(monkeypatch):
    monkeypatch.setattr(alttext, "_IDS_GIVEN", {})
    first = figure_html(_described_axes(), alt="Same words")
    monkeypatch.setattr(alttext, "_IDS_GIVEN", {})
    monkeypatch.setattr(alttext, "figure_png", lambda fig: b"other pixels")
    second = figure_html(_described_axes(), alt="Same words")
    ids = [re.search(r'aria-describedby="([^"]+)"', m).group(1) for m in (first, second)]
    assert ids[0] == ids[1] and ids[0].startswith("figure-description-")


def test_a_figure_shown_twice_gets_two_ids(monkeypatch):
    monkeypatch.setattr(alttext, "_IDS_GIVEN", {})
    ids = [re.search(r'aria-describedby="([^"]+)"', figure_html(_described_axes(), alt="Twice")).group(1)
           for _ in range(2)]
    assert ids[1] == ids[0] + "-2"
