"""The class report as one self-contained HTML page: opens offline, prints, and reads well aloud.

Everything is in the one file: the style sheet inline, each chart a table of bars
(:func:`~trotsky_edu.classreport.bars.choices_html`), no script and no address outside the file. The page has landmarks
(``header``, ``nav``, ``main``), headings in order, and tables with captions and header
cells, so a screen reader can move through it. Every piece of text that came from a
student or a file is escaped: a written answer holding ``<script>`` is shown as those
characters and never runs.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from trotsky_edu.classreport.bars import BARS_STYLE, choices_html

STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.45; color: #1b1b1b; max-width: 72rem; margin: 0 auto;
       padding: 0 1rem 3rem; }
h1, h2, h3 { line-height: 1.2; } h2 { border-bottom: 2px solid #444; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #0b4f8a; text-decoration: underline; }
.low { font-weight: 700; } .note { color: #333; }
blockquote { margin: .25rem 0; padding-left: .75rem; border-left: 3px solid #999; white-space: pre-wrap; }
nav ul { columns: 2; }
""" + BARS_STYLE + """
@media print { nav { display: none; } h2 { break-before: page; } article, table, figure { break-inside: avoid; }
               a { color: black; } }
"""


def _e(value: object) -> str:
    """Escaped text for the page (None and NaN are empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def _table(frame: pd.DataFrame, caption: str, columns: dict[str, str], *, numeric: Iterable[str] = ()) -> str:
    """``frame`` as an HTML table with a caption and column headers (``columns`` maps column to header)."""
    numeric = set(numeric)
    head = "".join(f'<th scope="col">{_e(title)}</th>' for title in columns.values())
    body = []
    for row in frame.to_dict("records"):
        cells = []
        for i, column in enumerate(columns):
            value = row.get(column)
            if i == 0:
                cells.append(f'<th scope="row">{_e(value)}</th>')
            else:
                cells.append(f'<td class="n">{_e(value)}</td>' if column in numeric else f"<td>{_e(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        return f"<p class=\"note\">{_e(caption)}: nothing to show.</p>"
    return f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _percent(share: float | None) -> str:
    return "" if share is None or share != share else f"{share:.0%}"


def render(report, *, head: str = "", banner: str = "") -> str:
    """The whole page for a :class:`~trotsky_edu.classreport.ClassReport`.

    ``head`` is markup added to the page's head and ``banner`` markup shown under its title
    (the class service's dashboard puts its refresh setting and lesson links there).
    """
    lessons = list(report.lessons["lesson"])
    nav = "".join(f'<li><a href="#lesson-{_e(lesson)}">Lesson {_e(lesson)}</a></li>' for lesson in lessons)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{STYLE}</style>{head}</head><body>",
        f"<header><h1>{_e(report.title)}</h1>",
        f'<p>{len(report.students)} student(s), from {report.file_count} file(s). '
        f'{"Names are left out." if report.anonymous else ""}</p>{banner}</header>',
        '<nav aria-label="Contents"><h2>Contents</h2><ul>'
        '<li><a href="#files">Files read</a></li><li><a href="#lessons">Lessons</a></li>'
        '<li><a href="#objectives">Objectives</a></li><li><a href="#help">Students who may need help</a></li>'
        f"{nav}</ul></nav>",
        "<main>",
        _files_section(report),
        '<section aria-labelledby="lessons"><h2 id="lessons">Lessons</h2>',
        _table(report.lessons, "Who opened and finished each lesson",
               {"lesson": "Lesson", "questions": "Questions", "opened": "Opened", "finished": "Finished",
                "median_minutes": "Median minutes"}, numeric=("questions", "opened", "finished", "median_minutes")),
        "</section>",
        _objectives_section(report),
        _help_section(report),
        *(_lesson_section(report, lesson) for lesson in lessons),
        "</main></body></html>",
    ]
    return "\n".join(parts)


def _files_section(report) -> str:
    notes = "".join(f"<li>{_e(note)}</li>" for note in report.notes)
    skipped = "".join(f"<li>{_e(line)}</li>" for line in report.skipped)
    return (
        '<section aria-labelledby="files"><h2 id="files">Files read</h2>'
        f"<ul>{notes}</ul>"
        f'<h3 id="skipped">Skipped ({len(report.skipped)})</h3>'
        f"{f'<ul>{skipped}</ul>' if skipped else '<p>Nothing was skipped.</p>'}</section>"
    )


def _objectives_section(report) -> str:
    frame = report.objectives.assign(share=report.objectives["share"].map(_percent))
    return (
        '<section aria-labelledby="objectives"><h2 id="objectives">Objectives, lowest first</h2>'
        "<p>A student has met an objective when every graded exercise of it was answered right without the answer "
        "shown; the share is of the students who opened the lesson.</p>"
        + _table(frame, "Share of students who met each objective",
                 {"objective": "Objective", "lesson": "Lesson", "text": "By the end you can…", "share": "Met",
                  "met": "Students", "students": "Of", "exercises": "Exercises"}, numeric=("share", "met", "students"))
        + "</section>"
    )


def _help_section(report) -> str:
    return (
        '<section aria-labelledby="help"><h2 id="help">Students who may need help</h2>'
        + _table(report.help, "Students with many tries, answers shown or lessons left unfinished",
                 {"student": "Student", "reasons": "Why", "many_tries": "Many tries", "answers_shown": "Answers shown",
                  "unfinished": "Unfinished lessons"}, numeric=("many_tries", "answers_shown", "unfinished"))
        + "</section>"
    )


def _lesson_section(report, lesson: str) -> str:
    questions = report.questions[report.questions["lesson"] == lesson]
    parts = [f'<section aria-labelledby="lesson-{_e(lesson)}"><h2 id="lesson-{_e(lesson)}">Lesson {_e(lesson)}</h2>',
             _table(questions, f"Questions of {lesson}",
                    {"question_id": "Question", "type": "Type", "kind": "Thinking", "answered": "Answered",
                     "right_first_try": "Right first try", "right_in_end": "Right in the end",
                     "used_hints": "Used hints", "answers_shown": "Answer shown"},
                    numeric=("answered", "right_first_try", "right_in_end", "used_hints", "answers_shown"))]
    # Each table split by question once, rather than searched again for every question.
    shown = {name: _by_question(getattr(report, name), lesson) for name in ("options", "typed_answers", "writings")}
    for row in questions.to_dict("records"):
        parts.append(_question_article(report, lesson, row, **{name: rows.get(row["question_id"])
                                                               for name, rows in shown.items()}))
    parts.append("</section>")
    return "\n".join(parts)


def _by_question(frame: pd.DataFrame, lesson: str) -> dict[str, pd.DataFrame]:
    """The rows of one lesson's questions in ``frame``, by question id."""
    return dict(tuple(frame[frame["lesson"] == lesson].groupby("question_id", sort=False)))


def _question_article(report, lesson: str, row: dict, *, options: pd.DataFrame | None,
                      typed_answers: pd.DataFrame | None, writings: pd.DataFrame | None) -> str:
    qid = row["question_id"]
    question = report.banks[lesson].question(qid)
    parts = [f'<article aria-labelledby="q-{_e(qid)}"><h3 id="q-{_e(qid)}">{_e(qid)}</h3>',
             f"<p>{_e(question.prompt)}</p>"]
    if _e(row["commonest_wrong"]):
        parts.append(f"<p><strong>Commonest wrong first answer:</strong> {_e(row['commonest_wrong'])}</p>")
        if _e(row["misconception"]):
            parts.append(f"<p><strong>The misconception behind it:</strong> {_e(row['misconception'])}</p>")
    if options is not None and len(options):
        parts.append(choices_html(options, qid))
    if typed_answers is not None and len(typed_answers):
        typed = typed_answers
        parts.append(_table(typed.assign(right=typed["right"].map({True: "right", False: "wrong"})),
                            f"Distinct first answers to {qid}",
                            {"answer": "Answer", "right": "Right or wrong", "students": "Students"},
                            numeric=("students",)))
    if writings is not None and len(writings):
        parts.append(_writings(question, writings))
    parts.append("</article>")
    return "\n".join(parts)


def _writings(question, writings: pd.DataFrame) -> str:
    rubric = "".join(f"<li>{_e(line)}</li>" for line in question.rubric)
    rows = []
    for row in writings.to_dict("records"):
        made = "".join(f"<li>{_e(point)}</li>" for point in row["points_made"])
        ticked = (f"{row['points']} of {row['of']}<ul>{made}</ul>" if row["assessed"] else "not self-assessed")
        state = "compared with the model answer" if row["compared"] else "not yet compared"
        rows.append(f'<tr><th scope="row">{_e(row["student"])}</th><td><blockquote>{_e(row["text"])}</blockquote>'
                    f"<span class=\"note\">{state}</span></td><td>{ticked}</td></tr>")
    return (f"<p><strong>A good answer:</strong></p><ul>{rubric}</ul>"
            f"<table><caption>Written answers to {_e(question.id)}, side by side with the points each student "
            "ticked</caption><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">What they wrote</th>"
            f"<th scope=\"col\">Points they say they made</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
