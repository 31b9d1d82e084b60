"""The answer key: prove, in code, that every exercise of a lesson accepts its right answer.

A lesson's last code cell (tagged ``answer-key``, dropped from student copies) runs
``self_check("01-revolution")``. For every question in the lesson's bank it builds a fresh
widget that records nothing and, as a student would (``set_answer`` and clicks), submits a
wrong answer, then the right one, then asks for the answer, checking the feedback each time.
The widgets are built :func:`~trotsky_edu.exercises.widgets.offstage`: no student sees them,
so the browser is never asked to build them. Under nbval this turns
"the exercises work" into a test; the printed summary is deterministic.
"""

from __future__ import annotations

from trotsky_edu.exercises.bank import (
    Estimate,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    SourceAnalysis,
    load_bank,
)
from trotsky_edu.exercises.checks import answer_text
from trotsky_edu.exercises.widgets import offstage, text_html, widget_for

SAMPLE_RESPONSE = "My own reading of the excerpt, written before revealing the model answer."
WRONG_TEXT = "Nobody in particular"
# The answer key's widgets are ordered for this made-up student: building them never asks who the student is.
ANSWER_KEY_STUDENT = "answer-key"


def right_answer(question: Question) -> object:
    """An answer to ``question`` that its check must accept."""
    if isinstance(question, SingleChoice):
        return next(o.text for o in question.options if o.correct)
    if isinstance(question, MultipleChoice):
        return [o.text for o in question.options if o.correct]
    if isinstance(question, Ordering):
        return list(question.items)
    if isinstance(question, Matching):
        return {p.left: p.right for p in question.pairs}
    if isinstance(question, Estimate):
        return question.answer
    if isinstance(question, ShortText):
        return question.answers[0]
    return SAMPLE_RESPONSE


def wrong_answer(question: Question) -> object:
    """A complete answer to ``question`` that its check must reject (source analysis has none)."""
    if isinstance(question, SingleChoice):
        return next(o.text for o in question.options if not o.correct)
    if isinstance(question, MultipleChoice):
        right = {o.text for o in question.options if o.correct}
        first = question.options[0].text
        toggled = right ^ {first}
        return sorted(toggled) if toggled else [o.text for o in question.options]
    if isinstance(question, Ordering):
        return list(reversed(question.items))
    if isinstance(question, Matching):
        rights = [p.right for p in question.pairs]
        return {p.left: rights[(i + 1) % len(rights)] for i, p in enumerate(question.pairs)}
    if isinstance(question, Estimate):
        return question.answer + max(question.tolerance, question.close) + 1
    if isinstance(question, ShortText):
        return WRONG_TEXT
    raise ValueError(f"{question.id}: a {question.type} question is not graded, so it has no wrong answer")


def _check_graded(question: Question) -> list[str]:
    """A wrong answer, then the right one, then "Show answer", in one widget as a student would."""
    with offstage():
        view = widget_for(question, record=False, student=ANSWER_KEY_STUDENT)
    view.set_answer(wrong_answer(question))
    view.submit_button.click()
    if view.result is None or view.result.correct is not False or not view.result.answered:
        return [f"{question.id}: the wrong answer {wrong_answer(question)!r} was not marked wrong."]
    if "trotsky-edu-correct" in view.feedback.value or not view.feedback.value:
        return [f"{question.id}: the feedback for a wrong answer says it is correct."]
    view.set_answer(right_answer(question))
    view.submit_button.click()
    if view.result is None or view.result.correct is not True:
        said = view.result.feedback if view.result else "no feedback"
        return [f"{question.id}: the right answer {right_answer(question)!r} was not accepted ({said!r})."]
    if text_html(view.result.feedback) not in view.feedback.value or view.attempts != 2:
        return [f"{question.id}: the feedback for the right answer did not appear in the widget."]
    view.show_answer_button.click()
    if not view.revealed or text_html(answer_text(question)) not in view.feedback.value:
        return [f"{question.id}: 'Show answer' did not show the answer after a right answer."]
    return []


def _check_reveal(question: SourceAnalysis) -> list[str]:
    """Comparing an empty answer shows nothing; a written one shows the model answer and the rubric to tick."""
    with offstage():
        view = widget_for(question, record=False, student=ANSWER_KEY_STUDENT)
    view.reveal_button.click()
    if text_html(question.model_answer) in view.feedback.value or view.rubric_box.layout.display != "none":
        return [f"{question.id}: the model answer was shown before anything was written."]
    view.set_answer(SAMPLE_RESPONSE)
    view.reveal_button.click()
    if text_html(question.model_answer) not in view.feedback.value:
        return [f"{question.id}: revealing did not show the model answer."]
    if view.rubric_box.layout.display == "none" or len(view.rubric_boxes) != len(question.rubric):
        return [f"{question.id}: the rubric to tick did not appear with the model answer."]
    return []


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def self_check(lesson: str) -> None:
    """Answer every question of ``lesson``'s bank wrong, then right, in fresh widgets; print a summary.

    Records no progress. Raises AssertionError naming each question whose widget did not
    behave as expected.
    """
    bank = load_bank(lesson)
    problems: list[str] = []
    graded = revealed = 0
    with offstage():  # one block for the lesson, so its widgets share their layouts and styles
        for question in bank:
            if isinstance(question, SourceAnalysis):
                problems += _check_reveal(question)
                revealed += 1
            else:
                problems += _check_graded(question)
                graded += 1
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(f"self_check({lesson!r}) found {len(problems)} problem(s):\n{listed}")
    parts = [f"{graded} auto-graded answered right and wrong as expected"]
    if revealed:
        parts.append(_count(revealed, "source analysis revealed its model answer", "source analyses revealed their model answers"))
    print(f"{_count(len(bank), 'question', 'questions')} checked: {'; '.join(parts)}.")
