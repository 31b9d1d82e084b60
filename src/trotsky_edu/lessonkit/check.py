"""Check lessons against the lesson standard, one clear line per problem.

Each ``_check_*`` function looks at one rule of ``LESSON-STANDARD`` and the course conventions
and yields a :class:`Problem` naming the notebook, the cell (counted from 1 at the top) and
the fix. Question banks are read with :func:`trotsky_edu.exercises.bank.read_bank`.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from nbformat import NotebookNode

from trotsky_edu.datasets import SCHEMA_FILE, data_dir
from trotsky_edu.exercises.bank import KINDS, LESSON_NAME, Bank, BankError, read_bank
from trotsky_edu.exercises.item_rules import bank_problems, copied_options, guessing_problems
from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.cells import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    exercise_calls,
    has_solution_region,
    is_answer_key,
    is_instructor,
    is_navigation,
    is_solution,
    shows_figure,
)
from trotsky_edu.lessonkit.course import Course, display_path
from trotsky_edu.lessonkit.disagreements_shown import disagreement_problems, read_disagreements
from trotsky_edu.lessonkit.dates_in_text import date_problems, load_records
from trotsky_edu.lessonkit.figure_alt import alt_problems, long_descriptions
from trotsky_edu.lessonkit.index import navigation_links
from trotsky_edu.lessonkit.notebooks import read_notebook
from trotsky_edu.lessonkit.own_words import SourceIndex, data_findings, markdown_runs
from trotsky_edu.lessonkit.prose import paragraphs
from trotsky_edu.lessonkit.studentcopy import clear_solution_regions
from trotsky_edu.lessonkit.timing import EXTRA_PREFIXES, Estimate, estimate, estimate_table, minutes_problems, plan_problems, stated_minutes

REQUIRED_HEADINGS = (
    "Questions",
    "Learning objectives",
    "Primary sources",
    "Historians disagree",
    "Key points",
    "Glossary",
    "Further reading",
)
METADATA_KEYS = (
    "lesson", "title", "period", "teaching_minutes", "exercise_minutes", "prerequisites", "content_note", "objectives",
)
OBJECTIVES = (3, 5)
MIN_EXERCISES = 6
MIN_EXERCISE_TYPES = 3
MIN_PLOTS = 2
INDEX_HINT = "run `trotsky-edu index`"

_MEMORY_ADDRESS = re.compile(r"at 0x[0-9a-fA-F]{4,}")
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_SELF_CHECK = re.compile(r"""\bself_check\(\s*["']([^"']+)["']""")
_BARE_IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
# nbgrader 0.9 reads cell metadata of schema version 3 (nbgrader/nbgraderformat/v3.json) and no other.
NBGRADER_SCHEMA_VERSION = 3
NBGRADER_KEYS = ("schema_version", "grade", "solution", "locked", "task", "grade_id", "points", "checksum", "cell_type")
_GRADE_ID = re.compile(r"[A-Za-z0-9_-]*")
_WRITTEN_ANSWER = '{"nbgrader": {"solution": true, "grade": true, "points": 2, "locked": false, "grade_id": "<unique>", "schema_version": 3}}'
_CODE_ANSWER = '{"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "<unique>", "schema_version": 3}}'


@dataclass(frozen=True)
class Problem:
    """One thing in a lesson that breaks the standard, with the fix in its message."""

    path: Path
    message: str
    cell: int | None = None

    def __str__(self) -> str:
        where = f"cell {self.cell}: " if self.cell is not None else ""
        return f"{display_path(self.path)}: {where}{self.message}"


@dataclass
class _Banks:
    """The question banks of one check run, each read once; a bank's problems are reported once."""

    folder: Path
    read: dict[str, Bank | None] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)

    def path(self, lesson: str) -> Path:
        return self.folder / f"{lesson}.yaml"

    def bank(self, lesson: str) -> Bank | None:
        """The bank of ``lesson``, or None if it is missing or unreadable."""
        if lesson not in self.read:
            self.read[lesson] = None
            if not self.path(lesson).is_file():
                self.problems[lesson] = []
                return None
            try:
                self.read[lesson] = read_bank(Path(display_path(self.path(lesson))))
            except BankError as error:
                self.problems[lesson] = error.problems or [str(error)]
            else:
                self.problems[lesson] = bank_problems(self.read[lesson])
        return self.read[lesson]

    def question_type(self, lesson: str, qid: str) -> str | None:
        """The type of question ``qid`` in the bank of ``lesson``, or None when the bank does not hold it."""
        bank = self.bank(lesson)
        return bank.question(qid).type if bank is not None and qid in bank.ids() else None

    def load(self, lesson: str) -> tuple[Bank | None, list[str]]:
        """The bank of ``lesson`` (None if unreadable) and, the first time only, its problems.

        The problems include the item-writing rules (:mod:`trotsky_edu.exercises.item_rules`).
        """
        bank = self.bank(lesson)
        if lesson in self.reported:
            return bank, []
        self.reported.add(lesson)
        return bank, self.problems.get(lesson, [])


