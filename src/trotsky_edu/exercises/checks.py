"""Checking answers: one pure function per question type, each returning a :class:`Result`.

Nothing here displays anything or imports a widget library, so every rule can be tested
without a kernel. The functions accept whatever a student (or a widget, or a test) can
hand them — empty or very long text, any Unicode, ``None``, the wrong type, duplicates,
items out of order — and answer with feedback instead of raising.

Answers, by type:

- single_choice: the chosen option's text;
- multiple_choice: a list (or set) of the chosen options' texts;
- ordering: a list of the items, first to last;
- matching: a dict from each left item to the chosen right item;
- estimate: a number, or text holding one ("1905", " 1,905 ");
- short_text: the typed text;
- source_analysis: the student's written response (not graded).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import combinations

from trotsky_edu.exercises.bank import (
    Estimate,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    SourceAnalysis,
)
from trotsky_edu.exercises.textmatch import normalise

SHORT_TEXT_SLACK = 200
MIN_WRITTEN_WORDS = 5
NEAR_MISS_RATIO = 0.8


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt.

    ``correct`` is None for questions that are not graded (source analysis). ``score``
    runs from 0 to 1 and gives partial credit. ``feedback`` speaks to this attempt;
    ``explanation`` (the question's "why") is filled in once the answer is right or
    revealed. ``answered`` is False when there was nothing to grade (nothing chosen,
    empty text, not a number), so a widget does not count it as an attempt.
    """

    correct: bool | None
    score: float
    feedback: str
    explanation: str
    answered: bool = True


def _unanswered(message: str) -> Result:
    return Result(correct=False, score=0.0, feedback=message, explanation="", answered=False)


def _graded(question: Question, correct: bool, score: float, feedback: str) -> Result:
    return Result(
        correct=correct,
        score=max(0.0, min(1.0, score)),
        feedback=feedback,
        explanation=question.explanation if correct else "",
    )


def _texts(answer: object) -> list[str] | None:
    """The strings in a list-like answer (a lone string counts as a list of one), or None."""
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, (list, tuple, set, frozenset)):
        return [item for item in answer if isinstance(item, str)]
    return None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def check_single_choice(question: SingleChoice, answer: object) -> Result:
    """Right when ``answer`` is the text of the correct option; the chosen option's feedback is returned."""
    chosen = next((o for o in question.options if isinstance(answer, str) and o.text == answer), None)
    if chosen is None:
        return _unanswered("Choose one of the options first.")
    verdict = "Correct." if chosen.correct else "Not yet."
    return _graded(question, chosen.correct, float(chosen.correct), f"{verdict} {chosen.feedback}".strip())


def check_multiple_choice(question: MultipleChoice, answer: object) -> Result:
    """Right when exactly the correct options are chosen.

    The score is (right choices − wrong choices) / number of right options, at least 0.
    A wrong answer gets the misconception behind one wrong choice (the first, in the order
    given), or, when every choice is right, word that something is missing. It names neither
    how many options are right nor every wrong choice at once, so ticking everything and
    reading the feedback is no shortcut.
    """
    texts = _texts(answer)
    if texts is None:
        return _unanswered("Choose at least one option first.")
    by_text = {o.text: o for o in question.options}
    chosen = [by_text[text] for text in dict.fromkeys(texts) if text in by_text]
    if not chosen:
        return _unanswered("Choose at least one option first.")
    right = [o for o in question.options if o.correct]
    hits = sum(o.correct for o in chosen)
    misses = len(chosen) - hits
    correct = hits == len(right) and misses == 0
    if correct:
        notes = [f"- {o.text} — {o.feedback}" for o in chosen if o.feedback]  # option texts often end in "."
        return _graded(question, True, 1.0, "\n".join(["Correct.", *notes]))
    wrong = next((o for o in chosen if not o.correct), None)
    if wrong is not None:
        feedback = f"Not yet: one of your choices is not right.\n- {wrong.text} — {wrong.feedback}".rstrip(" —")
    else:
        feedback = "Not yet: everything you chose is right, but something is missing. Look again at the options you left."
    return _graded(question, False, (hits - misses) / len(right), feedback)


