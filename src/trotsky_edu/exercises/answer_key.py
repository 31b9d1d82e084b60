"""The answer key: prove, in code, that every exercise of a lesson accepts its right answer.

A lesson's last code cell (tagged ``answer-key``, dropped from student copies) runs
``self_check("01-revolution")``. For every question in the lesson's bank it builds fresh
widgets that record nothing, enters the right answer and a wrong one as a student would
(``set_answer`` and a click on Submit), and checks the feedback. Under nbval this turns
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
from trotsky_edu.exercises.widgets import text_html, widget_for

#: Widgets built by self_check, kept for the kernel's life. ipywidgets closes a widget when
#: it is garbage-collected, and closing widgets JupyterLab is still building makes it log
#: "widget model not found"; a few dozen small hidden widgets cost next to nothing.
CHECKED_WIDGETS: list = []

SAMPLE_RESPONSE = "My own reading of the excerpt, written before revealing the model answer."
WRONG_TEXT = "Nobody in particular"


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
    problems = []
    right, wrong = widget_for(question, record=False), widget_for(question, record=False)
    CHECKED_WIDGETS.extend((right, wrong))
    right.set_answer(right_answer(question))
    right.submit_button.click()
    if right.result is None or right.result.correct is not True:
        said = right.result.feedback if right.result else "no feedback"
        problems.append(f"{question.id}: the right answer {right_answer(question)!r} was not accepted ({said!r}).")
    elif text_html(right.result.feedback) not in right.feedback.value or right.attempts != 1:
        problems.append(f"{question.id}: the feedback for the right answer did not appear in the widget.")
    wrong.set_answer(wrong_answer(question))
    wrong.submit_button.click()
    if wrong.result is None or wrong.result.correct is not False or not wrong.result.answered:
        problems.append(f"{question.id}: the wrong answer {wrong_answer(question)!r} was not marked wrong.")
    elif "trotsky-edu-correct" in wrong.feedback.value or not wrong.feedback.value:
        problems.append(f"{question.id}: the feedback for a wrong answer says it is correct.")
    return problems


def _check_reveal(question: SourceAnalysis) -> list[str]:
    view = widget_for(question, record=False)
    CHECKED_WIDGETS.append(view)
    view.set_answer(SAMPLE_RESPONSE)
    view.reveal_button.click()
    if text_html(question.model_answer) not in view.feedback.value:
        return [f"{question.id}: revealing did not show the model answer."]
    return []


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def self_check(lesson: str) -> None:
    """Answer every question of ``lesson``'s bank right and wrong in fresh widgets; print a summary.

    Records no progress. Raises AssertionError naming each question whose widget did not
    behave as expected.
    """
    bank = load_bank(lesson)
    problems: list[str] = []
    graded = revealed = 0
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
