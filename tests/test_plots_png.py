"""figure_png: one draw, cropped like savefig(bbox_inches="tight"), and savefig where cropping can't work."""

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from PIL import Image

from trotsky_edu import plots
from trotsky_edu.plots import png
from trotsky_edu.plots.png import encode_png, figure_png


def tight_savefig(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return Image.open(io.BytesIO(buffer.getvalue()))


def chart(*, legend_outside=False):
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([1917, 1921, 1924], [1, 3, 2], label="a line")
    ax.set_title("A title well inside the figure")
    if legend_outside:
        ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0))  # past the right edge
    return fig


def measured_calls(monkeypatch):
    """Calls of Figure.get_tightbbox, the measuring that an ink crop makes unnecessary."""
    calls = []
    real = Figure.get_tightbbox
    monkeypatch.setattr(Figure, "get_tightbbox", lambda fig, *args, **kwargs: calls.append(fig) or real(fig, *args, **kwargs))
    return calls


def saved_through_savefig(monkeypatch):
    calls = []
    real = png._saved
    monkeypatch.setattr(png, "_saved", lambda fig, box=None: calls.append(box) or real(fig, box))
    return calls


def test_matches_savefig_tight_crop_and_draws_once(monkeypatch):
    fig = chart()
    expected = tight_savefig(fig)
    calls = saved_through_savefig(monkeypatch)
    image = Image.open(io.BytesIO(figure_png(fig)))
    assert calls == []
    assert abs(image.width - expected.width) <= 3 and abs(image.height - expected.height) <= 3
    ours, theirs = (np.asarray(i.convert("L"), dtype=float) for i in (image, expected))
    assert abs(ours.mean() - theirs.mean()) < 2  # the same picture, give or take a pixel row


def test_the_crop_holds_all_the_ink_with_the_pad_around_it_and_measures_nothing(monkeypatch):
    fig = chart()
    measured = measured_calls(monkeypatch)
    image = np.asarray(Image.open(io.BytesIO(figure_png(fig))))
    canvas = png.FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    white = np.array([255, 255, 255])
    ink = (image != white).any(axis=2)
    assert ink.sum() == (pixels != white).any(axis=2).sum()  # every drawn pixel is in the crop
    pad = round(plt.rcParams["savefig.pad_inches"] * fig.dpi)
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    assert (rows[0], columns[0]) == (pad, pad)
    assert (image.shape[0] - 1 - rows[-1], image.shape[1] - 1 - columns[-1]) == (pad, pad)
    assert measured == []


def test_ink_touching_the_edge_is_measured_instead():
    fig = plt.figure(figsize=(4, 2))
    fig.add_axes((0, 0, 1, 1)).plot([0, 1], [0, 1])  # the spines lie on the figure's edge
    assert png.ink_box(np.asarray(_drawn(fig).buffer_rgba())) is None
    assert Image.open(io.BytesIO(figure_png(fig))).size == pytest.approx(tight_savefig(fig).size, abs=3)


def test_an_empty_figure_or_an_uneven_background_has_no_ink_box():
    empty = np.full((20, 30, 4), 255, dtype=np.uint8)
    assert png.ink_box(empty) is None
    uneven = empty.copy()
    uneven[-1, -1] = (0, 0, 0, 255)
    assert png.ink_box(uneven) is None
    drawn = empty.copy()
    drawn[5:8, 10:12] = (0, 114, 178, 255)
    assert png.ink_box(drawn) == (5, 8, 10, 12)
    assert Image.open(io.BytesIO(figure_png(plt.figure(figsize=(2, 1))))).format == "PNG"


def _drawn(fig):
    canvas = png.FigureCanvasAgg(fig)
    canvas.draw()
    return canvas


def test_the_crop_is_exactly_the_canvas_pixels_inside_the_box():
    fig = chart()
    image = np.asarray(Image.open(io.BytesIO(figure_png(fig))))
    canvas = png.FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    rows, columns = image.shape[:2]
    matches = [(top, left) for top in range(pixels.shape[0] - rows + 1) for left in range(pixels.shape[1] - columns + 1)
               if top < 40 and left < 60 and np.array_equal(pixels[top:top + rows, left:left + columns, :3], image)]
    assert image.shape[2] == 3 and len(matches) >= 1  # an opaque figure is stored as RGB


def random_pixels(rows, columns, *, seed, opaque):
    pixels = np.random.default_rng(seed).integers(0, 256, (rows, columns, 4), dtype=np.uint8)
    if opaque:
        pixels[..., 3] = 255
    return pixels


