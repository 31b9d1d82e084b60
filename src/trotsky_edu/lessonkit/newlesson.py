"""A new lesson from the template: the notebook, its place in ``course.toml`` and an empty question bank."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import SLUG_PATTERN, Course, LessonEntry, append_lesson, display_path
from trotsky_edu.lessonkit.index import navigation_markdown
from trotsky_edu.lessonkit.notebooks import write_notebook

_NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class NewLesson:
    """The files a new lesson starts with."""

    slug: str
    notebook: Path
    bank: Path


def template() -> NotebookNode:
    """The lesson template shipped with the package, with ``{{field}}`` placeholders still in it."""
    with (files("trotsky_edu.lessonkit") / "template.ipynb").open(encoding="utf-8") as handle:
        return nbformat.read(handle, as_version=4)


def lesson_slug(name: str, course: Course) -> str:
    """The full slug for ``name``: kept when it already starts with two digits, else numbered after the last lesson."""
    if SLUG_PATTERN.match(name):
        return name
    if not _NAME_PATTERN.match(name):
        raise LessonkitError(
            f"{name!r} is not a usable slug — use lower-case words joined by hyphens, like 'kronstadt' or "
            f"'06-kronstadt'"
        )
    number = max((int(entry.slug[:2]) for entry in course.lessons), default=-1) + 1
    return f"{number:02d}-{name}"


def fill_placeholders(value, fields: dict[str, str]):
    """``value`` (a string, or lists and dicts of them) with every ``{{field}}`` replaced."""
    if isinstance(value, str):
        for key, text in fields.items():
            value = value.replace("{{" + key + "}}", text)
        return value
    if isinstance(value, list):
        return [fill_placeholders(item, fields) for item in value]
    if isinstance(value, dict):
        return type(value)((key, fill_placeholders(item, fields)) for key, item in value.items())
    return value


def new_lesson(name: str, *, title: str, period: str, course: Course, exercises_folder: Path) -> NewLesson:
    """Create ``<lessons>/NN-name.ipynb`` from the template, list it last in ``course.toml``, add an empty bank."""
    if not title.strip():
        raise LessonkitError("the title is empty — give one with --title 'The lesson title'")
    slug = lesson_slug(name, course)
    notebook_path, bank_path = course.path(slug), exercises_folder / f"{slug}.yaml"
    for path in (notebook_path, bank_path):
        if path.exists():
            raise LessonkitError(f"{display_path(path)} already exists — choose another slug or edit that lesson")
    if course.entry(slug) is not None:
        raise LessonkitError(f"{display_path(course.toml_path)} already lists {slug} — choose another slug")

    previous = course.lessons[-1] if course.lessons else None
    course = append_lesson(course, LessonEntry(slug, title, period))
    notebook = template()
    meta = notebook.metadata["trotsky_edu"]
    meta["prerequisites"] = [previous.slug] if previous else []
    fields = {
        "slug": slug,
        "title": title,
        "period": period,
        "teaching_minutes": str(meta["teaching_minutes"]),
        "exercise_minutes": str(meta["exercise_minutes"]),
        "prerequisites": f"[{previous.title}]({previous.filename})" if previous else "none",
        "navigation": navigation_markdown(course, slug),
    }
    for cell in notebook.cells:
        cell.source = fill_placeholders(cell.source, fields)
        cell.metadata = fill_placeholders(cell.metadata, fields)
    notebook.metadata["trotsky_edu"] = fill_placeholders(meta, fields)
    write_notebook(notebook, notebook_path)

    bank_path.parent.mkdir(parents=True, exist_ok=True)
    bank_path.write_text(
        f"# Question bank of lesson {slug}: the fields of each question are described in data/exercises/README.md.\n"
        f"lesson: {slug}\nquestions: []\n",
        encoding="utf-8",
    )
    return NewLesson(slug=slug, notebook=notebook_path, bank=bank_path)