def check_ordering(question: Ordering, answer: object) -> Result:
    """Right when the items are in the correct order.

    The score is the share of pairs of items that are in the right order relative to
    each other, so one item out of place costs little.
    """
    if not isinstance(answer, (list, tuple)):
        return _unanswered("Put the items in order first.")
    given = list(answer)
    expected = list(question.items)
    if not all(isinstance(item, str) for item in given) or sorted(given) != sorted(expected):
        twice = sorted({item for item in expected if given.count(item) > 1})
        missing = [item for item in expected if item not in given]
        parts = []
        if twice:
            parts.append("chosen more than once: " + "; ".join(twice))
        if missing:
            parts.append("not placed: " + "; ".join(missing))
        detail = f" ({', '.join(parts)})" if parts else ""
        return _unanswered(f"Use each item exactly once{detail}.")
    rank = {item: i for i, item in enumerate(expected)}
    positions = [rank[item] for item in given]
    pairs = list(combinations(positions, 2))
    in_order = sum(a < b for a, b in pairs)
    placed = sum(i == p for i, p in enumerate(positions))
    if placed == len(expected):
        return _graded(question, True, 1.0, f"Correct: all {len(expected)} in the right order.")
    # How many, not which: naming the misplaced items would make trial and error the fastest route.
    feedback = f"Not yet: {placed} of {len(expected)} are in the right place."
    return _graded(question, False, in_order / len(pairs), feedback)


def check_matching(question: Matching, answer: object) -> Result:
    """Right when every left item is matched with its right item; feedback says how many pairs are right, not which."""
    if not isinstance(answer, dict):
        return _unanswered("Match every item first.")
    rights = {p.right for p in question.pairs}
    chosen = {p.left: answer.get(p.left) for p in question.pairs}
    unmatched = [left for left, right in chosen.items() if not (isinstance(right, str) and right in rights)]
    if unmatched:
        return _unanswered(f"Match every item first ({_plural(len(unmatched), 'item')} still to match: {'; '.join(unmatched)}).")
    wrong = [p.left for p in question.pairs if chosen[p.left] != p.right]
    total = len(question.pairs)
    if not wrong:
        return _graded(question, True, 1.0, f"Correct: all {total} pairs match.")
    feedback = f"Not yet: {total - len(wrong)} of {total} pairs are right."
    return _graded(question, False, (total - len(wrong)) / total, feedback)


