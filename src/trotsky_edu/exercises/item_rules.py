"""Item-writing rules: a question must be answered by reading, not by its shape.

A student who always picks the first option, the longest one, or the one that shares the
most words with the hints should score no better than chance. These rules look for what
makes such strategies pay, in a bank as written, and return one message per problem naming
the bank file, the question id and the fix. ``trotsky-edu check`` runs them on every bank;
``data/exercises/README.md`` explains each rule with a good and a bad example.

The rules are heuristics on words (lower-cased, accents dropped, short and common words
left out), tuned so that a question written to the README's rules passes and the
give-aways the course has met (a right option far longer than the rest, "It begins with
'Mer'", "10 + 13 = 23", "Three statements are true") fail.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

from trotsky_edu.exercises.bank import (
    KINDS,
    LESSON_NAME,
    Bank,
    Estimate,
    Matching,
    MultipleChoice,
    Question,
    ShortText,
    SingleChoice,
)
from trotsky_edu.exercises.checks import format_number
from trotsky_edu.exercises.textmatch import normalise

MIN_HINTS = 2
LONGEST_RATIO = 1.25  # a right option this much longer than every distractor stands out
LONGEST_MARGIN = 10  # ... and by at least this many characters
MULTIPLE_LENGTH_RATIO = 1.3  # right options' mean length against the wrong options'
MIN_FEEDBACK_WORDS = 5
COPIED_WORDS = 6  # an option this long found word for word in the lesson text just above is copied

_STOP = frozenset(
    "the a an and or but of to in on at by for with from into onto as is was were be been are it its this that these "
    "those who whom which what when where why how he him his she her they them their we our you your not no yes all "
    "any some one had has have did does do than then there here so such also only very more most after before over "
    "under about against between during while because would could should will can may might".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_POINTERS = frozenset(
    "chart charts map maps timeline table figure plot section paragraph source sources excerpt quote quotation text "
    "lesson reread read look data dataset calendar row column legend caption heading list document diagram explorer "
    "bar bars line lines arrow arrows route glossary sentence speaker date dates line box".split()
)
_ABOVE = re.compile(r"\b(all|none|both|neither)\s+of\s+(the\s+)?(above|these|them|those)\b", re.IGNORECASE)
_COUNT = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|\d+|none|all|both|only\s+one|exactly\s+\w+)\s+"
    r"(of\s+(them|these|those|the\s+\w+)\s+)?(\w+\s+){0,2}(is|are)\s+(not\s+)?(true|right|correct|false|wrong|incorrect)\b",
    re.IGNORECASE,
)
_ARITHMETIC = re.compile(r"\d[\d,.]*\s*[-+−–×x*/]\s*\d[\d,.]*\s*=\s*[-−]?\d")
_FIRST_LETTERS = re.compile(r"\b(begins|starts|start|begin|ends|end)\s+with\b|\bfirst\s+(letter|letters|syllable)\b", re.IGNORECASE)
_QUOTED = re.compile(r"['\"‘“]([^'\"’”]{1,12})['\"’”]")
_SPELLED = re.compile(r"\b[A-Za-z](?:[\s,.\-–]+[A-Za-z]\b){2,}")


def words(text: str) -> list[str]:
    """The content words of ``text``: lower case, accents dropped, common and one- or two-letter words left out."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'s ", " ")
    return [w for w in _WORD.findall(folded) if len(w) > 2 and w not in _STOP]