@dataclass
class _Lesson:
    """A lesson being checked: its notebook, file, metadata, and the course's question banks."""

    path: Path
    notebook: NotebookNode
    course: Course
    banks: _Banks
    sources: SourceIndex | None = None

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def meta(self) -> dict:
        meta = self.notebook.metadata.get("trotsky_edu", {})
        return meta if isinstance(meta, dict) else {}

    @property
    def objective_ids(self) -> set[str]:
        objectives = self.meta.get("objectives")
        if not isinstance(objectives, list):
            return set()
        return {str(o["id"]) for o in objectives if isinstance(o, dict) and o.get("id")}

    def objective_exercises(self) -> dict[str, list[str]]:
        """Each objective id and the ids of the exercises that assess it: the metadata's list, then the bank's."""
        listed = {
            str(o["id"]): [str(qid) for qid in o.get("exercises") or []]
            for o in self.meta.get("objectives") or []
            if isinstance(o, dict) and o.get("id")
        }
        for question in self.banks.bank(self.slug) or ():
            if question.objective in listed and question.id not in listed[question.objective]:
                listed[question.objective].append(question.id)
        return listed

    def numbered_cells(self) -> Iterator[tuple[int, NotebookNode]]:
        return enumerate(self.notebook.cells, start=1)

    def shown_exercises(self) -> list[tuple[int, str, str]]:
        """``(cell, lesson, id)`` of every exercise the lesson shows (the answer key does not count)."""
        return [
            (number, lesson, qid)
            for number, cell in self.numbered_cells()
            if not is_answer_key(cell)
            for lesson, qid in exercise_calls(cell)
        ]


def check_course(
    course: Course, lessons: list[Path], *, exercises_folder: Path, whole_course: bool, sources: SourceIndex | None = None,
) -> list[Problem]:
    """Every problem in ``lessons``; with ``whole_course``, also notebooks and course entries that do not match,
    and the question banks. With ``sources`` (the source documents' runs), lessons, and with ``whole_course`` the
    data and banks too, are checked for runs of words shared with the sources."""
    problems: list[Problem] = []
    banks = _Banks(exercises_folder)
    if whole_course:
        problems += _check_course_files(course)
    for path in lessons:
        if path.is_file():
            problems += check_lesson(path, course=course, exercises_folder=exercises_folder, banks=banks, sources=sources)
    if whole_course:
        problems += _check_banks(banks)
        if sources is not None:
            data = course.folder.parent / "data"
            problems += [Problem(f.path, f"{f.where}: {f.run.message()}") for f in data_findings(data, exercises_folder, sources)]
    return problems


def check_lesson(
    path: Path, *, course: Course, exercises_folder: Path, banks: _Banks | None = None, sources: SourceIndex | None = None,
) -> list[Problem]:
    """Every problem in one lesson notebook (``banks`` shares the banks already read in this run; ``sources``, when
    given, are the source documents' runs that the lesson's own words must not share)."""
    try:
        notebook = read_notebook(path)
    except LessonkitError as error:
        return [Problem(path, str(error).removeprefix(f"{display_path(path)} ").lstrip(": "))]
    banks = banks if banks is not None else _Banks(exercises_folder)
    lesson = _Lesson(path=path, notebook=notebook, course=course, banks=banks, sources=sources)
    problems: list[Problem] = []
    for rule in _RULES:
        problems += rule(lesson)
    return problems


def _check_course_files(course: Course) -> Iterator[Problem]:
    """Every lesson in ``course.toml`` has a notebook, and every notebook is in ``course.toml``."""
    listed = {entry.filename for entry in course.lessons}
    for entry in course.lessons:
        if not course.path(entry.slug).is_file():
            yield Problem(
                course.toml_path,
                f"lists {entry.slug} but {display_path(course.path(entry.slug))} does not exist — "
                f"write it (start from a copy of src/trotsky_edu/lessonkit/template.ipynb) or remove the entry",
            )
    for notebook in sorted(course.folder.glob("*.ipynb")):
        if notebook.name not in listed:
            yield Problem(notebook, f"is not listed in {display_path(course.toml_path)} — add a [[lesson]] entry for it")


