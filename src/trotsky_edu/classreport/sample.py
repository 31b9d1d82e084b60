"""A sample class: realistic progress files for trying the class report, and for testing it.

:func:`make_sample_class` plays a class through the course's real question banks and
checks: each student has an ability, uses hints, gets some questions wrong (often the same
wrong option as their classmates: each question has one common misconception), tries
again, gives up and shows the answer, writes source analyses and ticks rubric points. A few
students straggle and leave lessons unfinished. With ``extras`` the folder also gets the
files a teacher meets in real life: an empty file, one cut short, an old-format file, one
from another course, and a second file for a student who used two computers.

The same ``seed`` gives the same class, so tests can rely on it.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

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
from trotsky_edu.exercises.checks import check
from trotsky_edu.exercises.progress import add_event, course_lessons, empty_progress, new_event

NAMES = (
    "aisha", "ben", "carmen", "dmitri", "elif", "farid", "grace", "hana", "ivan", "jonas", "kofi", "lena", "maria",
    "nikhil", "olga", "pablo", "qing", "rosa", "samir", "tess", "umar", "vera", "wen", "xavier", "yara", "zoe",
    "anton", "bea", "chidi", "dana", "emil", "fatima", "gustav", "helga", "ines", "jamal",
)
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
WRONG_NAMES = ("Lenin", "Stalin", "Martov", "Zinoviev", "Petrograd", "Moscow")
PASTED = "<b>Trotsky</b> wrote this for the world to read <script>alert('copied from a web page')</script>"


def make_sample_class(folder: str | Path, *, students: int = 30, seed: int = 1917, extras: bool = True) -> list[Path]:
    """Write ``students`` progress files (and, with ``extras``, the awkward ones) into ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    banks = [load_bank(lesson) for lesson in course_lessons()]
    written = []
    for number in range(students):
        name = NAMES[number % len(NAMES)] + (str(number // len(NAMES) + 1) if number >= len(NAMES) else "")
        data = play_student(name, banks, random.Random(f"{seed}:{name}"), straggler=number % 10 == 9)
        written.append(_write(folder / f"{name}.json", data))
    if extras:
        written += _awkward_files(folder, banks, seed)
    return written


def play_student(name: str, banks, rng: random.Random, *, straggler: bool = False) -> dict:
    """One student's progress file content after working through ``banks``."""
    data = empty_progress()
    ability = 0.35 + 0.55 * rng.random()
    clock = [START + timedelta(minutes=rng.randrange(0, 40))]
    last = rng.randrange(1, len(banks)) if straggler else len(banks)
    for index, bank in enumerate(banks[:last]):
        clock[0] = START + timedelta(days=7 * index, minutes=rng.randrange(0, 40))
        questions = list(bank)
        if straggler and index == last - 1:
            questions = questions[: len(questions) // 2]
        for question in questions:
            if rng.random() < 0.04:  # skipped it
                continue
            _answer(data, name, question, ability, rng, clock)
    return data


def _event(data, name, question, clock, rng, action, **fields) -> None:
    clock[0] += timedelta(seconds=rng.randrange(20, 150))
    event = new_event(action, at=clock[0], **fields)
    add_event(data, question.lesson, question.id, event, student=name)


def _answer(data: dict, name: str, question: Question, ability: float, rng: random.Random, clock) -> None:
    hints = rng.randrange(0, len(question.hints) + 1) if rng.random() > ability else 0
    for used in range(1, hints + 1):
        _event(data, name, question, clock, rng, "hint", hints_used=used)
    if isinstance(question, SourceAnalysis):
        _write_analysis(data, name, question, ability, rng, clock, hints)
        return
    misconception = random.Random(question.id)  # the same misconception for the whole class
    for attempt in range(1, 5):
        right = rng.random() < (ability * 0.85 + 0.1 if attempt == 1 else 0.55)
        answer = _right(question) if right else _wrong(question, rng, misconception)
        result = check(question, answer)
        _event(data, name, question, clock, rng, "submit", answer=answer, correct=result.correct, score=result.score,
               hints_used=hints)
        if result.correct:
            return
        if attempt >= 3 and rng.random() < 0.6:
            _event(data, name, question, clock, rng, "reveal", hints_used=hints)
            return


def _right(question: Question) -> object:
    from trotsky_edu.exercises.answer_key import right_answer

    return right_answer(question)


def _wrong(question: Question, rng: random.Random, misconception: random.Random) -> object:
    """A wrong answer; most often the question's common misconception."""
    common = rng.random() < 0.6
    pick = misconception if common else rng
    if isinstance(question, SingleChoice):
        return pick.choice([o.text for o in question.options if not o.correct])
    if isinstance(question, MultipleChoice):
        right = [o.text for o in question.options if o.correct]
        wrong = [o.text for o in question.options if not o.correct]
        chosen = right[:-1] if len(right) > 1 and rng.random() < 0.4 else right
        return chosen + ([pick.choice(wrong)] if wrong and (common or rng.random() < 0.7) else [])
    if isinstance(question, Ordering):
        items = list(question.items)
        i = pick.randrange(len(items) - 1)
        items[i], items[i + 1] = items[i + 1], items[i]
        return items
    if isinstance(question, Matching):
        rights = [p.right for p in question.pairs]
        i = pick.randrange(len(rights) - 1)
        rights[i], rights[i + 1] = rights[i + 1], rights[i]
        return {p.left: r for p, r in zip(question.pairs, rights)}
    if isinstance(question, Estimate):
        miss = max(question.close, question.tolerance) + 1 + pick.randrange(0, 3)
        return question.answer + (miss if pick.random() < 0.5 else -miss)
    if isinstance(question, ShortText):
        return pick.choice(WRONG_NAMES)
    raise TypeError(question.type)


def _write_analysis(data, name, question: SourceAnalysis, ability, rng, clock, hints) -> None:
    if rng.random() > ability + 0.3:
        return  # did not get to it
    points = sorted(rng.sample(range(len(question.rubric)), k=max(1, round(ability * len(question.rubric)))))
    text = PASTED if name == "hana" else (
        f"The source comes from {question.speaker}, {question.date}. "
        + " ".join(f"My answer {_lower(question.rubric[n])}" for n in points)
    )
    _event(data, name, question, clock, rng, "write", answer=text, hints_used=hints)
    _event(data, name, question, clock, rng, "submit", answer=text, correct=None, hints_used=hints)
    if rng.random() < 0.8:
        ticked = [n for n in points if rng.random() < 0.9]
        _event(data, name, question, clock, rng, "self_assess", answer=ticked, hints_used=hints)


def _lower(line: str) -> str:
    return (line[:1].lower() + line[1:]).rstrip(".") + "."


def _write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    return path


def _awkward_files(folder: Path, banks, seed: int) -> list[Path]:
    """The files a teacher really gets: empty, cut short, old, foreign, and a student's second file."""
    rng = random.Random(f"{seed}:extras")
    empty = folder / "empty.json"
    empty.write_text("", encoding="utf-8")
    cut = folder / "cut-short.json"
    whole = json.dumps(play_student("sasha", banks, rng), indent=1, sort_keys=True)
    cut.write_text(whole[: len(whole) * 3 // 5], encoding="utf-8")
    old = {"format": 1, "answers": {banks[0].lesson: {
        q.id: {"attempts": 1, "correct": True, "hints_used": 0, "revealed": False,
               "first_time": "2026-10-01T09:00:00+00:00", "time": "2026-10-01T09:05:00+00:00"}
        for q in banks[0] if not isinstance(q, SourceAnalysis)}}}
    foreign = {"format": 2, "student": "pierre", "answers": {"01-french-revolution": {"fr-bastille": {
        "attempts": 1, "correct": True, "hints_used": 0, "revealed": False, "time": "2026-10-01T09:00:00+00:00",
        "events": []}}}}
    second = play_student(NAMES[0], banks[-1:], random.Random(f"{seed}:second-computer"))
    return [empty, cut, _write(folder / "yusuf-2025.json", old), _write(folder / "pierre-other-course.json", foreign),
            _write(folder / f"{NAMES[0]}-laptop.json", second)]
