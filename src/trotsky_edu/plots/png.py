"""A figure as PNG bytes, cropped to what was drawn, for a third of the work of ``savefig``.

``savefig(bbox_inches="tight")`` lays the whole figure out twice: once to measure how far
its contents reach (which computes every axis's ticks again), and again, with a new
renderer and so without its cached text sizes, to draw them. :func:`figure_png` draws
once and crops the pixels it already has to the ink on them: the smallest box holding
every pixel that differs from the background, padded by ``savefig.pad_inches``.

Pixels cannot show what lies outside the figure, so when the ink reaches the canvas's
edge the crop falls back to measuring: ``Figure.get_tightbbox`` with the same renderer,
and ``savefig`` drawing again on a canvas grown to that box if the contents reach past
the figure. A figure saved at another resolution than its own is left to ``savefig``.

The drawing is done on an Agg canvas of its own, as ``savefig`` does for other formats,
so the full-size pixel buffer is freed as soon as the PNG is made instead of staying with
the figure: in a kernel serving a class, every figure's buffer would otherwise stay in
memory for as long as a variable holds the figure.

The PNG itself is written by :func:`encode_png` rather than Pillow. Pillow tries all five
PNG row filters on every row and keeps the best, and offers no way to choose: that search
takes longer than the compression. On flat-coloured charts the "None" filter compresses
as well as the best one (ink is long runs of one colour either way), so rows go to zlib
unfiltered, at level 1, and as RGB when every pixel is opaque: the PNG takes about a third
of Pillow's time and is smaller.
"""

from __future__ import annotations

import io
import math
import struct
import zlib

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

#: zlib level for the PNG: 1 is about twice as fast as Pillow's default 6 for files a few per cent larger.
COMPRESS_LEVEL = 1
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Rows copied out and compressed at a time.
_BLOCK_ROWS = 64
_INCHES_PER_METRE = 1 / 0.0254


def figure_png(fig: Figure) -> bytes:
    """``fig`` as PNG, cropped like ``savefig(format="png", bbox_inches="tight")``."""
    dpi = mpl.rcParams["savefig.dpi"]
    if dpi != "figure" and float(dpi) != fig.dpi:
        return _saved(fig)
    original = fig.canvas
    canvas = FigureCanvasAgg(fig)
    try:
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        pad = round(mpl.rcParams["savefig.pad_inches"] * fig.dpi)
        inked = ink_box(pixels)
        if inked is not None:
            top, bottom, left, right = inked
            rows, columns = pixels.shape[:2]
            box = (max(top - pad, 0), min(bottom + pad, rows), max(left - pad, 0), min(right + pad, columns))
            return _cropped_png(pixels, box, dpi=fig.dpi)
        width, height = fig.get_size_inches()
        contents = fig.get_tightbbox(canvas.get_renderer())
        box = contents.padded(mpl.rcParams["savefig.pad_inches"])
        if contents.x0 < 0 or contents.y0 < 0 or contents.x1 > width or contents.y1 > height:
            return _saved(fig, box)
        return _cropped_png(pixels, _pixel_box(box, dpi=fig.dpi, height=height, shape=pixels.shape), dpi=fig.dpi)
    finally:
        fig.set_canvas(original)


def ink_box(pixels: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) pixel bounds of everything in ``pixels`` that differs from the background.

    The background is the colour of the four corners; ``None`` when they differ, when
    nothing is drawn, or when the ink touches the edge (it may go on past it).
    """
    colours = pixels.view(np.uint32)[..., 0]  # one number per RGBA pixel
    background = colours[0, 0]
    if not (colours[0, -1] == colours[-1, 0] == colours[-1, -1] == background):
        return None
    ink = colours != background
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not rows.size:
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
    if top == 0 or left == 0 or bottom == colours.shape[0] or right == colours.shape[1]:
        return None
    return int(top), int(bottom), int(left), int(right)


def _pixel_box(box: Bbox, *, dpi: float, height: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """``box`` (inches, from the bottom left of a figure ``height`` inches tall) as (top, bottom, left, right) pixels."""
    rows, columns = shape[:2]
    return (max(math.floor((height - box.y1) * dpi), 0), min(math.ceil((height - box.y0) * dpi), rows),
            max(math.floor(box.x0 * dpi), 0), min(math.ceil(box.x1 * dpi), columns))


def _cropped_png(pixels: np.ndarray, box: tuple[int, int, int, int], *, dpi: float) -> bytes:
    """The part of ``pixels`` inside ``box`` (top, bottom, left, right), as PNG."""
    top, bottom, left, right = box
    return encode_png(pixels[top:bottom, left:right], dpi=dpi)


def encode_png(pixels: np.ndarray, *, dpi: float) -> bytes:
    """``pixels`` (rows × columns × RGBA, 8 bits each) as a PNG file that records ``dpi``.

    Rows are stored unfiltered (PNG filter type 0) and compressed with zlib at
    :data:`COMPRESS_LEVEL`; an image with no transparent pixel is stored as RGB. The rows
    are copied out and compressed :data:`_BLOCK_ROWS` at a time, so encoding the largest
    map holds a few hundred kilobytes more than its canvas, not another whole image.
    """
    rows, columns = pixels.shape[:2]
    opaque = int(pixels[..., 3].min(initial=255)) == 255
    channels = 3 if opaque else 4
    block = np.zeros((min(rows, _BLOCK_ROWS), 1 + columns * channels), np.uint8)  # each row starts with its filter, 0
    compressor = zlib.compressobj(COMPRESS_LEVEL)
    data = []
    for top in range(0, rows, _BLOCK_ROWS):
        count = min(_BLOCK_ROWS, rows - top)
        block[:count, 1:].reshape(count, columns, channels)[...] = pixels[top:top + count, :, :channels]
        data.append(compressor.compress(block[:count]))
    data.append(compressor.flush())
    header = struct.pack(">IIBBBBB", columns, rows, 8, 2 if opaque else 6, 0, 0, 0)
    per_metre = round(dpi * _INCHES_PER_METRE)
    return b"".join([
        _SIGNATURE,
        _chunk(b"IHDR", header),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", b"".join(data)),
        _chunk(b"IEND", b""),
    ])


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def _saved(fig: Figure, box: Bbox | None = None) -> bytes:
    """``savefig``'s PNG of ``box`` (inches) or, without one, of the measured contents."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight" if box is None else box,
                pil_kwargs={"compress_level": COMPRESS_LEVEL})
    return buffer.getvalue()
