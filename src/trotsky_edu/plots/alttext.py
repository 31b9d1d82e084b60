"""Alt text for figures, and displaying a figure with it so screen readers get the words.

Every plot function records a :class:`FigureDescription` for the Axes it drew on: what
is shown, the range it covers, the main point, and optional details (one line per mark,
such as the source of each figure). :func:`describe_figure` turns that into alt text and
falls back to the title, axis labels and limits for any other matplotlib figure.
:func:`show_figure` displays the figure in a notebook as an ``<img>`` carrying that text.
"""

from __future__ import annotations

import base64
import html
import weakref
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from trotsky_edu.plots.png import figure_png


@dataclass(frozen=True)
class FigureDescription:
    """What a plot function drew, in words."""

    what: str
    span: str
    point: str = ""
    details: tuple[str, ...] = ()
    caption: str = ""

    def text(self, *, details: bool = False) -> str:
        """The description as sentences; ``details`` adds one line per mark."""
        sentences = [f"{self.what}, {self.span}." if self.span else f"{self.what}."]
        if self.point:
            sentences.append(self.point if self.point.endswith(".") else self.point + ".")
        text = " ".join(sentences)
        if details and self.details:
            text += "\n" + "\n".join(f"- {line}" for line in self.details)
        return text


_DESCRIPTIONS: weakref.WeakKeyDictionary[Axes, FigureDescription] = weakref.WeakKeyDictionary()


def attach_description(ax: Axes, description: FigureDescription) -> None:
    """Remember what ``ax`` shows, for :func:`describe_figure` and :func:`show_figure`."""
    _DESCRIPTIONS[ax] = description


def description_of(ax: Axes) -> FigureDescription | None:
    """The description a plot function attached to ``ax``, if any."""
    return _DESCRIPTIONS.get(ax)


def _figure_of(ax_or_fig: Axes | Figure) -> Figure:
    if isinstance(ax_or_fig, Figure):
        return ax_or_fig
    if isinstance(ax_or_fig, Axes):
        return ax_or_fig.figure
    raise TypeError(f"Expected a matplotlib Axes or Figure, got {type(ax_or_fig).__name__}.")


def _described_axes(ax_or_fig: Axes | Figure) -> list[Axes]:
    if isinstance(ax_or_fig, Axes):
        return [ax_or_fig]
    axes = _figure_of(ax_or_fig).axes
    described = [ax for ax in axes if ax in _DESCRIPTIONS]
    return described or [ax for ax in axes if ax.get_visible()]


def _generic_description(ax: Axes) -> str:
    """Title, axis labels and limits of an Axes no plot function described."""
    title = ax.get_title() or "an untitled chart"
    parts = [f"A chart: {title}."]
    for name, label, (low, high) in (
        ("Horizontal", ax.get_xlabel(), ax.get_xlim()),
        ("Vertical", ax.get_ylabel(), ax.get_ylim()),
    ):
        parts.append(f"{name} axis{' ' + repr(label) if label else ''} from {low:.4g} to {high:.4g}.")
    return " ".join(parts)


def describe_figure(ax_or_fig: Axes | Figure, *, details: bool = False) -> str:
    """Alt text for a figure: what is shown, the range it covers, and the main point.

    Works on the Axes a ``plot_*`` function returned, or on its Figure. ``details=True``
    adds one line per mark (for example each Red Army figure with its source), which
    is useful as a long description or a caption below the image.
    """
    texts = []
    for ax in _described_axes(ax_or_fig):
        description = description_of(ax)
        texts.append(description.text(details=details) if description else _generic_description(ax))
    return "\n\n".join(texts) if texts else "An empty figure."


def caption_of(ax_or_fig: Axes | Figure) -> str:
    """A short visible caption: the described caption, or the titles of the Axes."""
    captions = []
    for ax in _described_axes(ax_or_fig):
        description = description_of(ax)
        captions.append(description.caption if description and description.caption else ax.get_title())
    return " ".join(c for c in captions if c)


def figure_html(ax_or_fig: Axes | Figure, *, alt: str | None = None, caption: str | None = None) -> str:
    """The figure as an HTML ``<figure>`` with a PNG ``<img>``, escaped alt text and a caption."""
    fig = _figure_of(ax_or_fig)
    alt = describe_figure(fig) if alt is None else alt
    caption = caption_of(fig) if caption is None else caption
    encoded = base64.b64encode(figure_png(fig)).decode("ascii")
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        '<figure style="margin:0">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}" style="max-width:100%">'
        f"{figcaption}</figure>"
    )


def show_figure(ax_or_fig: Axes | Figure, *, alt: str | None = None, caption: str | None = None) -> None:
    """Display a figure in the notebook as an image with alt text, then close it.

    ``alt`` defaults to :func:`describe_figure`; ``caption`` (shown under the image)
    defaults to the chart's caption or title. Closing the figure stops Jupyter from
    showing it a second time without the text.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    fig = _figure_of(ax_or_fig)
    try:
        display(HTML(figure_html(fig, alt=alt, caption=caption)))
    finally:
        plt.close(fig)
