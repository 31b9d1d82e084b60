"""The course order, kept in one place: ``lessons/course.toml``.

Each ``[[lesson]]`` table has a ``slug`` (``NN-name``, also the notebook's file name), a
``title`` and a ``period``, and optionally ``topics``: the parts of the course (the ``lesson``
values of the datasets) whose records it teaches. Everything that needs the order (the index, navigation links,
checks, new lessons, the rendered course) reads it from here. An optional ``[timing]`` table
changes the numbers the lessons' time estimate is made from (see :mod:`.timing`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.timing import TimingSettings, timing_settings

COURSE_FILE = "course.toml"
SLUG_PATTERN = re.compile(r"^\d\d-[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class LessonEntry:
    """One lesson as ``course.toml`` lists it."""

    slug: str
    title: str
    period: str
    #: The parts of the course whose records this lesson teaches: the ``lesson`` values of the datasets
    #: (events, disagreements), e.g. ``("early", "revolution")``. A lesson shows every disagreement of its topics.
    topics: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """The notebook's file name, ``<slug>.ipynb``."""
        return f"{self.slug}.ipynb"


@dataclass(frozen=True)
class Course:
    """The lessons folder, the lessons in course order, and the numbers their time estimate is made from."""

    folder: Path
    lessons: tuple[LessonEntry, ...]
    timing: TimingSettings = field(default_factory=TimingSettings)

    @property
    def toml_path(self) -> Path:
        """Where the course order is kept."""
        return self.folder / COURSE_FILE

    @property
    def exercises_folder(self) -> Path:
        """The question banks of this checkout: ``data/exercises`` beside the lessons folder."""
        return self.folder.parent / "data" / "exercises"

    def entry(self, slug: str) -> LessonEntry | None:
        """The lesson with this slug, or None when the course does not list it."""
        return next((entry for entry in self.lessons if entry.slug == slug), None)

    def path(self, slug: str) -> Path:
        """Where the notebook of a lesson lives."""
        return self.folder / f"{slug}.ipynb"

    def neighbours(self, slug: str) -> tuple[LessonEntry | None, LessonEntry | None]:
        """The previous and next lessons in course order (None at either end)."""
        slugs = [entry.slug for entry in self.lessons]
        position = slugs.index(slug)
        previous = self.lessons[position - 1] if position > 0 else None
        following = self.lessons[position + 1] if position + 1 < len(self.lessons) else None
        return previous, following


def display_path(path: Path) -> str:
    """A path as the instructor would type it: relative to the working folder when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


def find_lessons_folder(start: Path | None = None) -> Path:
    """The ``lessons`` folder of the checkout that holds ``start`` (default: the working folder).

    Looks for ``lessons/course.toml`` in ``start`` and each folder above it.
    """
    start = Path(os.path.abspath(start or Path.cwd()))
    for folder in (start, *start.parents):
        if (folder / COURSE_FILE).is_file() and folder.name == "lessons":
            return folder
        if (folder / "lessons" / COURSE_FILE).is_file():
            return folder / "lessons"
    raise LessonkitError(
        f"no lessons/{COURSE_FILE} found in {start} or any folder above it — run this command inside a "
        f"copy of the course, or name the lessons folder with --lessons DIR"
    )


def load_course(folder: Path) -> Course:
    """Read ``course.toml`` in ``folder`` and check that every entry is complete and unique."""
    toml_path = folder / COURSE_FILE
    shown = display_path(toml_path)
    if not toml_path.is_file():
        raise LessonkitError(f"{shown} does not exist — create it with one [[lesson]] table per lesson")
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LessonkitError(f"{shown} is not valid TOML: {error}") from None
    tables = data.get("lesson", [])
    if not isinstance(tables, list) or not tables:
        raise LessonkitError(f"{shown} lists no lessons — add [[lesson]] tables with slug, title and period")
    entries = []
    for number, table in enumerate(tables, start=1):
        missing = [key for key in ("slug", "title", "period") if not isinstance(table.get(key), str)]
        if missing:
            raise LessonkitError(f"{shown}: lesson {number} has no {', '.join(missing)} — add it as a string")
        if not SLUG_PATTERN.match(table["slug"]):
            raise LessonkitError(
                f"{shown}: lesson {number} has slug {table['slug']!r} — slugs are two digits, a hyphen and "
                f"lower-case words joined by hyphens, like '01-revolution'"
            )
        topics = table.get("topics", [])
        if not isinstance(topics, list) or not all(isinstance(topic, str) for topic in topics):
            raise LessonkitError(
                f"{shown}: lesson {table['slug']} has topics {topics!r} — write them as a list of strings, "
                f'like topics = ["early", "revolution"]'
            )
        entries.append(LessonEntry(table["slug"], table["title"], table["period"], tuple(topics)))
    slugs = [entry.slug for entry in entries]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise LessonkitError(f"{shown} lists {', '.join(duplicates)} more than once — keep one entry each")
    timing = timing_settings(data["timing"], shown) if "timing" in data else TimingSettings()
    return Course(folder=Path(os.path.abspath(folder)), lessons=tuple(entries), timing=timing)


def append_lesson(course: Course, entry: LessonEntry) -> Course:
    """Add a lesson at the end of ``course.toml`` (keeping the file's comments) and return the new course."""
    if course.entry(entry.slug) is not None:
        raise LessonkitError(f"{display_path(course.toml_path)} already lists {entry.slug}")
    text = course.toml_path.read_text(encoding="utf-8")
    table = (
        f"\n[[lesson]]\nslug = {_toml_string(entry.slug)}\ntitle = {_toml_string(entry.title)}\n"
        f"period = {_toml_string(entry.period)}\n"
    )
    course.toml_path.write_text(text.rstrip("\n") + "\n" + table, encoding="utf-8")
    return load_course(course.folder)


def _toml_string(value: str) -> str:
    """A TOML basic string holding ``value``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def resolve_lessons(names: list[str], course: Course | None) -> list[Path]:
    """The notebooks named on the command line (paths, or slugs of ``course``); all of the course's when none are named.

    Paths are returned as given; a course lesson whose notebook is not written yet is included,
    so that callers can say so.
    """
    if not names:
        if course is None:
            raise LessonkitError("name the lesson notebooks, or run inside a copy of the course")
        return [course.path(entry.slug) for entry in course.lessons]
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix == ".ipynb" or course is None:
            path = candidate
        else:
            path = course.path(name)
        if not path.is_file():
            known = ", ".join(entry.slug for entry in course.lessons) if course else "a path to a .ipynb file"
            raise LessonkitError(f"{name}: no such lesson notebook — give a path to a notebook or one of: {known}")
        paths.append(path)
    return paths