def _stem(word: str) -> str:
    """A rough stem, so "Mensheviks" and "Menshevik" count as one word."""
    for ending in ("ies", "es", "s", "ed", "ing"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def stems(text: str) -> set[str]:
    """The stems of the content words of ``text``."""
    return {_stem(w) for w in words(text)}


def _where(location: str, question: Question) -> str:
    return f"{location}, question {question.id!r}"


def question_problems(question: Question, location: str, *, needs_objective: bool = True) -> Iterator[str]:
    """Every item-writing problem of one question, each naming ``location`` (the bank file) and the question."""
    where = _where(location, question)
    if question.kind is None:
        yield f"{where}: has no 'kind' — say what kind of thinking it asks for: one of {', '.join(KINDS)}."
    if needs_objective and question.objective is None:
        yield f"{where}: has no 'objective' — name the lesson objective it assesses (O1, O2, ...)."
    yield from _hint_problems(question, where)
    if isinstance(question, (SingleChoice, MultipleChoice)):
        yield from _option_problems(question, where)


def _hint_problems(question: Question, where: str) -> Iterator[str]:
    hints = question.hints
    if len(hints) < MIN_HINTS:
        yield (
            f"{where}, field 'hints': has {len(hints)} hint(s) — write {MIN_HINTS} or 3: the first points to the "
            "evidence, the next narrows the reasoning, the last gives a worked step short of the answer."
        )
        return
    if not stems(hints[0]) & {_stem(p) for p in _POINTERS}:
        yield (
            f"{where}, field 'hints[0]': the first hint should point to the evidence — name the chart, map, section, "
            "paragraph or source to look at."
        )
    for number, hint in enumerate(hints):
        for leak in _leaks(question, hint):
            yield f"{where}, field 'hints[{number}]': {leak}"


def _leaks(question: Question, hint: str) -> Iterator[str]:
    """How ``hint`` gives the answer away, if it does."""
    if _COUNT.search(hint) and isinstance(question, (SingleChoice, MultipleChoice)):
        yield "announces how many options are right — let the student decide each option on its merits."
    if _ARITHMETIC.search(hint):
        yield "gives the finished arithmetic — stop at the step before the result (\"count the years from ... to ...\")."
    if isinstance(question, (SingleChoice, MultipleChoice)):
        wrong = set().union(*(stems(o.text) for o in question.options if not o.correct))
        for option in (o for o in question.options if o.correct):
            shared = _distinctive(option.text, wrong | stems(question.prompt)) & stems(hint)
            if len(shared) >= 2 or (shared and len(_distinctive(option.text, wrong | stems(question.prompt))) <= 2):
                yield (f"shares the words {', '.join(sorted(shared))} with the right option {option.text!r} and with no "
                       "other — point to the evidence without using the answer's own words.")
    elif isinstance(question, Matching):
        lefts = [stems(p.left) for p in question.pairs]
        rights = [stems(p.right) for p in question.pairs]
        said = stems(hint)
        for i, pair in enumerate(question.pairs):
            left = lefts[i] - set().union(*(s for j, s in enumerate(lefts) if j != i))
            right = rights[i] - set().union(*(s for j, s in enumerate(rights) if j != i))
            if left & said and right & said:
                yield (f"names {pair.left!r} together with words of its match ({', '.join(sorted(right & said))}) — "
                       "point to where the pairing is explained instead.")
    elif isinstance(question, Estimate):
        answer = question.answer
        shown = {format_number(answer), str(answer), f"{answer:g}" if isinstance(answer, float) else str(answer)}
        if any(re.search(rf"(?<![\d.,]){re.escape(text)}(?![\d]|[.,]\d)", hint) for text in shown):
            yield f"contains the answer {format_number(answer)} — give the step that leads to it, not the number."
    elif isinstance(question, ShortText):
        yield from _short_text_leaks(question, hint)


def _distinctive(text: str, others: set[str]) -> set[str]:
    """The stems of ``text`` found in none of ``others``."""
    return stems(text) - others


def _short_text_leaks(question: ShortText, hint: str) -> Iterator[str]:
    said = words(hint)
    for answer in question.answers:
        run = words(answer)
        if run and any(said[i : i + len(run)] == run for i in range(len(said) - len(run) + 1)):
            yield f"contains the accepted answer {answer!r} — point to where it is found instead."
            return
    if _FIRST_LETTERS.search(hint):
        yield "gives away letters of the answer — point to where the name is found, not how it is spelled."
        return
    keys = [normalise(a) for a in question.answers]
    fragments = [normalise(m) for m in _QUOTED.findall(hint)] + [normalise(m) for m in _SPELLED.findall(hint)]
    for fragment in fragments:
        if len(fragment) >= 2 and any(key.startswith(fragment) for key in keys):
            yield f"spells out the start of the answer ({fragment!r}) — point to where the name is found instead."
            return


def _option_problems(question: SingleChoice | MultipleChoice, where: str) -> Iterator[str]:
    for number, option in enumerate(question.options):
        if _ABOVE.search(option.text):
            yield (f"{where}, field 'options[{number}].text': {option.text!r} is an 'all/none of the above' option — "
                   "it rewards test-taking over reading; write a real statement instead.")
        if not option.correct and len(option.feedback.split()) < MIN_FEEDBACK_WORDS:
            yield (f"{where}, field 'options[{number}].feedback': a wrong option needs feedback that says why it is "
                   f"wrong (the misconception behind it), in at least {MIN_FEEDBACK_WORDS} words.")
    right = [len(o.text) for o in question.options if o.correct]
    wrong = [len(o.text) for o in question.options if not o.correct]
    if not wrong:
        return
    if isinstance(question, SingleChoice):
        if right[0] > LONGEST_RATIO * max(wrong) and right[0] - max(wrong) >= LONGEST_MARGIN:
            yield (f"{where}, field 'options': the right option stands out by length ({right[0]} characters against at "
                   f"most {max(wrong)} for the others) — make the distractors as long and specific, or trim it.")
    elif sum(right) / len(right) > MULTIPLE_LENGTH_RATIO * sum(wrong) / len(wrong):
        yield (f"{where}, field 'options': the right options are longer than the wrong ones (on average "
               f"{sum(right) / len(right):.0f} characters against {sum(wrong) / len(wrong):.0f}) — balance them.")


def bank_problems(bank: Bank, *, needs_objective: bool | None = None) -> list[str]:
    """Every item-writing problem in ``bank``: each question's, then the bank's patterns as written.

    ``needs_objective`` defaults to True for lesson banks (named ``NN-slug``), which assess objectives.
    """
    if needs_objective is None:
        needs_objective = bool(LESSON_NAME.match(bank.lesson))
    problems = [p for q in bank for p in question_problems(q, bank.location, needs_objective=needs_objective)]
    return problems + list(_pattern_problems(bank))


def _pattern_problems(bank: Bank) -> Iterator[str]:
    """Across a bank: right answers not concentrated in one written position, nor usually the longest."""
    singles = [q for q in bank if isinstance(q, SingleChoice)]
    if len(singles) >= 2:
        positions = Counter(next(i for i, o in enumerate(q.options) if o.correct) + 1 for q in singles)
        position, count = positions.most_common(1)[0]
        if count > max(1, math.ceil(len(singles) / 2)):
            yield (f"{bank.location}: the right option is written at position {position} in {count} of {len(singles)} "
                   "single-choice questions — vary where the right option is written.")
        longest = [q.id for q in singles if _is_longest(q)]
        expected = sum(1 / len(q.options) for q in singles)
        if len(longest) > max(1, round(1.5 * expected)):
            yield (f"{bank.location}: the right option is the longest in {len(longest)} of {len(singles)} single-choice "
                   f"questions ({', '.join(longest)}), where chance is about {expected:.1f} — make some distractors the "
                   "longest.")
    multiples = [q for q in bank if isinstance(q, MultipleChoice)]
    first = [q.id for q in multiples if _right_written_first(q)]
    if len(multiples) >= 2 and len(first) > len(multiples) / 2:
        yield (f"{bank.location}: in {len(first)} of {len(multiples)} multiple-choice questions ({', '.join(first)}) "
               "every right option is written before every wrong one — mix them.")


def _is_longest(question: SingleChoice) -> bool:
    right = next(len(o.text) for o in question.options if o.correct)
    return all(right > len(o.text) for o in question.options if not o.correct)


def _right_written_first(question: MultipleChoice) -> bool:
    flags = [o.correct for o in question.options]
    return flags == sorted(flags, reverse=True) and not all(flags)


def copied_options(question: Question, text: str) -> Iterator[str]:
    """The options (or items) of ``question`` found word for word in ``text``, the lesson text just above it."""
    said = words(text)
    joined = f" {' '.join(said)} "
    for option in _option_texts(question):
        run = words(option)
        if len(run) >= COPIED_WORDS and f" {' '.join(run)} " in joined:
            yield option


def _option_texts(question: Question) -> Iterable[str]:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return [o.text for o in question.options]
    if isinstance(question, Matching):
        return [p.right for p in question.pairs]
    return getattr(question, "items", ())


GUESSING_LIMIT = 1.5  # a strategy that does not read may score this far from chance, either way


def _hint_overlap(question: SingleChoice, option_text: str) -> int:
    return len(stems(option_text) & stems(" ".join(question.hints)))


_GUESSES = {
    "picking the longest option": lambda q, text: len(text),
    "picking the option that shares most words with the hints": _hint_overlap,
}


def guessing_problems(banks: Iterable[Bank]) -> Iterator[str]:
    """Across lesson banks, a student who picks by length or by the hints' words scores about chance.

    Only single-choice questions are counted, ties shared out evenly. Scoring far below chance
    is flagged too: "never the longest" is as much a give-away as "always the longest". The
    messages name the questions where a wrong option wins, to fix first.
    """
    singles = [q for bank in banks for q in bank if isinstance(q, SingleChoice)]
    if len(singles) < 5:
        return
    expected = sum(1 / len(q.options) for q in singles)
    for name, measure in _GUESSES.items():
        score, misleading, leading = 0.0, [], []
        for question in singles:
            values = [measure(question, o.text) for o in question.options]
            top = [o for o, v in zip(question.options, values) if v == max(values)]
            share = sum(o.correct for o in top) / len(top)
            score += share
            if len(top) == 1:
                (leading if share else misleading).append(question.id)
        ratio = score / expected
        if ratio > GUESSING_LIMIT:
            yield (f"across the course, {name} scores {ratio:.2f}× chance ({score:.1f} of {len(singles)} single-choice "
                   f"questions, chance {expected:.1f}) — it singles out the right option in {', '.join(leading)}.")
        elif ratio < 1 / GUESSING_LIMIT:
            yield (f"across the course, {name} scores {ratio:.2f}× chance ({score:.1f} of {len(singles)} single-choice "
                   f"questions, chance {expected:.1f}), so avoiding it pays — it singles out a wrong option in "
                   f"{', '.join(misleading)}.")