def parse_number(answer: object) -> float | None:
    """``answer`` as a finite number, or None; text may hold spaces, thousands separators or a '−' sign."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float)):
        value = float(answer) if abs(answer) < 1e300 else None
    elif isinstance(answer, str) and len(answer) <= 100:
        cleaned = answer.strip().replace("−", "-")
        for separator in (",", "_", " ", "\u00a0", "\u202f", "'"):
            cleaned = cleaned.replace(separator, "")
        try:
            value = float(cleaned)
        except ValueError:
            return None
    else:
        return None
    return value if value is not None and value == value and abs(value) != float("inf") else None


def format_number(value: float) -> str:
    """A number as a student would write it: 1905, 0.5, 4,000,000."""
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def check_estimate(question: Estimate, answer: object) -> Result:
    """Right within ``tolerance``; "close" (half credit) within ``close``; otherwise a direction to try."""
    value = parse_number(answer)
    if value is None:
        return _unanswered(f"Enter a number, like {format_number(question.answer)}.")
    distance = abs(value - question.answer)
    target = format_number(question.answer)
    if distance == 0:
        return _graded(question, True, 1.0, f"Correct: {target}.")
    if distance <= question.tolerance:
        band = f"{format_number(question.tolerance)} {question.units(question.tolerance)}".strip()
        return _graded(question, True, 1.0, f"Correct: the answer is {target}, and yours is within {band}.")
    is_year = question.unit in ("year", "years")
    direction = ("later" if is_year else "higher") if value < question.answer else ("earlier" if is_year else "lower")
    band = f"{format_number(question.close)} {question.units(question.close)}".strip()
    if distance <= question.close:
        return _graded(question, False, 0.5, f"Close: within {band}, but not close enough. Try a little {direction}.")
    far = f"more than {band} out" if question.close else "not right"
    return _graded(question, False, 0.0, f"Not yet: {far}. Try {direction}.")


def check_short_text(question: ShortText, answer: object) -> Result:
    """Right when the text matches an accepted answer after normalising (see :mod:`.textmatch`)."""
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = str(answer)
    if not isinstance(answer, str) or not answer.strip():
        return _unanswered("Type an answer first.")
    limit = SHORT_TEXT_SLACK + max(len(a) for a in question.answers)
    if len(answer) > limit:
        return _graded(question, False, 0.0, f"Not yet: a name or a few words are expected, and that answer is {len(answer):,} characters long.")
    key = normalise(answer)
    accepted = [normalise(a) for a in question.answers]
    if key and key in accepted:
        usual = question.answers[0]
        note = "" if answer.strip() == usual else f" It is usually written {usual!r}."
        return _graded(question, True, 1.0, f"Correct.{note}")
    near = key and max(difflib.SequenceMatcher(None, key, a).ratio() for a in accepted) >= NEAR_MISS_RATIO
    return _graded(question, False, 0.0, "Close: check the spelling." if near else "Not yet.")


def reveal_source_analysis(question: SourceAnalysis, answer: object) -> Result:
    """Not graded: the model answer and rubric, once the student has written an answer of their own.

    ``answered`` is False, and nothing is revealed, until the answer has :data:`MIN_WRITTEN_WORDS` words.
    """
    written = len(answer.split()) if isinstance(answer, str) else 0
    if written < MIN_WRITTEN_WORDS:
        return _unanswered(
            f"Write your own answer first (at least {MIN_WRITTEN_WORDS} words): the model answer is shown "
            "once you have written something to compare it with."
        )
    return Result(correct=None, score=0.0, feedback=model_answer(question), explanation=question.explanation)


def model_answer(question: SourceAnalysis) -> str:
    """A source analysis's model answer and rubric, as shown once the student has written theirs."""
    rubric = "\n".join(f"- {line}" for line in question.rubric)
    return f"Model answer: {question.model_answer}\n\nA good answer:\n{rubric}"


_CHECKERS = {
    "single_choice": check_single_choice,
    "multiple_choice": check_multiple_choice,
    "ordering": check_ordering,
    "matching": check_matching,
    "estimate": check_estimate,
    "short_text": check_short_text,
    "source_analysis": reveal_source_analysis,
}


def check(question: Question, answer: object) -> Result:
    """Check ``answer`` with the function for ``question``'s type."""
    return _CHECKERS[question.type](question, answer)


def answer_text(question: Question) -> str:
    """The right answer in words, shown by "Show answer"."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return "Answer: " + "; ".join(o.text for o in question.options if o.correct)
    if isinstance(question, Ordering):
        return "Answer, in order:\n" + "\n".join(f"{i}. {item}" for i, item in enumerate(question.items, 1))
    if isinstance(question, Matching):
        return "Answer:\n" + "\n".join(f"- {p.left} → {p.right}" for p in question.pairs)
    if isinstance(question, Estimate):
        text = f"Answer: {format_number(question.answer)}"
        if question.tolerance:
            low, high = question.answer - question.tolerance, question.answer + question.tolerance
            text += f" (anything from {format_number(low)} to {format_number(high)} is accepted)"
        return text
    if isinstance(question, ShortText):
        others = question.answers[1:]
        return f"Answer: {question.answers[0]}" + (f" (also accepted: {', '.join(others)})" if others else "")
    return model_answer(question)