def _check_banks(banks: _Banks) -> Iterator[Problem]:
    """Every bank in the folder can be read, no question id is used in two of them (progress is saved under it),
    and across the lessons' banks a student who picks without reading scores about chance."""
    owners: dict[str, str] = {}
    paths = sorted(banks.folder.glob("*.yaml"))
    lesson_banks = [banks.bank(path.stem) for path in paths if LESSON_NAME.match(path.stem)]
    for problem in guessing_problems(bank for bank in lesson_banks if bank is not None):
        yield Problem(banks.folder, problem)
    for path in paths:
        bank, problems = banks.load(path.stem)
        for problem in problems:
            yield Problem(path, f"question bank problem: {problem}")
        for qid in bank.ids() if bank else []:
            if qid in owners:
                yield Problem(
                    path,
                    f"question id {qid!r} is also used in {owners[qid]} — ids must be unique across the course; rename one",
                )
            else:
                owners[qid] = path.name


def _check_metadata(lesson: _Lesson) -> Iterator[Problem]:
    """The ``trotsky_edu`` metadata is present, complete and agrees with ``course.toml`` and the file name."""
    if "trotsky_edu" not in lesson.notebook.metadata:
        yield Problem(lesson.path, "notebook metadata has no 'trotsky_edu' section — copy it from the lesson template")
        return
    meta = lesson.meta
    for key in METADATA_KEYS:
        if key not in meta:
            yield Problem(lesson.path, f"metadata 'trotsky_edu' has no {key!r} — add it (see the lesson template)")
    if "lesson" in meta and meta["lesson"] != lesson.slug:
        yield Problem(lesson.path, f"metadata lesson is {meta['lesson']!r} but the file is {lesson.path.name} — make them the same")
    for key in ("title", "period"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            yield Problem(lesson.path, f"metadata {key} is empty — write it as text")
    for key in ("teaching_minutes", "exercise_minutes"):
        value = meta.get(key)
        if key in meta and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            yield Problem(lesson.path, f"metadata {key} is {value!r} — write a whole number of minutes, like 25")
    if "content_note" in meta and not isinstance(meta["content_note"], (str, type(None))):
        yield Problem(lesson.path, "metadata content_note must be text, or null when the lesson needs none")
    entry = lesson.course.entry(lesson.slug)
    if entry is None:
        yield Problem(lesson.path, f"is not listed in {display_path(lesson.course.toml_path)} — add a [[lesson]] entry for it")
    else:
        for key in ("title", "period"):
            if key in meta and meta[key] != getattr(entry, key):
                yield Problem(
                    lesson.path,
                    f"metadata {key} {meta[key]!r} differs from {getattr(entry, key)!r} in course.toml — make them the same",
                )
    yield from _check_prerequisites(lesson)


def _check_prerequisites(lesson: _Lesson) -> Iterator[Problem]:
    """Prerequisites are a list of lessons that come earlier in the course."""
    prerequisites = lesson.meta.get("prerequisites", [])
    if not isinstance(prerequisites, list):
        yield Problem(lesson.path, "metadata prerequisites must be a list of lesson slugs, like [\"00-start-here\"]")
        return
    order = [entry.slug for entry in lesson.course.lessons]
    for slug in prerequisites:
        if slug not in order:
            yield Problem(lesson.path, f"prerequisite {slug!r} is not a lesson in course.toml — use one of: {', '.join(order)}")
        elif lesson.slug in order and order.index(slug) >= order.index(lesson.slug):
            yield Problem(lesson.path, f"prerequisite {slug!r} does not come before this lesson in course.toml")


def _check_headings(lesson: _Lesson) -> Iterator[Problem]:
    """Every required ``## `` section heading is there, spelled exactly."""
    headings = {
        line[3:].strip()
        for cell in lesson.notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    }
    for heading in REQUIRED_HEADINGS:
        if heading not in headings:
            yield Problem(lesson.path, f"has no section '## {heading}' — add a markdown cell with that heading")


def _check_exercises(lesson: _Lesson) -> Iterator[Problem]:
    """The lesson has its own bank; every exercise shown is in its bank; enough exercises of enough types are shown."""
    own_bank = lesson.banks.path(lesson.slug)
    if not own_bank.is_file():
        yield Problem(
            lesson.path,
            f"has no question bank {display_path(own_bank)} — create it with 'lesson: {lesson.slug}' and 'questions: []'",
        )
    else:
        for problem in lesson.banks.load(lesson.slug)[1]:
            yield Problem(lesson.path, f"question bank problem: {problem}")
    objective_ids = lesson.objective_ids
    types, shown = set(), set()
    for number, bank_lesson, qid in lesson.shown_exercises():
        shown.add(qid)
        bank_path = lesson.banks.path(bank_lesson)
        if not bank_path.is_file():
            yield Problem(
                lesson.path,
                f"exercise {qid!r} comes from lesson {bank_lesson!r}, which has no question bank "
                f"{display_path(bank_path)} — create it or fix the lesson name",
                number,
            )
            continue
        bank, problems = lesson.banks.load(bank_lesson)
        for problem in problems:
            yield Problem(lesson.path, f"question bank problem: {problem}")
        if bank is None:
            continue
        if qid not in bank.ids():
            near = difflib.get_close_matches(qid, bank.ids(), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            yield Problem(
                lesson.path,
                f"exercise {qid!r} is not in {display_path(bank_path)}{hint} — add it or fix the id",
                number,
            )
            continue
        question = bank.question(qid)
        types.add(question.type)
        if bank_lesson == lesson.slug and question.objective and objective_ids and question.objective not in objective_ids:
            yield Problem(
                lesson.path,
                f"exercise {qid!r} is for objective {question.objective!r} in its bank, but the lesson's objectives "
                f"are {', '.join(sorted(objective_ids))} — fix the bank's 'objective' or the lesson metadata",
                number,
            )
    if len(shown) < MIN_EXERCISES:
        yield Problem(lesson.path, f"shows {len(shown)} exercise(s) — a lesson needs at least {MIN_EXERCISES}")
    if len(types) < MIN_EXERCISE_TYPES:
        yield Problem(
            lesson.path,
            f"uses {len(types)} exercise type(s) ({', '.join(sorted(types)) or 'none'}) — "
            f"a lesson needs at least {MIN_EXERCISE_TYPES}",
        )


def _check_objectives(lesson: _Lesson) -> Iterator[Problem]:
    """3–5 objectives, each with an id and text, each assessed by an exercise the lesson shows."""
    objectives = lesson.meta.get("objectives")
    if "objectives" not in lesson.meta:
        return
    if not isinstance(objectives, list) or not OBJECTIVES[0] <= len(objectives) <= OBJECTIVES[1]:
        count = len(objectives) if isinstance(objectives, list) else 0
        yield Problem(lesson.path, f"has {count} learning objective(s) in its metadata — write {OBJECTIVES[0]} to {OBJECTIVES[1]}")
    shown = {qid for _, _, qid in lesson.shown_exercises()}
    for position, objective in enumerate(objectives if isinstance(objectives, list) else [], start=1):
        if not isinstance(objective, dict) or not objective.get("id") or not objective.get("text"):
            yield Problem(lesson.path, f"objective {position} needs an 'id' and a 'text' in the metadata")
            continue
        exercises = objective.get("exercises") or []
        if not exercises:
            yield Problem(
                lesson.path,
                f"objective {objective['id']} is assessed by no exercise — list the ids of the exercises that assess it",
            )
        for qid in exercises:
            if qid not in shown:
                yield Problem(
                    lesson.path,
                    f"objective {objective['id']} lists exercise {qid!r}, which the lesson does not show — "
                    f"add a cell `exercise({lesson.slug!r}, {qid!r})` or fix the list",
                )
    yield from _check_beyond_recall(lesson)


def _check_beyond_recall(lesson: _Lesson) -> Iterator[Problem]:
    """In the lesson's core (its extension and homework sections aside), every objective is assessed, and not by
    recall alone: some exercise for it there asks for another kind of thinking."""
    core = _core_exercises(lesson)
    kinds = objective_kinds(lesson, only=core)
    for objective, ids in lesson.objective_exercises().items():
        if ids and not set(ids) & core:
            yield Problem(
                lesson.path,
                f"objective {objective} is assessed only in extension or homework sections — keep at least one of its "
                f"exercises ({', '.join(ids)}) in the core of the lesson",
            )
        elif kinds.get(objective) and set(kinds[objective]) <= {"recall"}:
            yield Problem(
                lesson.path,
                f"objective {objective} is assessed by recall alone in the core of the lesson — add or rewrite an "
                f"exercise for it there that asks for {', '.join(k for k in KINDS if k != 'recall')} (the question's "
                "'kind')",
            )


def _core_exercises(lesson: _Lesson) -> set[str]:
    """The ids of the exercises the lesson shows outside its extension and homework sections."""
    extra, core = False, set()
    for cell in lesson.notebook.cells:
        if is_answer_key(cell) or is_instructor(cell):
            continue
        if cell.cell_type == "markdown":
            headings = [line[3:].strip() for line in cell.source.splitlines() if line.startswith("## ")]
            if headings:
                extra = headings[-1].startswith(EXTRA_PREFIXES)
        elif not extra:
            core |= {qid for _, qid in exercise_calls(cell)}
    return core


def objective_kinds(lesson: _Lesson, *, only: set[str] | None = None) -> dict[str, dict[str, int]]:
    """For each objective, how many of its exercises ask for each kind of thinking (questions without a kind left out;
    with ``only``, just those exercises)."""
    questions = {q.id: q for q in lesson.banks.bank(lesson.slug) or ()}
    table: dict[str, dict[str, int]] = {}
    for objective, ids in lesson.objective_exercises().items():
        counts = table.setdefault(objective, {})
        for qid in ids:
            if only is not None and qid not in only:
                continue
            kind = questions[qid].kind if qid in questions else None
            if kind:
                counts[kind] = counts.get(kind, 0) + 1
    return table


def lesson_tables(path: Path, *, course: Course, exercises_folder: Path) -> list[str]:
    """A lesson's tables for ``trotsky-edu check`` to print, from one reading of it: objectives by kind of thinking,
    and estimated minutes per section (none when it cannot be read: the check reports why)."""
    try:
        notebook = read_notebook(path)
    except LessonkitError:
        return []
    lesson = _Lesson(path=path, notebook=notebook, course=course, banks=_Banks(exercises_folder))
    return [table for table in (_kinds_table(lesson), _timing_table(lesson)) if table]


def _kinds_table(lesson: _Lesson) -> str:
    """A lesson's objective × kind-of-thinking table, as text."""
    table = objective_kinds(lesson)
    if not table:
        return ""
    used = [k for k in KINDS if any(k in counts for counts in table.values())]
    width = max(len(o) for o in table) + 2
    lines = [f"{lesson.slug}: exercises per objective and kind of thinking",
             " " * width + "  ".join(used)]
    for objective, counts in table.items():
        cells = "  ".join(str(counts.get(k, "·")).rjust(len(k)) for k in used)
        lines.append(f"{objective.ljust(width)}{cells}")
    return "\n".join(lines)


def _timing_table(lesson: _Lesson) -> str:
    """A lesson's estimated minutes per section and in total, as text."""
    stated = stated_minutes(lesson.meta)
    return estimate_table(lesson.slug, _estimate(lesson), sum(stated) if stated else None)


def _estimate(lesson: _Lesson) -> Estimate:
    """How long the lesson takes, section by section (see :mod:`trotsky_edu.lessonkit.timing`)."""
    return estimate(lesson.notebook, lesson.course.timing, lesson.banks.question_type)


def _check_minutes(lesson: _Lesson) -> Iterator[Problem]:
    """The stated minutes (teaching + exercises) cover the estimate of the lesson's core and fit one class period."""
    stated = stated_minutes(lesson.meta)
    if stated is None:
        return
    for message in minutes_problems(_estimate(lesson), stated, lesson.course.timing):
        yield Problem(lesson.path, message)


def _check_timing_plan(lesson: _Lesson) -> Iterator[Problem]:
    """The instructor notes' timing plan adds up to the stated minutes, and names the extension and homework."""
    notes = [(number, cell.source) for number, cell in lesson.numbered_cells()
             if cell.cell_type == "markdown" and is_instructor(cell)]
    stated = stated_minutes(lesson.meta)
    for message, number in plan_problems(notes, sum(stated) if stated else None, _estimate(lesson)):
        yield Problem(lesson.path, message, number)


def _check_copied_options(lesson: _Lesson) -> Iterator[Problem]:
    """No option of an exercise is copied word for word from the lesson text just above it.

    "Just above" is the student-facing markdown since the previous code cell: what a student
    has on screen when answering. A copied option is found by matching words, not by reading.
    """
    above: list[str] = []
    for number, cell in lesson.numbered_cells():
        if cell.cell_type == "markdown":
            if not is_instructor(cell):
                above.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        if not is_answer_key(cell):
            for bank_lesson, qid in exercise_calls(cell):
                bank = lesson.banks.bank(bank_lesson)
                if bank is None or qid not in bank.ids():
                    continue
                for option in copied_options(bank.question(qid), "\n".join(above)):
                    yield Problem(
                        lesson.path,
                        f"exercise {qid!r}: the option {option!r} is copied word for word from the text just above "
                        f"it — reword it, so that it is found by understanding rather than by matching words",
                        number,
                    )
        above = []


def _check_dates_in_text(lesson: _Lesson) -> Iterator[Problem]:
    """Every full date in the student-facing text agrees with a record in ``data/`` or says where it comes from
    (see :mod:`trotsky_edu.lessonkit.dates_in_text`)."""
    records = load_records(_data_folder(lesson.course))
    for number, cell in lesson.numbered_cells():
        if cell.cell_type != "markdown" or is_instructor(cell) or is_navigation(cell) or is_answer_key(cell):
            continue
        try:
            text = clear_solution_regions(cell.source, "")
        except ValueError:
            text = cell.source  # an unclosed solution region is reported by _check_solutions
        for message in date_problems(paragraphs(text), records):
            yield Problem(lesson.path, message, number)


def _data_folder(course: Course) -> Path | Traversable:
    """The data the lessons read: ``data/`` beside the lessons folder when it has a schema, else the bundled data."""
    beside = course.folder.parent / "data"
    return beside if (beside / SCHEMA_FILE).is_file() else data_dir()


def _check_disagreements(lesson: _Lesson) -> Iterator[Problem]:
    """The lesson shows, with ``show_disagreement("<id>")``, every disagreement that data/disagreements.csv records
    for the topics course.toml gives it, and names no disagreement that is not recorded."""
    entry = lesson.course.entry(lesson.slug)
    topics = entry.topics if entry is not None else ()
    recorded = read_disagreements(_data_folder(lesson.course))
    if isinstance(recorded, str):
        if topics:
            yield Problem(lesson.path, recorded)
        return
    for number, message in disagreement_problems(lesson.numbered_cells(), topics, recorded):
        yield Problem(lesson.path, message, number)


def _check_own_words(lesson: _Lesson) -> Iterator[Problem]:
    """No markdown cell, instructor notes included, shares a run of 12 or more words with the source documents
    outside quotations (see :mod:`trotsky_edu.lessonkit.own_words`); skipped when the sources are not at hand."""
    if lesson.sources is None:
        return
    for number, cell in lesson.numbered_cells():
        if cell.cell_type == "markdown":
            for run in markdown_runs(cell.source, lesson.sources):
                yield Problem(lesson.path, run.message(), number)


def _check_plots(lesson: _Lesson) -> Iterator[Problem]:
    """At least two plots, shown with ``show_figure`` so they carry alt text."""
    plots = sum(shows_figure(cell) for cell in lesson.notebook.cells)
    if plots < MIN_PLOTS:
        yield Problem(
            lesson.path,
            f"shows {plots} plot(s) with show_figure — a lesson needs at least {MIN_PLOTS} "
            f"(`ax = plot_...(...)` then `show_figure(ax)`)",
        )


def _check_figure_alt(lesson: _Lesson) -> Iterator[Problem]:
    """Every ``show_figure`` call has ``alt=`` text its author wrote, stating the figure's point in 8 words or more,
    not a copy of the generated description stored in the cell's output."""
    for number, cell in lesson.numbered_cells():
        if cell.cell_type != "code":
            continue
        generated = [text for output in cell.get("outputs", [])
                     for text in long_descriptions(_text(output.get("data", {}).get("text/html", "")))]
        for problem in alt_problems(cell.source, generated):
            yield Problem(lesson.path, problem, number)


def _check_images(lesson: _Lesson) -> Iterator[Problem]:
    """Every image, in markdown or in a stored output, has alt text."""
    for number, cell in lesson.numbered_cells():
        if cell.cell_type == "markdown":
            if any(not alt.strip() for alt in _MARKDOWN_IMAGE.findall(cell.source)):
                yield Problem(lesson.path, "an image has no alt text — write it between the brackets: ![what it shows](...)", number)
            if _html_images_without_alt(cell.source):
                yield Problem(lesson.path, 'an <img> has no alt text — add alt="what it shows"', number)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = _text(data.get("text/html", ""))
            if _html_images_without_alt(html):
                yield Problem(lesson.path, "an output shows an <img> without alt text — display figures with show_figure(ax)", number)
            elif any(kind in data for kind in _BARE_IMAGE_TYPES) and "<img" not in html:
                yield Problem(
                    lesson.path,
                    "an output is a bare image with no alt text — display figures with show_figure(ax) and re-run",
                    number,
                )


def _html_images_without_alt(html: str) -> bool:
    """Does this HTML hold an ``<img>`` whose alt text is missing or empty?"""
    for tag in _HTML_IMAGE.findall(html):
        alt = _ALT.search(tag)
        if alt is None or not alt.group(2).strip():
            return True
    return False


def _check_navigation(lesson: _Lesson) -> Iterator[Problem]:
    """The last cell is the navigation cell with the links ``course.toml`` gives."""
    if lesson.course.entry(lesson.slug) is None:
        return
    cells = lesson.notebook.cells
    if not cells or not is_navigation(cells[-1]):
        yield Problem(
            lesson.path,
            f"the last cell is not the navigation cell (markdown tagged 'navigation') — {INDEX_HINT}",
            len(cells) or None,
        )
        return
    expected = [target for _, target in navigation_links(lesson.course, lesson.slug)]
    found = _LINK.findall(cells[-1].source)
    if found != expected:
        yield Problem(
            lesson.path,
            f"navigation links go to {', '.join(found) or 'nothing'} but course.toml gives "
            f"{', '.join(expected)} — {INDEX_HINT}",
            len(cells),
        )


def _check_widget_state(lesson: _Lesson) -> Iterator[Problem]:
    """No widget state saved in the notebook metadata."""
    if "widgets" in lesson.notebook.metadata:
        yield Problem(
            lesson.path,
            "notebook metadata holds saved widget state ('widgets') — delete it in the notebook metadata editor "
            "and turn off Settings → Save Widget State Automatically",
        )


def _check_outputs(lesson: _Lesson) -> Iterator[Problem]:
    """No stored errors, and no stored memory addresses that change on every run and fail nbval."""
    for number, cell in lesson.numbered_cells():
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                yield Problem(
                    lesson.path,
                    f"stored output is an error ({output.get('ename', 'Error')}: {output.get('evalue', '')}) — "
                    f"fix the cell and re-run the notebook",
                    number,
                )
                continue
            texts = [_text(output.get("text", ""))] + [_text(value) for value in output.get("data", {}).values()]
            address = next((match for text in texts for match in _MEMORY_ADDRESS.findall(text)), None)
            if address:
                yield Problem(
                    lesson.path,
                    f"stored output shows a memory address ({address!r}), which changes on every run and fails nbval — "
                    f"end the line with ';' or show a value instead of the object",
                    number,
                )


def _check_answer_key(lesson: _Lesson) -> Iterator[Problem]:
    """An answer-key cell calls ``self_check`` on this lesson, as the last code cell."""
    code_cells = [(number, cell) for number, cell in lesson.numbered_cells() if cell.cell_type == "code"]
    keys = [(number, cell) for number, cell in code_cells if is_answer_key(cell)]
    if not keys:
        yield Problem(
            lesson.path,
            f"has no answer-key cell — add a code cell tagged 'answer-key' with `self_check({lesson.slug!r})` "
            f"before the navigation cell",
        )
        return
    number, cell = keys[-1]
    if _SELF_CHECK.findall(cell.source) != [lesson.slug]:
        yield Problem(lesson.path, f"the answer-key cell should call `self_check({lesson.slug!r})`", number)
    if code_cells[-1][0] != number:
        yield Problem(lesson.path, "the answer-key cell should be the last code cell, just before the navigation cell", number)


def _check_content_note(lesson: _Lesson) -> Iterator[Problem]:
    """A lesson whose metadata has a content note shows it at the top."""
    if not lesson.meta.get("content_note"):
        return
    first = next((cell for cell in lesson.notebook.cells if cell.cell_type == "markdown"), None)
    if first is None or "content note" not in first.source.lower():
        yield Problem(
            lesson.path,
            "metadata has a content note but the first cell does not show it — add '> **Content note:** ...' "
            "under the title",
            1,
        )


def _check_solutions(lesson: _Lesson) -> Iterator[Problem]:
    """Solution regions are closed and sit in nbgrader solution cells with unique grade ids, and every cell's
    nbgrader metadata is what nbgrader accepts (a written answer is a manually graded cell with points)."""
    grade_ids: dict[str, int] = {}
    for number, cell in lesson.numbered_cells():
        begins = sum(line.strip() == BEGIN_SOLUTION for line in cell.source.splitlines())
        ends = sum(line.strip() == END_SOLUTION for line in cell.source.splitlines())
        if begins != ends:
            yield Problem(
                lesson.path,
                f"has {begins} '{BEGIN_SOLUTION}' and {ends} '{END_SOLUTION}' — close every solution region, "
                f"or the student copy cannot hide it",
                number,
            )
        if begins and not is_solution(cell):
            metadata = _WRITTEN_ANSWER if cell.cell_type == "markdown" else _CODE_ANSWER
            yield Problem(lesson.path, f"has a solution region but is not a solution cell — add the cell metadata {metadata}", number)
        for problem in nbgrader_problems(cell):
            yield Problem(lesson.path, f"{problem} (nbgrader refuses the lesson otherwise)", number)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in grade_ids:
            yield Problem(
                lesson.path,
                f"nbgrader grade_id {grade_id!r} is also used by cell {grade_ids[grade_id]} — give each cell its own",
                number,
            )
        elif grade_id:
            grade_ids[grade_id] = number


def nbgrader_problems(cell: NotebookNode) -> list[str]:
    """What nbgrader 0.9's ``generate_assignment`` would refuse in this cell's ``nbgrader`` metadata, with the fix.

    The rules are those of nbgrader's cell metadata schema 3, except that a graded cell must be worth more than
    0 points. A cell without ``nbgrader`` metadata has no problem here.
    """
    meta = cell.get("metadata", {}).get("nbgrader")
    if meta is None:
        return []
    problems = []
    unknown = [key for key in meta if key not in NBGRADER_KEYS]
    if unknown:
        problems.append(f"nbgrader metadata has unknown key(s) {', '.join(map(repr, unknown))} — remove them")
    version = meta.get("schema_version")
    if version != NBGRADER_SCHEMA_VERSION:
        problems.append(f"nbgrader schema_version is {version!r} — set it to {NBGRADER_SCHEMA_VERSION}")
    for key in ("grade", "solution", "locked"):
        if not isinstance(meta.get(key), bool):
            problems.append(f"nbgrader {key!r} is {meta.get(key)!r} — set it to true or false")
    if not isinstance(meta.get("task", False), bool):
        problems.append(f"nbgrader 'task' is {meta['task']!r} — set it to true or false, or remove it")
    grade, solution, locked, task = (meta.get(key) is True for key in ("grade", "solution", "locked", "task"))
    marked = grade or solution or locked
    grade_id = meta.get("grade_id")
    if (marked or "grade_id" in meta) and not (
        isinstance(grade_id, str) and _GRADE_ID.fullmatch(grade_id) and (grade_id or not marked)
    ):
        problems.append(f"nbgrader grade_id is {grade_id!r} — give the cell a unique id of letters, digits, '-' and '_'")
    points = meta.get("points")
    if (grade or "points" in meta) and (
        isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0 or (grade and points == 0)
    ):
        what = "grade cell" if grade else "cell"
        problems.append(f"nbgrader {what} has points {points!r} — give it the points it is worth, like \"points\": 2")
    if task:
        if cell.cell_type != "markdown":
            problems.append("nbgrader task cell is not markdown — make it a markdown cell or drop \"task\"")
    elif cell.cell_type == "markdown" and solution and not grade:
        problems.append(
            "a written answer (markdown solution cell) must also be a manually graded cell with points — "
            f"set \"grade\": true and \"points\": 2, as in {_WRITTEN_ANSWER}"
        )
    elif cell.cell_type == "markdown" and grade and not solution:
        problems.append(f"markdown grade cell is not a solution cell — set \"solution\": true, as in {_WRITTEN_ANSWER}")
    return problems


def _check_solution_names(lesson: _Lesson) -> Iterator[Problem]:
    """No cell uses a name that only a solution defines: in the student copy the solution is gone."""
    student_defined: set[str] = set()
    solution_only: dict[str, int] = {}
    for number, cell in lesson.numbered_cells():
        if cell.cell_type != "code" or is_answer_key(cell):
            continue
        if is_solution(cell) or has_solution_region(cell):
            try:
                kept = clear_solution_regions(cell.source, "") if has_solution_region(cell) else ""
            except ValueError:
                continue
            kept_defined = _names(kept)[0]
            for name in _names(cell.source)[0] - kept_defined - student_defined:
                solution_only.setdefault(name, number)
            student_defined |= kept_defined
            continue
        defined, used = _names(cell.source)
        for name in sorted(used - defined):
            if name in solution_only and name not in student_defined:
                yield Problem(
                    lesson.path,
                    f"uses {name!r}, which only the solution in cell {solution_only[name]} defines — the student copy "
                    f"leaves the solution out, so this cell would fail; define {name!r} outside the solution region",
                    number,
                )
        student_defined |= defined


def _names(source: str) -> tuple[set[str], set[str]]:
    """The names a piece of code assigns, and the names it reads (both empty if it is not plain Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    defined, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return defined, used


def _text(value) -> str:
    """Notebook text, which may be stored as a string or a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value)


_RULES = (
    _check_metadata,
    _check_headings,
    _check_objectives,
    _check_exercises,
    _check_copied_options,
    _check_dates_in_text,
    _check_disagreements,
    _check_own_words,
    _check_plots,
    _check_images,
    _check_figure_alt,
    _check_navigation,
    _check_widget_state,
    _check_outputs,
    _check_answer_key,
    _check_content_note,
    _check_solutions,
    _check_solution_names,
    _check_minutes,
    _check_timing_plan,
)
