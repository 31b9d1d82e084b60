"""Alt text for figures, and displaying a figure with it so screen readers get the words.

Every plot function records a :class:`FigureDescription` for the Axes it drew on: what
is shown, the range it covers, the main point, optional details (one line per mark, such
as the source of each figure) and, for a map, the route. :func:`describe_figure` turns
that into text and falls back to the title, axis labels and limits for any other
matplotlib figure.

:func:`show_figure` displays the figure in a notebook as an ``<img>`` whose alt text is
the point the lesson's author wants the student to see (``alt=``), followed by the route
for a map. The generated description, with its details, becomes the image's long
description: a "Full description" a sighted student can open under the image and a
screen reader announces as the image's description (``aria-describedby``).
"""

from __future__ import annotations

import base64
import hashlib
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
    #: A map's stops in order with dates, under the names of the time: "Alma-Ata (January 1928) → ...".
    route: str = ""

    def summary(self) -> str:
        """What is shown, its range, the main point and the route, as sentences."""
        sentences = [f"{self.what}, {self.span}." if self.span else f"{self.what}."]
        if self.point:
            sentences.append(_sentence(self.point))
        if self.route:
            sentences.append(route_sentence(self.route))
        return " ".join(sentences)

    def text(self, *, details: bool = False) -> str:
        """The description as sentences; ``details`` adds one line per mark."""
        text = self.summary()
        if details and self.details:
            text += "\n" + "\n".join(f"- {line}" for line in self.details)
        return text


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def route_sentence(route: str) -> str:
    """'Route: Alma-Ata (January 1928) → Constantinople (February 1929).'"""
    return _sentence(f"Route: {route}")


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


def route_of(ax_or_fig: Axes | Figure) -> str:
    """The route of every map in the figure ('' when it has none), as the sentences show_figure adds to the alt text."""
    routes = [d.route for d in map(description_of, _described_axes(ax_or_fig)) if d is not None and d.route]
    return " ".join(route_sentence(route) for route in routes)


def alt_with_route(alt: str, ax_or_fig: Axes | Figure) -> str:
    """The author's ``alt``, followed by the figure's route when it is a map (unless ``alt`` already gives it)."""
    alt = " ".join(alt.split())
    route = route_of(ax_or_fig)
    if not route or route in alt:
        return alt
    return f"{_sentence(alt)} {route}"


def long_description_html(ax_or_fig: Axes | Figure) -> str:
    """The generated description as HTML: a paragraph per Axes, and its details as a list."""
    parts = []
    for ax in _described_axes(ax_or_fig):
        description = description_of(ax)
        if description is None:
            parts.append(f"<p>{html.escape(_generic_description(ax))}</p>")
            continue
        parts.append(f"<p>{html.escape(description.summary())}</p>")
        if description.details:
            parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in description.details) + "</ul>")
    return "".join(parts) or "<p>An empty figure.</p>"


#: How many times each long-description id has been given out in this kernel, so a figure shown twice gets two ids.
_IDS_GIVEN: dict[str, int] = {}


def description_id(alt: str, long_description: str) -> str:
    """An id for a figure's long description, the same on every run of a notebook (nbval compares outputs).

    It comes from the texts, not the image (whose bytes depend on the fonts installed); a
    second figure with the same texts shown in the same kernel gets a numbered id.
    """
    digest = hashlib.sha1(f"{alt}\n{long_description}".encode("utf-8")).hexdigest()[:12]
    base = f"figure-description-{digest}"
    count = _IDS_GIVEN.get(base, 0) + 1
    _IDS_GIVEN[base] = count
    return base if count == 1 else f"{base}-{count}"


def figure_html(ax_or_fig: Axes | Figure, *, alt: str | None = None, caption: str | None = None) -> str:
    """The figure as HTML: a ``<figure>`` with a PNG ``<img>``, escaped alt text and a caption, then its long description.

    ``alt`` (the author's point) becomes the image's alt text, with a map's route after it;
    without it the generated description is the alt text. The generated description with
    its details follows in a ``<details>`` element ("Full description") that the image
    names with ``aria-describedby``; it is left out when it would only repeat the alt text.
    """
    fig = _figure_of(ax_or_fig)
    image_alt = describe_figure(fig) if alt is None else alt_with_route(alt, fig)
    caption = caption_of(fig) if caption is None else caption
    encoded = base64.b64encode(figure_png(fig)).decode("ascii")
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    long_description = long_description_html(fig)
    described, details = "", ""
    if describe_figure(fig, details=True) != image_alt:
        identifier = description_id(image_alt, long_description)
        described = f' aria-describedby="{identifier}"'
        details = (f'<details><summary>Full description</summary><div id="{identifier}">{long_description}</div>'
                   "</details>")
    return (
        '<div class="trotsky-edu-figure"><figure style="margin:0">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(image_alt, quote=True)}"{described} '
        'style="max-width:100%">'
        f"{figcaption}</figure>{details}</div>"
    )


def show_figure(ax_or_fig: Axes | Figure, *, alt: str | None = None, caption: str | None = None) -> None:
    """Display a figure in the notebook as an image with alt text and a long description, then close it.

    ``alt`` is the figure's point in one to three sentences, written by the lesson's
    author: what the student should see ("Trotsky's posts end between 1925 and 1927
    while Stalin keeps his"). ``trotsky-edu check`` asks every lesson figure for one. A map's
    route is added after it. The generated description (:func:`describe_figure` with
    details) is shown under the image as "Full description" and is the image's long
    description for screen readers; without ``alt`` it is also the alt text. ``caption``
    (shown under the image) defaults to the chart's caption or title. Closing the figure
    stops Jupyter from showing it a second time without the text.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    fig = _figure_of(ax_or_fig)
    try:
        display(HTML(figure_html(fig, alt=alt, caption=caption)))
    finally:
        plt.close(fig)
