"""Question banks: read ``data/exercises/<lesson>.yaml``, check every field, return typed questions.

A bank is data an instructor edits, so reading it checks everything at once and reports
every problem (file, question id, field, and what to write instead) in one
:class:`BankError`, rather than stopping at the first. The schema is documented in
``data/exercises/README.md``; this module is its executable form.

Bundled banks are found with ``importlib.resources`` (``load_bank(lesson)``); an
instructor's own file is read with ``read_bank(path)``.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar

import yaml

from trotsky_edu.exercises.textmatch import normalise

TYPES = (
    "single_choice", "multiple_choice", "ordering", "matching", "estimate", "short_text", "source_analysis",
)
MAX_HINTS = 3
# The kinds of historical thinking a question can ask for; a lesson's objectives must each be
# assessed by more than recall (see ``trotsky-edu check``).
KINDS = ("recall", "chronology", "cause", "sourcing", "context", "corroboration", "close_reading")
CHOICE_OPTIONS = (2, 10)
ORDERING_ITEMS = (4, 8)
MATCHING_PAIRS = (2, 8)
SOURCE_ANALYSIS_PROMPT = "Read the excerpt, then answer the question in your own words."
# Shown above a source analysis's answer box unless the question gives its own ``prompts``.
SOURCE_ANALYSIS_GUIDE = (
    "Who wrote or said it, and what was their position at the time?",
    "When, and what was happening then?",
    "For whom was it meant, and what did the author want them to think or do?",
    "What can this source not tell us, and where would you look for that?",
)

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LESSON_NAME = re.compile(r"^\d\d-")  # a course lesson's bank (``01-revolution``), as against ``demo``
_COMMON_FIELDS = ("id", "type", "prompt", "objective", "kind", "explanation", "hints", "source")
_TYPE_FIELDS = {
    "single_choice": ("options",),
    "multiple_choice": ("options",),
    "ordering": ("items", "event_ids"),
    "matching": ("pairs",),
    "estimate": ("answer", "tolerance", "close", "unit", "unit_plural"),
    "short_text": ("answers",),
    "source_analysis": ("excerpt", "speaker", "date", "document", "question", "prompts", "model_answer", "rubric"),
}
_BANK_FIELDS = ("lesson", "questions")


class BankError(ValueError):
    """A question bank cannot be used; ``problems`` lists each thing to fix."""

    def __init__(self, message: str, problems: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice question, with the feedback shown when picked."""

    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    """One pair of a matching question: the ``left`` item and the ``right`` one it goes with."""

    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every question has. ``type`` names the question type (see :data:`TYPES`)."""

    TYPE: ClassVar[str] = ""
    id: str
    lesson: str
    prompt: str
    explanation: str = ""
    hints: tuple[str, ...] = ()
    objective: str | None = None
    kind: str | None = None
    source: str | None = None

    @property
    def type(self) -> str:
        return self.TYPE


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """Pick the one correct option."""

    TYPE: ClassVar[str] = "single_choice"
    options: tuple[Option, ...]


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    """Pick every correct option and none of the others."""

    TYPE: ClassVar[str] = "multiple_choice"
    options: tuple[Option, ...]


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Put 4–8 items in order; ``items`` is the correct order (earliest first)."""

    TYPE: ClassVar[str] = "ordering"
    items: tuple[str, ...]
    event_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Match each left item with its right item."""

    TYPE: ClassVar[str] = "matching"
    pairs: tuple[Pair, ...]


@dataclass(frozen=True, kw_only=True)
class Estimate(Question):
    """Give a number (often a year): right within ``tolerance``, "close" within ``close``."""

    TYPE: ClassVar[str] = "estimate"
    answer: int | float
    tolerance: int | float = 0
    close: int | float = 0
    unit: str = ""
    unit_plural: str = ""

    def units(self, amount: float) -> str:
        """The unit for ``amount`` of it: "1 year", "2 years"."""
        return self.unit if amount == 1 else self.unit_plural


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    """Type a word or name; any of ``answers`` is accepted, spelled with any accepted variant."""

    TYPE: ClassVar[str] = "short_text"
    answers: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class SourceAnalysis(Question):
    """Read a primary-source excerpt and answer an open question; not graded, a model answer is revealed."""

    TYPE: ClassVar[str] = "source_analysis"
    excerpt: str
    speaker: str
    date: str
    document: str
    question: str
    model_answer: str
    rubric: tuple[str, ...]
    prompts: tuple[str, ...] = SOURCE_ANALYSIS_GUIDE


_CLASSES: dict[str, type[Question]] = {
    cls.TYPE: cls for cls in (SingleChoice, MultipleChoice, Ordering, Matching, Estimate, ShortText, SourceAnalysis)
}


@dataclass(frozen=True)
class Bank:
    """The questions of one lesson, in file order."""

    lesson: str
    location: str
    questions: tuple[Question, ...]

    def __iter__(self):
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def ids(self) -> list[str]:
        """The question ids, in file order."""
        return [q.id for q in self.questions]

    def question(self, question_id: str) -> Question:
        """The question with ``question_id``; a :class:`BankError` suggests near ids if there is none."""
        for q in self.questions:
            if q.id == question_id:
                return q
        near = difflib.get_close_matches(str(question_id), self.ids(), n=1)
        hint = f" Did you mean {near[0]!r}?" if near else ""
        raise BankError(
            f"There is no question {question_id!r} in the {self.lesson!r} bank ({self.location}).{hint} "
            f"Its questions are: {', '.join(self.ids())}."
        )


# --- reading -------------------------------------------------------------------------------


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """yaml's safe loader, refusing a key written twice in one mapping (the second would silently win)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is written twice in one block", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def bank_dir() -> Traversable:
    """The folder of bundled question banks (``data/exercises`` inside the package)."""
    from trotsky_edu.datasets import data_dir

    return data_dir() / "exercises"


