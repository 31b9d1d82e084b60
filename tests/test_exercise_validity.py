"""A class of 30 that answers without reading scores no better (and no worse) than chance.

Each simulated student answers every choice question of the course's lessons as a student
who games the test would: always the first option shown, always the last, always the
longest, or the one that shares most words with the hints. The options are read from the
widget each student is shown, so the shuffling is what is tested, not a copy of it. Over the
course, each strategy's score must lie within 1.5× of what random guessing scores, either
way: a strategy far below chance ("never the longest") tells a student as much as one
far above it.
"""

from __future__ import annotations

from itertools import combinations
from statistics import fmean

import pytest

from trotsky_edu.exercises.bank import MultipleChoice, SingleChoice, load_bank
from trotsky_edu.exercises.checks import check
from trotsky_edu.exercises.item_rules import stems
from trotsky_edu.exercises.progress import course_lessons
from trotsky_edu.exercises.widgets import offstage, widget_for

STUDENTS = [f"hub:student-{n:02d}" for n in range(30)]
LIMIT = 1.5


def choice_questions():
    return [q for lesson in course_lessons() for q in load_bank(lesson) if isinstance(q, (SingleChoice, MultipleChoice))]


def shown_options(question, student: str) -> list[str]:
    """The option texts in the order ``student``'s widget shows them."""
    with offstage():
        view = widget_for(question, record=False, student=student)
    if isinstance(question, SingleChoice):
        return list(view.choice.options)
    return [box.description for box in view.boxes]


def _first(question, shown):
    return shown


def _last(question, shown):
    return shown[::-1]


def _longest(question, shown):
    return sorted(shown, key=len, reverse=True)  # stable: ties keep the order shown


def _hint_words(question, shown):
    said = stems(" ".join(question.hints))
    return sorted(shown, key=lambda text: len(stems(text) & said), reverse=True)


STRATEGIES = {"first": _first, "last": _last, "longest": _longest, "hint words": _hint_words}


def _picks(question, ranked: list[str]) -> object:
    """A single-choice student picks the top option; a multiple-choice one ticks as many as are right."""
    if isinstance(question, SingleChoice):
        return ranked[0]
    return ranked[: sum(o.correct for o in question.options)]


def chance(question) -> float:
    """The score random guessing of the same shape earns on average."""
    if isinstance(question, SingleChoice):
        return 1 / len(question.options)
    texts = [o.text for o in question.options]
    right = sum(o.correct for o in question.options)
    return fmean(check(question, list(chosen)).score for chosen in combinations(texts, right))


def class_score(strategy) -> tuple[float, float]:
    """The class's total score with ``strategy`` over every choice question, and chance's."""
    scored = expected = 0.0
    for question in choice_questions():
        for student in STUDENTS:
            ranked = strategy(question, shown_options(question, student))
            scored += check(question, _picks(question, ranked)).score
            expected += chance(question)
    return scored, expected


@pytest.mark.parametrize("name", STRATEGIES)
def test_a_class_answering_without_reading_scores_about_chance(name):
    scored, expected = class_score(STRATEGIES[name])
    ratio = scored / expected
    assert 1 / LIMIT <= ratio <= LIMIT, f"answering by {name} scores {ratio:.2f}× chance ({scored:.0f} against {expected:.0f})"


def test_the_course_has_enough_choice_questions_for_the_test_to_mean_something():
    questions = choice_questions()
    assert sum(isinstance(q, SingleChoice) for q in questions) >= 15
    assert sum(isinstance(q, MultipleChoice) for q in questions) >= 8


def test_a_student_sees_the_same_order_every_time_and_the_class_sees_many():
    for question in choice_questions():
        first = [shown_options(question, student) for student in STUDENTS]
        assert first == [shown_options(question, student) for student in STUDENTS], question.id
        right = next(o.text for o in question.options if o.correct)
        positions = {shown.index(right) for shown in first}
        assert len(positions) >= min(3, len(question.options)), (question.id, positions)
