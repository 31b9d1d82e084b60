"""The house style is opt-in and scoped; importing the plots changes no matplotlib setting."""

import subprocess
import sys

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from trotsky_edu.plots.style import (
    OKABE_ITO,
    PALETTE,
    colour_for,
    contrast_ratio,
    house_style,
    readable_points,
    text_colour,
)


def test_importing_the_plots_changes_no_rcparams():
    """A fresh interpreter has the same rcParams before and after importing trotsky_edu.plots."""
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import trotsky_edu, trotsky_edu.plots; "
        "changed = [k for k, v in mpl.rcParams.items() if before[k] != v]; print(changed)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_package_does_not_import_matplotlib():
    """`import trotsky_edu` stays cheap: matplotlib loads only when a plot is used."""
    code = "import sys, trotsky_edu; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_style_applies_inside_and_restores_after_the_block():
    before = mpl.rcParams["font.size"]
    with house_style():
        assert mpl.rcParams["font.size"] > before
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == PALETTE
    assert mpl.rcParams["font.size"] == before


def test_style_restores_settings_even_after_an_error():
    before = dict(mpl.rcParams)
    with pytest.raises(RuntimeError), house_style():
        raise RuntimeError("boom")
    assert mpl.rcParams["font.size"] == before["font.size"]
    assert mpl.rcParams["axes.spines.top"] == before["axes.spines.top"]


def test_style_works_as_a_decorator():
    @house_style()
    def inner_size():
        return mpl.rcParams["font.size"]

    before = mpl.rcParams["font.size"]
    assert inner_size() > before
    assert inner_size() > before  # reusable
    assert mpl.rcParams["font.size"] == before


def test_projector_false_keeps_normal_text_size():
    with house_style(projector=False):
        small = mpl.rcParams["font.size"]
    with house_style():
        large = mpl.rcParams["font.size"]
    assert small < large


def test_palette_is_okabe_ito_and_cycles():
    assert set(PALETTE) == set(OKABE_ITO.values()) and len(PALETTE) == 8
    assert colour_for(0) == colour_for(8) == OKABE_ITO["blue"]


def test_figure_drawn_in_style_keeps_its_colours_after_the_block():
    with house_style():
        fig, ax = plt.subplots()
        (line,) = ax.plot([0, 1])
    assert line.get_color() == PALETTE[0]


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("black", "white") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "white") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("white", "white") == 1.0


@pytest.mark.parametrize("name", list(OKABE_ITO))
def test_text_colour_darkens_a_palette_colour_until_words_in_it_read(name):
    """Yellow and orange are too faint for words; their darker shades of the same hue are not."""
    import colorsys

    from matplotlib.colors import to_rgb

    darker = text_colour(OKABE_ITO[name])
    assert contrast_ratio(darker, "white") >= 4.5
    if contrast_ratio(OKABE_ITO[name], "white") >= 4.6:
        assert darker == OKABE_ITO[name].lower()
    hues = [colorsys.rgb_to_hls(*to_rgb(colour))[0] for colour in (darker, OKABE_ITO[name])]
    assert hues[0] == pytest.approx(hues[1], abs=0.02)


def test_readable_points_is_one_point_per_inch_of_width_and_never_under_ten():
    assert readable_points(plt.figure(figsize=(13, 5))) == 13
    assert readable_points(plt.figure(figsize=(6, 4))) == 10
