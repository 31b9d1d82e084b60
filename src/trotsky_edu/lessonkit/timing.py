"""How long a lesson takes: an estimate for each ``## `` section, from what a student reads and does there.

A student reads the text they see at a steady pace (the lesson's markdown, and the claims of each
"sources disagree" block it shows), and each thing to do takes a set time: an
exercise by its type (read from the lesson's question bank), a written answer, a code exercise,
a look at a figure. The numbers are the course's conventions, given in ``docs/instructors.md``;
``lessons/course.toml`` may change any of them in its ``[timing]`` table (read by
:func:`timing_settings`).

Sections whose heading starts with ``## Extension:`` or ``## Homework:`` are estimated apart: they
are what does not fit the class period, so they do not count toward the lesson's core minutes.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nbformat import NotebookNode

from trotsky_edu.exercises.bank import TYPES
from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.cells import (
    exercise_calls,
    has_solution_region,
    is_answer_key,
    is_instructor,
    is_navigation,
    is_written_answer,
)
from trotsky_edu.lessonkit.disagreements_shown import shown_ids
from trotsky_edu.lessonkit.figure_alt import figure_calls

EXTRA_PREFIXES = ("Extension:", "Homework:")
UNREAD_SECTIONS = ("Further reading",)
OPENING = "Opening"
DEFAULT_EXERCISE_MINUTES = {
    "single_choice": 1.5,
    "multiple_choice": 2,
    "ordering": 2,
    "matching": 2.5,
    "short_text": 2,
    "estimate": 3,
    "source_analysis": 6,
}

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML = re.compile(r"<!--.*?-->|<[^>]+>", re.DOTALL)
# The instructor notes' timing lines; the end of the plan (the first "N min.", else the first full stop);
# one part's minutes.
_PLAN = re.compile(r"\*\*Timing \((\d+) min(?:utes)?\)\.\*\*(.*)")
_EXTRA_PLAN = re.compile(r"\*\*Extension and homework \((\d+) min(?:utes)?\)\.\*\*(.*)")
_PLAN_END = re.compile(r"\d\s*min(?:utes)?(\.)(?:\s|$)")
_PART = re.compile(r"(\d+)\s*min(?:utes)?$")
_SENTENCE_END = re.compile(r"(\.)(?:\s|$)")

QuestionType = Callable[[str, str], str | None]


@dataclass(frozen=True)
class TimingSettings:
    """The numbers the estimate is made from: the conventions, or ``course.toml``'s ``[timing]`` table."""

    period_minutes: float = 60
    reading_words_per_minute: float = 150
    written_answer_minutes: float = 8
    code_exercise_minutes: float = 4
    figure_minutes: float = 1
    exercise_minutes: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_EXERCISE_MINUTES), hash=False)


SETTING_NAMES = tuple(name for name in TimingSettings.__dataclass_fields__ if name != "exercise_minutes")


def timing_settings(table: object, shown: str) -> TimingSettings:
    """The settings of the ``[timing]`` table of ``shown`` (a course.toml); what it leaves out keeps its default."""
    if not isinstance(table, dict):
        raise LessonkitError(f"{shown}: [timing] must be a table of settings, like 'reading_words_per_minute = 150'")
    numbers: dict[str, float] = {}
    exercise_minutes = dict(DEFAULT_EXERCISE_MINUTES)
    for key, value in table.items():
        if key == "exercise_minutes":
            exercise_minutes.update(_exercise_minutes(value, shown))
        elif key in SETTING_NAMES:
            numbers[key] = _positive(value, f"{shown}: [timing] {key}")
        else:
            near = _did_you_mean(key, (*SETTING_NAMES, "exercise_minutes"))
            raise LessonkitError(
                f"{shown}: [timing] has no setting {key!r}{near} — use {', '.join(SETTING_NAMES)}, "
                f"or a [timing.exercise_minutes] table"
            )
    return TimingSettings(**numbers, exercise_minutes=exercise_minutes)


