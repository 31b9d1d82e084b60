"""The class report's chart as HTML: a table of bars, one row per option of a choice question.

The report page and the live dashboard show how often each option was chosen on the first
try as a table with a bar in each row, not as a drawn picture: a screen reader reads it
cell by cell, it stays sharp when projected or zoomed, and it costs microseconds where a
matplotlib chart costs some 40 ms, so a dashboard of 30 questions is ready at once while
answers are still arriving. The right options are marked three ways, as in the drawn
chart (:mod:`~trotsky_edu.classreport.charts`): the words "(right answer)", a darker
colour and hatching. This module needs no matplotlib, so the class service never loads it.
"""

from __future__ import annotations

import html

import pandas as pd

#: The course palette's blue and orange (``trotsky_edu.plots.style.OKABE_ITO``), named here so that
#: the page needs no plotting library.
RIGHT_COLOUR = "#0072B2"
WRONG_COLOUR = "#E69F00"

#: The bars' look, for the page's style sheet: the right options blue and hatched, the others orange.
BARS_STYLE = f"""
table.bars {{ width: 100%; max-width: 56rem; }} table.bars caption {{ font-weight: normal; }}
table.bars th[scope=row] {{ width: 45%; font-weight: normal; background: none; }}
table.bars td {{ white-space: nowrap; }}
.bar {{ display: inline-block; height: .95em; vertical-align: -.1em; margin-right: .4em; min-width: 1px;
        background: {WRONG_COLOUR}; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.bar.right {{ background: repeating-linear-gradient(135deg, {RIGHT_COLOUR} 0 5px, #FFFFFF 5px 7px); }}
.bar.none {{ background: none; }}
"""


def choices_summary(rows: list[dict], question_id: str) -> tuple[str, str, str]:
    """What the chart of ``rows`` shows, how many choices it counts, and its point.

    The point is how many chose the right option(s) and which wrong option was commonest.
    ``rows`` are records of :func:`~trotsky_edu.classreport.tables.option_table` for one question.
    """
    total = sum(int(r["chosen_first_try"]) for r in rows)
    right = [r for r in rows if r["correct"]]
    wrong = sorted((r for r in rows if not r["correct"]), key=lambda r: -int(r["chosen_first_try"]))
    right_text = "; ".join(f"'{r['option']}' by {int(r['chosen_first_try'])}" for r in right)
    point = f"The right answer ({'options' if len(right) > 1 else 'option'}) was chosen: {right_text}"
    if wrong and int(wrong[0]["chosen_first_try"]):
        point += f". The commonest wrong choice was '{wrong[0]['option']}', by {int(wrong[0]['chosen_first_try'])}"
    return (f"Bar chart of the options of {question_id or 'a question'} chosen on the first try",
            f"{total} choice(s) in all", point)


def choices_html(options: pd.DataFrame, question_id: str) -> str:
    """The first-try chart of one question as an HTML table: one row per option, a bar as long as its count.

    The caption says the chart's point; each row gives the option (with "(right answer)"
    after a right one), a bar scaled to the commonest option, and the count in figures.
    Every text is escaped.
    """
    rows = options.to_dict("records")
    what, span, point = choices_summary(rows, question_id)
    most = max((int(r["chosen_first_try"]) for r in rows), default=0) or 1
    body = []
    for r in rows:
        count = int(r["chosen_first_try"])
        kind = "right" if r["correct"] else "wrong"
        bar = f'<span class="bar {kind if count else "none"}" style="width:{85 * count / most:.1f}%"></span>'
        label = html.escape(str(r["option"])) + (" <strong>(right answer)</strong>" if r["correct"] else "")
        body.append(f'<tr class="{kind}"><th scope="row">{label}</th><td>{bar}{count}</td></tr>')
    caption = f"<strong>{html.escape(what)} ({html.escape(span)}).</strong> {html.escape(point)}."
    return (f'<table class="bars"><caption>{caption}</caption><thead><tr><th scope="col">Option</th>'
            f'<th scope="col">Students who chose it on their first try</th></tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