@pytest.mark.parametrize("opaque", [True, False])
def test_encode_png_gives_back_every_pixel_and_the_resolution(opaque):
    pixels = random_pixels(png._BLOCK_ROWS * 2 + 23, 37, seed=1917, opaque=opaque)  # two whole blocks and a part
    image = Image.open(io.BytesIO(encode_png(pixels, dpi=100)))
    image.load()  # decoding checks every chunk's CRC and the zlib stream
    assert image.mode == ("RGB" if opaque else "RGBA")
    assert np.array_equal(np.asarray(image), pixels[..., :3] if opaque else pixels)
    assert image.info["dpi"] == pytest.approx((100, 100), abs=0.01)


def test_encode_png_reads_a_cropped_view_of_a_larger_buffer():
    pixels = random_pixels(40, 50, seed=1921, opaque=True)
    crop = pixels[5:30, 7:41]  # not contiguous: each row is a slice of a longer one
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(encode_png(crop, dpi=72)))), crop[..., :3])


def test_encode_png_does_not_copy_the_whole_image():
    """At the moment a kernel draws its largest map, a second full-size copy would add megabytes to its peak."""
    import tracemalloc

    pixels = np.full((1100, 1500, 4), 255, np.uint8)  # the size of the largest map
    pixels[::7, ::3, :3] = 40  # some ink, so the PNG itself stays small
    tracemalloc.start()
    try:
        encode_png(pixels, dpi=100)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < pixels.nbytes / 8


def test_a_chart_png_is_smaller_than_pillows():
    """Unfiltered rows compress flat-coloured charts as well as Pillow's per-row filter search does."""
    canvas = png.FigureCanvasAgg(plots.plot_offices(person="trotsky").figure)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png", compress_level=png.COMPRESS_LEVEL)
    assert len(encode_png(pixels, dpi=100)) < len(buffer.getvalue())
    plt.close(canvas.figure)


def test_a_transparent_figure_keeps_its_alpha_channel():
    fig = chart()
    fig.patch.set_alpha(0)
    with plt.rc_context({"savefig.transparent": False}):
        image = Image.open(io.BytesIO(figure_png(fig)))
    assert image.mode == "RGBA" and np.asarray(image)[..., 3].min() < 255


def test_contents_outside_the_figure_are_kept_by_a_second_draw(monkeypatch):
    fig = chart(legend_outside=True)
    calls = saved_through_savefig(monkeypatch)
    image = Image.open(io.BytesIO(figure_png(fig)))
    assert len(calls) == 1 and calls[0] is not None
    assert image.width > fig.get_size_inches()[0] * fig.dpi  # wider than the figure: the legend is in
    assert image.size == pytest.approx(tight_savefig(fig).size, abs=3)


def test_leaves_another_resolution_to_savefig(monkeypatch):
    fig = chart()
    calls = saved_through_savefig(monkeypatch)
    with plt.rc_context({"savefig.dpi": fig.dpi * 2}):
        image = Image.open(io.BytesIO(figure_png(fig)))
    assert calls == [None]
    assert image.width > 1.5 * tight_savefig(fig).width


def test_draws_on_a_canvas_of_its_own_and_gives_the_figure_its_canvas_back():
    fig = chart()
    svg = FigureCanvasSVG(fig)
    assert Image.open(io.BytesIO(figure_png(fig))).format == "PNG"
    assert fig.canvas is svg


def test_the_pixel_buffer_is_freed_at_once(monkeypatch):
    """No reference cycle keeps the full-size buffer alive until the next garbage collection."""
    import gc
    import weakref

    made = weakref.WeakSet()

    class Recorded(png.FigureCanvasAgg):
        def __init__(self, figure):
            super().__init__(figure)
            made.add(self)

    monkeypatch.setattr(png, "FigureCanvasAgg", Recorded)
    gc.disable()
    try:
        figure_png(chart())
        assert len(made) == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("draw", [
    lambda: plots.plot_timeline(),
    lambda: plots.plot_timeline(years=(1917, 1918), dual_dates=True),
    lambda: plots.plot_journey(),
    lambda: plots.plot_journey(start=1929, end=1940),
    lambda: plots.plot_army_strength(),
    lambda: plots.plot_offices(person="trotsky", years=(1917, 1921)),
    lambda: plots.plot_offices(body="party"),
    lambda: plots.plot_alliances(moment="united_opposition"),
    lambda: plots.plot_fates(group="family"),
    lambda: plots.plot_fates(group="trials"),
], ids=["timeline", "timeline-dual", "journey", "journey-exile", "army", "offices", "offices-party", "alliances",
        "fates-family", "fates-trials"])
def test_every_chart_fits_inside_its_own_figure_so_it_is_drawn_once(monkeypatch, draw):
    """Legends and labels outside the Axes have room left for them, so no second draw and no measuring is needed."""
    ax = draw()
    calls = saved_through_savefig(monkeypatch)
    measured = measured_calls(monkeypatch)
    figure_png(ax.figure)
    assert calls == [] and measured == []