def _exercise_minutes(table: object, shown: str) -> dict[str, float]:
    """The minutes per exercise type in the ``[timing.exercise_minutes]`` table of ``shown``."""
    where = f"{shown}: [timing.exercise_minutes]"
    if not isinstance(table, dict):
        raise LessonkitError(f"{where} must be a table of exercise types and minutes, like 'single_choice = 1.5'")
    for key in table:
        if key not in TYPES:
            raise LessonkitError(
                f"{where} has no exercise type {key!r}{_did_you_mean(key, TYPES)} — use one of {', '.join(TYPES)}"
            )
    return {key: _positive(value, f"{where} {key}") for key, value in table.items()}


def _positive(value: object, what: str) -> float:
    """``value`` if it is a number above 0; otherwise a message naming ``what`` and the fix."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise LessonkitError(f"{what} is {value!r} — write a number above 0, like 2.5")
    return value


def _did_you_mean(key: str, names: tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the name nearest ``key``, or nothing when none is near."""
    near = difflib.get_close_matches(key, names, n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


@dataclass
class Section:
    """One ``## `` section of a lesson (``Opening`` for what comes before the first) and its minutes."""

    heading: str
    words: int = 0
    exercises: Counter = field(default_factory=Counter)
    written_answers: int = 0
    code_exercises: int = 0
    figures: int = 0
    reading_minutes: float = 0
    exercise_minutes: float = 0
    writing_minutes: float = 0
    code_minutes: float = 0
    figure_minutes: float = 0

    @property
    def is_extra(self) -> bool:
        """Is this an extension or homework section, outside the lesson's core?"""
        return self.heading.startswith(EXTRA_PREFIXES)

    @property
    def minutes(self) -> float:
        """The section's minutes in all: reading, exercises, writing, code and figures."""
        return (self.reading_minutes + self.exercise_minutes + self.writing_minutes + self.code_minutes
                + self.figure_minutes)


@dataclass(frozen=True)
class Estimate:
    """A lesson's sections in order, and its core and extension-and-homework totals in whole minutes."""

    sections: tuple[Section, ...]

    @property
    def core_sections(self) -> list[Section]:
        return [section for section in self.sections if not section.is_extra]

    @property
    def extra_sections(self) -> list[Section]:
        return [section for section in self.sections if section.is_extra]

    @property
    def core(self) -> int:
        """The core's minutes, rounded up: what the stated minutes must cover."""
        return _round_up(sum(section.minutes for section in self.core_sections))

    @property
    def extra(self) -> int:
        """The extension and homework sections' minutes, rounded up."""
        return _round_up(sum(section.minutes for section in self.extra_sections))

    def biggest(self, count: int = 3) -> list[Section]:
        """The ``count`` longest core sections, longest first."""
        return sorted(self.core_sections, key=lambda section: section.minutes, reverse=True)[:count]


def _round_up(minutes: float) -> int:
    """Whole minutes, rounded up (a float sum a hair above a whole number stays that number)."""
    return math.ceil(round(minutes, 6))


def estimate(notebook: NotebookNode, settings: TimingSettings, question_type: QuestionType) -> Estimate:
    """The estimate of a lesson notebook; ``question_type(lesson, id)`` gives an exercise's type from its bank.

    An exercise whose type is unknown (no bank, or not in it) counts nothing here: ``trotsky-edu check``
    reports it already.
    """
    sections = [Section(OPENING)]
    for cell in notebook.cells:
        if is_instructor(cell) or is_answer_key(cell) or is_navigation(cell):
            continue
        if cell.cell_type == "markdown":
            if is_written_answer(cell):
                sections[-1].written_answers += 1
                continue
            for heading, text in _by_heading(cell.source):
                if heading is not None:
                    sections.append(Section(heading))
                if sections[-1].heading not in UNREAD_SECTIONS:
                    sections[-1].words += count_words(text)
        elif cell.cell_type == "code":
            section = sections[-1]
            for lesson, qid in exercise_calls(cell):
                kind = question_type(lesson, qid)
                if kind is not None:
                    section.exercises[kind] += 1
            section.code_exercises += has_solution_region(cell)
            section.figures += len(figure_calls(cell.source))
            section.words += sum(_disagreement_words(d) for d in shown_ids(cell))
    if not _has_content(sections[0]):
        sections.pop(0)
    for section in sections:
        _set_minutes(section, settings)
    return Estimate(tuple(sections))


def _by_heading(source: str) -> list[tuple[str | None, str]]:
    """A markdown cell cut at its ``## `` headings: ``(heading or None for the text before any, text)``."""
    parts: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in source.splitlines():
        if line.startswith("## "):
            parts.append((line[3:].strip(), [line[3:]]))
        else:
            parts[-1][1].append(line)
    return [(heading, "\n".join(lines)) for heading, lines in parts if heading is not None or lines]


def count_words(markdown: str) -> int:
    """The words a reader sees in a piece of markdown: link targets and HTML tags are not read."""
    text = _HTML.sub(" ", _LINK_TARGET.sub("]", markdown))
    return len(_WORD.findall(text))


@functools.lru_cache(maxsize=None)
def _disagreement_words(disagreement_id: str) -> int:
    """The words a student reads in a "sources disagree" block (none for an unknown id: the check reports it)."""
    from trotsky_edu.disagreement_view import UnknownDisagreement, reading_text

    try:
        return count_words(reading_text(disagreement_id))
    except UnknownDisagreement:
        return 0


def _has_content(section: Section) -> bool:
    """Does the section hold anything to read or do?"""
    return bool(section.words or section.exercises or section.written_answers or section.code_exercises
                or section.figures)


def _set_minutes(section: Section, settings: TimingSettings) -> None:
    """Turn what the section holds into minutes, with the course's numbers."""
    section.reading_minutes = section.words / settings.reading_words_per_minute
    section.exercise_minutes = sum(settings.exercise_minutes[kind] * n for kind, n in section.exercises.items())
    section.writing_minutes = section.written_answers * settings.written_answer_minutes
    section.code_minutes = section.code_exercises * settings.code_exercise_minutes
    section.figure_minutes = section.figures * settings.figure_minutes


def estimate_table(slug: str, result: Estimate, stated: int | None) -> str:
    """The estimate as text for ``trotsky-edu check``: minutes per section, then the core and extension totals.

    Extension and homework sections are marked ``+``; ``stated`` is the lesson's stated minutes, when known.
    """
    columns = ("reading", "exercises", "writing", "code", "figures", "total")
    totals = ["core"] + (["+ extension and homework"] if result.extra_sections else [])
    width = min(max(len(text) for text in [*totals, *(section.heading for section in result.sections)]), 40) + 4
    lines = [f"{slug}: estimated minutes per section (+ extension or homework)", " " * width + "  ".join(columns)]
    for section in result.sections:
        values = (section.reading_minutes, section.exercise_minutes, section.writing_minutes, section.code_minutes,
                  section.figure_minutes, section.minutes)
        name = ("+ " if section.is_extra else "") + section.heading
        lines.append(_fit(name, width) + "  ".join(_minutes(v).rjust(len(c)) for v, c in zip(values, columns)))
    blank = " " * len("  ".join(columns[:-1]))
    stated_text = f"  (stated {stated})" if stated is not None else ""
    lines.append(f"{_fit('core', width)}{blank}  {str(result.core).rjust(len(columns[-1]))}{stated_text}")
    if result.extra_sections:
        lines.append(f"{_fit(totals[1], width)}{blank}  {str(result.extra).rjust(len(columns[-1]))}")
    return "\n".join(lines)


def _minutes(value: float) -> str:
    """Minutes to one decimal, or ``·`` for none."""
    return f"{value:.1f}" if value else "·"


def _fit(text: str, width: int) -> str:
    """``text`` padded to ``width`` characters, or cut with an ellipsis to leave two spaces."""
    return text.ljust(width) if len(text) <= width - 2 else text[: width - 3] + "…  "


def stated_minutes(meta: dict) -> tuple[int, int] | None:
    """A lesson's ``(teaching_minutes, exercise_minutes)``, or None if either is not a whole number in its metadata."""
    values = tuple(meta.get(key) for key in ("teaching_minutes", "exercise_minutes"))
    if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return values
    return None


def minutes_problems(result: Estimate, stated: tuple[int, int], settings: TimingSettings) -> list[str]:
    """The stated minutes cover the core's estimate and fit one class period; each problem with its fix."""
    teaching, exercises = stated
    total = teaching + exercises
    said = f"states {total} minutes (teaching_minutes {teaching} + exercise_minutes {exercises})"
    move = "move material into a section headed '## Extension: ...' or '## Homework: ...'"
    period = _number(settings.period_minutes)
    problems = []
    if total < result.core:
        longest = ", ".join(f"{section.heading!r} {section.minutes:.1f} min" for section in result.biggest())
        more = f", or state {result.core} minutes" if result.core <= settings.period_minutes else ""
        problems.append(f"{said} but its core is estimated at {result.core} (longest: {longest}) — trim the core "
                        f"or {move}{more}")
    if total > settings.period_minutes:
        problems.append(f"{said}, more than one {period}-minute class period — {move}, and state the core's minutes")
    return problems


def plan_problems(notes: list[tuple[int, str]], stated: int | None, result: Estimate) -> list[tuple[str, int | None]]:
    """The instructor notes' timing lines agree with the lesson; each problem with its fix and the cell it is in.

    ``notes`` are the instructor cells, as ``(cell number, text)``. The line ``**Timing (N min).**`` gives
    N = ``stated`` and parts that add up to N; a lesson with extension or homework sections also has a line
    ``**Extension and homework (M min).**`` naming each, with M at least their estimate.
    """
    problems: list[tuple[str, int | None]] = []
    first = notes[0][0] if notes else None
    cell, match = _find(_PLAN, notes)
    if match is None:
        minutes = stated if stated is not None else "N"
        problems.append((f"the instructor notes have no timing plan — add a line '**Timing ({minutes} min).** "
                         f"opening 5 min · section 1 10 min · ...' whose parts add up to {minutes}", first))
    else:
        planned = int(match.group(1))
        if stated is not None and planned != stated:
            problems.append((f"the timing plan says {planned} min but the lesson states {stated} (teaching_minutes + "
                             f"exercise_minutes) — make them the same", cell))
        problems += [(message, cell) for message in _parts_problems(match.group(2), planned)]
    extras = result.extra_sections
    if not extras:
        return problems
    names = ", ".join(f"'## {section.heading}'" for section in extras)
    cell, match = _find(_EXTRA_PLAN, notes)
    if match is None:
        problems.append((f"has {names} but the instructor notes have no line '**Extension and homework (M min).**' "
                         f"— add one naming each, with M at least their estimate, {result.extra}", first))
        return problems
    if int(match.group(1)) < result.extra:
        problems.append((f"the extension and homework line gives {match.group(1)} min but those sections are "
                         f"estimated at {result.extra} — give at least {result.extra}", cell))
    line = _plain(match.group(2))
    for section in extras:
        name = section.heading.split(":", 1)[1]
        if _plain(name) not in line:
            problems.append((f"the extension and homework line does not name '## {section.heading}' — name each "
                             f"extension and homework section in it", cell))
    return problems


def _find(pattern: re.Pattern, notes: list[tuple[int, str]]) -> tuple[int | None, re.Match | None]:
    """The first line of the notes that ``pattern`` matches, and its cell number."""
    for number, text in notes:
        for line in text.splitlines():
            match = pattern.search(line)
            if match:
                return number, match
    return None, None


def _parts_problems(text: str, planned: int) -> list[str]:
    """The parts of a timing plan (``part 8 min · part 10 min``, ended by a full stop) add up to ``planned``."""
    end = _PLAN_END.search(text) or _SENTENCE_END.search(text)
    plan = text[: end.start(1)] if end else text
    parts = [part.strip() for part in plan.split("·") if part.strip()]
    if not parts:
        return [f"the timing plan lists no parts — write them after '**Timing ({planned} min).**', "
                f"like 'questions 5 min · section 1 10 min'"]
    untimed = [part for part in parts if not _PART.search(part)]
    if untimed:
        return [f"the timing plan's part {untimed[0]!r} has no minutes — end each part with its minutes, like "
                f"'discussion 5 min', and separate the parts with ' · '"]
    total = sum(int(_PART.search(part).group(1)) for part in parts)
    if total != planned:
        return [f"the timing plan's parts add up to {total} min, not {planned} — make them add up to {planned}"]
    return []


def _plain(text: str) -> str:
    """Text without markdown emphasis or code marks, in lower case with single spaces, for comparing names."""
    return " ".join(re.sub(r"[*_`]", "", text).lower().split())


def _number(value: float) -> str:
    """A setting as it was written: 60, not 60.0."""
    return f"{value:g}"