def list_banks() -> list[str]:
    """Lessons that have a bundled question bank, sorted."""
    return sorted(entry.name[: -len(".yaml")] for entry in bank_dir().iterdir() if entry.name.endswith(".yaml"))


def load_bank(lesson: str) -> Bank:
    """The bundled question bank of ``lesson`` (``data/exercises/<lesson>.yaml``), validated."""
    entry = bank_dir() / f"{lesson}.yaml"
    if not isinstance(lesson, str) or "/" in lesson or not entry.is_file():
        raise BankError(
            f"There is no question bank for lesson {lesson!r}. Bundled banks: {', '.join(list_banks()) or 'none'}. "
            "To use a bank from another folder, call read_bank(path)."
        )
    return _parse(entry.read_text(encoding="utf-8"), f"{lesson}.yaml", lesson)


def read_bank(path: str | Path) -> Bank:
    """A question bank read from any ``.yaml`` file, for instructors checking their own edits."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BankError(f"Cannot read the question bank {path}: {err}. Check the path and that it is a UTF-8 text file.") from None
    return _parse(text, str(path), path.stem)


def find_question(lesson: str, question_id: str) -> Question:
    """The question ``question_id`` of ``lesson``'s bundled bank."""
    return load_bank(lesson).question(question_id)


def validate_banks(folder: str | Path | None = None) -> list[str]:
    """Every problem in every bank of ``folder`` (default: the bundled banks), including ids used twice across files."""
    entries = sorted(Path(folder).glob("*.yaml")) if folder is not None else sorted(
        (e for e in bank_dir().iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name
    )
    problems: list[str] = []
    owner: dict[str, str] = {}
    for entry in entries:
        try:
            bank = _parse(entry.read_text(encoding="utf-8"), entry.name, entry.name[: -len(".yaml")])
        except BankError as err:
            problems.extend(err.problems or [str(err)])
            continue
        for qid in bank.ids():
            if qid in owner:
                problems.append(f"{entry.name}, question {qid!r}, field 'id': already used in {owner[qid]}; ids must be unique across the course.")
            owner.setdefault(qid, entry.name)
    return problems


@cache
def known_sources() -> frozenset[str]:
    """The ``source_id`` values of the bundled ``sources.csv`` (empty if the file is missing)."""
    from trotsky_edu.datasets import data_dir

    entry = data_dir() / "sources.csv"
    if not entry.is_file():
        return frozenset()
    with entry.open("r", encoding="utf-8", newline="") as handle:
        return frozenset(row["source_id"] for row in csv.DictReader(handle) if row.get("source_id"))


@lru_cache(maxsize=64)
def _parse(text: str, location: str, lesson: str) -> Bank:
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        reason = getattr(err, "problem", None) or str(err)
        problem = f"{location}{where}: this is not valid YAML: {reason}. Check indentation, and put text containing ':' or '#' in quotes."
        raise BankError(_summary(location, [problem]), [problem]) from None
    problems: list[str] = []
    questions = _read_bank(raw, location, lesson, problems)
    if problems:
        raise BankError(_summary(location, problems), problems)
    return Bank(lesson=lesson, location=location, questions=tuple(questions))


def _summary(location: str, problems: list[str]) -> str:
    listed = "\n".join(f"  - {p}" for p in problems)
    return f"The question bank {location} has {len(problems)} problem(s):\n{listed}"


def _read_bank(raw: Any, location: str, lesson: str, problems: list[str]) -> list[Question]:
    if not isinstance(raw, dict):
        problems.append(f"{location}: the file must be a mapping with the keys 'lesson' and 'questions' (see data/exercises/README.md).")
        return []
    for key in raw:
        if key not in _BANK_FIELDS:
            problems.append(f"{location}: unknown top-level key {key!r}; a bank has only 'lesson' and 'questions'.")
    if raw.get("lesson") != lesson:
        problems.append(f"{location}, field 'lesson': must be {lesson!r} (the file name without .yaml), got {raw.get('lesson')!r}.")
    entries = raw.get("questions")
    if entries is None or entries == []:
        return []
    if not isinstance(entries, list):
        problems.append(f"{location}, field 'questions': must be a list of questions, each starting with '- id: ...'.")
        return []
    questions: list[Question] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        question = _read_question(entry, number, location, lesson, problems)
        if question is None:
            continue
        if question.id in seen:
            problems.append(f"{location}, question {question.id!r}, field 'id': used by two questions; give each question its own id.")
        seen.add(question.id)
        questions.append(question)
    return questions


def _read_question(raw: Any, number: int, location: str, lesson: str, problems: list[str]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(f"{location}, question #{number}: must be a mapping of fields (id, type, prompt, ...), got {type(raw).__name__}.")
        return None
    named = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else None
    fields = _Fields(raw, f"{location}, question {named!r}" if named else f"{location}, question #{number}", problems)
    before = len(problems)

    qid = fields.text("id")
    if qid and not _ID.match(qid):
        fields.problem("id", f"{qid!r} is not a valid id; use lower-case letters, digits and hyphens, like 'rev-split-1903'.")
    kind = fields.text("type")
    if kind and kind not in TYPES:
        near = difflib.get_close_matches(kind, TYPES, n=1)
        fields.problem("type", f"unknown type {kind!r}{f' (did you mean {near[0]!r}?)' if near else ''}; use one of {', '.join(TYPES)}.")
        kind = ""
    fields.unknown_keys(kind)

    common = dict(
        id=qid,
        lesson=lesson,
        prompt=fields.text("prompt", required=kind != "source_analysis") or SOURCE_ANALYSIS_PROMPT,
        explanation=fields.text("explanation", required=kind not in ("", "source_analysis")),
        hints=fields.texts("hints", required=False, most=MAX_HINTS, single_ok=True),
        objective=fields.text("objective", required=False) or None,
        kind=fields.kind(),
        source=fields.source(),
    )
    specific = _READERS[kind](fields) if kind else {}
    if len(problems) > before or not kind:
        return None
    return _CLASSES[kind](**common, **specific)


class _Fields:
    """Reads the fields of one question, appending a problem (naming question and field) for each bad one."""

    def __init__(self, raw: dict, where: str, problems: list[str]):
        self.raw = raw
        self.where = where
        self.problems = problems

    def problem(self, field: str, message: str) -> None:
        self.problems.append(f"{self.where}, field {field!r}: {message}")

    def unknown_keys(self, kind: str) -> None:
        allowed = _COMMON_FIELDS + _TYPE_FIELDS.get(kind, ())
        for key in self.raw:
            if key in allowed:
                continue
            owners = [t for t, names in _TYPE_FIELDS.items() if key in names]
            if kind and owners:
                self.problem(str(key), f"belongs to {' and '.join(owners)} questions, not {kind}; remove it.")
                continue
            near = difflib.get_close_matches(str(key), allowed, n=1)
            self.problem(str(key), f"unknown field{f' (did you mean {near[0]!r}?)' if near else ''}; remove it or correct its name.")

    def _as_text(self, field: str, value: Any) -> str | None:
        """``value`` as stripped text; numbers and dates YAML parsed are turned back into text."""
        if isinstance(value, bool):
            self.problem(field, f"YAML read {value!r} as true/false; put the text in quotes.")
            return None
        if isinstance(value, (str, int, float)):
            return str(value).strip()
        if isinstance(value, date):
            return value.isoformat()
        self.problem(field, f"must be text, got a {type(value).__name__}; write it as a quoted string.")
        return None

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.raw.get(field)
        if value is None or value == "":
            if required:
                self.problem(field, "is missing; this question needs it.")
            return ""
        text = self._as_text(field, value)
        if text == "" and required:
            self.problem(field, "is empty; write some text.")
        return text or ""

    def texts(self, field: str, *, required: bool = True, least: int = 1, most: int | None = None,
              unique: bool = False, single_ok: bool = False) -> tuple[str, ...]:
        value = self.raw.get(field)
        if value is None:
            if required:
                self.problem(field, f"is missing; write a list of at least {least} item(s), one '- ...' per line.")
            return ()
        if single_ok and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(field, "must be a list, one '- ...' per line.")
            return ()
        out = []
        for i, item in enumerate(value):
            text = self._as_text(f"{field}[{i}]", item)
            if text == "":
                self.problem(f"{field}[{i}]", "is empty; write some text or remove the item.")
            elif text is not None:
                out.append(text)
        self._count(field, len(value), least if required or value else 0, most)
        if unique:
            self._unique(field, out)
        return tuple(out)

    def _count(self, field: str, count: int, least: int, most: int | None) -> None:
        if count < least:
            self.problem(field, f"has {count} item(s); it needs at least {least}.")
        if most is not None and count > most:
            self.problem(field, f"has {count} items; at most {most} are allowed.")

    def _unique(self, field: str, texts: list[str], *, what: str = "") -> None:
        seen = set()
        for text in texts:
            if text in seen:
                self.problem(field, f"{what}{text!r} appears twice; each must be different.")
            seen.add(text)

    def number(self, field: str, *, required: bool = True, default: float = 0, least: float | None = None) -> int | float:
        value = self.raw.get(field)
        if value is None:
            if required:
                self.problem(field, "is missing; write a number, like 1905.")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
            self.problem(field, f"must be a number without quotes, got {value!r}.")
            return default
        if least is not None and value < least:
            self.problem(field, f"must be at least {least}, got {value}.")
        return value

    def records(self, field: str, keys: tuple[str, ...], *, least: int, most: int) -> list[dict]:
        value = self.raw.get(field)
        if not isinstance(value, list):
            self.problem(field, f"must be a list of {{{', '.join(keys)}}} entries (see data/exercises/README.md).")
            return []
        self._count(field, len(value), least, most)
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(f"{field}[{i}]", f"must be a mapping like {{{', '.join(f'{k}: ...' for k in keys)}}}.")
                continue
            for key in item:
                if key not in keys:
                    self.problem(f"{field}[{i}].{key}", f"unknown key; use only {', '.join(keys)}.")
            out.append(item)
        return out

    def kind(self) -> str | None:
        text = self.text("kind", required=False)
        if text and text not in KINDS:
            near = difflib.get_close_matches(text, KINDS, n=1)
            self.problem("kind", f"{text!r} is not a kind of thinking{f' (did you mean {near[0]!r}?)' if near else ''}; "
                                 f"use one of {', '.join(KINDS)}.")
        return text or None

    def source(self) -> str | None:
        text = self.text("source", required=False)
        if text and known_sources() and text not in known_sources():
            near = difflib.get_close_matches(text, sorted(known_sources()), n=1)
            self.problem("source", f"{text!r} is not a source_id in data/sources.csv{f' (did you mean {near[0]!r}?)' if near else ''}.")
        return text or None


def _read_options(fields: _Fields, *, single: bool) -> dict:
    options = []
    for i, item in enumerate(fields.records("options", ("text", "correct", "feedback"), least=CHOICE_OPTIONS[0], most=CHOICE_OPTIONS[1])):
        name = f"options[{i}]"
        text = fields._as_text(f"{name}.text", item.get("text", ""))
        if not text:
            fields.problem(f"{name}.text", "is missing or empty; write the option's text.")
        correct = item.get("correct")
        if not isinstance(correct, bool):
            fields.problem(f"{name}.correct", f"must be true or false (without quotes), got {correct!r}.")
        feedback = fields._as_text(f"{name}.feedback", item.get("feedback") or "")
        options.append(Option(text=text or "", correct=correct is True, feedback=feedback or ""))
    fields._unique("options", [o.text for o in options if o.text])
    right = sum(o.correct for o in options)
    if options and single and right != 1:
        fields.problem("options", f"has {right} options marked correct: true; a single_choice question needs exactly one.")
    if options and not single and right == 0:
        fields.problem("options", "has no option marked correct: true; mark at least one.")
    return {"options": tuple(options)}


def _read_ordering(fields: _Fields) -> dict:
    items = fields.texts("items", least=ORDERING_ITEMS[0], most=ORDERING_ITEMS[1], unique=True)
    event_ids = fields.texts("event_ids", required=False)
    if event_ids and len(event_ids) != len(items):
        fields.problem("event_ids", f"has {len(event_ids)} ids for {len(items)} items; give one per item, in the same order, or leave it out.")
    return {"items": items, "event_ids": event_ids}


def _read_matching(fields: _Fields) -> dict:
    pairs = []
    for i, item in enumerate(fields.records("pairs", ("left", "right"), least=MATCHING_PAIRS[0], most=MATCHING_PAIRS[1])):
        left = fields._as_text(f"pairs[{i}].left", item.get("left", ""))
        right = fields._as_text(f"pairs[{i}].right", item.get("right", ""))
        if not left or not right:
            fields.problem(f"pairs[{i}]", "needs both a non-empty left and a non-empty right.")
            continue
        pairs.append(Pair(left=left, right=right))
    fields._unique("pairs", [p.left for p in pairs], what="the left item ")
    fields._unique("pairs", [p.right for p in pairs], what="the right item ")
    return {"pairs": tuple(pairs)}


def _read_estimate(fields: _Fields) -> dict:
    answer = fields.number("answer")
    tolerance = fields.number("tolerance", required=False, least=0)
    close = fields.number("close", required=False, default=tolerance, least=0)
    if close < tolerance:
        fields.problem("close", f"({close}) must not be smaller than tolerance ({tolerance}); 'close' is the wider band.")
    unit = fields.text("unit", required=False)
    plural = fields.text("unit_plural", required=False) or (f"{unit}s" if unit else "")
    return {"answer": answer, "tolerance": tolerance, "close": close, "unit": unit, "unit_plural": plural}


def _read_short_text(fields: _Fields) -> dict:
    answers = fields.texts("answers")
    for i, text in enumerate(answers):
        if not normalise(text):
            fields.problem(f"answers[{i}]", f"{text!r} has no letters or digits, so no typed answer could match it.")
    return {"answers": answers}


def _read_source_analysis(fields: _Fields) -> dict:
    return {
        "excerpt": fields.text("excerpt"),
        "speaker": fields.text("speaker"),
        "date": fields.text("date"),
        "document": fields.text("document"),
        "question": fields.text("question"),
        "prompts": fields.texts("prompts", required=False) or SOURCE_ANALYSIS_GUIDE,
        "model_answer": fields.text("model_answer"),
        "rubric": fields.texts("rubric"),
    }


_READERS = {
    "single_choice": lambda f: _read_options(f, single=True),
    "multiple_choice": lambda f: _read_options(f, single=False),
    "ordering": _read_ordering,
    "matching": _read_matching,
    "estimate": _read_estimate,
    "short_text": _read_short_text,
    "source_analysis": _read_source_analysis,
}
