"""The class report's chart: how often each option of a choice question was chosen on the first try.

One horizontal bar per option, in the course's colour-blind-safe palette; the right
options are marked three ways (the words "right answer" in the label, a darker colour and
hatching), so colour never carries the meaning alone. Every chart states its point: how
many answered, how many chose the right option, and the commonest wrong one.

This is the chart drawn with matplotlib, for a teacher working in a notebook
(``ClassReport.plot_choices``); the report page and the live dashboard show the same chart
as an HTML table of bars (:mod:`~trotsky_edu.classreport.bars`), in the same words.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from trotsky_edu.classreport.bars import RIGHT_COLOUR, WRONG_COLOUR, choices_summary
from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.canvas import axes_for, set_title
from trotsky_edu.plots.style import MUTED_GREY
from trotsky_edu.plots.text_metrics import line_height_inches, text_width_inches

LABEL_WIDTH = 48  # characters per line of an option's label
LABEL_GAP = 0.08  # inches between a label and the axis
LABEL_SIZE = 10.0  # the projector rule: no text under 10 pt (trotsky_edu.plots.style.readable_points)


def plot_choices(options: pd.DataFrame, *, question_id: str = "", ax: Axes | None = None) -> Axes:
    """Bars of ``options`` (rows of :func:`~trotsky_edu.classreport.tables.option_table` for one question).

    Returns the Axes, with alt text attached for :func:`trotsky_edu.show_figure`.
    """
    rows = options.to_dict("records")
    ax = axes_for(ax, figsize=(7.5, 0.55 * len(rows) + 1.2))
    labels = [textwrap.fill(r["option"] + (" (right answer)" if r["correct"] else ""), LABEL_WIDTH) for r in rows]
    counts = [int(r["chosen_first_try"]) for r in rows]
    positions = range(len(rows))[::-1]
    bars = ax.barh(list(positions), counts, color=[RIGHT_COLOUR if r["correct"] else WRONG_COLOUR for r in rows],
                   hatch=None, edgecolor="white")
    for bar, row in zip(bars, rows):
        if row["correct"]:
            bar.set_hatch("//")
    for y, count in zip(positions, counts):
        ax.text(count, y, f" {count}", va="center", ha="left", fontsize=10, color="black")
    # Labels and the axis drawn as plain text and one line, not as tick objects: building and
    # laying out matplotlib's ticks was half of each chart's time. The counts are written on the bars.
    beside_axis = blended_transform_factory(ax.transAxes, ax.transData) + ScaledTranslation(
        -LABEL_GAP, 0, ax.figure.dpi_scale_trans)
    for y, label in zip(positions, labels):
        ax.text(0, y, label, va="center", ha="right", multialignment="right", fontsize=LABEL_SIZE, color="black",
                transform=beside_axis)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("students who chose it on their first try", color=MUTED_GREY)
    ax.set_xlim(0, max(counts + [1]) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    set_title(ax, f"First answers to {question_id}" if question_id else "First answers", fontsize=11)
    _leave_room(ax, labels)
    attach_description(ax, _describe(rows, question_id))
    return ax


def _leave_room(ax: Axes, labels: list[str]) -> None:
    """Margins measured from the labels' own width, so the chart needs no layout pass.

    A constrained or tight layout draws the chart once to measure it: more than half of the
    time a report's charts took. The labels' widths are known without drawing.
    """
    figure = ax.figure
    width, height = figure.get_size_inches()
    label = max((text_width_inches(text, size=LABEL_SIZE) for text in labels), default=0) + 0.15
    line = line_height_inches(size=LABEL_SIZE)
    figure.subplots_adjust(left=min(0.7, label / width), right=0.95,
                           bottom=min(0.4, 3 * line / height), top=1 - min(0.3, 2.2 * line / height))


def _describe(rows: list[dict], question_id: str) -> FigureDescription:
    what, span, point = choices_summary(rows, question_id)
    return FigureDescription(
        what=what, span=span, point=point,
        details=tuple(f"{r['option']}{' (right)' if r['correct'] else ''}: {int(r['chosen_first_try'])}" for r in rows),
    )
