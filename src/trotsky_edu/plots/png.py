"""A figure as PNG bytes, cropped to what was drawn, for about half the work of ``savefig``.

``savefig(bbox_inches="tight")`` lays the whole figure out twice: once to measure how far
its contents reach, and again, with a new renderer and so without its cached text sizes,
to draw them. Most of a chart's cost is text, so :func:`figure_png` draws once, measures
with that same renderer, and crops the pixels it already has. When something reaches
outside the figure (which cropping cannot show), ``savefig`` draws it again on a canvas
grown to the box already measured; a figure saved at another resolution than its own is
left to ``savefig`` entirely.

The drawing is done on an Agg canvas of its own, as ``savefig`` does for other formats,
so the full-size pixel buffer is freed as soon as the PNG is made instead of staying with
the figure: in a kernel serving a class, every figure's buffer would otherwise stay in
memory for as long as a variable holds the figure.
"""

from __future__ import annotations

import io
import math

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image


def figure_png(fig: Figure) -> bytes:
    """``fig`` as PNG, cropped like ``savefig(format="png", bbox_inches="tight")``."""
    dpi = mpl.rcParams["savefig.dpi"]
    if dpi != "figure" and float(dpi) != fig.dpi:
        return _saved(fig)
    original = fig.canvas
    canvas = FigureCanvasAgg(fig)
    try:
        canvas.draw()
        width, height = fig.get_size_inches()
        contents = fig.get_tightbbox(canvas.get_renderer())
        box = contents.padded(mpl.rcParams["savefig.pad_inches"])
        if contents.x0 < 0 or contents.y0 < 0 or contents.x1 > width or contents.y1 > height:
            return _saved(fig, box)
        return _cropped_png(np.asarray(canvas.buffer_rgba()), box, dpi=fig.dpi, height=height)
    finally:
        fig.set_canvas(original)


def _cropped_png(pixels: np.ndarray, box: Bbox, *, dpi: float, height: float) -> bytes:
    """The part of ``pixels`` (a figure ``height`` inches tall at ``dpi``) inside ``box`` (inches), as PNG.

    The image is read in place from the canvas's buffer (``Image.frombuffer`` with the
    buffer's row stride), so cropping copies nothing: for the largest map that is 5 MB less
    at the moment a kernel's memory peaks.
    """
    rows, columns = pixels.shape[:2]
    left, right = max(math.floor(box.x0 * dpi), 0), min(math.ceil(box.x1 * dpi), columns)
    top, bottom = max(math.floor((height - box.y1) * dpi), 0), min(math.ceil((height - box.y0) * dpi), rows)
    stride = pixels.strides[0]
    start = top * stride + left * pixels.strides[1]
    if start + (bottom - top) * stride > pixels.nbytes:
        bottom -= 1  # Pillow wants whole rows after the start; the last row is padding unless art touches the edge
    image = Image.frombuffer("RGBA", (right - left, bottom - top), memoryview(pixels).cast("B")[start:], "raw",
                             "RGBA", stride, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi))
    return buffer.getvalue()


def _saved(fig: Figure, box: Bbox | None = None) -> bytes:
    """``savefig``'s PNG of ``box`` (inches) or, without one, of the measured contents."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight" if box is None else box)
    return buffer.getvalue()
